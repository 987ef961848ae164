import type { FastifyInstance, FastifyReply } from 'fastify';
import { decimalString, yoctoString } from '../amounts';
import type { RouteOptions } from '../context';
import { ApiError, commonErrorResponses } from '../errors';
import { computeQuote, INPUT_FIELD, QUOTE_KINDS, type QuoteInput, type QuoteKind } from '../quotes';
import { stateStamp, stateStampJsonTail } from './state-body';

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

const yocto = { type: 'string' } as const;
const bps = { type: 'number' } as const;

// The fields of the contract's quote_liquid_unstake view, plus the slippage guard.
const LIQUID_UNSTAKE_FIELDS = {
  snear_in: yocto,
  value_near: yocto,
  near_out: yocto,
  fee_near: yocto,
  fee_bps: {
    type: 'string',
    description: 'effective fee in bps (as the contract view gives it)',
  },
  treasury_snear: yocto,
  slippage_bps: bps,
  min_near_out: yocto,
};

// Response properties per kind; the quote object carries exactly these plus the state stamp.
const RESULT_PROPERTIES: Record<QuoteKind, Record<string, object>> = {
  'liquid-unstake': LIQUID_UNSTAKE_FIELDS,
  'liquid-unstake-exact-out': { near_wanted: yocto, ...LIQUID_UNSTAKE_FIELDS },
  stake: {
    near_in: yocto,
    snear_out: yocto,
    from_pool_near: yocto,
    from_pool_snear: yocto,
    minted_snear: yocto,
  },
  'add-liquidity': { near_in: yocto, lp_shares: yocto, slippage_bps: bps, min_shares: yocto },
  'remove-liquidity': {
    shares: yocto,
    near_out: yocto,
    snear_out: yocto,
    slippage_bps: bps,
    min_near_out: yocto,
    min_snear_out: yocto,
  },
};

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
   * route's own response schema (`reply.serialize`), and cached without its closing brace; each
   * request only appends the state stamp. Same bytes as serialising the stamped object every time.
   */
  const quoteJson = (kind: QuoteKind, input: QuoteInput, reply: FastifyReply): string => {
    const served = ctx.freshness.require();
    const field = INPUT_FIELD[kind];
    const key = `${kind}|${input[field] ?? ''}|${input.amount ?? ''}|${input.slippage_bps ?? ''}`;
    const head = ctx.quoteCache.get(served.snapshot, key, () =>
      String(reply.serialize(computeQuote(kind, input, served.snapshot))).slice(0, -1),
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
            200: {
              type: 'object',
              properties: { kind: { type: 'string' }, ...RESULT_PROPERTIES[kind], ...stamp },
            },
            ...commonErrorResponses,
            422: { $ref: 'ErrorBody#' },
          },
        },
      },
      // not async: no promise per request; a thrown ApiError still reaches the error handler
      (request, reply) => {
        const body = quoteJson(kind, request.query, reply);
        reply.header('content-type', JSON_TYPE).send(body);
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
          200: {
            type: 'object',
            properties: {
              ...stamp,
              results: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    ok: { type: 'boolean' },
                    quote: { type: 'object', additionalProperties: true },
                    error: { $ref: 'ErrorBody#' },
                  },
                },
              },
            },
          },
          ...commonErrorResponses,
        },
      },
    },
    async (request) => {
      const served = ctx.freshness.require();
      const results = request.body.quotes.map((item) => {
        try {
          const { kind, ...input } = item;
          return { ok: true, quote: computeQuote(kind, input, served.snapshot) };
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
