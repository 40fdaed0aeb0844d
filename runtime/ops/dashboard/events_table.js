// The run page's events table: one row per journal event, long data folded into <details>.
import { h } from '/dom.js';
import { prettyJson, shortName, timeCell } from '/format.js';

export function renderEvents(events) {
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
