// jest setupFile of the `contracts-wasm` project (jest.config.js): every Localnet.init that names
// no engine runs the pre-initialised .wasm builds, so the contract suites guard the wasm too.
process.env.LOCALNET_ENGINE = 'wasm';
