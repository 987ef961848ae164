// nearcore's FinalExecutionOutcomeView JSON, built from a chain execution, so that near-api-js's
// Account.signAndSendTransaction / callFunction parse it (status.SuccessValue or status.Failure).
import type { ChainReceiptStatus, ChainTxExecution } from './chain';
import { actionView, type DecodedSignedTx } from './signedTx';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function statusView(status: ChainReceiptStatus): unknown {
  if ('SuccessValue' in status) return { SuccessValue: b64(status.SuccessValue) };
  if ('SuccessReceiptId' in status) return { SuccessReceiptId: status.SuccessReceiptId };
  return { Failure: status.Failure };
}

/** The `{ final_execution_status, status, transaction, transaction_outcome, receipts_outcome }` JSON. */
export function finalExecutionOutcome(
  decoded: DecodedSignedTx,
  execution: ChainTxExecution,
  finalExecutionStatus: string,
): Record<string, unknown> {
  const { tx } = decoded;
  const conversion = execution.transactionOutcome;
  return {
    final_execution_status: finalExecutionStatus,
    status: statusView(execution.status),
    transaction: {
      signer_id: tx.signerId,
      public_key: tx.publicKey,
      nonce: Number(tx.nonce),
      receiver_id: tx.receiverId,
      actions: decoded.actionViews,
      priority_fee: 0,
      signature: decoded.signature,
      hash: tx.hash,
    },
    transaction_outcome: {
      id: tx.hash,
      block_hash: conversion.blockHash,
      proof: [],
      outcome: {
        logs: [],
        receipt_ids: [conversion.receiptId],
        gas_burnt: Number(conversion.gasBurnt),
        tokens_burnt: conversion.tokensBurnt.toString(),
        executor_id: tx.signerId,
        status: { SuccessReceiptId: conversion.receiptId },
        metadata: { version: 1, gas_profile: null },
      },
    },
    receipts_outcome: execution.receipts.map((r) => ({
      id: r.receiptId,
      block_hash: r.blockHash,
      proof: [],
      outcome: {
        logs: r.logs,
        receipt_ids: r.receiptIds,
        gas_burnt: Number(r.gasBurnt),
        tokens_burnt: r.tokensBurnt.toString(),
        executor_id: r.executorId,
        status: statusView(r.status),
        metadata: { version: 3, gas_profile: [] },
      },
    })),
  };
}

/** nearcore ReceiptView JSON of each receipt the chain described (EXPERIMENTAL_tx_status `receipts`). */
export function receiptViews(execution: ChainTxExecution): unknown[] {
  return execution.receipts.flatMap((r) =>
    r.receipt
      ? [
          {
            predecessor_id: r.receipt.predecessorId,
            receiver_id: r.executorId,
            receipt_id: r.receiptId,
            receipt: {
              Action: {
                signer_id: r.receipt.signerId,
                signer_public_key: r.receipt.signerPublicKey,
                gas_price: r.receipt.gasPrice.toString(),
                output_data_receivers: [],
                input_data_ids: [],
                actions: r.receipt.actions.map(actionView),
                is_promise_yield: false,
              },
            },
            priority: 0,
          },
        ]
      : [],
  );
}
