#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino, { type Logger } from 'pino';
import { loadNearApi, messageOf, withTimeout } from './near';

/** What one metapool `ping()` step did, as the contract returns it. */
export interface PingStep {
  action: string;
  pool?: string;
  amount?: string;
  ok?: boolean;
  detail?: string;
}

/** The chain operations the keeper needs (near-api-js in production, fakes in tests). */
export interface KeeperChain {
  /** Sends a `ping()` transaction and returns its result. */
  ping(): Promise<PingStep>;
  /** The metapool's current epoch (from its `get_contract_state` view). */
  epochHeight(): Promise<number>;
}

/** How the keeper paces itself. */
export interface KeeperOptions {
  /** Steps per round before giving up until the next epoch (a safety bound). */
  maxStepsPerRound?: number;
  /** Attempts per step before the round is abandoned. */
  retries?: number;
  /** First retry delay; doubles each attempt. */
  retryDelayMs?: number;
  /** How often to check whether a new epoch started. */
  pollMs?: number;
  /** Also run a round at least this often, even within an epoch (0 = only on new epochs). */
  roundIntervalMs?: number;
  log?: Logger;
}

/** Result of one maintenance round. */
export interface RoundReport {
  epoch: number;
  steps: PingStep[];
  idle: boolean;
  error?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls the metapool's `ping` until it reports idle, once per epoch, with retries and logs. */
export class Keeper {
  private readonly options: Required<Omit<KeeperOptions, 'log'>>;
  private readonly log: Logger;
  private lastRoundEpoch?: number;
  private lastRoundAtMs = 0;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly chain: KeeperChain,
    options: KeeperOptions = {},
  ) {
    this.options = {
      maxStepsPerRound: options.maxStepsPerRound ?? 100,
      retries: options.retries ?? 5,
      retryDelayMs: options.retryDelayMs ?? 1000,
      pollMs: options.pollMs ?? 5000,
      roundIntervalMs: options.roundIntervalMs ?? 0,
    };
    this.log = options.log ?? pino({ name: 'keeper' });
  }

  /** One round: ping until idle (or the step bound, or a step failing after its retries). */
  async runRound(): Promise<RoundReport> {
    const epoch = await this.withRetries('epoch', () => this.chain.epochHeight()).catch(() => -1);
    const steps: PingStep[] = [];
    const started = Date.now();
    this.log.info({ epoch }, 'maintenance round started');
    for (let n = 1; n <= this.options.maxStepsPerRound; n++) {
      let step: PingStep;
      try {
        step = await this.withRetries(`ping step ${n}`, () => this.chain.ping());
      } catch (error) {
        const message = messageOf(error);
        this.log.error({ epoch, step: n, err: message }, 'round abandoned; next epoch retries');
        return { epoch, steps, idle: false, error: message };
      }
      steps.push(step);
      if (step?.action === 'idle') {
        this.log.info(
          { epoch, steps: steps.length, ms: Date.now() - started, actions: summary(steps) },
          'maintenance round done: idle',
        );
        return { epoch, steps, idle: true };
      }
      this.log.info({ epoch, step: n, ...step }, `ping: ${step?.action ?? 'unknown'}`);
    }
    this.log.warn(
      { epoch, steps: steps.length, actions: summary(steps) },
      `not idle after ${this.options.maxStepsPerRound} steps; continuing next round`,
    );
    return { epoch, steps, idle: false };
  }

  /** Runs rounds at every new epoch (and every roundIntervalMs) until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the current step. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const epoch = await this.chain.epochHeight();
        const due =
          epoch !== this.lastRoundEpoch ||
          (this.options.roundIntervalMs > 0 &&
            Date.now() - this.lastRoundAtMs >= this.options.roundIntervalMs);
        if (due) {
          const report = await this.runRound();
          if (report.idle) this.lastRoundEpoch = epoch;
          this.lastRoundAtMs = Date.now();
        }
      } catch (error) {
        this.log.warn({ err: messageOf(error) }, 'cannot read the epoch; retrying');
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.options.pollMs).unref();
      });
    }
  }

  private async withRetries<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let delay = this.options.retryDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (attempt >= this.options.retries) throw error;
        this.log.warn(
          { attempt, of: this.options.retries, err: messageOf(error), retryInMs: delay },
          `${what} failed; retrying`,
        );
        await sleep(delay);
        delay *= 2;
      }
    }
  }
}

function summary(steps: PingStep[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of steps) counts[s.action] = (counts[s.action] ?? 0) + 1;
  return counts;
}

/** Where the keeper signs from and what it calls. */
export interface NearKeeperConfig {
  rpcUrl: string;
  contractId: string;
  accountId: string;
  /** `ed25519:...` secret key. */
  secretKey: string;
  /** Gas per ping (default 300 Tgas: remote steps carry a staking-pool call and a callback). */
  gas?: bigint;
  rpcTimeoutMs?: number;
}

/** A KeeperChain over near-api-js: signs `ping` with the keeper's key against any RPC. */
export async function nearKeeperChain(config: NearKeeperConfig): Promise<KeeperChain> {
  const near = await loadNearApi();
  const provider = new near.JsonRpcProvider({ url: config.rpcUrl });
  const signer = near.KeyPairSigner.fromSecretKey(config.secretKey as `ed25519:${string}`);
  const account = new near.Account(config.accountId, provider, signer);
  const timeout = config.rpcTimeoutMs ?? 60_000;
  return {
    ping: () =>
      withTimeout(
        account.callFunction({
          contractId: config.contractId,
          methodName: 'ping',
          args: {},
          gas: config.gas ?? 300_000_000_000_000n,
        }) as Promise<PingStep>,
        timeout,
        'ping',
      ),
    epochHeight: async () => {
      const view = (await withTimeout(
        provider.callFunction({
          contractId: config.contractId,
          method: 'get_contract_state',
          args: {},
        }),
        timeout,
        'get_contract_state',
      )) as { epoch_height: number | string };
      return Number(view.epoch_height);
    },
  };
}

/** Reads a near-cli style key file: `{ account_id, private_key | secret_key }`. */
export function readKeyFile(path: string): { accountId?: string; secretKey: string } {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  const secretKey = json.private_key ?? json.secret_key;
  if (!secretKey?.startsWith('ed25519:')) {
    throw new Error(`E_KEY_FILE: ${path} has no "private_key" of the form ed25519:...`);
  }
  return { accountId: json.account_id, secretKey };
}

const USAGE = `Usage: node api/dist/keeper.js [flags]
  --rpc-url URL        SNEAR_RPC_URL            NEAR JSON-RPC (default http://127.0.0.1:3030)
  --contract-id ID     SNEAR_CONTRACT_ID        metapool account (default metapool.test.near)
  --account-id ID      SNEAR_KEEPER_ACCOUNT     signer (default: the key file's account_id)
  --key-file PATH      SNEAR_KEEPER_KEY_FILE    near-cli JSON key file
                       SNEAR_KEEPER_SECRET_KEY  or the ed25519:... secret key itself
  --poll-ms N          SNEAR_KEEPER_POLL_MS     epoch check interval (default 5000)
  --interval-ms N      SNEAR_KEEPER_INTERVAL_MS also run a round this often (default 0: per epoch)
  --once               one round, then exit (exit code 1 if not idle)
`;

function msOption(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`E_CONFIG: --${flag} must be a whole number of milliseconds, got "${text}"`);
  }
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'rpc-url': { type: 'string' },
      'contract-id': { type: 'string' },
      'account-id': { type: 'string' },
      'key-file': { type: 'string' },
      'poll-ms': { type: 'string' },
      'interval-ms': { type: 'string' },
      once: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const env = process.env;
  const keyFile = values['key-file'] ?? env.SNEAR_KEEPER_KEY_FILE;
  const fromFile = keyFile ? readKeyFile(keyFile) : undefined;
  const secretKey = fromFile?.secretKey ?? env.SNEAR_KEEPER_SECRET_KEY;
  const accountId = values['account-id'] ?? env.SNEAR_KEEPER_ACCOUNT ?? fromFile?.accountId;
  if (!secretKey || !accountId) {
    process.stderr.write(
      `E_KEEPER_KEY: give --key-file (or SNEAR_KEEPER_KEY_FILE), or SNEAR_KEEPER_SECRET_KEY with --account-id.\n\n${USAGE}`,
    );
    process.exitCode = 2;
    return;
  }
  const chain = await nearKeeperChain({
    rpcUrl: values['rpc-url'] ?? env.SNEAR_RPC_URL ?? 'http://127.0.0.1:3030',
    contractId: values['contract-id'] ?? env.SNEAR_CONTRACT_ID ?? 'metapool.test.near',
    accountId,
    secretKey,
  });
  const keeper = new Keeper(chain, {
    pollMs: msOption('poll-ms', values['poll-ms'] ?? env.SNEAR_KEEPER_POLL_MS ?? '5000'),
    roundIntervalMs: msOption(
      'interval-ms',
      values['interval-ms'] ?? env.SNEAR_KEEPER_INTERVAL_MS ?? '0',
    ),
  });
  if (values.once) {
    const report = await keeper.runRound();
    process.exitCode = report.idle ? 0 : 1;
    return;
  }
  keeper.start();
  const stop = () => void keeper.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`E_KEEPER: ${messageOf(error)}\n`);
    process.exit(1);
  });
}
