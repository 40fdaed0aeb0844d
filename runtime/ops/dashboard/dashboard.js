// The wf serve dashboard's entry module: boots the token form and routes the location hash to a
// view. A hash-routed single-page app over the REST API in docs/rest-api.md: native ES modules
// (this one imports the rest, by absolute path), no dependencies, no build step, no external
// requests.
//
// Routes (routes.js): `#/` is the runs list (runs_list.js), `#/runs/<url-encoded id>` a run page
// (run_page.js), `#/schedules` the schedules page (schedules_page.js). Each route is a view
// object with a dispose() that stops its polling and closes its EventSources, so leaving a page
// leaves nothing running. Every piece of server data reaches
// the DOM through textContent or createElement, never innerHTML.
import { setUpAuth } from '/auth.js';
import { routedRunId, routesToSchedules } from '/routes.js';
import { RunView } from '/run_page.js';
import { RunsView } from '/runs_list.js';
import { SchedulesView } from '/schedules_page.js';

let currentView = null;

function route() {
  if (currentView) currentView.dispose();
  currentView = null;
  const root = document.getElementById('app');
  root.replaceChildren();
  const id = routedRunId(location.hash);
  if (routesToSchedules(location.hash)) currentView = new SchedulesView(root);
  else currentView = id !== null ? new RunView(root, id) : new RunsView(root);
}

function start() {
  setUpAuth(route);
  window.addEventListener('hashchange', route);
  route();
}

// Module scripts run after the document is parsed; the check keeps start() correct regardless.
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
