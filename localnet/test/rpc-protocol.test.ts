// The JSON-RPC layer against a scripted chain, driven by near-api-js 7 and by raw HTTP: response
// shapes near-api-js parses, nearcore error envelopes, signature and nonce checks.
import { nearApi, nearApiRpcErrors } from '../src/rpc/nearApi';
import { type RpcServer, startServerForChain } from '../src/rpc/server';
import { FakeChain } from './rpcFakeChain';
import { postRpc } from './rpcPost';

// Generous: the machine is shared, and loading near-api-js the first time takes a while.
jest.setTimeout(30_000);

const api = nearApi();
const errors = nearApiRpcErrors();
const NEAR = 10n ** 24n;

let chain: FakeChain;
let server: RpcServer;
let provider: InstanceType<typeof api.JsonRpcProvider>;
const rootKey = api.KeyPair.fromRandom('ed25519');

const rawRpc = (body: string) => postRpc(server.url, body);

function rpc(method: string, params: unknown) {
  return rawRpc(JSON.stringify({ jsonrpc: '2.0', id: 'x1', method, params }));
}

/** A signed transfer from root, built with near-api-js, as base64. */
async function signedTransfer(
  nonce: bigint,
  key = rootKey,
  signerId = 'test.near',
  amount = 1n,
): Promise<string> {
  const block = await provider.viewBlock({ finality: 'final' });
  const tx = api.createTransaction(
    signerId,
    key.getPublicKey(),
    'test.near',
    nonce,
    [api.actions.transfer(amount)],
    api.baseDecode(block.header.hash),
  );
  const { signedTransaction } = await new api.KeyPairSigner(key).signTransaction(tx);
  return api.base64Encode(api.encodeTransaction(signedTransaction));
}

beforeEach(async () => {
  chain = new FakeChain();
  chain.addAccount('test.near', 1000n * NEAR, rootKey.getPublicKey().toString());
  chain.addAccount(
    'counter.test.near',
    10n * NEAR,
    api.KeyPair.fromRandom('ed25519').getPublicKey().toString(),
  );
  let count = 0;
  chain.addContract('counter.test.near', {
    get: () => count,
    increment: (args, logs) => {
      count += (args as { by?: number }).by ?? 1;
      logs.push(`count is ${count}`);
      return count;
    },
    boom: () => {
      throw new Error('boom');
    },
  });
  server = await startServerForChain(chain, { port: 0 });
  provider = new api.JsonRpcProvider({ url: server.url });
});

afterEach(async () => {
  await server.close();
});

describe('near-api-js reads', () => {
  test('status, block, gas price and account views parse', async () => {
    const status = await provider.viewNodeStatus();
    expect(status.chain_id).toBe('localnet');
    expect(status.sync_info.latest_block_height).toBe(chain.head().height);

    const block = await provider.viewBlock({ finality: 'final' });
    expect(block.header.hash).toBe(chain.head().hash);
    const byHeight = await provider.viewBlock({ blockId: 0 });
    expect(byHeight.header.height).toBe(0);

    expect((await provider.viewGasPrice()).gas_price).toBe('100000000');

    const account = await provider.viewAccount({ accountId: 'test.near' });
    expect(account.amount).toBe(1000n * NEAR);
    const state = await new api.Account('test.near', provider).getState();
    expect(state.balance.total).toBe(1000n * NEAR);
  });

  test('call_function returns the parsed value; view failures are typed errors', async () => {
    expect(
      await provider.callFunction({ contractId: 'counter.test.near', method: 'get', args: {} }),
    ).toBe(0);
    await expect(
      provider.callFunction({ contractId: 'counter.test.near', method: 'boom', args: {} }),
    ).rejects.toThrow(
      new errors.ContractExecutionError('Smart contract panicked: boom', '', 0).message,
    );
    await expect(
      provider.callFunction({ contractId: 'counter.test.near', method: 'boom', args: {} }),
    ).rejects.toBeInstanceOf(errors.ContractExecutionError);
    await expect(
      provider.callFunction({ contractId: 'counter.test.near', method: 'nope', args: {} }),
    ).rejects.toBeInstanceOf(errors.ContractMethodNotFoundError);
    await expect(
      provider.callFunction({ contractId: 'test.near', method: 'get', args: {} }),
    ).rejects.toBeInstanceOf(errors.ContractCodeDoesNotExistError);
    await expect(provider.viewAccount({ accountId: 'ghost.near' })).rejects.toBeInstanceOf(
      errors.AccountDoesNotExistError,
    );
  });

  test('access keys: list, single, and a missing key as AccessKeyDoesNotExistError', async () => {
    const pk = rootKey.getPublicKey();
    const key = await provider.viewAccessKey({ accountId: 'test.near', publicKey: pk });
    expect(key.nonce).toBe(0n);
    expect(key.permission).toBe('FullAccess');
    const list = await provider.viewAccessKeyList({ accountId: 'test.near' });
    expect(list.keys.map((k: { public_key: string }) => k.public_key)).toEqual([pk.toString()]);
    await expect(
      provider.viewAccessKey({
        accountId: 'test.near',
        publicKey: api.KeyPair.fromRandom('ed25519').getPublicKey(),
      }),
    ).rejects.toBeInstanceOf(errors.AccessKeyDoesNotExistError);
  });
});

describe('nearcore shapes for the other reads', () => {
  test('block and gas_price by hash, protocol config, validators, view_state, view_code', async () => {
    const head = chain.head();
    expect((await provider.viewBlock({ blockId: head.hash })).header.height).toBe(head.height);
    expect((await rpc('gas_price', [head.hash])).json.result).toEqual({ gas_price: '100000000' });
    const config = await provider.experimental_protocolConfig({ finality: 'final' });
    expect(config.runtime_config?.storage_amount_per_byte).toBe('10000000000000000000');
    expect((await provider.viewValidators()).epoch_height).toBe(0);

    chain.accounts.get('counter.test.near')?.storage.set('STATE', '{"n":1}');
    chain.accounts.get('counter.test.near')?.storage.set('other', 'x');
    const state = await new api.Account('counter.test.near', provider).getContractState('ST');
    expect(state.values).toEqual([
      {
        key: Buffer.from('STATE').toString('base64'),
        value: Buffer.from('{"n":1}').toString('base64'),
      },
    ]);
    const code = await provider.viewContractCode({ contractId: 'counter.test.near' });
    expect(Buffer.from(code.code).toString()).toBe('get,increment,boom');
    await expect(provider.viewContractCode({ contractId: 'test.near' })).rejects.toBeInstanceOf(
      errors.ContractCodeDoesNotExistError,
    );
  });

  test('bad query params are PARSE_ERROR or INVALID_ACCOUNT, with nearcore wording', async () => {
    const missing = await rpc('query', { request_type: 'view_account', finality: 'final' });
    expect(missing.json.error).toMatchObject({
      cause: {
        name: 'PARSE_ERROR',
        info: { error_message: 'Failed parsing args: missing field `account_id`' },
      },
    });
    const badType = await rpc('query', { request_type: 'view_everything', finality: 'final' });
    expect(badType.json.error?.cause.name).toBe('PARSE_ERROR');
    const badFinality = await rpc('block', { finality: 'eventually' });
    expect(badFinality.json.error?.cause.name).toBe('PARSE_ERROR');
    const invalid = await rpc('query', {
      request_type: 'view_account',
      account_id: 'Not Valid',
      finality: 'final',
    });
    expect(invalid.json.error).toMatchObject({
      name: 'HANDLER_ERROR',
      cause: { name: 'INVALID_ACCOUNT', info: { requested_account_id: 'Not Valid' } },
    });
  });

  test('send_tx with wait_until NONE executes and answers only the status level', async () => {
    const reply = await rpc('send_tx', {
      signed_tx_base64: await signedTransfer(1n),
      wait_until: 'NONE',
    });
    expect(reply.json.result).toEqual({ final_execution_status: 'NONE' });
    const key = await provider.viewAccessKey({
      accountId: 'test.near',
      publicKey: rootKey.getPublicKey(),
    });
    expect(key.nonce).toBe(1n);
    const hash = (await rpc('broadcast_tx_async', [await signedTransfer(2n)])).json.result;
    expect(typeof hash).toBe('string');
    const status = await provider.viewTransactionStatus({
      txHash: hash as unknown as string,
      accountId: 'test.near',
    });
    expect(status.status).toEqual({ SuccessValue: '' });
  });
});

describe('near-api-js transactions', () => {
  test('callFunction returns the value, logs appear in receipts_outcome, failures throw', async () => {
    const root = new api.Account('test.near', provider, new api.KeyPairSigner(rootKey));
    expect(
      await root.callFunction({
        contractId: 'counter.test.near',
        methodName: 'increment',
        args: { by: 5 },
      }),
    ).toBe(5);
    const outcome = await root.callFunctionRaw({
      contractId: 'counter.test.near',
      methodName: 'increment',
      args: {},
    });
    expect(outcome.receipts_outcome[0].outcome.logs).toEqual(['count is 6']);
    expect(outcome.transaction.signer_id).toBe('test.near');
    expect(outcome.transaction_outcome.outcome.executor_id).toBe('test.near');
    expect(
      await provider.callFunction({ contractId: 'counter.test.near', method: 'get', args: {} }),
    ).toBe(6);

    await expect(
      root.callFunction({ contractId: 'counter.test.near', methodName: 'boom', args: {} }),
    ).rejects.toThrow('Smart contract panicked: boom');

    const status = await provider.viewTransactionStatus({
      txHash: outcome.transaction_outcome.id,
      accountId: 'test.near',
    });
    expect(status.receipts_outcome[0].outcome.logs).toEqual(['count is 6']);
  });

  test('createSubAccount then the new account signs with its own key', async () => {
    const root = new api.Account('test.near', provider, new api.KeyPairSigner(rootKey));
    const aliceKey = api.KeyPair.fromRandom('ed25519');
    await root.createSubAccount({
      accountOrPrefix: 'alice',
      publicKey: aliceKey.getPublicKey(),
      nearToTransfer: 5n * NEAR,
    });
    expect((await provider.viewAccount({ accountId: 'alice.test.near' })).amount).toBe(5n * NEAR);
    const alice = new api.Account('alice.test.near', provider, new api.KeyPairSigner(aliceKey));
    await alice.transfer({ receiverId: 'test.near', amount: NEAR });
    expect((await provider.viewAccount({ accountId: 'alice.test.near' })).amount < 4n * NEAR).toBe(
      true,
    );
  });

  test('a stale cached nonce is retried by near-api-js after InvalidNonce', async () => {
    const first = new api.Account('test.near', provider, new api.KeyPairSigner(rootKey));
    const second = new api.Account('test.near', provider, new api.KeyPairSigner(rootKey));
    await first.transfer({ receiverId: 'counter.test.near', amount: 1n });
    await second.transfer({ receiverId: 'counter.test.near', amount: 1n }); // caches nonce 2
    await first.transfer({ receiverId: 'counter.test.near', amount: 1n }); // cached 2: stale, retried
    const key = await provider.viewAccessKey({
      accountId: 'test.near',
      publicKey: rootKey.getPublicKey(),
    });
    expect(key.nonce).toBe(3n);
  });

  test('a key that is not on chain fails before sending', async () => {
    const stranger = new api.Account(
      'test.near',
      provider,
      new api.KeyPairSigner(api.KeyPair.fromRandom('ed25519')),
    );
    await expect(
      stranger.transfer({ receiverId: 'counter.test.near', amount: 1n }),
    ).rejects.toBeInstanceOf(errors.AccessKeyDoesNotExistError);
  });
});

describe('bad input gets nearcore-shaped JSON-RPC errors and the server keeps serving', () => {
  test('malformed JSON and unknown method', async () => {
    const bad = await rawRpc('{"jsonrpc":"2.0","id":"1","method":');
    expect(bad.httpStatus).toBe(200);
    expect(bad.json.error).toMatchObject({
      name: 'REQUEST_VALIDATION_ERROR',
      cause: { name: 'PARSE_ERROR' },
      code: -32700,
    });

    const unknown = await rpc('no_such_method', []);
    expect(unknown.httpStatus).toBe(200);
    expect(unknown.json.id).toBe('x1');
    expect(unknown.json.error).toMatchObject({
      name: 'REQUEST_VALIDATION_ERROR',
      cause: { name: 'METHOD_NOT_FOUND', info: { method_name: 'no_such_method' } },
    });
    // sendJsonRpc is typed to nearcore's method names; an unknown one is the point here.
    const sendAny = provider.sendJsonRpc.bind(provider) as (
      method: string,
      params: unknown,
    ) => Promise<unknown>;
    await expect(sendAny('no_such_method', [])).rejects.toBeInstanceOf(
      errors.RpcMethodNotFoundError,
    );

    const garbage = await rpc('send_tx', { signed_tx_base64: 'AAAA' });
    expect(garbage.json.error?.cause.name).toBe('PARSE_ERROR');
    expect((await provider.viewNodeStatus()).chain_id).toBe('localnet');
  });

  test('bad signature, stale nonce, unknown signer', async () => {
    const good = Buffer.from(await signedTransfer(1n), 'base64');
    const tampered = Buffer.from(good);
    tampered[tampered.length - 1] ^= 0xff;
    const badSig = await rpc('send_tx', { signed_tx_base64: tampered.toString('base64') });
    expect(badSig.httpStatus).toBe(200);
    expect(badSig.json.error).toMatchObject({
      name: 'HANDLER_ERROR',
      cause: { name: 'INVALID_TRANSACTION' },
      data: { TxExecutionError: { InvalidTxError: 'InvalidSignature' } },
    });

    const ok = await rpc('broadcast_tx_commit', [good.toString('base64')]);
    expect(ok.json.result?.status).toEqual({ SuccessValue: '' });

    // Resending the same signed bytes is idempotent (nearcore returns the known outcome)...
    const balance = chain.accounts.get('test.near')?.amount;
    const resent = await rpc('send_tx', { signed_tx_base64: good.toString('base64') });
    expect(resent.json.result?.transaction_outcome).toEqual(ok.json.result?.transaction_outcome);
    expect(chain.accounts.get('test.near')?.amount).toBe(balance);
    // ...but another transaction with a used nonce is InvalidNonce.
    const stale = await signedTransfer(1n, rootKey, 'test.near', 2n);
    const staleReply = await rpc('send_tx', { signed_tx_base64: stale });
    expect(staleReply.json.error?.data).toEqual({
      TxExecutionError: { InvalidTxError: { InvalidNonce: { ak_nonce: 1, tx_nonce: 1 } } },
    });
    await expect(
      provider.sendJsonRpc('send_tx', { signed_tx_base64: stale }),
    ).rejects.toBeInstanceOf(errors.InvalidNonceError);

    const ghostKey = api.KeyPair.fromRandom('ed25519');
    const ghost = await rpc('send_tx', {
      signed_tx_base64: await signedTransfer(1n, ghostKey, 'ghost.near'),
    });
    expect(ghost.json.error?.data).toEqual({
      TxExecutionError: { InvalidTxError: { SignerDoesNotExist: { signer_id: 'ghost.near' } } },
    });

    const unknownAccount = await rpc('query', {
      request_type: 'view_account',
      account_id: 'ghost.near',
      finality: 'final',
    });
    expect(unknownAccount.json.error).toMatchObject({
      name: 'HANDLER_ERROR',
      cause: { name: 'UNKNOWN_ACCOUNT', info: { requested_account_id: 'ghost.near' } },
    });
    expect((await provider.viewAccount({ accountId: 'test.near' })).amount > 0n).toBe(true);
  });

  test('a crash inside the chain is INTERNAL_ERROR for that request only', async () => {
    chain.view = () => {
      throw new Error('engine exploded');
    };
    const crashed = await rpc('query', {
      request_type: 'call_function',
      account_id: 'counter.test.near',
      method_name: 'get',
      args_base64: '',
      finality: 'final',
    });
    expect(crashed.httpStatus).toBe(200);
    expect(crashed.json.error).toMatchObject({
      name: 'INTERNAL_ERROR',
      cause: {
        name: 'INTERNAL_ERROR',
        info: { error_message: 'E_LOCALNET_INTERNAL: engine exploded' },
      },
    });
    await expect(
      provider.callFunction({ contractId: 'counter.test.near', method: 'get', args: {} }),
    ).rejects.toBeInstanceOf(errors.InternalRpcError);
    expect((await provider.viewAccount({ accountId: 'test.near' })).amount).toBe(1000n * NEAR);
  });

  test('not enough balance is NotEnoughBalance; unknown tx and block are typed', async () => {
    const root = new api.Account('test.near', provider, new api.KeyPairSigner(rootKey));
    await expect(
      root.transfer({ receiverId: 'counter.test.near', amount: 2000n * NEAR }),
    ).rejects.toBeInstanceOf(errors.NotEnoughBalanceError);
    await expect(
      provider.viewTransactionStatus({
        txHash: '11111111111111111111111111111111',
        accountId: 'test.near',
      }),
    ).rejects.toBeInstanceOf(errors.UnknownTransactionError);
    await expect(provider.viewBlock({ blockId: 99999 })).rejects.toBeInstanceOf(
      errors.UnknownBlockError,
    );
  });
});
