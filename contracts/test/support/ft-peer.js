// A test-only NEP-141 peer for the gov-token suite, hand-written in the shape of a near-sdk-js
// bundle (an ES module whose exports are methods, talking to the host through `env`), so localnet
// runs it on its vm engine whichever engine the suite chose. It drives the ft_resolve_transfer
// paths NEAR's real receivers never take: a partial refund, a nonsense answer, and a sender that
// unregisters (force) while its ft_transfer_call is in flight, so the refund is burnt; and it mints
// from a promise with no deposit, as the metapool will.
const TGAS = 1000000000000n;

/** ASCII text ↔ bytes (every value here is JSON of account ids and digits). */
function bytes(text) {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function args() {
  env.input(0);
  const raw = env.read_register(0);
  return raw === undefined ? {} : JSON.parse(String.fromCharCode(...raw));
}

/**
 * NEP-141 receiver. msg `{"unused":"<n>"}` returns n unused; `"nonsense"` returns a value that is
 * no amount; anything else panics (the token refunds everything).
 */
function ft_on_transfer() {
  const { msg } = args();
  if (msg === 'nonsense') {
    env.value_return(bytes('{"unused":1}'));
    return;
  }
  const parsed = JSON.parse(msg);
  if (parsed === null || typeof parsed.unused !== 'string') {
    env.panic_utf8(bytes('ft-peer: msg must be {"unused":"<n>"} or "nonsense"'));
  }
  env.value_return(bytes(JSON.stringify(parsed.unused)));
}

/**
 * Sends `amount` of `token_id` to `receiver_id` by ft_transfer_call asking for everything back,
 * and in the same block unregisters itself from the token with force: the refund finds no sender.
 */
function transfer_call_then_unregister() {
  const { token_id, receiver_id, amount } = args();
  const call = JSON.stringify({ receiver_id, amount, msg: JSON.stringify({ unused: amount }) });
  env.promise_create(token_id, 'ft_transfer_call', bytes(call), 1n, 150n * TGAS);
  env.promise_create(token_id, 'storage_unregister', bytes('{"force":true}'), 1n, 20n * TGAS);
}

/**
 * As a minter, the metapool's way: `token_id`.mint({ account_id, amount }) in a promise with no
 * deposit, then on_minted reports how it went.
 */
function mint_via_promise() {
  const { token_id, account_id, amount } = args();
  const mint = JSON.stringify({ account_id, amount });
  const p = env.promise_create(token_id, 'mint', bytes(mint), 0n, 50n * TGAS);
  env.current_account_id(0);
  const self = String.fromCharCode(...env.read_register(0));
  env.promise_return(env.promise_then(p, self, 'on_minted', bytes('{}'), 0n, 20n * TGAS));
}

/** Callback of mint_via_promise: "minted", or "mint failed" (where the metapool restores its books). */
function on_minted() {
  const ok = Number(env.promise_result(0, 0)) === 1;
  env.value_return(bytes(JSON.stringify(ok ? 'minted' : 'mint failed')));
}

export { ft_on_transfer, mint_via_promise, on_minted, transfer_call_then_unregister };
