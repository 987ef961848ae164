#!/usr/bin/env node
// `localnet` (npx localnet / make localnet): start an in-process NEAR chain behind a JSON-RPC server
// on 127.0.0.1, add a fresh full-access key to the funded root account, print it, and write a
// near-api-js / near-cli style credentials file under ./.localnet/. Ctrl-C stops it.
import fs from 'node:fs';
import path from 'node:path';
import { Localnet } from './localnet';
import { addSigningKey, startRpcServer } from './rpc/index';

/** Parsed command-line options. */
export interface CliOptions {
  port: number;
  epochLength?: number;
  engine: 'vm' | 'wasm';
  dataDir: string;
}

const USAGE = `Usage: localnet [--port <n>] [--epoch-length <blocks>] [--engine vm|wasm] [--data-dir <dir>]

  --port          RPC port on 127.0.0.1 (default 3030; 0 picks a free port)
  --epoch-length  blocks per epoch (default 500)
  --engine        vm runs contracts' .js bundles, wasm their .wasm (default vm)
  --data-dir      where the credentials file is written (default ./.localnet)`;

/** Parses argv (without node and script); throws an Error with a usage hint on bad input. */
export function parseArgs(argv: string[]): CliOptions | 'help' {
  const options: CliOptions = { port: 3030, engine: 'vm', dataDir: path.resolve('.localnet') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.includes('=') ? flag.split(/=(.*)/s, 2) : [flag, undefined];
    if (name === '--help' || name === '-h') return 'help';
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`E_CLI_ARGS: ${name} needs a value\n${USAGE}`);
    const integer = (min: number, max: number) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max) {
        throw new Error(
          `E_CLI_ARGS: ${name} must be an integer from ${min} to ${max}, got '${value}'`,
        );
      }
      return n;
    };
    if (name === '--port') options.port = integer(0, 65535);
    else if (name === '--epoch-length') options.epochLength = integer(4, 10_000_000);
    else if (name === '--data-dir') options.dataDir = path.resolve(value);
    else if (name === '--engine') {
      if (value !== 'vm' && value !== 'wasm') {
        throw new Error(`E_CLI_ARGS: --engine must be vm or wasm, got '${value}'`);
      }
      options.engine = value;
    } else throw new Error(`E_CLI_ARGS: unknown option ${name}\n${USAGE}`);
  }
  return options;
}

/** Writes `<dataDir>/localnet/<accountId>.json` ({ account_id, public_key, private_key }, mode 0600). */
export function writeCredentials(
  dataDir: string,
  accountId: string,
  publicKey: string,
  secretKey: string,
): string {
  const dir = path.join(dataDir, 'localnet');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${accountId}.json`);
  const body = { account_id: accountId, public_key: publicKey, private_key: secretKey };
  fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

/** Starts localnet and its RPC server; returns a function that stops both. */
export async function main(argv: string[]): Promise<() => Promise<void>> {
  const options = parseArgs(argv);
  if (options === 'help') {
    console.log(USAGE);
    return async () => {};
  }
  const net = await Localnet.init({ engine: options.engine, epochLength: options.epochLength });
  const rootId = net.chain.config.rootAccountId;
  const signer = addSigningKey(net, rootId);
  let server: Awaited<ReturnType<typeof startRpcServer>>;
  try {
    server = await startRpcServer(net, { port: options.port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `E_PORT_IN_USE: port ${options.port} is taken; pass --port 0 for a free port`,
      );
    }
    throw err;
  }
  const credentials = writeCredentials(options.dataDir, rootId, signer.publicKey, signer.secretKey);
  const nodeFile = path.join(options.dataDir, 'node.json');
  fs.writeFileSync(
    nodeFile,
    `${JSON.stringify({ rpcUrl: server.url, networkId: 'localnet', accountId: rootId, credentials }, null, 2)}\n`,
  );
  const balance = net.chain.account(rootId)?.amount ?? 0n;
  console.log(
    `localnet: engine ${options.engine}, epoch length ${net.chain.config.epochLength} blocks`,
  );
  console.log(`account:     ${rootId} (${balance / 10n ** 24n} NEAR)`);
  console.log(`public key:  ${signer.publicKey}`);
  console.log(`secret key:  ${signer.secretKey}`);
  console.log(`credentials: ${path.relative(process.cwd(), credentials) || credentials}`);
  console.log(`port:        ${server.port}`);
  console.log(`RPC listening on ${server.url}`);
  return () => server.close();
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (stop) => {
      const shutdown = () => {
        stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
