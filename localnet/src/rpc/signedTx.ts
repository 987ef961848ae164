// Decoding and verifying the signed transactions near-api-js sends, with near-api-js's own borsh
// schema (decodeSignedTransaction / encodeTransaction) and its PublicKey.verify.
import { createHash } from 'node:crypto';
import type { ChainAccessKey, ChainAction, ChainTransaction } from './chain';
import { nearApi } from './nearApi';

/** A decoded signed transaction: the chain's view of it, its signature and its JSON echo. */
export interface DecodedSignedTx {
  tx: ChainTransaction;
  hashBytes: Uint8Array;
  /** 'ed25519:<base58>' as nearcore prints it. */
  signature: string;
  signatureValid: boolean;
  /** nearcore's ActionView JSON of each action (for the outcome's `transaction.actions`). */
  actionViews: unknown[];
}

/** Thrown when the bytes are not a borsh SignedTransaction near-api-js can decode. */
export class TxDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TxDecodeError';
  }
}

type Bytes = ArrayLike<number>;
type BorshKey = { ed25519Key?: { data: Bytes }; secp256k1Key?: { data: Bytes } };
type BorshPermission = {
  fullAccess?: unknown;
  functionCall?: { allowance?: bigint | null; receiverId: string; methodNames: string[] };
};
type BorshAction = {
  createAccount?: unknown;
  deployContract?: { code: Bytes };
  functionCall?: { methodName: string; args: Bytes; gas: bigint; deposit: bigint };
  transfer?: { deposit: bigint };
  stake?: { stake: bigint; publicKey: BorshKey };
  addKey?: { publicKey: BorshKey; accessKey: { nonce: bigint; permission: BorshPermission } };
  deleteKey?: { publicKey: BorshKey };
  deleteAccount?: { beneficiaryId: string };
  signedDelegate?: unknown;
  deployGlobalContract?: unknown;
  useGlobalContract?: unknown;
};
type BorshSignature = { ed25519Signature?: { data: Bytes }; secp256k1Signature?: { data: Bytes } };

function keyString(key: BorshKey): string {
  return nearApi()
    .PublicKey.from(key as never)
    .toString();
}

function toPermission(permission: BorshPermission): ChainAccessKey['permission'] {
  if (permission.functionCall) {
    const fc = permission.functionCall;
    return {
      kind: 'functionCall',
      allowance: fc.allowance ?? null,
      receiverId: fc.receiverId,
      methodNames: [...fc.methodNames],
    };
  }
  return { kind: 'fullAccess' };
}

/** Converts one borsh-decoded action; throws TxDecodeError for actions localnet does not run. */
function toChainAction(action: BorshAction): ChainAction {
  if (action.createAccount) return { type: 'CreateAccount' };
  if (action.deployContract) {
    return { type: 'DeployContract', code: Uint8Array.from(action.deployContract.code) };
  }
  if (action.functionCall) {
    const fc = action.functionCall;
    return {
      type: 'FunctionCall',
      methodName: fc.methodName,
      args: Uint8Array.from(fc.args),
      gas: BigInt(fc.gas),
      deposit: BigInt(fc.deposit),
    };
  }
  if (action.transfer) return { type: 'Transfer', deposit: BigInt(action.transfer.deposit) };
  if (action.stake) {
    return {
      type: 'Stake',
      stake: BigInt(action.stake.stake),
      publicKey: keyString(action.stake.publicKey),
    };
  }
  if (action.addKey) {
    return {
      type: 'AddKey',
      publicKey: keyString(action.addKey.publicKey),
      accessKey: {
        nonce: BigInt(action.addKey.accessKey.nonce),
        permission: toPermission(action.addKey.accessKey.permission),
      },
    };
  }
  if (action.deleteKey) {
    return { type: 'DeleteKey', publicKey: keyString(action.deleteKey.publicKey) };
  }
  if (action.deleteAccount) {
    return { type: 'DeleteAccount', beneficiaryId: action.deleteAccount.beneficiaryId };
  }
  const name = Object.keys(action)[0] ?? 'unknown';
  throw new TxDecodeError(
    `E_UNSUPPORTED_ACTION: localnet does not execute ${name} actions; use a sandbox for meta-transactions and global contracts`,
  );
}

/** nearcore's JSON ActionView of an action (as echoed in a transaction outcome). */
export function actionView(action: ChainAction): unknown {
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  switch (action.type) {
    case 'CreateAccount':
      return 'CreateAccount';
    case 'DeployContract':
      return { DeployContract: { code: b64(createHash('sha256').update(action.code).digest()) } };
    case 'FunctionCall':
      return {
        FunctionCall: {
          method_name: action.methodName,
          args: b64(action.args),
          gas: Number(action.gas),
          deposit: action.deposit.toString(),
        },
      };
    case 'Transfer':
      return { Transfer: { deposit: action.deposit.toString() } };
    case 'Stake':
      return { Stake: { stake: action.stake.toString(), public_key: action.publicKey } };
    case 'AddKey':
      return {
        AddKey: { public_key: action.publicKey, access_key: accessKeyView(action.accessKey) },
      };
    case 'DeleteKey':
      return { DeleteKey: { public_key: action.publicKey } };
    case 'DeleteAccount':
      return { DeleteAccount: { beneficiary_id: action.beneficiaryId } };
  }
}

/** nearcore's AccessKeyView JSON: nonce as a number, permission "FullAccess" or { FunctionCall }. */
export function accessKeyView(key: ChainAccessKey): { nonce: number; permission: unknown } {
  const permission =
    key.permission.kind === 'fullAccess'
      ? 'FullAccess'
      : {
          FunctionCall: {
            allowance:
              key.permission.allowance === null ? null : key.permission.allowance.toString(),
            receiver_id: key.permission.receiverId,
            method_names: key.permission.methodNames,
          },
        };
  return { nonce: Number(key.nonce), permission };
}

/** Decodes a base64 borsh SignedTransaction and checks its signature over sha256(borsh(tx)). */
export function decodeSignedTx(base64: string): DecodedSignedTx {
  const api = nearApi();
  const bytes = Buffer.from(base64, 'base64');
  const canonical = (text: string) => text.replace(/\s/g, '').replace(/=+$/, '');
  if (bytes.length === 0 || canonical(bytes.toString('base64')) !== canonical(base64)) {
    throw new TxDecodeError('E_TX_NOT_BASE64: the signed transaction is not valid base64');
  }
  let stx: ReturnType<NearApiDecode>;
  try {
    stx = api.decodeSignedTransaction(new Uint8Array(bytes));
  } catch (err) {
    throw new TxDecodeError(
      `E_TX_NOT_BORSH: the bytes are not a borsh SignedTransaction (${(err as Error).message})`,
    );
  }
  const t = stx.transaction;
  const hashBytes = new Uint8Array(createHash('sha256').update(api.encodeTransaction(t)).digest());
  const sig = stx.signature as unknown as BorshSignature;
  let signatureValid = false;
  let signature = '';
  if (sig.ed25519Signature) {
    const data = Uint8Array.from(sig.ed25519Signature.data);
    signature = `ed25519:${api.baseEncode(data)}`;
    signatureValid =
      t.publicKey.keyType === 0 && safeVerify(() => t.publicKey.verify(hashBytes, data));
  } else if (sig.secp256k1Signature) {
    const data = Uint8Array.from(sig.secp256k1Signature.data);
    signature = `secp256k1:${api.baseEncode(data)}`;
    signatureValid =
      t.publicKey.keyType === 1 && safeVerify(() => t.publicKey.verify(hashBytes, data));
  }
  const actions = (t.actions as unknown as BorshAction[]).map(toChainAction);
  return {
    tx: {
      hash: api.baseEncode(hashBytes),
      signerId: t.signerId,
      publicKey: t.publicKey.toString(),
      nonce: BigInt(t.nonce),
      receiverId: t.receiverId,
      blockHash: api.baseEncode(Uint8Array.from(t.blockHash)),
      actions,
    },
    hashBytes,
    signature,
    signatureValid,
    actionViews: actions.map(actionView),
  };
}

type NearApiDecode = ReturnType<typeof nearApi>['decodeSignedTransaction'];

function safeVerify(verify: () => boolean): boolean {
  try {
    return verify();
  } catch {
    return false;
  }
}
