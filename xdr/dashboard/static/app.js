// xdrgate dashboard: history from /dashboard/api/history (the Redis streams of
// every region), live samples from /dashboard/api/live (server-sent events).
// Plain browser JavaScript, no build step; charts by uPlot (window.uPlot).
'use strict';

(function () {
  const WINDOW_MS = 15 * 60 * 1000;
  const SAMPLES_MAX = 1800; // per region, in the page
  const COLORS = ['#2f6fdf', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#c2255c', '#5c940d'];

  // routeStates: state → severity (ok, warn, bad), as the gateway defines them (xdr/route-health).
  const state = { region: '', regions: [], byRegion: {}, charts: {}, samplesSeen: 0, from: '', telemetry: null, live: false, routeStates: {} };

  // Each chart: id, title, and the series it draws from a sample (name → value).
  const CHARTS = [
    { id: 'lag', title: 'Lag per route (seconds since the oldest unshipped change)', series: (s) => perShip(s, (r) => r.lag_ms / 1000) },
    { id: 'backlog', title: 'Backlog per route (records not yet shipped: in_queue)', series: (s) => perShip(s, (r) => r.in_queue) },
    { id: 'throughput', title: 'Throughput per route (records/s shipped)', series: (s) => perShip(s, (r) => r.throughput) },
    { id: 'e2e', title: 'End-to-end replication lag, received here (ms over the last 10 s: p50 / p99)', series: (s) => perRecv(s, [['p50', (r) => (r.recent_count > 0 ? r.recent_p50_ms : null)], ['p99', (r) => (r.recent_count > 0 ? r.recent_p99_ms : null)]]) },
    { id: 'conflicts', title: 'Conflicts received here (won / lost, cumulative)', series: (s) => perRecv(s, [['won', (r) => r.conflicts_won], ['lost', (r) => r.conflicts_lost]]) },
    {
      id: 'errors',
      title: 'Dead letters and errors (cumulative)',
      series: (s) => {
        const out = perRecv(s, [['dead letters', (r) => r.dead_lettered]]);
        Object.assign(out, perShip(s, (r) => r.retries, ' retries'));
        out['HTTP 5xx'] = s.http ? s.http.errors5xx : 0;
        out['engine errors'] = s.engine_errors || 0;
        return out;
      },
    },
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

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function regionState(region) {
    let r = state.byRegion[region];
    if (!r) {
      r = state.byRegion[region] = { samples: [], section: null, charts: {}, tables: null, age: null };
      buildSection(region, r);
    }
    return r;
  }

  function buildSection(region, r) {
    const section = el('section', { class: 'region', 'data-region': region, 'data-testid': `region-${region}` });
    const h2 = el('h2', {}, region);
    r.age = el('span', { class: 'age' }, 'no samples yet');
    h2.appendChild(r.age);
    section.appendChild(h2);
    r.alerts = el('div', { class: 'alerts', 'data-testid': `alerts-${region}` });
    section.appendChild(r.alerts);
    r.tables = el('div', { class: 'tables' });
    section.appendChild(r.tables);
    const grid = el('div', { class: 'charts' });
    for (const c of CHARTS) {
      const box = el('div', { class: 'chart', 'data-chart': c.id, 'data-testid': `chart-${region}-${c.id}` });
      box.appendChild(el('h3', {}, c.title));
      const plot = el('div', { class: 'plot' });
      plot.appendChild(el('div', { class: 'empty' }, 'no data yet'));
      box.appendChild(plot);
      grid.appendChild(box);
      r.charts[c.id] = { box, plot, uplot: null, key: '', names: [], data: [] };
    }
    section.appendChild(grid);
    document.getElementById('regions').appendChild(section);
  }

  function addSample(sample) {
    if (!sample || typeof sample.region !== 'string') return;
    const r = regionState(sample.region);
    const last = r.samples[r.samples.length - 1];
    if (last && sample.ts_ms <= last.ts_ms) return; // duplicate (history and live overlap)
    r.samples.push(sample);
    if (r.samples.length > SAMPLES_MAX) r.samples.splice(0, r.samples.length - SAMPLES_MAX);
    state.samplesSeen++;
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

  function chartData(samples, chart) {
    const rows = samples.map((s) => chart.series(s));
    const names = [];
    for (const row of rows) for (const n of Object.keys(row)) if (!names.includes(n)) names.push(n);
    names.sort();
    const xs = samples.map((s) => s.ts_ms / 1000);
    const ys = names.map((n) => rows.map((row) => (n in row ? row[n] : null)));
    return { names, data: [xs, ...ys] };
  }

  function drawChart(c, chart, samples) {
    const { names, data } = chartData(samples, chart);
    c.names = names;
    c.data = data;
    if (names.length === 0 || samples.length === 0) return;
    const key = names.join('\u0000');
    const width = Math.max(320, c.box.clientWidth - 4);
    if (c.uplot === null || c.key !== key) {
      if (c.uplot) c.uplot.destroy();
      c.plot.textContent = '';
      c.key = key;
      c.uplot = new uPlot(
        {
          width,
          height: 200,
          scales: { x: { time: true } },
          series: [{}, ...names.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true }))],
          axes: [{}, { size: 60 }],
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
    for (const h of headers) tr.appendChild(el('th', {}, h));
    t.appendChild(tr);
    for (const row of rows) {
      const r = el('tr', { 'data-route': row.route });
      row.cells.forEach((cell, i) => {
        const td = el('td', { 'data-field': headers[i], class: row.classes?.[i] || '' }, cell);
        if (row.titles?.[i]) td.setAttribute('title', row.titles[i]);
        r.appendChild(td);
      });
      t.appendChild(r);
    }
    return t;
  }

  // A crash that lost acknowledged changes in this region says so until its next start.
  function drawAlerts(r, s) {
    r.alerts.textContent = '';
    for (const lost of s.lost_at_start || []) {
      r.alerts.appendChild(el('p', { class: 'alert', 'data-ns': lost.ns }, `⚠ ${lost.message}`));
    }
  }

  // A state's cell: coloured by its severity; the reason is the cell's tooltip and the detail column.
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

  function draw() {
    const now = Date.now();
    for (const [region, r] of Object.entries(state.byRegion)) {
      const samples = r.samples.filter((s) => s.ts_ms >= now - WINDOW_MS);
      const latest = samples[samples.length - 1];
      r.age.textContent = latest ? `newest sample ${Math.max(0, Math.round((now - latest.ts_ms) / 1000))} s ago · ${samples.length} samples` : 'no samples yet (is its gateway running and Redis reachable?)';
      if (latest) {
        drawAlerts(r, latest);
        drawTables(region, r, latest);
      }
      for (const chart of CHARTS) drawChart(r.charts[chart.id], chart, samples);
    }
    const t = state.telemetry;
    document.getElementById('status').textContent =
      `history from ${state.from || '…'} · live ${state.live ? 'on' : 'reconnecting'} · Redis ${t && t.redis ? 'reachable' : 'unreachable (this region only)'}`;
  }

  async function loadHistory(sinceMs) {
    const res = await fetch(`/dashboard/api/history?since=${Math.floor(sinceMs)}`);
    if (!res.ok) throw new Error(`history: HTTP ${res.status}`);
    const body = await res.json();
    state.region = body.region;
    state.regions = body.regions;
    state.from = body.from;
    state.telemetry = body.telemetry;
    if (body.route_states) state.routeStates = body.route_states;
    document.getElementById('served-by').textContent = `served by ${body.region}`;
    for (const region of body.regions) regionState(region);
    for (const region of Object.keys(body.samples)) for (const s of body.samples[region]) addSample(s);
    scheduleDraw();
  }

  // The oldest of the regions' newest samples: history after it fills every region's gap.
  function syncedUpToMs() {
    let newest = 0;
    for (const r of Object.values(state.byRegion)) {
      const last = r.samples[r.samples.length - 1];
      if (last && (newest === 0 || last.ts_ms < newest)) newest = last.ts_ms;
    }
    return newest;
  }

  function connectLive() {
    const source = new EventSource('/dashboard/api/live');
    source.addEventListener('open', () => {
      state.live = true;
      // Fill what the stream missed while it was down.
      const since = syncedUpToMs();
      loadHistory(since > 0 ? since : Date.now() - WINDOW_MS).catch(() => undefined);
    });
    source.addEventListener('error', () => {
      state.live = false;
      scheduleDraw();
    });
    source.addEventListener('sample', (e) => {
      try {
        addSample(JSON.parse(e.data));
      } catch (err) {
        console.warn('bad sample', err);
      }
    });
  }

  // Redis status and remote regions' history refresh even when pub/sub drops messages.
  setInterval(() => {
    const since = syncedUpToMs();
    loadHistory(since > 0 ? since : Date.now() - WINDOW_MS).catch(() => undefined);
  }, 10_000);

  window.xdrDashboard = {
    state,
    /** Series names and uPlot data of a chart (tests read what the chart draws). */
    chart(region, id) {
      const c = state.byRegion[region]?.charts[id];
      return c ? { names: c.names, data: c.data, drawn: c.uplot !== null } : null;
    },
  };

  loadHistory(Date.now() - WINDOW_MS)
    .catch((err) => {
      document.getElementById('status').textContent = `history unavailable: ${err.message}`;
    })
    .finally(connectLive);
})();
