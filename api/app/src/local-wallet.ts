// A wallet-selector module for localnet: signs with the demo key `make start` hands the page
// (GET /v1/app/config `demo`, never served outside localnet) and sends through the localnet
// JSON-RPC, so the demo and the browser tests sign real transactions.
import type {
  Account,
  Action,
  InjectedWallet,
  WalletModuleFactory,
} from '@near-wallet-selector/core';

export const LOCAL_WALLET_ID = 'local-demo-wallet';
const SIGNED_IN_KEY = 'snear:local-wallet';

const ICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b7a5a"/><path d="M9 16h14M16 9v14" stroke="#fff" stroke-width="3"/></svg>',
  );

/** The text of a failed outcome: the contract's `E_CODE: sentence` when it panicked. */
export function failureText(status: unknown): string {
  const json = JSON.stringify(status);
  const panic = /(E_[A-Z_]+: [^"\\]*)/.exec(json)?.[1];
  return panic ?? `The transaction failed: ${json.slice(0, 300)}`;
}

interface Demo {
  accountId: string;
  privateKey: string;
  rpcUrl: string;
}

/** The module: "Local demo wallet", signing as `demo.accountId`. */
export function setupLocalWallet(demo: Demo): WalletModuleFactory<InjectedWallet> {
  return async () => ({
    id: LOCAL_WALLET_ID,
    type: 'injected',
    metadata: {
      name: 'Local demo wallet',
      description: `Signs as ${demo.accountId} with the localnet demo key (make start only).`,
      iconUrl: ICON,
      downloadUrl: '',
      deprecated: false,
      available: true,
    },
    init: async ({ emitter }) => {
      // near-api-js signs; loaded only when this wallet is used (its own chunk)
      const near = await import('near-api-js');
      const provider = new near.JsonRpcProvider({ url: new URL(demo.rpcUrl, location.href).href });
      const signer = near.KeyPairSigner.fromSecretKey(demo.privateKey as `ed25519:${string}`);
      const account = new near.Account(demo.accountId, provider, signer);
      const publicKey = (await signer.getPublicKey()).toString();
      const accounts = (): Account[] =>
        localStorage.getItem(SIGNED_IN_KEY) === demo.accountId
          ? [{ accountId: demo.accountId, publicKey }]
          : [];

      const send = async (receiverId: string, actions: Action[]) => {
        const converted = actions.map((action) => {
          const call = (
            action as {
              functionCall?: { methodName: string; args: Uint8Array; gas: bigint; deposit: bigint };
            }
          ).functionCall;
          if (!call) throw new Error('The local demo wallet only signs function calls.');
          return near.actions.functionCall(
            call.methodName,
            call.args,
            BigInt(call.gas),
            BigInt(call.deposit),
          );
        });
        const outcome = await account.signAndSendTransaction({
          receiverId,
          actions: converted,
          throwOnFailure: false,
        });
        const status = outcome.status as unknown;
        if (typeof status === 'object' && status !== null && 'Failure' in status) {
          throw new Error(failureText(status));
        }
        return outcome as never;
      };

      const unsupported = async (): Promise<never> => {
        throw new Error('The local demo wallet does not sign messages.');
      };
      const wallet = {
        async signIn() {
          localStorage.setItem(SIGNED_IN_KEY, demo.accountId);
          const list = accounts();
          emitter.emit('accountsChanged', { accounts: list });
          return list;
        },
        async signOut() {
          localStorage.removeItem(SIGNED_IN_KEY);
        },
        async getAccounts() {
          return accounts();
        },
        verifyOwner: unsupported,
        signMessage: unsupported,
        async signAndSendTransaction({
          receiverId,
          actions,
        }: {
          receiverId?: string;
          actions: Action[];
        }) {
          if (!receiverId) throw new Error('The local demo wallet needs a receiver.');
          return send(receiverId, actions);
        },
        async signAndSendTransactions({
          transactions,
        }: {
          transactions: { receiverId: string; actions: Action[] }[];
        }) {
          const outcomes: unknown[] = [];
          for (const tx of transactions) outcomes.push(await send(tx.receiverId, tx.actions));
          return outcomes;
        },
        getPublicKey: async () => signer.getPublicKey(),
        signNep413Message: unsupported,
        signTransaction: unsupported,
        signDelegateAction: unsupported,
      };
      // the Signer half of the interface is stubbed: the app only sends transactions
      return wallet as never;
    },
  });
}
