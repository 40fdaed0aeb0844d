// REST API access (docs/rest-api.md): one request with the bearer token, its JSON body, and the
// server's error body turned into an ApiError; a 401 opens the token form.
import { currentToken, showAuth } from '/auth.js';

// The API path of a run; its events, streams and control actions live under it.
export function runPath(id) {
  return `/api/runs/${encodeURIComponent(id)}`;
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Sends one API request; resolves to the parsed JSON body or rejects with an ApiError whose
// message is the server's own (the `error.message` of the error body) when it sent one.
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const token = currentToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', `cannot reach the server (${e.message})`);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const err = data && typeof data === 'object' ? data.error : null;
    const message = err && typeof err.message === 'string' && err.message
      ? err.message
      : `${method} ${path}: HTTP ${response.status} ${response.statusText}`.trim();
    if (response.status === 401) showAuth(message);
    throw new ApiError(response.status, (err && err.code) || 'http_error', message);
  }
  if (data === null || typeof data !== 'object') {
    throw new ApiError(response.status, 'bad_response', `${method} ${path}: the response is not a JSON object`);
  }
  return data;
}
