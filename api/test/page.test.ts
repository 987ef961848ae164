/** @jest-environment ./test/esm-environment.js */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { closeApps, demoApp, demoView } from './fixtures';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Drops thousands separators and trailing zeros so page text and API values compare. */
function plain(text: string): string {
  const t = text.replace(/,/g, '');
  return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
}

/** yocto → decimal text truncated to `decimals`, the page's display rule. */
function truncated(yocto: string, decimals: number): string {
  const v = BigInt(yocto);
  const whole = v / 10n ** 24n;
  const frac = (v % 10n ** 24n).toString().padStart(24, '0').slice(0, decimals);
  return plain(`${whole}.${frac}`);
}

type Quote = Record<string, string>;

let context: BrowserContext | undefined;
let profile = '';

afterEach(async () => {
  await context?.close();
  context = undefined;
  if (profile) rmSync(profile, { recursive: true, force: true });
  await closeApps();
});

describe('the page in headless Chromium', () => {
  test('shows state and curve, quotes an amount as the API does, and follows new blocks', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the page test.`,
      );
    }
    if (!existsSync(join(__dirname, '..', 'public', 'dist', 'app.js'))) {
      throw new Error('api/public/dist/app.js is missing: run make build (it bundles api/app).');
    }
    const { app, source } = await demoApp();
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    profile = mkdtempSync(join(tmpdir(), 'snear-page-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(address);

    // state and live stream
    await page.waitForSelector('body[data-block="1000"]');
    await page.waitForSelector('#status[data-live="true"]');
    expect(await page.textContent('#state-list')).toContain('Pool liquidity');
    expect(await page.textContent('#validators tbody')).toContain('pool-1.test.near');
    expect(await page.textContent('#wait-epochs')).toBe('4');
    // chart: a curve and the current-liquidity marker
    await page.waitForSelector('#fee-curve svg #curve-line');
    expect(await page.locator('#current-marker').count()).toBe(1);

    // enter an amount, see the API's quote
    await page.fill('#amount', '250.5');
    await page.click('#quote-form button[type="submit"]');
    await page.waitForFunction("document.getElementById('sell-now-near').textContent !== '–'");
    const api = (await (
      await fetch(`${address}/v1/quote/liquid-unstake?amount=250.5`)
    ).json()) as Quote;
    expect(plain((await page.textContent('#sell-now-near')) ?? '')).toBe(
      truncated(api.near_out, 4),
    );
    expect(plain((await page.textContent('#wait-near')) ?? '')).toBe(truncated(api.value_near, 4));
    expect(await page.textContent('#sell-now-fee-bps')).toBe(String(api.fee_bps));
    expect(await page.textContent('#quote-block')).toBe('1000');

    // too much: the API's error and the largest sellable amount are shown
    await page.fill('#amount', '100000000');
    await page.click('#quote-form button[type="submit"]');
    await page.waitForSelector('#quote-error:not([hidden])');
    // in words with NEAR amounts, the largest sale and what else to do (api/app/src/errors.ts)
    expect(await page.textContent('#quote-error')).toMatch(
      /^The pool can pay at most [\d,]+ NEAR now; sell [\d,]+ sNEAR now and unstake the rest, or wait\.$/,
    );

    // a new block arrives over SSE: the page re-renders and re-quotes
    await page.fill('#amount', '250.5');
    await page.click('#quote-form button[type="submit"]');
    await page.waitForSelector('#quote-error[hidden]', { state: 'attached' });
    source.setView(demoView({ block_height: 1001, liquidity: (6_000n * 10n ** 24n).toString() }));
    await page.waitForSelector('body[data-block="1001"]');
    await page.waitForSelector('body[data-quoted="1001"]');
    const after = (await (
      await fetch(`${address}/v1/quote/liquid-unstake?amount=250.5`)
    ).json()) as Quote;
    expect(plain((await page.textContent('#sell-now-near')) ?? '')).toBe(
      truncated(after.near_out, 4),
    );
    expect(after.near_out).not.toBe(api.near_out);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  test('APY and price/liquidity charts from the history routes, and words when they are missing', async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing (apt-get install -y chromium).`);
    const { app } = await demoApp();
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    profile = mkdtempSync(join(tmpdir(), 'snear-page-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const indexer = { last_block: 990, chain_head: 1000, lag_blocks: 10 };
    let history: 'down' | 'up' = 'down';
    // the indexer's routes, answered in the browser (this API may or may not have them)
    await page.route(/\/v1\/(apy|history\/\w+)$/, (route) => {
      if (history === 'down') {
        return route.fulfill({
          status: 503,
          json: { code: 'STATE_UNAVAILABLE', message: 'indexer not ready' },
        });
      }
      const kind = new URL(route.request().url()).pathname;
      const t0 = 1_790_000_000_000;
      const points = [0, 1, 2, 3].map((i) => ({
        epoch: 10 + i,
        block_height: 100 * i,
        // the indexer's shape (api/README.md, History)
        timestamp: new Date(t0 + i * 43_200_000).toISOString(),
        timestamp_ms: t0 + i * 43_200_000,
        price: (1.01 + i * 0.001).toFixed(4),
        liquidity_near: (BigInt(4000 + i * 100) * 10n ** 24n).toString(),
        lp_unstaking_near: '0',
      }));
      if (kind === '/v1/apy') {
        return route.fulfill({
          json: { apy_7d: '0.0712', apy_30d: null, formula: 'price ratio, annualised.', indexer },
        });
      }
      return route.fulfill({ json: { points, indexer } });
    });

    await page.goto(address);
    await page.waitForFunction(() =>
      /indexer/.test(document.getElementById('apy-note')?.textContent ?? ''),
    );
    expect(await page.textContent('#apy-7d')).toBe('–');
    expect(await page.textContent('#price-chart')).toMatch(/Price history needs the indexer/);
    expect(await page.textContent('#liquidity-chart')).toMatch(
      /Liquidity history needs the indexer/,
    );

    history = 'up';
    await page.reload();
    await page.waitForSelector('#price-chart svg .history-line');
    expect(await page.textContent('#apy-7d')).toBe('7.12%');
    expect(await page.textContent('#apy-30d')).toBe('–'); // not enough history yet
    expect(await page.textContent('#apy-note')).toMatch(/block 990 \(10 behind the chain\)/);
    const pricePoints = await page.getAttribute('#price-chart .history-line', 'points');
    expect(pricePoints?.trim().split(' ')).toHaveLength(4);
    expect(await page.textContent('#price-chart')).toMatch(/1\.01300 NEAR/); // the highest price
    expect(await page.textContent('#liquidity-chart')).toMatch(/4,300 NEAR/);
    expect(await page.textContent('#liquidity-chart')).toMatch(/2026-09-21/); // first day (UTC)
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
