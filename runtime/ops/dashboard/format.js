// Turning server values into text: workflow and step short names, times, durations, JSON and
// errors.
import { h } from '/dom.js';
import { FINAL_STATUSES } from '/run_status.js';

export function shortName(id) {
  if (typeof id !== 'string') return '';
  const cut = id.lastIndexOf('//');
  return cut < 0 ? id : id.slice(cut + 2);
}

export function parseTime(iso) {
  return typeof iso === 'string' ? Date.parse(iso) : NaN;
}

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

// Local time, as "2026-12-01 23:11:40" (with ".123" when withMs); the ISO original is the title.
export function formatTime(iso, withMs = false) {
  const t = parseTime(iso);
  if (Number.isNaN(t)) return '—';
  const d = new Date(t);
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
               `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMs ? `${text}.${pad(d.getMilliseconds(), 3)}` : text;
}

export function timeCell(iso, withMs = false) {
  return h('span', { title: iso || '' }, formatTime(iso, withMs));
}

export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor(s / 3600) % 24}h`;
}

// A run's duration: from its start (or creation) to its end, or to now while it is not final.
export function runDuration(run, now = Date.now()) {
  const start = parseTime(run.started_at || run.created_at);
  if (Number.isNaN(start)) return NaN;
  if (!FINAL_STATUSES.has(run.status)) return run.started_at ? now - start : NaN;
  const end = parseTime(run.completed_at || run.updated_at);
  return Number.isNaN(end) ? NaN : end - start;
}

// `emails #3` for a run waiting third in its queue (1 = next), `emails` once dequeued, — outside one.
export function queuePlace(run) {
  if (typeof run.queue !== 'string' || !run.queue) return '—';
  return Number.isInteger(run.position) ? `${run.queue} #${run.position}` : run.queue;
}

export function prettyJson(value) {
  if (value === undefined) return '—';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

export function errorText(error) {
  if (error == null) return '';
  if (typeof error === 'string') return error;
  if (typeof error.message === 'string') return error.message;
  return JSON.stringify(error);
}

// A run's error: its message, then the whole error object when it holds more than that.
export function describeError(error) {
  if (error && typeof error === 'object' && typeof error.message === 'string') {
    const rest = Object.keys(error).filter((key) => key !== 'message');
    return rest.length ? `${error.message}\n\n${prettyJson(error)}` : error.message;
  }
  return typeof error === 'string' ? error : prettyJson(error);
}
