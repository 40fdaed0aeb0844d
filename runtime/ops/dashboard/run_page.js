// The run page (`#/runs/<id>`): status, metadata and control buttons, the timeline, arguments,
// result or error, streams and events, refreshed while the run is not final.
import { api, runPath } from '/api.js';
import { errorBox, h, setText, showError, statusBadge, updateBadge } from '/dom.js';
import { renderEvents } from '/events_table.js';
import { describeError, formatDuration, prettyJson, queuePlace, runDuration, shortName, timeCell } from '/format.js';
import { POLL_MS, Poller } from '/poller.js';
import { runHash } from '/routes.js';
import { FINAL_STATUSES } from '/run_status.js';
import { LIVE_PANELS, StreamPanel } from '/streams.js';
import { renderTimeline } from '/timeline.js';

const ACTIONS = [
  // [action, label, enabled(run)]
  ['cancel', 'Cancel', (run) => !FINAL_STATUSES.has(run.status)],
  ['pause', 'Pause', (run) => !FINAL_STATUSES.has(run.status) && run.status !== 'paused'],
  ['resume', 'Resume', (run) => run.status === 'paused'],
  ['restart', 'Restart', () => true],
  ['wake-up', 'Wake up', (run) => !FINAL_STATUSES.has(run.status)],
  // Retention never deletes a kept run (docs/retention.md).
  ['keep', 'Keep', (run) => run.kept === false],
  ['unkeep', 'Stop keeping', (run) => run.kept === true],
];

export class RunView {
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
        onclick: () => (action === 'cancel' ? this.askToCancel() : this.act(action)),
      }, label);
    }
    // Cancelling cannot be undone: the Cancel button only asks, this bar does it.
    this.confirmCancel = h('span', { class: 'confirm', testid: 'confirm-cancel', hidden: true },
      'Cancel this run? It cannot be resumed. ',
      h('button', { type: 'button', class: 'danger', testid: 'confirm-cancel-yes',
        onclick: () => { this.confirmCancel.hidden = true; this.act('cancel'); } }, 'Yes, cancel the run'),
      h('button', { type: 'button', testid: 'confirm-cancel-no',
        onclick: () => { this.confirmCancel.hidden = true; } }, 'Keep it'));
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
        h('div', { class: 'actions' }, Object.values(this.buttons), this.confirmCancel, this.notice),
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
    if (run.queue) meta.push(['Queue', queuePlace(run)]);
    if (run.kept) meta.push(['Kept', 'yes: retention never deletes it']);
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
      // A text result (a rendered report, a message) reads best as the text itself.
      text = typeof run.output === 'string' ? run.output : prettyJson(run.output);
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
        panel = new StreamPanel(this.id, stream.namespace, this.streams.size < LIVE_PANELS);
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
    if (this.buttons.cancel.disabled && !this.busy) this.confirmCancel.hidden = true;
  }

  askToCancel() {
    if (this.busy) return;
    this.confirmCancel.hidden = false;
    this.confirmCancel.querySelector('[data-testid="confirm-cancel-no"]').focus();
  }

  async act(action) {
    if (this.busy) return;
    this.busy = true;
    this.updateButtons();
    showError(this.error, '');
    setText(this.notice, `${action}…`);
    try {
      const response = action === 'unkeep'
        ? await api('DELETE', `${runPath(this.id)}/keep`)
        : await api('POST', `${runPath(this.id)}/${action}`);
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
