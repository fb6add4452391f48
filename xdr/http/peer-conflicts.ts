/**
 * The peers' conflict lists for GET /v1/xdr/conflicts/all: each other region
 * asked at its gateway-url, with this gateway's auth-token (the regions of a
 * topology share one) and a short timeout, so a region that does not answer
 * costs the console a note, not a hung request.
 */
import { ApiError, GatewayClient } from '../cli/client.js';
import type { GatewayConfig } from '../config/index.js';
import type { ConflictsList, PeerConflicts } from './routes-conflicts.js';

/** A peer that has not answered by then is shown as not answering. */
const PEER_TIMEOUT_MS = 2000;

export function peerConflictReaders(config: Pick<GatewayConfig, 'region' | 'regions' | 'authToken'>): PeerConflicts[] {
  return config.regions
    .filter((r) => r.name !== config.region.name)
    .map((r) => {
      if (r.gatewayUrl === undefined) return { region: r.name };
      const url = r.gatewayUrl;
      const client = new GatewayClient({ url, ...(config.authToken ? { token: config.authToken } : {}), timeoutMs: PEER_TIMEOUT_MS });
      return {
        region: r.name,
        read: async (limit: number) => {
          try {
            return (await client.request<ConflictsList>('GET', `/v1/xdr/conflicts?limit=${limit}`)).body;
          } catch (err) {
            // The client's own message gives CLI advice (--url); here the gateway-url is what to check.
            if (err instanceof ApiError && err.status === 0) throw new Error(`not reachable at its gateway-url ${url}`, { cause: err });
            throw err;
          }
        },
      };
    });
}
