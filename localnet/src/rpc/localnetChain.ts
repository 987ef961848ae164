// RpcChain over localnet's in-process Chain: the RPC's view of accounts, keys, blocks, views and
// transaction execution. Conversions only; all semantics live in ../chain.

import type { Chain } from '../chain/chain';
import {
  InvalidTxError as ChainInvalidTxError,
  type ExecutionStatus,
  type TransactionOutcome,
} from '../chain/outcome';
import { ViewCallError as ChainViewCallError, viewFunction } from '../chain/runtime';
import { storageKey, storageKeyBytes } from '../host/context';
import { functionCallErrorJson } from '../host/errors';
import type { AccessKey, Action } from '../host/types';
import {
  type ChainAccessKey,
  type ChainAccount,
  type ChainAction,
  type ChainBlock,
  type ChainReceiptStatus,
  type ChainTransaction,
  type ChainTxExecution,
  type ChainTxRecord,
  InvalidTxError,
  type RpcChain,
  ViewCallError,
  type ViewResult,
} from './chain';

/** How many recent blocks a hash lookup searches before giving up (the tx validity period). */
const BLOCK_HASH_SEARCH_DEPTH = 86_400;
/** nearcore's signer key of `system` refund receipts (ed25519, 32 zero bytes). */
const SYSTEM_PUBLIC_KEY = 'ed25519:11111111111111111111111111111111';

function toAccessKey(key: AccessKey): ChainAccessKey {
  if (key.permission === 'FullAccess') {
    return { nonce: key.nonce, permission: { kind: 'fullAccess' } };
  }
  const p = key.permission.FunctionCall;
  return {
    nonce: key.nonce,
    permission: {
      kind: 'functionCall',
      allowance: p.allowance,
      receiverId: p.receiverId,
      methodNames: [...p.methodNames],
    },
  };
}

function toRuntimeAction(action: ChainAction): Action {
  if (action.type !== 'AddKey') return action;
  const perm = action.accessKey.permission;
  return {
    type: 'AddKey',
    publicKey: action.publicKey,
    accessKey: {
      nonce: action.accessKey.nonce,
      permission:
        perm.kind === 'fullAccess'
          ? 'FullAccess'
          : {
              FunctionCall: {
                allowance: perm.allowance,
                receiverId: perm.receiverId,
                methodNames: perm.methodNames,
              },
            },
    },
  };
}

function toChainAction(action: Action): ChainAction {
  if (action.type === 'FunctionCall') {
    const { gasWeight: _weight, ...call } = action;
    return call;
  }
  if (action.type !== 'AddKey') return action;
  return { type: 'AddKey', publicKey: action.publicKey, accessKey: toAccessKey(action.accessKey) };
}

function toStatus(status: ExecutionStatus): ChainReceiptStatus {
  if (status.type === 'SuccessValue') return { SuccessValue: status.value };
  if (status.type === 'SuccessReceiptId') return { SuccessReceiptId: status.receiptId };
  return { Failure: status.error };
}

/** The RPC's chain interface over a localnet `Chain`. */
export class LocalnetRpcChain implements RpcChain {
  readonly chainId = 'localnet';
  constructor(readonly chain: Chain) {}

  get maxGasPerTx(): bigint {
    return this.chain.config.maxGasPerTx;
  }

  get epochLength(): number {
    return this.chain.config.epochLength;
  }

  epochStartHeight(): number {
    return this.chain.epochHeight * this.chain.config.epochLength;
  }

  fastForward(blocks: number): void {
    this.chain.fastForward(blocks);
  }

  validators() {
    return [...this.chain.validators()].map(([accountId, stake]) => {
      const key = [...this.chain.accessKeys(accountId).keys()][0] ?? `ed25519:${'1'.repeat(44)}`;
      return { accountId, publicKey: key, stake };
    });
  }

  private toBlock(height: number): ChainBlock {
    const b = this.chain.block(height);
    let totalSupply = 0n;
    for (const a of this.chain.accounts.values()) totalSupply += a.amount + a.locked;
    return { ...b, totalSupply };
  }

  head(): ChainBlock {
    return this.toBlock(this.chain.height);
  }

  block(id: number | string): ChainBlock | undefined {
    const head = this.chain.height;
    if (typeof id === 'number') return id >= 0 && id <= head ? this.toBlock(id) : undefined;
    const found = this.chain.blockByHash(id, BLOCK_HASH_SEARCH_DEPTH);
    return found === undefined ? undefined : this.toBlock(found.height);
  }

  account(accountId: string): ChainAccount | undefined {
    const view = this.chain.accountView(accountId);
    if (!view) return undefined;
    return {
      amount: view.amount,
      locked: view.locked,
      storageUsage: Number(view.storageUsage),
      codeHash: view.codeHash,
    };
  }

  accessKey(accountId: string, publicKey: string): ChainAccessKey | undefined {
    const key = this.chain.accessKey(accountId, publicKey);
    return key ? toAccessKey(key) : undefined;
  }

  accessKeys(accountId: string) {
    return [...this.chain.accessKeys(accountId)].map(([publicKey, key]) => ({
      publicKey,
      accessKey: toAccessKey(key),
    }));
  }

  code(accountId: string): Uint8Array | undefined {
    return this.chain.account(accountId)?.code?.bytes;
  }

  state(accountId: string, prefix: Uint8Array) {
    const account = this.chain.account(accountId);
    if (!account) return [];
    const keyPrefix = storageKey(prefix);
    const entries: Array<{ key: Uint8Array; value: Uint8Array }> = [];
    for (const [key, value] of account.state) {
      if (key.startsWith(keyPrefix)) entries.push({ key: storageKeyBytes(key), value });
    }
    entries.sort((a, b) => Buffer.compare(a.key, b.key));
    return entries;
  }

  view(accountId: string, methodName: string, args: Uint8Array): ViewResult {
    try {
      const { value, logs } = viewFunction(this.chain, accountId, methodName, args);
      return { result: value, logs };
    } catch (err) {
      if (err instanceof ChainViewCallError) {
        throw new ViewCallError(functionCallErrorJson(err.kind), err.message);
      }
      throw err;
    }
  }

  execute(tx: ChainTransaction): ChainTxExecution {
    let outcome: ReturnType<Chain['executeTransaction']>;
    try {
      outcome = this.chain.executeTransaction({
        signerId: tx.signerId,
        receiverId: tx.receiverId,
        actions: tx.actions.map(toRuntimeAction),
        publicKey: tx.publicKey,
        nonce: tx.nonce,
        hash: tx.hash,
      });
    } catch (err) {
      if (err instanceof ChainInvalidTxError) throw new InvalidTxError(err.data, err.message);
      throw err;
    }
    return this.toExecution(outcome, tx.publicKey);
  }

  /** The RPC's view of a transaction outcome (`publicKey`: the signer key shown on its receipts). */
  private toExecution(outcome: TransactionOutcome, publicKey: string): ChainTxExecution {
    const conversion = outcome.conversion;
    return {
      transactionOutcome: {
        blockHash: conversion.blockHash,
        gasBurnt: conversion.gasBurnt,
        tokensBurnt: conversion.tokensBurnt,
        receiptId: conversion.receiptId,
      },
      receipts: outcome.receipts.map((r) => ({
        receiptId: r.receiptId,
        executorId: r.executorId,
        receipt: {
          predecessorId: r.predecessorId,
          signerId: r.signerId,
          signerPublicKey: r.isRefund ? SYSTEM_PUBLIC_KEY : publicKey,
          actions: r.actions.map(toChainAction),
          gasPrice: this.chain.block(r.blockHeight).gasPrice,
        },
        blockHash: r.blockHash,
        logs: r.logs,
        receiptIds: r.receiptIds,
        gasBurnt: r.gasBurnt,
        tokensBurnt: r.tokensBurnt,
        status: toStatus(r.status),
      })),
      status:
        outcome.status === 'success'
          ? { SuccessValue: outcome.rawValue ?? new Uint8Array() }
          : { Failure: outcome.failure ?? { ActionError: { index: null, kind: {} } } },
    };
  }

  private toRecord(outcome: TransactionOutcome): ChainTxRecord {
    const publicKey = outcome.publicKey ?? SYSTEM_PUBLIC_KEY;
    return {
      tx: {
        hash: outcome.hash,
        signerId: outcome.signerId,
        publicKey,
        nonce: outcome.nonce ?? 0n,
        receiverId: outcome.receiverId,
        blockHash: this.chain.block(Math.max(0, outcome.conversion.blockHeight - 1)).hash,
        actions: outcome.actions.map(toChainAction),
      },
      includedHeight: outcome.conversion.blockHeight,
      execution: this.toExecution(outcome, publicKey),
    };
  }

  blockTransactions(height: number): ChainTxRecord[] {
    return this.chain.transactionsAt(height).map((o) => this.toRecord(o));
  }

  transaction(hash: string): ChainTxRecord | undefined {
    const outcome = this.chain.transaction(hash);
    return outcome ? this.toRecord(outcome) : undefined;
  }
}
