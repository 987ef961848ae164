// localnet's JSON-RPC server (what near-api-js 7 talks to) and helpers to sign as localnet accounts.
import type { Chain } from '../chain/chain';
import type { Action } from '../host/types';
import { LocalnetRpcChain } from './localnetChain';
import { type NearApi, nearApi } from './nearApi';
import { type RpcServer, type RpcServerOptions, startServerForChain } from './server';

export type { RpcChain } from './chain';
export { LocalnetRpcChain } from './localnetChain';
export { nearApi, nearApiRpcErrors } from './nearApi';
export {
  handleJsonRpc,
  type RpcServer,
  type RpcServerOptions,
  startServerForChain,
} from './server';

/** A Localnet (anything holding its `chain`) or the Chain itself. */
export type LocalnetLike = { chain: Chain } | Chain;

function chainOf(localnet: LocalnetLike): Chain {
  return 'chain' in localnet ? localnet.chain : localnet;
}

/** Serves JSON-RPC for `localnet` on 127.0.0.1 (`port` 0 = a free port); resolves once listening. */
export function startRpcServer(
  localnet: LocalnetLike,
  options: RpcServerOptions = {},
): Promise<RpcServer> {
  return startServerForChain(new LocalnetRpcChain(chainOf(localnet)), options);
}

/** An account a JSON-RPC client can sign for. */
export interface SigningAccount {
  accountId: string;
  /** near-api-js KeyPair registered as a full-access key of the account. */
  keyPair: InstanceType<NearApi['KeyPairEd25519']>;
  publicKey: string;
  /** `ed25519:...`, accepted by near-api-js `KeyPairSigner.fromSecretKey`. */
  secretKey: `ed25519:${string}`;
}

function applyOrThrow(
  chain: Chain,
  signerId: string,
  receiverId: string,
  actions: Action[],
  what: string,
): void {
  const outcome = chain.executeTransaction({ signerId, receiverId, actions });
  if (outcome.status === 'failure') {
    throw new Error(`E_${what}_FAILED: ${outcome.failureMessage ?? 'the transaction failed'}`);
  }
}

function freshKey(): Omit<SigningAccount, 'accountId'> {
  const keyPair = nearApi().KeyPair.fromRandom('ed25519') as InstanceType<
    NearApi['KeyPairEd25519']
  >;
  return {
    keyPair,
    publicKey: keyPair.getPublicKey().toString(),
    secretKey: keyPair.toString() as `ed25519:${string}`,
  };
}

/**
 * Creates `accountId` holding `balance` yocto with a fresh full-access ed25519 key, signed by its
 * parent account when that exists (else the root), and returns the key to sign with over RPC.
 */
export function createAccountWithKey(
  localnet: LocalnetLike,
  accountId: string,
  balance: bigint | string,
): SigningAccount {
  const chain = chainOf(localnet);
  const key = freshKey();
  const dot = accountId.indexOf('.');
  const parent = dot >= 0 ? accountId.slice(dot + 1) : '';
  const signerId = chain.account(parent) ? parent : chain.config.rootAccountId;
  applyOrThrow(
    chain,
    signerId,
    accountId,
    [
      { type: 'CreateAccount' },
      { type: 'Transfer', deposit: BigInt(balance) },
      {
        type: 'AddKey',
        publicKey: key.publicKey,
        accessKey: { nonce: 0n, permission: 'FullAccess' },
      },
    ],
    'CREATE_ACCOUNT',
  );
  return { accountId, ...key };
}

/** Adds a fresh full-access key to an existing account (e.g. the root) and returns it. */
export function addSigningKey(localnet: LocalnetLike, accountId: string): SigningAccount {
  const chain = chainOf(localnet);
  if (!chain.account(accountId)) {
    throw new Error(`E_UNKNOWN_ACCOUNT: ${accountId} does not exist; create it first`);
  }
  const key = freshKey();
  applyOrThrow(
    chain,
    accountId,
    accountId,
    [
      {
        type: 'AddKey',
        publicKey: key.publicKey,
        accessKey: { nonce: 0n, permission: 'FullAccess' },
      },
    ],
    'ADD_KEY',
  );
  return { accountId, ...key };
}
