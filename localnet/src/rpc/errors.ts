// JSON-RPC error objects in nearcore's shapes (chain/jsonrpc-primitives/src/errors.rs), so that
// near-api-js's parseRpcError turns them into its typed errors. Always sent with HTTP 200.

/** nearcore's RpcError body: `{ name, cause: { name, info }, code, message, data }`. */
export interface RpcErrorBody {
  name: 'REQUEST_VALIDATION_ERROR' | 'HANDLER_ERROR' | 'INTERNAL_ERROR';
  cause: { name: string; info: Record<string, unknown> };
  code: number;
  message: string;
  data: unknown;
}

/** An error a handler throws to answer with a JSON-RPC `error` object. */
export class RpcFailure extends Error {
  constructor(readonly body: RpcErrorBody) {
    super(typeof body.data === 'string' ? body.data : `${body.name}: ${body.cause.name}`);
    this.name = 'RpcFailure';
  }
}

/** REQUEST_VALIDATION_ERROR / PARSE_ERROR: malformed JSON or params (near-api-js: RpcRequestParseError). */
export function parseError(errorMessage: string): RpcFailure {
  return new RpcFailure({
    name: 'REQUEST_VALIDATION_ERROR',
    cause: { name: 'PARSE_ERROR', info: { error_message: errorMessage } },
    code: -32700,
    message: 'Parse error',
    data: errorMessage,
  });
}

/** REQUEST_VALIDATION_ERROR / METHOD_NOT_FOUND (near-api-js: RpcMethodNotFoundError). */
export function methodNotFound(methodName: string): RpcFailure {
  return new RpcFailure({
    name: 'REQUEST_VALIDATION_ERROR',
    cause: { name: 'METHOD_NOT_FOUND', info: { method_name: methodName } },
    code: -32601,
    message: 'Method not found',
    data: methodName,
  });
}

/** HANDLER_ERROR with a method-specific cause; `data` is nearcore's legacy Display string. */
export function handlerError(
  causeName: string,
  info: Record<string, unknown>,
  data: unknown,
): RpcFailure {
  return new RpcFailure({
    name: 'HANDLER_ERROR',
    cause: { name: causeName, info },
    code: -32000,
    message: 'Server error',
    data,
  });
}

/** HANDLER_ERROR / INVALID_TRANSACTION with the reason in `data.TxExecutionError.InvalidTxError`. */
export function invalidTransaction(invalidTx: unknown): RpcFailure {
  return handlerError(
    'INVALID_TRANSACTION',
    {},
    { TxExecutionError: { InvalidTxError: invalidTx } },
  );
}

/** INTERNAL_ERROR: a bug or an unexpected runtime failure (near-api-js: InternalRpcError). */
export function internalError(errorMessage: string): RpcFailure {
  return new RpcFailure({
    name: 'INTERNAL_ERROR',
    cause: { name: 'INTERNAL_ERROR', info: { error_message: errorMessage } },
    code: -32000,
    message: 'Server error',
    data: errorMessage,
  });
}
