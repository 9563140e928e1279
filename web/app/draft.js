// draft.js - the unsaved new-event form, kept in memory only (it can hold
// names, so never in storage): restored when the user comes back to the
// form or switches language, dropped on save and on logout.

let draft = null;

export function getDraft() { return draft; }
export function setDraft(state) { draft = state || null; }
export function discardDraft() { draft = null; }
