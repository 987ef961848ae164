import pino from 'pino';
import { Keeper, type KeeperChain, type PingStep } from '../src/keeper';
import { until } from './fixtures';

/** A chain whose ping returns scripted steps; `failures` makes the next calls throw. */
class ScriptedChain implements KeeperChain {
  epoch = 10;
  calls = 0;
  failures = 0;
  constructor(public script: PingStep[]) {}
  async ping(): Promise<PingStep> {
    this.calls += 1;
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
});
