// The test API (accounts, deploys, balances, state, snapshots, faults) and the chain accessors a
// JSON-RPC layer uses (transactions from a signer with access keys and nonces).
import {
  type CallError,
  DEFAULT_CHAIN_CONFIG,
  InvalidTxError,
  Localnet,
  STORAGE_PRICE_PER_BYTE,
} from '../src';
import { fixture, HOST_TEST, NEAR, TGAS } from './support/fixtures';

describe('Localnet test API', () => {
  let net: Localnet;
  let counterPath: string;

  // Bundling the fixture (only when missing or stale) takes several seconds.
  beforeAll(() => {
    counterPath = fixture('counter');
  }, 120_000);

  beforeEach(async () => {
    net = await Localnet.init();
  });

  it('rejects a nonsensical configuration', async () => {
    await expect(Localnet.init({ epochLength: 0 })).rejects.toThrow(/E_BAD_CONFIG/);
    await expect(Localnet.init({ maxGasPerTx: 0n })).rejects.toThrow(/E_BAD_CONFIG/);
  });

  it('keeps the default for an option passed as undefined', async () => {
    const defaults = await Localnet.init({ epochLength: undefined, maxGasPerTx: undefined });
    expect(defaults.chain.config.epochLength).toBe(DEFAULT_CHAIN_CONFIG.epochLength);
    expect(defaults.chain.config.maxGasPerTx).toBe(DEFAULT_CHAIN_CONFIG.maxGasPerTx);
  });

  it('creates sub-accounts with a balance and a full-access key', async () => {
    const alice = await net.root.createSubAccount('alice', { initialBalance: 12n * NEAR });
    expect(alice.accountId).toBe('alice.test.near');
    const b = await alice.balance();
    expect(b.total).toBe(12n * NEAR);
    expect(b.staked).toBe(0n);
    expect(b.stateStaked).toBe(182n * STORAGE_PRICE_PER_BYTE); // 100 + one ed25519 key (82)
    expect(b.available).toBe(b.total - b.stateStaked);
    const keys = net.chain.accessKeys(alice.accountId);
    expect([...keys.keys()]).toEqual([net.keyPair(alice.accountId).publicKey]);
    await expect(net.root.createSubAccount('alice')).rejects.toThrow(/AccountAlreadyExists/);
  });

  it('only lets an account create its own sub-accounts', async () => {
    const alice = await net.root.createSubAccount('alice');
    await expect(alice.createSubAccount('x', { initialBalance: NEAR })).resolves.toBeDefined();
    const out = net.executeTransaction({
      signerId: alice.accountId,
      receiverId: 'bob.test.near',
      actions: [{ type: 'CreateAccount' }],
    });
    expect(out.status).toBe('failure');
    expect(out.failure).toMatchObject({ ActionError: { kind: { CreateAccountNotAllowed: {} } } });
  });

  it('devDeploy creates, funds, deploys and initialises in one batch (all or nothing)', async () => {
    const c = await net.root.devDeploy(HOST_TEST, {
      initialBalance: 20n * NEAR,
      method: 'init',
      args: { owner: 'someone.test.near' },
    });
    expect(await c.view('get_count')).toBe(0);
    const err = (await net.root.call(c, 'init', { owner: 'x' }).catch((e) => e)) as CallError;
    expect(err.message).toContain('Contract already initialized');
    // A failing init leaves no account behind and refunds the balance.
    const before = (await net.root.balance()).total;
    await expect(
      net.root.devDeploy(HOST_TEST, { initialBalance: 1n * NEAR, method: 'init', args: {} }),
    ).rejects.toThrow(/LackBalanceForState/);
    expect(before - (await net.root.balance()).total).toBeLessThan(NEAR / 10n);
  });

  it('charges contract code to storage staking', async () => {
    const c = await net.root.devDeploy(counterPath, { initialBalance: 10n * NEAR });
    const { stateStaked } = await c.balance();
    // A .js bundle is charged as the wasm it becomes: bundle + ~480 kB QuickJS.
    expect(stateStaked).toBeGreaterThan(5n * NEAR);
    expect(stateStaked).toBeLessThan(7n * NEAR);
  });

  it('transfers, and a transfer to a missing account comes back', async () => {
    const alice = await net.root.createSubAccount('alice', { initialBalance: 10n * NEAR });
    await net.root.transfer(alice, 3n * NEAR);
    expect((await alice.balance()).total).toBe(13n * NEAR);
    const before = (await alice.balance()).total;
    const err: CallError = await alice.transfer('ghost.test.near', NEAR).catch((e) => e);
    expect(err.message).toMatch(/AccountDoesNotExist/);
    const refund = err.outcome?.receipts.find((r) => r.isRefund && r.executor === alice.accountId);
    expect(refund).toBeDefined();
    expect(before - (await alice.balance()).total).toBeLessThan(NEAR / 1000n);
  });

  it('views and patches contract state', async () => {
    const c = await net.root.devDeploy(HOST_TEST, { initialBalance: 20n * NEAR });
    await net.root.call(c, 'set_value', { key: 'a', value: 'hello' });
    const state = await c.viewState();
    expect(Buffer.from(state.get('kv:a')!).toString()).toBe('hello');
    await c.patchState('kv:a', 'patched');
    expect(await c.view('get_value', { key: 'a' })).toBe('patched');
    const usage = BigInt((await c.view('storage_used')) as string);
    await c.patchState('kv:new', 'xyz');
    expect(BigInt((await c.view('storage_used')) as string)).toBe(usage + 6n + 3n + 40n);
  });

  it('snapshot/restore brings back balances, state and height', async () => {
    const c = await net.root.devDeploy(HOST_TEST, { initialBalance: 20n * NEAR });
    await net.root.call(c, 'increment', {});
    const snap = net.snapshot();
    const height = net.blockHeight();
    const balance = (await c.balance()).total;
    await net.root.call(c, 'increment', {});
    await net.root.call(c, 'map_set', { key: 'k', value: 'v' });
    await net.fastForward(50);
    net.restore(snap);
    expect(net.blockHeight()).toBe(height);
    expect(await c.view('get_count')).toBe(1);
    expect(await c.view('map_get', { key: 'k' })).toBeNull();
    expect((await c.balance()).total).toBe(balance);
    // The snapshot is reusable: a second restore goes back to the same point.
    await net.root.call(c, 'increment', {});
    net.restore(snap);
    expect(await c.view('get_count')).toBe(1);
  });

  it('failMethod makes one method fail until cleared', async () => {
    const c = await net.root.devDeploy(HOST_TEST, { initialBalance: 20n * NEAR });
    net.failMethod(c.accountId, 'increment');
    const out = await net.root.callRaw(c, 'increment', {}, { attachedDeposit: 0n });
    expect(out.status).toBe('failure');
    expect(out.failureMessage).toContain('E_FAULT_INJECTED');
    expect((await net.root.callRaw(c, 'set_value', { key: 'a', value: 'b' })).status).toBe(
      'success',
    );
    net.failMethod(c.accountId, null);
    expect(await net.root.call(c, 'increment', {})).toBe(1);
  });

  it('deploying a missing file or an unknown method fails clearly', async () => {
    await expect(net.root.deploy('/nonexistent/x.js')).rejects.toThrow(/E_CONTRACT_NOT_FOUND/);
    const c = await net.root.devDeploy(HOST_TEST, { initialBalance: 20n * NEAR });
    const out = await net.root.callRaw(c, 'no_such_method', {});
    expect(out.failure).toMatchObject({
      ActionError: { kind: { FunctionCallError: { MethodResolveError: 'MethodNotFound' } } },
    });
    const plain = await net.root.createSubAccount('plain');
    const noCode = await net.root.callRaw(plain, 'x', {});
    expect(noCode.failureMessage).toMatch(/Cannot find contract code/);
  });
});

describe('chain accessors for a JSON-RPC layer', () => {
  let net: Localnet;

  beforeEach(async () => {
    net = await Localnet.init();
  });

  it('applies signed actions with access-key and nonce checks', async () => {
    const alice = await net.root.createSubAccount('alice');
    const pk = net.keyPair(alice.accountId).publicKey;
    const key = net.chain.accessKey(alice.accountId, pk)!;
    const nonce = key.nonce + 1n;
    const out = net.executeTransaction({
      signerId: alice.accountId,
      receiverId: 'test.near',
      actions: [{ type: 'Transfer', deposit: 1n }],
      publicKey: pk,
      nonce,
      hash: 'myTxHash',
    });
    expect(out.status).toBe('success');
    expect(out.hash).toBe('myTxHash');
    expect(net.chain.transaction('myTxHash')).toBe(out);
    expect(net.chain.accessKey(alice.accountId, pk)!.nonce).toBe(nonce);
    const replay = () =>
      net.executeTransaction({
        signerId: alice.accountId,
        receiverId: 'test.near',
        actions: [{ type: 'Transfer', deposit: 1n }],
        publicKey: pk,
        nonce,
      });
    expect(replay).toThrow(InvalidTxError);
    expect(replay).toThrow(/E_INVALID_NONCE/);
    const other = net.keyPair('someone-else').publicKey;
    expect(() =>
      net.executeTransaction({
        signerId: alice.accountId,
        receiverId: 'test.near',
        actions: [],
        publicKey: other,
      }),
    ).toThrow(/E_ACCESS_KEY_NOT_FOUND/);
  });

  it('rejects a transaction the signer cannot pay for, without any effect', async () => {
    const poor = await net.root.createSubAccount('poor', { initialBalance: NEAR });
    const height = net.blockHeight();
    let error: unknown;
    try {
      net.executeTransaction({
        signerId: poor.accountId,
        receiverId: 'test.near',
        actions: [{ type: 'Transfer', deposit: 2n * NEAR }],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidTxError);
    expect((error as InvalidTxError).data).toMatchObject({
      NotEnoughBalance: { signer_id: poor.accountId },
    });
    expect(net.blockHeight()).toBe(height);
    expect((await poor.balance()).total).toBe(NEAR);
  });

  it('adds and deletes keys; function-call keys are restricted', async () => {
    const alice = await net.root.createSubAccount('alice');
    const fcKey = net.keyPair('fc-key').publicKey;
    net.executeTransaction({
      signerId: alice.accountId,
      receiverId: alice.accountId,
      actions: [
        {
          type: 'AddKey',
          publicKey: fcKey,
          accessKey: {
            nonce: 0n,
            permission: {
              FunctionCall: { allowance: null, receiverId: 'c.test.near', methodNames: ['m'] },
            },
          },
        },
      ],
    });
    expect(net.chain.accessKeys(alice.accountId).size).toBe(2);
    expect(() =>
      net.executeTransaction({
        signerId: alice.accountId,
        receiverId: 'test.near',
        actions: [{ type: 'Transfer', deposit: 1n }],
        publicKey: fcKey,
      }),
    ).toThrow(/E_REQUIRES_FULL_ACCESS/);
    const del = net.executeTransaction({
      signerId: alice.accountId,
      receiverId: alice.accountId,
      actions: [{ type: 'DeleteKey', publicKey: fcKey }],
    });
    expect(del.status).toBe('success');
    expect(net.chain.accessKey(alice.accountId, fcKey)).toBeUndefined();
  });

  it('deletes an account and sends its balance to the beneficiary', async () => {
    const alice = await net.root.createSubAccount('alice', { initialBalance: 5n * NEAR });
    const bob = await net.root.createSubAccount('bob', { initialBalance: NEAR });
    const out = await alice.delete(bob.accountId);
    expect(out.status).toBe('success');
    expect(await alice.exists()).toBe(false);
    const got = (await bob.balance()).total - NEAR;
    expect(got).toBeGreaterThan((49n * NEAR) / 10n);
    expect(got).toBeLessThan(5n * NEAR);
  });

  it('exposes blocks, account views and per-receipt outcomes', async () => {
    const c = await net.root.devDeploy(HOST_TEST, { initialBalance: 20n * NEAR });
    const before = net.chain.block();
    const out = net.executeTransaction({
      signerId: 'test.near',
      receiverId: c.accountId,
      actions: [
        {
          type: 'FunctionCall',
          methodName: 'increment',
          args: Buffer.from('{}'),
          gas: 30n * TGAS,
          deposit: 0n,
        },
      ],
    });
    const after = net.chain.block();
    expect(after.height).toBeGreaterThan(before.height);
    expect(after.prevHash).toBe(net.chain.block(after.height - 1).hash);
    expect(net.chain.blockByHash(before.hash)?.height).toBe(before.height);
    expect(net.chain.blockByHash('11111111111111111111111111111111')).toBeUndefined();
    expect(after.timestampNs).toBeGreaterThan(before.timestampNs);
    expect(out.conversion.blockHeight).toBe(before.height + 1);
    expect(out.receipts[0].blockHeight).toBe(before.height + 2);
    expect(out.receipts[0].receiptId).toBe(out.conversion.receiptId);
    expect(out.value).toBe(1);
    const view = net.chain.accountView(c.accountId)!;
    expect(view.codeHash).not.toBe('11111111111111111111111111111111');
    expect(view.storageUsage).toBeGreaterThan(600_000n);
  });
});
