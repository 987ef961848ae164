// The core scenario on localnet: the VM engine (the .js bundles) and, when available, the wasm
// engine running the real .wasm builds.
import { wasmEngineUnavailableReason } from '@snear/localnet';
import { localnetChain } from '../src/localnet-chain';
import { coreScenario } from '../src/scenarios/core';

jest.setTimeout(180_000);

it('core scenario on localnet (vm engine)', async () => {
  const chain = await localnetChain('vm');
  const summary = await coreScenario(chain);
  expect(BigInt(summary.liquid_near_out)).toBeGreaterThan(0n);
});

const wasmReason = wasmEngineUnavailableReason();
(wasmReason ? it.skip : it)(
  `core scenario on the real wasm build${wasmReason ? ` (skipped: ${wasmReason})` : ''}`,
  async () => {
    const chain = await localnetChain('wasm');
    const summary = await coreScenario(chain);
    expect(BigInt(summary.liquid_near_out)).toBeGreaterThan(0n);
  },
);
