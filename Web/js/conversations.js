// The conversation list (status, participant, created time) with create and restore-from-dump.
import { get, call, upload, ApiError } from './api.js';
import { h, mount, state, badge, formatTime, toast } from './dom.js';

export async function renderList(box, selectedId, { onOpen }) {
  mount(box, state('loading', 'Loading conversations…'));
  let list;
  try {
    list = (await get('/chat/workflows?limit=200')).conversations;
  } catch (e) {
    mount(box, state('error', e instanceof ApiError ? e.message : String(e)));
    return;
  }
  if (!list.length) {
    mount(box, state('empty', 'No conversations yet. Create one to upload a file and build a workflow.'));
    return;
  }
  mount(box, h('ul.conv-list', list.map((c) => h(`li${c.chat_id === selectedId ? '.selected' : ''}`,
    h('a.conv-item', { href: `#/c/${encodeURIComponent(c.chat_id)}`, dataset: { chat: c.chat_id },
      'aria-current': c.chat_id === selectedId ? 'page' : null, onclick: () => onOpen(c.chat_id) },
      h('span.conv-name', c.participant_name),
      badge(c.status),
      h('span.conv-time.muted', formatTime(c.created_at)))))));
}

/** The sidebar's actions: new conversation, restore a dump. */
export function listActions({ onCreated }) {
  const create = h('button.btn.primary', { type: 'button', id: 'new-conversation' }, '+ New conversation');
  create.addEventListener('click', async () => {
    create.disabled = true;
    try {
      const c = await call('POST', '/chat/workflows');
      toast(`Created a conversation for ${c.participant_name}`, 'success');
      onCreated(c.chat_id);
    } catch (e) {
      toast(e instanceof ApiError ? e.message : String(e), 'error');
    } finally {
      create.disabled = false;
    }
  });
  const picker = h('input.visually-hidden', { type: 'file', id: 'restore-input', accept: '.tar.gz,.tgz,application/gzip' });
  const restoring = h('span.muted.restore-state');
  picker.addEventListener('change', async () => {
    const file = picker.files[0];
    picker.value = '';
    if (!file) return;
    restoring.textContent = 'Restoring…';
    try {
      const c = await upload('/chat/workflows/restore', 'dump_file', file, (f) => { restoring.textContent = `Restoring… ${Math.round(f * 100)} %`; });
      restoring.textContent = '';
      toast(`Restored the conversation of ${c.participant_name}`, 'success');
      onCreated(c.chat_id);
    } catch (e) {
      restoring.textContent = '';
      toast(`Restore failed: ${e instanceof ApiError ? e.message : String(e)}`, 'error');
    }
  });
  return h('div.list-actions', create,
    h('label.btn.ghost', { for: 'restore-input', title: 'Restore a conversation from a dump (.tar.gz)' }, 'Restore dump', picker),
    restoring);
}
