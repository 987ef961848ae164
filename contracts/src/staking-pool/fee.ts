import { ensure } from '../whitelist/account-id';

/** The owner's cut of rewards, `numerator / denominator` (u32 each, as JSON numbers). */
export interface RewardFeeFraction {
  numerator: number;
  denominator: number;
}

const U32_MAX = 0xffff_ffff;

const isU32 = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= U32_MAX;

/** Panics unless the fraction is well formed and at most 1 (the real contract's checks). */
export function assertValidFee(fee: RewardFeeFraction | undefined): RewardFeeFraction {
  ensure(
    fee !== undefined && fee !== null && isU32(fee.numerator) && isU32(fee.denominator),
    'Failed to deserialize input from JSON: `reward_fee_fraction` must be { numerator, denominator } of u32',
  );
  ensure(fee.denominator !== 0, 'Denominator must be a positive number');
  ensure(fee.numerator <= fee.denominator, 'The reward fee must be less or equal to 1');
  return { numerator: fee.numerator, denominator: fee.denominator };
}

/** floor(value * numerator / denominator). */
export function multiplyFee(fee: RewardFeeFraction, value: bigint): bigint {
  return (BigInt(fee.numerator) * value) / BigInt(fee.denominator);
}
