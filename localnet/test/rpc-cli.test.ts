// The `localnet` CLI: option parsing, and a started node whose printed key and credentials file let
// near-api-js sign as the funded root account.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main, parseArgs } from '../src/cli';
import { nearApi } from '../src/rpc/nearApi';

// Generous: the machine is shared, and loading near-api-js the first time takes a while.
jest.setTimeout(30_000);

const api = nearApi();

describe('parseArgs', () => {
  test('defaults, --opt value and --opt=value forms', () => {
    expect(parseArgs([])).toMatchObject({ port: 3030, engine: 'vm' });
    expect(parseArgs(['--port', '0', '--epoch-length=20', '--engine', 'wasm'])).toMatchObject({
      port: 0,
      epochLength: 20,
      engine: 'wasm',
    });
    expect(parseArgs(['--help'])).toBe('help');
  });

  test('bad options are rejected with a code and the reason', () => {
    expect(() => parseArgs(['--port', '70000'])).toThrow(
      /^E_CLI_ARGS: --port must be an integer from 0 to 65535/,
    );
    expect(() => parseArgs(['--engine', 'evm'])).toThrow(
      "E_CLI_ARGS: --engine must be vm or wasm, got 'evm'",
    );
    expect(() => parseArgs(['--frobnicate', '1'])).toThrow(
      'E_CLI_ARGS: unknown option --frobnicate',
    );
    expect(() => parseArgs(['--port'])).toThrow('E_CLI_ARGS: --port needs a value');
  });
});

describe('main', () => {
  let stop: (() => Promise<void>) | undefined;
  let dataDir: string;
  const printed: string[] = [];

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localnet-cli-'));
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.join(' '));
    });
  });

  afterAll(async () => {
    await stop?.();
    jest.restoreAllMocks();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('prints the RPC url and a key that signs for test.near; writes credentials', async () => {
    stop = await main(['--port', '0', '--epoch-length', '30', '--data-dir', dataDir]);
    const output = printed.join('\n');
    const url = /^RPC listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(output);
    expect(url).not.toBeNull();
    expect(output).toContain(`port:        ${url?.[2]}`);
    expect(output).toContain('epoch length 30 blocks');

    const credentialsFile = path.join(dataDir, 'localnet', 'test.near.json');
    const credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
    expect(credentials.account_id).toBe('test.near');
    expect(output).toContain(`secret key:  ${credentials.private_key}`);
    expect(fs.statSync(credentialsFile).mode & 0o777).toBe(0o600);

    const provider = new api.JsonRpcProvider({ url: url?.[1] ?? '' });
    const root = new api.Account(
      'test.near',
      provider,
      api.KeyPairSigner.fromSecretKey(credentials.private_key),
    );
    const key = api.KeyPair.fromRandom('ed25519');
    await root.createSubAccount({
      accountOrPrefix: 'cli',
      publicKey: key.getPublicKey(),
      nearToTransfer: 10n ** 24n,
    });
    expect((await provider.viewAccount({ accountId: 'cli.test.near' })).amount).toBe(10n ** 24n);
  });
});
