// What our contract build must do as NEAR's QuickJS fork does (near-sdk-js's reference runtime),
// on both localnet engines; and, on the wasm engine, that a pre-initialised contract's allocator
// grows past the heap it was snapshotted with (nearcore gives a fresh memory, so growth is not
// contiguous with the snapshot's heap).
import { existsSync } from 'node:fs';
import {
  type Account,
  Localnet,
  loadWasmEngine,
  wasmEngineUnavailableReason,
} from '@snear/localnet';
import { contractPath, deployProtocol, NEAR, PING_GAS } from '../deploy/protocol';

const U64_MAX = (1n << 64n) - 1n;

function engines(): ('vm' | 'wasm')[] {
  const why = existsSync(contractPath('host-test').replace(/\.js$/, '.wasm'))
    ? wasmEngineUnavailableReason()
    : 'contracts/build/host-test.wasm is not built (make contracts)';
  if (why) process.stdout.write(`engine-parity: wasm engine rows skipped: ${why}\n`);
  return why ? ['vm'] : ['vm', 'wasm'];
}

describe.each(engines())('QuickJS fork parity on the %s engine', (engine) => {
  let net: Localnet;
  let hostTest: Account;

  beforeAll(async () => {
    net = await Localnet.init({ engine });
    hostTest = await net.root.devDeploy(contractPath('host-test'), { initialBalance: 50n * NEAR });
  });

  it('a BigInt u64 host argument outside [0, 2^64) is an error, not a wrapped value', async () => {
    expect(await hostTest.view('register_len_of', { id: U64_MAX.toString() })).toBe(
      U64_MAX.toString(),
    );
    expect(await hostTest.view('register_len_of', { id: '-1' })).toBe(
      'error: Expect Uint64 for register_id',
    );
    expect(await hostTest.view('register_len_of', { id: (U64_MAX + 1n).toString() })).toBe(
      'error: Expect Uint64 for register_id',
    );
  });

  it('a string passed to the host as latin1 keeps its bytes, or gives none above U+00FF', async () => {
    expect(await hostTest.view('latin1_bytes', { text: 'Aé\u00ff' })).toBe('41e9ff');
    expect(await hostTest.view('latin1_bytes', { text: 'A€' })).toBe('');
  });

  it('Object.hasOwn exists and answers for own properties only', async () => {
    expect(await hostTest.view('has_own', { key: 'a' })).toEqual(['function', true]);
    expect(await hostTest.view('has_own', { key: 'toString' })).toEqual(['function', false]);
  });
});

const wasmReason = existsSync(contractPath('metapool').replace(/\.js$/, '.wasm'))
  ? wasmEngineUnavailableReason()
  : 'contracts/build/*.wasm are not built (make contracts)';
(wasmReason ? describe.skip : describe)(
  `pre-initialised contracts allocate past their snapshot's heap${wasmReason ? ` [skipped: ${wasmReason}]` : ''}`,
  () => {
    // A 600 KB argument: the input bytes, their decoded string and JSON.parse's copy are all live
    // at once, more than a snapshot's whole memory (9–15 pages, at most 983,040 bytes). Parsing
    // costs about 180 Tgas per MB on the wasm engine, so it stays well under 300 Tgas.
    const padding = 'p'.repeat(600_000);
    let net: Localnet;
    /** Memory pages when the wasm engine's last call ended (nearcore's memory starts at 1024). */
    const pagesAtLastExit = (): number =>
      (loadWasmEngine() as unknown as { lastCallMemoryPages: number }).lastCallMemoryPages;

    beforeAll(async () => {
      net = await Localnet.init({ engine: 'wasm' });
    });

    it('host-test: long strings and large state', async () => {
      const c = await net.root.devDeploy(contractPath('host-test'), {
        initialBalance: 100n * NEAR,
      });
      expect(await c.view('echo_length', { text: padding })).toBe(padding.length);
      expect(pagesAtLastExit()).toBeGreaterThan(1024);
      expect(await c.view('echo_length', { text: 'short' })).toBe(5);
      expect(pagesAtLastExit()).toBe(1024);
      const value = 'v'.repeat(400_000);
      await net.root.call(c, 'set_value', { key: 'big', value }, { gas: PING_GAS });
      expect(await c.view('get_value', { key: 'big', padding })).toBe(value);
    });

    it('metapool, staking pool and whitelist answer views with a 600 KB argument', async () => {
      // our stand-in pool and whitelist: this checks our own builds' memory, not a counterpart
      const { metapool, pools, whitelist, users } = await deployProtocol(net, {
        pools: 1,
        users: { alice: 1_000n * NEAR },
        peers: 'stand-in',
      });
      await users.alice.call(
        metapool,
        'deposit_and_stake',
        {},
        { attachedDeposit: 10n * NEAR, gas: PING_GAS },
      );
      const account_id = users.alice.accountId;
      const plain = await metapool.view('get_account_total_balance', { account_id });
      expect(await metapool.view('get_account_total_balance', { account_id, padding })).toBe(plain);
      expect(pagesAtLastExit()).toBeGreaterThan(1024);
      const poolOwner = await pools[0].view('get_owner_id', {});
      expect(await pools[0].view('get_owner_id', { padding })).toBe(poolOwner);
      expect(pagesAtLastExit()).toBeGreaterThan(1024);
      expect(
        await whitelist.view('is_whitelisted', {
          staking_pool_account_id: pools[0].accountId,
          padding,
        }),
      ).toBe(true);
      expect(pagesAtLastExit()).toBeGreaterThan(1024);
    });
  },
);
