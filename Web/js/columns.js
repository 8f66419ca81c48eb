// The column names of the workflow's input (from the preview of the latest upload), shared by every column picker.
const listeners = new Set();
let current = [];

export const columns = {
  get list() { return current; },
  set(list) {
    current = Array.isArray(list) ? list.slice() : [];
    for (const fn of listeners) fn(current);
  },
  /** Calls `fn(list)` now and on every change; returns the unsubscribe function. */
  watch(fn) {
    listeners.add(fn);
    fn(current);
    return () => listeners.delete(fn);
  },
};
