// Receipts in flight and the fees of actions (send fees burnt on creation, execution fees prepaid).
import { FEES, type Fee } from '../host/gas';
import type { Action } from '../host/types';

/** A receipt waiting to run or running. */
export interface Receipt {
  id: string;
  predecessorId: string;
  receiverId: string;
  signerId: string;
  /** borsh bytes of the signer's public key (empty for system receipts). */
  signerPk: Uint8Array;
  actions: Action[];
  /** Data ids this receipt waits for (one per dependency, in promise_then order). */
  inputDataIds: string[];
  /** Where this receipt's result goes (data id → waiting receipt). */
  outputDataReceivers: { dataId: string; receiptId: string }[];
  /** Earliest block height it may run at. */
  readyAt: number;
  /** The transaction it belongs to. */
  txHash: string;
  /** A refund from `system`: balance only, no gas. */
  isRefund: boolean;
}

/** The fees of one action: `send` (burnt by the creator) and `exec` (prepaid, burnt on execution). */
export function actionFees(action: Action, sir: boolean): { send: bigint; exec: bigint } {
  const pick = (f: Fee, bytes = 1n) => ({
    send: (sir ? f.sendSir : f.sendNotSir) * bytes,
    exec: f.execution * bytes,
  });
  const add = (a: { send: bigint; exec: bigint }, b: { send: bigint; exec: bigint }) => ({
    send: a.send + b.send,
    exec: a.exec + b.exec,
  });
  switch (action.type) {
    case 'CreateAccount':
      return pick(FEES.createAccount);
    case 'DeployContract':
      return add(
        pick(FEES.deployContractBase),
        pick(FEES.deployContractByte, BigInt(action.code.length)),
      );
    case 'FunctionCall':
      return add(
        pick(FEES.functionCallBase),
        pick(FEES.functionCallByte, BigInt(action.methodName.length + action.args.length)),
      );
    case 'Transfer':
      return pick(FEES.transfer);
    case 'Stake':
      return pick(FEES.stake);
    case 'AddKey': {
      const p = action.accessKey.permission;
      if (p === 'FullAccess') return pick(FEES.addKeyFullAccess);
      const bytes = p.FunctionCall.methodNames.reduce((n, m) => n + m.length + 1, 0);
      return add(
        pick(FEES.addKeyFunctionCallBase),
        pick(FEES.addKeyFunctionCallByte, BigInt(bytes)),
      );
    }
    case 'DeleteKey':
      return pick(FEES.deleteKey);
    case 'DeleteAccount':
      return pick(FEES.deleteAccount);
  }
}

/** Send and execution fees of a whole receipt (receipt creation included). */
export function receiptFees(actions: Action[], sir: boolean): { send: bigint; exec: bigint } {
  let send = sir ? FEES.actionReceiptCreation.sendSir : FEES.actionReceiptCreation.sendNotSir;
  let exec = FEES.actionReceiptCreation.execution;
  for (const action of actions) {
    const f = actionFees(action, sir);
    send += f.send;
    exec += f.exec;
  }
  return { send, exec };
}

/** Sum of the deposits a receipt carries (Transfer and FunctionCall). */
export function totalDeposit(actions: Action[]): bigint {
  let total = 0n;
  for (const a of actions) {
    if (a.type === 'Transfer' || a.type === 'FunctionCall') total += a.deposit;
  }
  return total;
}

/** Sum of the gas attached to FunctionCall actions. */
export function totalAttachedGas(actions: Action[]): bigint {
  let total = 0n;
  for (const a of actions) if (a.type === 'FunctionCall') total += a.gas;
  return total;
}
