// End to end: a real Localnet behind the JSON-RPC server, driven only through near-api-js 7
// (JsonRpcProvider, Account, KeyPairSigner) plus raw HTTP for malformed requests.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadWasmEngine, wasmEngineUnavailableReason } from '../src/engine/index';
import { Localnet } from '../src/localnet';
import {
  addSigningKey,
  createAccountWithKey,
  type RpcServer,
  startRpcServer,
} from '../src/rpc/index';
import { nearApi, nearApiRpcErrors } from '../src/rpc/nearApi';
import { postRpc } from './rpcPost';

// Deploys instrument the contract for gas metering on first use: slow on a busy 2-core machine.
jest.setTimeout(60_000);

const api = nearApi();
const errors = nearApiRpcErrors();
const NEAR = 10n ** 24n;

/** The host-test contract (`.js` bundle or `.wasm`): the contracts build if present, else localnet's fixture. */
function hostTestBundle(ext: 'js' | 'wasm' = 'js'): Uint8Array {
  const candidates = [
    path.join(__dirname, `../../contracts/build/host-test.${ext}`),
    path.join(__dirname, `fixtures/host-test.${ext}`),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found)
    throw new Error(`E_FIXTURE_MISSING: none of ${candidates.join(', ')}; run make contracts`);
  return new Uint8Array(fs.readFileSync(found));
}

let net: Localnet;
let server: RpcServer;
let provider: InstanceType<typeof api.JsonRpcProvider>;
let root: InstanceType<typeof api.Account>;
let rootKey: InstanceType<typeof api.KeyPairEd25519>;

const post = (body: string) => postRpc(server.url, body);

beforeAll(async () => {
  net = await Localnet.init({ engine: 'vm' });
  rootKey = addSigningKey(net, 'test.near').keyPair;
  server = await startRpcServer(net, { port: 0 });
  provider = new api.JsonRpcProvider({ url: server.url });
  root = new api.Account('test.near', provider, new api.KeyPairSigner(rootKey));
});

afterAll(async () => {
  await server?.close();
});

describe('near-api-js against localnet', () => {
  const appKey = api.KeyPair.fromRandom('ed25519');
  const code = hostTestBundle();

  test('createSubAccount (CreateAccount + Transfer + AddKey) makes a funded account with that key', async () => {
    const outcome = await root.createSubAccount({
      accountOrPrefix: 'app',
      publicKey: appKey.getPublicKey(),
      nearToTransfer: 50n * NEAR,
    });
    expect(outcome.transaction.actions).toEqual([
      'CreateAccount',
      { Transfer: { deposit: (50n * NEAR).toString() } },
      {
        AddKey: {
          public_key: appKey.getPublicKey().toString(),
          access_key: { nonce: 0, permission: 'FullAccess' },
        },
      },
    ]);
    const view = await provider.viewAccount({ accountId: 'app.test.near' });
    expect(view.amount).toBe(50n * NEAR);
    const keys = await new api.Account('app.test.near', provider).getAccessKeyList();
    expect(keys.keys.map((k: { public_key: string }) => k.public_key)).toEqual([
      appKey.getPublicKey().toString(),
    ]);
  });

  test('the new account deploys the JS bundle, then calls and views work', async () => {
    const app = new api.Account('app.test.near', provider, new api.KeyPairSigner(appKey));
    await app.deployContract(code);
    const state = await app.getState();
    expect(state.codeHash).toBe(
      api.baseEncode(new Uint8Array(createHash('sha256').update(code).digest())),
    );
    const fetched = await app.getContractCode();
    expect(Buffer.from(fetched.code).equals(Buffer.from(code))).toBe(true);

    expect(
      await root.callFunction({
        contractId: 'app.test.near',
        methodName: 'increment',
        args: { by: 2 },
      }),
    ).toBe(2);
    const raw = await root.callFunctionRaw({
      contractId: 'app.test.near',
      methodName: 'increment',
      args: {},
    });
    expect(
      raw.receipts_outcome.flatMap((r: { outcome: { logs: string[] } }) => r.outcome.logs),
    ).toContain('count=3');
    expect(Number(raw.transaction_outcome.outcome.gas_burnt)).toBeGreaterThan(0);
    expect(
      await provider.callFunction({ contractId: 'app.test.near', method: 'get_count', args: {} }),
    ).toBe(3);

    const storage = await app.getContractState();
    const keys = storage.values.map((v: { key: string }) =>
      Buffer.from(v.key, 'base64').toString(),
    );
    expect(keys).toContain('STATE');

    const status = await provider.viewTransactionStatus({
      txHash: raw.transaction_outcome.id,
      accountId: 'test.near',
    });
    expect(status.status).toEqual(raw.status);
    const withReceipts = await provider.viewTransactionStatusWithReceipts({
      txHash: raw.transaction_outcome.id,
      accountId: 'test.near',
    });
    const { receipts } = withReceipts as unknown as { receipts: Array<{ receiver_id: string }> };
    const call = receipts.find((r: { receiver_id: string }) => r.receiver_id === 'app.test.near');
    expect(call).toMatchObject({
      predecessor_id: 'test.near',
      receipt: {
        Action: {
          signer_id: 'test.near',
          actions: [{ FunctionCall: { method_name: 'increment' } }],
        },
      },
    });
  });

  test('a function-call access key may call only its contract and methods', async () => {
    const app = new api.Account('app.test.near', provider, new api.KeyPairSigner(appKey));
    const limitedKey = api.KeyPair.fromRandom('ed25519');
    await app.addFunctionCallAccessKey({
      publicKey: limitedKey.getPublicKey(),
      contractId: 'app.test.near',
      methodNames: ['increment'],
    });
    const listed = await app.getAccessKey(limitedKey.getPublicKey());
    expect(listed.permission).toEqual({
      FunctionCall: {
        allowance: (25n * 10n ** 22n).toString(),
        receiver_id: 'app.test.near',
        method_names: ['increment'],
      },
    });
    const limited = new api.Account('app.test.near', provider, new api.KeyPairSigner(limitedKey));
    const count = await limited.callFunction({
      contractId: 'app.test.near',
      methodName: 'increment',
      args: {},
    });
    await expect(
      limited.callFunction({
        contractId: 'app.test.near',
        methodName: 'set_value',
        args: { key: 'a', value: 'b' },
      }),
    ).rejects.toBeInstanceOf(errors.AccessKeyMethodNameMismatchActionError);
    await expect(limited.transfer({ receiverId: 'test.near', amount: 1n })).rejects.toBeInstanceOf(
      errors.AccessKeyRequiresFullAccessActionError,
    );
    // Undo the extra increment so later tests see the counter the full-access calls produced.
    expect(count).toBe(4);
    await app.callFunction({
      contractId: 'app.test.near',
      methodName: 'increment',
      args: { by: -1 },
    });
  });

  test('createAccountWithKey registers a key near-api-js can sign with', async () => {
    const bob = createAccountWithKey(net, 'bob.test.near', 5n * NEAR);
    expect(bob.publicKey).toBe(bob.keyPair.getPublicKey().toString());
    const account = new api.Account(
      bob.accountId,
      provider,
      api.KeyPairSigner.fromSecretKey(bob.secretKey),
    );
    await account.transfer({ receiverId: 'app.test.near', amount: NEAR });
    const left = (await provider.viewAccount({ accountId: 'bob.test.near' })).amount;
    expect(left < 4n * NEAR && left > 3n * NEAR).toBe(true);
    expect(() => createAccountWithKey(net, 'bob.test.near', 1n)).toThrow(
      /^E_CREATE_ACCOUNT_FAILED: /,
    );
  });

  test('sandbox_fast_forward produces blocks', async () => {
    const before = (await provider.viewBlock({ finality: 'final' })).header.height;
    const send = provider.sendJsonRpc.bind(provider) as (
      method: string,
      params: unknown,
    ) => Promise<unknown>;
    await send('sandbox_fast_forward', { delta_height: 1200 });
    expect((await provider.viewBlock({ finality: 'final' })).header.height).toBe(before + 1200);
    expect(await root.getBalance()).toBeGreaterThan(0n);
  });

  const wasmReady = loadWasmEngine() !== undefined;
  (wasmReady ? test : test.skip)(
    `DeployContract with .wasm bytes runs on the wasm engine${wasmReady ? '' : ` (skipped: ${wasmEngineUnavailableReason()})`}`,
    async () => {
      const wasmKey = api.KeyPair.fromRandom('ed25519');
      await root.createSubAccount({
        accountOrPrefix: 'wasm',
        publicKey: wasmKey.getPublicKey(),
        nearToTransfer: 50n * NEAR,
      });
      const wasm = new api.Account('wasm.test.near', provider, new api.KeyPairSigner(wasmKey));
      await wasm.deployContract(hostTestBundle('wasm'));
      expect(
        await root.callFunction({
          contractId: 'wasm.test.near',
          methodName: 'increment',
          args: { by: 7 },
        }),
      ).toBe(7);
      expect(
        await provider.callFunction({
          contractId: 'wasm.test.near',
          method: 'get_count',
          args: {},
        }),
      ).toBe(7);
    },
  );

  test('a failing call throws a typed error and changes no state', async () => {
    await expect(
      root.callFunction({
        contractId: 'app.test.near',
        methodName: 'write_then_fail',
        args: { key: 'k', value: 'v', message: 'out of cheese' },
      }),
    ).rejects.toThrow(errors.ContractExecutionError);
    await expect(
      root.callFunction({
        contractId: 'app.test.near',
        methodName: 'write_then_fail',
        args: { key: 'k', value: 'v', message: 'out of cheese' },
      }),
    ).rejects.toThrow('Smart contract panicked: out of cheese');
    expect(
      await provider.callFunction({ contractId: 'app.test.near', method: 'get_count', args: {} }),
    ).toBe(3);
    expect(
      await provider.callFunction({
        contractId: 'app.test.near',
        method: 'get_value',
        args: { key: 'k' },
      }),
    ).toBe(null);
  });

  test('a failing view gives a clear, typed near-api-js error', async () => {
    // A view whose contract code throws (near-sdk-js cannot parse the arguments).
    const badArgs = provider.callFunction({
      contractId: 'app.test.near',
      method: 'get_value',
      args: new TextEncoder().encode('{not json'),
    });
    await expect(badArgs).rejects.toBeInstanceOf(errors.ContractExecutionError);
    await expect(
      provider.callFunction({
        contractId: 'app.test.near',
        method: 'get_value',
        args: new TextEncoder().encode('{'),
      }),
    ).rejects.toThrow(/^Smart contract panicked: .*JSON/);
    // Viewing a @call method: near-sdk-js reads the deposit, which nearcore prohibits in views.
    await expect(
      provider.callFunction({
        contractId: 'app.test.near',
        method: 'fail_with',
        args: { message: 'x' },
      }),
    ).rejects.toThrow('Method attached_deposit is prohibited in view calls');
    await expect(
      provider.callFunction({ contractId: 'app.test.near', method: 'view_write', args: {} }),
    ).rejects.toBeInstanceOf(errors.HostProhibitedInViewError);
    await expect(
      provider.callFunction({ contractId: 'app.test.near', method: 'no_such_method', args: {} }),
    ).rejects.toBeInstanceOf(errors.ContractMethodNotFoundError);
    await expect(
      provider.callFunction({ contractId: 'test.near', method: 'get_count', args: {} }),
    ).rejects.toBeInstanceOf(errors.ContractCodeDoesNotExistError);
    await expect(
      provider.callFunction({ contractId: 'ghost.test.near', method: 'get_count', args: {} }),
    ).rejects.toBeInstanceOf(errors.AccountDoesNotExistError);
  });

  test('bad input: malformed JSON, unknown method, bad signature, stale nonce, unknown account', async () => {
    const malformed = await post('{"jsonrpc":"2.0","id":"7","method":"status",');
    expect(malformed.httpStatus).toBe(200);
    expect(malformed.json.error).toMatchObject({
      name: 'REQUEST_VALIDATION_ERROR',
      cause: { name: 'PARSE_ERROR' },
    });

    const unknown = await post(
      JSON.stringify({ jsonrpc: '2.0', id: '8', method: 'teleport', params: [] }),
    );
    expect(unknown.json).toMatchObject({
      id: '8',
      error: {
        name: 'REQUEST_VALIDATION_ERROR',
        cause: { name: 'METHOD_NOT_FOUND', info: { method_name: 'teleport' } },
      },
    });

    // A transfer signed by near-api-js with the root's next nonce.
    const { nonce } = await provider.viewAccessKey({
      accountId: 'test.near',
      publicKey: rootKey.getPublicKey(),
    });
    const block = await provider.viewBlock({ finality: 'final' });
    const tx = api.createTransaction(
      'test.near',
      rootKey.getPublicKey(),
      'app.test.near',
      nonce + 1n,
      [api.actions.transfer(NEAR)],
      api.baseDecode(block.header.hash),
    );
    const { signedTransaction } = await new api.KeyPairSigner(rootKey).signTransaction(tx);
    const bytes = Buffer.from(api.encodeTransaction(signedTransaction));
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 10] ^= 0x01;
    const badSig = await post(
      JSON.stringify({
        jsonrpc: '2.0',
        id: '9',
        method: 'send_tx',
        params: { signed_tx_base64: tampered.toString('base64') },
      }),
    );
    expect(badSig.json.error).toMatchObject({
      name: 'HANDLER_ERROR',
      cause: { name: 'INVALID_TRANSACTION' },
      data: { TxExecutionError: { InvalidTxError: 'InvalidSignature' } },
    });

    const before = (await provider.viewAccount({ accountId: 'app.test.near' })).amount;
    const sent = await provider.sendTransaction(signedTransaction);
    expect(sent.status).toEqual({ SuccessValue: '' });
    expect((await provider.viewAccount({ accountId: 'app.test.near' })).amount).toBe(before + NEAR);

    // The same signed bytes again: nearcore answers with the known outcome, nothing runs twice.
    const resent = await provider.sendTransaction(signedTransaction);
    expect(resent.transaction_outcome.id).toBe(sent.transaction_outcome.id);
    expect((await provider.viewAccount({ accountId: 'app.test.near' })).amount).toBe(before + NEAR);

    // A different transaction with the used nonce: InvalidNonce.
    const staleTx = api.createTransaction(
      'test.near',
      rootKey.getPublicKey(),
      'app.test.near',
      nonce + 1n,
      [api.actions.transfer(2n * NEAR)],
      api.baseDecode(block.header.hash),
    );
    const stale = (await new api.KeyPairSigner(rootKey).signTransaction(staleTx)).signedTransaction;
    await expect(provider.sendTransaction(stale)).rejects.toBeInstanceOf(errors.InvalidNonceError);
    const staleReply = await post(
      JSON.stringify({
        jsonrpc: '2.0',
        id: '10',
        method: 'broadcast_tx_commit',
        params: [Buffer.from(api.encodeTransaction(stale)).toString('base64')],
      }),
    );
    expect(staleReply.json.error?.data).toEqual({
      TxExecutionError: {
        InvalidTxError: {
          InvalidNonce: { ak_nonce: Number(nonce + 1n), tx_nonce: Number(nonce + 1n) },
        },
      },
    });
    expect((await provider.viewAccount({ accountId: 'app.test.near' })).amount).toBe(before + NEAR);

    await expect(provider.viewAccount({ accountId: 'nobody.test.near' })).rejects.toBeInstanceOf(
      errors.AccountDoesNotExistError,
    );
    const stranger = new api.Account(
      'nobody.test.near',
      provider,
      new api.KeyPairSigner(api.KeyPair.fromRandom('ed25519')),
    );
    await expect(stranger.transfer({ receiverId: 'test.near', amount: 1n })).rejects.toBeInstanceOf(
      errors.AccessKeyDoesNotExistError,
    );

    // Still serving, and near-api-js's own nonce cache recovers after all of the above.
    expect((await provider.viewNodeStatus()).chain_id).toBe('localnet');
    await root.transfer({ receiverId: 'app.test.near', amount: NEAR });
    expect((await provider.viewAccount({ accountId: 'app.test.near' })).amount).toBe(
      before + 2n * NEAR,
    );
  });
});
