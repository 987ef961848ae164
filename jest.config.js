// One jest run covers every package. TypeScript goes through ts-jest in transpile-only mode:
// type errors are caught once by `tsc -b` in `make lint`, not per test file.
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.jest.json' }];
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': tsJest },
  moduleNameMapper: {
    '^@snear/amm-math$': '<rootDir>/../amm-math/src/index.ts',
    '^@snear/localnet$': '<rootDir>/../localnet/src/index.ts',
    '^@snear/api$': '<rootDir>/../api/src/index.ts',
    '^@snear/indexer$': '<rootDir>/../indexer/src/index.ts',
  },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/build/'],
};
const path = require('node:path');
const project = (name) => ({ ...shared, displayName: name, rootDir: path.join(__dirname, name) });

/**
 * The contract suites once more on localnet's wasm engine: the metapool and the core-contract
 * stand-ins as pre-initialised .wasm builds under nearcore's metering (suites that choose their
 * engine, and the gas suites, which are wasm-only, run once, in `contracts`).
 */
const contractsOnWasm = {
  ...project('contracts'),
  displayName: 'contracts-wasm',
  setupFiles: ['<rootDir>/test/support/wasm-engine-env.js'],
  testMatch: [
    '<rootDir>/test/metapool-{admin,basket,liquidity,lockup,random,staking,wallet}.test.ts',
    '<rootDir>/test/{staking-pool,whitelist}.test.ts',
  ],
};

module.exports = {
  projects: [
    ...['amm-math', 'localnet', 'contracts', 'api', 'tests', 'indexer'].map(project),
    contractsOnWasm,
  ],
};
