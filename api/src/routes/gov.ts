import { formatNear, govEarningsPerDay } from '@snear/amm-math';
import type { FastifyInstance } from 'fastify';
import type { RouteOptions } from '../context';
import { ApiError, commonErrorResponses } from '../errors';
import { allRequired } from './quotes';
import { stateCacheHeaders, stateStamp } from './state-body';

const ONE_TOKEN = 10n ** 24n;
const yocto = { type: 'string', pattern: '^[0-9]+$' } as const;

/** GET /v1/gov: the governance token's emission, and what holding earns per day. */
export async function govRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  app.get(
    '/v1/gov',
    {
      schema: {
        summary:
          'Governance-token emission: rate, split, emitted, and what 1,000 sNEAR or one LP share earns per day',
        description:
          "From the metapool's get_contract_state().gov (get_gov_state). Per-day figures are the next " +
          '24 hours of the public schedule (amm-math govEarningsPerDay), split stakers/LPs, shared ' +
          "pro rata by eligible sNEAR (every holder and lockup; not the pool's own sNEAR or the " +
          "treasury's) and by LP shares. `enabled` is false while the metapool has no token.",
        tags: ['state'],
        response: {
          200: allRequired({
            enabled: { type: 'boolean' },
            token_id: { type: ['string', 'null'] },
            rate_per_second: { ...yocto, description: 'GOV (smallest units) per second now' },
            weekly_decay_bps: { type: 'integer' },
            scale_bps: { type: 'integer' },
            stakers_bps: { type: 'integer' },
            lps_bps: { type: 'integer' },
            emitted: yocto,
            remaining: yocto,
            claimed: yocto,
            per_day: yocto,
            per_1000_snear_per_day: yocto,
            per_lp_share_per_day: { ...yocto, description: 'for 10^24 LP share units' },
            per_1000_snear_per_day_text: { type: 'string' },
            ...Object.fromEntries(
              ['block_height', 'block_timestamp_ms', 'state_age_ms'].map((k) => [
                k,
                { type: 'integer' },
              ]),
            ),
            rpc_ok: { type: 'boolean' },
          }),
          ...commonErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const served = ctx.freshness.require();
      if (stateCacheHeaders(request, reply, served)) return reply.send();
      const gov = served.snapshot.view.gov;
      const now = Math.floor(Number(served.snapshot.blockTimestampMs) / 1000);
      const earn =
        gov === undefined ? null : govEarningsPerDay(gov, now, 1_000n * ONE_TOKEN, ONE_TOKEN);
      return {
        enabled: gov !== undefined && gov.token_id !== null,
        token_id: gov?.token_id ?? null,
        rate_per_second: gov?.rate_per_second ?? '0',
        weekly_decay_bps: gov?.weekly_decay_bps ?? 0,
        scale_bps: gov?.scale_bps ?? 0,
        stakers_bps: gov?.stakers_bps ?? 0,
        lps_bps: gov?.lps_bps ?? 0,
        emitted: gov?.emitted ?? '0',
        remaining: gov?.remaining ?? '0',
        claimed: gov?.claimed ?? '0',
        per_day: earn === null ? '0' : (earn.stakersPerDay + earn.lpsPerDay).toString(),
        per_1000_snear_per_day: (earn?.perSnearPerDay ?? 0n).toString(),
        per_lp_share_per_day: (earn?.perLpPerDay ?? 0n).toString(),
        per_1000_snear_per_day_text: `${formatNear(earn?.perSnearPerDay ?? 0n)} GOV`,
        ...stateStamp(served),
      };
    },
  );

  app.get<{ Querystring: { account_id: string } }>(
    '/v1/gov/account',
    {
      schema: {
        summary: "An account's governance tokens: what it can claim now and where its accrual goes",
        description:
          "The metapool's get_gov_account at the final block: `claimable` (its own accrual, what " +
          'others forwarded to it, and for the treasury its share), `beneficiary_id`, and ' +
          "`pending_forward` (accrued since its last settle, for its beneficiary). A lockup's " +
          'owner claims its amount with claim_gov({ lockup_id }).',
        tags: ['state'],
        querystring: {
          type: 'object',
          properties: {
            account_id: {
              type: 'string',
              minLength: 2,
              maxLength: 64,
              pattern: '^(([a-z\\d]+[-_])*[a-z\\d]+\\.)*([a-z\\d]+[-_])*[a-z\\d]+$',
            },
          },
          required: ['account_id'],
          additionalProperties: false,
        },
        response: {
          200: allRequired({
            account_id: { type: 'string' },
            claimable: yocto,
            forwarded_to_it: yocto,
            beneficiary_id: { type: ['string', 'null'] },
            pending_forward: yocto,
          }),
          ...commonErrorResponses,
        },
      },
    },
    async (request) => {
      try {
        return await ctx.source.callView('get_gov_account', {
          account_id: request.query.account_id,
        });
      } catch (error) {
        throw new ApiError(
          503,
          'STATE_UNAVAILABLE',
          `the metapool's get_gov_account could not be read (${(error as Error).message}); retry shortly`,
        );
      }
    },
  );
}
