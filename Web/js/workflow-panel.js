// Builds and runs a workflow: steps chosen from GET /operations, each with a form generated from its arguments
// schema; reordered and removed freely; run through POST /execute while the WebSocket on the REST port reports
// each step's progress.
import { call, get, eventsURL, chatFilePath, baseName, ApiError, PREFIX } from './api.js';
import { h, mount, state, progressBar, badge } from './dom.js';
import { schemaForm } from './schema-form.js';
import { loadPreview } from './preview.js';

let operationsCache = null;
export function operations() {
  if (!operationsCache) operationsCache = get('/operations').then((d) => d.operations).catch((e) => { operationsCache = null; throw e; });
  return operationsCache;
}

export function workflowPanel(conversation, { hasInput: initialInput, onFinished }) {
  let hasInput = initialInput;
  const chatId = conversation.chat_id;
  const steps = [];
  const stepList = h('ol.steps');
  const emptySteps = state('empty', 'No steps yet: pick an operation above and add it.');
  const runBox = h('div.run-box', { id: 'run' });
  const opSelect = h('select#op-select', { 'aria-label': 'Operation' }, h('option', { value: '' }, 'Loading operations…'));
  const addButton = h('button.btn', { type: 'button', id: 'add-step', disabled: true }, '+ Add step');
  const runButton = h('button.btn.primary', { type: 'button', id: 'run-workflow', disabled: true }, 'Run workflow');
  const opDetail = h('p.help.op-summary');

  const refresh = () => {
    steps.forEach((s, i) => {
      s.el.querySelector('.step-index').textContent = String(i + 1);
      s.el.querySelector('[data-move="up"]').disabled = i === 0;
      s.el.querySelector('[data-move="down"]').disabled = i === steps.length - 1;
    });
    stepList.replaceChildren(...steps.map((s) => s.el));
    emptySteps.hidden = steps.length > 0;
    runButton.disabled = steps.length === 0 || !hasInput;
  };

  const addStep = (op) => {
    const form = schemaForm(op.arguments_schema);
    const step = { op, form, el: null };
    const move = (delta) => {
      const i = steps.indexOf(step);
      const j = i + delta;
      if (j < 0 || j >= steps.length) return;
      [steps[i], steps[j]] = [steps[j], steps[i]];
      refresh();
    };
    step.el = h('li.step', { dataset: { op: op.name } },
      h('div.step-head',
        h('span.step-index'),
        h('div.step-title', h('code', op.name), h('span.muted', op.summary)),
        h('div.step-tools',
          h('button.icon-btn', { type: 'button', title: 'Move up', 'aria-label': 'Move up', dataset: { move: 'up' }, onclick: () => move(-1) }, '↑'),
          h('button.icon-btn', { type: 'button', title: 'Move down', 'aria-label': 'Move down', dataset: { move: 'down' }, onclick: () => move(1) }, '↓'),
          h('button.icon-btn.danger', { type: 'button', title: 'Remove step', 'aria-label': 'Remove step', dataset: { remove: '' },
            onclick: () => { steps.splice(steps.indexOf(step), 1); refresh(); } }, '✕'))),
      h('div.step-body', form.el));
    steps.push(step);
    refresh();
  };

  operations().then((ops) => {
    const byPlugin = new Map();
    for (const op of ops) {
      if (!byPlugin.has(op.plugin)) byPlugin.set(op.plugin, []);
      byPlugin.get(op.plugin).push(op);
    }
    mount(opSelect, h('option', { value: '' }, '— choose an operation —'),
      [...byPlugin].map(([plugin, list]) => h('optgroup', { label: plugin }, list.map((op) => h('option', { value: op.name }, op.name)))));
    opSelect.addEventListener('change', () => {
      const op = ops.find((o) => o.name === opSelect.value);
      opDetail.textContent = op ? op.summary : '';
      addButton.disabled = !op;
    });
    addButton.addEventListener('click', () => {
      const op = ops.find((o) => o.name === opSelect.value);
      if (op) addStep(op);
    });
  }).catch((e) => mount(opSelect, h('option', { value: '' }, `Operations unavailable: ${e.message}`)));

  runButton.addEventListener('click', async () => {
    let body;
    try {
      body = { steps: steps.map((s) => ({ operation: s.op.name, arguments: s.form.value() })) };
    } catch (e) {
      mount(runBox, h('div.alert.alert-error', { role: 'alert' }, e.message));
      return;
    }
    runButton.disabled = true;
    addButton.disabled = true;
    try {
      await runWorkflow(chatId, body, steps.map((s) => s.op.name), runBox);
    } finally {
      runButton.disabled = steps.length === 0 || !hasInput;
      addButton.disabled = !opSelect.value;
      onFinished();
    }
  });

  const hint = h('span.muted');
  const setHasInput = (value) => {
    hasInput = value;
    hint.textContent = hasInput ? 'Each step reads the previous step’s output.' : 'Upload a file first: it is the first step’s input.';
    refresh();
  };
  const el = h('section.card#workflow-card',
    h('div.card-head', h('h2', 'Workflow'), hint),
    h('div.add-row', opSelect, addButton), opDetail,
    stepList, emptySteps,
    h('div.run-row', runButton),
    runBox);
  setHasInput(hasInput);
  return { el, setHasInput };
}

/** Opens the conversation's event socket; resolves once the server says `connected` (null if it cannot). */
function openEvents(chatId) {
  return new Promise((resolve) => {
    let ws;
    try { ws = new WebSocket(eventsURL(chatId)); } catch { resolve(null); return; }
    const timer = setTimeout(() => { resolve(null); ws.close(); }, 3000);
    ws.addEventListener('message', function first(e) {
      let msg = null;
      try { msg = JSON.parse(e.data); } catch { /* ignored */ }
      if (msg && msg.type === 'connected') {
        clearTimeout(timer);
        ws.removeEventListener('message', first);
        resolve(ws);
      }
    });
    ws.addEventListener('error', () => { clearTimeout(timer); resolve(null); });
  });
}

async function runWorkflow(chatId, body, names, box) {
  const rows = names.map((name, i) => {
    const bar = progressBar(`Step ${i + 1} progress`);
    const status = h('span.step-status', badge('pending'));
    const message = h('span.step-message.muted', 'Waiting');
    return { bar, status, message, el: h('li.run-step', { dataset: { step: String(i + 1), op: name } },
      h('div.run-step-head', h('span.step-index', String(i + 1)), h('code', name), status), bar.el, message) };
  });
  const banner = h('div.alert.alert-info', { id: 'run-status', role: 'status', dataset: { state: 'running' } },
    h('span.spinner', { 'aria-hidden': 'true' }), h('span', 'Running…'));
  const live = h('span.live.muted');
  const outputsBox = h('div.outputs');
  mount(box, h('div.run-head', h('h3', 'Run'), live), banner, h('ol.run-steps', rows.map((r) => r.el)), outputsBox);

  const ws = await openEvents(chatId);
  live.textContent = ws ? '● live progress' : 'progress unavailable (WebSocket closed)';
  live.classList.toggle('on', Boolean(ws));
  const stepIndex = new Map();
  let finished = null;
  const done = new Promise((resolve) => { finished = resolve; });
  if (ws) {
    ws.addEventListener('message', (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (msg.type === 'progress' && msg.step_id) {
        if (!stepIndex.has(msg.step_id)) stepIndex.set(msg.step_id, stepIndex.size);
        const row = rows[stepIndex.get(msg.step_id)];
        if (!row) return;
        row.bar.set((Number(msg.progress) || 0) / 100, msg.status);
        row.status.replaceChildren(badge(msg.status || 'running'));
        row.message.textContent = msg.message || '';
        row.message.classList.toggle('error-text', msg.status === 'failed');
      } else if (msg.type === 'workflow_completed' || msg.type === 'workflow_failed') {
        finished(msg);
      }
    });
    ws.addEventListener('close', () => finished(null));
  }

  let result = null;
  let failure = null;
  try {
    result = await call('POST', `/chat/workflows/${encodeURIComponent(chatId)}/execute`, body);
  } catch (e) {
    failure = e instanceof ApiError ? e.message : String(e);
  }
  // The last events may still be on their way: wait for the end event briefly, then close.
  if (ws) {
    await Promise.race([done, new Promise((r) => setTimeout(r, 1500))]);
    ws.close();
  }
  // After a failure the steps that never reported never ran.
  for (const [i, row] of rows.entries()) {
    if (!ws || !failure || [...stepIndex.values()].includes(i)) continue;
    row.status.replaceChildren(badge('skipped'));
    row.message.textContent = 'Not run: an earlier step failed';
  }
  if (failure) {
    banner.className = 'alert alert-error';
    banner.dataset.state = 'failed';
    banner.setAttribute('role', 'alert');
    mount(banner, h('strong', 'Failed. '), h('span.run-error', failure));
    return;
  }
  banner.className = 'alert alert-success';
  banner.dataset.state = 'completed';
  mount(banner, h('strong', 'Completed. '), h('span', `${names.length} step${names.length === 1 ? '' : 's'} ran.`));
  const files = (result.output_files || []).map((o) => baseName(o.file_path));
  if (!files.length) {
    mount(outputsBox, state('empty', 'The workflow wrote no output file.'));
    return;
  }
  const preview = h('div.preview-box#output-preview');
  mount(outputsBox, h('h3', 'Outputs'), h('ul.file-list', files.map((name) => h('li.file-row', { dataset: { file: name, kind: 'output' } },
    h('span.file-kind', 'output'), h('span.file-name', name),
    h('span.file-actions',
      /\.(csv|xlsx|xlsm)$/i.test(name) ? h('button.btn.small.ghost', { type: 'button', dataset: { action: 'preview' },
        onclick: () => loadPreview(preview, `${chatFilePath(chatId, name)}/preview`) }, 'Preview') : null,
      h('a.btn.small', { href: PREFIX + chatFilePath(chatId, name), download: name, dataset: { action: 'download' } }, 'Download'))))), preview);
  const first = files.find((n) => /\.(csv|xlsx|xlsm)$/i.test(n));
  if (first) loadPreview(preview, `${chatFilePath(chatId, first)}/preview`);
}
