// The wasm engine (src/engine/wasm.ts) running contracts/build/host-test.wasm, a real
// near-sdk-js contract compiled with QuickJS, through nearcore's raw host ABI onto HostContext.
// Needs `make contracts` (fails saying so when the wasm is missing).
import fs from 'node:fs';
import path from 'node:path';
import { loadWasmEngine } from '../src/engine/index';
import { createWasmEngine, REGULAR_OP_COST, WasmEngine } from '../src/engine/wasm';
import { GAS_GLOBAL_EXPORT, instrumentForGas } from '../src/engine/wasm-gas';
import { HostContext } from '../src/host/context';
import { HostError } from '../src/host/errors';
import type { ContractCode } from '../src/host/index';
import type { CallContext, ChainView, PromiseResult } from '../src/host/types';
import { Localnet } from '../src/index';
import { bareCallContext, emptyChain } from './support/call-context';

const TGAS = 1_000_000_000_000n;
const NEAR = 10n ** 24n;
const WASM_FILE = path.resolve(__dirname, '../../contracts/build/host-test.wasm');

function loadHostTest(): ContractCode {
  if (!fs.existsSync(WASM_FILE)) {
    throw new Error('contracts/build/host-test.wasm is missing: run make contracts');
  }
  return { kind: 'wasm', hash: 'host-test', bytes: fs.readFileSync(WASM_FILE) };
}

interface CallOptions {
  args?: unknown;
  deposit?: bigint;
  gas?: bigint;
  view?: boolean;
  predecessor?: string;
  promiseResults?: PromiseResult[];
}

/** A one-account chain: committed storage, and a call runner that commits on success. */
class Harness {
  readonly storage = new Map<string, Uint8Array>();
  readonly engine = createWasmEngine();
  readonly code = loadHostTest();
  balance = 100n * NEAR;

  /** Run a method; returns the host context (check `fatalError`, `returnData`, `logs`). */
  run(method: string, opts: CallOptions = {}): HostContext {
    const context: CallContext = {
      currentAccountId: 'host.test.near',
      signerAccountId: 'alice.test.near',
      signerAccountPk: new Uint8Array(33).fill(7, 1),
      predecessorAccountId: opts.predecessor ?? 'alice.test.near',
      input: Buffer.from(JSON.stringify(opts.args ?? {})),
      blockHeight: 1234n,
      blockTimestamp: 1_700_000_000_000_000_000n,
      epochHeight: 42n,
      prepaidGas: opts.gas ?? 300n * TGAS,
      attachedDeposit: opts.deposit ?? 0n,
      randomSeed: new Uint8Array(32).fill(9),
      isView: opts.view ?? false,
      promiseResults: opts.promiseResults ?? [],
      maxGasBurnt: 300n * TGAS,
    };
    const chain: ChainView = {
      storageGet: (key) => this.storage.get(key),
      accountBalance: this.balance + (opts.deposit ?? 0n),
      accountLockedBalance: 3n * NEAR,
      storageUsage: 1000n,
      validatorStake: (id) => (id === 'validator.test.near' ? 77n * NEAR : 0n),
      validatorTotalStake: () => 1000n * NEAR,
    };
    const host = new HostContext(context, chain);
    try {
      this.engine.run(this.code, method, host);
    } catch (err) {
      if (!(err instanceof HostError)) throw err;
      return host;
    }
    for (const [key, value] of host.writes) {
      if (value === null) this.storage.delete(key);
      else this.storage.set(key, value);
    }
    return host;
  }

  /** Run a method that must succeed; returns its parsed JSON value (undefined when none). */
  value(method: string, opts: CallOptions = {}): unknown {
    const host = this.run(method, opts);
    if (host.fatalError) throw new Error(`${method} failed: ${host.fatalError.message}`);
    if (host.returnData.kind !== 'value') return undefined;
    return JSON.parse(Buffer.from(host.returnData.value).toString('utf8'));
  }
}

function failure(host: HostContext): { type: string; message: string } {
  const err = host.fatalError;
  if (!err) throw new Error('expected the call to fail');
  return { type: err.kind.type, message: err.message };
}

describe('wasm engine: host-test.wasm', () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
  });

  test('localnet loads it for wasm code', () => {
    expect(loadWasmEngine()).toBeInstanceOf(WasmEngine);
  });

  test('counter: state persists through committed storage, logs are returned', () => {
    expect(h.value('increment', { args: {} })).toBe(1);
    const host = h.run('increment', { args: { by: 5 } });
    expect(host.logs).toEqual(['count=6']);
    expect(h.value('get_count', { view: true })).toBe(6);
  });

  test('raw storage set/get/has/remove', () => {
    expect(h.value('set_value', { args: { key: 'a', value: 'hello' } })).toBe(false);
    expect(h.value('set_value', { args: { key: 'a', value: 'héllo ✓' } })).toBe(true);
    expect(h.value('get_value', { args: { key: 'a' }, view: true })).toBe('héllo ✓');
    expect(h.value('has_value', { args: { key: 'a' }, view: true })).toBe(true);
    expect(h.value('remove_value', { args: { key: 'a' } })).toBe(true);
    expect(h.value('has_value', { args: { key: 'a' }, view: true })).toBe(false);
    expect(h.value('get_value', { args: { key: 'a' }, view: true })).toBeNull();
  });

  test('UnorderedMap and LookupMap', () => {
    h.value('map_set', { args: { key: 'x', value: '1' } });
    expect(h.value('map_set', { args: { key: 'y', value: '2' } })).toBeNull();
    expect(h.value('map_set', { args: { key: 'x', value: '3' } })).toBe('1');
    expect(h.value('map_len', { view: true })).toBe(2);
    expect(h.value('map_get', { args: { key: 'x' }, view: true })).toBe('3');
    expect(h.value('map_remove', { args: { key: 'y' } })).toBe('2');
    expect(h.value('map_len', { view: true })).toBe(1);
    h.value('lookup_set', { args: { key: 'k', value: 'v' } });
    expect(h.value('lookup_get', { args: { key: 'k' }, view: true })).toBe('v');
    expect(h.value('lookup_has', { args: { key: 'nope' }, view: true })).toBe(false);
  });

  test('a panic after writing keeps logs, reports the message and is not committed', () => {
    h.value('set_value', { args: { key: 'k', value: 'before' } });
    for (const mode of ['throw', 'panic_utf8']) {
      const host = h.run('write_then_fail', {
        args: { key: 'k', value: 'after', message: `boom-${mode}`, mode },
      });
      expect(failure(host).type).toBe('GuestPanic');
      expect(failure(host).message).toContain(`boom-${mode}`);
      expect(host.logs).toEqual(['about to fail']);
    }
    expect(h.value('get_value', { args: { key: 'k' }, view: true })).toBe('before');
    expect(h.value('get_count', { view: true })).toBe(0);
  });

  test('an uncaught error panics with message and QuickJS stack, as builder.c does', () => {
    const host = h.run('fail_with', { args: { message: 'nope' } });
    expect(failure(host).message).toMatch(/^Smart contract panicked: nope\n {4}at /);
  });

  test('payable and non-payable methods', () => {
    expect(h.value('deposit_note', { deposit: 5n * NEAR })).toBe((5n * NEAR).toString());
    expect(h.value('deposit_note', { deposit: 7n })).toBe('7');
    expect(h.value('get_deposited', { view: true })).toBe((5n * NEAR + 7n).toString());
    expect(failure(h.run('increment', { deposit: 1n })).message).toContain(
      'Function is not payable',
    );
  });

  test('storage usage grows with bytes written', () => {
    const before = BigInt(h.value('storage_used', { view: true }) as string);
    const host = h.run('store_bytes', { args: { key: 'big', size: 5000 } });
    expect(host.fatalError).toBeUndefined();
    const after = BigInt(
      JSON.parse(Buffer.from((host.returnData as { value: Uint8Array }).value).toString()),
    );
    expect(after - before).toBeGreaterThanOrEqual(5000n);
  });

  test('context views read the call context, balances (u128) and validator stakes', () => {
    const view = h.value('context_view', {
      args: { validator_id: 'validator.test.near' },
      view: true,
    }) as Record<string, string>;
    expect(view).toMatchObject({
      current_account_id: 'host.test.near',
      block_height: '1234',
      block_timestamp: '1700000000000000000',
      epoch_height: '42',
      account_balance: (100n * NEAR).toString(),
      account_locked_balance: (3n * NEAR).toString(),
      validator_total_stake: (1000n * NEAR).toString(),
      validator_stake: (77n * NEAR).toString(),
      random_seed: '09'.repeat(32),
    });
    const call = h.value('context_call', { deposit: 2n, gas: 100n * TGAS }) as Record<
      string,
      string
    >;
    expect(call).toMatchObject({
      predecessor_account_id: 'alice.test.near',
      signer_account_id: 'alice.test.near',
      signer_account_pk: `00${'07'.repeat(32)}`,
      attached_deposit: '2',
      prepaid_gas: (100n * TGAS).toString(),
    });
    const used = BigInt(call.used_gas);
    expect(used).toBeGreaterThan(0n);
    expect(used).toBeLessThan(100n * TGAS);
  });

  test('views may not read the predecessor or write storage', () => {
    expect(failure(h.run('view_predecessor', { view: true }))).toMatchObject({
      type: 'ProhibitedInView',
    });
    expect(failure(h.run('view_write', { view: true })).type).toBe('ProhibitedInView');
  });

  test('sha256, keccak256, keccak512 and ripemd160 through registers', () => {
    expect(h.value('hashes', { args: { data: 'abc' }, view: true })).toEqual({
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      keccak256: '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
      keccak512:
        '18587dc2ea106b9a1563e32b3312421ca164c7f1f07bc922a9c83d77cea3a1e5d0c69910739025372dc14ac9642629379540c17e2a65b19d77aa511a9d00bb96',
      ripemd160: '8eb208f7e05d987a9b044a8e98c6b087f15a0bfc',
    });
  });

  test('100 logs are allowed, 101 is a host error', () => {
    expect(h.run('log_many', { args: { count: 100 } }).logs).toHaveLength(100);
    const host = h.run('log_many', { args: { count: 101 } });
    expect(failure(host).type).toBe('NumberOfLogsExceeded');
    expect(host.logs).toHaveLength(100);
  });

  test('gas: instructions are metered and a runaway loop stops with GasExceeded', () => {
    const small = h.run('burn_gas', { args: { iterations: 10 } });
    const large = h.run('burn_gas', { args: { iterations: 20_000 } });
    expect(small.fatalError).toBeUndefined();
    expect(large.fatalError).toBeUndefined();
    // 20k more loop iterations cost at least one instruction each
    expect(large.burntGas - small.burntGas).toBeGreaterThan(20_000n * REGULAR_OP_COST);
    const spin = h.run('burn_gas', { args: { iterations: 1e15 }, gas: 30n * TGAS });
    expect(failure(spin).type).toBe('GasExceeded');
    expect(spin.burntGas).toBe(30n * TGAS);
  });

  test('promises: function call then callback, joint promises, forwarding', () => {
    const target = { account_id: 'other.test.near', method: 'echo', args: { value: 1 } };
    const host = h.run('call_other', { args: target });
    expect(host.fatalError).toBeUndefined();
    expect(host.promises).toHaveLength(2);
    expect(host.promises[0]).toMatchObject({ kind: 'receipt', receiverId: 'other.test.near' });
    expect(host.promises[0].kind === 'receipt' && host.promises[0].actions[0]).toMatchObject({
      type: 'FunctionCall',
      methodName: 'echo',
      gas: 30n * TGAS,
    });
    expect(host.promises[1]).toMatchObject({ receiverId: 'host.test.near', dependsOn: [0] });
    expect(host.returnData).toEqual({ kind: 'promise', index: 1 });

    const pair = h.run('call_pair', { args: { a: target, b: { ...target, method: 'fail_with' } } });
    expect(pair.promises.map((p) => p.kind)).toEqual(['receipt', 'receipt', 'joint', 'receipt']);
    expect(pair.promises[3]).toMatchObject({ dependsOn: [0, 1] });

    const forward = h.run('forward_call', { args: target });
    expect(forward.returnData).toEqual({ kind: 'promise', index: 0 });

    expect(failure(h.run('return_joint', { args: { a: target, b: target } })).type).toBe(
      'CannotReturnJointPromise',
    );
  });

  test('a callback reads promise_results_count and promise_result (success and failure)', () => {
    const report = h.value('on_results', {
      args: { label: 'L' },
      predecessor: 'host.test.near',
      promiseResults: [{ status: 'successful', value: Buffer.from('"42"') }, { status: 'failed' }],
    });
    expect(report).toEqual({
      label: 'L',
      count: 2,
      results: [
        { status: 'successful', value: '"42"' },
        { status: 'failed', value: null },
      ],
    });
    // private: only the contract itself may call it
    expect(failure(h.run('on_results', { args: {} })).message).toContain('private');
  });

  test('transfer and stake actions', () => {
    const t = h.run('transfer_to', { args: { receiver_id: 'bob.test.near', amount: '1000' } });
    expect(t.promises).toEqual([
      {
        kind: 'receipt',
        receiverId: 'bob.test.near',
        actions: [{ type: 'Transfer', deposit: 1000n }],
        dependsOn: [],
      },
    ]);
    const key = 'ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp';
    const s = h.run('do_stake', { args: { amount: (10n * NEAR).toString(), public_key: key } });
    expect(s.fatalError).toBeUndefined();
    expect(s.promises[0]).toMatchObject({
      receiverId: 'host.test.near',
      actions: [{ type: 'Stake', stake: 10n * NEAR, publicKey: key }],
    });
  });

  test('an unknown method is MethodNotFound', () => {
    expect(failure(h.run('no_such_method')).type).toBe('MethodNotFound');
    expect(failure(h.run(GAS_GLOBAL_EXPORT)).type).toBe('MethodNotFound');
  });
});

/** A minimal module: (memory (export "memory") 1) (func (export "spin") (loop (br 0))). */
function spinModule(extraImport = false): Uint8Array {
  const section = (id: number, body: number[]): number[] => [id, body.length, ...body];
  const str = (s: string): number[] => [s.length, ...Buffer.from(s)];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 0, 0]),
    ...(extraImport ? section(2, [1, ...str('wasi'), ...str('fd_write'), 0x00, 0]) : []),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, ...str('spin'), 0x00, extraImport ? 1 : 0, ...str('memory'), 0x02, 0]),
    ...section(10, [1, 7, 0, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b]),
  ]);
}

describe('wasm engine: metering and linking', () => {
  const context = (): CallContext => bareCallContext(5n * TGAS);
  const chain = emptyChain;

  test('the instrumented module is valid and exports the counter', () => {
    const mod = new WebAssembly.Module(instrumentForGas(spinModule()).bytes);
    expect(WebAssembly.Module.exports(mod).map((e) => e.name)).toContain(GAS_GLOBAL_EXPORT);
  });

  test('an infinite loop burns exactly the prepaid gas', () => {
    const host = new HostContext(context(), chain);
    const code: ContractCode = { kind: 'wasm', hash: 'spin', bytes: spinModule() };
    expect(() => new WasmEngine().run(code, 'spin', host)).toThrow(HostError);
    expect(host.fatalError?.kind.type).toBe('GasExceeded');
    expect(host.burntGas).toBe(5n * TGAS);
  });

  test('an import from a module other than env fails preparation (PrepareError Instantiate)', () => {
    const host = new HostContext(context(), chain);
    const code: ContractCode = { kind: 'wasm', hash: 'spin-wasi', bytes: spinModule(true) };
    expect(() => new WasmEngine().run(code, 'spin', host)).toThrow(HostError);
    expect(host.fatalError?.kind).toMatchObject({ type: 'PrepareError', error: 'Instantiate' });
    expect(host.burntGas).toBe(0n);
  });
});

describe('wasm engine inside Localnet', () => {
  test('cross-contract callbacks see success and failure; a transfer to nobody fails', async () => {
    loadHostTest(); // fail early with "run make contracts"
    const net = await Localnet.init({ engine: 'wasm' });
    const a = await net.root.devDeploy(WASM_FILE, { initialBalance: 50n * NEAR });
    const b = await net.root.devDeploy(WASM_FILE, { initialBalance: 50n * NEAR });
    const alice = await net.root.createSubAccount('alice', { initialBalance: 100n * NEAR });
    const gas = 300n * TGAS;

    expect(await alice.call(a, 'increment', { by: 2 })).toBe(2);
    const ok = await alice.callRaw(
      a,
      'call_other',
      { account_id: b.accountId, method: 'echo', args: { value: 'hi' } },
      { gas },
    );
    expect(ok.value).toEqual({
      label: 'call_other',
      count: 1,
      results: [{ status: 'successful', value: '"hi"' }],
    });
    expect(ok.logs).toContain('echo');

    const bad = await alice.callRaw(
      a,
      'call_other',
      { account_id: b.accountId, method: 'fail_with', args: { message: 'no' } },
      { gas },
    );
    expect(bad.value).toMatchObject({ results: [{ status: 'failed', value: null }] });

    const before = (await a.balance()).total;
    const lost = await alice.callRaw(
      a,
      'transfer_to',
      { receiver_id: 'nobody.test.near', amount: NEAR.toString(), report: true },
      { gas },
    );
    expect(lost.value).toMatchObject({ results: [{ status: 'failed' }] });
    // the NEAR came back as a refund (only gas rewards may have changed the balance)
    expect((await a.balance()).total + NEAR / 2n).toBeGreaterThan(before);
  });
});
