// pages/import.js - upload a CSV file of events (POST
// /api/v1/import?mapping=NAME) or of wage records or recruitment costs
// (?what=wages|recruitment), Content-Type text/csv. All or nothing: on
// success the import's figures; on 422 the problems, one per line, as
// FILE:LINE:COLUMN.

import { api } from '../api.js';
import { h, field, textEl, select } from '../dom.js';
import { t, has } from '../i18n.js';
import { status, pageHeading, errorText, busy, table, fmtValue, setFieldError, clearErrors } from '../ui.js';

const MAX_BYTES = 64 * 1024 * 1024;

function readText(file) {
  return new Promise(function (resolve, reject) {
    const r = new FileReader();
    r.addEventListener('load', function () { resolve(String(r.result)); });
    r.addEventListener('error', function () { reject(r.error); });
    r.readAsText(file, 'utf-8');
  });
}

// "upload.csv:3:5" -> {file, line, column}
function place(where) {
  const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(String(where || ''));
  if (!m) return { file: String(where || ''), line: null, column: null };
  return { file: m[1], line: +m[2], column: m[3] ? +m[3] : null };
}

function problemsView(problems, fileName) {
  const rows = problems.map(function (p) {
    const w = place(p.where);
    return { where: p.where || '', line: w.line, column: w.column, message: p.message || '' };
  });
  rows.sort(function (a, b) {
    return (a.line || 0) - (b.line || 0) || (a.column || 0) - (b.column || 0);
  });
  const tbl = table([
    { label: t('problemWhere'), get: function (r) { return h('code', null, r.where); }, class: 'where' },
    { label: t('line'), get: function (r) { return r.line === null ? '—' : String(r.line); }, class: 'num' },
    { label: t('column'), get: function (r) { return r.column === null ? '—' : String(r.column); }, class: 'num' },
    { label: t('problem'), get: function (r) { return textEl('span', r.message); } }
  ], rows, t('problemsCaption', { file: fileName }));
  tbl.querySelector('table').id = 'import-problems';
  Array.prototype.forEach.call(tbl.querySelectorAll('tbody tr'), function (tr, i) {
    if (rows[i].line !== null) tr.setAttribute('data-line', String(rows[i].line));
  });
  return tbl;
}

// The "stats" object of a successful import, whatever its members.
function statsView(stats) {
  const rows = [];
  (function walk(obj, prefix) {
    Object.keys(obj || {}).forEach(function (k) {
      const v = obj[k];
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, prefix + k + '.');
      else rows.push({ key: prefix + k, value: v });
    });
  })(stats, '');
  const tbl = table([
    { label: t('importFigure'), get: function (r) { return has('imp_' + r.key) ? t('imp_' + r.key) : r.key; }, rowHeader: true },
    { label: t('count'), get: function (r) { return Array.isArray(r.value) ? r.value.join(', ') : fmtValue(r.value); }, class: 'num' }
  ], rows, t('importDone'));
  tbl.querySelector('table').id = 'import-stats';
  return tbl;
}

export function render(main, ctx) {
  const file = h('input', { type: 'file', id: 'import-file', name: 'file', accept: '.csv,text/csv', required: true });
  const what = select({ id: 'import-what', name: 'what' }, [
    { value: 'events', label: t('importWhatEvents') },
    { value: 'wages', label: t('importWhatWages') },
    { value: 'recruitment', label: t('importWhatRecruitment') }]);
  const mapping = h('input', { type: 'text', id: 'import-mapping', name: 'mapping', list: 'mapping-names',
    autocomplete: 'off', maxlength: '100', pattern: '[A-Za-z0-9_.-]*' });
  const names = h('datalist', { id: 'mapping-names' }, h('option', { value: 'iom-missing-migrants' }));
  const submit = h('button', { type: 'submit', id: 'import-submit', class: 'primary' }, t('upload'));
  const result = h('section', { id: 'import-result', 'aria-labelledby': 'h-result', hidden: true },
    h('h2', { id: 'h-result', tabindex: '-1' }, t('importResult')));
  const form = h('form', { id: 'import-form', class: 'card', novalidate: true },
    field(t('csvFile'), file, { hint: t('csvFileHint'), wide: true }),
    field(t('importWhat'), what, { hint: t('importWhatHint') }),
    field(t('mappingName'), mapping, { hint: t('mappingHint') }),
    names,
    h('div', { class: 'actions' }, submit));

  // a mapping reads events only
  what.addEventListener('change', function () {
    mapping.disabled = what.value !== 'events';
    if (mapping.disabled) mapping.value = '';
  });

  main.appendChild(pageHeading(t('importTitle')));
  main.appendChild(h('p', { class: 'lead' }, t('importLead')));
  main.appendChild(form);
  main.appendChild(result);

  function show(nodes) {
    while (result.children.length > 1) result.removeChild(result.lastChild);
    nodes.forEach(function (n) { if (n) result.appendChild(n); });
    result.hidden = false;
  }

  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    clearErrors(form);
    const f = file.files && file.files[0];
    if (!f) { setFieldError(file, t('chooseFile')); status(t('chooseFile'), 'error'); file.focus(); return; }
    if (f.size > MAX_BYTES) { setFieldError(file, t('errorTooLarge')); status(t('errorTooLarge'), 'error'); file.focus(); return; }
    const m = mapping.value.trim();
    if (m && !/^[A-Za-z0-9_.-]+$/.test(m)) { setFieldError(mapping, t('mappingInvalid')); status(t('mappingInvalid'), 'error'); mapping.focus(); return; }
    const done = busy(submit);
    status(t('uploading', { file: f.name }), 'busy');
    let body;
    try {
      body = await readText(f);
    } catch (err) {
      done();
      status(t('fileUnreadable'), 'error');
      return;
    }
    try {
      const kind = what.value === 'events' ? '' : what.value;
      const res = await api('POST', '/import', { query: { what: kind, mapping: m }, body: body, contentType: 'text/csv; charset=utf-8' });
      done();
      if (!ctx.alive()) return;
      const stats = res && res.stats !== undefined ? res.stats : res;
      show([h('p', { class: 'ok-text' }, t('importOk', { file: f.name })),
        stats && typeof stats === 'object' ? statsView(stats) : null]);
      status(t('importOk', { file: f.name }), 'ok');
    } catch (err) {
      done();
      if (!ctx.alive()) return;
      if (err.problems && err.problems.length) {
        show([h('p', { class: 'err-text' }, t('importProblems', { n: err.problems.length })),
          err.message ? textEl('p', err.message) : null,
          problemsView(err.problems, f.name)]);
        status(t('importProblems', { n: err.problems.length }), 'error');
      } else {
        show([textEl('p', errorText(err), { class: 'err-text' })]);
        status(errorText(err), 'error');
      }
    }
    result.querySelector('h2').focus();
  });
}
