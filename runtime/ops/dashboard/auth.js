// The bearer token: kept in this tab's session storage, asked for by the token form when the
// server answers 401, shown (with a "forget" button) in the top bar while one is set.

const TOKEN_KEY = 'workflow.dashboard.token';

function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

function setToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the token then lasts until the page is left.
  }
  memoryToken = token;
  showTokenState();
}

// The token also lives here, for when session storage is disabled.
let memoryToken = '';

export function currentToken() {
  return getToken() || memoryToken;
}

export function authShown() {
  return !document.getElementById('auth').hidden;
}

export function showAuth(message) {
  const box = document.getElementById('auth');
  document.getElementById('auth-message').textContent =
    currentToken() ? `The token was refused: ${message}` : 'This server requires a bearer token.';
  if (box.hidden) {
    box.hidden = false;
    document.getElementById('auth-token').focus();
  }
}

function showTokenState() {
  document.getElementById('token-state').hidden = !currentToken();
}

// Wires the token form and the "forget" button; `onChange` runs after the token changed (the
// dashboard then reloads the current view with it).
export function setUpAuth(onChange) {
  memoryToken = getToken();
  document.getElementById('auth-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = document.getElementById('auth-token');
    const token = input.value.trim();
    if (!token) return;
    setToken(token);
    input.value = '';
    document.getElementById('auth').hidden = true;
    onChange();
  });
  document.getElementById('token-forget').addEventListener('click', () => {
    setToken('');
    onChange();
  });
  showTokenState();
}
