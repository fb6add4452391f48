// Pure helpers of the console: what a route looks like at a glance, series
// that do not draw lines across gaps, cumulative counters that survive a
// gateway restart, and the words for a region that does not answer.
// Plain browser JavaScript (window.xdrSeries); the unit tests load it in a VM.
'use strict';

(function (root) {
  /** A region whose newest sample is older than this is "not answering". */
  const STALE_MS = 5000;

  /**
   * The alert defaults (xdr/alerts/rules.ts), used until the gateway's history
   * answer brings the deployment's own `alerts:` thresholds.
   */
  const THRESHOLDS_DEFAULT = Object.freeze({ xdrLagMs: 5000, heartbeatsMissed: 3, heartbeatIntervalMs: 1000, readP99Ms: 5, writeP99Ms: 5, memoryUsedPct: 80, storageUsedPct: 75, disabled: [] });

  /** True when `rule` is not turned off in this deployment. */
  function ruleOn(thresholds, rule) {
    return !(thresholds.disabled || []).includes(rule);
  }

  /**
   * Which figures of a namespace's health row are past the deployment's
   * thresholds (the red cells): memory, storage, stop-writes, read and write P99.
   */
  function healthFlags(n, thresholds) {
    const t = thresholds || THRESHOLDS_DEFAULT;
    const l = n.latency;
    return {
      memory: ruleOn(t, 'memory_used_pct') && n.memory_used_pct > t.memoryUsedPct,
      storage: ruleOn(t, 'storage_used_pct') && n.storage_used_pct > t.storageUsedPct,
      stopWrites: ruleOn(t, 'stop_writes') && Boolean(n.stop_writes),
      readP99: ruleOn(t, 'read_p99') && l.read.count > 0 && l.read.p99_ms > t.readP99Ms,
      writeP99: ruleOn(t, 'write_p99') && l.write.count > 0 && l.write.p99_ms > t.writeP99Ms,
    };
  }

  const pad = (n) => String(n).padStart(2, '0');
  /** hh:mm:ss in the viewer's time zone. */
  function clock(ms) {
    const d = new Date(ms);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  /**
   * The x values and rows of a chart, with a null row inserted inside every gap
   * longer than `gapMs` between samples, so uPlot breaks the line there instead
   * of drawing a slope the data never had (an idle or dead gateway).
   */
  function withGaps(samples, pick, gapMs) {
    const xs = [];
    const rows = [];
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i];
      if (i > 0 && s.ts_ms - samples[i - 1].ts_ms > gapMs) {
        xs.push((samples[i - 1].ts_ms + 1) / 1000);
        rows.push(null);
      }
      xs.push(s.ts_ms / 1000);
      rows.push(pick(s));
    }
    return { xs, rows };
  }

  /**
   * Carries a counter over gateway restarts: when a sample's `started_ms`
   * differs from the previous one (or the value falls), the total before the
   * restart is added from then on, so a cumulative chart does not fall to 0.
   * `values` are per sample (null allowed); returns the carried values.
   */
  function carryCounter(samples, values) {
    const out = [];
    let offset = 0;
    let prev = null;
    let prevStart = null;
    for (let i = 0; i < samples.length; i++) {
      const v = values[i];
      const start = samples[i].started_ms ?? null;
      if (v === null || v === undefined) {
        out.push(null);
        continue;
      }
      if (prev !== null && ((start !== null && prevStart !== null && start !== prevStart) || v < prev)) offset += prev;
      out.push(v + offset);
      prev = v;
      prevStart = start;
    }
    return out;
  }

  /**
   * A region's health as the console says it: up, not answering since the
   * time of its newest sample, or never seen.
   */
  function regionStatus(region, latest, nowMs) {
    if (!latest) return { up: false, text: `${region}: no sample yet — is its gateway running and publishing to Redis?` };
    const ageMs = nowMs - latest.ts_ms;
    if (ageMs > STALE_MS) return { up: false, since: latest.ts_ms, text: `${region} is not answering since ${clock(latest.ts_ms)}` };
    return { up: true, text: `${region} is up` };
  }

  /**
   * What a route's arrow shows: its state class (running, paused, lagging,
   * stalled, erroring), the words, and the figures on it. `source` is the
   * source region's newest sample (null when it does not answer), `dest` the
   * destination's; `alerts` the firing alerts of both; `thresholds` the
   * deployment's alert thresholds (lag, heartbeats) for figures newer than
   * the last alert evaluation.
   */
  function routeView(route, source, dest, alerts, severities, nowMs, thresholds) {
    const t = thresholds || THRESHOLDS_DEFAULT;
    const ship = source && nowMs - source.ts_ms <= STALE_MS ? (source.ship || []).find((r) => r.route === route) : null;
    const recvSample = dest ? (dest.receive || []).find((r) => r.route === route) : null;
    const fires = (rule) => alerts.some((a) => a.rule === rule && a.target === route);
    const p99 = recvSample && recvSample.recent_count > 0 ? recvSample.recent_p99_ms : null;
    const view = { route, state: 'running', label: 'running', lagS: null, inQueue: null, throughput: null, p99Ms: p99, reason: '' };
    if (!ship) {
      view.state = 'stalled';
      view.label = 'source not answering';
      view.reason = source ? `${source.region} is not answering since ${clock(source.ts_ms)}` : 'no sample from its source yet';
      return view;
    }
    view.lagS = ship.lag_ms / 1000;
    view.inQueue = ship.in_queue;
    view.throughput = ship.throughput;
    view.label = ship.state;
    view.reason = ship.reason || '';
    const severity = severities[ship.state] || 'warn';
    if (severity === 'bad') view.state = 'erroring';
    else if (ship.state === 'paused' || ship.state === 'disabled' || ship.state === 'stopped') view.state = 'paused';
    else if (fires('heartbeats_missing') || (ruleOn(t, 'heartbeats_missing') && recvSample && recvSample.last_seen_age_ms > t.heartbeatsMissed * t.heartbeatIntervalMs)) {
      view.state = 'stalled';
      view.label = 'stalled';
      view.reason = `nothing arrived in ${recvSample ? `${dest.region} for ${(recvSample.last_seen_age_ms / 1000).toFixed(0)} s` : 'the destination'}`;
    } else if (fires('xdr_lag') || (ruleOn(t, 'xdr_lag') && ship.lag_ms > t.xdrLagMs)) {
      view.state = 'lagging';
      view.label = 'lagging';
    }
    return view;
  }

  /**
   * Samples kept per region in the page, per resolution: an hour of per-second
   * samples, and 24 h of per-minute ones. Two caps, so an hour of live
   * per-second samples does not push the 24 h window's minute samples out.
   */
  const HISTORY_CAPS = Object.freeze({ second: 3600, minute: 1440 });

  /** A region's history in the page: per-second and per-minute samples, each list oldest first. */
  function emptyHistory() {
    return { second: [], minute: [] };
  }

  /**
   * Adds a sample to the list of its resolution, at most `caps[resolution]`
   * kept (the oldest go). Returns false for a sample not newer than that list's
   * newest (overlapping history reads).
   */
  function addToHistory(history, sample, resolution, caps) {
    const list = history[resolution];
    const last = list[list.length - 1];
    if (last && sample.ts_ms <= last.ts_ms) return false;
    list.push(sample);
    const cap = (caps || HISTORY_CAPS)[resolution];
    if (list.length > cap) list.splice(0, list.length - cap);
    return true;
  }

  /** What the charts draw, oldest first: the minute samples older than the first per-second one, then the per-second ones. */
  function historySamples(history) {
    const firstSecondMs = history.second.length > 0 ? history.second[0].ts_ms : Infinity;
    const older = history.minute.filter((s) => s.ts_ms < firstSecondMs);
    return older.length === 0 ? history.second : older.concat(history.second);
  }

  /** The newest sample of either resolution. */
  function newestSample(history) {
    const a = history.second[history.second.length - 1];
    const b = history.minute[history.minute.length - 1];
    if (!a) return b || null;
    return b && b.ts_ms > a.ts_ms ? b : a;
  }

  /** A number with a unit, compact: 1.2 k, 3.4 M; '–' for none. */
  function human(v, unit, digits) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    const abs = Math.abs(v);
    // Counts stay whole ("2 objects"); fractions below 10 keep one decimal ("1.5 s").
    const d = digits === undefined ? (abs < 10 && !Number.isInteger(v) ? 1 : 0) : digits;
    const text = abs >= 1e6 ? `${(v / 1e6).toFixed(1)} M` : abs >= 1e4 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(d);
    return unit ? `${text} ${unit}` : text;
  }

  root.xdrSeries = { STALE_MS, THRESHOLDS_DEFAULT, HISTORY_CAPS, clock, withGaps, carryCounter, regionStatus, healthFlags, routeView, emptyHistory, addToHistory, historySamples, newestSample, human };
})(typeof window !== 'undefined' ? window : globalThis);
