// The vm engine's gas is calibrated against the wasm engine (localnet/src/host/gas.ts): the same
// flow on both must give, receipt by receipt, metapool figures within ±25% of the wasm ones.
import { existsSync } from 'node:fs';
import { Localnet, wasmEngineUnavailableReason } from '@snear/localnet';
import { gasFlow } from '../deploy/gas-flow';
import { contractPath } from '../deploy/protocol';

const reason = existsSync(contractPath('metapool').replace(/\.js$/, '.wasm'))
  ? wasmEngineUnavailableReason()
  : 'contracts/build/metapool.wasm is not built (make contracts)';

(reason ? describe.skip : describe)(
  `vm engine gas calibrated to the wasm engine${reason ? ` [skipped: ${reason}]` : ''}`,
  () => {
    it('metapool calls, views and ping steps cost within ±25% on the vm engine', async () => {
      const wasm = await gasFlow(await Localnet.init({ engine: 'wasm', epochLength: 1000 }));
      const vm = await gasFlow(await Localnet.init({ engine: 'vm', epochLength: 1000 }));
      expect(vm.map((r) => r.label)).toEqual(wasm.map((r) => r.label));
      const off = wasm
        .map((w, i) => ({ label: w.label, ratio: Number(vm[i].gasBurnt) / Number(w.gasBurnt), w }))
        .filter(({ w }) => w.contract.startsWith('metapool'))
        .filter(({ ratio }) => ratio < 0.75 || ratio > 1.25);
      expect(off).toEqual([]);
      // the flow reached every kind of call it is meant to compare
      expect(new Set(wasm.map((r) => r.label))).toEqual(
        new Set([
          'deposit_and_stake',
          'storage_deposit',
          'add_liquidity',
          'ft_transfer',
          'liquid_unstake',
          'unstake',
          'get_account_total_balance',
          'get_account_unstaked_balance',
          'get_account_staked_balance',
          'ping',
          'on_pool_result',
          'increment',
          'get_count',
          'set_value',
          'map_set',
          'hashes',
          'burn_gas',
        ]),
      );
    });
  },
);
