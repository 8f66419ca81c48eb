// One conversation: its header (status, participant, times; dump and delete), its files and its workflow.
import { get, call, ApiError } from './api.js';
import { h, mount, state, badge, formatTime, toast } from './dom.js';
import { filesPanel } from './files-panel.js';
import { workflowPanel } from './workflow-panel.js';

export async function showConversation(main, chatId, { onChanged, onDeleted }) {
  mount(main, state('loading', 'Loading conversation…'));
  let conversation;
  try {
    conversation = await get(`/chat/workflows/${encodeURIComponent(chatId)}`);
  } catch (e) {
    mount(main, state('error', e instanceof ApiError ? e.message : String(e)));
    return;
  }
  const headBox = h('div');
  const filesBox = h('div');
  const renderHead = (c) => mount(headBox, header(c, onDeleted));
  const renderFiles = (c, lastUpload) => mount(filesBox, filesPanel(c, { onUploaded: (name) => reload(true, name), lastUpload }).el);
  const workflow = workflowPanel(conversation, {
    hasInput: conversation.uploaded_files.length > 0,
    onFinished: () => reload(true),
  });

  async function reload(changed, lastUpload) {
    try {
      const c = await get(`/chat/workflows/${encodeURIComponent(chatId)}`);
      renderHead(c);
      renderFiles(c, lastUpload);
      workflow.setHasInput(c.uploaded_files.length > 0);
      if (changed) onChanged();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), 'error');
    }
  }

  renderHead(conversation);
  renderFiles(conversation);
  mount(main, h('div.conversation', { dataset: { chat: chatId } }, headBox, filesBox, workflow.el));
}

function header(c, onDeleted) {
  const dumpBox = h('div.dump-box');
  const dump = h('button.btn.ghost', { type: 'button', id: 'dump' }, 'Dump');
  const remove = h('button.btn.danger-ghost', { type: 'button', id: 'delete' }, 'Delete');
  dump.addEventListener('click', async () => {
    dump.disabled = true;
    try {
      const data = await call('POST', `/chat/workflows/${encodeURIComponent(c.chat_id)}/dump`);
      mount(dumpBox, h('div.alert.alert-success', h('span', 'Dump ready: '),
        h('a#dump-link', { href: data.download_url, download: data.dump_file }, data.dump_file)));
    } catch (e) {
      mount(dumpBox, h('div.alert.alert-error', { role: 'alert' }, e.message));
    } finally {
      dump.disabled = false;
    }
  });
  remove.addEventListener('click', async () => {
    if (!window.confirm(`Delete the conversation of ${c.participant_name} and all its files?`)) return;
    try {
      await call('DELETE', `/chat/workflows/${encodeURIComponent(c.chat_id)}`);
      toast('Conversation deleted', 'success');
      onDeleted();
    } catch (e) {
      toast(e.message, 'error');
    }
  });
  return h('section.card.conv-head',
    h('div.conv-title',
      h('div', h('h1', c.participant_name), h('p.muted.mono', c.chat_id)),
      h('div.conv-actions', dump, remove)),
    h('dl.facts',
      h('div', h('dt', 'Status'), h('dd#conv-status', badge(c.status))),
      h('div', h('dt', 'Created'), h('dd', formatTime(c.created_at))),
      h('div', h('dt', 'Updated'), h('dd', formatTime(c.updated_at))),
      h('div', h('dt', 'Steps run'), h('dd', String((c.workflow_steps || []).length)))),
    dumpBox);
}
