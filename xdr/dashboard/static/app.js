// xdrgate console: the topology at a glance, alerts, region health beside
// replication, the last conflicts, and per region the tables and charts.
// History from /dashboard/api/history (the Redis streams of every region),
// refreshed by polling it: every request ends, so the page finishes loading
// (tools that screenshot it wait for the network to go idle).
// Plain browser JavaScript, no build step; charts by uPlot (window.uPlot).
'use strict';

(function () {
  const S = window.xdrSeries;
  const WINDOWS = { '300000': { label: '5 min', resolution: 'second', gapMs: 5000 }, '3600000': { label: '1 h', resolution: 'second', gapMs: 5000 }, '86400000': { label: '24 h', resolution: 'minute', gapMs: 180_000 } };
  const SAMPLES_MAX = S.HISTORY_CAPS.second; // per region and request (the minute stream holds fewer)
  const POLL_MS = 1000;
  const COLORS = ['#2f6fdf', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#c2255c', '#5c940d'];

  // routeStates: state → severity (ok, warn, bad), as the gateway defines them (xdr/route-health);
  // thresholds: the deployment's alert thresholds (config `alerts:`), which mark figures red.
  const state = {
    region: '', regions: [], byRegion: {}, samplesSeen: 0, from: '', telemetry: null, live: false, routeStates: {}, thresholds: S.THRESHOLDS_DEFAULT,
    windowMs: 300_000, routes: new Map(), conflicts: null, conflictsError: null, conflictsNeedToken: false, historyError: null,
  };

  // Each chart: id, title, unit of its y axis, whether its series are counters (carried over restarts), and its series per sample.
  const CHARTS = [
    { id: 'lag', title: 'Lag per route', unit: 's', series: (s) => perShip(s, (r) => r.lag_ms / 1000) },
    { id: 'backlog', title: 'Backlog per route (in_queue)', unit: 'records', series: (s) => perShip(s, (r) => r.in_queue) },
    { id: 'throughput', title: 'Throughput per route', unit: 'records/s', series: (s) => perShip(s, (r) => r.throughput) },
    { id: 'e2e', title: 'End-to-end replication lag received here (last 10 s)', unit: 'ms', series: (s) => perRecv(s, [['p50', (r) => (r.recent_count > 0 ? r.recent_p50_ms : null)], ['p99', (r) => (r.recent_count > 0 ? r.recent_p99_ms : null)]]) },
    { id: 'conflicts', title: 'Conflicts received here (cumulative)', unit: 'conflicts', counter: true, series: (s) => perRecv(s, [['won', (r) => r.conflicts_won], ['lost', (r) => r.conflicts_lost]]) },
    {
      id: 'errors',
      title: 'Dead letters and errors (cumulative)',
      unit: 'count',
      counter: true,
      series: (s) => {
        const out = perRecv(s, [['dead letters', (r) => r.dead_lettered]]);
        Object.assign(out, perShip(s, (r) => r.retries, ' retries'));
        out['HTTP 5xx'] = s.http ? s.http.errors5xx : 0;
        out['engine errors'] = s.engine_errors || 0;
        return out;
      },
    },
    { id: 'latency', title: 'Engine P99 latency (last 10-20 s)', unit: 'ms', series: (s) => perNs(s, [['read p99', (n) => (n.latency.read.count > 0 ? n.latency.read.p99_ms : null)], ['write p99', (n) => (n.latency.write.count > 0 ? n.latency.write.p99_ms : null)]]) },
    { id: 'device', title: 'Device reads and writes', unit: 'records/s', series: (s) => perNs(s, [['read/s', (n) => n.device_read_tps], ['write/s', (n) => n.device_write_tps]]) },
  ];

  function perShip(s, pick, suffix) {
    const out = {};
    for (const r of s.ship || []) out[r.route + (suffix || '')] = pick(r);
    return out;
  }

  function perRecv(s, picks) {
    const out = {};
    for (const r of s.receive || []) for (const [name, pick] of picks) out[`${r.route} ${name}`] = pick(r);
    return out;
  }

  function perNs(s, picks) {
    const out = {};
    for (const n of s.namespaces || []) for (const [name, pick] of picks) out[`${n.ns} ${name}`] = pick(n);
    return out;
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ---- per region: tables and charts (the details) ----

  function regionState(region) {
    let r = state.byRegion[region];
    if (!r) {
      r = state.byRegion[region] = { history: S.emptyHistory(), section: null, charts: {}, tables: null, age: null };
      buildSection(region, r);
    }
    return r;
  }

  function buildSection(region, r) {
    const section = el('details', { class: 'region', open: '', id: `region-${region}`, 'data-region': region, 'data-testid': `region-${region}` });
    const summary = el('summary', {});
    summary.appendChild(el('span', { class: 'region-title' }, region));
    r.age = el('span', { class: 'age', 'data-testid': `age-${region}` }, 'no samples yet');
    summary.appendChild(r.age);
    section.appendChild(summary);
    r.alerts = el('div', { class: 'alerts', 'data-testid': `alerts-${region}` });
    section.appendChild(r.alerts);
    r.tables = el('div', { class: 'tables' });
    section.appendChild(r.tables);
    const grid = el('div', { class: 'charts' });
    for (const c of CHARTS) {
      const box = el('div', { class: 'chart', 'data-chart': c.id, 'data-testid': `chart-${region}-${c.id}` });
      box.appendChild(el('h3', {}, `${c.title} (${c.unit})`));
      const plot = el('div', { class: 'plot' });
      plot.appendChild(el('div', { class: 'empty' }, 'no data in this window yet'));
      box.appendChild(plot);
      grid.appendChild(box);
      r.charts[c.id] = { box, plot, uplot: null, key: '', names: [], data: [] };
    }
    section.appendChild(grid);
    section.addEventListener('toggle', () => scheduleDraw());
    document.getElementById('regions').appendChild(section);
  }

  function addSample(sample, resolution) {
    if (!sample || typeof sample.region !== 'string') return;
    const r = regionState(sample.region);
    // Per resolution, each with its cap: live per-second samples never push the 24 h window's minute samples out.
    if (!S.addToHistory(r.history, sample, resolution || 'second')) return; // duplicate (overlapping history reads)
    state.samplesSeen++;
    for (const x of sample.ship || []) {
      const known = state.routes.get(x.route) || {};
      state.routes.set(x.route, { source: sample.region, dest: (x.destination && x.destination.region) || known.dest || null });
    }
    for (const x of sample.receive || []) {
      const known = state.routes.get(x.route) || { source: null };
      state.routes.set(x.route, { source: known.source, dest: sample.region });
    }
    scheduleDraw();
  }

  let drawPending = false;
  function scheduleDraw() {
    if (drawPending) return;
    drawPending = true;
    setTimeout(() => {
      drawPending = false;
      draw();
    }, 250);
  }

  /** The chart's series names and uPlot data: counters carried over restarts, a null row in every gap. */
  function chartData(samples, chart) {
    const rows = samples.map((s) => chart.series(s));
    const names = [];
    for (const row of rows) for (const n of Object.keys(row)) if (!names.includes(n)) names.push(n);
    names.sort();
    const columns = names.map((n) => {
      const ys = rows.map((row) => (n in row ? row[n] : null));
      return chart.counter ? S.carryCounter(samples, ys) : ys;
    });
    const gapped = S.withGaps(samples.map((s, i) => ({ ts_ms: s.ts_ms, i })), (x) => x.i, WINDOWS[state.windowMs].gapMs);
    const ys = columns.map((col) => gapped.rows.map((i) => (i === null ? null : col[i])));
    return { names, data: [gapped.xs, ...ys] };
  }

  const fmtAxis = () => (u, vals) => vals.map((v) => (v === null ? '' : `${S.human(v, '', Math.abs(v) < 10 && v % 1 !== 0 ? 1 : 0)}`));

  function drawChart(c, chart, samples) {
    const { names, data } = chartData(samples, chart);
    c.names = names;
    c.data = data;
    if (names.length === 0 || samples.length === 0) {
      if (c.uplot) {
        c.uplot.destroy();
        c.uplot = null;
        c.key = '';
      }
      c.plot.replaceChildren(el('div', { class: 'empty' }, samples.length === 0 ? 'no samples in this window' : 'nothing to draw in this window'));
      return;
    }
    const key = names.join('\u0000');
    const width = Math.max(320, c.box.clientWidth - 4);
    if (c.uplot === null || c.key !== key) {
      if (c.uplot) c.uplot.destroy();
      c.plot.textContent = '';
      c.key = key;
      const latest = (u, sidx) => {
        const ys = u.data[sidx];
        for (let i = ys.length - 1; i >= 0; i--) if (ys[i] !== null && ys[i] !== undefined) return ys[i];
        return null;
      };
      c.uplot = new uPlot(
        {
          width,
          height: 200,
          // One cursor across every chart: the same moment everywhere.
          cursor: { sync: { key: 'xdr' } },
          scales: { x: { time: true } },
          series: [
            // The legend shows the values under the cursor, and the latest ones when the cursor is elsewhere (never "--").
            { label: 'time', value: (u, v, sidx, idx) => (idx === null ? 'latest' : S.clock(v * 1000)) },
            ...names.map((n, i) => ({
              label: n,
              stroke: COLORS[i % COLORS.length],
              width: 1.5,
              spanGaps: false,
              value: (u, v, sidx, idx) => S.human(idx === null ? latest(u, sidx) : v, chart.unit === 'records' || chart.unit === 'count' || chart.unit === 'conflicts' ? '' : chart.unit),
            })),
          ],
          axes: [{ stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' } }, { label: chart.unit, size: 64, stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' }, values: fmtAxis() }],
          legend: { live: true },
        },
        data,
        c.plot,
      );
    } else {
      if (Math.abs(c.uplot.width - width) > 8) c.uplot.setSize({ width, height: 200 });
      c.uplot.setData(data);
    }
  }

  const fmt = (v, digits) => (v === null || v === undefined ? '–' : typeof v === 'number' ? v.toFixed(digits || 0) : String(v));

  function table(headers, rows, testid) {
    const t = el('table', { 'data-testid': testid });
    const tr = el('tr');
    for (const h of headers) tr.appendChild(el('th', { scope: 'col' }, h));
    t.appendChild(tr);
    for (const row of rows) {
      const r = el('tr', row.attrs || { 'data-route': row.route });
      row.cells.forEach((cell, i) => {
        const td = el('td', { 'data-field': headers[i], class: (row.classes && row.classes[i]) || '' }, cell);
        if (row.titles && row.titles[i]) td.setAttribute('title', row.titles[i]);
        r.appendChild(td);
      });
      t.appendChild(r);
    }
    return t;
  }

  // A crash that lost acknowledged changes in this region says so until its next start.
  function drawRegionAlerts(r, s) {
    r.alerts.textContent = '';
    for (const lost of s.lost_at_start || []) r.alerts.appendChild(el('p', { class: 'alert', 'data-ns': lost.ns }, `⚠ ${lost.message}`));
  }

  function stateClass(s) {
    return `state state-${s} sev-${state.routeStates[s] || 'warn'}`;
  }

  function destinationText(d) {
    return d ? d.status.replace('_', ' ') : '–';
  }

  function detailText(x) {
    const parts = [];
    if (x.reason) parts.push(x.reason);
    const d = x.destination;
    if (d && d.status !== 'receiving' && d.reason && d.reason !== x.reason) parts.push(`destination: ${d.reason}`);
    return parts.join(' · ');
  }

  function drawTables(region, r, s) {
    r.tables.textContent = '';
    if (s.ship.length > 0) {
      r.tables.appendChild(
        table(
          ['route', 'state', 'destination', 'lag_s', 'in_queue', 'in_progress', 'success', 'throughput', 'latency_ms', 'retries', 'abandoned', 'not_found', 'filtered_out', 'recoveries', 'hot_keys', 'detail'],
          s.ship.map((x) => ({
            route: x.route,
            classes: [, stateClass(x.state), x.destination ? `dest-${x.destination.status}` : '', , , , , , , , , , , , , 'detail'],
            titles: [, x.error ? `${x.error.code}: ${x.error.message}` : x.reason || '', x.destination && x.destination.reason ? x.destination.reason : ''],
            cells: [x.route, x.state, destinationText(x.destination), fmt(x.lag_ms / 1000, 1), fmt(x.in_queue), fmt(x.in_progress), fmt(x.success), fmt(x.throughput), fmt(x.latency_ms, 1), fmt(x.retries), fmt(x.abandoned), fmt(x.not_found), fmt(x.filtered_out), fmt(x.recoveries), fmt(x.hot_keys), detailText(x)],
          })),
          `ship-table-${region}`,
        ),
      );
    }
    if (s.receive.length > 0) {
      r.tables.appendChild(
        table(
          ['route', 'state', 'resolver', 'applied', 'merged', 'conflicts_won', 'conflicts_lost', 'dead_lettered', 'offset_lag', 'p50_ms', 'p90_ms', 'p99_ms', 'max_ms', 'last_seen_s', 'detail'],
          s.receive.map((x) => ({
            route: x.route,
            classes: [, x.state ? stateClass(x.state) : '', , , , , , , , , , , , , 'detail'],
            titles: [, x.error ? `${x.error.code}: ${x.error.message}` : x.reason || ''],
            cells: [x.route, x.state || '–', x.resolver, fmt(x.applied), fmt(x.merged), fmt(x.conflicts_won), fmt(x.conflicts_lost), fmt(x.dead_lettered), fmt(x.offset_lag), fmt(x.lag_p50_ms), fmt(x.lag_p90_ms), fmt(x.lag_p99_ms), fmt(x.lag_max_ms), x.last_seen_age_ms < 0 ? '–' : fmt(x.last_seen_age_ms / 1000, 1), x.reason || ''],
          })),
          `recv-table-${region}`,
        ),
      );
    }
  }

  // ---- the overview: topology, alerts, health beside replication, conflicts ----

  function latestOf(region) {
    const r = state.byRegion[region];
    return r ? S.newestSample(r.history) : null;
  }

  function firingAlerts(now) {
    const out = [];
    for (const region of state.regions) {
      const s = latestOf(region);
      if (s && now - s.ts_ms <= S.STALE_MS) for (const a of s.alerts || []) out.push(Object.assign({ region }, a));
    }
    return out;
  }

  function openRegion(region) {
    const d = document.getElementById(`region-${region}`);
    if (!d) return;
    d.open = true;
    d.scrollIntoView({ block: 'start' });
    d.querySelector('summary').focus({ preventScroll: true });
  }

  function drawOverview(now) {
    const alerts = firingAlerts(now);
    const regions = state.regions.map((name) => {
      const s = latestOf(name);
      const status = S.regionStatus(name, s, now);
      const mine = alerts.filter((a) => a.region === name);
      const objects = s && s.namespaces ? s.namespaces.reduce((n, x) => n + x.objects, 0) : null;
      const figures = s ? `${S.human(objects, 'objects')} · ${(s.namespaces || []).length} namespace(s)` : '';
      return { name, status, figures, alertsText: mine.length === 0 ? (status.up ? 'no alert' : '') : `${mine.length} alert(s): ${mine[0].rule}${mine.length > 1 ? ' …' : ''}` };
    });
    const routes = [];
    for (const [route, ends] of [...state.routes].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!ends.source || !ends.dest) continue;
      routes.push({ route, source: ends.source, dest: ends.dest, view: S.routeView(route, latestOf(ends.source), latestOf(ends.dest), alerts, state.routeStates, now, state.thresholds) });
    }
    xdrTopology.draw(document.getElementById('topology'), regions, routes, openRegion);
    drawAlertList(alerts, regions);
    drawHealth(now);
    drawReplication(routes);
  }

  function drawAlertList(alerts, regions) {
    const list = document.getElementById('alerts-list');
    list.textContent = '';
    for (const r of regions) if (!r.status.up) list.appendChild(el('li', { class: 'sev-critical', 'data-rule': 'region_down', 'data-region': r.name }, `${r.status.text}`));
    for (const a of alerts) {
      list.appendChild(el('li', { class: `sev-${a.severity}`, 'data-rule': a.rule, 'data-region': a.region, 'data-target': a.target }, `${a.severity === 'critical' ? 'CRITICAL' : 'warning'} · ${a.region} · ${a.message} · since ${S.clock(a.since_ms)}`));
    }
    if (list.children.length === 0) list.appendChild(el('li', { class: 'none' }, 'No alert firing in any region.'));
  }

  function drawHealth(now) {
    const rows = [];
    for (const region of state.regions) {
      const s = latestOf(region);
      const status = S.regionStatus(region, s, now);
      if (!status.up) {
        rows.push({ attrs: { 'data-region': region, class: 'down' }, cells: [region, status.text, '', '', '', '', '', '', '', '', ''] });
        continue;
      }
      for (const n of s.namespaces || []) {
        const l = n.latency;
        const f = S.healthFlags(n, state.thresholds);
        const bad = (flag) => (flag ? 'bad' : '');
        rows.push({
          attrs: { 'data-region': region, 'data-ns': n.ns },
          classes: [, , , , , , bad(f.memory), bad(f.storage), bad(f.stopWrites), bad(f.readP99), bad(f.writeP99)],
          cells: [
            region, n.ns, `${n.client_read_success} / ${n.client_read_error}`, `${n.client_write_success} / ${n.client_write_error} / ${n.client_write_refused}`,
            S.human(n.device_read_tps), S.human(n.device_write_tps), n.memory_used_pct.toFixed(2), n.storage_used_pct.toFixed(2), n.stop_writes ? 'YES' : 'no',
            l.read.count > 0 ? `${l.read.p50_ms} / ${l.read.p90_ms} / ${l.read.p99_ms}` : '–', l.write.count > 0 ? `${l.write.p50_ms} / ${l.write.p90_ms} / ${l.write.p99_ms}` : '–',
          ],
        });
      }
    }
    document.getElementById('health').replaceChildren(
      table(['region', 'namespace', 'reads ok / err', 'writes ok / err / refused', 'read/s', 'write/s', 'memory %', 'storage %', 'stop-writes', 'read ms p50/p90/p99', 'write ms p50/p90/p99'], rows, 'health-table'),
    );
  }

  function drawReplication(routes) {
    const rows = routes.map((r) => ({
      route: r.route,
      classes: [, `route-state state-${r.view.state}`],
      cells: [r.route, r.view.label, `${r.source} → ${r.dest}`, S.human(r.view.lagS, 's'), S.human(r.view.inQueue), S.human(r.view.throughput, '/s'), S.human(r.view.p99Ms, 'ms'), r.view.reason],
    }));
    document.getElementById('replication').replaceChildren(table(['route', 'state', 'from → to', 'lag', 'in_queue', 'throughput', 'e2e p99', 'why'], rows, 'replication-table'));
  }

  const TOKEN_KEY = 'xdrgate-auth-token';

  // Asked for when the gateway has an auth-token: kept for this tab only (sessionStorage), sent only to /v1/xdr/conflicts.
  function tokenForm() {
    const form = el('form', { class: 'token-form', 'data-testid': 'conflicts-token', 'data-error': String(state.conflictsError) });
    const input = el('input', { type: 'password', id: 'conflicts-token-input', autocomplete: 'off', required: '' });
    const parts = [
      el('p', {}, 'Conflicts show record keys, so this gateway asks for its auth-token (the gateway\'s auth-token setting) to list them.'),
      el('label', { for: 'conflicts-token-input' }, 'auth-token '),
      input,
      el('button', { type: 'submit' }, 'Show conflicts'),
    ];
    if (state.conflictsError) parts.splice(1, 0, el('p', { class: 'error' }, state.conflictsError));
    form.replaceChildren(...parts);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, input.value);
      loadConflicts();
    });
    return form;
  }

  // Every region's last conflicts (GET /v1/xdr/conflicts/all: the serving gateway asks its peers), newest first, labelled with the region that resolved them.
  function drawConflicts() {
    const box = document.getElementById('conflicts');
    if (state.conflictsNeedToken) {
      // Redrawn every second: a form already there keeps what is being typed into it.
      const shown = box.querySelector('.token-form');
      if (shown && shown.dataset.error === String(state.conflictsError)) return undefined;
      return box.replaceChildren(tokenForm());
    }
    if (state.conflictsError) return box.replaceChildren(el('p', { class: 'error' }, `conflicts unavailable: ${state.conflictsError}`));
    const regions = state.conflicts;
    if (!regions) return box.replaceChildren(el('p', {}, 'loading…'));
    const summary = regions.map((r) => (r.error ? `${r.region}: ${r.error}` : `${r.region}: ${r.total} since its gateway started`)).join(' · ');
    const rows = [];
    for (const r of regions) for (const x of r.conflicts || []) rows.push(Object.assign({ resolvedIn: r.region }, x));
    rows.sort((a, b) => b.at_ms - a.at_ms);
    const parts = [el('p', { class: regions.some((r) => r.error) ? 'error' : '' }, `Conflicts resolved — ${summary}`)];
    if (rows.length === 0) parts.push(el('p', { class: 'none' }, 'No conflict resolved in any region since its gateway started.'));
    else {
      const side = (x) => `${x.region} · ${S.clock(x.lut_ms)}.${String(x.lut_ms % 1000).padStart(3, '0')} · gen ${x.generation}${x.deleted ? ' · deleted' : ''}`;
      parts.push(
        table(
          ['resolved in', 'when', 'route', 'record', 'local version', 'incoming version', 'winner', 'why'],
          rows.map((x) => ({ attrs: { 'data-digest': x.digest, 'data-region': x.resolvedIn }, cells: [x.resolvedIn, S.clock(x.at_ms), x.route, `${x.ns}/${x.set}/${x.key === null ? x.digest.slice(0, 12) + '…' : x.key}`, side(x.local), side(x.incoming), x.winner, x.reason] })),
          'conflicts-table',
        ),
      );
    }
    box.replaceChildren(...parts);
  }

  function draw() {
    const now = Date.now();
    for (const [region, r] of Object.entries(state.byRegion)) {
      const samples = S.historySamples(r.history).filter((s) => s.ts_ms >= now - state.windowMs);
      const latest = S.newestSample(r.history);
      const status = S.regionStatus(region, latest, now);
      r.age.textContent = latest ? (status.up ? `newest sample ${Math.max(0, Math.round((now - latest.ts_ms) / 1000))} s ago · ${samples.length} samples in the window` : status.text) : `no samples from ${region} yet (is its gateway running and Redis reachable?)`;
      r.age.classList.toggle('down', !status.up);
      if (latest) {
        drawRegionAlerts(r, latest);
        drawTables(region, r, latest);
      }
      for (const chart of CHARTS) drawChart(r.charts[chart.id], chart, samples);
    }
    drawOverview(now);
    drawConflicts();
    const t = state.telemetry;
    const problems = [];
    if (state.historyError) problems.push(`history unavailable: ${state.historyError}`);
    if (t && !t.redis) problems.push(`Redis is unreachable: only ${state.region} is shown, from its gateway's memory`);
    document.getElementById('status').textContent =
      problems.length > 0 ? problems.join(' · ') : `history from ${state.from || '…'} · ${WINDOWS[state.windowMs].label} window · updated ${state.live ? 'every second' : '…'}`;
    document.getElementById('status').classList.toggle('error', problems.length > 0);
  }

  // ---- data ----

  async function loadHistory(sinceMs, resolution) {
    const res = await fetch(`/dashboard/api/history?since=${Math.floor(sinceMs)}&max=${SAMPLES_MAX}&resolution=${resolution || 'second'}`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    state.region = body.region;
    state.regions = body.regions;
    state.from = body.from;
    state.telemetry = body.telemetry;
    if (body.route_states) state.routeStates = body.route_states;
    if (body.alert_thresholds) state.thresholds = body.alert_thresholds;
    document.getElementById('served-by').textContent = `served by ${body.region}`;
    for (const region of body.regions) regionState(region);
    for (const region of Object.keys(body.samples)) for (const s of body.samples[region]) addSample(s, resolution);
    state.historyError = null;
    scheduleDraw();
  }

  async function loadConflicts() {
    try {
      // Conflicts show record keys, so a gateway with an auth-token asks for it (the rest of the page is aggregate and open).
      const token = sessionStorage.getItem(TOKEN_KEY);
      const res = await fetch('/v1/xdr/conflicts/all?limit=20', token ? { headers: { authorization: `Bearer ${token}` } } : {});
      state.conflictsNeedToken = res.status === 401;
      if (state.conflictsNeedToken) {
        state.conflictsError = token ? 'the auth-token given was refused' : null;
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      state.conflicts = (await res.json()).regions;
      state.conflictsError = null;
    } catch (err) {
      state.conflictsError = err.message;
    }
    scheduleDraw();
  }

  // The oldest of the regions' newest samples: history after it fills every region's gap.
  function syncedUpToMs() {
    let newest = 0;
    for (const r of Object.values(state.byRegion)) {
      const last = S.newestSample(r.history);
      if (last && (newest === 0 || last.ts_ms < newest)) newest = last.ts_ms;
    }
    return newest;
  }

  async function poll() {
    try {
      const since = syncedUpToMs();
      // Short requests that end: the page is live without holding a connection open.
      await loadHistory(since > 0 ? Math.max(since, Date.now() - state.windowMs) : Date.now() - state.windowMs);
      state.live = true;
    } catch (err) {
      state.live = false;
      state.historyError = err.message;
      scheduleDraw();
    }
  }

  async function setWindow(ms) {
    state.windowMs = ms;
    for (const b of document.querySelectorAll('#window button')) b.setAttribute('aria-pressed', String(Number(b.dataset.window) === ms));
    // A new window reads its whole history again (the minute stream for 24 h).
    for (const r of Object.values(state.byRegion)) r.history = S.emptyHistory();
    try {
      await loadHistory(Date.now() - ms, WINDOWS[ms].resolution);
    } catch (err) {
      state.historyError = err.message;
    }
    scheduleDraw();
  }

  function setTheme(theme) {
    document.documentElement.dataset.theme = theme;
    const b = document.getElementById('theme');
    b.textContent = theme === 'dark' ? 'Light theme' : 'Dark theme';
    b.setAttribute('aria-pressed', String(theme === 'dark'));
    try {
      localStorage.setItem('xdrgate-theme', theme);
    } catch {
      // storage refused (private mode): the theme still applies to this page
    }
  }

  function init() {
    for (const b of document.querySelectorAll('#window button')) b.addEventListener('click', () => setWindow(Number(b.dataset.window)));
    let theme = null;
    try {
      theme = localStorage.getItem('xdrgate-theme');
    } catch {
      theme = null;
    }
    setTheme(theme || (window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
    document.getElementById('theme').addEventListener('click', () => setTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'));
    loadHistory(Date.now() - state.windowMs)
      .then(() => (state.live = true))
      .catch((err) => {
        state.historyError = err.message;
        scheduleDraw();
      })
      .finally(() => {
        setInterval(poll, POLL_MS);
        loadConflicts();
        setInterval(loadConflicts, 5000);
      });
  }

  window.xdrDashboard = {
    state,
    /** Series names and uPlot data of a chart (tests read what the chart draws). */
    chart(region, id) {
      const c = state.byRegion[region] && state.byRegion[region].charts[id];
      return c ? { names: c.names, data: c.data, drawn: c.uplot !== null } : null;
    },
    setWindow,
  };

  init();
})();
