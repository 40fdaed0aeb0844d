// The step timeline: an SVG Gantt chart, one row per timeline entry, one bar per attempt, placed
// relative to the run's created_at.
import { h, svg } from '/dom.js';
import { errorText, parseTime, shortName } from '/format.js';
import { runHash } from '/routes.js';
import { FINAL_STATUSES } from '/run_status.js';

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
    bars.push({ start, stop, open, outcome, attempt: attempt.attempt, error: errorText(attempt.error),
                abandoned: attempt.abandoned === true });
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

export function renderTimeline(run, width, now = Date.now()) {
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
        bar.abandoned ? 'abandoned: still running after its timeout and stop grace' : '',
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
