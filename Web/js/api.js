// Talks to the Pycelize REST API. Every answer is the envelope {data, message, status_code, …}; a failure becomes
// an ApiError carrying the envelope's message, so the page can always say what went wrong.

const meta = document.querySelector('meta[name="api-prefix"]');
const raw = meta ? meta.content : '';
/** The API prefix (e.g. /api/v1), filled in by the server when it serves the page. */
export const PREFIX = raw && !raw.includes('%') ? raw.replace(/\/+$/, '') : '/api/v1';

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function decode(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON: handled below */ }
  if (!response.ok || !body || typeof body !== 'object') {
    const message = body && typeof body.message === 'string' && body.message
      ? body.message : `${response.status} ${response.statusText || 'Request failed'}`;
    throw new ApiError(message, response.status);
  }
  return body;
}

/** Calls `path` (below the prefix) and returns the envelope's `data`. */
export async function call(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try { response = await fetch(PREFIX + path, init); } catch (e) {
    throw new ApiError(`The server cannot be reached (${e.message})`, 0);
  }
  return (await decode(response)).data;
}

export const get = (path) => call('GET', path);

/**
 * Posts a multipart form with one file through XMLHttpRequest (fetch has no upload progress).
 * `onProgress(fraction)` is called as the body goes out; resolves with the envelope's data.
 */
export function upload(path, field, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', PREFIX + path);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* handled below */ }
      if (xhr.status >= 200 && xhr.status < 300 && body) { onProgress(1); resolve(body.data); return; }
      const message = body && body.message ? body.message : `${xhr.status} ${xhr.statusText || 'Upload failed'}`;
      reject(new ApiError(message, xhr.status));
    };
    xhr.onerror = () => reject(new ApiError('The upload failed: the server cannot be reached', 0));
    const form = new FormData();
    form.append(field, file, file.name);
    xhr.send(form);
  });
}

/** A conversation file's path below the prefix (its download; add `/preview` for the preview). */
export const chatFilePath = (chatId, name) =>
  `/chat/workflows/${encodeURIComponent(chatId)}/files/${encodeURIComponent(name)}`;

/** The WebSocket URL of a conversation's workflow events on this (the REST) port. */
export function eventsURL(chatId) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${PREFIX}/chat/workflows/${encodeURIComponent(chatId)}/ws`;
}

/** The last component of a stored file key (`./automation/…/uploads/a.csv` → `a.csv`). */
export const baseName = (key) => String(key).split('/').pop();
