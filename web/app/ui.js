// ui.js - things every page uses: the status live region, headings,
// number and date helpers, field errors.

import { h, $, clear } from './dom.js';
import { t, getLang } from './i18n.js';

// The one live region (#status): kind is info, ok, error or busy.
export function status(message, kind) {
  const el = $('#status');
  if (!el) return;
  clear(el);
  el.className = 'status' + (message ? ' ' + (kind || 'info') : '');
  if (message) el.appendChild(h('p', null, message));
}

export function clearStatus() { status(''); }

// A message for the next page (shown after the address changes).
let pendingFlash = null;
export function flash(message, kind) { pendingFlash = { message: message, kind: kind }; }
export function takeFlash() { const f = pendingFlash; pendingFlash = null; return f; }

// The message for an API error, in the interface language where we know
// the case; the server's own message otherwise (it says what would be right).
export function errorText(e) {
  if (!e) return t('errorUnknown');
  if (e.status === 0) return t('errorNetwork');
  if (e.status === 401) return t('errorSession');
  if (e.status === 403 && /csrf/i.test(e.message || '')) return t('errorCsrf');
  if (e.status === 403) return t('errorAccess') + (e.message ? ' ' + e.message : '');
  if (e.status === 413) return t('errorTooLarge');
  if (e.status === 429) return t('errorLimit');
  if (e.status >= 500) return t('errorServer') + (e.message ? ' (' + e.message + ')' : '');
  return e.message || t('errorUnknown');
}

// The page heading: focus goes there when a page opens, so that screen
// readers announce it.
export function pageHeading(text) {
  return h('h1', { id: 'page-title', tabindex: '-1' }, text);
}

export function fmtNum(n) {
  if (typeof n !== 'number' || !isFinite(n)) return String(n);
  try {
    return new Intl.NumberFormat(getLang() + '-u-nu-latn').format(n);
  } catch (e) {
    return String(n);
  }
}

// A statistics value: a number, or "<5" / "x" under disclosure control.
export function fmtValue(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'number') return fmtNum(v);
  const num = Number(v);
  if (/^\d+(\.\d+)?$/.test(String(v)) && isFinite(num)) return fmtNum(num);
  return String(v);
}

export function isWithheld(v) {
  return typeof v === 'string' && !/^\d+(\.\d+)?$/.test(v);
}

// Dates are ISO 8601 text at the precision known: YYYY, YYYY-MM, YYYY-MM-DD.
const DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export function dateValid(text) {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const y = +m[1];
  if (y < 1900 || y > 2100) return false;
  if (m[2] === undefined) return true;
  const mo = +m[2];
  if (mo < 1 || mo > 12) return false;
  if (m[3] === undefined) return true;
  const d = +m[3];
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d >= 1 && d <= days;
}

// The message for a date that is not valid; a Thai Buddhist-era year
// (2567 for 2024) gets its own hint.
export function dateError(text) {
  const m = /^(\d{4})/.exec(String(text || ''));
  if (m && +m[1] >= 2400 && +m[1] <= 2700) {
    return t('dateBuddhist', { be: m[1], ce: String(+m[1] - 543) });
  }
  return t('dateInvalid');
}

// Thai (๐-๙) and Myanmar (၀-၉) digits typed into number and date fields
// become ASCII digits.
export function normDigits(text) {
  return String(text).replace(/[\u0e50-\u0e59\u1040-\u1049]/g, function (c) {
    const code = c.charCodeAt(0);
    return String(code >= 0x1040 ? code - 0x1040 : code - 0x0e50);
  });
}

// 'day' | 'month' | 'year' of a valid date text.
export function datePrecision(text) {
  const n = String(text).split('-').length;
  return n === 3 ? 'day' : n === 2 ? 'month' : 'year';
}

export function truncateDate(text, precision) {
  const parts = String(text).split('-');
  const keep = precision === 'year' ? 1 : precision === 'month' ? 2 : 3;
  return parts.slice(0, keep).join('-');
}

// a <= b, each compared at the precision both have.
export function dateNotAfter(a, b) {
  const pa = a.split('-');
  const pb = b.split('-');
  const n = Math.min(pa.length, pb.length);
  return pa.slice(0, n).join('-') <= pb.slice(0, n).join('-');
}

export function today() {
  const d = new Date();
  const p = function (x) { return (x < 10 ? '0' : '') + x; };
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
}

// Field errors: a message under the field, tied with aria-describedby.
export function setFieldError(control, message) {
  clearFieldError(control);
  control.setAttribute('aria-invalid', 'true');
  const id = control.id + '-err';
  const msg = h('span', { class: 'field-error', id: id }, message);
  const box = control.closest('.field') || control.parentNode;
  box.appendChild(msg);
  const desc = control.getAttribute('aria-describedby');
  control.setAttribute('aria-describedby', desc ? desc + ' ' + id : id);
}

export function clearFieldError(control) {
  control.removeAttribute('aria-invalid');
  const id = control.id + '-err';
  const old = document.getElementById(id);
  if (old) old.parentNode.removeChild(old);
  const desc = (control.getAttribute('aria-describedby') || '').split(' ')
    .filter(function (x) { return x && x !== id; }).join(' ');
  if (desc) control.setAttribute('aria-describedby', desc);
  else control.removeAttribute('aria-describedby');
}

export function clearErrors(root) {
  Array.prototype.forEach.call(root.querySelectorAll('[aria-invalid="true"]'), clearFieldError);
}

// A busy button: disabled with its text kept, restored by the returned fn.
export function busy(button) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  return function () {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  };
}

// A simple table: columns [{label, get(row) -> string|Node, class?}].
export function table(columns, rows, caption) {
  const head = h('tr', null, columns.map(function (c) {
    return h('th', { scope: 'col', class: c.class }, c.label);
  }));
  const body = rows.map(function (r) {
    return h('tr', null, columns.map(function (c, i) {
      const v = c.get(r);
      return h(i === 0 && c.rowHeader ? 'th' : 'td',
        { class: c.class, scope: i === 0 && c.rowHeader ? 'row' : null }, v);
    }));
  });
  return h('div', { class: 'table-wrap' },
    h('table', null, caption ? h('caption', null, caption) : null,
      h('thead', null, head), h('tbody', null, body)));
}

export function langOptions() {
  return [
    { value: 'en', label: 'English', lang: 'en' },
    { value: 'th', label: 'ไทย', lang: 'th' },
    { value: 'my', label: 'မြန်မာ', lang: 'my' }
  ];
}
