// The VM engine's realm: no state between calls, uncatchable host errors, QuickJS-like globals,
// raw env calls (utf-16 logs, env.panic, key limits), account-creating promises and gas weights.
import { type Account, Localnet, VmEngine } from '../src';
import { fixture, NEAR, TGAS } from './support/fixtures';

describe('VM engine realm and raw host calls', () => {
  let net: Localnet;
  let probe: Account;
  let probePath: string;

  // Bundling the fixture (only when missing or stale) takes several seconds.
  beforeAll(() => {
    probePath = fixture('probe');
  }, 120_000);

  beforeEach(async () => {
    net = await Localnet.init();
    probe = await net.root.devDeploy(probePath, { initialBalance: 20n * NEAR });
  });

  it('instantiates the module afresh on every call (no module state survives)', async () => {
    expect(await net.root.call(probe, 'module_calls', {})).toBe(1);
    expect(await net.root.call(probe, 'module_calls', {})).toBe(1);
  });

  it('a call that leaks a global does not affect the next call', async () => {
    expect(await net.root.call(probe, 'leak_global', {})).toBe('undefined');
    expect(await net.root.call(probe, 'leak_global', {})).toBe('undefined');
    expect((net.chain.engines.js as VmEngine).discardedRealms).toBeGreaterThanOrEqual(1);
  });

  it('the same holds with a brand-new realm per call', async () => {
    const strict = new VmEngine({ isolation: 'realm-per-call' });
    const isolated = await Localnet.init();
    (isolated.chain.engines as unknown as { js: VmEngine }).js = strict;
    const p = await isolated.root.devDeploy(probePath, { initialBalance: 20n * NEAR });
    expect(await isolated.root.call(p, 'leak_global', {})).toBe('undefined');
    expect(await isolated.root.call(p, 'leak_global', {})).toBe('undefined');
  });

  it('a host error caught by the contract still fails the call', async () => {
    const ok = await net.root.callRaw(probe, 'catch_host_error', { key_len: 10 });
    expect(ok.value).toBe('no error');
    const out = await net.root.callRaw(probe, 'catch_host_error', { key_len: 2049 });
    expect(out.status).toBe('failure');
    expect(out.failureMessage).toBe('The length of a storage key 2049 exceeds the limit 2048');
  });

  it('accepts a 2 KiB key and rejects a longer one', async () => {
    expect((await net.root.callRaw(probe, 'write_key', { key_len: 2048 })).status).toBe('success');
    const out = await net.root.callRaw(probe, 'write_key', { key_len: 2049 });
    expect(out.failure).toMatchObject({
      ActionError: {
        kind: {
          FunctionCallError: { HostError: { KeyLengthExceeded: { length: 2049, limit: 2048 } } },
        },
      },
    });
  });

  it('rejects a value over 4 MiB', async () => {
    const out = await net.root.callRaw(
      probe,
      'write_key',
      { key_len: 1, value_len: 4 * 1024 * 1024 + 1 },
      { gas: 300n * TGAS },
    );
    expect(out.failureMessage).toBe(
      `The length of a storage value ${4 * 1024 * 1024 + 1} exceeds the limit ${4 * 1024 * 1024}`,
    );
  });

  it('decodes utf-16 logs', async () => {
    const out = await net.root.callRaw(probe, 'log16', { text: 'héllo ✓' });
    expect(out.logs).toEqual(['héllo ✓']);
  });

  it('env.panic with and without a message', async () => {
    const withMsg = await net.root.callRaw(probe, 'raw_panic', { message: 'stop' });
    expect(withMsg.failureMessage).toBe('Smart contract panicked: stop');
    const bare = await net.root.callRaw(probe, 'raw_panic', {});
    expect(bare.failureMessage).toBe('Smart contract panicked: explicit guest panic');
  });

  it('has no clock and a deterministic Math.random, as QuickJS on chain', async () => {
    const a = (await probe.view('clock')) as { now: number; date: number; random: number };
    const b = (await probe.view('clock')) as { now: number; date: number; random: number };
    expect(a.now).toBe(0);
    expect(a.date).toBe(0);
    expect(b.random).toBe(a.random);
  });

  it('creates a sub-account through a promise batch', async () => {
    const out = await net.root.callRaw(probe, 'create_sub', {
      name: 'kid',
      amount: NEAR.toString(),
    });
    expect(out.status).toBe('success');
    const kid = net.account(`kid.${probe.accountId}`);
    expect(await kid.exists()).toBe(true);
    expect((await kid.balance()).total).toBe(NEAR);
  });

  it('hands unused gas to a weighted function call', async () => {
    const out = await net.root.callRaw(probe, 'weighted_echo', {}, { gas: 100n * TGAS });
    expect(out.status).toBe('success');
    const seen = BigInt(out.value as string);
    expect(seen).toBeGreaterThan(50n * TGAS);
    expect(seen).toBeLessThan(100n * TGAS);
  });

  it('keeps the state of a call whose forwarded callee fails; the tx reports the failure', async () => {
    const out = await net.root.callRaw(
      probe,
      'forward',
      { account_id: probe.accountId, method: 'raw_panic', gas_tgas: 20 },
      { gas: 60n * TGAS },
    );
    expect(out.status).toBe('failure');
    expect(out.receipts[0].status).toBe('success');
    expect(await probe.view('get_marker')).toBe('forwarded to raw_panic');
  });
});
