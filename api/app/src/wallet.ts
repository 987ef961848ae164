// Wallet connection through near-wallet-selector: MyNearWallet, Meteor and HERE on testnet and
// mainnet, the local demo wallet on localnet. The modal (React) is loaded only when opened.
import {
  actionCreators,
  setupWalletSelector,
  type WalletModuleFactory,
  type WalletSelector,
} from '@near-wallet-selector/core';
import type { AppConfig, CallArgs } from './api';
import { setupLocalWallet } from './local-wallet';

let selector: WalletSelector | undefined;
let contractId = '';

/** Sets the selector up for the network the API serves; resolves the signed-in account, if any. */
export async function initWallet(
  config: AppConfig,
  onAccount: (accountId: string | null) => void,
): Promise<void> {
  contractId = config.contract_id;
  const modules: WalletModuleFactory[] = [];
  if (config.demo) {
    modules.push(
      setupLocalWallet({
        accountId: config.demo.account_id,
        privateKey: config.demo.private_key,
        rpcUrl: config.rpc_url,
      }) as WalletModuleFactory,
    );
  }
  if (config.network_id !== 'localnet') {
    const [{ setupMyNearWallet }, { setupMeteorWallet }, { setupHereWallet }] = await Promise.all([
      import('@near-wallet-selector/my-near-wallet'),
      import('@near-wallet-selector/meteor-wallet'),
      import('@near-wallet-selector/here-wallet'),
    ]);
    modules.push(
      setupMyNearWallet(),
      setupMeteorWallet(),
      setupHereWallet() as WalletModuleFactory,
    );
  }
  const local = config.network_id !== 'mainnet' && config.network_id !== 'testnet';
  const nodeUrl = new URL(config.rpc_url, location.href).href;
  selector = await setupWalletSelector({
    // wallet-selector 10.1.4 looks a custom network's id up in its mainnet/testnet presets and
    // throws for any other: localnet is described under the testnet id, with our RPC as the
    // fallback URL the preset then uses (only the local demo wallet is offered there)
    network: local
      ? { networkId: 'testnet', nodeUrl, helperUrl: '', explorerUrl: '', indexerUrl: '' }
      : (config.network_id as 'mainnet' | 'testnet'),
    ...(local ? { fallbackRpcUrls: [nodeUrl] } : {}),
    modules,
  });
  const current = () =>
    selector?.store.getState().accounts.find((a) => a.active)?.accountId ?? null;
  selector.store.observable.subscribe(() => onAccount(current()));
  onAccount(current());
}

/** Opens wallet-selector's modal (its stylesheet and React are fetched on first use). */
export async function openWalletModal(): Promise<void> {
  if (!selector) throw new Error('The wallet is still loading; try again in a moment.');
  if (!document.getElementById('wallet-modal-css')) {
    const link = Object.assign(document.createElement('link'), {
      id: 'wallet-modal-css',
      rel: 'stylesheet',
      href: new URL('./modal.css', import.meta.url).href,
    });
    document.head.append(link);
  }
  const { setupModal } = await import('@near-wallet-selector/modal-ui');
  setupModal(selector, { contractId }).show();
}

export async function signOut(): Promise<void> {
  const wallet = await selector?.wallet();
  await wallet?.signOut();
}

/** Signs and sends the calls (in order) with the connected wallet. */
export async function sendCalls(calls: CallArgs[]): Promise<void> {
  if (!selector?.isSignedIn()) throw new Error('Connect a wallet first.');
  const wallet = await selector.wallet();
  await wallet.signAndSendTransactions({
    transactions: calls.map((c) => ({
      receiverId: c.contract_id,
      actions: [
        actionCreators.functionCall(c.method_name, c.args, BigInt(c.gas), BigInt(c.deposit)),
      ],
    })),
  });
}
