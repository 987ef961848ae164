// deploy/protocol.js: the metapool's counterparts are NEAR's real whitelist and staking pools by
// default; `peers` forces one side; without the real contracts the default falls back to our
// stand-ins and says so, once per process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Localnet } from '@snear/localnet';
import { realWasmPath } from '../deploy/mainnet-wasm';
import * as protocol from '../deploy/protocol';
import { NEAR } from '../deploy/protocol';
import { realPeersSkipReason } from './metapool-fixture';

jest.setTimeout(120_000);

const codeHash = (net: Localnet, accountId: string) => net.chain.accountView(accountId)?.codeHash;

const realSkip = realPeersSkipReason();
(realSkip ? describe.skip : describe)(
  `NEAR's real contracts as counterparts${realSkip ? ` (skipped: ${realSkip})` : ''}`,
  () => {
    it('deployProtocol deploys the pinned whitelist.wasm and staking_pool.wasm by default', async () => {
      const net = await Localnet.init({ engine: 'vm' });
      const p = await protocol.deployProtocol(net, { pools: 2, extraPools: 1 });
      expect(p.peers).toBe('real');
      const ref = await net.root.createSubAccount('ref', { initialBalance: 10n * NEAR });
      await ref.deploy(realWasmPath('staking_pool.wasm'));
      const wl = await net.root.createSubAccount('refwl', { initialBalance: 10n * NEAR });
      await wl.deploy(realWasmPath('whitelist.wasm'));
      for (const pool of p.pools) {
        expect(codeHash(net, pool.accountId)).toBe(codeHash(net, ref.accountId));
      }
      expect(codeHash(net, p.whitelist.accountId)).toBe(codeHash(net, wl.accountId));
      // the metapool stays on the engine the test chose (its .js bundle on the vm engine)
      expect(net.chain.account(p.metapool.accountId)?.code?.kind).toBe('js');
      expect(net.chain.account(p.pools[0].accountId)?.code?.kind).toBe('wasm');
      // and the basket works with them
      const s = (await p.metapool.view('get_contract_state', {})) as { validators: unknown[] };
      expect(s.validators).toHaveLength(2);
    });

    it("peers: 'stand-in' deploys our near-sdk-js builds instead", async () => {
      const net = await Localnet.init({ engine: 'vm' });
      const p = await protocol.deployProtocol(net, { pools: 1, peers: 'stand-in' });
      expect(p.peers).toBe('stand-in');
      expect(net.chain.account(p.pools[0].accountId)?.code?.kind).toBe('js');
      expect(net.chain.account(p.whitelist.accountId)?.code?.kind).toBe('js');
    });
  },
);

describe('without the real contracts (NEAR_MAINNET_WASM_DIR names no directory)', () => {
  // A fresh Node process: the notice is once per process, and the variable is read at load.
  it('falls back to the stand-ins, saying so and why in one line, once per process; peers "real" refuses', () => {
    const dist = path.join(__dirname, '..', '..', 'localnet', 'dist', 'index.js');
    if (!existsSync(dist)) throw new Error(`${dist} is missing: run make build`);
    const script = `
      const { Localnet } = require(${JSON.stringify(dist)});
      const { deployProtocol } = require(${JSON.stringify(path.join(__dirname, '..', 'deploy', 'protocol.js'))});
      (async () => {
        for (let i = 0; i < 2; i++) {
          const net = await Localnet.init({ engine: 'vm' });
          const p = await deployProtocol(net, { pools: 1 });
          const kind = net.chain.account(p.pools[0].accountId).code.kind;
          process.stdout.write(p.peers + ' ' + kind + '\\n');
        }
        const net = await Localnet.init({ engine: 'vm' });
        await deployProtocol(net, { pools: 1, peers: 'real' }).then(
          () => process.stdout.write('deployed\\n'),
          (e) => process.stdout.write(e.message + '\\n'),
        );
      })();`;
    const out = spawnSync(process.execPath, ['-e', script], {
      env: { ...process.env, NEAR_MAINNET_WASM_DIR: '/nonexistent/near-wasm' },
      encoding: 'utf8',
    });
    expect(out.status).toBe(0);
    expect(out.stderr).toBe(
      "sNEAR: NEAR's real staking pool and whitelist are unavailable (no real NEAR contracts at /nonexistent/near-wasm (set NEAR_MAINNET_WASM_DIR)); using our near-sdk-js stand-ins\n",
    );
    expect(out.stdout.split('\n')).toEqual([
      'stand-in js',
      'stand-in js',
      "E_REAL_PEERS: NEAR's real staking pool and whitelist cannot run here: no real NEAR contracts at /nonexistent/near-wasm (set NEAR_MAINNET_WASM_DIR)",
      '',
    ]);
  });
});
