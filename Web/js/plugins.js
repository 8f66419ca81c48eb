// Every plugin in plugins.d: loaded or refused (with the reason), its version, ABI version and operations.
import { get, ApiError } from './api.js';
import { h, mount, state, badge } from './dom.js';

export async function showPlugins(main) {
  mount(main, state('loading', 'Loading plugins…'));
  let plugins;
  try {
    plugins = (await get('/plugins')).plugins;
  } catch (e) {
    mount(main, state('error', e instanceof ApiError ? e.message : String(e)));
    return;
  }
  const loaded = plugins.filter((p) => p.status === 'loaded').length;
  const operations = plugins.reduce((n, p) => n + p.operations.length, 0);
  mount(main, h('div.plugins-page',
    h('div.page-head', h('h1', 'Plugins'),
      h('p.muted', `${loaded} of ${plugins.length} loaded · ${operations} operations`)),
    plugins.length ? h('div.plugin-grid', plugins.map(card)) : state('empty', 'No plugin manifests in plugins.d.')));
}

function card(p) {
  return h('article.card.plugin', { dataset: { plugin: p.name, status: p.status } },
    h('div.card-head', h('h2', p.name), badge(p.status)),
    h('dl.plugin-meta',
      h('div', h('dt', 'Version'), h('dd', p.version || '—')),
      h('div', h('dt', 'ABI'), h('dd', p.abi_version || '—')),
      h('div', h('dt', 'Operations'), h('dd', String(p.operations.length)))),
    p.reason ? h('div.alert.alert-error.reason', h('strong', 'Refused: '), p.reason) : null,
    p.operations.length ? h('ul.op-chips', p.operations.map((op) => h('li', h('code', op)))) : null,
    h('p.muted.small.mono', p.manifest_file));
}
