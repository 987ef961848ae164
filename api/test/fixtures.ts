import type { ContractStateView } from '@snear/amm-math';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app';
import { demoView } from '../src/state/demo-view';
import { FakeStateSource } from '../src/state/fake-source';

export { demoView, ONE } from '../src/state/demo-view';

const openApps = new Set<FastifyInstance>();

/** Closes every app a test left open (use in afterEach so a failing test cannot hang jest). */
export async function closeApps(): Promise<void> {
  for (const app of [...openApps]) await app.close();
}

/** Polls `check` until it returns true. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A controllable clock for staleness tests. */
export class Clock {
  ms = 1_764_000_000_000;
  readonly now = () => this.ms;
}

/** An app on a fake source with a controllable clock; rate limit off unless asked. */
export async function demoApp(
  options: Partial<Parameters<typeof buildApp>[0]> & { view?: ContractStateView | null } = {},
) {
  const clock = new Clock();
  const { view, ...rest } = options;
  const source = new FakeStateSource(view === null ? undefined : (view ?? demoView()), clock.now);
  const app = await buildApp({ source, now: clock.now, rateLimit: false, ...rest });
  openApps.add(app);
  app.addHook('onClose', async () => {
    openApps.delete(app);
  });
  await app.ready();
  return { app, source, clock };
}
