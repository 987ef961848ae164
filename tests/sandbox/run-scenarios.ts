// `make test-sandbox`: the scenarios of tests/src/scenarios on a real NEAR sandbox.
import { coreScenario } from '../src/scenarios/core';
import { sandboxChain } from '../src/workspaces-chain';

async function main(): Promise<void> {
  const chain = await sandboxChain();
  try {
    const summary = await coreScenario(chain, (line) => console.log(`[sandbox] ${line}`));
    console.log(`[sandbox] core scenario passed: ${JSON.stringify(summary)}`);
  } finally {
    await chain.close();
  }
}

main().catch((err) => {
  console.error(`[sandbox] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
