// A restarted gateway asks its peers to rewind what its engine reports lost:
// which requests, with what `since`, retried while the peer is down, and given
// up when the peer's answer is final. The peer is a real HTTP server on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { type StartReport } from '../../../../engine/index.js';
import { hlcFromMs } from '../../../../record/index.js';
import { RestartRepair, peerMayAnswerLater, planPeerRewinds, startReports } from '../../../../xdr/anti-entropy/index.js';
import { ApiError } from '../../../../xdr/cli/index.js';
import { waitFor } from '../../../helpers/wait.js';

const routes = [
  { spec: { name: 'v-t-ud', source: 'virginia', destination: 'tokyo', namespace: 'user_data' } },
  { spec: { name: 'v-t-s', source: 'virginia', destination: 'tokyo', namespace: 'sessions' } },
  { spec: { name: 't-v-ud', source: 'tokyo', destination: 'virginia', namespace: 'user_data' } },
  { spec: { name: 'p-t-ud', source: 'paris', destination: 'tokyo', namespace: 'user_data' } },
];

test('planPeerRewinds: one request per lost namespace and peer route to here, since the lost lut minus the margin, or everything', () => {
  const reports: StartReport[] = [
    { ns: 'user_data', mode: 'buffered', lastStop: 'unclean', source: 'cold-start', records: 5, lost: { everything: false, sinceLut: hlcFromMs(1_000_000), entriesAtLeast: 3, afterSeq: 10 } },
    { ns: 'sessions', mode: 'memory', lastStop: 'unclean', source: 'empty', records: 0, lost: { everything: true, sinceLut: 0, entriesAtLeast: 0, afterSeq: 0 } },
    { ns: 'other', mode: 'commit-to-device', lastStop: 'unclean', source: 'cold-start', records: 9 },
  ];
  const plan = planPeerRewinds('tokyo', reports, routes, 60_000);
  assert.deepEqual(plan.map((q) => [q.ns, q.peer, q.route, q.sinceMs]), [
    ['user_data', 'virginia', 'v-t-ud', 940_000],
    ['user_data', 'paris', 'p-t-ud', 940_000],
    ['sessions', 'virginia', 'v-t-s', 0],
  ]);
  assert.deepEqual(planPeerRewinds('tokyo', [{ ns: 'user_data', mode: 'buffered', lastStop: 'clean', source: 'saved-index', records: 1 }], routes, 0), []);
  assert.deepEqual(startReports({ namespaces: () => ['a'] }), [], 'an engine without startReport reports nothing');
});

async function body(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

test("whether to ask the peer again decides from the retriable flag of the code it answered, else from the status", () => {
  assert.equal(peerMayAnswerLater(new ApiError(503, 'XDR_ERR_NOT_READY', 'starting')), true);
  assert.equal(peerMayAnswerLater(new ApiError(0, 'XDR_ERR_UNREACHABLE', 'connection refused')), true);
  assert.equal(peerMayAnswerLater(new ApiError(500, 'XDR_ERR_INTERNAL', 'internal error')), true);
  assert.equal(peerMayAnswerLater(new ApiError(409, 'SHIP_ERR_PAUSED', 'paused')), false);
  assert.equal(peerMayAnswerLater(new ApiError(404, 'XDR_ERR_ROUTE_NOT_FOUND', 'no route')), false);
  assert.equal(peerMayAnswerLater(new ApiError(500, 'CONFIG_ERR_FILE_UNREADABLE', 'cannot read')), false);
  // Answers without one of our codes (a proxy in between): the status decides.
  assert.equal(peerMayAnswerLater(new ApiError(404, 'HTTP_404', 'not found')), false);
  assert.equal(peerMayAnswerLater(new ApiError(502, 'HTTP_502', 'bad gateway')), true);
});

test('requests are retried in the background until the peer accepts; a final refusal is not retried', async (t) => {
  const seen: Array<{ url: string; body: unknown; auth: string | undefined }> = [];
  let failuresLeft = 2;
  const server = createServer(async (req, res) => {
    const b = await body(req);
    seen.push({ url: req.url!, body: b, auth: req.headers.authorization });
    if (req.url!.includes('p-t-ud')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'XDR_ERR_ROUTE_NOT_FOUND', message: 'no route' }));
    } else if (failuresLeft-- > 0) {
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'XDR_ERR_NOT_READY', message: 'starting' }));
    } else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const repair = new RestartRepair({
    region: 'tokyo',
    regions: [{ name: 'virginia', id: 2, gatewayUrl: url, kafka: { brokers: ['x:1'] } }, { name: 'paris', id: 3, gatewayUrl: url, kafka: { brokers: ['x:1'] } }],
    authToken: 'a-token-of-16-chars',
    reports: [{ ns: 'user_data', mode: 'buffered', lastStop: 'unclean', source: 'cold-start', records: 1, lost: { everything: false, sinceLut: hlcFromMs(5_000_000), entriesAtLeast: 1, afterSeq: 1 } }],
    routes: () => routes,
    marginMs: 1000,
    peerTimeoutMs: 2000,
    logger: pino({ level: 'silent' }),
    retryMinMs: 10,
    retryMaxMs: 20,
  });
  assert.deepEqual(repair.uncleanNamespaces(), ['user_data']);
  repair.start();
  t.after(() => repair.stop());
  await waitFor(() => repair.stats().every((q) => q.state !== 'pending'), { what: 'every request answered for good' });
  const [virginia, paris] = repair.stats();
  assert.equal(virginia!.state, 'accepted');
  assert.equal(virginia!.attempts, 3, 'two 503s, then accepted');
  assert.equal(paris!.state, 'refused');
  assert.equal(paris!.attempts, 1, 'a 404 is final');
  const accepted = seen.filter((s) => s.url.includes('v-t-ud'));
  assert.deepEqual(accepted.at(-1), { url: '/v1/xdr/routes/v-t-ud/rewind', body: { includeOrigin: true, since: 4_999_000 }, auth: 'Bearer a-token-of-16-chars' });
});
