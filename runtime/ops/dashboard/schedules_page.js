// The schedules page (`#/schedules`): every schedule with its state, expression, next fire time,
// last run (linked to its run page) and skipped ticks, live, with pause/resume/trigger buttons.
import { api } from '/api.js';
import { errorBox, h, setText, showError } from '/dom.js';
import { errorText, formatTime, shortName } from '/format.js';
import { POLL_MS, Poller } from '/poller.js';
import { runHash } from '/routes.js';

export function schedulePath(name) {
  return `/api/schedules/${encodeURIComponent(name)}`;
}

export class SchedulesView {
  constructor(root) {
    document.title = 'Schedules · workflow';
    this.disposed = false;
    this.rows = new Map(); // schedule name -> {tr, cells}
    this.error = errorBox();
    this.tbody = h('tbody');
    this.empty = h('div', { class: 'empty', hidden: true },
      'No schedules. Declare one in code (workflow::schedule) or with wf schedules create.');
    root.append(
      this.error,
      h('section', { class: 'panel' },
        h('table', { class: 'runs-table', testid: 'schedules-table' },
          h('thead', null, h('tr', null,
            h('th', null, 'Schedule'), h('th', null, 'State'), h('th', null, 'When'),
            h('th', null, 'Next fire'), h('th', null, 'Last run'), h('th', null, 'Skipped'),
            h('th', null, 'Workflow'), h('th', null, ''))),
          this.tbody),
        this.empty));
    this.poller = new Poller(() => this.refresh(), POLL_MS);
    this.poller.start();
  }

  dispose() {
    this.disposed = true;
    this.poller.dispose();
  }

  async refresh() {
    let list;
    try {
      list = await api('GET', '/api/schedules');
    } catch (e) {
      if (!this.disposed) showError(this.error, errorText(e));
      return;
    }
    if (this.disposed) return;
    showError(this.error, '');
    const seen = new Set();
    for (const schedule of list.schedules) {
      seen.add(schedule.name);
      this.render(schedule);
    }
    for (const [name, row] of this.rows) {
      if (!seen.has(name)) {
        row.tr.remove();
        this.rows.delete(name);
      }
    }
    this.empty.hidden = list.schedules.length > 0;
  }

  render(schedule) {
    let row = this.rows.get(schedule.name);
    if (!row) {
      const cells = {
        state: h('span', { testid: 'schedule-state' }),
        when: h('td'),
        next: h('td', { testid: 'schedule-next' }),
        last: h('td', { testid: 'schedule-last-run' }),
        skipped: h('td'),
        workflow: h('td'),
        toggle: h('button', { type: 'button', testid: 'schedule-toggle',
                              onclick: () => this.act(schedule.name, row.paused ? 'resume' : 'pause') }),
      };
      const trigger = h('button', { type: 'button', testid: 'schedule-trigger',
                                    onclick: () => this.act(schedule.name, 'trigger') }, 'Trigger now');
      const tr = h('tr', { 'data-schedule': schedule.name },
        h('td', null, schedule.name), h('td', null, cells.state), cells.when, cells.next, cells.last,
        cells.skipped, cells.workflow, h('td', { class: 'schedule-actions' }, cells.toggle, ' ', trigger));
      row = { tr, cells, paused: false, lastRun: null };
      this.rows.set(schedule.name, row);
      this.tbody.append(tr);
    }
    const { cells } = row;
    row.paused = schedule.paused;
    cells.state.setAttribute('class', `badge status-${schedule.paused ? 'paused' : 'running'}`);
    setText(cells.state, schedule.paused ? 'paused' : 'active');
    setText(cells.when, schedule.description);
    setText(cells.next, schedule.paused ? '—' : formatTime(schedule.next_fire_at) || '—');
    if (row.lastRun !== schedule.last_run_id) {
      row.lastRun = schedule.last_run_id;
      cells.last.replaceChildren(schedule.last_run_id
        ? h('a', { href: runHash(schedule.last_run_id), title: schedule.last_tick_at || '' }, schedule.last_run_id)
        : '—');
    }
    setText(cells.skipped, schedule.skipped_count);
    setText(cells.workflow, shortName(schedule.workflow));
    cells.workflow.title = schedule.workflow;
    setText(cells.toggle, schedule.paused ? 'Resume' : 'Pause');
  }

  async act(name, action) {
    try {
      await api('POST', `${schedulePath(name)}/${action}`);
      showError(this.error, '');
    } catch (e) {
      showError(this.error, `${action} ${name}: ${errorText(e)}`);
    }
    this.poller.now();
  }
}
