// The runs list (`#/`): filters, a live table of runs updated in place, and paging by cursor.
import { api } from '/api.js';
import { errorBox, h, setText, showError, statusBadge, updateBadge } from '/dom.js';
import { formatDuration, formatTime, queuePlace, runDuration, shortName } from '/format.js';
import { POLL_MS, Poller } from '/poller.js';
import { runHash } from '/routes.js';
import { STATUSES } from '/run_status.js';

// Kept across views, so coming back from a run page shows the same filters and page.
const listState = { status: '', workflow: '', since: '', cursor: null, previous: [] };

export class RunsView {
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
            h('th', null, 'Queue'), h('th', null, 'Created'), h('th', null, 'Duration'))),
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
      queue: h('td', { testid: 'run-queue' }),
      created: h('td', { class: 'num' }),
      duration: h('td', { class: 'num' }),
    };
    const tr = h('tr', { testid: 'run-row', 'data-run-id': id, tabindex: 0, onclick: open,
                         onkeydown: (e) => { if (e.key === 'Enter') open(); } },
      h('td', { class: 'id' }, h('a', { href: runHash(id) }, id)),
      cells.workflow,
      h('td', null, cells.status),
      cells.queue,
      cells.created,
      cells.duration);
    return { tr, cells };
  }

  updateRow(row, run) {
    const { cells } = row;
    setText(cells.workflow, shortName(run.workflow));
    if (cells.workflow.title !== (run.workflow || '')) cells.workflow.title = run.workflow || '';
    updateBadge(cells.status, run.status);
    setText(cells.queue, queuePlace(run));
    setText(cells.created, formatTime(run.created_at));
    if (cells.created.title !== (run.created_at || '')) cells.created.title = run.created_at || '';
    setText(cells.duration, formatDuration(runDuration(run)));
  }
}
