import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decimalString, yoctoString } from '../amounts';
import type { RouteOptions } from '../context';
import { ApiError, commonErrorResponses } from '../errors';
import { computeQuote, INPUT_FIELD, QUOTE_KINDS, type QuoteInput, type QuoteKind } from '../quotes';
import { stateCacheHeaders, stateStamp, stateStampJsonTail } from './state-body';

const JSON_TYPE = 'application/json; charset=utf-8';

const slippageBps = {
  type: 'integer',
  minimum: 0,
  maximum: 10_000,
  description: 'Tolerance for min_* outputs in bps (default 50 = 0.5%)',
} as const;

const stamp = {
  block_height: { type: 'integer' },
  block_timestamp_ms: { type: 'integer' },
  state_age_ms: { type: 'integer' },
  rpc_ok: { type: 'boolean' },
} as const;

const yocto = { type: 'string', pattern: '^[0-9]+$' } as const;
const bpsInteger = { type: 'integer', minimum: 0, maximum: 10_000 } as const;

/** An object schema whose every property is required (optional ones listed apart). */
export function allRequired(
  properties: Record<string, object>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: 'object', properties, required: Object.keys(properties), ...extra };
}

/** The call a wallet or bot signs to do what the quote says. */
export const callSchema = allRequired(
  {
    contract_id: { type: 'string', description: 'the metapool account' },
    method_name: { type: 'string' },
    args: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'JSON arguments, amounts as yocto strings (min_* guard the slippage)',
    },
    deposit: {
      type: 'string',
      description:
        'yoctoNEAR to attach: the NEAR paid in, "1" for sNEAR moves (liquid_unstake), else "0"',
    },
    gas: { type: 'string', description: 'gas to attach; unused gas is refunded' },
  },
  { description: 'Ready-made function call: sign it as is' },
);

const AFTER_FIELDS = {
  liquidity_after: { ...yocto, description: 'pool NEAR liquidity after this trade' },
  marginal_fee_bps_after: {
    type: 'number',
    description: 'marginal fee (bps, 6 decimals) a seller pays after this trade',
  },
  call: callSchema,
};

// The fields of the contract's quote_liquid_unstake view, plus the slippage guard.
const LIQUID_UNSTAKE_FIELDS = {
  snear_in: yocto,
  value_near: yocto,
  near_out: yocto,
  fee_near: yocto,
  fee_bps: { ...bpsInteger, description: 'effective fee: floor(fee_near·10000/near_out)' },
  treasury_snear: yocto,
  slippage_bps: bpsInteger,
  min_near_out: yocto,
  ...AFTER_FIELDS,
};

const unstakingSchema = {
  type: 'array',
  description:
    'unstaking_near by unlock epoch (estimated when the pool schedule is not in the view)',
  items: allRequired({
    unlock_epoch: { type: 'integer' },
    near: yocto,
    estimated: { type: 'boolean' },
  }),
};

// Response properties per kind; the quote object carries exactly these plus the state stamp.
export const RESULT_PROPERTIES: Record<QuoteKind, Record<string, object>> = {
  'liquid-unstake': LIQUID_UNSTAKE_FIELDS,
  'liquid-unstake-exact-out': { near_wanted: yocto, ...LIQUID_UNSTAKE_FIELDS },
  stake: {
    near_in: yocto,
    snear_out: yocto,
    from_pool_near: yocto,
    from_pool_snear: yocto,
    minted_snear: yocto,
    ...AFTER_FIELDS,
  },
  'add-liquidity': {
    near_in: yocto,
    lp_shares: yocto,
    slippage_bps: bpsInteger,
    min_shares: yocto,
    ...AFTER_FIELDS,
  },
  'remove-liquidity': {
    shares: yocto,
    near_out: { ...yocto, description: 'NEAR paid now' },
    snear_out: { ...yocto, description: 'sNEAR paid now' },
    unstaking_near: {
      ...yocto,
      description: "NEAR of the pool's own delayed unstake credited to you, withdrawable later",
    },
    unstaking: unstakingSchema,
    value_near: { ...yocto, description: 'near_out + NEAR value of snear_out + unstaking_near' },
    slippage_bps: bpsInteger,
    min_near_out: yocto,
    min_snear_out: yocto,
    ...AFTER_FIELDS,
  },
};

/** The response schema of each kind without the state stamp, to serialise the cached part. */
const HEAD_SCHEMAS = Object.fromEntries(
  QUOTE_KINDS.map((kind) => [
    kind,
    allRequired({ kind: { type: 'string', enum: [kind] }, ...RESULT_PROPERTIES[kind] }),
  ]),
) as Record<QuoteKind, Record<string, unknown>>;

const SUMMARIES: Record<QuoteKind, string> = {
  'liquid-unstake': 'Sell sNEAR to the instant-exit pool for NEAR now',
  'liquid-unstake-exact-out': 'The smallest sNEAR sale that gives at least `near` NEAR',
  stake: 'Deposit NEAR for sNEAR (buys the pool’s sNEAR first, fee-free)',
  'add-liquidity': 'LP shares minted for adding NEAR to the pool',
  'remove-liquidity': 'NEAR and sNEAR paid out for burning LP shares',
};

const batchItemSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: [...QUOTE_KINDS] },
    snear: yoctoString,
    near: yoctoString,
    shares: yoctoString,
    amount: decimalString,
    slippage_bps: slippageBps,
  },
  required: ['kind'],
  additionalProperties: false,
} as const;

/** The GET /v1/quote/<kind> routes and POST /v1/quotes (batch). */
export async function quoteRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  /**
   * The JSON body of one quote. The quote part is serialised once per block and input, by the
   * route's response schema without the stamp (HEAD_SCHEMAS), and cached without its closing
   * brace; each request only appends the state stamp. Same bytes as serialising the stamped object
   * with the route's schema every time.
   */
  const quoteJson = (
    kind: QuoteKind,
    input: QuoteInput,
    request: FastifyRequest,
    reply: FastifyReply,
  ): string | null => {
    const served = ctx.freshness.require();
    if (stateCacheHeaders(request, reply, served)) return null;
    const field = INPUT_FIELD[kind];
    const key = `${kind}|${input[field] ?? ''}|${input.amount ?? ''}|${input.slippage_bps ?? ''}`;
    const head = ctx.quoteCache.get(served.snapshot, key, () =>
      reply
        .compileSerializationSchema(HEAD_SCHEMAS[kind])(
          computeQuote(kind, input, served.snapshot, ctx.contractId),
        )
        .slice(0, -1),
    );
    return head + stateStampJsonTail(served);
  };

  for (const kind of QUOTE_KINDS) {
    const field = INPUT_FIELD[kind];
    app.get<{ Querystring: QuoteInput }>(
      `/v1/quote/${kind}`,
      {
        schema: {
          summary: SUMMARIES[kind],
          tags: ['quotes'],
          querystring: {
            type: 'object',
            properties: {
              [field]: yoctoString,
              amount: decimalString,
              ...(kind === 'stake' ? {} : { slippage_bps: slippageBps }),
            },
            additionalProperties: false,
          },
          response: {
            200: allRequired({
              kind: { type: 'string', enum: [kind] },
              ...RESULT_PROPERTIES[kind],
              ...stamp,
            }),
            ...commonErrorResponses,
            422: { $ref: 'ErrorBody#' },
          },
        },
      },
      // not async: no promise per request; a thrown ApiError still reaches the error handler
      (request, reply) => {
        const body = quoteJson(kind, request.query, request, reply);
        if (body === null) reply.send();
        else reply.header('content-type', JSON_TYPE).send(body);
      },
    );
  }

  app.post<{ Body: { quotes: Array<QuoteInput & { kind: QuoteKind }> } }>(
    '/v1/quotes',
    {
      schema: {
        summary: 'Up to 100 quotes of any kind from one state (for bots)',
        tags: ['quotes'],
        body: {
          type: 'object',
          properties: {
            quotes: { type: 'array', minItems: 1, maxItems: 100, items: batchItemSchema },
          },
          required: ['quotes'],
          additionalProperties: false,
        },
        response: {
          200: allRequired({
            ...stamp,
            results: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  ok: { type: 'boolean' },
                  quote: {
                    type: 'object',
                    additionalProperties: true,
                    description: 'the body of GET /v1/quote/<kind>, without the state stamp',
                  },
                  error: { $ref: 'ErrorBody#' },
                },
                required: ['ok'],
              },
            },
          }),
          ...commonErrorResponses,
        },
      },
    },
    async (request) => {
      const served = ctx.freshness.require();
      const results = request.body.quotes.map((item) => {
        try {
          const { kind, ...input } = item;
          return { ok: true, quote: computeQuote(kind, input, served.snapshot, ctx.contractId) };
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          return {
            ok: false,
            error: { code: error.code, message: error.message, ...error.fields },
          };
        }
      });
      return { ...stateStamp(served), results };
    },
  );
}
