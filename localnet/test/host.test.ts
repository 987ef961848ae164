// NEAR host semantics through the shared host-test contract, on every available engine.
import { type Account, CallError, InvalidTxError, Localnet, publicKeyToBytes } from '../src';
import { engines, HOST_TEST, NEAR, TGAS } from './support/fixtures';

describe.each(engines())('host semantics on the %s engine', (engine) => {
  let net: Localnet;
  let alice: Account;
  let contract: Account;

  beforeEach(async () => {
    net = await Localnet.init({ engine, epochLength: 20 });
    alice = await net.root.createSubAccount('alice', { initialBalance: 50n * NEAR });
    contract = await net.root.devDeploy(HOST_TEST, { initialBalance: 30n * NEAR });
  });

  describe('state and panics', () => {
    it('commits state of a successful call and returns its value and logs', async () => {
      const out = await alice.callRaw(contract, 'increment', { by: 3 });
      expect(out.status).toBe('success');
      expect(out.value).toBe(3);
      expect(out.logs).toEqual(['count=3']);
      expect(await contract.view('get_count')).toBe(3);
    });

    it.each(['throw', 'panic_utf8'])(
      'a %s panic rolls back storage writes but keeps the logs',
      async (mode) => {
        await alice.call(contract, 'increment', {});
        const out = await alice.callRaw(contract, 'write_then_fail', {
          key: 'k',
          value: 'v',
          message: 'boom',
          mode,
        });
        expect(out.status).toBe('failure');
        expect(out.failureMessage).toMatch(/^Smart contract panicked: boom/);
        expect(out.logs).toEqual(['about to fail']);
        expect(out.failure).toMatchObject({
          ActionError: { index: 0, kind: { FunctionCallError: {} } },
        });
        expect(await contract.view('get_value', { key: 'k' })).toBeNull();
        expect(await contract.view('get_count')).toBe(1);
      },
    );

    it('call() throws a CallError carrying the message and logs', async () => {
      const err = (await alice
        .call(contract, 'write_then_fail', { key: 'k', value: 'v', message: 'nope' })
        .catch((e) => e)) as CallError;
      expect(err).toBeInstanceOf(CallError);
      expect(err.message).toContain('Smart contract panicked: nope');
      expect(err.logs).toEqual(['about to fail']);
    });

    it('raw storage ops return the has-replaced flags of nearcore', async () => {
      expect(await alice.call(contract, 'set_value', { key: 'a', value: '1' })).toBe(false);
      expect(await alice.call(contract, 'set_value', { key: 'a', value: '2' })).toBe(true);
      expect(await contract.view('get_value', { key: 'a' })).toBe('2');
      expect(await contract.view('has_value', { key: 'a' })).toBe(true);
      expect(await alice.call(contract, 'remove_value', { key: 'a' })).toBe(true);
      expect(await alice.call(contract, 'remove_value', { key: 'a' })).toBe(false);
      expect(await contract.view('has_value', { key: 'a' })).toBe(false);
    });

    it('collections keep their entries across calls', async () => {
      expect(await alice.call(contract, 'map_set', { key: 'x', value: '1' })).toBeNull();
      expect(await alice.call(contract, 'map_set', { key: 'x', value: '2' })).toBe('1');
      await alice.call(contract, 'map_set', { key: 'y', value: '3' });
      expect(await contract.view('map_len')).toBe(2);
      expect(await alice.call(contract, 'map_remove', { key: 'x' })).toBe('2');
      expect(await contract.view('map_get', { key: 'y' })).toBe('3');
      await alice.call(contract, 'lookup_set', { key: 'l', value: 'v' });
      expect(await contract.view('lookup_has', { key: 'l' })).toBe(true);
    });

    it('more than 100 logs is a host error', async () => {
      expect((await alice.callRaw(contract, 'log_many', { count: 100 })).status).toBe('success');
      const out = await alice.callRaw(contract, 'log_many', { count: 101 });
      expect(out.status).toBe('failure');
      expect(out.failureMessage).toBe('The number of logs will exceed the limit 100');
      expect(out.logs).toHaveLength(100);
    });
  });

  describe('deposits and storage staking', () => {
    it('refunds the attached deposit of a failed call to the predecessor', async () => {
      const before = (await alice.balance()).total;
      const out = await alice.callRaw(
        contract,
        'write_then_fail',
        { key: 'k', value: 'v', message: 'refund me' },
        { attachedDeposit: 5n * NEAR },
      );
      expect(out.status).toBe('failure');
      const refund = out.receipts.find((r) => r.isRefund && r.executor === alice.accountId);
      expect(refund).toBeDefined();
      const spent = before - (await alice.balance()).total;
      expect(spent).toBeGreaterThan(0n);
      expect(spent).toBeLessThan(NEAR / 100n); // only gas
    });

    it('keeps the deposit of a successful payable call on the contract', async () => {
      const before = (await contract.balance()).total;
      expect(await alice.call(contract, 'deposit_note', {}, { attachedDeposit: 2n * NEAR })).toBe(
        (2n * NEAR).toString(),
      );
      expect((await contract.balance()).total - before).toBeGreaterThanOrEqual(2n * NEAR);
      expect(await contract.view('get_deposited')).toBe((2n * NEAR).toString());
    });

    it('fails with LackBalanceForState when storage outgrows the balance, and rolls back', async () => {
      const codeStake = (await contract.balance()).stateStaked;
      const small = await net.root.devDeploy(HOST_TEST, { initialBalance: codeStake + NEAR / 10n });
      const { available } = await small.balance();
      const bytesAffordable = Number(available / 10n ** 19n);
      expect(bytesAffordable).toBeLessThan(20_000);
      const usedBefore = await small.view('storage_used');
      const out = await alice.callRaw(
        small,
        'store_bytes',
        { key: 'big', size: bytesAffordable + 1_000 },
        { gas: 300n * TGAS },
      );
      expect(out.status).toBe('failure');
      expect(out.failure).toMatchObject({
        ActionError: { kind: { LackBalanceForState: { account_id: small.accountId } } },
      });
      expect(await small.view('storage_used')).toBe(usedBefore);
      const ok = await alice.callRaw(small, 'store_bytes', { key: 'small', size: 100 });
      expect(ok.status).toBe('success');
    });
  });

  describe('promises', () => {
    const target = (method: string, args: unknown = {}) => ({
      account_id: contract.accountId,
      method,
      args,
    });

    it('a callback sees the callee value, one block later', async () => {
      const out = await alice.callRaw(contract, 'call_other', target('echo', { value: 'hi' }), {
        gas: 100n * TGAS,
      });
      expect(out.status).toBe('success');
      expect(out.value).toEqual({
        label: 'call_other',
        count: 1,
        results: [{ status: 'successful', value: '"hi"' }],
      });
      expect(out.logs).toEqual(['echo']);
      const heights = out.transaction.receipts.filter((r) => !r.isRefund).map((r) => r.blockHeight);
      expect(heights).toEqual([heights[0], heights[0] + 1, heights[0] + 2]);
    });

    it('a callback sees a failed callee, and the transaction still succeeds', async () => {
      const out = await alice.callRaw(
        contract,
        'call_other',
        target('fail_with', { message: 'x' }),
        {
          gas: 100n * TGAS,
        },
      );
      expect(out.status).toBe('success');
      expect(out.value).toMatchObject({ count: 1, results: [{ status: 'failed', value: null }] });
      expect(out.receipts.some((r) => r.status === 'failure')).toBe(true);
    });

    it('and() joins two promises: the callback gets both results in order', async () => {
      const out = await alice.callRaw(
        contract,
        'call_pair',
        { a: target('echo', { value: 1 }), b: target('fail_with', { message: 'b' }) },
        { gas: 150n * TGAS },
      );
      expect(out.value).toMatchObject({
        label: 'call_pair',
        count: 2,
        results: [
          { status: 'successful', value: '1' },
          { status: 'failed', value: null },
        ],
      });
    });

    it('promise_return forwards the final value (and the final failure)', async () => {
      const ok = await alice.callRaw(contract, 'forward_call', target('echo', { value: 'fwd' }), {
        gas: 60n * TGAS,
      });
      expect(ok.status).toBe('success');
      expect(ok.value).toBe('fwd');
      const bad = await alice.callRaw(
        contract,
        'forward_call',
        target('fail_with', { message: 'deep' }),
        {
          gas: 60n * TGAS,
        },
      );
      expect(bad.status).toBe('failure');
      expect(bad.failureMessage).toMatch(/^Smart contract panicked: deep/);
    });

    it('returning a joint promise is a host error', async () => {
      const out = await alice.callRaw(
        contract,
        'return_joint',
        { a: target('echo', { value: 1 }), b: target('echo', { value: 2 }) },
        { gas: 100n * TGAS },
      );
      expect(out.status).toBe('failure');
      expect(out.failureMessage).toBe('Returning joint promise is currently prohibited');
    });

    it('gas attached to new receipts is bounded by the prepaid gas', async () => {
      const out = await alice.callRaw(contract, 'call_other', target('echo', { value: 1 }), {
        gas: 40n * TGAS,
      });
      expect(out.status).toBe('failure');
      expect(out.failureMessage).toBe('Exceeded the prepaid gas.');
    });

    it('a transfer to a missing account fails and the amount comes back', async () => {
      const before = (await contract.balance()).total;
      const out = await alice.callRaw(
        contract,
        'transfer_to',
        { receiver_id: 'nobody.test.near', amount: NEAR.toString(), report: true },
        { gas: 100n * TGAS },
      );
      expect(out.value).toMatchObject({ results: [{ status: 'failed' }] });
      const failed = out.receipts.find((r) => r.executor === 'nobody.test.near');
      expect(failed?.failureMessage).toContain('does not exist');
      expect(out.receipts.some((r) => r.isRefund && r.executor === contract.accountId)).toBe(true);
      // Back in full (plus the contract's 30% gas reward).
      expect((await contract.balance()).total).toBeGreaterThanOrEqual(before);
    });
  });

  describe('view calls', () => {
    it.each([
      ['view_predecessor', 'predecessor_account_id is not allowed in view calls'],
      ['view_write', 'storage_write is not allowed in view calls'],
    ])('%s fails with ProhibitedInView', async (method, message) => {
      await expect(contract.view(method)).rejects.toThrow(message);
    });

    it('the same host calls are allowed when the method runs in a transaction', async () => {
      expect((await alice.callRaw(contract, 'view_write', {})).status).toBe('success');
      expect(await alice.call(contract, 'view_predecessor', {})).toBe(alice.accountId);
    });

    it('allowed context is visible in views', async () => {
      const ctx = (await contract.view('context_view', { validator_id: 'test.near' })) as Record<
        string,
        string
      >;
      expect(ctx.current_account_id).toBe(contract.accountId);
      expect(BigInt(ctx.block_height)).toBe(BigInt(net.blockHeight()));
      expect(BigInt(ctx.validator_stake)).toBe(50_000n * NEAR);
      expect(BigInt(ctx.validator_total_stake)).toBe(50_000n * NEAR);
      expect(ctx.random_seed).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe('context and crypto', () => {
    it('reports signer, predecessor, deposit and gas of a call', async () => {
      const ctx = (await alice.call(
        contract,
        'context_call',
        {},
        {
          attachedDeposit: 7n,
          gas: 50n * TGAS,
        },
      )) as Record<string, string>;
      expect(ctx.predecessor_account_id).toBe(alice.accountId);
      expect(ctx.signer_account_id).toBe(alice.accountId);
      expect(ctx.attached_deposit).toBe('7');
      expect(ctx.prepaid_gas).toBe((50n * TGAS).toString());
      expect(BigInt(ctx.used_gas)).toBeGreaterThan(0n);
      expect(BigInt(ctx.used_gas)).toBeLessThan(50n * TGAS);
      const { publicKey } = net.keyPair(alice.accountId);
      expect(ctx.signer_account_pk).toBe(Buffer.from(publicKeyToBytes(publicKey)).toString('hex'));
    });

    it('hashes match the standard test vectors', async () => {
      expect(await contract.view('hashes', { data: 'abc' })).toEqual({
        sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
        keccak256: '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
        keccak512:
          '18587dc2ea106b9a1563e32b3312421ca164c7f1f07bc922a9c83d77cea3a1e5d0c69910739025372dc14ac9642629379540c17e2a65b19d77aa511a9d00bb96',
        ripemd160: '8eb208f7e05d987a9b044a8e98c6b087f15a0bfc',
      });
    });
  });

  describe('gas', () => {
    it('a minimal call costs about 2–5 Tgas in total (QuickJS pre-initialised; vm calibrated to it)', async () => {
      const out = await alice.callRaw(contract, 'increment', {});
      // fees (~1 Tgas) + code loading (~1 Tgas for 880 KB) + the method; the call no longer
      // starts QuickJS (~22 Tgas before the build's pre-initialisation)
      expect(out.gasBurnt).toBeGreaterThan(3n * (TGAS / 2n));
      expect(out.gasBurnt).toBeLessThan(5n * TGAS);
    });

    it('a loop that outruns its gas fails with "Exceeded the prepaid gas."', async () => {
      const out = await alice.callRaw(
        contract,
        'burn_gas',
        { iterations: 50_000_000 },
        {
          gas: 30n * TGAS,
        },
      );
      expect(out.status).toBe('failure');
      expect(out.failureMessage).toBe('Exceeded the prepaid gas.');
      expect(out.failure).toMatchObject({
        ActionError: { kind: { FunctionCallError: { HostError: 'GasExceeded' } } },
      });
      // All prepaid gas is burnt by the receipt.
      expect(out.receipts[0].gasBurnt).toBeGreaterThanOrEqual(30n * TGAS);
    });

    it('more gas means more work: gas grows with the iterations', async () => {
      const small = await alice.callRaw(contract, 'burn_gas', { iterations: 1_000 });
      const large = await alice.callRaw(
        contract,
        'burn_gas',
        { iterations: 10_000 },
        {
          gas: 300n * TGAS,
        },
      );
      expect(large.status).toBe('success');
      expect(large.gasBurnt).toBeGreaterThan(small.gasBurnt + TGAS);
    });

    it('rejects a transaction above the 300 Tgas cap; 1 Pgas is selectable', async () => {
      const call = () => alice.callRaw(contract, 'increment', {}, { gas: 301n * TGAS });
      await expect(call()).rejects.toBeInstanceOf(InvalidTxError);
      await expect(call()).rejects.toMatchObject({
        data: { ActionsValidation: { TotalPrepaidGasExceeded: { limit: 300e12 } } },
      });
      const big = await Localnet.init({ engine, maxGasPerTx: 10n ** 15n });
      const c = await big.root.devDeploy(HOST_TEST, { initialBalance: 30n * NEAR });
      const out = await big.root.callRaw(c, 'increment', {}, { gas: 301n * TGAS });
      expect(out.status).toBe('success');
    });

    it('refunds unused gas to the signer', async () => {
      const before = (await alice.balance()).total;
      const out = await alice.callRaw(contract, 'increment', {}, { gas: 300n * TGAS });
      const spent = before - (await alice.balance()).total;
      expect(spent).toBe(out.gasBurnt * 100_000_000n);
      expect(out.receipts.some((r) => r.isRefund && r.executor === alice.accountId)).toBe(true);
    });
  });

  describe('staking from a contract', () => {
    it('a stake action locks balance now and makes a validator two epochs later', async () => {
      const { publicKey } = net.keyPair(contract.accountId);
      await alice.call(
        contract,
        'do_stake',
        { amount: (10n * NEAR).toString(), public_key: publicKey },
        { gas: 150n * TGAS },
      );
      expect((await contract.balance()).staked).toBe(10n * NEAR);
      const stakeOf = async () =>
        BigInt(
          (
            (await contract.view('context_view', { validator_id: contract.accountId })) as {
              validator_stake: string;
            }
          ).validator_stake,
        );
      expect(await stakeOf()).toBe(0n);
      await net.fastForwardEpochs(1);
      expect(await stakeOf()).toBe(0n);
      await net.fastForwardEpochs(1);
      expect(await stakeOf()).toBe(10n * NEAR);
    });
  });
});
