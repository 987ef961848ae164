// sNEAR app: the calculator for everyone, and with a wallet connected: balances and actions.
import { readAccount, renderAccount } from './account';
import { wireActions } from './actions';
import { renderActivity } from './activity';
import { API_BASE, type AppConfig, api } from './api';
import { startCalculator } from './calculator';
import { setRpcUrl } from './chain';
import { $, showMessage } from './dom';
import { describeError } from './errors';
import { startGovernance } from './governance';
import { renderHistory } from './history';
import { onState } from './state';
import { initWallet, openWalletModal, signOut } from './wallet';

let accountId: string | null = null;
let config: AppConfig;

async function refreshAccount(): Promise<void> {
  if (!accountId) return renderAccount(null);
  const info = await readAccount(config.contract_id, accountId);
  if (info.accountId === accountId) renderAccount(info);
  void renderActivity(accountId);
  document.body.dataset.account = `${accountId}@${Date.now()}`;
}

async function main(): Promise<void> {
  startGovernance();
  const calculator = startCalculator(API_BASE);
  void renderHistory();
  config = await api<AppConfig>('/v1/app/config');
  setRpcUrl(config.rpc_url);
  $('network').textContent = config.network_id;
  wireActions(config.contract_id, refreshAccount);
  $('connect').addEventListener('click', () => {
    openWalletModal().catch((e) => showMessage('action-error', describeError(e)));
  });
  $('disconnect').addEventListener('click', () => {
    void signOut();
  });
  // balances follow new blocks (rewards, matured unstakes) as the calculator does
  let lastEpoch = -1;
  onState((state) => {
    if (accountId) void refreshAccount().catch(() => undefined);
    if (state.epoch_height !== lastEpoch) {
      lastEpoch = state.epoch_height;
      void renderHistory();
    }
  });
  await initWallet(config, (id) => {
    if (id === accountId) return;
    accountId = id;
    refreshAccount().catch((e) => showMessage('action-error', describeError(e)));
  });
  document.body.dataset.wallet = 'ready';
  await calculator;
}

main().catch((error) => {
  console.error(error); // the raw error, for whoever opens the console
  showMessage('action-error', describeError(error));
});
