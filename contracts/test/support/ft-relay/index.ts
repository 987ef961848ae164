// ft-relay: a NEP-141 receiver for the token tests. Its ft_on_transfer passes the tokens it just
// received on to `msg`'s `forward_to` (an ft_transfer back on the token, 1 yocto attached) and
// then asks for all of them to be refunded: at ft_resolve_transfer it holds none, so nothing can
// be refunded and the whole amount was used (NEP-141).
import { call, NearBindgen, NearPromise, near } from 'near-sdk-js';

const TGAS = 1_000_000_000_000n;

@NearBindgen({})
export class FtRelay {
  @call({})
  ft_on_transfer({ amount, msg }: { sender_id: string; amount: string; msg: string }): NearPromise {
    const { forward_to } = JSON.parse(msg) as { forward_to: string };
    const token = near.predecessorAccountId();
    return NearPromise.new(token)
      .functionCall(
        'ft_transfer',
        JSON.stringify({ receiver_id: forward_to, amount }),
        1n,
        20n * TGAS,
      )
      .then(
        NearPromise.new(near.currentAccountId()).functionCall(
          'ask_refund',
          JSON.stringify({ amount }),
          0n,
          10n * TGAS,
        ),
      );
  }

  /** The value ft_on_transfer resolves to: "refund all of it". */
  @call({ privateFunction: true })
  ask_refund({ amount }: { amount: string }): string {
    return amount;
  }
}
