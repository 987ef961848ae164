// The governance token: NEP-141/145/148 with NEP-297 events. Only the metapool (`minter_id`) mints,
// within a supply cap fixed at init under a hard cap in code; the supply starts at zero; there is
// no owner and nothing can change the minter. The @NearBindgen class only wires methods to modules.
import { call, initialize, NearBindgen, type NearPromise, near, view } from 'near-sdk-js';
import { argsObject, parseAccountId, parseCallArgs } from '../shared/args';
import { deserializeState, registerStateFields, serializeState } from '../shared/state-codec';
import { fail } from './errors';
import { assertTotals, balanceOf } from './ledger';
import { type FtMetadata, ftMetadata, initToken } from './metadata';
import type { GovTokenState } from './state';
import * as storage from './storage';
import * as token from './token';

type Args = Record<string, unknown>;

/** E_UNAUTHORIZED unless the token calls itself (callbacks). */
function onlySelf(): void {
  if (near.predecessorAccountId() !== near.currentAccountId()) {
    fail('E_UNAUTHORIZED', 'ft_resolve_transfer is a callback: only the token itself may call it');
  }
}

/** Governance token (NEP-141/145/148): minted by the metapool only, up to a hard cap. */
@NearBindgen({ requireInit: true, serializer: saveState, deserializer: deserializeState })
export class GovToken implements GovTokenState {
  minterId = '';
  supplyCap = 0n;
  totalSupply = 0n;
  totalMinted = 0n;

  /** Init (exported as `new`): `{ minter_id, name, symbol, decimals?, supply_cap, icon? }`. */
  @initialize({})
  init(args: Args): void {
    initToken(this, argsObject(args));
  }

  // ---- minting (the minter only) -------------------------------------------------------------

  /** Minter only, no deposit: mints `amount` to the registered `account_id` within the cap. */
  @call({ payableFunction: true })
  mint(args: Args): void {
    token.mint(this, argsObject(args));
  }

  // ---- NEP-141 --------------------------------------------------------------------------------

  /** Anyone with a balance, 1 yoctoNEAR: `{ receiver_id, amount, memo? }`. */
  @call({ payableFunction: true })
  ft_transfer(args: Args): void {
    token.ftTransfer(argsObject(args));
  }

  /** Anyone with a balance, 1 yoctoNEAR, ≥ 55 Tgas: `{ receiver_id, amount, memo?, msg }`; returns the amount used. */
  @call({ payableFunction: true })
  ft_transfer_call(args: Args): NearPromise {
    return token.ftTransferCall(argsObject(args));
  }

  /** The token itself only (callback of ft_transfer_call): refunds the unused part; returns the used. */
  @call({ payableFunction: true })
  ft_resolve_transfer(args: Args): string {
    onlySelf();
    return token.ftResolveTransfer(this, argsObject(args));
  }

  /** Tokens in existence (minted minus burnt). */
  @view({})
  ft_total_supply(): string {
    return this.totalSupply.toString();
  }

  /** Balance of `account_id` ("0" when not registered). */
  @view({})
  ft_balance_of(args: Args): string {
    const balance = balanceOf(parseAccountId('account_id', argsObject(args).account_id));
    return (balance ?? 0n).toString();
  }

  // ---- NEP-145 --------------------------------------------------------------------------------

  /** Anyone, payable: registers `account_id` (default the caller) for the fixed deposit. */
  @call({ payableFunction: true })
  storage_deposit(args: Args): storage.StorageBalance {
    return storage.storageDeposit(argsObject(args));
  }

  /** A registered caller, 1 yoctoNEAR: nothing above the fixed deposit is withdrawable. */
  @call({ payableFunction: true })
  storage_withdraw(args: Args): storage.StorageBalance {
    return storage.storageWithdraw(argsObject(args));
  }

  /** The caller, 1 yoctoNEAR: `{ force? }`; returns the deposit; force burns a balance. */
  @call({ payableFunction: true })
  storage_unregister(args: Args): boolean {
    return storage.storageUnregister(this, argsObject(args));
  }

  /** `{ total, available }` of `account_id`, or null when not registered. */
  @view({})
  storage_balance_of(args: Args): storage.StorageBalance | null {
    return storage.storageBalanceOf(parseAccountId('account_id', argsObject(args).account_id));
  }

  /** The fixed registration deposit (min = max). */
  @view({})
  storage_balance_bounds(): { min: string; max: string } {
    return storage.storageBalanceBounds();
  }

  // ---- NEP-148 and the token's own views ------------------------------------------------------

  /** NEP-148 metadata (spec ft-1.0.0). */
  @view({})
  ft_metadata(): FtMetadata {
    return ftMetadata();
  }

  /** The only account that may mint. */
  @view({})
  get_minter(): string {
    return this.minterId;
  }

  /** Most that may ever be minted (smallest unit). */
  @view({})
  get_supply_cap(): string {
    return this.supplyCap.toString();
  }

  /** Tokens ever minted (≥ ft_total_supply; burns do not lower it). */
  @view({})
  get_total_minted(): string {
    return this.totalMinted.toString();
  }
}

// Module load (the build's pre-initialisation): which state fields the codec turns into bigints.
registerStateFields(new GovToken());

/** STATE bytes at the end of every state-changing call, once the totals are checked. */
function saveState(state: unknown): Uint8Array {
  assertTotals(state as GovTokenState);
  return serializeState(state);
}

// near-sdk-js parses arguments with a bare JSON.parse (a raw SyntaxError on bad input).
(GovToken as unknown as { _getArgs: () => unknown })._getArgs = parseCallArgs;

/** Contract method `new` (a JS reserved word, hence the alias of the generated `init`). */
function initContract(): void {
  // @ts-expect-error `init` is the export that near-sdk-js's bindgen generates for @initialize.
  init();
}

export { initContract as new };
