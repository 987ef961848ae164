// Reading JSON-RPC params the way nearcore accepts them (named object or positional array), and
// resolving block references (`{ finality }` or `{ block_id: height | base58 hash }`).
import type { ChainBlock, RpcChain } from './chain';
import { handlerError, parseError } from './errors';

/** A params object (named params); positional arrays are handled per method. */
export type Params = Record<string, unknown>;

/** Params as an object; throws PARSE_ERROR otherwise. */
export function objectParams(params: unknown, method: string): Params {
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    return params as Params;
  }
  throw parseError(`Failed parsing args: ${method} expects params as an object`);
}

/** A required string field; throws PARSE_ERROR naming the field. */
export function requireString(params: Params, field: string): string {
  const value = params[field];
  if (typeof value !== 'string') {
    throw parseError(
      value === undefined
        ? `Failed parsing args: missing field \`${field}\``
        : `Failed parsing args: field \`${field}\` must be a string`,
    );
  }
  return value;
}

/** Decodes a base64 field (empty string allowed); throws PARSE_ERROR when it is not base64. */
export function requireBase64(params: Params, field: string): Uint8Array {
  const text = requireString(params, field);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    throw parseError(`Failed parsing args: field \`${field}\` is not valid base64`);
  }
  return new Uint8Array(bytes);
}

const FINALITIES = new Set(['optimistic', 'near-final', 'final']);

/** The block a `{ finality } | { block_id }` reference names; UNKNOWN_BLOCK when absent. */
export function resolveBlock(chain: RpcChain, params: Params): ChainBlock {
  const blockId = params.block_id ?? params.blockId;
  if (blockId !== undefined && blockId !== null) return blockById(chain, blockId);
  const finality = params.finality;
  if (finality !== undefined && (typeof finality !== 'string' || !FINALITIES.has(finality))) {
    throw parseError(
      `Failed parsing args: unknown variant \`${String(finality)}\`, expected one of \`optimistic\`, \`near-final\`, \`final\``,
    );
  }
  // Localnet finalises every block as it is produced, so every finality names the head.
  return chain.head();
}

/** A block by height (number or numeric string) or base58 hash; UNKNOWN_BLOCK when absent. */
export function blockById(chain: RpcChain, blockId: unknown): ChainBlock {
  let block: ChainBlock | undefined;
  if (typeof blockId === 'number' && Number.isSafeInteger(blockId)) {
    block = chain.block(blockId);
  } else if (typeof blockId === 'string') {
    block = chain.block(/^\d+$/.test(blockId) ? Number(blockId) : blockId);
  } else {
    throw parseError('Failed parsing args: block_id must be a block height or a base58 block hash');
  }
  if (!block) {
    const what =
      typeof blockId === 'number' || /^\d+$/.test(String(blockId)) ? 'BLOCK HEIGHT' : 'BLOCK HASH';
    throw handlerError(
      'UNKNOWN_BLOCK',
      { block_reference: { block_id: blockId } },
      `DB Not Found Error: ${what}: ${String(blockId)} \n Cause: Unknown`,
    );
  }
  return block;
}

const ACCOUNT_ID = /^(([a-z\d]+[-_])*[a-z\d]+\.)*([a-z\d]+[-_])*[a-z\d]+$/;

/** NEAR account-id rules: 2..64 chars of lowercase alphanumerics separated by '.', '-' or '_'. */
export function isValidAccountId(accountId: string): boolean {
  return accountId.length >= 2 && accountId.length <= 64 && ACCOUNT_ID.test(accountId);
}
