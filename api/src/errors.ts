/** An error a client can act on: HTTP status, stable code, a sentence, optional fields. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
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
    code: { type: 'string', description: 'Stable machine-readable code, e.g. INVALID_AMOUNT' },
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
  slippage_bps: 'Give an integer between 0 and 10000 (basis points, 50 = 0.5%).',
  points: 'Give an integer number of chart points between 2 and 500.',
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
  let what: string;
  if (missing) what = `${where} is missing "${field}"`;
  else if (extra) what = `${where} has an unknown field "${path ? `${path}.` : ''}${extra}"`;
  else what = `${where} field "${field || '(root)'}" ${issue.message ?? 'is invalid'}`;
  const hint = PARAMETER_HINTS[leaf] ?? PARAMETER_HINTS[field] ?? '';
  return new ApiError(400, 'INVALID_REQUEST', `${what}. ${hint}`.trim(), field ? { field } : {});
}
