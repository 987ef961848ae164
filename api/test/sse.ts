import { get, type IncomingMessage } from 'node:http';

/** One Server-Sent Event. */
export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** A minimal SSE client for tests: collects events and waits for the next ones. */
export class SseClient {
  readonly events: SseEvent[] = [];
  response?: IncomingMessage;
  private buffer = '';
  private waiters: Array<() => void> = [];
  ended = false;

  constructor(url: string, headers: Record<string, string> = {}) {
    get(url, { headers }, (res) => {
      this.response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.onData(chunk));
      res.on('end', () => {
        this.ended = true;
        this.wake();
      });
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let cut = this.buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      const event: SseEvent = { event: 'message', data: '' };
      let hasData = false;
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('data: ')) {
          event.data += line.slice(6);
          hasData = true;
        }
      }
      if (hasData) this.events.push(event);
      cut = this.buffer.indexOf('\n\n');
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when at least `count` events arrived (or the stream ended). */
  async waitFor(count: number, timeoutMs = 5000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count && !this.ended) {
      if (Date.now() > deadline) throw new Error(`only ${this.events.length} SSE events`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.events;
  }

  close(): void {
    this.response?.destroy();
  }
}
