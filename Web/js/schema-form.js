// A form generated from an operation's arguments JSON Schema. Text, number, boolean and enum fields; arrays of
// strings become column pickers fed by the previewed columns; arrays of objects become repeatable rows; anything
// else is JSON. Only the fields a person fills in are sent, so the operation's own defaults apply to the rest.
import { h } from './dom.js';
import { columns } from './columns.js';

let uid = 0;
const nextId = () => `f${++uid}`;

const isColumnName = (name) => /(^|_)columns?(_name)?$/.test(name);
const typeOf = (schema) => (Array.isArray(schema.type) ? null : schema.type);

/** Choices a description lists (`AND (default) or OR`, `xlsx, csv or json (default csv)`), offered as suggestions. */
export function suggestions(description) {
  if (!description) return [];
  const text = description.replace(/\([^)]*\)/g, '').split(/[:;.]/)[0];
  const parts = text.split(/,|\bor\b/).map((s) => s.trim()).filter(Boolean);
  return parts.length >= 2 && parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) ? parts : [];
}

/**
 * Builds the form for `schema` (an object schema). Returns {el, value()}; value() throws an Error naming the field
 * when one holds invalid input.
 */
export function schemaForm(schema, options = {}) {
  const props = Object.entries((schema && schema.properties) || {});
  if (props.length === 0) return { el: h('p.muted.no-args', 'This operation takes no arguments.'), value: () => ({}) };
  const fields = props.map(([name, prop]) => field(name, prop || {}, options.inItem === true));
  return {
    el: h(`div.${options.inItem ? 'item-grid' : 'form-grid'}`, fields.map((f) => f.el)),
    value() {
      const out = {};
      for (const f of fields) {
        const v = f.value();
        if (v !== undefined) out[f.name] = v;
      }
      return out;
    },
  };
}

function field(name, prop, inItem) {
  const id = nextId();
  const control = makeControl(name, prop, inItem, id);
  const help = prop.description ? h('p.help', prop.description) : null;
  const el = h(`div.field${control.wide ? '.wide' : ''}`, { dataset: { field: name } },
    h('label.field-label', { for: id }, h('code', name)), control.el, help);
  return { name, el, value: control.value };
}

function makeControl(name, prop, inItem, id) {
  const type = typeOf(prop);
  if (Array.isArray(prop.enum)) return enumControl(name, prop.enum, id);
  if (type === 'string' && isColumnName(name)) return columnControl(name, id);
  if (type === 'string') return textControl(name, prop, id);
  if (type === 'integer' || type === 'number') return numberControl(name, type, id);
  if (type === 'boolean') return booleanControl(name, id);
  if (type === 'array' && prop.items && typeOf(prop.items) === 'string') return columnsControl(name, id);
  if (type === 'array' && prop.items && typeOf(prop.items) === 'object' && prop.items.properties) return rowsControl(name, prop.items);
  return inItem ? looseControl(name, id) : jsonControl(name, prop, id);
}

function enumControl(name, values, id) {
  const select = h('select', { id, dataset: { arg: name } }, h('option', { value: '' }, '(default)'),
    values.map((v) => h('option', { value: JSON.stringify(v) }, String(v))));
  return { el: select, value: () => (select.value === '' ? undefined : JSON.parse(select.value)) };
}

function textControl(name, prop, id) {
  const choices = suggestions(prop.description);
  const list = choices.length ? h('datalist', { id: `${id}-list` }, choices.map((c) => h('option', { value: c }))) : null;
  const input = h('input', { id, type: 'text', dataset: { arg: name }, list: list ? `${id}-list` : null,
    maxlength: prop.maxLength ? String(prop.maxLength) : null, placeholder: choices.length ? `${choices.slice(0, 3).join(', ')}${choices.length > 3 ? ', …' : ''}` : '',
    autocomplete: 'off' });
  return { el: h('div.control', input, list), value: () => (input.value === '' ? undefined : input.value) };
}

function numberControl(name, type, id) {
  const input = h('input', { id, type: 'number', step: type === 'integer' ? '1' : 'any', dataset: { arg: name } });
  return {
    el: input,
    value() {
      if (input.value === '') return undefined;
      const n = Number(input.value);
      if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) throw new Error(`${name}: enter ${type === 'integer' ? 'a whole number' : 'a number'}`);
      return n;
    },
  };
}

function booleanControl(name, id) {
  const group = `${id}-b`;
  const choice = (label, value) => h('label.seg', h('input', { type: 'radio', name: group, value, checked: value === '' }), h('span', label));
  const el = h('div.segmented', { id, role: 'radiogroup', dataset: { arg: name } },
    choice('Default', ''), choice('Yes', 'true'), choice('No', 'false'));
  return {
    el,
    value() {
      const picked = el.querySelector('input:checked');
      return !picked || picked.value === '' ? undefined : picked.value === 'true';
    },
  };
}

/** One column: a select of the previewed columns, or a text field until a file has been previewed. */
function columnControl(name, id) {
  const select = h('select', { id, dataset: { arg: name } });
  const input = h('input', { type: 'text', placeholder: 'column name', dataset: { arg: name }, autocomplete: 'off' });
  const box = h('div.control');
  const unwatch = columns.watch((list) => {
    if (!box.isConnected && box.dataset.mounted) { unwatch(); return; }
    const keep = select.value || input.value;
    if (list.length) {
      select.replaceChildren(h('option', { value: '' }, '— choose a column —'), ...list.map((c) => h('option', { value: c }, c)));
      if (keep && !list.includes(keep)) select.append(h('option', { value: keep }, keep));
      select.value = keep || '';
      box.replaceChildren(select);
    } else {
      input.value = keep || '';
      box.replaceChildren(input);
    }
  });
  queueMicrotask(() => { box.dataset.mounted = '1'; });
  return { el: box, value: () => ((box.contains(select) ? select.value : input.value) || undefined) };
}

/** Several columns: chips to toggle (in the order picked) plus a field for names not in the preview. */
function columnsControl(name, id) {
  const picked = [];
  const chips = h('div.chips', { dataset: { arg: name } });
  const extra = h('input', { id, type: 'text', placeholder: 'other names, comma separated', autocomplete: 'off' });
  const order = h('p.help.picked');
  const render = (list) => {
    chips.replaceChildren(...list.map((c) => {
      const on = picked.includes(c);
      return h(`button.chip${on ? '.on' : ''}`, { type: 'button', 'aria-pressed': on ? 'true' : 'false', dataset: { column: c },
        onclick: () => {
          const i = picked.indexOf(c);
          if (i >= 0) picked.splice(i, 1); else picked.push(c);
          render(columns.list);
        } }, c);
    }));
    if (!list.length) chips.append(h('span.muted', 'Upload a file to pick its columns.'));
    order.textContent = picked.length ? `Selected: ${picked.join(', ')}` : '';
  };
  columns.watch(render);
  return {
    wide: true,
    el: h('div.control', chips, extra, order),
    value() {
      const more = extra.value.split(',').map((s) => s.trim()).filter(Boolean);
      const all = [...picked, ...more.filter((m) => !picked.includes(m))];
      return all.length ? all : undefined;
    },
  };
}

/** An array of objects: one sub-form per row, rows added and removed freely. */
function rowsControl(name, itemSchema) {
  const rows = [];
  const list = h('div.rows', { dataset: { arg: name } });
  const singular = name.replace(/s$/, '');
  const add = () => {
    const form = schemaForm(itemSchema, { inItem: true });
    const row = { form, el: null };
    row.el = h('div.row-item', form.el, h('button.icon-btn.danger', { type: 'button', title: `Remove this ${singular}`,
      'aria-label': `Remove this ${singular}`, onclick: () => { rows.splice(rows.indexOf(row), 1); row.el.remove(); } }, '✕'));
    rows.push(row);
    list.append(row.el);
  };
  add();
  return {
    wide: true,
    el: h('div.control', list, h('button.btn.small.ghost', { type: 'button', onclick: add, dataset: { add: name } }, `+ Add ${singular}`)),
    value() {
      const values = rows.map((r) => r.form.value()).filter((v) => Object.keys(v).length > 0);
      return values.length ? values : undefined;
    },
  };
}

/** Inside a row: text, read as JSON when it is JSON (`42`, `[1, 5]`, `true`), else as the text itself. */
function looseControl(name, id) {
  const input = h('input', { id, type: 'text', dataset: { arg: name }, placeholder: 'text, number or JSON', autocomplete: 'off' });
  return {
    el: input,
    value() {
      const text = input.value.trim();
      if (text === '') return undefined;
      try { return JSON.parse(text); } catch { return input.value; }
    },
  };
}

function jsonControl(name, prop, id) {
  const stringAllowed = Array.isArray(prop.type) && prop.type.includes('string');
  const area = h('textarea', { id, rows: 3, spellcheck: false, dataset: { arg: name }, placeholder: 'JSON' });
  return {
    wide: true,
    el: area,
    value() {
      const text = area.value.trim();
      if (text === '') return undefined;
      try { return JSON.parse(text); } catch (e) {
        if (stringAllowed) return text;
        throw new Error(`${name}: not valid JSON (${e.message})`);
      }
    },
  };
}
