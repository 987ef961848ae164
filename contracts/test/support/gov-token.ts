// Setup of the governance-token suites: deploy and initialise contracts/build/gov-token on a
// localnet (the .js bundle on the vm engine, the .wasm build on the wasm engine), NEAR's real
// Sputnik DAO staking contract as an NEP-141 receiver, and readers for NEP-297 events.
import fs from 'node:fs';
import path from 'node:path';
import { type Account, type CallOutcome, wasmEngineUnavailableReason } from '@snear/localnet';
import { mainnetWasmUnavailableReason, realWasmPath } from '../../deploy/mainnet-wasm';
import { NEAR, TGAS } from '../../deploy/protocol';

export { NEAR, TGAS };

const BUILD = path.join(__dirname, '..', '..', 'build');
/** The build without extension: localnet picks `.js` or `.wasm` by its engine. */
export const GOV_TOKEN_BUILD = path.join(BUILD, 'gov-token');

/** 10^24: one whole token at the default 24 decimals. */
export const ONE_TOKEN = 10n ** 24n;
/** The contract's hard cap at 24 decimals: 10^9 whole tokens. */
export const HARD_CAP_24 = 1_000_000_000n * ONE_TOKEN;
/** Gas for ft_transfer_call (the receiver gets what is left after the resolver's 20 Tgas). */
export const TRANSFER_CALL_GAS = 150n * TGAS;

/** Why the gov-token cannot run on `engine` here, else undefined. */
export function govTokenSkipReason(engine: 'vm' | 'wasm'): string | undefined {
  if (engine === 'wasm') {
    const wasm = wasmEngineUnavailableReason();
    if (wasm) return `localnet's wasm engine is unavailable: ${wasm}`;
  }
  const file = `${GOV_TOKEN_BUILD}.${engine === 'wasm' ? 'wasm' : 'js'}`;
  return fs.existsSync(file) ? undefined : `${file} is missing (run make contracts)`;
}

/** Why NEAR's real Sputnik staking contract cannot run here, else undefined. */
export function sputnikSkipReason(): string | undefined {
  const wasm = wasmEngineUnavailableReason();
  if (wasm) return `localnet's wasm engine is unavailable: ${wasm}`;
  return mainnetWasmUnavailableReason();
}

/** `new` arguments of the token. */
export interface GovTokenInit {
  minter_id: string;
  name: string;
  symbol: string;
  supply_cap: string;
  decimals?: number;
  icon?: string;
}

/** Creates `<name>.<root>` with the token code (not initialised). */
export async function createTokenAccount(root: Account, name: string): Promise<Account> {
  const token = await root.createSubAccount(name, { initialBalance: 20n * NEAR });
  await token.deploy(GOV_TOKEN_BUILD);
  return token;
}

/** Creates `<name>.<root>` with the token deployed and initialised by `new`. */
export async function deployGovToken(
  root: Account,
  name: string,
  init: GovTokenInit,
): Promise<Account> {
  const token = await createTokenAccount(root, name);
  await root.call(token, 'new', init, { gas: 100n * TGAS });
  return token;
}

/** Creates `<name>.<root>` with NEAR's real Sputnik staking contract taking `token` (no unstake wait). */
export async function deploySputnikStaking(
  root: Account,
  name: string,
  owner: Account,
  token: Account,
): Promise<Account> {
  const staking = await root.createSubAccount(name, { initialBalance: 10n * NEAR });
  await staking.deploy(realWasmPath('sputnik_staking.wasm'));
  await staking.call(
    staking,
    'new',
    { owner_id: owner.accountId, token_id: token.accountId, unstake_period: '0' },
    { gas: 100n * TGAS },
  );
  return staking;
}

/** One NEP-297 event. */
export interface Nep297Event {
  standard: string;
  version: string;
  event: string;
  data: Record<string, string>[];
}

/** The NEP-297 events an outcome logged, in order. */
export function events(out: CallOutcome): Nep297Event[] {
  return out.logs
    .filter((l) => l.startsWith('EVENT_JSON:'))
    .map((l) => JSON.parse(l.slice('EVENT_JSON:'.length)) as Nep297Event);
}
