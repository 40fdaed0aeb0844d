// Polling: calls `tick` every `ms` after the previous call settled, never two at once, and not
// while the tab is hidden or the token form is open. `tick` resolving to false stops it.
import { authShown } from '/auth.js';

export const POLL_MS = 1000;

export class Poller {
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
