// The indexer as the process `make start` and operators run (indexer/dist/cli.js): PGlite in a
// data directory, served over the Postgres protocol to another process (here `pg` in the test),
// stopped with SIGTERM and started again on the same directory: it resumes, nothing lost or doubled.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { nextEpoch, ping, type Scenario, startScenario, truth, userActivity } from './scenario';

jest.setTimeout(300_000);

const CLI = path.join(__dirname, '..', 'dist', 'cli.js');

interface Running {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  url: string;
}

/** Starts the CLI and resolves once it printed the store URL. */
function startCli(s: Scenario, dataDir: string): Promise<Running> {
  const child = spawn(
    process.execPath,
    [CLI, '--start-block', '0', '--progress-ms', '0', '--poll-ms', '50', '--serve-port', '0'],
    {
      env: {
        ...process.env,
        DATABASE_URL: '',
        SNEAR_RPC_URL: s.rpc.url,
        SNEAR_CONTRACT_ID: s.metapool.accountId,
        SNEAR_INDEXER_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Array<Record<string, unknown>> = [];
  let rest = '';
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      for (const text of parts) {
        const entry = JSON.parse(text) as Record<string, unknown>;
        lines.push(entry);
        if (typeof entry.history_database_url === 'string') {
          resolve({ child, lines, url: entry.history_database_url });
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`the indexer exited (${code}): ${stderr}`)));
  });
}

/** Waits for a progress line at the chain head. */
async function caughtUp(run: Running, head: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!run.lines.some((l) => l.block === head && l.lag_blocks === 0)) {
    if (Date.now() > deadline) throw new Error(`no progress line at block ${head}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(run: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => run.child.once('exit', resolve));
  run.child.kill('SIGTERM');
  return exited;
}

async function storedKeys(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT receipt_id || '/' || log_index || '/' || data_index AS key FROM events",
    );
    return rows.map((r) => r.key as string).sort((a, b) => a.localeCompare(b));
  } finally {
    await client.end();
  }
}

let s: Scenario;
let dataDir: string;

beforeAll(async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run make build (make test does)`);
  s = await startScenario();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'snear-indexer-cli-'));
});

afterAll(async () => {
  await s?.rpc.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('stopped and started again on its data directory, it resumes without a gap or a repeat', async () => {
  await userActivity(s);
  const first = await startCli(s, dataDir);
  await caughtUp(first, s.net.chain.height);
  const keys = (events: ReturnType<typeof truth>) => events.map((e) => e.key);
  const before = keys(truth(s));
  expect(await storedKeys(first.url)).toEqual(before);
  expect(await stop(first)).toBe(0);

  nextEpoch(s);
  await ping(s);
  const second = await startCli(s, dataDir);
  await caughtUp(second, s.net.chain.height);
  const progress = second.lines.filter((l) => typeof l.lag_blocks === 'number');
  // it resumed where it stopped: its first batch starts after the first run's last block
  expect(Number(progress[0].block)).toBeGreaterThan(
    Number(first.lines.filter((l) => typeof l.lag_blocks === 'number').at(-1)?.block),
  );
  const after = keys(truth(s));
  expect(after.length).toBeGreaterThan(before.length); // the ping's events came after the stop
  expect(await storedKeys(second.url)).toEqual(after);
  expect(await stop(second)).toBe(0);
});
