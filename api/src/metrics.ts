import type { SourceStatus } from './state/source';

// Latency buckets in seconds: API answers are sub-millisecond to a few ms; RPC-bound ones longer.
const BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

interface RouteStats {
  /** Requests by `${method} ${status}`. */
  byMethodStatus: Map<string, number>;
  count: number;
  sumS: number;
  /** Non-cumulative: requests whose latency fell in (previous bound, this bound]. */
  buckets: number[];
}

/**
 * Prometheus counters and a latency histogram, rendered by hand: a dozen series do not justify
 * prom-client's registry and default process collectors on the request path.
 */
export class Metrics {
  // keyed by the route pattern (an interned string): no label text is built per request
  private readonly routes = new Map<string, RouteStats>();
  sseClients = 0;

  /** Records one finished request. */
  observe(method: string, route: string, status: number, durationMs: number): void {
    let stats = this.routes.get(route);
    if (!stats) {
      stats = { byMethodStatus: new Map(), count: 0, sumS: 0, buckets: BUCKETS_S.map(() => 0) };
      this.routes.set(route, stats);
    }
    const key = method === 'GET' && status === 200 ? 'GET 200' : `${method} ${status}`;
    stats.byMethodStatus.set(key, (stats.byMethodStatus.get(key) ?? 0) + 1);
    const seconds = durationMs / 1000;
    stats.count += 1;
    stats.sumS += seconds;
    let i = 0;
    while (i < BUCKETS_S.length && seconds > BUCKETS_S[i]) i++;
    if (i < BUCKETS_S.length) stats.buckets[i] += 1;
  }

  /** The exposition text (format 0.0.4). */
  render(source: SourceStatus, nowMs: number): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    metric('snear_api_requests_total', 'counter', 'HTTP requests by method, route and status.');
    for (const [route, stats] of this.routes) {
      for (const [methodStatus, count] of stats.byMethodStatus) {
        const [method, status] = methodStatus.split(' ');
        lines.push(
          `snear_api_requests_total{method="${method}",route="${route}",status="${status}"} ${count}`,
        );
      }
    }
    metric('snear_api_request_duration_seconds', 'histogram', 'HTTP request latency by route.');
    for (const [route, stats] of this.routes) {
      let cumulative = 0;
      BUCKETS_S.forEach((le, i) => {
        cumulative += stats.buckets[i];
        lines.push(
          `snear_api_request_duration_seconds_bucket{route="${route}",le="${le}"} ${cumulative}`,
        );
      });
      lines.push(
        `snear_api_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${stats.count}`,
      );
      lines.push(`snear_api_request_duration_seconds_sum{route="${route}"} ${stats.sumS}`);
      lines.push(`snear_api_request_duration_seconds_count{route="${route}"} ${stats.count}`);
    }
    const snapshot = source.snapshot;
    metric('snear_state_block_height', 'gauge', 'Block height of the state being served.');
    lines.push(`snear_state_block_height ${snapshot?.blockHeight ?? 0}`);
    metric('snear_state_age_seconds', 'gauge', 'Seconds since the chain last confirmed the state.');
    const confirmed = source.confirmedAtMs;
    lines.push(
      `snear_state_age_seconds ${confirmed === undefined ? -1 : (nowMs - confirmed) / 1000}`,
    );
    metric('snear_rpc_up', 'gauge', '1 when the last RPC poll succeeded.');
    lines.push(`snear_rpc_up ${source.lastError === undefined && snapshot ? 1 : 0}`);
    metric('snear_rpc_errors_total', 'counter', 'Failed RPC polls.');
    lines.push(`snear_rpc_errors_total ${source.rpcErrors}`);
    metric('snear_state_reads_total', 'counter', 'get_contract_state reads (one per new block).');
    lines.push(`snear_state_reads_total ${source.viewReads}`);
    metric('snear_sse_clients', 'gauge', 'Open /v1/stream connections.');
    lines.push(`snear_sse_clients ${this.sseClients}`);
    if (snapshot) {
      metric('snear_pool_liquidity_yocto', 'gauge', 'NEAR liquidity of the instant-exit pool.');
      lines.push(`snear_pool_liquidity_yocto ${snapshot.pool.liquidity.toString()}`);
      metric('snear_total_staked_yocto', 'gauge', 'NEAR backing all sNEAR.');
      lines.push(`snear_total_staked_yocto ${snapshot.pool.totalStakedNear.toString()}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
