// Localnet: the test API of docs/ARCHITECTURE.md over the in-process chain.
import * as fs from 'node:fs';
import { Account, CallError, encodeArgs } from './account';
import { Chain, type ChainConfig, type ChainSnapshot, type TransactionInput } from './chain/chain';
import type { TransactionOutcome } from './chain/outcome';
import { ViewCallError, viewFunction } from './chain/runtime';
import type { Ratio } from './chain/staking';
import { loadWasmEngine, wasmEngineUnavailableReason } from './engine/index';
import { type KeyPairStrings, keyPairFor } from './keys';

/** Options of `Localnet.init`. */
export interface LocalnetOptions extends Partial<Omit<ChainConfig, 'rootBalance' | 'maxGasPerTx'>> {
  /**
   * Preferred engine: `deploy('x.js')` / `deploy('x.wasm')` / `deploy('x')` use `x.js` on 'vm'
   * and `x.wasm` on 'wasm' when that file exists. Default: the LOCALNET_ENGINE environment
   * variable ('vm' or 'wasm'; e.g. `LOCALNET_ENGINE=wasm npx jest` runs suites on the wasm builds),
   * else 'vm'.
   */
  engine?: 'vm' | 'wasm';
  /** Blocks per epoch (default 500). */
  epochLength?: number;
  /** Per-transaction gas cap (default 300 Tgas; pass 10n ** 15n for 1 Pgas). */
  maxGasPerTx?: bigint | string;
  /** Balance of test.near in yocto (default 1e9 NEAR). */
  rootBalance?: bigint | string;
}

/** The engine when `init` names none: LOCALNET_ENGINE, else 'vm'. */
function defaultEngine(): 'vm' | 'wasm' {
  const chosen = process.env.LOCALNET_ENGINE;
  if (chosen === undefined || chosen === '' || chosen === 'vm') return 'vm';
  if (chosen === 'wasm') return 'wasm';
  throw new Error(`E_LOCALNET_ENGINE: LOCALNET_ENGINE is "${chosen}"; use "vm" or "wasm"`);
}

/** An in-process NEAR network. */
export class Localnet {
  readonly chain: Chain;
  readonly engine: 'vm' | 'wasm';
  private devCounter = 0;

  private constructor(options: LocalnetOptions) {
    const { engine, maxGasPerTx, rootBalance, ...rest } = options;
    this.engine = engine ?? defaultEngine();
    const config: Partial<ChainConfig> = { ...rest };
    if (maxGasPerTx !== undefined) config.maxGasPerTx = BigInt(maxGasPerTx);
    if (rootBalance !== undefined) config.rootBalance = BigInt(rootBalance);
    this.chain = new Chain(config);
    const root = this.chain.account(this.chain.config.rootAccountId)!;
    root.accessKeys.set(this.keyPair(root.id).publicKey, { nonce: 0n, permission: 'FullAccess' });
  }

  /** Start a fresh network whose root account is `test.near`. */
  static async init(options: LocalnetOptions = {}): Promise<Localnet> {
    if ((options.engine ?? defaultEngine()) === 'wasm' && !loadWasmEngine()) {
      throw new Error(`E_WASM_ENGINE_MISSING: ${wasmEngineUnavailableReason()}`);
    }
    return new Localnet(options);
  }

  /** The root account (test.near). */
  get root(): Account {
    return new Account(this, this.chain.config.rootAccountId);
  }

  /** A handle on any account id (it need not exist yet). */
  account(accountId: string): Account {
    return new Account(this, accountId);
  }

  /** The deterministic key pair localnet uses for an account it creates. */
  keyPair(accountId: string): KeyPairStrings {
    return keyPairFor(accountId);
  }

  /** Apply a transaction from `signerId` (see Chain.executeTransaction). */
  executeTransaction(tx: TransactionInput): TransactionOutcome {
    return this.chain.executeTransaction(tx);
  }

  /** View call: parsed return value; throws CallError on failure. */
  async view(accountId: string, method: string, args: unknown = {}): Promise<unknown> {
    const { value } = this.viewRaw(accountId, method, args);
    if (value.length === 0) return undefined;
    const text = Buffer.from(value).toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  /** View call returning the raw bytes and logs; throws CallError on failure. */
  viewRaw(
    accountId: string,
    method: string,
    args: unknown = {},
  ): { value: Uint8Array; logs: string[] } {
    try {
      return viewFunction(this.chain, accountId, method, encodeArgs(args));
    } catch (err) {
      if (err instanceof ViewCallError) throw new CallError(err.message, err.logs);
      throw err;
    }
  }

  /** Produce `blocks` blocks. */
  async fastForward(blocks: number): Promise<void> {
    this.chain.fastForward(blocks);
  }

  /** Advance to the first block of the epoch `epochs` ahead (rewards and releases applied). */
  async fastForwardEpochs(epochs: number): Promise<void> {
    this.chain.fastForwardEpochs(epochs);
  }

  /** Deep copy of the whole chain. */
  snapshot(): ChainSnapshot {
    return this.chain.snapshot();
  }

  /** Go back to a snapshot. */
  restore(snapshot: ChainSnapshot): void {
    this.chain.restore(snapshot);
  }

  /** Current epoch height. */
  epochHeight(): number {
    return this.chain.epochHeight;
  }

  /** Current block height. */
  blockHeight(): number {
    return this.chain.height;
  }

  /** Reward rate per epoch of one validator (default 1/10,000). */
  setRewardRate(
    accountId: string,
    ratePerEpoch: { num: bigint | number; den: bigint | number },
  ): void {
    this.chain.setRewardRate(accountId, toRatio(ratePerEpoch));
  }

  /** Offline validators earn no rewards. */
  setValidatorOnline(accountId: string, online: boolean): void {
    this.chain.setValidatorOnline(accountId, online);
  }

  /** Burn a fraction of a validator's stake; returns the yocto taken. */
  slash(accountId: string, fraction: { num: bigint | number; den: bigint | number }): bigint {
    return this.chain.slash(accountId, toRatio(fraction));
  }

  /** Make calls to `method` on `accountId` panic until cleared with null. */
  failMethod(accountId: string, method: string | null): void {
    this.chain.failMethod(accountId, method);
  }

  /** Current validators (account → stake). */
  validators(): Map<string, bigint> {
    return this.chain.validators();
  }

  /** Read a contract file, choosing .js or .wasm by the preferred engine. */
  readContract(path: string): Uint8Array {
    const base = path.replace(/\.(js|wasm)$/, '');
    const preferred = `${base}.${this.engine === 'wasm' ? 'wasm' : 'js'}`;
    const file = fs.existsSync(preferred) ? preferred : path;
    if (!fs.existsSync(file)) {
      throw new Error(`E_CONTRACT_NOT_FOUND: no contract file at ${file}`);
    }
    if (file.endsWith('.wasm') && !loadWasmEngine()) {
      throw new Error(
        `E_WASM_ENGINE_MISSING: cannot deploy ${file}: ${wasmEngineUnavailableReason()}; deploy the .js bundle instead`,
      );
    }
    const bytes = new Uint8Array(fs.readFileSync(file));
    if (file.endsWith('.wasm')) {
      // nearcore accepts the deploy and fails every call with CompilationError: say so up front.
      const engine = loadWasmEngine() as { check?(code: Uint8Array): Error | undefined };
      const problem = engine.check?.(bytes);
      if (problem) {
        throw new Error(
          `E_WASM_PREPARE: cannot deploy ${file}: a NEAR node accepts the deploy but fails every call with ${problem.message} (deploy the bytes with executeTransaction to get exactly that)`,
        );
      }
    }
    return bytes;
  }

  /** A fresh dev account id under `parentId`. */
  devAccountId(parentId: string): string {
    this.devCounter++;
    return `dev-${this.chain.height}-${this.devCounter}.${parentId}`;
  }
}

function toRatio(r: { num: bigint | number; den: bigint | number }): Ratio {
  return { num: BigInt(r.num), den: BigInt(r.den) };
}
