// Replication lag is true, /metrics shows the real figures, and the dashboard
// draws them: two real gateway processes on real Kafka and Redis. A route is
// paused, N records are written, and its lag and backlog must grow by exactly
// that (backlog == N, lag >= the time since the first write); after resume both
// return to zero and the destination has every record. Then headless Chromium
// (Debian's, driven by playwright-core) opens /dashboard and reads what its
// charts draw, for both regions, and saves screenshots under test-results/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { call, get, metricValue, put, recvStats, shipStats, waitReplicatingBothWays } from '../../../helpers/gateway-http.js';
import { ANTI_ENTROPY_OFF, NS, Topology, root } from '../../../helpers/two-regions/index.js';
import { waitFor } from '../../../helpers/wait.js';

const CHROMIUM = '/usr/bin/chromium';
const REPLICATION_WAIT_MS = 30_000;

const cleanups: Array<() => unknown> = [];
const scope = { after: (fn: () => unknown) => cleanups.push(fn) };
let topo: Topology;
let routeAB: string;
let routeBA: string;

/** Pauses a route at its source (a unless told). */
async function pause(route: string, source = topo.a): Promise<void> {
  const res = await call(source, 'POST', `/v1/xdr/routes/${route}/pause`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await waitFor(async () => (await shipStats(source, route))?.state === 'paused', { timeoutMs: 10_000, what: `${route} paused` });
}

async function resume(route: string, source = topo.a): Promise<void> {
  const res = await call(source, 'POST', `/v1/xdr/routes/${route}/resume`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

describe('replication lag: true figures, /metrics and the dashboard', { timeout: 300_000 }, () => {
  before(async () => {
    // The shipped configs, but for anti-entropy: backlogs and conflict counts are exact only when nothing re-ships what a paused route holds back.
    topo = await Topology.create(scope, undefined, { antiEntropy: ANTI_ENTROPY_OFF });
    routeAB = topo.route(topo.a, topo.b);
    routeBA = topo.route(topo.b, topo.a);
    await topo.startBoth();
    // Both directions live before anything is measured.
    await waitReplicatingBothWays(topo.a, topo.b);
  });

  after(async () => {
    for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await fn();
  });

  it('a paused route: backlog == N and lag >= the time since the first write; both return to zero after resume', async () => {
    const N = 40;
    const route = routeAB;
    const pausedAtMs = Date.now();
    await pause(route);
    const before = await shipStats(topo.a, route);
    assert.equal(before.in_queue, 0, 'nothing waits before the writes');
    assert.equal(before.lag_ms, 0, 'a caught-up route has no lag, paused or not');

    await put(topo.a, 'lag-0', { i: 0 });
    const firstWrittenMs = Date.now();
    for (let i = 1; i < N; i++) await put(topo.a, `lag-${i}`, { i });
    await sleep(2500);

    const askedMs = Date.now();
    const s1 = await shipStats(topo.a, route);
    assert.equal(s1.state, 'paused');
    assert.equal(s1.in_queue, N, 'backlog counts exactly the writes held back');
    assert.ok(s1.lag_ms >= askedMs - firstWrittenMs, `lag ${s1.lag_ms} ms must cover the ${askedMs - firstWrittenMs} ms since the first write`);
    assert.ok(s1.lag_ms <= Date.now() - pausedAtMs + 5000, `lag ${s1.lag_ms} ms counts from the first unshipped write, not from long before the pause`);
    assert.equal(await get(topo.b, `lag-${N - 1}`), undefined, 'nothing ships while paused');

    await sleep(1000);
    const s2 = await shipStats(topo.a, route);
    assert.equal(s2.in_queue, N);
    assert.ok(s2.lag_ms >= s1.lag_ms + 900, `a stalled route's lag keeps growing (${s1.lag_ms} → ${s2.lag_ms} ms)`);

    // The same figures on /metrics and on the telemetry bus (what the dashboard and `xdrgate lag` read).
    const metrics = (await call(topo.a, 'GET', '/metrics')).body as string;
    assert.equal(metricValue(metrics, 'xdrgate_xdr_in_queue', `route="${route}"`), N);
    assert.ok(metricValue(metrics, 'xdrgate_xdr_lag_seconds', `route="${route}"`)! >= 3);
    assert.equal(metricValue(metrics, 'xdrgate_xdr_route_state', `route="${route}",role="source",state="paused"`), 1);
    await waitFor(
      async () => {
        const now = (await call(topo.b, 'GET', '/dashboard/api/now')).body;
        const ship = now.latest[topo.a.name]?.ship.find((r: any) => r.route === route);
        return now.from === 'redis' && ship?.in_queue === N && ship.lag_ms >= 3000;
      },
      { timeoutMs: 10_000, what: "region a's backlog seen through Redis from region b's gateway" },
    );

    await resume(route);
    const caughtUp = await waitFor(
      async () => {
        const s = await shipStats(topo.a, route);
        return s.in_queue === 0 && s.lag_ms < 1000 ? s : undefined;
      },
      { timeoutMs: REPLICATION_WAIT_MS, what: 'backlog and lag back to zero' },
    );
    assert.equal(caughtUp.state, 'running');
    // The held writes spread over the topic's partitions, which the receiver
    // applies concurrently: the last one written may land before an earlier one.
    let missing: string[] = [];
    await waitFor(
      async () => {
        missing = [];
        for (let i = 0; i < N; i++) if ((await get(topo.b, `lag-${i}`))?.bins.i !== i) missing.push(`lag-${i}`);
        return missing.length === 0;
      },
      { timeoutMs: REPLICATION_WAIT_MS, what: 'every held write in b' },
    ).catch((err: unknown) => assert.fail(`${(err as Error).message}; missing in b: ${missing.join(', ')}`));
    const recv = await waitFor(async () => {
      const r = await recvStats(topo.b, route);
      return r && r.applied >= N + 1 ? r : undefined;
    }, { timeoutMs: 10_000, what: 'b counted the applies' });
    // The held writes waited >= 3.5 s, so the end-to-end histogram's max shows it.
    assert.ok(recv.lag.max_ms >= 3000, `end-to-end lag max ${recv.lag.max_ms} ms reflects the pause`);
  });

  it('/metrics exposes the route, receiver and engine figures with their real values', async () => {
    const a = (await call(topo.a, 'GET', '/metrics')).body as string;
    const b = (await call(topo.b, 'GET', '/metrics')).body as string;
    const shipped = await shipStats(topo.a, routeAB);
    const received = await recvStats(topo.b, routeAB);
    assert.ok(shipped.success >= 41);
    assert.equal(metricValue(a, 'xdrgate_xdr_success', `route="${routeAB}"`), shipped.success);
    assert.equal(metricValue(a, 'xdrgate_xdr_in_queue', `route="${routeAB}"`), 0);
    assert.equal(metricValue(a, 'xdrgate_xdr_lag_seconds', `route="${routeAB}"`), 0);
    assert.equal(metricValue(a, 'xdrgate_xdr_route_state', `route="${routeAB}",role="source",state="running"`), 1);
    assert.ok(metricValue(a, 'xdrgate_xdr_heartbeats', `route="${routeAB}"`)! >= 1);
    assert.equal(metricValue(b, 'xdrgate_xdr_recv_applied', `route="${routeAB}",resolver="lww"`), received.applied);
    assert.ok(received.applied >= 41);
    assert.equal(metricValue(b, 'xdrgate_xdr_replication_lag_seconds_count', `route="${routeAB}"`), received.lag.count);
    assert.equal(metricValue(b, 'xdrgate_xdr_replication_lag_seconds', `route="${routeAB}",resolver="lww",quantile="0.99"`), received.lag.p99_ms / 1000);
    assert.ok(metricValue(a, 'xdrgate_namespace_client_write_success', `ns="${NS}"`)! >= 41);
    assert.ok(metricValue(b, 'xdrgate_namespace_objects', `ns="${NS}"`)! >= 42);
    // The shipped user_data devices (2 × 256M) hold these records at well under 0.01 %, which the
    // gauge rounds to 0: it must equal the engine's own figure, and the engine must hold bytes.
    const bStats = (await call(topo.b, 'GET', '/v1/stats')).body;
    assert.equal(metricValue(b, 'xdrgate_namespace_storage_used_pct', `ns="${NS}"`), bStats.namespaces[NS].device_used_pct);
    assert.ok(bStats.namespaces[NS].device_used_bytes > 0, JSON.stringify(bStats.namespaces[NS]));
    assert.ok(metricValue(b, 'xdrgate_namespace_memory_used_bytes', `ns="${NS}"`)! > 0);
    assert.ok(metricValue(b, 'xdrgate_namespace_memory_used_pct', `ns="${NS}"`)! >= 0);
    assert.match(a, new RegExp(`xdrgate_xdr_lag_seconds\\{route="${routeAB}",region="${topo.a.name}"\\}`));
    assert.match(a, /^xdrgate_process_cpu_seconds_total/m);
  });

  it('a concurrent write in both regions counts as a conflict won on one side and lost on the other', async () => {
    const wonBefore = (await recvStats(topo.a, routeBA)).conflicts_won;
    const lostBefore = (await recvStats(topo.b, routeAB)).conflicts_lost;
    // Both directions held back while a, then b, write the same record: when
    // they resume the versions cross, and b's (newer) wins in both regions (lww).
    await pause(routeAB, topo.a);
    await pause(routeBA, topo.b);
    await put(topo.a, 'clash', { from: 'a' });
    await sleep(20);
    await put(topo.b, 'clash', { from: 'b' });
    await Promise.all([resume(routeAB, topo.a), resume(routeBA, topo.b)]);
    await waitFor(async () => (await get(topo.a, 'clash'))?.bins.from === 'b', { timeoutMs: REPLICATION_WAIT_MS, what: "b's newer version applied over a's" });
    await waitFor(async () => (await recvStats(topo.b, routeAB)).conflicts_lost > lostBefore, { timeoutMs: REPLICATION_WAIT_MS, what: "a's older version lost at b" });
    assert.equal((await get(topo.b, 'clash'))?.bins.from, 'b');
    assert.equal((await recvStats(topo.a, routeBA)).conflicts_won, wonBefore + 1);
    assert.equal((await recvStats(topo.b, routeAB)).conflicts_lost, lostBefore + 1);
    const metrics = (await call(topo.b, 'GET', '/metrics')).body as string;
    assert.equal(metricValue(metrics, 'xdrgate_xdr_recv_conflicts_lost', `route="${routeAB}",resolver="lww"`), lostBefore + 1);
  });

  it('headless Chromium: /dashboard draws the backlog and lag of a paused route and both regions live', async (t) => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); npm test does it when run as root`);
    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    t.after(() => browser.close());
    const page: Page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const shots = path.join(root, 'test-results');
    await mkdir(shots, { recursive: true });

    const M = 25;
    const route = routeAB;
    await pause(route);
    for (let i = 0; i < M; i++) await put(topo.a, `dash-${i}`, { i });
    await page.goto(`${topo.a.url}/dashboard`);

    // The backlog chart of region a draws exactly M for the paused route, its lag chart a growing lag.
    const backlog = await page.waitForFunction(
      ({ region, route, m }) => {
        const c = (window as any).xdrDashboard?.chart(region, 'backlog');
        if (!c || !c.drawn) return false;
        const i = c.names.indexOf(route);
        const ys = i < 0 ? [] : c.data[i + 1];
        return ys.length > 0 && ys[ys.length - 1] === m ? { names: c.names, last: ys[ys.length - 1] } : false;
      },
      { region: topo.a.name, route, m: M },
      { timeout: 20_000, polling: 250 },
    );
    assert.equal((await backlog.jsonValue() as { last: number }).last, M);
    const lagChart = await page.evaluate(({ region, route }) => {
      const c = (window as any).xdrDashboard.chart(region, 'lag');
      const ys = c.data[c.names.indexOf(route) + 1];
      return { last: ys[ys.length - 1], drawn: c.drawn };
    }, { region: topo.a.name, route });
    assert.ok(lagChart.drawn && lagChart.last > 0, `the lag chart shows the paused route's lag (${lagChart.last} s)`);
    const cell = await page.textContent(`[data-testid="ship-table-${topo.a.name}"] tr[data-route="${route}"] td[data-field="in_queue"]`);
    assert.equal(cell, String(M));
    assert.equal(await page.textContent(`[data-testid="ship-table-${topo.a.name}"] tr[data-route="${route}"] td[data-field="state"]`), 'paused');
    // Coloured by the severity the gateway defines for the state; the reason in the detail column.
    assert.match((await page.getAttribute(`[data-testid="ship-table-${topo.a.name}"] tr[data-route="${route}"] td[data-field="state"]`, 'class')) ?? '', /\bsev-warn\b/);
    assert.match((await page.textContent(`[data-testid="ship-table-${topo.a.name}"] tr[data-route="${route}"] td[data-field="detail"]`)) ?? '', /paused by the operator/);
    assert.equal(await page.textContent(`[data-testid="ship-table-${topo.a.name}"] tr[data-route="${route}"] td[data-field="destination"]`), 'receiving');

    // Region b's figures reach a's dashboard through Redis: its end-to-end lag of the route it receives.
    const remote = await page.waitForFunction(
      ({ region, route }) => {
        const c = (window as any).xdrDashboard?.chart(region, 'e2e');
        return c && c.drawn && c.names.includes(`${route} p99`) ? c.names : false;
      },
      { region: topo.b.name, route },
      { timeout: 20_000, polling: 250 },
    );
    assert.ok((await remote.jsonValue()).includes(`${route} p50`));
    const applied = Number(await page.textContent(`[data-testid="recv-table-${topo.b.name}"] tr[data-route="${route}"] td[data-field="applied"]`));
    assert.ok(applied >= 41, `region b's applied count on a's dashboard (${applied})`);
    // The conflict of the previous test, on a's conflicts chart (a received b's winning version).
    const won = await page.evaluate(({ region, name }) => {
      const c = (window as any).xdrDashboard.chart(region, 'conflicts');
      const ys = c.data[c.names.indexOf(name) + 1];
      return ys[ys.length - 1];
    }, { region: topo.a.name, name: `${routeBA} won` });
    assert.equal(won, (await recvStats(topo.a, routeBA)).conflicts_won);
    assert.ok(won >= 1);
    // Live updates: the charts keep receiving samples.
    const seen = await page.evaluate(() => (window as any).xdrDashboard.state.samplesSeen as number);
    await page.waitForFunction((n) => (window as any).xdrDashboard.state.samplesSeen > n + 2, seen, { timeout: 10_000 });
    await page.screenshot({ path: path.join(shots, 'dashboard-paused.png'), fullPage: true });

    await resume(route);
    await page.waitForFunction(
      ({ region, route }) => {
        const c = (window as any).xdrDashboard.chart(region, 'backlog');
        const ys = c.data[c.names.indexOf(route) + 1];
        return ys[ys.length - 1] === 0;
      },
      { region: topo.a.name, route },
      { timeout: REPLICATION_WAIT_MS, polling: 250 },
    );
    await page.screenshot({ path: path.join(shots, 'dashboard-resumed.png'), fullPage: true });
    assert.deepEqual(errors, [], 'no script errors on the page');
  });
});
