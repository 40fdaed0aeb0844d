// The hash routes: `#/` is the runs list, `#/runs/<url-encoded id>` a run page, `#/schedules`
// the schedules page.

export function runHash(id) {
  return `#/runs/${encodeURIComponent(id)}`;
}

// The run id a location hash routes to, or null for the runs list.
export function routedRunId(hash) {
  const match = /^#\/runs\/([^?#]+)/.exec(hash);
  if (!match) return null;
  let id = match[1];
  try {
    id = decodeURIComponent(id);
  } catch {
    // Not valid percent-encoding: take it as it is.
  }
  return id;
}

// Whether a location hash routes to the schedules page.
export function routesToSchedules(hash) {
  return /^#\/schedules\/?$/.test(hash);
}
