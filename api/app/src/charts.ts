// Small hand-drawn SVG charts: the fee curve and history lines.
import { formatYocto, YOCTO } from './format';

const W = 640;
const H = 240;
const PAD = 40;

const esc = (text: string) => text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

interface FeeCurve {
  points: { liquidity: string; fee_bps: number }[];
  current: { liquidity: string; fee_bps: number };
  target_liquidity: string;
  min_fee_bps: number;
  max_fee_bps: number;
}

/** Fee rate against pool liquidity, with the pool now marked. */
export function feeCurveSvg(curve: FeeCurve): string {
  const last = curve.points[curve.points.length - 1];
  const maxL = Number(BigInt(last?.liquidity ?? '0') / YOCTO) || 1;
  const maxF = curve.max_fee_bps || 1;
  const x = (liq: string) => PAD + (Number(BigInt(liq) / YOCTO) / maxL) * (W - 2 * PAD);
  const y = (bps: number) => H - PAD - (bps / maxF) * (H - 2 * PAD);
  const line = curve.points
    .map((p) => `${x(p.liquidity).toFixed(1)},${y(p.fee_bps).toFixed(1)}`)
    .join(' ');
  const cx = x(curve.current.liquidity);
  const cy = y(curve.current.fee_bps);
  const tx = x(curve.target_liquidity);
  // the "now" label flips to the left of the marker in the right half, so it stays inside
  const anchor = cx > W / 2 ? 'end' : 'start';
  const lx = cx > W / 2 ? cx - 6 : cx + 6;
  return `
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="fee rate against pool liquidity">
  <line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#888"/>
  <line x1="${PAD}" y1="${PAD / 2}" x2="${PAD}" y2="${H - PAD}" stroke="#888"/>
  <text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="12">pool liquidity (NEAR), up to ${maxL.toLocaleString('en-US')}</text>
  <text x="12" y="${H / 2}" transform="rotate(-90 12 ${H / 2})" text-anchor="middle" font-size="12">fee (bps)</text>
  <text x="${PAD - 4}" y="${y(maxF) + 4}" text-anchor="end" font-size="10">${maxF}</text>
  <text x="${PAD - 4}" y="${y(curve.min_fee_bps) + 4}" text-anchor="end" font-size="10">${curve.min_fee_bps}</text>
  <line x1="${tx}" y1="${PAD / 2}" x2="${tx}" y2="${H - PAD}" stroke="#bbb" stroke-dasharray="4 4"/>
  <text x="${tx + 4}" y="${PAD}" font-size="10">target</text>
  <polyline id="curve-line" fill="none" stroke="#0b7a5a" stroke-width="2" points="${line}"/>
  <line id="current-marker" x1="${cx}" y1="${PAD / 2}" x2="${cx}" y2="${H - PAD}" stroke="#b3261e"/>
  <circle cx="${cx}" cy="${cy}" r="5" fill="#b3261e"/>
  <text x="${lx}" y="${cy - 8}" text-anchor="${anchor}" font-size="12" fill="#b3261e">now: ${formatYocto(curve.current.liquidity, 0)} NEAR, ${Number(curve.current.fee_bps).toFixed(2)} bps</text>
</svg>`;
}

/** A line over time: `points` as [unix ms, value]; `label` formats the y values. */
export function lineChartSvg(
  id: string,
  title: string,
  points: [number, number][],
  label: (v: number) => string,
): string {
  if (points.length < 2) return `<p class="small">Not enough history yet for ${esc(title)}.</p>`;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 * 0.999, y1 * 1.001 || 1];
  const x = (v: number) => PAD + ((v - x0) / (x1 - x0 || 1)) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - ((v - y0) / (y1 - y0)) * (H - 2 * PAD);
  const line = points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ');
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return `
<svg id="${id}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">
  <line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#888"/>
  <line x1="${PAD}" y1="${PAD / 2}" x2="${PAD}" y2="${H - PAD}" stroke="#888"/>
  <text x="${PAD}" y="${H - 8}" font-size="11">${day(x0)}</text>
  <text x="${W - PAD}" y="${H - 8}" text-anchor="end" font-size="11">${day(x1)}</text>
  <text x="${PAD + 4}" y="${y(y1) - 4}" font-size="11">${esc(label(y1))}</text>
  <text x="${PAD + 4}" y="${y(y0) - 4}" font-size="11">${esc(label(y0))}</text>
  <polyline class="history-line" fill="none" stroke="#0b7a5a" stroke-width="2" points="${line}"/>
</svg>`;
}
