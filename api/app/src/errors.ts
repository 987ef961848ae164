// Every failure the app can meet — contract panics (E_*), quote-API errors ({code, message}),
// wallet and network trouble — as one sentence a person can act on, amounts in NEAR.
import { formatYocto } from './format';

/** What the app knows when an action fails (amounts in yocto). */
export interface ErrorContext {
  /** The action being tried, e.g. "sell", "stake". */
  action?: string;
  /** Largest sNEAR the pool can buy now. */
  maxSellableSnear?: bigint | string;
  /** Liquidity the pool can pay out now (NEAR). */
  liquidityNear?: bigint | string;
  /** The amount the person asked for (yocto of the action's unit). */
  amount?: bigint | string;
  /** Balances of the connected account. */
  snearBalance?: bigint | string;
  nearBalance?: bigint | string;
  lpShares?: bigint | string;
}

/** The stable code carried by an error: `E_FOO` from a contract panic, or an API body's `code`. */
export function errorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  const text = error instanceof Error ? error.message : String(error);
  return /\b(E_[A-Z_]+)\b/.exec(text)?.[1];
}

/** Whole tokens when there is at least one, else 4 decimals (never "0" for a real amount). */
const near = (yocto: bigint | string) => formatYocto(yocto, BigInt(yocto) >= 10n ** 24n ? 0 : 4);

/** Below this (0.0001 token) a limit is nothing a person can act on. */
const DUST = 10n ** 20n;

/** "The pool can pay at most 4,131 NEAR now; sell 4,131 sNEAR now and unstake the rest, or wait." */
function tooMuchForPool(ctx: ErrorContext, maxSnearIn?: string): string {
  const max =
    maxSnearIn ?? (ctx.maxSellableSnear === undefined ? undefined : String(ctx.maxSellableSnear));
  if (max === undefined) {
    return 'The pool cannot pay that much now; sell less and unstake the rest, or wait.';
  }
  if (BigInt(max) < DUST) {
    return 'The pool has no NEAR to pay out now; use a delayed unstake, or wait for liquidity.';
  }
  const pay =
    ctx.liquidityNear === undefined
      ? ''
      : `The pool can pay at most ${near(ctx.liquidityNear)} NEAR now; `;
  const lead = pay || 'The pool cannot buy that much now; ';
  return `${lead}sell ${near(max)} sNEAR now and unstake the rest, or wait.`;
}

/** One sentence for any error the app meets; never raw yocto or a bare code. */
export function describeError(error: unknown, ctx: ErrorContext = {}): string {
  const code = errorCode(error);
  const body = (error && typeof error === 'object' ? error : {}) as Record<string, unknown>;
  const str = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  switch (code) {
    case 'INSUFFICIENT_LIQUIDITY':
    case 'E_INSUFFICIENT_LIQUIDITY':
      return tooMuchForPool(ctx, str('max_snear_in'));
    case 'AMOUNT_TOO_SMALL':
    case 'E_ZERO_AMOUNT':
    case 'E_BAD_AMOUNT': {
      const least = str('min_snear_in');
      return least
        ? `That amount is too small to pay anything after the fee; sell at least ${formatYocto(least, 6)} sNEAR.`
        : 'That amount is too small; enter a larger amount.';
    }
    case 'E_SLIPPAGE':
      return 'The price moved past your slippage setting before the transaction landed; nothing changed. Quote again, or allow more slippage.';
    case 'E_INSUFFICIENT_BALANCE':
      if (ctx.action === 'stake' && ctx.nearBalance !== undefined)
        return `Your wallet has ${formatYocto(ctx.nearBalance, 2)} NEAR; stake less, keeping some for gas.`;
      if (ctx.snearBalance !== undefined)
        return `You have ${formatYocto(ctx.snearBalance, 4)} sNEAR; enter at most that.`;
      return 'Your balance is too small for that; enter a smaller amount.';
    case 'INSUFFICIENT_SHARES':
    case 'E_INSUFFICIENT_SHARES':
    case 'E_INSUFFICIENT_LP_SHARES':
      return ctx.lpShares !== undefined
        ? `You have ${formatYocto(ctx.lpShares, 4)} LP shares; remove at most that.`
        : 'You have fewer LP shares than that; remove fewer.';
    case 'E_NOT_AVAILABLE':
      return 'Nothing you unstaked has matured yet; withdraw once the unlock epoch shown is reached.';
    case 'E_NOTHING_TO_CLAIM':
      return 'There is no governance token to claim yet; it accrues every second you hold sNEAR or LP shares.';
    case 'E_GOV_DISABLED':
      return 'The governance token is not live on this metapool yet.';
    case 'E_STORAGE':
    case 'E_NOT_REGISTERED':
      return 'Your account is not registered with the token yet; register (a small NEAR storage deposit) and try again.';
    case 'E_LOCKUP':
      return 'A lockup account cannot do this; use the lockup owner’s account.';
    case 'E_DEPOSIT':
      return 'The wallet attached the wrong deposit; try again from this page (it attaches exactly what the contract needs).';
    case 'E_TOO_MANY_BUCKETS':
      return 'You have too many unstakes waiting; withdraw the matured ones first, or wait an epoch.';
    case 'E_TIMELOCK':
    case 'E_UNAUTHORIZED':
      return 'Your account is not allowed to do this.';
    case 'STATE_STALE':
    case 'STATE_UNAVAILABLE':
    case 'RPC_UNREACHABLE':
      return 'The chain cannot be read right now; the numbers may be old. Try again in a minute.';
    case 'RATE_LIMITED':
    case 'OVERLOADED':
      return 'The server is busy; try again in a few seconds.';
    case 'INVALID_AMOUNT':
    case 'INVALID_REQUEST':
    case 'MISSING_AMOUNT':
    case 'AMOUNT_TOO_LARGE':
      return 'Enter the amount as a number, like 12.5 (at most 24 decimals).';
    case 'NOT_FOUND':
      return 'This feature is not available on this server yet.';
  }
  const text = error instanceof Error ? error.message : String(error);
  if (/reject|cancel|denied/i.test(text))
    return 'You cancelled the transaction in your wallet; nothing changed.';
  if (/NotEnoughBalance|LackBalanceForState/i.test(text))
    return `Your wallet does not have enough NEAR for this and its gas${ctx.nearBalance === undefined ? '' : ` (it has ${formatYocto(ctx.nearBalance, 2)} NEAR)`}; enter a smaller amount.`;
  if (/failed to fetch|network|timeout|timed out/i.test(text))
    return 'The network did not answer; check your connection and try again.';
  if (/^(Enter|The|Your|You|Connect|Nothing)\b/.test(text) && !/\d{19,}/.test(text)) return text;
  return 'Something went wrong and nothing was changed; reload the page and try again.';
}
