// The wf serve dashboard: a hash-routed single-page app over the REST API in docs/rest-api.md.
// Plain ES2020, no dependencies, no build step, no external requests.
//
// Routes: `#/` is the runs list, `#/runs/<url-encoded id>` a run page. Each route is a view
// object with a dispose() that stops its polling and closes its EventSources, so leaving a page
// leaves nothing running. Every piece of server data reaches the DOM through textContent or
// createElement, never innerHTML.
'use strict';

const FINAL_STATUSES = new Set(['completed', 'failed', 'cancelled']);
const STATUSES = ['pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'];
const POLL_MS = 1000;
const TOKEN_KEY = 'workflow.dashboard.token';

// ---------------------------------------------------------------------------------------------
// DOM helpers

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'testid') el.setAttribute('data-testid', value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

// Builds an element; string children become text nodes, so they are never parsed as HTML.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// Sets text only when it changed, so live refreshes do not disturb selection or hover.
function setText(el, text) {
  const value = String(text);
  if (el.textContent !== value) el.textContent = value;
}

function statusBadge(status, testid) {
  return h('span', { class: `badge status-${cssToken(status)}`, testid }, status || '');
}

function updateBadge(el, status) {
  el.setAttribute('class', `badge status-${cssToken(status)}`);
  setText(el, status || '');
}

function cssToken(value) {
  return String(value || 'unknown').replace(/[^a-z0-9_-]/gi, '_');
}

// ---------------------------------------------------------------------------------------------
// Formatting

function shortName(id) {
  if (typeof id !== 'string') return '';
  const cut = id.lastIndexOf('//');
  return cut < 0 ? id : id.slice(cut + 2);
}

function parseTime(iso) {
  return typeof iso === 'string' ? Date.parse(iso) : NaN;
}

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

// Local time, as "2026-12-01 23:11:40" (with ".123" when withMs); the ISO original is the title.
function formatTime(iso, withMs = false) {
  const t = parseTime(iso);
  if (Number.isNaN(t)) return '—';
  const d = new Date(t);
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
               `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMs ? `${text}.${pad(d.getMilliseconds(), 3)}` : text;
}

function timeCell(iso, withMs = false) {
  return h('span', { title: iso || '' }, formatTime(iso, withMs));
}

function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor(s / 3600) % 24}h`;
}

// A run's duration: from its start (or creation) to its end, or to now while it is not final.
function runDuration(run, now = Date.now()) {
  const start = parseTime(run.started_at || run.created_at);
  if (Number.isNaN(start)) return NaN;
  if (!FINAL_STATUSES.has(run.status)) return run.started_at ? now - start : NaN;
  const end = parseTime(run.completed_at || run.updated_at);
  return Number.isNaN(end) ? NaN : end - start;
}

function prettyJson(value) {
  if (value === undefined) return '—';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

function errorText(error) {
  if (error == null) return '';
  if (typeof error === 'string') return error;
  if (typeof error.message === 'string') return error.message;
  return JSON.stringify(error);
}

// A run's error: its message, then the whole error object when it holds more than that.
function describeError(error) {
  if (error && typeof error === 'object' && typeof error.message === 'string') {
    const rest = Object.keys(error).filter((key) => key !== 'message');
    return rest.length ? `${error.message}\n\n${prettyJson(error)}` : error.message;
  }
  return typeof error === 'string' ? error : prettyJson(error);
}

function runHash(id) {
  return `#/runs/${encodeURIComponent(id)}`;
}

function runPath(id) {
  return `/api/runs/${encodeURIComponent(id)}`;
}

// ---------------------------------------------------------------------------------------------
// API access and the bearer token

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

function setToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the token then lasts until the page is left.
  }
  memoryToken = token;
  showTokenState();
}

let memoryToken = '';
function currentToken() {
  return getToken() || memoryToken;
}

// Sends one API request; resolves to the parsed JSON body or rejects with an ApiError whose
// message is the server's own (the `error.message` of the error body) when it sent one.
async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const token = currentToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', `cannot reach the server (${e.message})`);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const err = data && typeof data === 'object' ? data.error : null;
    const message = err && typeof err.message === 'string' && err.message
      ? err.message
      : `${method} ${path}: HTTP ${response.status} ${response.statusText}`.trim();
    if (response.status === 401) showAuth(message);
    throw new ApiError(response.status, (err && err.code) || 'http_error', message);
  }
  if (data === null || typeof data !== 'object') {
    throw new ApiError(response.status, 'bad_response', `${method} ${path}: the response is not a JSON object`);
  }
  return data;
}

function authShown() {
  return !document.getElementById('auth').hidden;
}

function showAuth(message) {
  const box = document.getElementById('auth');
  document.getElementById('auth-message').textContent =
    currentToken() ? `The token was refused: ${message}` : 'This server requires a bearer token.';
  if (box.hidden) {
    box.hidden = false;
    document.getElementById('auth-token').focus();
  }
}

function showTokenState() {
  document.getElementById('token-state').hidden = !currentToken();
}

function setUpAuth() {
  document.getElementById('auth-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = document.getElementById('auth-token');
    const token = input.value.trim();
    if (!token) return;
    setToken(token);
    input.value = '';
    document.getElementById('auth').hidden = true;
    route();
  });
  document.getElementById('token-forget').addEventListener('click', () => {
    setToken('');
    route();
  });
  showTokenState();
}

// ---------------------------------------------------------------------------------------------
// Polling: calls `tick` every `ms` after the previous call settled, never two at once, and not
// while the tab is hidden or the token form is open. `tick` resolving to false stops it.

class Poller {
  constructor(tick, ms) {
    this.tick = tick;
    this.ms = ms;
    this.timer = null;
    this.busy = false;
    this.again = false;
    this.stopped = true;
    this.onVisibility = () => {
      if (!document.hidden && !this.stopped && !this.busy && !this.timer) this.now();
    };
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  start() {
    this.stopped = false;
    this.now();
  }

  // Runs a tick now (or right after the one in flight, whose answer may predate a change).
  now() {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = null;
    this.busy = true;
    Promise.resolve()
      .then(() => this.tick())
      .then((more) => { if (more === false) this.stopped = true; },
            (e) => console.error(e))
      .finally(() => {
        this.busy = false;
        if (this.again) {
          this.again = false;
          this.stopped = false;
          this.now();
        } else {
          this.schedule();
        }
      });
  }

  schedule() {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (document.hidden) return; // onVisibility resumes it
      if (authShown()) this.schedule();
      else this.now();
    }, this.ms);
  }

  dispose() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = null;
    document.removeEventListener('visibilitychange', this.onVisibility);
  }
}

function errorBox() {
  return h('div', { class: 'error', testid: 'error', role: 'alert', hidden: true });
}

function showError(el, message) {
  setText(el, message);
  el.hidden = !message;
}

// ---------------------------------------------------------------------------------------------
// Runs list (`#/`)

// Kept across views, so coming back from a run page shows the same filters and page.
const listState = { status: '', workflow: '', since: '', cursor: null, previous: [] };

class RunsView {
  constructor(root) {
    document.title = 'Runs · workflow';
    this.disposed = false;
    this.rows = new Map(); // run id -> {tr, cells}
    this.nextCursor = null;

    this.error = errorBox();
    this.statusSelect = h('select', { id: 'filter-status', testid: 'filter-status',
                                      onchange: () => this.applyFilters() },
      h('option', { value: '' }, 'any'),
      STATUSES.map((status) => h('option', { value: status }, status)));
    this.statusSelect.value = listState.status;
    this.workflowSelect = h('select', { id: 'filter-workflow', testid: 'filter-workflow',
                                        onchange: () => this.applyFilters() },
      h('option', { value: '' }, 'any'));
    this.addWorkflowOption(listState.workflow);
    this.workflowSelect.value = listState.workflow;
    this.sinceInput = h('input', { id: 'filter-since', testid: 'filter-since', type: 'text',
                                   size: 10, placeholder: 'e.g. 15m', spellcheck: 'false',
                                   title: 'an ISO 8601 time, or a duration back from now: 30s, 15m, 2h, 7d',
                                   onchange: () => this.applyFilters() });
    this.sinceInput.value = listState.since;
    this.updated = h('span', { class: 'notice' });

    const filters = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); this.applyFilters(); } },
      h('label', { for: 'filter-status' }, 'Status', this.statusSelect),
      h('label', { for: 'filter-workflow' }, 'Workflow', this.workflowSelect),
      h('label', { for: 'filter-since' }, 'Since', this.sinceInput),
      h('span', { class: 'spacer' }),
      this.updated);

    this.tbody = h('tbody');
    this.empty = h('div', { class: 'empty', hidden: true }, 'No runs match.');
    this.newestButton = h('button', { type: 'button', onclick: () => this.page(null, []) }, 'Newest');
    this.newerButton = h('button', { type: 'button', onclick: () => this.newer() }, 'Newer');
    this.olderButton = h('button', { type: 'button', testid: 'older', onclick: () => this.older() }, 'Older');
    this.pageInfo = h('span', { class: 'notice' });

    root.append(
      h('section', { class: 'panel' }, filters),
      this.error,
      h('section', { class: 'panel' },
        h('table', { class: 'runs-table', testid: 'runs-table' },
          h('thead', null, h('tr', null,
            h('th', null, 'Run'), h('th', null, 'Workflow'), h('th', null, 'Status'),
            h('th', null, 'Created'), h('th', null, 'Duration'))),
          this.tbody),
        this.empty,
        h('div', { class: 'pager' }, this.pageInfo, h('span', { class: 'spacer' }),
          this.newestButton, this.newerButton, this.olderButton)));

    this.updatePager(0);
    this.loadWorkflows();
    this.poller = new Poller(() => this.refresh(), POLL_MS);
    this.poller.start();
  }

  dispose() {
    this.disposed = true;
    this.poller.dispose();
  }

  addWorkflowOption(id) {
    if (!id || [...this.workflowSelect.options].some((o) => o.value === id)) return;
    this.workflowSelect.append(h('option', { value: id, title: id }, shortName(id)));
  }

  async loadWorkflows() {
    try {
      const data = await api('GET', '/api/workflows');
      if (this.disposed) return;
      const ids = [...new Set((data.workflows || []).map((w) => w && w.id).filter(Boolean))];
      ids.sort((a, b) => shortName(a).localeCompare(shortName(b)));
      for (const id of ids) this.addWorkflowOption(id);
      this.workflowSelect.value = listState.workflow;
    } catch (e) {
      if (!this.disposed) showError(this.error, `Cannot list workflows: ${e.message}`);
    }
  }

  applyFilters() {
    listState.status = this.statusSelect.value;
    listState.workflow = this.workflowSelect.value;
    listState.since = this.sinceInput.value.trim();
    this.page(null, []);
  }

  page(cursor, previous) {
    listState.cursor = cursor;
    listState.previous = previous;
    this.poller.start();
  }

  older() {
    if (this.nextCursor) this.page(this.nextCursor, [...listState.previous, listState.cursor]);
  }

  newer() {
    const previous = [...listState.previous];
    const cursor = previous.length ? previous.pop() : null;
    this.page(cursor, previous);
  }

  async refresh() {
    const query = new URLSearchParams();
    if (listState.status) query.set('status', listState.status);
    if (listState.workflow) query.set('workflow', listState.workflow);
    if (listState.since) query.set('since', listState.since);
    if (listState.cursor) query.set('cursor', listState.cursor);
    const qs = query.toString();
    try {
      const data = await api('GET', `/api/runs${qs ? `?${qs}` : ''}`);
      if (this.disposed) return false;
      this.nextCursor = data.next_cursor || null;
      const runs = Array.isArray(data.runs) ? data.runs : [];
      this.renderRows(runs);
      this.updatePager(runs.length);
      showError(this.error, '');
      setText(this.updated, `live · updated ${formatTime(new Date().toISOString()).slice(11)}`);
    } catch (e) {
      if (this.disposed) return false;
      showError(this.error, e.message);
      setText(this.updated, 'not updating');
    }
    return true;
  }

  updatePager(count) {
    const first = !listState.cursor;
    this.newestButton.disabled = first;
    this.newerButton.disabled = first;
    this.olderButton.disabled = !this.nextCursor;
    const pageNo = listState.previous.length + 1;
    setText(this.pageInfo, `page ${pageNo} · ${count} run${count === 1 ? '' : 's'}`);
  }

  // Updates rows in place, keyed by run id: replacing them every second would swallow clicks.
  renderRows(runs) {
    const seen = new Set();
    let previous = null;
    for (const run of runs) {
      if (!run || typeof run.id !== 'string' || seen.has(run.id)) continue;
      seen.add(run.id);
      let row = this.rows.get(run.id);
      if (!row) {
        row = this.makeRow(run.id);
        this.rows.set(run.id, row);
      }
      this.updateRow(row, run);
      const wanted = previous ? previous.tr.nextSibling : this.tbody.firstChild;
      if (wanted !== row.tr) this.tbody.insertBefore(row.tr, wanted);
      previous = row;
    }
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) {
        row.tr.remove();
        this.rows.delete(id);
      }
    }
    this.empty.hidden = seen.size > 0;
  }

  makeRow(id) {
    const open = () => { location.hash = runHash(id); };
    const cells = {
      workflow: h('td'),
      status: statusBadge(''),
      created: h('td', { class: 'num' }),
      duration: h('td', { class: 'num' }),
    };
    const tr = h('tr', { testid: 'run-row', 'data-run-id': id, tabindex: 0, onclick: open,
                         onkeydown: (e) => { if (e.key === 'Enter') open(); } },
      h('td', { class: 'id' }, h('a', { href: runHash(id) }, id)),
      cells.workflow,
      h('td', null, cells.status),
      cells.created,
      cells.duration);
    return { tr, cells };
  }

  updateRow(row, run) {
    const { cells } = row;
    setText(cells.workflow, shortName(run.workflow));
    if (cells.workflow.title !== (run.workflow || '')) cells.workflow.title = run.workflow || '';
    updateBadge(cells.status, run.status);
    setText(cells.created, formatTime(run.created_at));
    if (cells.created.title !== (run.created_at || '')) cells.created.title = run.created_at || '';
    setText(cells.duration, formatDuration(runDuration(run)));
  }
}

// ---------------------------------------------------------------------------------------------
// Step timeline: an SVG Gantt chart, one row per timeline entry, one bar per attempt, placed
// relative to the run's created_at.

const OUTCOMES = new Set(['completed', 'retrying', 'failed', 'waiting']);

// The bars of one timeline entry. Entries without attempts (sleeps, events, children) get one
// bar from their own started_at/ended_at; an open bar (no ended_at yet) is drawn to `end`.
function entryBars(entry, end) {
  const attempts = Array.isArray(entry.attempts) && entry.attempts.length
    ? entry.attempts
    : (entry.started_at ? [{ attempt: null, started_at: entry.started_at, ended_at: entry.ended_at,
                             outcome: entry.status, error: entry.error }] : []);
  const bars = [];
  for (const attempt of attempts) {
    if (!attempt) continue;
    const start = parseTime(attempt.started_at);
    if (Number.isNaN(start)) continue;
    let stop = parseTime(attempt.ended_at);
    const open = Number.isNaN(stop);
    if (open) stop = Math.max(start, end);
    let outcome = open ? 'waiting' : (attempt.outcome || entry.status);
    if (!OUTCOMES.has(outcome)) outcome = 'other';
    bars.push({ start, stop, open, outcome, attempt: attempt.attempt, error: errorText(attempt.error) });
  }
  return bars;
}

function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function tickLabel(ms, step) {
  if (ms === 0) return '0';
  if (step < 1000) return `${ms} ms`;
  if (step < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  return `${+(ms / 60_000).toFixed(1)} min`;
}

function renderTimeline(run, width, now = Date.now()) {
  const entries = Array.isArray(run.timeline) ? run.timeline.filter(Boolean) : [];
  if (!entries.length) {
    return h('p', { class: 'muted' }, 'Nothing journaled yet (a step appears once an attempt has ended).');
  }
  const final = FINAL_STATUSES.has(run.status);
  const runEnd = final ? parseTime(run.completed_at || run.updated_at) : now;
  const openEnd = Number.isNaN(runEnd) ? now : runEnd;
  const rows = entries.map((entry) => ({ entry, bars: entryBars(entry, openEnd) }));

  let origin = parseTime(run.created_at);
  const starts = rows.flatMap((r) => r.bars.map((b) => b.start));
  if (Number.isNaN(origin)) origin = starts.length ? Math.min(...starts) : now;
  let span = Math.max(1, ...rows.flatMap((r) => r.bars.map((b) => b.stop - origin)));
  if (!final) span = Math.max(span, now - origin);

  const labelWidth = Math.min(300, Math.max(160, Math.round(width * 0.28)));
  const plotWidth = Math.max(200, width - labelWidth - 24);
  const rowHeight = 26;
  const axisHeight = 26;
  const height = axisHeight + rows.length * rowHeight + 6;
  const x = (t) => labelWidth + Math.max(0, Math.min(1, (t - origin) / span)) * plotWidth;

  const chart = svg('svg', { width: labelWidth + plotWidth + 24, height, role: 'img',
                             'aria-label': 'step timeline', testid: 'timeline' });

  // Axis and grid.
  const step = niceStep(span / 6);
  chart.append(svg('line', { class: 'tl-axis-line', x1: labelWidth, x2: labelWidth + plotWidth,
                             y1: axisHeight - 4, y2: axisHeight - 4 }));
  for (let t = 0; t <= span + 1e-9; t += step) {
    const tx = labelWidth + (t / span) * plotWidth;
    chart.append(
      svg('line', { class: 'tl-grid', x1: tx, x2: tx, y1: axisHeight - 4, y2: height }),
      svg('text', { class: 'tl-tick', x: tx, y: axisHeight - 10, 'text-anchor': t === 0 ? 'start' : 'middle' },
        tickLabel(Math.round(t), step)));
  }

  rows.forEach(({ entry, bars }, i) => {
    const top = axisHeight + i * rowHeight;
    if (i % 2 === 0) {
      chart.append(svg('rect', { class: 'tl-row-bg', x: 0, y: top, width: labelWidth + plotWidth + 24,
                                 height: rowHeight }));
    }
    const label = `${entry.correlation_id || '?'} ${shortName(entry.name)}`;
    const maxChars = Math.floor((labelWidth - 12) / 7.3);
    const shown = label.length > maxChars ? `${label.slice(0, maxChars - 1)}…` : label;
    const text = svg('text', { class: 'tl-label', x: 6, y: top + rowHeight / 2 + 4 },
      svg('title', null, `${label}\n${entry.kind || ''} · ${entry.status || ''}` +
                         (entry.child_run_id ? `\nchild run ${entry.child_run_id}` : '')),
      shown);
    if (entry.child_run_id) {
      text.setAttribute('class', 'tl-label tl-label-link');
      chart.append(svg('a', { href: runHash(entry.child_run_id) }, text));
    } else {
      chart.append(text);
    }
    for (const bar of bars) {
      const x1 = x(bar.start);
      const barWidth = Math.max(2, x(bar.stop) - x1);
      const duration = bar.stop - bar.start;
      const tip = [
        label,
        bar.attempt != null ? `attempt ${bar.attempt} · ${bar.outcome}` : bar.outcome,
        `${Number(duration.toFixed(3))} ms${bar.open ? ' so far' : ''}`,
        bar.error ? `error: ${bar.error}` : '',
      ].filter(Boolean).join('\n');
      chart.append(svg('rect', { class: `tl-bar outcome-${bar.outcome}`, testid: 'timeline-bar',
                                 x: x1, y: top + 6, width: barWidth, height: rowHeight - 12, rx: 2,
                                 'data-outcome': bar.outcome },
        svg('title', null, tip)));
    }
  });

  return h('div', null, chart,
    h('div', { class: 'legend' },
      h('span', { class: 'l-completed' }, 'completed'), h('span', { class: 'l-retrying' }, 'retrying'),
      h('span', { class: 'l-failed' }, 'failed'), h('span', { class: 'l-waiting' }, 'waiting')));
}

// ---------------------------------------------------------------------------------------------
// Stream panels: each tails /api/runs/<id>/streams/<namespace> over server-sent events.

class StreamPanel {
  constructor(runId, namespace) {
    this.runId = runId;
    this.namespace = namespace;
    this.next = 0;
    this.count = 0;
    this.source = null;
    this.state = h('span', { class: 'stream-state' }, 'connecting…');
    this.info = h('span', { class: 'notice' });
    this.lines = h('div', { class: 'stream-lines' });
    this.el = h('section', { class: 'stream', testid: 'stream', 'data-namespace': namespace },
      h('div', { class: 'stream-head' }, h('h3', { class: 'mono' }, namespace), this.info,
        h('span', { class: 'spacer' }), this.state),
      this.lines);
    this.open();
  }

  open() {
    const query = new URLSearchParams({ start_index: '0' });
    // EventSource cannot send an Authorization header, so when a token is set it travels as the
    // access_token query parameter instead; the server accepts that on the stream endpoint only.
    const token = currentToken();
    if (token) query.set('access_token', token);
    const url = `${runPath(this.runId)}/streams/${encodeURIComponent(this.namespace)}?${query}`;
    const source = new EventSource(url);
    this.source = source;
    source.onopen = () => this.setState('live', 'live');
    source.onmessage = (event) => this.append(event);
    source.addEventListener('end', () => {
      this.close();
      this.setState('ended', '');
    });
    // The browser reconnects by itself (sending Last-Event-ID) unless the answer was not an
    // event stream at all (401, 404, ...), which leaves the source closed.
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) this.setState('disconnected', '');
      else this.setState('reconnecting…', '');
    };
  }

  setState(text, cls) {
    setText(this.state, text);
    this.state.setAttribute('class', `stream-state ${cls}`);
  }

  append(event) {
    const index = event.lastEventId === '' ? NaN : Number(event.lastEventId);
    if (Number.isInteger(index)) {
      if (index < this.next) return; // already shown before a reconnect
      this.next = index + 1;
    }
    let text;
    try {
      const value = JSON.parse(event.data);
      text = typeof value === 'string' ? value : JSON.stringify(value);
    } catch {
      text = event.data;
    }
    const box = this.lines;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 24;
    box.append(h('div', { class: 'stream-line', testid: 'stream-line' }, text));
    if (atBottom) box.scrollTop = box.scrollHeight;
    this.count += 1;
    this.showInfo();
  }

  update(stream) {
    this.length = stream.length;
    this.closed = stream.closed;
    this.showInfo();
  }

  showInfo() {
    const total = Number.isFinite(this.length) ? ` of ${this.length}` : '';
    setText(this.info, `${this.count}${total} chunk${this.count === 1 && !total ? '' : 's'}` +
                       (this.closed ? ' · closed' : ''));
  }

  close() {
    if (this.source) this.source.close();
    this.source = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Run page (`#/runs/<id>`)

const ACTIONS = [
  // [action, label, enabled(run)]
  ['cancel', 'Cancel', (run) => !FINAL_STATUSES.has(run.status)],
  ['pause', 'Pause', (run) => !FINAL_STATUSES.has(run.status) && run.status !== 'paused'],
  ['resume', 'Resume', (run) => run.status === 'paused'],
  ['restart', 'Restart', () => true],
  ['wake-up', 'Wake up', (run) => !FINAL_STATUSES.has(run.status)],
];

class RunView {
  constructor(root, id) {
    this.id = id;
    this.run = null;
    this.disposed = false;
    this.busy = false;
    this.finalRefreshes = 0;
    this.errorFromRefresh = false; // the error box shows a refresh failure (not an action's)
    this.streams = new Map(); // namespace -> StreamPanel
    this.rendered = {}; // section -> signature of what it shows, to skip identical redraws
    document.title = `${id} · workflow`;

    this.status = statusBadge('', 'run-status');
    this.workflow = h('div', { class: 'workflow-name' });
    this.meta = h('dl', { class: 'meta' });
    this.error = errorBox();
    this.notice = h('span', { class: 'notice', testid: 'notice' });
    this.buttons = {};
    for (const [action, label] of ACTIONS) {
      this.buttons[action] = h('button', {
        type: 'button', testid: `action-${action}`, disabled: true,
        class: action === 'cancel' ? 'danger' : null,
        onclick: () => this.act(action),
      }, label);
    }
    this.timeline = h('div', { class: 'timeline' }, h('p', { class: 'muted' }, 'Loading…'));
    this.input = h('pre', { class: 'json', testid: 'run-input' });
    this.resultTitle = h('h2', null, 'Result');
    this.result = h('pre', { class: 'json', testid: 'run-result' });
    this.events = h('div', { class: 'table-scroll' });
    this.streamsBox = h('div', { class: 'streams' });
    this.noStreams = h('p', { class: 'muted' }, 'This run has no streams.');

    root.append(
      h('a', { class: 'back', href: '#/' }, '← Runs'),
      h('section', { class: 'panel' },
        h('div', { class: 'run-head' }, h('h1', { testid: 'run-id' }, id), this.status),
        this.workflow,
        this.meta,
        h('div', { class: 'actions' }, Object.values(this.buttons), this.notice),
        this.error),
      h('section', { class: 'panel' }, h('h2', null, 'Timeline'), this.timeline),
      h('div', { class: 'columns' },
        h('section', { class: 'panel' }, h('h2', null, 'Arguments'), this.input),
        h('section', { class: 'panel' }, this.resultTitle, this.result)),
      h('section', { class: 'panel' }, h('h2', null, 'Streams'), this.noStreams, this.streamsBox),
      h('section', { class: 'panel' }, h('h2', null, 'Events'), this.events));

    this.poller = new Poller(() => this.refresh(), POLL_MS);
    this.poller.start();
  }

  dispose() {
    this.disposed = true;
    this.poller.dispose();
    this.closeStreams();
  }

  closeStreams() {
    for (const panel of this.streams.values()) {
      panel.close();
      panel.el.remove();
    }
    this.streams.clear();
  }

  // Fetches the run (and its events); keeps going every second while the run is not final and
  // once more after it became final.
  async refresh() {
    let run;
    try {
      [run] = await Promise.all([api('GET', runPath(this.id)), this.refreshEvents()]);
    } catch (e) {
      if (this.disposed) return false;
      showError(this.error, e.message);
      this.errorFromRefresh = true;
      return e.status !== 404;
    }
    if (this.disposed) return false;
    if (this.errorFromRefresh) showError(this.error, '');
    this.errorFromRefresh = false;
    this.show(run);
    if (!FINAL_STATUSES.has(run.status)) {
      this.finalRefreshes = 0;
      return true;
    }
    this.finalRefreshes += 1;
    return this.finalRefreshes < 2;
  }

  async refreshEvents() {
    let data;
    try {
      data = await api('GET', `${runPath(this.id)}/events`);
    } catch (e) {
      if (!this.disposed) this.events.replaceChildren(h('p', { class: 'error' }, `Cannot load events: ${e.message}`));
      this.rendered.events = null;
      return;
    }
    if (this.disposed) return;
    const events = Array.isArray(data.events) ? data.events : [];
    const signature = JSON.stringify(events);
    if (signature === this.rendered.events) return;
    this.rendered.events = signature;
    this.events.replaceChildren(renderEvents(events));
  }

  // Shows a RunSummary (from a control response) or a full run.
  show(run) {
    this.run = { ...(this.run || {}), ...run };
    run = this.run;
    updateBadge(this.status, run.status);
    document.title = `${run.status} · ${shortName(run.workflow)} · workflow`;
    this.updateButtons();

    this.showOnce('workflow', run.workflow, () => this.workflow.replaceChildren(
      h('strong', null, shortName(run.workflow)), h('span', { class: 'mono' }, run.workflow || '')));
    const meta = [
      ['Created', timeCell(run.created_at, true)],
      ['Started', timeCell(run.started_at, true)],
      ['Completed', timeCell(run.completed_at, true)],
      ['Updated', timeCell(run.updated_at, true)],
      ['Duration', formatDuration(runDuration(run))],
      ['Deployment', h('span', { class: 'mono' }, run.deployment_id || '—')],
    ];
    if (run.parent_run_id) {
      meta.push(['Parent run', h('a', { class: 'mono', href: runHash(run.parent_run_id) }, run.parent_run_id)]);
    }
    this.showOnce('meta', meta.map(([k, v]) => [k, v.textContent ?? v]), () => this.meta.replaceChildren(
      ...meta.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v)))));

    if ('timeline' in run) {
      // Open bars grow until the run is final, so a live run is redrawn each time.
      const width = Math.max(560, this.timeline.clientWidth || 900);
      const live = !FINAL_STATUSES.has(run.status);
      this.showOnce('timeline', [run.timeline, run.status, width, live ? Date.now() : 0],
        () => this.timeline.replaceChildren(renderTimeline(run, width)));
    }
    if ('input' in run) {
      this.showOnce('input', run.input, () => setText(this.input, prettyJson(run.input)));
    }
    this.showResult(run);
    if (Array.isArray(run.streams)) this.syncStreams(run.streams);
  }

  showOnce(key, value, draw) {
    const signature = JSON.stringify(value) ?? 'undefined';
    if (this.rendered[key] === signature) return;
    this.rendered[key] = signature;
    draw();
  }

  showResult(run) {
    let title = 'Result';
    let text;
    let failed = false;
    if (run.status === 'failed' || (run.error != null && run.status !== 'completed')) {
      title = 'Error';
      failed = true;
      text = run.error != null ? describeError(run.error) : 'The run failed (no error recorded).';
    } else if (run.status === 'completed' && 'output' in run) {
      text = prettyJson(run.output);
    } else {
      text = FINAL_STATUSES.has(run.status) ? `No result: the run is ${run.status}.` : 'No result yet.';
    }
    setText(this.resultTitle, title);
    setText(this.result, text);
    this.result.setAttribute('class', failed ? 'json failed' : 'json');
    this.result.setAttribute('data-testid', failed ? 'run-error' : 'run-result');
  }

  syncStreams(streams) {
    for (const stream of streams) {
      if (!stream || typeof stream.namespace !== 'string') continue;
      let panel = this.streams.get(stream.namespace);
      if (!panel) {
        panel = new StreamPanel(this.id, stream.namespace);
        this.streams.set(stream.namespace, panel);
        this.streamsBox.append(panel.el);
      }
      panel.update(stream);
    }
    this.noStreams.hidden = this.streams.size > 0;
  }

  updateButtons() {
    for (const [action, , enabled] of ACTIONS) {
      this.buttons[action].disabled = this.busy || !this.run || !enabled(this.run);
    }
  }

  async act(action) {
    if (this.busy) return;
    this.busy = true;
    this.updateButtons();
    showError(this.error, '');
    setText(this.notice, `${action}…`);
    try {
      const response = await api('POST', `${runPath(this.id)}/${action}`);
      if (this.disposed) return;
      const run = response.run;
      if (run && typeof run.id === 'string' && run.id !== this.id) {
        location.hash = runHash(run.id); // a restart that made a new run: follow it
        return;
      }
      if (action === 'restart') {
        this.closeStreams(); // a restarted run writes its streams anew
        this.rendered = {};
      }
      setText(this.notice, action === 'wake-up'
        ? `woke ${response.woken ?? 0} wait${response.woken === 1 ? '' : 's'}`
        : `${action}: done`);
      if (run) this.show(run);
    } catch (e) {
      if (this.disposed) return;
      setText(this.notice, '');
      showError(this.error, e.message);
    } finally {
      if (!this.disposed) {
        this.busy = false;
        this.updateButtons();
        this.finalRefreshes = 0;
        this.poller.start();
      }
    }
  }
}

function renderEvents(events) {
  if (!events.length) return h('p', { class: 'muted' }, 'No events.');
  return h('table', { class: 'events-table', testid: 'events' },
    h('thead', null, h('tr', null,
      h('th', null, '#'), h('th', null, 'Type'), h('th', null, 'Correlation'), h('th', null, 'Step'),
      h('th', null, 'Created'), h('th', null, 'Data'))),
    h('tbody', null, events.filter(Boolean).map((event) => h('tr', { testid: 'event-row' },
      h('td', { class: 'mono' }, event.id ?? ''),
      h('td', null, event.type || ''),
      h('td', { class: 'mono' }, event.correlation_id || ''),
      h('td', { class: 'mono', title: event.step_name || '' }, shortName(event.step_name)),
      h('td', { class: 'mono time' }, timeCell(event.created_at, true)),
      h('td', null, eventData(event.data))))));
}

function eventData(data) {
  if (data === undefined || data === null) return '';
  const compact = JSON.stringify(data);
  if (compact.length <= 80) return h('code', null, compact);
  return h('details', null, h('summary', null, `${compact.slice(0, 77)}…`),
    h('pre', { class: 'json' }, prettyJson(data)));
}

// ---------------------------------------------------------------------------------------------
// Router

let currentView = null;

function route() {
  if (currentView) currentView.dispose();
  currentView = null;
  const root = document.getElementById('app');
  root.replaceChildren();
  const match = /^#\/runs\/([^?#]+)/.exec(location.hash);
  if (match) {
    let id = match[1];
    try {
      id = decodeURIComponent(id);
    } catch {
      // Not valid percent-encoding: take it as it is.
    }
    currentView = new RunView(root, id);
  } else {
    currentView = new RunsView(root);
  }
}

function start() {
  memoryToken = getToken();
  setUpAuth();
  window.addEventListener('hashchange', route);
  route();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
