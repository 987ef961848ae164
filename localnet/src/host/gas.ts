// nearcore protocol-86 gas parameters (NEAR-RPC.md §3) plus localnet's own VM surcharges.
// All values are gas units; 1 Tgas = 1e12.

export const TGAS = 1_000_000_000_000n;

/** Host-function costs (nearcore `ExtCosts`). */
export const EXT = {
  base: 264_768_111n,
  /** Per executed wasm instruction (wasm_regular_op_cost). */
  regularOpCost: 822_756n,
  contractLoadingBase: 35_445_963n,
  contractLoadingBytes: 1_089_295n,
  readMemoryBase: 2_609_863_200n,
  readMemoryByte: 3_801_333n,
  writeMemoryBase: 2_803_794_861n,
  writeMemoryByte: 2_723_772n,
  readRegisterBase: 2_517_165_186n,
  readRegisterByte: 98_562n,
  writeRegisterBase: 2_865_522_486n,
  writeRegisterByte: 3_801_564n,
  utf8DecodingBase: 3_111_779_061n,
  utf8DecodingByte: 291_580_479n,
  utf16DecodingBase: 3_543_313_050n,
  utf16DecodingByte: 163_577_493n,
  logBase: 3_543_313_050n,
  logByte: 13_198_791n,
  storageWriteBase: 64_196_736_000n,
  storageWriteKeyByte: 70_482_867n,
  storageWriteValueByte: 31_018_539n,
  storageWriteEvictedByte: 32_117_307n,
  storageReadBase: 56_356_845_749n,
  storageReadKeyByte: 30_952_533n,
  storageReadValueByte: 5_611_004n,
  storageRemoveBase: 53_473_030_500n,
  storageRemoveKeyByte: 38_220_384n,
  storageRemoveRetValueByte: 11_531_556n,
  storageHasKeyBase: 54_039_896_625n,
  storageHasKeyByte: 30_790_845n,
  touchingTrieNode: 2_280_000_000n,
  promiseAndBase: 1_465_013_400n,
  promiseAndPerPromise: 5_452_176n,
  promiseReturn: 560_152_386n,
  validatorStakeBase: 911_834_726_400n,
  validatorTotalStakeBase: 911_834_726_400n,
  sha256Base: 4_540_970_250n,
  sha256Byte: 24_117_351n,
  keccak256Base: 5_879_491_275n,
  keccak256Byte: 21_471_105n,
  keccak512Base: 5_558_946_750n,
  keccak512Byte: 36_649_701n,
  ripemd160Base: 853_675_086n,
  ripemd160Block: 680_107_584n,
} as const;

/** Trie nodes touched per storage operation (a flat estimate; nearcore counts real nodes). */
export const TRIE_NODES_PER_OP = 2n;

/** Action and receipt fees: send (sir / not sir) and execution (nearcore `RuntimeFeesConfig`). */
export interface Fee {
  sendSir: bigint;
  sendNotSir: bigint;
  execution: bigint;
}
const fee = (sendSir: bigint, sendNotSir: bigint, execution: bigint): Fee => ({
  sendSir,
  sendNotSir,
  execution,
});
export const FEES = {
  actionReceiptCreation: fee(108_059_500_000n, 108_059_500_000n, 108_059_500_000n),
  dataReceiptCreationBase: fee(36_486_732_312n, 36_486_732_312n, 36_486_732_312n),
  dataReceiptCreationByte: fee(17_212_011n, 47_683_715n, 17_212_011n),
  createAccount: fee(500_000_000_000n, 500_000_000_000n, 7_200_000_000_000n),
  deployContractBase: fee(184_765_750_000n, 184_765_750_000n, 184_765_750_000n),
  deployContractByte: fee(6_812_999n, 47_683_715n, 64_572_944n),
  functionCallBase: fee(200_000_000_000n, 200_000_000_000n, 780_000_000_000n),
  functionCallByte: fee(2_235_934n, 47_683_715n, 2_235_934n),
  transfer: fee(115_123_062_500n, 115_123_062_500n, 115_123_062_500n),
  stake: fee(141_715_687_500n, 141_715_687_500n, 102_217_625_000n),
  addKeyFullAccess: fee(101_765_125_000n, 101_765_125_000n, 101_765_125_000n),
  addKeyFunctionCallBase: fee(102_217_625_000n, 102_217_625_000n, 102_217_625_000n),
  addKeyFunctionCallByte: fee(1_925_331n, 47_683_715n, 1_925_331n),
  deleteKey: fee(94_946_625_000n, 94_946_625_000n, 94_946_625_000n),
  deleteAccount: fee(147_489_000_000n, 147_489_000_000n, 147_489_000_000n),
} as const;

/**
 * The VM engine cannot count wasm instructions, so it charges per `env.*` call (QuickJS
 * marshalling and the work around it) and per metered op (a loop iteration or function entry of
 * the contract's JS), calibrated against the wasm engine running the pre-initialised .wasm builds:
 * `node bench/run.js vm-gas` fits both by least squares on the relative error over the metapool's
 * user calls, views and ping steps and host-test's methods (a per-call constant fits to ~0, as the
 * snapshot removed QuickJS's start). The vm figure is within about ±20% of the wasm one for those
 * calls (checked by contracts/test/vm-gas-calibration.test.ts); JS-heavy loops are under-charged by
 * up to ~45%. Gas figures that matter (bench, docs, limits) come from the wasm engine.
 */
export const VM_GAS_PER_HOST_CALL = 150_000_000_000n;
/** Gas per metered op (a loop iteration or a function entry of the contract's JS). */
export const VM_GAS_PER_OP = 525_000_000n;

/** Protocol limits (nearcore snapshot 86). */
export const LIMITS = {
  maxNumberLogs: 100,
  maxTotalLogLength: 16_384,
  maxLengthStorageKey: 2_048,
  maxLengthStorageValue: 4 * 1024 * 1024,
  maxPromisesPerFunctionCallAction: 1_024,
  maxGasBurntView: 300n * TGAS,
  maxLengthReturnedData: 4 * 1024 * 1024,
} as const;

/** Gas price in yocto per gas: the genesis minimum, constant in localnet (the burn price). */
export const GAS_PRICE = 100_000_000n;
/**
 * Price at which prepaid gas (execution fees and attached gas) is bought since protocol 85:
 * max(gas price, min_gas_purchase_price). What is not burnt comes back in refunds, so the net
 * cost is still gas burnt × GAS_PRICE; only the up-front balance check is 10× stricter.
 */
export const GAS_PURCHASE_PRICE = 1_000_000_000n;
/** Share of a function call's execution gas paid to the receiving contract (3/10). */
export const BURNT_GAS_REWARD = { num: 3n, den: 10n } as const;
