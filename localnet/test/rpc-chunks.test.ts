// What an indexer over plain JSON-RPC walks, through near-api-js exactly as against a real node:
// block (by height and hash) → its chunk headers → chunk → transactions → EXPERIMENTAL_tx_status
// with every receipt's outcome (logs, executor_id), including transactions localnet applied
// in-process rather than over RPC.
import fs from 'node:fs';
import path from 'node:path';
import { Localnet } from '../src/localnet';
import {
  addSigningKey,
  createAccountWithKey,
  type RpcServer,
  startRpcServer,
} from '../src/rpc/index';
import { EMPTY_ROOT } from '../src/rpc/methods/chunk';
import { nearApi } from '../src/rpc/nearApi';
import { postRpc } from './rpcPost';

jest.setTimeout(60_000);

const api = nearApi();
const NEAR = 10n ** 24n;

function hostTestBundle(): Uint8Array {
  const candidates = [
    path.join(__dirname, '../../contracts/build/host-test.js'),
    path.join(__dirname, 'fixtures/host-test.js'),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`E_FIXTURE_MISSING: none of ${candidates.join(', ')}`);
  return new Uint8Array(fs.readFileSync(found));
}

type Provider = InstanceType<typeof api.JsonRpcProvider>;
interface ChunkHeader {
  chunk_hash: string;
  tx_root: string;
  height_included: number;
  shard_id: number;
}
interface TxView {
  hash: string;
  signer_id: string;
  receiver_id: string;
}

let net: Localnet;
let server: RpcServer;
let provider: Provider;
let callTx: { hash: string; height: number };

beforeAll(async () => {
  net = await Localnet.init({ engine: 'vm' });
  const rootKey = addSigningKey(net, 'test.near').keyPair;
  server = await startRpcServer(net, { port: 0 });
  provider = new api.JsonRpcProvider({ url: server.url });
  // In-process (not over RPC): the indexer must still see it.
  const app = createAccountWithKey(net, 'app.test.near', 50n * NEAR);
  net.chain.executeTransaction({
    signerId: 'app.test.near',
    receiverId: 'app.test.near',
    actions: [{ type: 'DeployContract', code: hostTestBundle() }],
  });
  const root = new api.Account('test.near', provider, new api.KeyPairSigner(rootKey));
  const raw = await root.callFunctionRaw({
    contractId: app.accountId,
    methodName: 'increment',
    args: { by: 2 },
  });
  const included = await provider.viewBlock({ blockId: raw.transaction_outcome.block_hash });
  callTx = { hash: raw.transaction_outcome.id, height: included.header.height };
});

afterAll(async () => {
  await server?.close();
});

test('a block by height and by hash is the same block, with one chunk header naming its chunk', async () => {
  const byHeight = await provider.viewBlock({ blockId: callTx.height });
  const byHash = await provider.viewBlock({ blockId: byHeight.header.hash });
  expect(byHash).toEqual(byHeight);
  const chunks = byHeight.chunks as unknown as ChunkHeader[];
  expect(chunks).toHaveLength(1);
  expect(chunks[0]).toMatchObject({ shard_id: 0, height_included: callTx.height });
  expect(chunks[0].tx_root).not.toBe(EMPTY_ROOT);
});

test('chunk by hash and by { block_id, shard_id } lists the transactions the block included', async () => {
  const block = await provider.viewBlock({ blockId: callTx.height });
  const header = (block.chunks as unknown as ChunkHeader[])[0];
  const chunk = await provider.viewChunk(header.chunk_hash);
  const txs = chunk.transactions as unknown as TxView[];
  expect(txs.map((t) => t.hash)).toEqual([callTx.hash]);
  expect(txs[0]).toMatchObject({ signer_id: 'test.near', receiver_id: 'app.test.near' });
  expect(chunk.header.chunk_hash).toBe(header.chunk_hash);
  const byBlock = await provider.sendJsonRpc('chunk', { block_id: callTx.height, shard_id: 0 });
  expect(byBlock).toEqual(chunk);
});

test('a block with no transaction has the empty tx_root and an empty chunk', async () => {
  net.chain.fastForward(3);
  const block = await provider.viewBlock({ finality: 'final' });
  const header = (block.chunks as unknown as ChunkHeader[])[0];
  expect(header.tx_root).toBe(EMPTY_ROOT);
  const chunk = await provider.viewChunk(header.chunk_hash);
  expect(chunk.transactions).toEqual([]);
});

test('EXPERIMENTAL_tx_status gives each receipt outcome with its logs and executor', async () => {
  const status = await provider.viewTransactionStatusWithReceipts({
    txHash: callTx.hash,
    accountId: 'test.near',
    waitUntil: 'FINAL',
  });
  const outcomes = status.receipts_outcome as unknown as Array<{
    id: string;
    block_hash: string;
    outcome: { logs: string[]; executor_id: string };
  }>;
  const call = outcomes.find((o) => o.outcome.executor_id === 'app.test.near');
  expect(call?.outcome.logs).toContain('count=2');
  const { receipts } = status as unknown as { receipts: Array<{ receipt_id: string }> };
  const receiptIds = receipts.map((r) => r.receipt_id);
  expect(receiptIds).toContain(call?.id);
});

test('transactions applied in-process appear in their chunk and answer tx status', async () => {
  const deploy = [...Array(callTx.height).keys()]
    .flatMap((h) => net.chain.transactionsAt(h))
    .find((t) => t.actions[0]?.type === 'DeployContract');
  expect(deploy).toBeDefined();
  const height = deploy!.conversion.blockHeight;
  const block = await provider.viewBlock({ blockId: height });
  const chunk = await provider.viewChunk((block.chunks as unknown as ChunkHeader[])[0].chunk_hash);
  expect((chunk.transactions as unknown as TxView[]).map((t) => t.hash)).toEqual([deploy!.hash]);
  const status = await provider.viewTransactionStatusWithReceipts({
    txHash: deploy!.hash,
    accountId: 'app.test.near',
    waitUntil: 'FINAL',
  });
  expect(status.status).toHaveProperty('SuccessValue');
  expect(status.transaction_outcome.id).toBe(deploy!.hash);
});

test('an unknown chunk hash and a missing shard answer nearcore errors', async () => {
  const unknown = await postRpc(
    server.url,
    JSON.stringify({ jsonrpc: '2.0', id: '1', method: 'chunk', params: [EMPTY_ROOT] }),
  );
  expect(unknown.json.error?.cause.name).toBe('UNKNOWN_CHUNK');
  const shard = await postRpc(
    server.url,
    JSON.stringify({
      jsonrpc: '2.0',
      id: '1',
      method: 'chunk',
      params: { block_id: 1, shard_id: 3 },
    }),
  );
  expect(shard.json.error?.cause.name).toBe('INVALID_SHARD_ID');
});
