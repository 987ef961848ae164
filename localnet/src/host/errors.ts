// Function-call errors in nearcore's shapes. A `HostError` thrown by the host is fatal for the
// receipt: the HostContext remembers it, so a contract that catches it still fails.

/** nearcore `PrepareError` variants (`CompilationError::PrepareError`, see engine/prepare.ts). */
export type PrepareErrorName =
  | 'Serialization'
  | 'Deserialization'
  | 'InternalMemoryDeclared'
  | 'GasInstrumentation'
  | 'StackHeightInstrumentation'
  | 'Instantiate'
  | 'Memory'
  | 'TooManyFunctions'
  | 'TooManyLocals'
  | 'TooManyTables'
  | 'TooManyTableElements'
  | 'FunctionBodyTooLarge'
  | 'InstrumentedCodeTooLarge'
  | 'TooManyBlocksPerFunction'
  | 'TooManyBlocksPerContract'
  | 'TooManyTypes'
  | 'TooManyParamsPerFunction'
  | 'TooManyParamsPerContract'
  | 'OperandStackTooLarge';

/** Text of a PrepareError: nearcore's `Display` for the first nine, localnet's words for the rest. */
const PREPARE_ERROR_TEXT: Record<PrepareErrorName, string> = {
  Serialization: 'Error happened while serializing the module.',
  Deserialization: 'Error happened while deserializing the module.',
  InternalMemoryDeclared: 'Internal memory declaration has been found in the module.',
  GasInstrumentation: 'Gas instrumentation failed.',
  StackHeightInstrumentation: 'Stack instrumentation failed.',
  Instantiate: 'Error happened during instantiation.',
  Memory: 'Error creating memory.',
  TooManyFunctions: 'Too many functions in contract.',
  TooManyLocals: 'Too many locals declared in the contract.',
  TooManyTables: 'Contract contains too many tables.',
  TooManyTableElements: 'Contract contains too many table elements.',
  FunctionBodyTooLarge: 'Contract contains a function body that is too large.',
  InstrumentedCodeTooLarge: 'The instrumented contract code is too large.',
  TooManyBlocksPerFunction: 'Contract contains a function with too many blocks.',
  TooManyBlocksPerContract: 'Contract contains too many blocks.',
  TooManyTypes: 'Contract contains too many types.',
  TooManyParamsPerFunction: 'Contract contains a function with too many parameters.',
  TooManyParamsPerContract: 'Contract contains too many function parameters.',
  OperandStackTooLarge: 'Contract contains a function whose operand stack is too large.',
};

/** nearcore `FunctionCallError` / `HostError` variants that localnet produces. */
export type FunctionCallErrorKind =
  | { type: 'GuestPanic'; panicMsg: string }
  | { type: 'GasExceeded' }
  | { type: 'GasLimitExceeded' }
  | { type: 'ProhibitedInView'; methodName: string }
  | { type: 'InvalidPromiseIndex'; promiseIdx: bigint }
  | { type: 'InvalidPromiseResultIndex'; resultIdx: bigint }
  | { type: 'CannotReturnJointPromise' }
  | { type: 'CannotAppendActionToJointPromise' }
  | { type: 'InvalidRegisterId'; registerId: bigint }
  | { type: 'NumberOfLogsExceeded'; limit: number }
  | { type: 'TotalLogLengthExceeded'; length: number; limit: number }
  | { type: 'KeyLengthExceeded'; length: number; limit: number }
  | { type: 'ValueLengthExceeded'; length: number; limit: number }
  | { type: 'NumberPromisesExceeded'; numberOfPromises: number; limit: number }
  | { type: 'BadUTF8' }
  | { type: 'BadUTF16' }
  | { type: 'InvalidAccountId' }
  | { type: 'InvalidPublicKey' }
  | { type: 'IntegerOverflow' }
  | { type: 'BalanceExceeded' }
  | { type: 'MemoryAccessViolation' }
  | { type: 'Unsupported'; hostFunction: string }
  | { type: 'MethodNotFound' }
  | { type: 'MethodEmptyName' }
  | { type: 'MethodInvalidSignature' }
  | { type: 'PrepareError'; error: PrepareErrorName; detail?: string }
  | { type: 'WasmCompileError'; msg: string }
  | { type: 'LinkError'; msg: string }
  | { type: 'CodeDoesNotExist'; accountId: string }
  | { type: 'WasmTrap'; trap: string };

/** The human-readable text nearcore prints for a function-call error. */
export function functionCallErrorMessage(kind: FunctionCallErrorKind): string {
  switch (kind.type) {
    case 'GuestPanic':
      return `Smart contract panicked: ${kind.panicMsg}`;
    case 'GasExceeded':
      return 'Exceeded the prepaid gas.';
    case 'GasLimitExceeded':
      return 'Exceeded the maximum amount of gas allowed to burn per contract.';
    case 'ProhibitedInView':
      return `${kind.methodName} is not allowed in view calls`;
    case 'InvalidPromiseIndex':
      return `${kind.promiseIdx} does not correspond to existing promises`;
    case 'InvalidPromiseResultIndex':
      return `Accessed invalid promise result index: ${kind.resultIdx}`;
    case 'CannotReturnJointPromise':
      return 'Returning joint promise is currently prohibited';
    case 'CannotAppendActionToJointPromise':
      return 'Actions can only be appended to non-joint promise.';
    case 'InvalidRegisterId':
      return `Accessed invalid register id: ${kind.registerId}`;
    case 'NumberOfLogsExceeded':
      return `The number of logs will exceed the limit ${kind.limit}`;
    case 'TotalLogLengthExceeded':
      return `The length of a log message ${kind.length} exceeds the limit ${kind.limit}`;
    case 'KeyLengthExceeded':
      return `The length of a storage key ${kind.length} exceeds the limit ${kind.limit}`;
    case 'ValueLengthExceeded':
      return `The length of a storage value ${kind.length} exceeds the limit ${kind.limit}`;
    case 'NumberPromisesExceeded':
      return `The number of promises within a FunctionCall ${kind.numberOfPromises} exceeds the limit ${kind.limit}`;
    case 'BadUTF8':
      return 'String encoding is bad UTF-8 sequence.';
    case 'BadUTF16':
      return 'String encoding is bad UTF-16 sequence.';
    case 'InvalidAccountId':
      return 'VM Logic returned an invalid account id';
    case 'InvalidPublicKey':
      return 'VM Logic provided an invalid public key';
    case 'IntegerOverflow':
      return 'Integer overflow.';
    case 'BalanceExceeded':
      return 'Exceeded the account balance.';
    case 'MemoryAccessViolation':
      return 'Accessed memory outside the bounds.';
    case 'Unsupported':
      return `E_LOCALNET_UNSUPPORTED: host function ${kind.hostFunction} is not supported in localnet; use a sandbox for this contract`;
    case 'MethodNotFound':
    case 'MethodEmptyName':
    case 'MethodInvalidSignature':
      return kind.type;
    case 'PrepareError':
      return `PrepareError: ${PREPARE_ERROR_TEXT[kind.error]}${kind.detail ? ` (${kind.detail})` : ''}`;
    case 'WasmCompileError':
      return `Wasmtime compilation error: ${kind.msg}`;
    case 'LinkError':
      return kind.msg;
    case 'CodeDoesNotExist':
      return `Cannot find contract code for account ${kind.accountId}`;
    case 'WasmTrap':
      return `WebAssembly trap: ${kind.trap}`;
  }
}

/** The nearcore JSON of a `FunctionCallError` (what goes in `ActionError.kind.FunctionCallError`). */
export function functionCallErrorJson(kind: FunctionCallErrorKind): unknown {
  switch (kind.type) {
    case 'GuestPanic':
      return { ExecutionError: functionCallErrorMessage(kind) };
    case 'MethodNotFound':
    case 'MethodEmptyName':
    case 'MethodInvalidSignature':
      return { MethodResolveError: kind.type };
    case 'PrepareError':
      return { CompilationError: { PrepareError: kind.error } };
    case 'WasmCompileError':
      return { CompilationError: { WasmtimeCompileError: { msg: kind.msg } } };
    case 'LinkError':
      return { LinkError: { msg: kind.msg } };
    case 'CodeDoesNotExist':
      return { CompilationError: { CodeDoesNotExist: { account_id: kind.accountId } } };
    case 'WasmTrap':
      return { WasmTrap: kind.trap };
    case 'GasExceeded':
    case 'GasLimitExceeded':
    case 'CannotReturnJointPromise':
    case 'CannotAppendActionToJointPromise':
    case 'BadUTF8':
    case 'BadUTF16':
    case 'InvalidAccountId':
    case 'InvalidPublicKey':
    case 'IntegerOverflow':
    case 'BalanceExceeded':
    case 'MemoryAccessViolation':
      return { HostError: kind.type };
    case 'ProhibitedInView':
      return { HostError: { ProhibitedInView: { method_name: kind.methodName } } };
    case 'InvalidPromiseIndex':
      return { HostError: { InvalidPromiseIndex: { promise_idx: Number(kind.promiseIdx) } } };
    case 'InvalidPromiseResultIndex':
      return { HostError: { InvalidPromiseResultIndex: { result_idx: Number(kind.resultIdx) } } };
    case 'InvalidRegisterId':
      return { HostError: { InvalidRegisterId: { register_id: Number(kind.registerId) } } };
    case 'NumberOfLogsExceeded':
      return { HostError: { NumberOfLogsExceeded: { limit: kind.limit } } };
    case 'TotalLogLengthExceeded':
      return { HostError: { TotalLogLengthExceeded: { length: kind.length, limit: kind.limit } } };
    case 'KeyLengthExceeded':
      return { HostError: { KeyLengthExceeded: { length: kind.length, limit: kind.limit } } };
    case 'ValueLengthExceeded':
      return { HostError: { ValueLengthExceeded: { length: kind.length, limit: kind.limit } } };
    case 'NumberPromisesExceeded':
      return {
        HostError: {
          NumberPromisesExceeded: { number_of_promises: kind.numberOfPromises, limit: kind.limit },
        },
      };
    case 'Unsupported':
      return { ExecutionError: functionCallErrorMessage(kind) };
  }
}

/** A fatal host error: aborts the running method; the receipt fails with `kind`. */
export class HostError extends Error {
  constructor(readonly kind: FunctionCallErrorKind) {
    super(functionCallErrorMessage(kind));
    this.name = 'HostError';
  }
}
