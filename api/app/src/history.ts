// APY and history charts from the indexer's routes; the page says so when they are not there yet.
import { optionalApi } from './api';
import { lineChartSvg } from './charts';
import { $, setText } from './dom';
import { formatPercent, YOCTO } from './format';

interface Indexer {
  last_block: number;
  chain_head: number;
  lag_blocks: number;
}

export async function renderHistory(): Promise<void> {
  const [apy, price, liquidity] = await Promise.all([
    optionalApi<{
      apy_7d: string | null;
      apy_30d: string | null;
      formula: string;
      indexer: Indexer;
    }>('/v1/apy'),
    optionalApi<{ points: { timestamp_ms: number; price: string }[] }>('/v1/history/price'),
    optionalApi<{ points: { timestamp_ms: number; liquidity_near: string }[] }>(
      '/v1/history/liquidity',
    ),
  ]);
  if (apy) {
    setText('apy-7d', formatPercent(apy.apy_7d));
    setText('apy-30d', formatPercent(apy.apy_30d));
    setText(
      'apy-note',
      `${apy.formula} Indexed to block ${apy.indexer.last_block} (${apy.indexer.lag_blocks} behind the chain).`,
    );
  } else {
    setText('apy-7d', '–');
    setText('apy-30d', '–');
    setText('apy-note', 'APY needs the history indexer, which is not running on this server yet.');
  }
  $('price-chart').innerHTML = price
    ? lineChartSvg(
        'price-line',
        'sNEAR price in NEAR',
        price.points.map((p) => [p.timestamp_ms, Number(p.price)]),
        (v) => `${v.toFixed(5)} NEAR`,
      )
    : '<p class="small">Price history needs the indexer, which is not running on this server yet.</p>';
  $('liquidity-chart').innerHTML = liquidity
    ? lineChartSvg(
        'liquidity-line',
        'pool liquidity in NEAR',
        liquidity.points.map((p) => [p.timestamp_ms, Number(BigInt(p.liquidity_near) / YOCTO)]),
        (v) => `${Math.round(v).toLocaleString('en-US')} NEAR`,
      )
    : '<p class="small">Liquidity history needs the indexer, which is not running on this server yet.</p>';
}
