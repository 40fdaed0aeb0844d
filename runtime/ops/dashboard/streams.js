// Stream panels: each tails /api/runs/<id>/streams/<namespace> over server-sent events.
//
// A browser keeps about six HTTP/1.1 connections per server, and every live tail holds one, so
// only the first few panels of a run follow their stream at once; the others wait for a click.
export const LIVE_PANELS = 3;
import { runPath } from '/api.js';
import { currentToken } from '/auth.js';
import { h, setText } from '/dom.js';

export class StreamPanel {
  constructor(runId, namespace, live) {
    this.runId = runId;
    this.namespace = namespace;
    this.next = 0;
    this.count = 0;
    this.source = null;
    this.state = h('span', { class: 'stream-state' }, live ? 'connecting…' : '');
    this.follow = h('button', { type: 'button', class: 'follow', testid: 'stream-follow' }, 'Follow');
    this.follow.addEventListener('click', () => this.open());
    this.follow.hidden = live;
    this.info = h('span', { class: 'notice' });
    this.lines = h('div', { class: 'stream-lines' });
    this.el = h('section', { class: 'stream', testid: 'stream', 'data-namespace': namespace },
      h('div', { class: 'stream-head' }, h('h3', { class: 'mono' }, namespace), this.info,
        h('span', { class: 'spacer' }), this.state, this.follow),
      this.lines);
    if (live) this.open();
  }

  open() {
    this.follow.hidden = true;
    this.setState('connecting…', '');
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
