// `query`: view_account, view_access_key, view_access_key_list, call_function, view_state, view_code.
import { createHash } from 'node:crypto';
import { type ChainBlock, ViewCallError } from '../chain';
import { handlerError, parseError } from '../errors';
import { nearApi } from '../nearApi';
import {
  isValidAccountId,
  objectParams,
  type Params,
  requireBase64,
  requireString,
  resolveBlock,
} from '../params';
import { accessKeyView } from '../signedTx';
import type { MethodContext } from './node';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const at = (block: ChainBlock) => ({ block_height: block.height, block_hash: block.hash });

/** `query`: dispatches on `request_type`. State is read at the latest block. */
export async function query(ctx: MethodContext, rawParams: unknown): Promise<unknown> {
  if (Array.isArray(rawParams)) {
    throw parseError(
      'Failed parsing args: the positional query form is not supported by localnet; pass an object',
    );
  }
  const params = objectParams(rawParams, 'query');
  const requestType = requireString(params, 'request_type');
  const block = resolveBlock(ctx.chain, params);
  switch (requestType) {
    case 'view_account':
      return viewAccount(ctx, params, block);
    case 'view_access_key':
      return viewAccessKey(ctx, params, block);
    case 'view_access_key_list':
      return viewAccessKeyList(ctx, params, block);
    case 'call_function':
      return callFunction(ctx, params, block);
    case 'view_state':
      return viewState(ctx, params, block);
    case 'view_code':
      return viewCode(ctx, params, block);
    default:
      throw parseError(
        `Failed parsing args: unknown variant \`${requestType}\`, expected one of \`view_account\`, \`view_code\`, \`view_state\`, \`view_access_key\`, \`view_access_key_list\`, \`call_function\``,
      );
  }
}

/** The account id param, checked for NEAR's format (INVALID_ACCOUNT otherwise). */
function accountIdParam(params: Params, block: ChainBlock): string {
  const accountId = requireString(params, 'account_id');
  if (!isValidAccountId(accountId)) {
    throw handlerError(
      'INVALID_ACCOUNT',
      { requested_account_id: accountId, ...at(block) },
      `Account ID ${accountId} is invalid`,
    );
  }
  return accountId;
}

function unknownAccount(accountId: string, block: ChainBlock) {
  return handlerError(
    'UNKNOWN_ACCOUNT',
    { requested_account_id: accountId, ...at(block) },
    `account ${accountId} does not exist while viewing`,
  );
}

/** An existing account id from params, or UNKNOWN_ACCOUNT. */
function existingAccount(ctx: MethodContext, params: Params, block: ChainBlock): string {
  const accountId = accountIdParam(params, block);
  if (!ctx.chain.account(accountId)) throw unknownAccount(accountId, block);
  return accountId;
}

function viewAccount(ctx: MethodContext, params: Params, block: ChainBlock): unknown {
  const accountId = accountIdParam(params, block);
  const account = ctx.chain.account(accountId);
  if (!account) throw unknownAccount(accountId, block);
  return {
    amount: account.amount.toString(),
    locked: account.locked.toString(),
    code_hash: account.codeHash,
    storage_usage: account.storageUsage,
    storage_paid_at: 0,
    ...at(block),
  };
}

function viewAccessKey(ctx: MethodContext, params: Params, block: ChainBlock): unknown {
  const accountId = accountIdParam(params, block);
  const publicKey = requireString(params, 'public_key');
  const key = ctx.chain.accessKey(accountId, publicKey);
  // nearcore answers a missing key with this legacy `result.error` (near-api-js: AccessKeyDoesNotExistError).
  if (!key) {
    return {
      error: `access key ${publicKey} does not exist while viewing`,
      logs: [],
      ...at(block),
    };
  }
  return { ...accessKeyView(key), ...at(block) };
}

function viewAccessKeyList(ctx: MethodContext, params: Params, block: ChainBlock): unknown {
  const accountId = existingAccount(ctx, params, block);
  const keys = ctx.chain.accessKeys(accountId).map(({ publicKey, accessKey }) => ({
    public_key: publicKey,
    access_key: accessKeyView(accessKey),
  }));
  return { keys, ...at(block) };
}

/** Rust-Debug-like text of a FunctionCallError JSON, as nearcore's `vm_error` prints it. */
export function rustDebug(value: unknown): string {
  if (typeof value === 'string') {
    return /^[A-Z][A-Za-z0-9]*$/.test(value) ? value : JSON.stringify(value);
  }
  if (typeof value !== 'object' || value === null) return String(value);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && /^[A-Z]/.test(entries[0][0])) {
    const [name, inner] = entries[0];
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
      const fields = Object.entries(inner as Record<string, unknown>);
      if (fields.length > 0 && fields.every(([k]) => /^[a-z_]/.test(k))) {
        return `${name} { ${fields.map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : rustDebug(v)}`).join(', ')} }`;
      }
    }
    return `${name}(${rustDebug(inner)})`;
  }
  return JSON.stringify(value);
}

async function callFunction(
  ctx: MethodContext,
  params: Params,
  block: ChainBlock,
): Promise<unknown> {
  const accountId = existingAccount(ctx, params, block);
  const methodName = requireString(params, 'method_name');
  const args = requireBase64(params, 'args_base64');
  try {
    const { result, logs } = await ctx.chain.view(accountId, methodName, args);
    return { result: Array.from(result), logs, ...at(block) };
  } catch (err) {
    if (!(err instanceof ViewCallError)) throw err;
    const vmError = `wasm execution failed with error: ${rustDebug({ FunctionCallError: err.functionCallError })}`;
    // The structured form with `info.error` (newer nodes); near-api-js turns it into a typed
    // ContractExecutionError / ContractMethodNotFoundError / ContractCodeDoesNotExistError.
    throw handlerError(
      'CONTRACT_EXECUTION_ERROR',
      { vm_error: vmError, error: err.functionCallError, ...at(block) },
      `Function call returned an error: ${vmError}`,
    );
  }
}

function viewState(ctx: MethodContext, params: Params, block: ChainBlock): unknown {
  const accountId = existingAccount(ctx, params, block);
  const prefix =
    params.prefix_base64 === undefined ? new Uint8Array() : requireBase64(params, 'prefix_base64');
  const values = ctx.chain
    .state(accountId, prefix)
    .map(({ key, value }) => ({ key: b64(key), value: b64(value) }));
  return params.include_proof ? { values, proof: [], ...at(block) } : { values, ...at(block) };
}

function viewCode(ctx: MethodContext, params: Params, block: ChainBlock): unknown {
  const accountId = existingAccount(ctx, params, block);
  const code = ctx.chain.code(accountId);
  if (!code || code.length === 0) {
    throw handlerError(
      'NO_CONTRACT_CODE',
      { contract_account_id: accountId, ...at(block) },
      `Contract code for contract ID #${accountId} has never been observed on the node`,
    );
  }
  return {
    code_base64: b64(code),
    hash: nearApi().baseEncode(new Uint8Array(createHash('sha256').update(code).digest())),
    ...at(block),
  };
}
