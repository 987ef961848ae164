import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors';

/**
 * A demo account the page's local-key wallet signs with. Only `make start` (scripts/start.js)
 * hands one in, for localnet; no flag or environment variable sets it, so a production API never
 * serves a key.
 */
export interface DemoWallet {
  accountId: string;
  /** `ed25519:...` */
  secretKey: string;
  /** The localnet JSON-RPC the page reaches through `POST /v1/dev/rpc` (it sends no CORS headers). */
  rpcUrl: string;
}

/** What the browser app needs to connect a wallet. */
export interface AppNetworkOptions {
  networkId: string;
  /** The RPC the browser uses on testnet/mainnet (ignored with a demo wallet: the proxy is used). */
  rpcUrl: string;
  contractId: string;
  demo?: DemoWallet;
}

export const DEV_RPC_PATH = '/v1/dev/rpc';

/** GET /v1/app/config, and with a demo wallet the dev-only `POST /v1/dev/rpc` proxy. */
export async function appConfigRoutes(
  app: FastifyInstance,
  { network }: { network: AppNetworkOptions },
): Promise<void> {
  const demo = network.demo;
  const body = {
    network_id: network.networkId,
    rpc_url: demo ? DEV_RPC_PATH : network.rpcUrl,
    contract_id: network.contractId,
    demo: demo ? { account_id: demo.accountId, private_key: demo.secretKey } : null,
  };
  app.get(
    '/v1/app/config',
    {
      config: { rateLimit: false },
      schema: {
        summary:
          "The app's network: id, RPC for the browser, metapool id (and a localnet demo key)",
        tags: ['ops'],
        response: {
          200: {
            type: 'object',
            properties: {
              network_id: { type: 'string' },
              rpc_url: { type: 'string' },
              contract_id: { type: 'string' },
              demo: {
                type: ['object', 'null'],
                properties: { account_id: { type: 'string' }, private_key: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'no-store').send(body),
  );
  if (!demo) return;
  // localnet's JSON-RPC server sends no CORS headers: the demo page talks to it through here
  app.post(
    DEV_RPC_PATH,
    { config: { rateLimit: false }, schema: { hide: true } },
    async (request) => {
      try {
        const res = await fetch(demo.rpcUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request.body),
          signal: AbortSignal.timeout(60_000),
        });
        return (await res.json()) as unknown;
      } catch (error) {
        throw new ApiError(
          503,
          'RPC_UNREACHABLE',
          `The localnet RPC did not answer (${(error as Error).message}); is make start still running?`,
        );
      }
    },
  );
}
