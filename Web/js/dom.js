// A tiny element builder: the page never sets innerHTML from data, so file names and cell values cannot inject markup.

/**
 * h('div.card#id', {onclick, dataset, …}, child, …): children are nodes, strings, numbers, arrays or null.
 */
export function h(tag, props, ...children) {
  const [name, ...rest] = tag.split(/(?=[.#])/);
  const el = document.createElement(name || 'div');
  for (const part of rest) {
    if (part.startsWith('.')) el.classList.add(part.slice(1));
    else if (part.startsWith('#')) el.id = part.slice(1);
  }
  if (props && (typeof props !== 'object' || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
    props = null;
  }
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'class') el.className = value;
    else if (key === 'style') el.setAttribute('style', value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A loading, empty or error placeholder. */
export function state(kind, text, action) {
  return h(`div.state.state-${kind}`, { role: kind === 'error' ? 'alert' : null },
    kind === 'loading' ? h('span.spinner', { 'aria-hidden': 'true' }) : null,
    h('span', text), action || null);
}

/** A progress bar: `set(fraction)`; `el.dataset.value` holds the percentage (for tests and screen readers). */
export function progressBar(label) {
  const fill = h('div.bar-fill');
  const text = h('span.bar-text', '0 %');
  const el = h('div.bar', { role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': '0', dataset: { value: '0' } }, fill, text);
  return {
    el,
    set(fraction, state) {
      const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
      fill.style.width = `${pct}%`;
      text.textContent = `${pct} %`;
      el.dataset.value = String(pct);
      el.setAttribute('aria-valuenow', String(pct));
      if (state) el.dataset.state = state;
    },
  };
}

const toastBox = () => document.getElementById('toasts');

/** A short notice in the corner; errors stay until closed. */
export function toast(text, kind = 'info') {
  const close = h('button.toast-close', { type: 'button', 'aria-label': 'Dismiss' }, '×');
  const el = h(`div.toast.toast-${kind}`, { role: kind === 'error' ? 'alert' : 'status' }, h('span', text), close);
  close.addEventListener('click', () => el.remove());
  toastBox().append(el);
  if (kind !== 'error') setTimeout(() => el.remove(), 3000);
}

/** `2026-12-01T16:40:04.123456` (UTC, as the server stores it) in the reader's local time. */
export function formatTime(text) {
  if (!text) return '—';
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return text;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A status pill. */
export const badge = (status) => h(`span.badge.badge-${String(status).toLowerCase()}`, String(status));
