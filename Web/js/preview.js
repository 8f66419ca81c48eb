// The first rows of a CSV/XLSX file as a table, from the preview endpoint: numbers right-aligned, empty cells
// visibly empty, the column types in the header.
import { get, ApiError } from './api.js';
import { h, mount, state } from './dom.js';

const NUMERIC = new Set(['integer', 'number']);

/** Renders the preview `data` (the endpoint's answer) as a table. */
export function previewTable(data) {
  const types = data.column_types || [];
  const head = h('tr', h('th.rownum', '#'), data.columns.map((name, i) =>
    h(`th${NUMERIC.has(types[i]) ? '.num' : ''}`, { scope: 'col', title: name },
      h('span.col-name', name), h('span.col-type', types[i] || ''))));
  const rows = data.rows.map((row, r) => h('tr', h('td.rownum', r + 1), row.map((value, c) => cell(value, types[c]))));
  const more = data.truncated
    ? `First ${data.row_count} rows${data.total_rows != null ? ` of ${data.total_rows.toLocaleString()}` : ''}`
    : `${data.row_count} row${data.row_count === 1 ? '' : 's'}`;
  return h('div.preview', { dataset: { file: data.file_name } },
    h('div.preview-meta', h('span', more), h('span', `${data.columns.length} columns`), h('span.muted', data.format.toUpperCase())),
    h('div.table-wrap', h('table.data', h('thead', head), h('tbody', rows))));
}

function cell(value, type) {
  if (value === null || value === undefined) return h('td.empty', { title: 'empty' }, h('span.empty-mark', '∅'));
  if (typeof value === 'number') return h('td.num', String(value));
  if (typeof value === 'boolean') return h('td.bool', value ? 'true' : 'false');
  return h(`td${NUMERIC.has(type) ? '.num' : ''}${type === 'date' ? '.date' : ''}`, { title: value }, value);
}

/** Loads `path` (a preview endpoint below the API prefix) into `box`; resolves with the data (null on error, shown). */
export async function loadPreview(box, path, limit = 50) {
  mount(box, state('loading', 'Loading preview…'));
  try {
    const data = await get(`${path}?limit=${limit}`);
    mount(box, data.columns.length ? previewTable(data) : state('empty', 'This file has no columns.'));
    return data;
  } catch (e) {
    mount(box, state('error', e instanceof ApiError ? e.message : String(e)));
    return null;
  }
}
