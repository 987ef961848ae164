// A small in-memory RpcChain for testing the JSON-RPC layer on its own: accounts, keys, transfers,
// account creation and scripted contracts (method name -> JS function). Not a NEAR runtime.
import { createHash } from 'node:crypto';
import {
  type ChainAccessKey,
  type ChainAccount,
  type ChainBlock,
  type ChainReceiptOutcome,
  type ChainTransaction,
  type ChainTxExecution,
  InvalidTxError,
  type RpcChain,
  ViewCallError,
} from '../src/rpc/chain';
import { nearApi } from '../src/rpc/nearApi';

type Method = (args: unknown, logs: string[]) => unknown;

interface FakeAccount {
  amount: bigint;
  keys: Map<string, ChainAccessKey>;
  code?: Uint8Array;
  methods?: Record<string, Method>;
  storage: Map<string, string>;
}

const GAS_PER_ACTION = 200_000_000_000n;
const GAS_PRICE = 100_000_000n;

const sha = (data: string | Uint8Array) =>
  new Uint8Array(createHash('sha256').update(data).digest());

/** An RpcChain over plain maps; `addContract` scripts a contract's methods. */
export class FakeChain implements RpcChain {
  chainId = 'localnet';
  maxGasPerTx = 300_000_000_000_000n;
  readonly accounts = new Map<string, FakeAccount>();
  private readonly blocks: ChainBlock[] = [];

  constructor() {
    this.produceBlock();
  }

  private produceBlock(): ChainBlock {
    const height = this.blocks.length;
    const hash = nearApi().baseEncode(sha(`block-${height}`));
    const block: ChainBlock = {
      height,
      hash,
      prevHash: height === 0 ? '11111111111111111111111111111111' : this.blocks[height - 1].hash,
      timestampNs: BigInt(height) * 1_000_000_000n + 1_700_000_000_000_000_000n,
      epochHeight: 0,
      epochId: '11111111111111111111111111111111',
      gasPrice: GAS_PRICE,
      totalSupply: 0n,
    };
    this.blocks.push(block);
    return block;
  }

  /** Creates an account holding `amount` with one full-access key. */
  addAccount(accountId: string, amount: bigint, publicKey: string): void {
    this.accounts.set(accountId, {
      amount,
      keys: new Map([[publicKey, { nonce: 0n, permission: { kind: 'fullAccess' } }]]),
      storage: new Map(),
    });
  }

  /** Gives `accountId` a scripted contract. */
  addContract(accountId: string, methods: Record<string, Method>): void {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    account.methods = methods;
    account.code = new TextEncoder().encode(Object.keys(methods).join(','));
  }

  head(): ChainBlock {
    return this.blocks[this.blocks.length - 1];
  }

  block(id: number | string): ChainBlock | undefined {
    return typeof id === 'number' ? this.blocks[id] : this.blocks.find((b) => b.hash === id);
  }

  account(accountId: string): ChainAccount | undefined {
    const a = this.accounts.get(accountId);
    if (!a) return undefined;
    return {
      amount: a.amount,
      locked: 0n,
      storageUsage: 182,
      codeHash: nearApi().baseEncode(a.code ? sha(a.code) : new Uint8Array(32)),
    };
  }

  accessKey(accountId: string, publicKey: string): ChainAccessKey | undefined {
    return this.accounts.get(accountId)?.keys.get(publicKey);
  }

  accessKeys(accountId: string) {
    const keys = this.accounts.get(accountId)?.keys ?? new Map();
    return [...keys].map(([publicKey, accessKey]) => ({ publicKey, accessKey }));
  }

  code(accountId: string): Uint8Array | undefined {
    return this.accounts.get(accountId)?.code;
  }

  state(accountId: string, prefix: Uint8Array) {
    const p = Buffer.from(prefix).toString();
    return [...(this.accounts.get(accountId)?.storage ?? [])]
      .filter(([k]) => k.startsWith(p))
      .map(([k, v]) => ({ key: new TextEncoder().encode(k), value: new TextEncoder().encode(v) }));
  }

  private run(accountId: string, methodName: string, args: Uint8Array, logs: string[]): Uint8Array {
    const account = this.accounts.get(accountId);
    if (!account?.methods) {
      throw new ViewCallError(
        { CompilationError: { CodeDoesNotExist: { account_id: accountId } } },
        'no code',
      );
    }
    const method = account.methods[methodName];
    if (!method)
      throw new ViewCallError({ MethodResolveError: 'MethodNotFound' }, 'MethodNotFound');
    const text = Buffer.from(args).toString();
    try {
      const value = method(text ? JSON.parse(text) : {}, logs);
      return value === undefined
        ? new Uint8Array()
        : new TextEncoder().encode(JSON.stringify(value));
    } catch (err) {
      const msg = `Smart contract panicked: ${(err as Error).message}`;
      throw new ViewCallError({ ExecutionError: msg }, msg);
    }
  }

  view(accountId: string, methodName: string, args: Uint8Array) {
    const logs: string[] = [];
    return { result: this.run(accountId, methodName, args, logs), logs };
  }

  execute(tx: ChainTransaction): ChainTxExecution {
    const signer = this.accounts.get(tx.signerId)!;
    const deposits = tx.actions.reduce(
      (sum, a) => sum + (a.type === 'Transfer' || a.type === 'FunctionCall' ? a.deposit : 0n),
      0n,
    );
    const gasBurnt = GAS_PER_ACTION * BigInt(tx.actions.length);
    const cost = deposits + gasBurnt * GAS_PRICE;
    if (signer.amount < cost) {
      throw new InvalidTxError(
        {
          NotEnoughBalance: {
            signer_id: tx.signerId,
            balance: signer.amount.toString(),
            cost: cost.toString(),
          },
        },
        'not enough balance',
      );
    }
    signer.keys.get(tx.publicKey)!.nonce = tx.nonce;
    signer.amount -= cost;
    const block = this.produceBlock();
    const receiptId = nearApi().baseEncode(sha(`${tx.hash}/0`));
    const logs: string[] = [];
    let status: ChainTxExecution['status'] = { SuccessValue: new Uint8Array() };
    const fail = (index: number, kind: unknown) => {
      status = { Failure: { ActionError: { index, kind } } };
    };
    for (const [index, action] of tx.actions.entries()) {
      if ('Failure' in status) break;
      const receiver = this.accounts.get(tx.receiverId);
      if (action.type === 'CreateAccount') {
        if (receiver) fail(index, { AccountAlreadyExists: { account_id: tx.receiverId } });
        else this.accounts.set(tx.receiverId, { amount: 0n, keys: new Map(), storage: new Map() });
      } else if (!receiver) {
        fail(index, { AccountDoesNotExist: { account_id: tx.receiverId } });
      } else if (action.type === 'Transfer') {
        receiver.amount += action.deposit;
      } else if (action.type === 'AddKey') {
        receiver.keys.set(action.publicKey, { ...action.accessKey });
      } else if (action.type === 'FunctionCall') {
        receiver.amount += action.deposit;
        try {
          status = { SuccessValue: this.run(tx.receiverId, action.methodName, action.args, logs) };
        } catch (err) {
          if (!(err instanceof ViewCallError)) throw err;
          signer.amount += action.deposit;
          receiver.amount -= action.deposit;
          fail(index, { FunctionCallError: err.functionCallError });
        }
      }
    }
    const receipt: ChainReceiptOutcome = {
      receiptId,
      executorId: tx.receiverId,
      blockHash: block.hash,
      logs,
      receiptIds: [],
      gasBurnt,
      tokensBurnt: gasBurnt * GAS_PRICE,
      status,
    };
    return {
      transactionOutcome: {
        blockHash: block.hash,
        gasBurnt,
        tokensBurnt: gasBurnt * GAS_PRICE,
        receiptId,
      },
      receipts: [receipt],
      status,
    };
  }
}
