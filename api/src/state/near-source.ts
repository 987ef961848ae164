import type { ContractStateView } from '@snear/amm-math';
import { abortableJsonRpc, describeRpcError, loadNearApi, redactUrl } from '../near';
import { snapshotFromView } from './snapshot';
import { type ChainSnapshot, SnapshotStore, type SourceStatus, type StateSource } from './source';

/** How the poller reaches the chain. */
export interface NearSourceOptions {
  rpcUrl: string;
  contractId: string;
  /** How often to ask for the final block (ms); the view is re-read only when its height changed. */
  pollIntervalMs: number;
  /** Longest wait for one RPC answer before the poll counts as failed (ms). */
  rpcTimeoutMs: number;
  now?: () => number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

interface BlockReader {
  viewBlock(query: { finality: 'final' }): Promise<{ header: { height: number } }>;
  callFunction(args: {
    contractId: string;
    method: string;
    args: object;
    blockQuery: { finality: 'final' };
  }): Promise<unknown>;
}

/** Reads `get_contract_state` through near-api-js's JsonRpcProvider once per new final block. */
export class NearStateSource implements StateSource {
  readonly description: string;
  readonly contractId: string;
  private provider?: BlockReader;
  private readonly store = new SnapshotStore();
  private seenHeight?: number;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private stopped = true;
  private readonly now: () => number;

  constructor(private readonly options: NearSourceOptions) {
    this.contractId = options.contractId;
    this.description = `${options.contractId} via ${redactUrl(options.rpcUrl)}`;
    this.now = options.now ?? Date.now;
  }

  /** Creates the provider, reads once (failures are recorded, not thrown) and starts polling. */
  async start(): Promise<void> {
    const near = await loadNearApi();
    // The poller has its own timeout and cadence: near-api-js's 12 retries would hide an outage.
    const provider = new near.JsonRpcProvider(
      { url: this.options.rpcUrl },
      { retries: 1, wait: 0, backoff: 1 },
    );
    // every request is aborted at the timeout, so a hung RPC cannot hold sockets
    provider.sendJsonRpc = abortableJsonRpc(
      this.options.rpcUrl,
      this.options.rpcTimeoutMs,
    ) as typeof provider.sendJsonRpc;
    this.provider = provider as unknown as BlockReader;
    this.stopped = false;
    await this.refresh();
    this.schedule();
  }

  /** Stops polling; waits for a poll in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.inFlight;
  }

  status(): SourceStatus {
    return this.store.status();
  }

  subscribe(listener: (snapshot: ChainSnapshot) => void): () => void {
    return this.store.subscribe(listener);
  }

  /** One poll now; concurrent callers share it. */
  refresh(): Promise<void> {
    this.inFlight ??= this.poll().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  async callView(method: string, args: Record<string, unknown>): Promise<unknown> {
    const provider = this.provider;
    if (!provider) throw new Error('the state source is not started');
    try {
      return await provider.callFunction({
        contractId: this.options.contractId,
        method,
        args,
        blockQuery: { finality: 'final' },
      });
    } catch (error) {
      // never the RPC URL itself: it may carry a provider key
      throw new Error(describeRpcError(error, this.options.rpcUrl));
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.refresh().finally(() => this.schedule());
    }, this.options.pollIntervalMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const provider = this.provider;
    if (!provider) return;
    const { contractId } = this.options;
    try {
      const block = await provider.viewBlock({ finality: 'final' });
      const height = Number(block.header.height);
      const previous = this.store.snapshot;
      if (height !== this.seenHeight || !previous) {
        const view = (await provider.callFunction({
          contractId,
          method: 'get_contract_state',
          args: {},
          blockQuery: { finality: 'final' },
        })) as ContractStateView;
        const snapshot = snapshotFromView(view, this.now());
        this.seenHeight = height;
        this.store.publish(snapshot, !previous || snapshot.blockHeight !== previous.blockHeight);
      }
      if (this.store.error) this.options.log?.info({ height }, 'RPC reachable again');
      this.store.confirm(this.now());
    } catch (error) {
      const message = describeRpcError(error, this.options.rpcUrl);
      if (message !== this.store.error) {
        this.options.log?.warn(
          { err: message, rpc: redactUrl(this.options.rpcUrl) },
          'state poll failed',
        );
      }
      this.store.recordFailure(message);
    }
  }
}
