// The workbench's entry: a hash router between the conversations view (#/, #/c/{id}) and the plugins view.
import { get } from './api.js';
import { h, mount } from './dom.js';
import { renderList, listActions } from './conversations.js';
import { showConversation } from './conversation.js';
import { showPlugins } from './plugins.js';

const app = document.getElementById('app');

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  for (const a of document.querySelectorAll('[data-nav]')) {
    const on = a.dataset.nav === (hash.startsWith('/plugins') ? 'plugins' : 'conversations');
    a.classList.toggle('active', on);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (hash.startsWith('/plugins')) {
    const main = h('div.page');
    mount(app, main);
    showPlugins(main);
    return;
  }
  const match = hash.match(/^\/c\/([^/]+)/);
  const chatId = match ? decodeURIComponent(match[1]) : null;
  const listBox = h('div.list-box');
  const main = h('section.main-pane');
  const refreshList = () => renderList(listBox, chatId, { onOpen: () => {} });
  const open = (id) => { location.hash = `#/c/${encodeURIComponent(id)}`; };
  mount(app, h(`div.split${chatId ? '.has-selection' : ''}`,
    h('aside.sidebar', h('div.sidebar-head', h('h2', 'Conversations')), listActions({ onCreated: open }), listBox),
    main));
  refreshList();
  if (chatId) {
    showConversation(main, chatId, { onChanged: refreshList, onDeleted: () => { location.hash = '#/'; } });
  } else {
    mount(main, h('div.welcome',
      h('h1', 'Spreadsheet workflows, step by step'),
      h('p.muted', 'Create a conversation, upload a CSV or XLSX file, preview it, chain operations into a workflow and watch it run. Every output can be previewed and downloaded.'),
      h('ol.how', h('li', 'New conversation'), h('li', 'Upload a file'), h('li', 'Add steps and run'), h('li', 'Download the outputs'))));
  }
}

async function health() {
  const el = document.getElementById('server-status');
  try {
    const data = await get('/health');
    el.textContent = `${data.status} · ${data.version}`;
    el.className = 'server-status ok';
  } catch (e) {
    el.textContent = 'server unreachable';
    el.className = 'server-status down';
    el.title = e.message;
  }
}

window.addEventListener('hashchange', route);
route();
health();
