import pino from 'pino';
import {
  Keeper,
  type KeeperChain,
  KeeperMetrics,
  PingFailedError,
  type PingStep,
  serveKeeperMetrics,
} from '../src/keeper';
import { until } from './fixtures';

/** A chain whose ping returns scripted steps; `failures` makes the next calls throw. */
class ScriptedChain implements KeeperChain {
  epoch = 10;
  calls = 0;
  failures = 0;
  /** Every ping executes and fails on chain (a contract panic). */
  failOnChain = false;
  constructor(public script: PingStep[]) {}
  async ping(): Promise<PingStep> {
    this.calls += 1;
    if (this.failOnChain) {
      throw new PingFailedError('ping transaction 9xTx failed: E_SOMETHING', '9xTx');
    }
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('Exceeded 1 attempts for request to send_tx.');
    }
    return this.script.shift() ?? { action: 'idle' };
  }
  async epochHeight(): Promise<number> {
    return this.epoch;
  }
}

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('Keeper', () => {
  test('pings until idle and logs each step and the round', async () => {
    const chain = new ScriptedChain([
      { action: 'sync', pool: 'pool-1.test.near', ok: true },
      { action: 'stake', pool: 'pool-2.test.near', amount: '5', ok: true },
    ]);
    const { log, lines } = capturedLogger();
    const report = await new Keeper(chain, { log, retryDelayMs: 1 }).runRound();
    expect(report).toMatchObject({ epoch: 10, idle: true });
    expect(report.steps.map((s) => s.action)).toEqual(['sync', 'stake', 'idle']);
    expect(chain.calls).toBe(3);
    expect(lines.map((l) => l.msg)).toEqual([
      'maintenance round started',
      'ping: sync',
      'ping: stake',
      'maintenance round done: idle',
    ]);
    expect(lines[2]).toMatchObject({ pool: 'pool-2.test.near', amount: '5', epoch: 10 });
  });

  test('retries a failing step with backoff, then continues', async () => {
    const chain = new ScriptedChain([{ action: 'withdraw', pool: 'p', ok: true }]);
    chain.failures = 2;
    const { log, lines } = capturedLogger();
    const report = await new Keeper(chain, { log, retries: 3, retryDelayMs: 1 }).runRound();
    expect(report.idle).toBe(true);
    const retries = lines.filter((l) => String(l.msg).includes('retrying'));
    expect(retries.map((l) => l.attempt)).toEqual([1, 2]);
    expect(retries[1].retryInMs).toBe(2);
  });

  test('gives up the round after its retries, saying so', async () => {
    const chain = new ScriptedChain([]);
    chain.failures = 10;
    const { log, lines } = capturedLogger();
    const report = await new Keeper(chain, { log, retries: 2, retryDelayMs: 1 }).runRound();
    expect(report.idle).toBe(false);
    expect(report.error).toMatch(/Exceeded/);
    expect(lines.at(-1)?.msg).toMatch(/round abandoned/);
  });

  test('stops at the step bound when ping never reports idle', async () => {
    const chain = new ScriptedChain(Array.from({ length: 50 }, () => ({ action: 'sync' })));
    const { log } = capturedLogger();
    const report = await new Keeper(chain, { log, maxStepsPerRound: 5 }).runRound();
    expect(report).toMatchObject({ idle: false });
    expect(chain.calls).toBe(5);
  });

  test('runs one round per epoch', async () => {
    const chain = new ScriptedChain([{ action: 'sync' }]);
    const { log } = capturedLogger();
    const keeper = new Keeper(chain, { log, pollMs: 5, retryDelayMs: 1 });
    keeper.start();
    try {
      await until(() => chain.calls === 2, 'first round');
      await new Promise((r) => setTimeout(r, 60));
      expect(chain.calls).toBe(2); // same epoch: no new round
      chain.epoch = 11;
      await until(() => chain.calls === 3, 'round of epoch 11');
    } finally {
      await keeper.stop();
    }
  });

  test('a ping that fails on chain is not resent at once; failed rounds back off within the epoch', async () => {
    const chain = new ScriptedChain([]);
    chain.failOnChain = true;
    const { log, lines } = capturedLogger();
    const keeper = new Keeper(chain, { log, pollMs: 2, retries: 5, retryDelayMs: 1 });
    keeper.start();
    try {
      await until(() => chain.calls === 1, 'the first round');
      // 50 polls later, still one 300-Tgas transaction: the next round waits a minute, then two
      await new Promise((r) => setTimeout(r, 100));
      expect(chain.calls).toBe(1);
      expect(
        lines.find((l) => l.msg === 'round abandoned; retried later with backoff'),
      ).toMatchObject({ tx_hash: '9xTx' });
      expect(lines.find((l) => String(l.msg).includes('backing off'))).toMatchObject({
        failedRounds: 1,
        backoffMs: 60_000,
      });
      expect(keeper.metrics.render()).toContain('snear_keeper_backoff_seconds 60');
      // a new epoch starts afresh
      chain.epoch = 11;
      await until(() => chain.calls === 2, 'a round in the new epoch');
    } finally {
      await keeper.stop();
    }
  });

  test('metrics: rounds, pings and steps by outcome, served as Prometheus text', async () => {
    const chain = new ScriptedChain([{ action: 'sync' }]);
    const metrics = new KeeperMetrics();
    const { log } = capturedLogger();
    await new Keeper(chain, { log, metrics }).runRound();
    const server = await serveKeeperMetrics(metrics, 0);
    try {
      const address = server.address() as { port: number };
      const text = await fetch(`http://127.0.0.1:${address.port}/metrics`).then((r) => r.text());
      expect(text).toContain('snear_keeper_rounds_total{result="idle"} 1');
      expect(text).toContain('snear_keeper_pings_total{result="ok"} 2');
      expect(text).toContain('snear_keeper_steps_total{action="sync"} 1');
      expect(text).toContain('snear_keeper_last_idle_epoch 10');
    } finally {
      server.close();
    }
  });
});
