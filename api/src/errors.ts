/** Every `code` an error body can carry (the OpenAPI document lists them as an enum). */
export const ERROR_CODES = [
  // 400: what the client sent
  'INVALID_REQUEST',
  'UNKNOWN_PARAMETER',
  'INVALID_AMOUNT',
  'MISSING_AMOUNT',
  'AMBIGUOUS_AMOUNT',
  'AMOUNT_TOO_LARGE',
  'INVALID_JSON',
  'BAD_REQUEST',
  // other 4xx
  'NOT_FOUND',
  'REQUEST_TIMEOUT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'HEADERS_TOO_LARGE',
  'AMOUNT_TOO_SMALL',
  'INSUFFICIENT_LIQUIDITY',
  'INSUFFICIENT_SHARES',
  'RATE_LIMITED',
  'TOO_MANY_STREAMS',
  // 5xx: our side or the chain's
  'INTERNAL_ERROR',
  'CHAIN_STATE_INVALID_STATE',
  'CHAIN_STATE_INVALID_CURVE',
  'STATE_UNAVAILABLE',
  'STATE_STALE',
  'RPC_UNREACHABLE',
  'OVERLOADED',
  'HISTORY_UNAVAILABLE',
] as const;

/** A stable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error a client can act on: HTTP status, stable code, a sentence, optional fields. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** JSON schema of every error body: `{ code, message, ...fields }`. */
export const errorBodySchema = {
  $id: 'ErrorBody',
  type: 'object',
  description: 'An error: a stable code, a sentence saying what to do, and any named limits.',
  properties: {
    code: {
      type: 'string',
      enum: [...ERROR_CODES],
      description: 'Stable machine-readable code, e.g. INVALID_AMOUNT',
    },
    message: { type: 'string' },
    max_snear_in: { type: 'string', description: 'Largest sellable sNEAR (yocto), when relevant' },
  },
  required: ['code', 'message'],
  additionalProperties: true,
} as const;

/** Responses every route may give besides its success, for the OpenAPI document. */
export const commonErrorResponses = {
  400: { $ref: 'ErrorBody#' },
  429: { $ref: 'ErrorBody#' },
  503: { $ref: 'ErrorBody#' },
} as const;

// Hints appended to schema-validation messages, by parameter name.
const PARAMETER_HINTS: Record<string, string> = {
  snear: 'Give sNEAR in yocto as decimal digits (1 sNEAR = 1000000000000000000000000).',
  near: 'Give NEAR in yocto as decimal digits (1 NEAR = 1000000000000000000000000).',
  shares: 'Give LP shares as decimal digits of the smallest unit.',
  amount: 'Give a decimal amount in whole tokens with at most 24 decimals, e.g. 12.5.',
  slippage_bps: 'Give decimal digits of an integer between 0 and 10000 (basis points, 50 = 0.5%).',
  external_price: 'Give NEAR per sNEAR elsewhere as a decimal, e.g. 1.0412.',
  points: 'Give decimal digits of an integer number of chart points between 2 and 500.',
  quotes: 'Send {"quotes":[{"kind":"liquid-unstake","snear":"..."}, ...]} with 1 to 100 items.',
  kind: 'Use one of liquid-unstake, liquid-unstake-exact-out, stake, add-liquidity, remove-liquidity.',
};

interface AjvIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** Turns a Fastify schema-validation failure into a 400 whose message names the field and the fix. */
export function validationError(issues: AjvIssue[], context: string | undefined): ApiError {
  const issue = issues[0] ?? {};
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = issue.params?.missingProperty as string | undefined;
  const extra = issue.params?.additionalProperty as string | undefined;
  const field = missing ?? extra ?? path;
  const leaf =
    field
      .split('.')
      .filter((part) => !/^\d+$/.test(part))
      .pop() ?? '';
  const where = context ?? 'request';
  if (extra) {
    const name = `${path ? `${path}.` : ''}${extra}`;
    const kind = where === 'querystring' ? 'parameter' : 'field';
    return new ApiError(
      400,
      'UNKNOWN_PARAMETER',
      `Unknown ${kind} "${name}" in the ${where}; it is refused rather than ignored. Check its spelling against /docs${extra === 'slippage' ? ' (did you mean "slippage_bps"?)' : ''}.`,
      { field: name },
    );
  }
  let what: string;
  if (missing) what = `${where} is missing "${field}"`;
  else what = `${where} field "${field || '(root)'}" ${issue.message ?? 'is invalid'}`;
  const hint = PARAMETER_HINTS[leaf] ?? PARAMETER_HINTS[field] ?? '';
  return new ApiError(400, 'INVALID_REQUEST', `${what}. ${hint}`.trim(), field ? { field } : {});
}
