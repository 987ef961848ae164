// End to end: `node scripts/start.js` (what `make start` runs after `make build contracts`).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { wasmEngineUnavailableReason } from '@snear/localnet';
import { realPeersUnavailableReason } from '../../contracts/deploy/protocol';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');

/** Waits until the process prints `pattern`; rejects if it exits first. */
function waitForOutput(child: ChildProcess, pattern: RegExp, output: { text: string }) {
  return new Promise<RegExpMatchArray>((resolve, reject) => {
    const already = output.text.match(pattern);
    if (already) {
      resolve(already);
      return;
    }
    const onData = (chunk: Buffer) => {
      output.text += chunk.toString();
      const match = output.text.match(pattern);
      if (match) resolve(match);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`start.js exited (${code}):\n${output.text}`)));
  });
}

describe('make start (scripts/start.js)', () => {
  test('deploys and seeds localnet, runs keeper and API, prints the URLs, stops on Ctrl-C', async () => {
    for (const built of [
      'localnet/dist/rpc/index.js',
      'api/dist/server.js',
      'indexer/dist/cli.js',
      'contracts/build/metapool.js',
    ]) {
      if (!existsSync(join(ROOT, built))) {
        throw new Error(`${built} is missing: run make build contracts first (make test does)`);
      }
    }
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
      cwd: ROOT,
      env: { ...process.env, SNEAR_API_PORT: '0', SNEAR_RPC_PORT: '0', SNEAR_BLOCK_MS: '200' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { text: '' };
    try {
      await waitForOutput(child, /Ctrl-C stops everything/, output);
      // the demo's pools and whitelist are NEAR's real contracts wherever they can run
      const real = !(realPeersUnavailableReason() ?? wasmEngineUnavailableReason());
      expect(output.text).toMatch(
        real ? /deployed NEAR's real whitelist and 5 staking pools/ : /deployed our stand-in/,
      );
      const page = output.text.match(/page: +(http:\/\/[^\s]+)\//)?.[1];
      const rpc = output.text.match(/RPC: +(http:\/\/[^\s]+)/)?.[1];
      expect(page).toBeDefined();
      expect(output.text).toMatch(/API docs: +http:\/\/[^\s]+\/docs/);
      expect(rpc).toBeDefined();

      const state = (await (await fetch(`${page}/v1/state`)).json()) as {
        epoch_height: number;
        metapool: { validators: unknown[] };
        pool: { liquidity: string; snear_price_yocto: string };
        governance: {
          governance_id: string;
          timelock_epochs: number;
          queued: { kind: string; apply_epoch: number; epochs_left: number }[];
        } | null;
      };
      expect(state.metapool.validators).toHaveLength(5);
      // the DAO governs: one passed proposal waits in the timelock, one proposal is pending
      expect(state.governance?.governance_id).toMatch(/^dao\./);
      if (real) {
        expect(output.text).toMatch(
          /governance: dao\.\S+ \(Sputnik DAO, GOV-weighted\) governs; proposal \d+ passed and waits in the timelock until epoch \d+; proposal \d+ is InProgress/,
        );
        expect(state.governance?.queued).toEqual([
          expect.objectContaining({ kind: 'set_weight', apply_epoch: expect.any(Number) }),
        ]);
        const [change] = state.governance?.queued ?? [];
        expect(change.apply_epoch).toBeGreaterThan(state.epoch_height);
        expect(change.epochs_left).toBe(change.apply_epoch - state.epoch_height);
      }
      expect(BigInt(state.pool.liquidity)).toBeGreaterThan(0n);
      expect(BigInt(state.pool.snear_price_yocto)).toBeGreaterThan(10n ** 24n); // rewards accrued
      const quote = await fetch(`${page}/v1/quote/liquid-unstake?amount=100`);
      expect(quote.status).toBe(200);
      const ready = (await (await fetch(`${page}/ready`)).json()) as { ready: boolean };
      expect(ready.ready).toBe(true);
      expect((await fetch(`${page}/`)).status).toBe(200);
      const status = await fetch(rpc as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: '1', method: 'status', params: [] }),
      });
      expect(status.status).toBe(200);
      // the keeper works over RPC
      await waitForOutput(child, /maintenance round done: idle/, output);
      // the indexer follows localnet in its own process and the API serves its store
      await waitForOutput(child, /indexer: indexed to block \d+ \(head \d+, 0 behind\)/, output);
      const exits = (await (await fetch(`${page}/v1/history/exits?limit=10`)).json()) as {
        items: Array<{ kind: string }>;
        indexer: { lag_blocks: number };
      };
      // the demo seeds three liquid unstakes and one delayed unstake
      expect(exits.items.map((e) => e.kind).sort()).toEqual([
        'liquid_unstake',
        'liquid_unstake',
        'liquid_unstake',
        'unstake',
      ]);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      const code = await exited;
      expect(code).toBe(0);
      expect(output.text).toContain('[start] stopped');
    }
  });
});
