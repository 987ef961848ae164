#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { parseArgs } from 'node:util';
import type { PingStep as ContractPingStep } from '@snear/amm-math';
import pino, { type Logger } from 'pino';
import { loadNearApi, messageOf, redactUrl, withTimeout } from './near';

/** What one metapool `ping()` step did (amm-math's PingStep, the contract's wire type) plus its transaction. */
export interface PingStep extends ContractPingStep {
  /** Hash of the ping transaction, when the chain adapter knows it. */
  tx_hash?: string;
}

/** A ping transaction that executed and failed on chain: retrying at once would fail again. */
export class PingFailedError extends Error {
  constructor(
    message: string,
    readonly txHash?: string,
  ) {
    super(message);
    this.name = 'PingFailedError';
  }
}

/** Counters the keeper exposes (Prometheus text through serveKeeperMetrics). */
export class KeeperMetrics {
  roundsIdle = 0;
  roundsFailed = 0;
  roundsUnfinished = 0;
  pingsOk = 0;
  pingsFailed = 0;
  rpcErrors = 0;
  epoch = -1;
  lastIdleEpoch = -1;
  lastRoundUnixS = 0;
  backoffS = 0;
  readonly actions = new Map<string, number>();

  /** Prometheus text exposition 0.0.4. */
  render(): string {
    const lines = [
      '# HELP snear_keeper_rounds_total Maintenance rounds by outcome.',
      '# TYPE snear_keeper_rounds_total counter',
      `snear_keeper_rounds_total{result="idle"} ${this.roundsIdle}`,
      `snear_keeper_rounds_total{result="failed"} ${this.roundsFailed}`,
      `snear_keeper_rounds_total{result="unfinished"} ${this.roundsUnfinished}`,
      '# HELP snear_keeper_pings_total Ping transactions by outcome.',
      '# TYPE snear_keeper_pings_total counter',
      `snear_keeper_pings_total{result="ok"} ${this.pingsOk}`,
      `snear_keeper_pings_total{result="failed"} ${this.pingsFailed}`,
      '# HELP snear_keeper_rpc_errors_total RPC calls that failed (not on-chain failures).',
      '# TYPE snear_keeper_rpc_errors_total counter',
      `snear_keeper_rpc_errors_total ${this.rpcErrors}`,
      '# HELP snear_keeper_steps_total Ping steps by action.',
      '# TYPE snear_keeper_steps_total counter',
      ...[...this.actions].map(([a, n]) => `snear_keeper_steps_total{action="${a}"} ${n}`),
      '# HELP snear_keeper_epoch Epoch the keeper last saw.',
      '# TYPE snear_keeper_epoch gauge',
      `snear_keeper_epoch ${this.epoch}`,
      '# HELP snear_keeper_last_idle_epoch Last epoch whose maintenance finished (idle).',
      '# TYPE snear_keeper_last_idle_epoch gauge',
      `snear_keeper_last_idle_epoch ${this.lastIdleEpoch}`,
      '# HELP snear_keeper_last_round_timestamp_seconds When the last round ended.',
      '# TYPE snear_keeper_last_round_timestamp_seconds gauge',
      `snear_keeper_last_round_timestamp_seconds ${this.lastRoundUnixS}`,
      '# HELP snear_keeper_backoff_seconds Wait before the next round after failures (0: none).',
      '# TYPE snear_keeper_backoff_seconds gauge',
      `snear_keeper_backoff_seconds ${this.backoffS}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}

/** Serves `GET /metrics` of a keeper on host:port; resolves with the server once listening. */
export async function serveKeeperMetrics(
  metrics: KeeperMetrics,
  port: number,
  host = '127.0.0.1',
): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/metrics' || request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      response.end(metrics.render());
    } else {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"code":"NOT_FOUND","message":"The keeper serves GET /metrics only."}');
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
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
  /** Wait after a failed round before the next one in the same epoch; doubles per failure. */
  failedRoundBackoffMs?: number;
  /** Longest such wait. */
  maxFailedRoundBackoffMs?: number;
  log?: Logger;
  metrics?: KeeperMetrics;
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
  private readonly options: Required<Omit<KeeperOptions, 'log' | 'metrics'>>;
  private readonly log: Logger;
  readonly metrics: KeeperMetrics;
  private lastRoundEpoch?: number;
  private lastRoundAtMs = 0;
  /** Failed rounds in a row within the current epoch, and when the next may start. */
  private failedRounds = 0;
  private failedEpoch?: number;
  private nextRoundAtMs = 0;
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
      failedRoundBackoffMs: options.failedRoundBackoffMs ?? 60_000,
      maxFailedRoundBackoffMs: options.maxFailedRoundBackoffMs ?? 30 * 60_000,
    };
    this.log = options.log ?? pino({ name: 'keeper' });
    this.metrics = options.metrics ?? new KeeperMetrics();
  }

  /** One round: ping until idle (or the step bound, or a step failing after its retries). */
  async runRound(): Promise<RoundReport> {
    const epoch = await this.withRetries('epoch', () => this.chain.epochHeight()).catch(() => -1);
    if (epoch >= 0) this.metrics.epoch = epoch;
    const steps: PingStep[] = [];
    const started = Date.now();
    this.log.info({ epoch }, 'maintenance round started');
    const done = (report: RoundReport): RoundReport => {
      this.metrics.lastRoundUnixS = Math.round(Date.now() / 1000);
      if (report.idle) {
        this.metrics.roundsIdle += 1;
        this.metrics.lastIdleEpoch = epoch;
      } else if (report.error !== undefined) this.metrics.roundsFailed += 1;
      else this.metrics.roundsUnfinished += 1;
      return report;
    };
    for (let n = 1; n <= this.options.maxStepsPerRound; n++) {
      let step: PingStep;
      try {
        step = await this.withRetries(`ping step ${n}`, () => this.chain.ping());
        this.metrics.pingsOk += 1;
      } catch (error) {
        const message = messageOf(error);
        const txHash = error instanceof PingFailedError ? error.txHash : undefined;
        if (error instanceof PingFailedError) this.metrics.pingsFailed += 1;
        this.log.error(
          { epoch, step: n, err: message, tx_hash: txHash },
          'round abandoned; retried later with backoff',
        );
        return done({ epoch, steps, idle: false, error: message });
      }
      steps.push(step);
      this.metrics.actions.set(step?.action, (this.metrics.actions.get(step?.action) ?? 0) + 1);
      if (step?.action === 'idle') {
        this.log.info(
          {
            epoch,
            steps: steps.length,
            ms: Date.now() - started,
            actions: summary(steps),
            tx_hash: step.tx_hash,
          },
          'maintenance round done: idle',
        );
        return done({ epoch, steps, idle: true });
      }
      this.log.info({ epoch, step: n, ...step }, `ping: ${step?.action ?? 'unknown'}`);
    }
    this.log.warn(
      { epoch, steps: steps.length, actions: summary(steps) },
      `not idle after ${this.options.maxStepsPerRound} steps; continuing next round`,
    );
    return done({ epoch, steps, idle: false });
  }

  /**
   * After a failed round, the next in the same epoch waits failedRoundBackoffMs, doubling per
   * failure up to maxFailedRoundBackoffMs: a ping that fails on chain (each up to 300 Tgas) is
   * not resent every poll. A new epoch starts afresh.
   */
  private noteFailure(epoch: number): void {
    if (this.failedEpoch !== epoch) this.failedRounds = 0;
    this.failedEpoch = epoch;
    this.failedRounds += 1;
    const wait = Math.min(
      this.options.maxFailedRoundBackoffMs,
      this.options.failedRoundBackoffMs * 2 ** (this.failedRounds - 1),
    );
    this.nextRoundAtMs = Date.now() + wait;
    this.metrics.backoffS = Math.round(wait / 1000);
    this.log.warn(
      { epoch, failedRounds: this.failedRounds, backoffMs: wait },
      'round failed; backing off before the next one this epoch',
    );
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
        this.metrics.epoch = epoch;
        const newEpoch = this.failedEpoch !== undefined && epoch !== this.failedEpoch;
        if (newEpoch) {
          // a new epoch: the backoff of the last one no longer applies
          this.failedRounds = 0;
          this.failedEpoch = undefined;
          this.nextRoundAtMs = 0;
          this.metrics.backoffS = 0;
        }
        const due =
          (epoch !== this.lastRoundEpoch ||
            (this.options.roundIntervalMs > 0 &&
              Date.now() - this.lastRoundAtMs >= this.options.roundIntervalMs)) &&
          Date.now() >= this.nextRoundAtMs;
        if (due) {
          const report = await this.runRound();
          if (report.idle) {
            this.lastRoundEpoch = epoch;
            this.failedRounds = 0;
            this.failedEpoch = undefined;
            this.nextRoundAtMs = 0;
            this.metrics.backoffS = 0;
          } else if (report.error !== undefined) this.noteFailure(epoch);
          this.lastRoundAtMs = Date.now();
        }
      } catch (error) {
        this.metrics.rpcErrors += 1;
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
        // an on-chain failure would fail again: no immediate retry (each costs up to 300 Tgas)
        if (error instanceof PingFailedError || attempt >= this.options.retries) throw error;
        this.metrics.rpcErrors += 1;
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
    ping: async () => {
      const outcome = await withTimeout(
        account.signAndSendTransaction({
          receiverId: config.contractId,
          actions: [near.actions.functionCall('ping', {}, config.gas ?? 300_000_000_000_000n, 0n)],
          throwOnFailure: false,
        }),
        timeout,
        'ping',
      );
      const txHash = outcome.transaction_outcome?.id;
      const status = outcome.status as unknown;
      if (typeof status === 'object' && status !== null && 'Failure' in status) {
        throw new PingFailedError(
          `ping transaction ${txHash} failed: ${JSON.stringify((status as { Failure: unknown }).Failure).slice(0, 500)}`,
          txHash,
        );
      }
      const step = near.getTransactionLastResult(outcome) as PingStep;
      return { ...step, tx_hash: txHash };
    },
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
  --metrics-port N     SNEAR_KEEPER_METRICS_PORT serve GET /metrics here (default 0: off)
  --metrics-host H     SNEAR_KEEPER_METRICS_HOST interface for it (default 127.0.0.1)
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
      'metrics-port': { type: 'string' },
      'metrics-host': { type: 'string' },
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
  const rpcUrl = values['rpc-url'] ?? env.SNEAR_RPC_URL ?? 'http://127.0.0.1:3030';
  const contractId = values['contract-id'] ?? env.SNEAR_CONTRACT_ID ?? 'metapool.test.near';
  const chain = await nearKeeperChain({ rpcUrl, contractId, accountId, secretKey });
  const metrics = new KeeperMetrics();
  const metricsPort = msOption(
    'metrics-port',
    values['metrics-port'] ?? env.SNEAR_KEEPER_METRICS_PORT ?? '0',
  );
  const log = pino({ name: 'keeper' });
  // the RPC host only: a provider key in the URL stays out of the logs
  log.info({ rpc: redactUrl(rpcUrl), contract: contractId, account: accountId }, 'keeper started');
  if (metricsPort > 0) {
    const host = values['metrics-host'] ?? env.SNEAR_KEEPER_METRICS_HOST ?? '127.0.0.1';
    await serveKeeperMetrics(metrics, metricsPort, host);
    log.info({ metrics: `http://${host}:${metricsPort}/metrics` }, 'keeper metrics served');
  }
  const keeper = new Keeper(chain, {
    log,
    metrics,
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
