// DOM helpers: building elements without innerHTML, text updates that leave unchanged nodes
// alone, and the small widgets every view uses (status badge, error box).

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'testid') el.setAttribute('data-testid', value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

// Builds an element; string children become text nodes, so they are never parsed as HTML.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// Sets text only when it changed, so live refreshes do not disturb selection or hover.
export function setText(el, text) {
  const value = String(text);
  if (el.textContent !== value) el.textContent = value;
}

export function statusBadge(status, testid) {
  return h('span', { class: `badge status-${cssToken(status)}`, testid }, status || '');
}

export function updateBadge(el, status) {
  el.setAttribute('class', `badge status-${cssToken(status)}`);
  setText(el, status || '');
}

function cssToken(value) {
  return String(value || 'unknown').replace(/[^a-z0-9_-]/gi, '_');
}

export function errorBox() {
  return h('div', { class: 'error', testid: 'error', role: 'alert', hidden: true });
}

export function showError(el, message) {
  setText(el, message);
  el.hidden = !message;
}
