// The console's topology at a glance: every region a box, every route an
// arrow between them coloured by its state, with its lag, backlog,
// throughput and end-to-end p99 written on it. Boxes and arrows are buttons:
// a click or Enter opens the region's details. Plain browser JavaScript (window.xdrTopology).
'use strict';

(function (root) {
  const SVG = 'http://www.w3.org/2000/svg';
  const BOX_W = 230;
  const BOX_H = 84;
  const LANE_H = 46;

  function node(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function button(g, label, onActivate) {
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', label);
    g.addEventListener('click', onActivate);
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onActivate();
      }
    });
  }

  /**
   * Draws into `container`: `regions` [{name, status: {up, text}, figures}],
   * `routes` [{route, source, dest, view}] (view from xdrSeries.routeView).
   */
  function draw(container, regions, routes, onOpen) {
    const width = Math.max(640, container.clientWidth || 1000);
    // Routes of one direction between two regions stack outwards, one lane each.
    const lanes = new Map();
    let lanesMax = 1;
    for (const r of routes) {
      const key = `${r.source}\u0000${r.dest}`;
      r.lane = lanes.get(key) || 0;
      lanes.set(key, r.lane + 1);
      lanesMax = Math.max(lanesMax, r.lane + 1);
    }
    const HEIGHT = Math.max(BOX_H + 60, 2 * (28 + lanesMax * LANE_H));
    const svg = node('svg', { viewBox: `0 0 ${width} ${HEIGHT}`, width: '100%', height: HEIGHT, role: 'group', 'aria-label': 'Regions and the routes between them' });
    const defs = node('defs');
    for (const s of ['running', 'paused', 'lagging', 'stalled', 'erroring']) {
      const m = node('marker', { id: `arrow-${s}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
      m.appendChild(node('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: `arrowhead state-${s}` }));
      defs.appendChild(m);
    }
    svg.appendChild(defs);
    const n = regions.length;
    const cy = HEIGHT / 2;
    const pos = new Map();
    regions.forEach((r, i) => {
      const cx = n === 1 ? width / 2 : BOX_W / 2 + 20 + (i * (width - BOX_W - 40)) / (n - 1);
      pos.set(r.name, { cx, cy });
    });
    // Arrows first, boxes over their ends.
    for (const r of routes) {
      const a = pos.get(r.source);
      const b = pos.get(r.dest);
      if (!a || !b) continue;
      const dir = Math.sign(b.cx - a.cx) || 1;
      // Each direction of a pair on its own side: source left of destination above the middle, the return below.
      const y = cy + (dir > 0 ? -1 : 1) * (22 + r.lane * LANE_H);
      const x1 = a.cx + dir * (BOX_W / 2 + 4);
      const x2 = b.cx - dir * (BOX_W / 2 + 4);
      const v = r.view;
      const g = node('g', { class: `route state-${v.state}`, 'data-route': r.route, 'data-state': v.state, 'data-testid': `route-${r.route}` });
      g.appendChild(node('line', { x1, y1: y, x2, y2: y, class: 'route-line', 'marker-end': `url(#arrow-${v.state})` }));
      const mid = (x1 + x2) / 2;
      const figures = v.lagS === null ? v.reason : `lag ${xdrSeries.human(v.lagS, 's')} · ${xdrSeries.human(v.inQueue, 'rec')} · ${xdrSeries.human(v.throughput, 'rec/s')} · e2e p99 ${xdrSeries.human(v.p99Ms, 'ms')}`;
      const ty = dir > 0 ? y - 22 : y + 16;
      g.appendChild(node('text', { x: mid, y: ty, class: 'route-name', 'text-anchor': 'middle' }, `${r.route}: ${v.label}`));
      g.appendChild(node('text', { x: mid, y: ty + 14, class: 'route-figures', 'text-anchor': 'middle', 'data-testid': `route-figures-${r.route}` }, figures));
      g.appendChild(node('title', {}, `${r.route} (${r.source} → ${r.dest}): ${v.label}${v.reason ? ` — ${v.reason}` : ''}`));
      button(g, `route ${r.route} from ${r.source} to ${r.dest}: ${v.label}. ${figures}. Open details`, () => onOpen(r.source));
      svg.appendChild(g);
    }
    for (const r of regions) {
      const p = pos.get(r.name);
      const g = node('g', { class: `region-box ${r.status.up ? 'up' : 'down'}`, 'data-region': r.name, 'data-testid': `region-box-${r.name}` });
      g.appendChild(node('rect', { x: p.cx - BOX_W / 2, y: p.cy - BOX_H / 2, width: BOX_W, height: BOX_H, rx: 8 }));
      g.appendChild(node('text', { x: p.cx, y: p.cy - 18, class: 'region-name', 'text-anchor': 'middle' }, r.name));
      g.appendChild(node('text', { x: p.cx, y: p.cy + 2, class: 'region-status', 'text-anchor': 'middle', 'data-testid': `region-status-${r.name}` }, r.status.up ? r.figures : r.status.text));
      g.appendChild(node('text', { x: p.cx, y: p.cy + 20, class: 'region-alerts', 'text-anchor': 'middle' }, r.alertsText));
      button(g, `region ${r.name}: ${r.status.text}. ${r.alertsText}. Open details`, () => onOpen(r.name));
      svg.appendChild(g);
    }
    // A redraw must not take the keyboard focus away: focus the same box or arrow again.
    const focused = container.contains(document.activeElement) ? document.activeElement : null;
    const key = focused ? (focused.getAttribute('data-route') ? `[data-route="${focused.getAttribute('data-route')}"]` : `[data-region="${focused.getAttribute('data-region')}"]`) : null;
    container.replaceChildren(svg);
    if (key) svg.querySelector(key)?.focus();
  }

  root.xdrTopology = { draw };
})(window);
