import { call, initialize, NearBindgen, near, view } from 'near-sdk-js';
import { ensure, isValidAccountId } from './account-id';
import { setContains, setInsert, setRemove } from './storage-set';

/** Storage prefix of whitelisted staking pools. */
const POOL_PREFIX = 'w';
/** Storage prefix of whitelisted staking-pool factories. */
const FACTORY_PREFIX = 'f';

/**
 * Stand-in for NEAR's `lockup-whitelist.near` (core-contracts `whitelist`): the list of staking
 * pools that lockup accounts may delegate to. The foundation manages pools and factories; a
 * whitelisted factory may add the pools it creates.
 */
@NearBindgen({ requireInit: true })
export class Whitelist {
  foundation_account_id = '';

  /** Init: `new({ foundation_account_id })`. */
  @initialize({})
  init({ foundation_account_id }: { foundation_account_id: string }): void {
    ensure(isValidAccountId(foundation_account_id), 'The NEAR Foundation account ID is invalid');
    this.foundation_account_id = foundation_account_id;
  }

  /** View: true if the staking pool is whitelisted. */
  @view({})
  is_whitelisted({ staking_pool_account_id }: { staking_pool_account_id: string }): boolean {
    ensure(isValidAccountId(staking_pool_account_id), 'The given account ID is invalid');
    return setContains(POOL_PREFIX, staking_pool_account_id);
  }

  /** View: true if the factory is whitelisted. */
  @view({})
  is_factory_whitelisted({ factory_account_id }: { factory_account_id: string }): boolean {
    ensure(isValidAccountId(factory_account_id), 'The given account ID is invalid');
    return setContains(FACTORY_PREFIX, factory_account_id);
  }

  /** Foundation or whitelisted factory: adds a pool; true if it was not whitelisted before. */
  @call({})
  add_staking_pool({ staking_pool_account_id }: { staking_pool_account_id: string }): boolean {
    ensure(isValidAccountId(staking_pool_account_id), 'The given account ID is invalid');
    if (!setContains(FACTORY_PREFIX, near.predecessorAccountId())) {
      this.assertCalledByFoundation();
    }
    return setInsert(POOL_PREFIX, staking_pool_account_id);
  }

  /** Foundation only: removes a pool; true if it was whitelisted before. */
  @call({})
  remove_staking_pool({ staking_pool_account_id }: { staking_pool_account_id: string }): boolean {
    this.assertCalledByFoundation();
    ensure(isValidAccountId(staking_pool_account_id), 'The given account ID is invalid');
    return setRemove(POOL_PREFIX, staking_pool_account_id);
  }

  /** Foundation only: whitelists a factory; true if it was not whitelisted before. */
  @call({})
  add_factory({ factory_account_id }: { factory_account_id: string }): boolean {
    ensure(isValidAccountId(factory_account_id), 'The given account ID is invalid');
    this.assertCalledByFoundation();
    return setInsert(FACTORY_PREFIX, factory_account_id);
  }

  /** Foundation only: removes a factory; true if it was whitelisted before. */
  @call({})
  remove_factory({ factory_account_id }: { factory_account_id: string }): boolean {
    this.assertCalledByFoundation();
    ensure(isValidAccountId(factory_account_id), 'The given account ID is invalid');
    return setRemove(FACTORY_PREFIX, factory_account_id);
  }

  private assertCalledByFoundation(): void {
    ensure(
      near.predecessorAccountId() === this.foundation_account_id,
      'Can only be called by NEAR Foundation',
    );
  }
}

/** Contract method `new` (the real contract's init name; a JS reserved word, hence the alias). */
function initContract(): void {
  // @ts-expect-error `init` is the export that near-sdk-js's bindgen generates for @initialize.
  init();
}

export { initContract as new };
