// Jest environment for the API tests. On Node 20, jest's CommonJS runtime cannot load ES-module-only
// packages, and three we need are: near-api-js, and cookie (through light-my-request, which powers
// fastify.inject). This environment loads them with Node's own loader, outside the sandbox, and
// hands them in as globals: near-api-js as `__snearNearApi` (picked up by src/near.ts) and
// light-my-request as `__lightMyRequest` (test files map it with jest.mock).
const { TestEnvironment } = require('jest-environment-node');

class EsmPackagesEnvironment extends TestEnvironment {
  async setup() {
    await super.setup();
    this.global.__snearNearApi = await import('near-api-js');
    this.global.__lightMyRequest = require('light-my-request');
  }
}

module.exports = EsmPackagesEnvironment;
