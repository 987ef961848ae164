// The governance token (contracts/src/gov-token) on localnet, on both engines: the .js bundle on
// the vm engine and the .wasm build under nearcore's metering (this suite chooses its engines
// itself, so it runs in the `contracts` project only). Init rules, minting by the minter only up
// to the cap to the yocto, NEP-141 transfers and their 1-yocto rule, ft_transfer_call into NEAR's
// real Sputnik DAO staking contract (and its withdraw back through our ft_transfer), NEP-145
// registration and unregistration with and without force, NEP-297 events, and (wasm) the gas of
// mint, ft_transfer and ft_transfer_call + ft_resolve_transfer.
import path from 'node:path';
import { type Account, type CallOutcome, Localnet } from '@snear/localnet';
import { functionCallReceipts } from '../deploy/mainnet-wasm';
import {
  createTokenAccount,
  deployGovToken,
  deploySputnikStaking,
  events,
  type GovTokenInit,
  govTokenSkipReason,
  HARD_CAP_24,
  NEAR,
  ONE_TOKEN,
  sputnikSkipReason,
  TGAS,
  TRANSFER_CALL_GAS,
} from './support/gov-token';

jest.setTimeout(300_000);

const STORAGE_DEPOSIT = 1_450_000_000_000_000_000_000n; // 145 bytes × 1e19
/** The hand-written receiver/sender of support/ft-peer.js (vm engine). */
const FT_PEER = path.join(__dirname, 'support', 'ft-peer.js');
const CALL_GAS = 30n * TGAS;

/** Every storage record of an account, for "state unchanged" checks. */
async function snapshot(account: Account): Promise<string[]> {
  const state = await account.viewState();
  return state
    .entries()
    .map(([k, v]) => `${Buffer.from(k).toString('latin1')}=${Buffer.from(v).toString('latin1')}`)
    .sort();
}

/** The failure message of a call that must fail. */
function failed(out: CallOutcome): string {
  if (out.status !== 'failure')
    throw new Error(`expected a failure, got ${JSON.stringify(out.value)}`);
  // localnet prefixes a contract panic the way nearcore reports it
  return (out.failureMessage ?? '').replace(/^Smart contract panicked: /, '');
}

function succeeded(out: CallOutcome): CallOutcome {
  if (out.status !== 'success') throw new Error(`call failed: ${out.failureMessage}`);
  return out;
}

const gasRows: { engine: string; label: string; method: string; tgas: number }[] = [];

/** Records the gas of every receipt of `out` (wasm engine figures go in the report). */
function recordGas(engine: string, label: string, out: CallOutcome): void {
  for (const r of functionCallReceipts(out))
    gasRows.push({
      engine,
      label,
      method: `${r.method}@${r.receiver.split('.')[0]}`,
      tgas: Number(r.gasBurnt) / 1e12,
    });
  gasRows.push({ engine, label, method: 'whole transaction', tgas: Number(out.gasBurnt) / 1e12 });
}

afterAll(() => {
  const wasm = gasRows.filter((r) => r.engine === 'wasm');
  if (wasm.length > 0)
    console.log(
      `gov-token gas on the wasm engine (Tgas):\n${wasm.map((r) => `  ${r.label.padEnd(34)} ${r.method.padEnd(28)} ${r.tgas.toFixed(2)}`).join('\n')}`,
    );
});

describe.each(['vm', 'wasm'] as const)('gov-token on the %s engine', (engine) => {
  const reason = govTokenSkipReason(engine);
  const d = reason ? describe.skip : describe;
  if (reason) it.skip(`skipped: ${reason}`, () => {});

  d('', () => {
    let net: Localnet;
    let root: Account;
    let minter: Account;
    let alice: Account;
    let bob: Account;
    let carol: Account;
    let token: Account;
    const init = (over: Partial<GovTokenInit> = {}): GovTokenInit => ({
      minter_id: minter.accountId,
      name: 'sNEAR Governance',
      symbol: 'sGOV',
      supply_cap: (1_000_000n * ONE_TOKEN).toString(),
      ...over,
    });
    const call = (
      who: Account,
      method: string,
      args: unknown,
      deposit = 0n,
      gas = CALL_GAS,
      on: Account = token,
    ) => who.callRaw(on, method, args, { attachedDeposit: deposit, gas });
    const balance = async (who: Account | string, on: Account = token) =>
      BigInt(
        (await on.view('ft_balance_of', {
          account_id: typeof who === 'string' ? who : who.accountId,
        })) as string,
      );
    const register = async (who: Account, on: Account = token) =>
      succeeded(await call(who, 'storage_deposit', {}, STORAGE_DEPOSIT, CALL_GAS, on));
    const mint = (
      to: Account | string,
      amount: bigint,
      by: Account = minter,
      on: Account = token,
    ) =>
      call(
        by,
        'mint',
        { account_id: typeof to === 'string' ? to : to.accountId, amount: amount.toString() },
        0n,
        CALL_GAS,
        on,
      );

    beforeAll(async () => {
      net = await Localnet.init({ engine, epochLength: 60 });
      root = net.root;
      minter = await root.createSubAccount('metapool', { initialBalance: 50n * NEAR });
      alice = await root.createSubAccount('alice', { initialBalance: 50n * NEAR });
      bob = await root.createSubAccount('bob', { initialBalance: 50n * NEAR });
      carol = await root.createSubAccount('carol', { initialBalance: 50n * NEAR });
      token = await deployGovToken(root, 'gov', init());
    });

    describe('new', () => {
      it('takes name, symbol, decimals and icon from its arguments and starts with zero supply', async () => {
        const icon = 'data:image/svg+xml,%3Csvg%3E%3C/svg%3E';
        const t = await deployGovToken(
          root,
          'gov-meta',
          init({ name: 'Other Gov', symbol: 'oGOV', decimals: 6, icon, supply_cap: '5000000' }),
        );
        expect(await t.view('ft_metadata', {})).toEqual({
          spec: 'ft-1.0.0',
          name: 'Other Gov',
          symbol: 'oGOV',
          icon,
          reference: null,
          reference_hash: null,
          decimals: 6,
        });
        expect(await t.view('ft_total_supply', {})).toBe('0');
        expect(await t.view('get_total_minted', {})).toBe('0');
        expect(await t.view('get_supply_cap', {})).toBe('5000000');
        expect(await t.view('get_minter', {})).toBe(minter.accountId);
        // defaults: 24 decimals, no icon
        expect(await token.view('ft_metadata', {})).toMatchObject({
          name: 'sNEAR Governance',
          symbol: 'sGOV',
          decimals: 24,
          icon: null,
        });
        expect(await token.view('ft_total_supply', {})).toBe('0');
      });

      it('refuses a supply cap above the hard cap of 10^9 tokens, for the decimals given', async () => {
        const t = await createTokenAccount(root, 'gov-cap');
        const over = await root.callRaw(
          t,
          'new',
          init({ supply_cap: (HARD_CAP_24 + 1n).toString() }),
          { gas: CALL_GAS },
        );
        expect(failed(over)).toContain(
          `E_SUPPLY_CAP: supply_cap ${HARD_CAP_24 + 1n} is above the hard cap of 1000000000 tokens`,
        );
        // at 6 decimals the hard cap is 10^15 in the smallest unit
        const over6 = await root.callRaw(
          t,
          'new',
          init({ decimals: 6, supply_cap: '1000000000000001' }),
          { gas: CALL_GAS },
        );
        expect(failed(over6)).toContain('(1000000000000000 in the smallest unit at 6 decimals)');
        expect(await snapshot(t)).toEqual([]);
        // exactly the hard cap is fine
        succeeded(
          await root.callRaw(t, 'new', init({ supply_cap: HARD_CAP_24.toString() }), {
            gas: CALL_GAS,
          }),
        );
        expect(await t.view('get_supply_cap', {})).toBe(HARD_CAP_24.toString());
        // and there is only one init
        expect(failed(await root.callRaw(t, 'new', init(), { gas: CALL_GAS }))).toMatch(
          /already|initialized|exist/i,
        );
      });

      it('refuses bad arguments with a sentence, leaving the account uninitialised', async () => {
        const t = await createTokenAccount(root, 'gov-bad');
        const bad = async (args: unknown, expected: string) => {
          const out = await root.callRaw(t, 'new', args, { gas: CALL_GAS });
          expect(failed(out)).toContain(expected);
        };
        await bad(
          { ...init(), owner_id: 'x.test.near' },
          'E_BAD_ARGS: new takes no argument owner_id',
        );
        await bad(
          init({ minter_id: 'Not An Account' }),
          'E_BAD_ARGS: minter_id must be a valid account id',
        );
        await bad(init({ name: '' }), 'E_BAD_ARGS: name must be a string of 1 to 64 characters');
        await bad(init({ symbol: 's GOV' }), 'E_BAD_ARGS: symbol "s GOV" has characters');
        await bad(init({ decimals: 25 }), 'E_BAD_ARGS: decimals must be a whole number in 0..24');
        await bad(init({ supply_cap: '0' }), 'E_ZERO_AMOUNT: supply_cap must be greater than 0');
        await bad(
          init({ supply_cap: 1000 as unknown as string }),
          'E_BAD_ARGS: supply_cap must be a decimal string',
        );
        await bad(init({ icon: 'https://x/icon.png' }), 'E_BAD_ARGS: icon must be a data URL');
        await bad('not json', 'E_BAD_ARGS: arguments must be JSON');
        expect(await snapshot(t)).toEqual([]);
      });
    });

    describe('mint', () => {
      it('only the minter mints: everyone else gets E_UNAUTHORIZED, state unchanged', async () => {
        await register(alice);
        const before = await snapshot(token);
        for (const who of [alice, root, token]) {
          const msg = failed(await mint(alice, 5n, who));
          expect(msg).toBe(
            `E_UNAUTHORIZED: only the minter ${minter.accountId} may mint; ${who.accountId} may not`,
          );
        }
        expect(await snapshot(token)).toEqual(before);
        const out = succeeded(await mint(alice, 7n * ONE_TOKEN));
        expect(out.value).toBeUndefined();
        expect(await balance(alice)).toBe(7n * ONE_TOKEN);
        expect(await token.view('ft_total_supply', {})).toBe((7n * ONE_TOKEN).toString());
        expect(await token.view('get_total_minted', {})).toBe((7n * ONE_TOKEN).toString());
        expect(events(out)).toEqual([
          {
            standard: 'nep141',
            version: '1.0.0',
            event: 'ft_mint',
            data: [{ owner_id: alice.accountId, amount: (7n * ONE_TOKEN).toString() }],
          },
        ]);
        recordGas(engine, 'mint', out);
      });

      it('refuses an unregistered receiver (E_NOT_REGISTERED, saying to call storage_deposit), state unchanged', async () => {
        const before = await snapshot(token);
        const msg = failed(await mint(carol, ONE_TOKEN));
        expect(msg).toBe(
          `E_NOT_REGISTERED: ${carol.accountId} is not registered on this token; call storage_deposit on ${token.accountId} for it first (attach ${STORAGE_DEPOSIT} yoctoNEAR)`,
        );
        expect(await snapshot(token)).toEqual(before);
        expect(await token.view('ft_total_supply', {})).toBe((7n * ONE_TOKEN).toString());
      });

      it('refuses a deposit, a zero amount and malformed arguments', async () => {
        const before = await snapshot(token);
        const dep = await call(minter, 'mint', { account_id: alice.accountId, amount: '1' }, 1n);
        expect(failed(dep)).toContain('E_DEPOSIT: mint takes no deposit');
        expect(failed(await mint(alice, 0n))).toContain('E_ZERO_AMOUNT');
        expect(
          failed(await call(minter, 'mint', { account_id: alice.accountId, amount: 5 })),
        ).toContain('E_BAD_ARGS: amount must be a decimal string');
        expect(
          failed(
            await call(minter, 'mint', {
              account_id: alice.accountId,
              amount: (1n << 128n).toString(),
            }),
          ),
        ).toContain('E_BAD_AMOUNT');
        expect(failed(await call(minter, 'mint', { account_id: 'ALICE', amount: '1' }))).toContain(
          'E_BAD_ARGS: account_id must be a valid account id',
        );
        expect(await snapshot(token)).toEqual(before);
      });

      it('enforces the supply cap to the yocto, naming what is left; burns make no room', async () => {
        const t = await deployGovToken(root, 'gov-small', init({ supply_cap: '1000000' }));
        await register(alice, t);
        await register(bob, t);
        succeeded(await mint(alice, 999_999n, minter, t));
        const over = failed(await mint(bob, 2n, minter, t));
        expect(over).toBe(
          'E_SUPPLY_CAP: minting 2 would pass the supply cap of 1000000: only 1 (smallest unit) is left to mint, ever',
        );
        succeeded(await mint(bob, 1n, minter, t));
        expect(await t.view('ft_total_supply', {})).toBe('1000000');
        expect(failed(await mint(bob, 1n, minter, t))).toContain('only 0 (smallest unit) is left');
        // bob burns his token by force-unregistering: supply falls, minted does not, no room
        succeeded(await call(bob, 'storage_unregister', { force: true }, 1n, CALL_GAS, t));
        expect(await t.view('ft_total_supply', {})).toBe('999999');
        expect(await t.view('get_total_minted', {})).toBe('1000000');
        expect(failed(await mint(alice, 1n, minter, t))).toContain('E_SUPPLY_CAP');
        expect(await balance(alice, t)).toBe(999_999n);
      });
    });

    it('mint from a contract (a promise, no deposit, as the metapool): applies, or fails whole for the caller to undo', async () => {
      const minterPeer = await root.createSubAccount('minter-peer', { initialBalance: 10n * NEAR });
      await minterPeer.deploy(FT_PEER);
      const t = await deployGovToken(
        root,
        'gov-p',
        init({ minter_id: minterPeer.accountId, supply_cap: '100' }),
      );
      await register(alice, t);
      const viaPromise = (to: Account, amount: string) =>
        call(
          alice,
          'mint_via_promise',
          { token_id: t.accountId, account_id: to.accountId, amount },
          0n,
          150n * TGAS,
          minterPeer,
        );
      const ok = succeeded(await viaPromise(alice, '60'));
      expect(ok.value).toBe('minted');
      expect(events(ok).map((e) => e.event)).toEqual(['ft_mint']);
      const before = await snapshot(t);
      for (const [to, amount, code] of [
        [alice, '41', 'E_SUPPLY_CAP: minting 41 would pass the supply cap of 100: only 40'],
        [carol, '1', `E_NOT_REGISTERED: ${carol.accountId} is not registered`],
      ] as const) {
        const out = succeeded(await viaPromise(to, amount));
        expect(out.value).toBe('mint failed');
        expect(out.receipts.some((r) => r.failureMessage?.includes(code))).toBe(true);
        expect(events(out)).toEqual([]);
        expect(await snapshot(t)).toEqual(before);
      }
      expect(await balance(alice, t)).toBe(60n);
    });

    describe('ft_transfer', () => {
      it('moves tokens with exactly 1 yocto attached and emits ft_transfer', async () => {
        await register(bob);
        const args = { receiver_id: bob.accountId, amount: ONE_TOKEN.toString(), memo: 'thanks' };
        for (const deposit of [0n, 2n]) {
          expect(failed(await call(alice, 'ft_transfer', args, deposit))).toBe(
            `E_DEPOSIT: attach exactly 1 yoctoNEAR (attached ${deposit}); it proves a full-access key signed`,
          );
        }
        const out = succeeded(await call(alice, 'ft_transfer', args, 1n));
        expect(await balance(alice)).toBe(6n * ONE_TOKEN);
        expect(await balance(bob)).toBe(ONE_TOKEN);
        expect(events(out)).toEqual([
          {
            standard: 'nep141',
            version: '1.0.0',
            event: 'ft_transfer',
            data: [
              {
                old_owner_id: alice.accountId,
                new_owner_id: bob.accountId,
                amount: ONE_TOKEN.toString(),
                memo: 'thanks',
              },
            ],
          },
        ]);
        recordGas(engine, 'ft_transfer', out);
      });

      it('refuses an unregistered receiver, a self-transfer and more than the balance, state unchanged', async () => {
        const before = await snapshot(token);
        const t = (receiver: string, amount: bigint) =>
          call(alice, 'ft_transfer', { receiver_id: receiver, amount: amount.toString() }, 1n);
        expect(failed(await t(carol.accountId, 1n))).toContain(
          `E_NOT_REGISTERED: ${carol.accountId} is not registered on this token; call storage_deposit`,
        );
        expect(failed(await t(alice.accountId, 1n))).toContain('E_SELF_TRANSFER');
        expect(failed(await t(bob.accountId, 6n * ONE_TOKEN + 1n))).toBe(
          `E_INSUFFICIENT_BALANCE: ${alice.accountId} holds ${6n * ONE_TOKEN}, cannot send ${6n * ONE_TOKEN + 1n} (smallest unit)`,
        );
        expect(
          failed(await call(carol, 'ft_transfer', { receiver_id: bob.accountId, amount: '1' }, 1n)),
        ).toContain(`E_NOT_REGISTERED: ${carol.accountId}`);
        expect(await snapshot(token)).toEqual(before);
      });
    });

    const sputnik = sputnikSkipReason();
    (sputnik ? describe.skip : describe)(
      `ft_transfer_call into NEAR's Sputnik DAO staking contract${sputnik ? ` (skipped: ${sputnik})` : ''}`,
      () => {
        let staking: Account;
        beforeAll(async () => {
          staking = await deploySputnikStaking(root, 'dao-staking', minter, token);
          await register(staking);
          // alice registers with the staking contract (its own NEP-145 storage); bob does not
          await alice.call(staking, 'storage_deposit', {}, { attachedDeposit: NEAR / 10n });
        });

        it('stakes the tokens: ft_on_transfer keeps all, ft_resolve_transfer returns the whole amount as used', async () => {
          const amount = 2n * ONE_TOKEN;
          const out = succeeded(
            await call(
              alice,
              'ft_transfer_call',
              { receiver_id: staking.accountId, amount: amount.toString(), msg: '' },
              1n,
              TRANSFER_CALL_GAS,
            ),
          );
          expect(out.value).toBe(amount.toString());
          expect(await balance(alice)).toBe(4n * ONE_TOKEN);
          expect(await balance(staking)).toBe(amount);
          expect(await staking.view('ft_balance_of', { account_id: alice.accountId })).toBe(
            amount.toString(),
          );
          expect(events(out).map((e) => e.event)).toEqual(['ft_transfer']);
          const receipts = functionCallReceipts(out);
          expect(receipts.map((r) => `${r.method}:${r.ok}`)).toEqual([
            'ft_transfer_call:true',
            'ft_on_transfer:true',
            'ft_resolve_transfer:true',
          ]);
          // the resolver burns at most half the gas it is given
          const resolve = receipts[2];
          expect(resolve.gasBurnt * 2n).toBeLessThanOrEqual(resolve.attachedGas);
          recordGas(engine, 'ft_transfer_call (kept)', out);
        });

        it('refunds everything when ft_on_transfer fails (sender not registered there): used is 0', async () => {
          const amount = ONE_TOKEN / 2n;
          const out = succeeded(
            await call(
              bob,
              'ft_transfer_call',
              { receiver_id: staking.accountId, amount: amount.toString(), msg: '' },
              1n,
              TRANSFER_CALL_GAS,
            ),
          );
          expect(out.value).toBe('0');
          expect(await balance(bob)).toBe(ONE_TOKEN);
          expect(await balance(staking)).toBe(2n * ONE_TOKEN);
          expect(events(out).map((e) => [e.event, e.data[0].memo])).toEqual([
            ['ft_transfer', undefined],
            ['ft_transfer', 'refund'],
          ]);
          expect(functionCallReceipts(out).map((r) => `${r.method}:${r.ok}`)).toEqual([
            'ft_transfer_call:true',
            'ft_on_transfer:false',
            'ft_resolve_transfer:true',
          ]);
          recordGas(engine, 'ft_transfer_call (refunded)', out);
        });

        it('refunds a receiver without code, and refuses too little gas, a missing msg or no 1 yocto', async () => {
          await register(carol);
          const args = { receiver_id: carol.accountId, amount: '1000', msg: 'hi' };
          // the least gas it takes (55 Tgas) is enough for the whole round trip
          const out = succeeded(await call(bob, 'ft_transfer_call', args, 1n, 55n * TGAS));
          expect(out.value).toBe('0');
          expect(await balance(carol)).toBe(0n);
          const before = await snapshot(token);
          expect(failed(await call(bob, 'ft_transfer_call', args, 1n, 54n * TGAS))).toBe(
            'E_GAS: attach at least 55 Tgas to ft_transfer_call (attached 54)',
          );
          expect(
            failed(
              await call(
                bob,
                'ft_transfer_call',
                { ...args, msg: undefined },
                1n,
                TRANSFER_CALL_GAS,
              ),
            ),
          ).toContain('E_BAD_ARGS: msg must be a string');
          expect(
            failed(await call(bob, 'ft_transfer_call', args, 0n, TRANSFER_CALL_GAS)),
          ).toContain('E_DEPOSIT');
          expect(await snapshot(token)).toEqual(before);
        });

        it("ft_resolve_transfer is the token's own callback", async () => {
          const out = await call(alice, 'ft_resolve_transfer', {
            sender_id: alice.accountId,
            receiver_id: staking.accountId,
            amount: '1',
          });
          expect(failed(out)).toContain('E_UNAUTHORIZED');
        });

        it('the staking contract pays back through our ft_transfer (withdraw)', async () => {
          const out = succeeded(
            await call(
              alice,
              'withdraw',
              { amount: ONE_TOKEN.toString() },
              0n,
              100n * TGAS,
              staking,
            ),
          );
          expect(await balance(alice)).toBe(5n * ONE_TOKEN);
          expect(await balance(staking)).toBe(ONE_TOKEN);
          expect(events(out).map((e) => e.event)).toEqual(['ft_transfer']);
        });
      },
    );

    describe('ft_resolve_transfer with a test peer (partial, nonsense, burnt refunds)', () => {
      let peer: Account;
      const transferCall = (who: Account, amount: bigint, msg: string) =>
        call(
          who,
          'ft_transfer_call',
          { receiver_id: peer.accountId, amount: amount.toString(), msg },
          1n,
          TRANSFER_CALL_GAS,
        );
      /** The value ft_resolve_transfer returned in `out`. */
      const resolved = (out: CallOutcome): unknown => {
        const r = out.transaction.receipts.find(
          (x) =>
            x.executorId === token.accountId &&
            x.actions.some(
              (a) => a.type === 'FunctionCall' && a.methodName === 'ft_resolve_transfer',
            ),
        );
        if (r?.status.type !== 'SuccessValue')
          throw new Error('ft_resolve_transfer did not succeed');
        return JSON.parse(Buffer.from(r.status.value).toString('utf8'));
      };

      beforeAll(async () => {
        peer = await root.createSubAccount('peer', { initialBalance: 10n * NEAR });
        await peer.deploy(FT_PEER);
        succeeded(
          await call(root, 'storage_deposit', { account_id: peer.accountId }, STORAGE_DEPOSIT),
        );
      });

      it('refunds what the receiver leaves unused and returns amount − refunded', async () => {
        const aliceBefore = await balance(alice);
        const out = succeeded(await transferCall(alice, 1000n, '{"unused":"250"}'));
        expect(out.value).toBe('750');
        expect(await balance(alice)).toBe(aliceBefore - 750n);
        expect(await balance(peer)).toBe(750n);
        expect(events(out).map((e) => [e.event, e.data[0].amount, e.data[0].memo])).toEqual([
          ['ft_transfer', '1000', undefined],
          ['ft_transfer', '250', 'refund'],
        ]);
      });

      it('caps "unused" at the amount and treats a nonsense answer as nothing used', async () => {
        const aliceBefore = await balance(alice);
        expect(succeeded(await transferCall(alice, 1000n, '{"unused":"5000"}')).value).toBe('0');
        expect(succeeded(await transferCall(alice, 1000n, 'nonsense')).value).toBe('0');
        expect(await balance(alice)).toBe(aliceBefore);
        expect(await balance(peer)).toBe(750n);
      });

      it('burns the refund when the sender unregistered meanwhile, and counts it as used', async () => {
        const leaver = await root.createSubAccount('leaver', { initialBalance: 10n * NEAR });
        await leaver.deploy(FT_PEER);
        succeeded(
          await call(root, 'storage_deposit', { account_id: leaver.accountId }, STORAGE_DEPOSIT),
        );
        succeeded(await mint(leaver, 1000n));
        const supply = BigInt((await token.view('ft_total_supply', {})) as string);
        const minted = await token.view('get_total_minted', {});
        const out = succeeded(
          await call(
            alice,
            'transfer_call_then_unregister',
            { token_id: token.accountId, receiver_id: peer.accountId, amount: '600' },
            0n,
            250n * TGAS,
            leaver,
          ),
        );
        expect(resolved(out)).toBe('600');
        expect(
          events(out).map((e) => [
            e.event,
            e.data[0].amount,
            e.data[0].owner_id ?? e.data[0].old_owner_id,
          ]),
        ).toEqual([
          ['ft_transfer', '600', leaver.accountId],
          ['ft_burn', '400', leaver.accountId],
          ['ft_burn', '600', peer.accountId],
        ]);
        expect(await token.view('storage_balance_of', { account_id: leaver.accountId })).toBeNull();
        expect(await balance(peer)).toBe(750n);
        expect(await token.view('ft_total_supply', {})).toBe((supply - 1000n).toString());
        expect(await token.view('get_total_minted', {})).toBe(minted);
      });
    });

    describe('NEP-145 storage', () => {
      it('bounds, balance_of, deposit refunds the excess and re-registering refunds all', async () => {
        const bounds = { min: STORAGE_DEPOSIT.toString(), max: STORAGE_DEPOSIT.toString() };
        expect(await token.view('storage_balance_bounds', {})).toEqual(bounds);
        const dave = await root.createSubAccount('dave', { initialBalance: 10n * NEAR });
        expect(await token.view('storage_balance_of', { account_id: dave.accountId })).toBeNull();
        const short = await call(dave, 'storage_deposit', {}, STORAGE_DEPOSIT - 1n);
        expect(failed(short)).toContain(`E_STORAGE: attach at least ${STORAGE_DEPOSIT} yoctoNEAR`);
        const tokenBefore = (await token.balance()).total;
        const out = succeeded(
          await call(dave, 'storage_deposit', { registration_only: true }, NEAR),
        );
        expect(out.value).toEqual({ total: STORAGE_DEPOSIT.toString(), available: '0' });
        // the token keeps the deposit (plus its share of the gas), the rest went back
        const kept = (await token.balance()).total - tokenBefore;
        expect(kept).toBeGreaterThanOrEqual(STORAGE_DEPOSIT);
        expect(kept).toBeLessThan(STORAGE_DEPOSIT + NEAR / 1000n);
        expect(await token.view('storage_balance_of', { account_id: dave.accountId })).toEqual({
          total: STORAGE_DEPOSIT.toString(),
          available: '0',
        });
        const again = succeeded(await call(dave, 'storage_deposit', {}, NEAR));
        expect(again.logs).toContain(
          `${dave.accountId} is already registered; the deposit is refunded`,
        );
        // root pays for someone else
        const erin = await root.createSubAccount('erin', { initialBalance: 10n * NEAR });
        succeeded(
          await call(root, 'storage_deposit', { account_id: erin.accountId }, STORAGE_DEPOSIT),
        );
        expect(
          await token.view('storage_balance_of', { account_id: erin.accountId }),
        ).not.toBeNull();
        expect(
          failed(await call(root, 'storage_deposit', { account_id: 'no way' }, STORAGE_DEPOSIT)),
        ).toContain('E_BAD_ARGS');
      });

      it('storage_withdraw: 1 yocto, nothing above the fixed deposit', async () => {
        expect(failed(await call(bob, 'storage_withdraw', {}, 0n))).toContain('E_DEPOSIT');
        expect(succeeded(await call(bob, 'storage_withdraw', {}, 1n)).value).toEqual({
          total: STORAGE_DEPOSIT.toString(),
          available: '0',
        });
        expect(failed(await call(bob, 'storage_withdraw', { amount: '1' }, 1n))).toContain(
          'E_STORAGE: no storage balance above',
        );
        const stranger = await root.createSubAccount('stranger', { initialBalance: 10n * NEAR });
        expect(failed(await call(stranger, 'storage_withdraw', {}, 1n))).toContain(
          'E_NOT_REGISTERED',
        );
      });

      it('storage_unregister without force: refused while holding tokens, else returns the deposit', async () => {
        const held = await balance(bob);
        expect(held).toBeGreaterThan(0n);
        expect(failed(await call(bob, 'storage_unregister', {}, 1n))).toBe(
          `E_STORAGE: ${bob.accountId} still holds ${held}; transfer it away first, or pass force: true to burn it`,
        );
        expect(failed(await call(bob, 'storage_unregister', { force: 'yes' }, 1n))).toContain(
          'E_BAD_ARGS: force must be true or false',
        );
        expect(failed(await call(carol, 'storage_unregister', {}, 0n))).toContain('E_DEPOSIT');
        // carol holds nothing: unregistered, deposit + 1 yocto back
        const carolBefore = (await carol.balance()).total;
        const out = succeeded(await call(carol, 'storage_unregister', {}, 1n));
        expect(out.value).toBe(true);
        expect(events(out)).toEqual([]);
        expect((await carol.balance()).total - carolBefore).toBeGreaterThan(
          STORAGE_DEPOSIT - NEAR / 1000n,
        );
        expect(await token.view('storage_balance_of', { account_id: carol.accountId })).toBeNull();
        // not registered any more: false, nothing happens
        expect(succeeded(await call(carol, 'storage_unregister', {}, 1n)).value).toBe(false);
      });

      it('storage_unregister with force burns the balance and emits ft_burn', async () => {
        const held = await balance(bob);
        const supply = BigInt((await token.view('ft_total_supply', {})) as string);
        const minted = await token.view('get_total_minted', {});
        const out = succeeded(await call(bob, 'storage_unregister', { force: true }, 1n));
        expect(out.value).toBe(true);
        expect(events(out)).toEqual([
          {
            standard: 'nep141',
            version: '1.0.0',
            event: 'ft_burn',
            data: [
              {
                owner_id: bob.accountId,
                amount: held.toString(),
                memo: 'storage_unregister with force',
              },
            ],
          },
        ]);
        expect(await balance(bob)).toBe(0n);
        expect(await token.view('ft_total_supply', {})).toBe((supply - held).toString());
        expect(await token.view('get_total_minted', {})).toBe(minted);
        expect(await token.view('storage_balance_of', { account_id: bob.accountId })).toBeNull();
      });
    });

    it('views refuse a malformed account id', async () => {
      await expect(token.view('ft_balance_of', { account_id: 'Bad Id' })).rejects.toThrow(
        'E_BAD_ARGS',
      );
      expect(await token.view('ft_balance_of', { account_id: 'nobody.test.near' })).toBe('0');
    });
  });
});
