// The operator's console in a real browser (Debian's headless Chromium driven
// by playwright-core) against two real gateway processes on real Kafka and
// Redis: both regions and both routes at a glance; a paused route's arrow
// turns paused and its lag grows on screen, and the lag alert fires and
// clears; a conflicting write pair shows in the conflicts list of both
// regions, each labelled; a stopped gateway shows its region down with a
// readable message within seconds; a keyboard-only walk reaches every control;
// Chromium's own --screenshot with a virtual time budget returns (the page
// finishes loading); the red cells follow the deployment's `alerts:`
// thresholds; with an auth-token the conflicts list asks for it. Screenshots
// land in test-results/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import YAML from 'yaml';
import { call, get, put, shipStats, waitReplicatingBothWays } from '../../../helpers/gateway-http.js';
import { ANTI_ENTROPY_OFF, NS, Topology, root } from '../../../helpers/two-regions/index.js';
import { ALERT_DEFAULTS } from '../../../../xdr/alerts/index.js';
import { waitFor } from '../../../helpers/wait.js';

const shots = path.join(root, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const cleanups: Array<() => unknown> = [];
const scope = { after: (fn: () => unknown) => cleanups.push(fn) };
let topo: Topology;
let routeAB: string;
let routeBA: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** The whole page, and its top (topology, alerts, health beside replication) as docs/observability.md shows it. */
async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  await page.screenshot({ path: path.join(shots, `${name}-top.png`), clip: { x: 0, y: 0, width: 1400, height: 900 } });
}

async function routeCommand(route: string, source: Topology['a'], action: 'pause' | 'resume'): Promise<void> {
  const res = await call(source, 'POST', `/v1/xdr/routes/${route}/${action}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** The arrow of a route: its state class and the figures written on it. */
async function arrow(route: string): Promise<{ state: string | null; figures: string | null }> {
  return page.evaluate((r) => {
    const g = document.querySelector(`[data-testid="route-${r}"]`);
    return { state: g?.getAttribute('data-state') ?? null, figures: document.querySelector(`[data-testid="route-figures-${r}"]`)?.textContent ?? null };
  }, route);
}

async function waitArrow(route: string, want: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(({ r, s }) => document.querySelector(`[data-testid="route-${r}"]`)?.getAttribute('data-state') === s, { r: route, s: want }, { timeout, polling: 200 });
}

describe('the console in headless Chromium against a two-region topology', { timeout: 300_000 }, () => {
  before(async () => {
    // The shipped configs, but for anti-entropy: a paused route's backlog must stay what the test holds back.
    topo = await Topology.create(scope, undefined, { antiEntropy: ANTI_ENTROPY_OFF });
    routeAB = topo.route(topo.a, topo.b);
    routeBA = topo.route(topo.b, topo.a);
    await topo.startBoth();
    await waitReplicatingBothWays(topo.a, topo.b);
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); npm test does it when run as root`);
    await mkdir(shots, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    scope.after(() => browser.close());
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    // networkidle: no request stays open (the page polls with requests that end).
    await page.goto(`${topo.a.url}/dashboard`, { waitUntil: 'networkidle', timeout: 30_000 });
  });

  after(async () => {
    for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await fn();
  });

  it('shows both regions up and both routes running, with their figures, the health table and no alert', async () => {
    for (const g of [topo.a, topo.b]) {
      await page.waitForFunction((r) => document.querySelector(`[data-testid="region-box-${r}"]`)?.classList.contains('up'), g.name, { timeout: 20_000, polling: 200 });
    }
    await waitArrow(routeAB, 'running');
    await waitArrow(routeBA, 'running');
    assert.match((await arrow(routeAB)).figures ?? '', /^lag .* s · .* rec · .* rec\/s · e2e p99 /);
    const health = await page.textContent('[data-testid="health-table"]');
    for (const g of [topo.a, topo.b]) assert.match(health ?? '', new RegExp(`${g.name}\\s*${NS}`));
    await page.waitForFunction(() => document.querySelector('[data-testid="alerts"] li.none') !== null, undefined, { timeout: 20_000 });
    // The shipped configs set no `alerts:`: the gateway serves the defaults, and the page judges by them.
    const thresholds = await page.evaluate(() => (window as any).xdrDashboard.state.thresholds);
    assert.equal(thresholds.xdrLagMs, ALERT_DEFAULTS.xdrLagMs);
    assert.equal(thresholds.readP99Ms, ALERT_DEFAULTS.readP99Ms);
    await shot('console-overview');
  });

  it('a paused route turns its arrow paused, its lag grows on screen, the lag alert fires, and all clears after resume', async () => {
    const route = routeAB;
    await routeCommand(route, topo.a, 'pause');
    for (let i = 0; i < 10; i++) await put(topo.a, `console-${i}`, { i });
    await waitArrow(route, 'paused');
    const lagOnScreen = async () => Number(/^lag ([0-9.]+) s/.exec((await arrow(route)).figures ?? '')?.[1] ?? NaN);
    await page.waitForFunction((r) => /^lag [1-9]/.test(document.querySelector(`[data-testid="route-figures-${r}"]`)?.textContent ?? ''), route, { timeout: 20_000, polling: 200 });
    const first = await lagOnScreen();
    await page.waitForFunction(({ r, v }) => Number(/^lag ([0-9.]+) s/.exec(document.querySelector(`[data-testid="route-figures-${r}"]`)?.textContent ?? '')?.[1] ?? 0) >= v + 2, { r: route, v: first }, { timeout: 20_000, polling: 200 });
    // Past 5 s the gateway's xdr_lag alert fires and the console lists it.
    await page.waitForSelector(`[data-testid="alerts"] li[data-rule="xdr_lag"][data-target="${route}"]`, { timeout: 20_000 });
    assert.match((await page.textContent(`[data-testid="alerts"] li[data-rule="xdr_lag"]`)) ?? '', new RegExp(`${topo.a.name} · route ${route} lags .* s \\(paused\\) · since \\d\\d:\\d\\d:\\d\\d`));
    const alerts = (await call(topo.a, 'GET', '/v1/xdr/alerts')).body;
    assert.ok(alerts.firing.some((a: any) => a.rule === 'xdr_lag' && a.target === route), JSON.stringify(alerts.firing));
    await shot('console-paused');
    await routeCommand(route, topo.a, 'resume');
    await waitArrow(route, 'running', 30_000);
    await page.waitForFunction(() => document.querySelector('[data-testid="alerts"] li[data-rule="xdr_lag"]') === null, undefined, { timeout: 20_000, polling: 200 });
    assert.equal((await shipStats(topo.a, route)).in_queue, 0);
  });

  it('a conflicting write pair shows in the conflicts list with both versions and the winner', async () => {
    await routeCommand(routeAB, topo.a, 'pause');
    await routeCommand(routeBA, topo.b, 'pause');
    await waitFor(async () => (await shipStats(topo.a, routeAB))?.state === 'paused' && (await shipStats(topo.b, routeBA))?.state === 'paused', { timeoutMs: 10_000, what: 'both routes paused' });
    await put(topo.a, 'clash', { by: 'a' });
    await put(topo.b, 'clash', { by: 'b' });
    await routeCommand(routeAB, topo.a, 'resume');
    await routeCommand(routeBA, topo.b, 'resume');
    // b wrote last: its version wins everywhere. Region a resolved the conflict in favour of the incoming
    // version, region b kept its own; the page served by a lists both, each labelled with its region.
    const rowOf = (region: string) => `[data-testid="conflicts-table"] tr[data-digest][data-region="${region}"]`;
    await page.waitForSelector(rowOf(topo.a.name), { timeout: 30_000 });
    await page.waitForSelector(rowOf(topo.b.name), { timeout: 30_000 });
    const rowA = (await page.textContent(rowOf(topo.a.name))) ?? '';
    assert.match(rowA, new RegExp(`^${topo.a.name}.*${routeBA}.*${NS}/s/clash.*${topo.a.name} · .* · gen \\d+.*${topo.b.name} · .* · gen \\d+incomingapplied`));
    const rowB = (await page.textContent(rowOf(topo.b.name))) ?? '';
    assert.match(rowB, new RegExp(`^${topo.b.name}.*${routeAB}.*${NS}/s/clash.*${topo.b.name} · .* · gen \\d+.*${topo.a.name} · .* · gen \\d+local`));
    assert.match((await page.textContent('[data-testid="conflicts"] p')) ?? '', new RegExp(`${topo.a.name}: \\d+ since its gateway started · ${topo.b.name}: \\d+ since`));
    const api = (await call(topo.a, 'GET', `/v1/xdr/conflicts?route=${routeBA}`)).body;
    assert.equal(api.conflicts[0].key, 'clash');
    assert.equal(api.conflicts[0].winner, 'incoming');
    assert.equal(api.conflicts[0].incoming.region, topo.b.name);
    await shot('console-conflict');
  });

  it('a keyboard-only walk reaches every control, and Enter on a route opens its region', async () => {
    const controls = await page.evaluate(() => {
      const all = [...document.querySelectorAll('button, summary, a[href], [tabindex="0"]')];
      return all.map((e) => e.getAttribute('data-testid') ?? e.getAttribute('data-window') ?? e.id ?? e.textContent?.trim().slice(0, 20) ?? '');
    });
    assert.ok(controls.length >= 3 + 1 + 2 + 2 + 2, `window, theme, region boxes, route arrows, region details: ${controls.join(', ')}`);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const reached = new Set<string>();
    for (let i = 0; i < controls.length + 10; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => {
        const e = document.activeElement;
        return e ? (e.getAttribute('data-testid') ?? e.getAttribute('data-window') ?? e.id ?? e.textContent?.trim().slice(0, 20) ?? '') : '';
      }));
    }
    const missed = controls.filter((c) => !reached.has(c));
    assert.deepEqual(missed, [], `controls Tab never reached: ${missed.join(', ')}`);
    // Enter on an arrow opens the details of its source region and moves the focus there.
    await page.focus(`[data-testid="route-${routeBA}"]`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('details')?.getAttribute('data-region')), topo.b.name);
    // The window selector and the theme answer to the keyboard too.
    await page.focus('[data-window="3600000"]');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('[data-window="3600000"]', 'aria-pressed'), 'true');
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.focus('#theme');
    await page.keyboard.press('Space');
    assert.notEqual(await page.evaluate(() => document.documentElement.dataset.theme), before);
    await shot('console-dark-1h');
    await page.focus('[data-window="300000"]');
    await page.keyboard.press('Enter');
  });

  it("Chromium's own --screenshot with a virtual time budget returns: the page finishes loading", async () => {
    const out = path.join(shots, 'console-cli.png');
    await rm(out, { force: true });
    await promisify(execFile)(CHROMIUM, [...ARGS, '--virtual-time-budget=5000', '--window-size=1400,1400', `--screenshot=${out}`, `${topo.b.url}/dashboard`], { timeout: 60_000 });
    assert.ok((await stat(out)).size > 10_000, 'a screenshot was written');
  });

  it('a stopped gateway shows its region down within seconds, with a readable message', async () => {
    await topo.stop(topo.b);
    const stoppedAt = Date.now();
    await page.waitForFunction((r) => document.querySelector(`[data-testid="region-box-${r}"]`)?.classList.contains('down'), topo.b.name, { timeout: 15_000, polling: 200 });
    assert.ok(Date.now() - stoppedAt < 15_000);
    const text = await page.textContent(`[data-testid="region-status-${topo.b.name}"]`);
    assert.match(text ?? '', new RegExp(`^${topo.b.name} is not answering since \\d\\d:\\d\\d:\\d\\d$`));
    assert.match((await page.textContent('[data-testid="alerts"]')) ?? '', new RegExp(`${topo.b.name} is not answering since`));
    // Its outgoing route has no live source: the arrow says so.
    await waitArrow(routeBA, 'stalled');
    await shot('console-region-down');
    // The serving gateway asks the stopped one for its conflicts in vain, and the list says so.
    await page.waitForFunction((r) => new RegExp(`${r} did not answer`).test(document.querySelector('[data-testid="conflicts"] p')?.textContent ?? ''), topo.b.name, { timeout: 15_000, polling: 200 });
    assert.deepEqual(pageErrors, [], 'no script errors on the page');
  });

  it("red cells follow the deployment's alerts: thresholds (read-p99: 0ms marks any read), not the page's defaults", async () => {
    // A deployment that wants every read latency flagged: restart the serving gateway with it.
    const doc = YAML.parse(await readFile(topo.a.configFile, 'utf8'));
    doc.alerts = { 'read-p99': '0ms' };
    await writeFile(topo.a.configFile, YAML.stringify(doc));
    await topo.stop(topo.a);
    await topo.start(topo.a);
    await page.goto(`${topo.a.url}/dashboard`, { waitUntil: 'networkidle', timeout: 30_000 });
    await page.waitForFunction(() => (window as any).xdrDashboard.state.thresholds.readP99Ms === 0, undefined, { timeout: 20_000, polling: 200 });
    for (let i = 0; i < 5; i++) await get(topo.a, `console-${i}`);
    // Reads of a few ms at most: under the default 5 ms they would not be red; under this deployment's 0 ms they are.
    const cell = `[data-testid="health-table"] tr[data-region="${topo.a.name}"][data-ns="${NS}"] td[data-field="read ms p50/p90/p99"]`;
    await page.waitForSelector(`${cell}.bad`, { timeout: 20_000 });
    await page.waitForSelector(`[data-testid="alerts"] li[data-rule="read_p99"][data-region="${topo.a.name}"]`, { timeout: 20_000 });
    await shot('console-thresholds');
    assert.deepEqual(pageErrors, [], 'no script errors on the page');
  });
  it('with an auth-token the conflicts list asks for it (they show record keys), refuses a wrong one and lists them with the right one', async () => {
    const token = 'console-test-token-0123456789';
    const doc = YAML.parse(await readFile(topo.a.configFile, 'utf8'));
    doc['auth-token'] = token;
    await writeFile(topo.a.configFile, YAML.stringify(doc));
    await topo.stop(topo.a);
    await topo.start(topo.a);
    await page.goto(`${topo.a.url}/dashboard`, { waitUntil: 'networkidle', timeout: 30_000 });
    const form = '[data-testid="conflicts-token"]';
    await page.waitForSelector(form, { timeout: 20_000 });
    await page.fill('#conflicts-token-input', 'not-the-token-at-all');
    await page.press('#conflicts-token-input', 'Enter');
    await page.waitForFunction((f) => document.querySelector(`${f} .error`)?.textContent?.includes('refused') === true, form, { timeout: 20_000, polling: 200 });
    await page.fill('#conflicts-token-input', token);
    await page.click(`${form} button`);
    // Read with the token: the list's summary of every region (Tokyo's ring restarted empty, Virginia is still stopped).
    await page.waitForFunction((r) => {
      const text = document.querySelector('[data-testid="conflicts"] p')?.textContent ?? '';
      return text.startsWith('Conflicts resolved') && text.includes(`${r} did not answer`);
    }, topo.b.name, { timeout: 20_000, polling: 200 });
    assert.equal(await page.$(form), null, 'the form is gone once the token is accepted');
    await shot('console-conflicts-token');
    assert.deepEqual(pageErrors, [], 'no script errors on the page');
  });
});
