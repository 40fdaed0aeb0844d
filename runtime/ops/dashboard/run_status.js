// Run statuses as the REST API spells them (docs/rest-api.md), and the final ones: a run in a
// final status never changes again, so views stop polling it.

export const FINAL_STATUSES = new Set(['completed', 'failed', 'cancelled']);
export const STATUSES = ['pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'];
