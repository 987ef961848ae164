import { AmmError } from './errors';
import type { PoolState } from './types';
import { requireAmount } from './validate';

/** The two fields that fix the sNEAR share price. */
export type SharePrice = Pick<PoolState, 'totalStakedNear' | 'totalSnear'>;

function requireSharePrice(state: SharePrice): void {
  const { totalStakedNear, totalSnear } = state;
  if (typeof totalStakedNear !== 'bigint' || typeof totalSnear !== 'bigint') {
    throw new AmmError('INVALID_STATE', 'totalStakedNear and totalSnear must be bigints of yocto');
  }
  if (totalStakedNear < 0n || totalSnear < 0n || (totalSnear > 0n && totalStakedNear === 0n)) {
    throw new AmmError(
      'INVALID_STATE',
      `no share price for totalStakedNear ${totalStakedNear}, totalSnear ${totalSnear}`,
    );
  }
}

/** NEAR value of `snear` at the share price, rounded down; 1:1 while totalSnear is 0 (§2). */
export function snearToNear(state: SharePrice, snear: bigint): bigint {
  requireSharePrice(state);
  requireAmount('snear', snear, true);
  return valueOfSnear(state, snear);
}

/** sNEAR bought by `near` at the share price, rounded down; 1:1 while totalSnear is 0 (§2). */
export function nearToSnear(state: SharePrice, near: bigint): bigint {
  requireSharePrice(state);
  requireAmount('near', near, true);
  return snearOfNear(state, near);
}

/** snearToNear without argument checks, for callers that validated the state already. */
export function valueOfSnear(state: SharePrice, snear: bigint): bigint {
  if (state.totalSnear === 0n) return snear;
  return (snear * state.totalStakedNear) / state.totalSnear;
}

/** nearToSnear without argument checks, for callers that validated the state already. */
export function snearOfNear(state: SharePrice, near: bigint): bigint {
  if (state.totalSnear === 0n) return near;
  return (near * state.totalSnear) / state.totalStakedNear;
}

/** Smallest sNEAR amount whose value (snearToNear) is at least `near`; state validated by caller. */
export function snearForValueCeil(state: SharePrice, near: bigint): bigint {
  if (state.totalSnear === 0n) return near;
  const num = near * state.totalSnear;
  const q = num / state.totalStakedNear;
  return q * state.totalStakedNear === num ? q : q + 1n;
}

/** Smallest NEAR amount backing `snear` at the share price: ceil(snear·N/S); state validated by caller. */
export function nearForSnearCeil(state: SharePrice, snear: bigint): bigint {
  if (state.totalSnear === 0n) return snear;
  const num = snear * state.totalStakedNear;
  const q = num / state.totalSnear;
  return q * state.totalSnear === num ? q : q + 1n;
}
