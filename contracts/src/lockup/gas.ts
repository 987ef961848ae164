// Gas the lockup attaches, as mainnet's lockup (core-contracts lockup/src/gas.rs, BASE 25 Tgas).
const BASE_GAS = 25_000_000_000_000n;

/** `is_whitelisted` view on the whitelist contract. */
export const IS_WHITELISTED_GAS = BASE_GAS;
/** Each state-changing staking-pool call (deposit, deposit_and_stake, stake, unstake, withdraw). */
export const STAKING_POOL_CALL_GAS = BASE_GAS * 3n;
/** `deposit` on the staking pool. */
export const DEPOSIT_GAS = BASE_GAS * 2n;
/** Balance views on the staking pool. */
export const STAKING_POOL_VIEW_GAS = BASE_GAS;
/** Each callback that only updates this contract's accounting. */
export const CALLBACK_GAS = BASE_GAS;
/** The callback that reads the unstaked balance and then calls `withdraw` with its own callback. */
export const WITHDRAW_ALL_CALLBACK_GAS = BASE_GAS + STAKING_POOL_CALL_GAS + CALLBACK_GAS;
