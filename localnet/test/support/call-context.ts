// A bare call context and an empty chain for tests that drive an engine directly (no Localnet).
import type { CallContext, ChainView } from '../../src/host/types';

const TGAS = 10n ** 12n;

/** `a.near` calling `c.near` with nothing attached, at block 1 of epoch 1. */
export function bareCallContext(prepaidGas = 300n * TGAS): CallContext {
  return {
    currentAccountId: 'c.near',
    signerAccountId: 'a.near',
    signerAccountPk: new Uint8Array(33),
    predecessorAccountId: 'a.near',
    input: new Uint8Array(),
    blockHeight: 1n,
    blockTimestamp: 1n,
    epochHeight: 1n,
    prepaidGas,
    attachedDeposit: 0n,
    randomSeed: new Uint8Array(32),
    isView: false,
    promiseResults: [],
    maxGasBurnt: 300n * TGAS,
  };
}

/** A chain with no storage, balance, stake or validators. */
export const emptyChain: ChainView = {
  storageGet: () => undefined,
  accountBalance: 0n,
  accountLockedBalance: 0n,
  storageUsage: 0n,
  validatorStake: () => 0n,
  validatorTotalStake: () => 0n,
};
