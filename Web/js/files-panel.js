// A conversation's files: upload (drag and drop or picker, with progress), the list of uploads and outputs, and a
// preview of the selected one. The latest upload is the workflow's input: its columns feed the column pickers.
import { upload, chatFilePath, baseName, PREFIX, ApiError } from './api.js';
import { h, mount, state, progressBar, toast } from './dom.js';
import { loadPreview } from './preview.js';
import { columns } from './columns.js';

const PREVIEWABLE = /\.(csv|xlsx|xlsm)$/i;

export function filesPanel(conversation, { onUploaded, lastUpload }) {
  const chatId = conversation.chat_id;
  const uploads = conversation.uploaded_files.map(baseName);
  const outputs = conversation.output_files.map(baseName);
  const input = uploads[uploads.length - 1] || null;
  const previewBox = h('div.preview-box', { id: 'file-preview' });
  const bar = progressBar('Upload progress');
  const barRow = h('div.upload-progress', { hidden: true }, h('span.upload-name'), bar.el);
  const picker = h('input.visually-hidden', { type: 'file', id: 'file-input', accept: '.csv,.xlsx,.xls,.json' });

  const send = async (file) => {
    barRow.hidden = false;
    barRow.querySelector('.upload-name').textContent = file.name;
    bar.set(0, 'running');
    try {
      const data = await upload(`/chat/workflows/${encodeURIComponent(chatId)}/upload`, 'file', file, (f) => bar.set(f, 'running'));
      bar.set(1, 'completed');
      toast(`Uploaded ${data.filename}`, 'success');
      onUploaded(data.filename);
    } catch (e) {
      bar.set(0, 'failed');
      barRow.append(h('p.error-text', { role: 'alert' }, e instanceof ApiError ? e.message : String(e)));
    }
  };
  if (lastUpload) {
    barRow.hidden = false;
    barRow.querySelector('.upload-name').textContent = `${lastUpload} uploaded`;
    bar.set(1, 'completed');
  }
  picker.addEventListener('change', () => { if (picker.files[0]) send(picker.files[0]); picker.value = ''; });

  const drop = h('label.dropzone', { for: 'file-input' },
    h('span.drop-icon', { 'aria-hidden': 'true' }, '⇪'),
    h('span.drop-title', 'Drop a CSV or XLSX file here'),
    h('span.drop-sub', 'or ', h('span.link', 'choose a file'), ' — the latest upload is the workflow input'),
    picker);
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer && e.dataTransfer.files[0];
    if (file) send(file);
  });

  const select = (name, row) => {
    for (const r of list.querySelectorAll('.file-row')) r.classList.toggle('selected', r === row);
    if (!PREVIEWABLE.test(name)) {
      mount(previewBox, state('empty', `${name}: only .csv and .xlsx files have a preview — download it instead.`));
      return Promise.resolve(null);
    }
    return loadPreview(previewBox, `${chatFilePath(chatId, name)}/preview`).then((data) => {
      if (data && name === input) columns.set(data.columns);
      return data;
    });
  };

  const fileRow = (name, kind) => {
    const row = h('li.file-row', { dataset: { file: name, kind } },
      h('span.file-kind', kind === 'output' ? 'output' : name === input ? 'input' : 'upload'),
      h('button.file-name', { type: 'button', title: `Preview ${name}`, onclick: () => select(name, row) }, name),
      h('span.file-actions',
        h('button.btn.small.ghost', { type: 'button', dataset: { action: 'preview' }, onclick: () => select(name, row) }, 'Preview'),
        h('a.btn.small.ghost', { href: PREFIX + chatFilePath(chatId, name), download: name, dataset: { action: 'download' } }, 'Download')));
    return row;
  };
  const list = h('ul.file-list',
    [...uploads].reverse().map((n) => fileRow(n, 'upload')),
    [...outputs].reverse().map((n) => fileRow(n, 'output')));

  const el = h('section.card#files-card',
    h('div.card-head', h('h2', 'Files'), h('span.muted', `${uploads.length} uploaded · ${outputs.length} output${outputs.length === 1 ? '' : 's'}`)),
    drop, barRow,
    uploads.length + outputs.length ? list : state('empty', 'No files yet. Upload one to start.'),
    previewBox);

  columns.set([]);
  if (input) {
    const row = list.querySelector(`.file-row[data-kind="upload"]`);
    select(input, row);
  }
  return { el, select: (name) => select(name, [...list.querySelectorAll('.file-row')].find((r) => r.dataset.file === name)) };
}
