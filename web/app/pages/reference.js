// pages/reference.js - the reference tables (GET /api/v1/ref and
// /api/v1/ref/{table}?country=&on=): minimum and living wages, fee caps,
// exchange rates and any table shipped later. Every figure is shown with
// its source and the dates it is in force; estimates are marked.

import { api } from '../api.js';
import { h, field, select, clear } from '../dom.js';
import { t } from '../i18n.js';
import { status, pageHeading, errorText, table, dateValid, dateError, setFieldError, clearErrors } from '../ui.js';

// ISO 4217 minor-unit digits of the currencies the tables use.
const DIGITS = { THB: 2, MMK: 2, KHR: 2, LAK: 2, CNY: 2, USD: 2, VND: 0 };
const COMMON = ['effective_from', 'effective_to', 'source', 'source_url', 'estimate', 'note'];

// "40000" THB -> "400.00 THB"
export function money(minor, currency) {
  const d = DIGITS[currency];
  if (d === undefined || !/^-?\d+$/.test(minor)) return minor + (currency ? ' ' + currency : '');
  const neg = minor.charAt(0) === '-';
  let s = neg ? minor.slice(1) : minor;
  while (s.length <= d) s = '0' + s;
  const whole = s.slice(0, s.length - d).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + whole + (d ? '.' + s.slice(s.length - d) : '') + ' ' + currency;
}

function valueOf(row, col) {
  const v = row[col];
  if (col === 'amount' && row.currency) return money(v, row.currency);
  if (col === 'base_amount' && row.base) return money(v, row.base);
  if (col === 'quote_amount' && row.quote) return money(v, row.quote);
  return v === undefined || v === null ? '' : String(v);
}

function sourceCell(row) {
  const parts = [row.source_url
    ? h('a', { href: row.source_url, rel: 'noopener noreferrer', target: '_blank' }, row.source)
    : h('span', null, row.source)];
  if (row.estimate) parts.push(h('span', { class: 'badge warn', title: t('refEstimateHint') }, ' ' + t('refEstimate')));
  if (row.note) parts.push(h('div', { class: 'hint' }, row.note));
  return h('div', { class: 'ref-source' }, parts);
}

function inForce(row) {
  return row.effective_from + ' – ' + (row.effective_to || t('refOpenEnded'));
}

function rowsTable(doc) {
  const shown = doc.columns.filter(function (c) {
    return COMMON.indexOf(c) < 0 && c !== 'currency' && c !== 'base' && c !== 'quote';
  });
  const cols = shown.map(function (c, i) {
    return { label: c, rowHeader: i === 0, get: function (r) { return valueOf(r, c); } };
  });
  cols.push({ label: t('refInForce'), class: 'ref-dates', get: inForce });
  cols.push({ label: t('refSource'), get: sourceCell });
  return table(cols, doc.rows, doc.table + ' (' + doc.file + ')');
}

export function render(main) {
  const which = select({ id: 'ref-table', name: 'table' }, []);
  const country = h('input', { type: 'text', id: 'ref-country', name: 'country', maxlength: '2',
    placeholder: 'TH', autocomplete: 'off' });
  const on = h('input', { type: 'text', id: 'ref-on', name: 'on', maxlength: '10', 'data-digits': 'date',
    placeholder: t('datePlaceholder') });
  const show = h('button', { type: 'submit', id: 'ref-show', class: 'primary' }, t('refShow'));
  const about = h('p', { class: 'hint', id: 'ref-about' });
  const out = h('div', { id: 'ref-rows' });
  const form = h('form', { id: 'ref-form', class: 'card', novalidate: true },
    h('div', { class: 'grid' },
      field(t('refTable'), which),
      field(t('refCountry'), country, { hint: t('refCountryHint') }),
      field(t('refOn'), on, { hint: t('periodHint') })),
    about,
    h('div', { class: 'actions' }, show));

  main.appendChild(pageHeading(t('refTitle')));
  main.appendChild(h('p', { class: 'lead' }, t('refLead')));
  main.appendChild(form);
  main.appendChild(out);

  let tables = [];
  function describe() {
    const tb = tables.filter(function (x) { return x.name === which.value; })[0];
    about.textContent = tb ? t('refAbout', { rows: tb.rows, estimates: tb.estimates,
      first: tb.first || '?', latest: tb.latest || '?' }) : '';
  }
  async function load() {
    clearErrors(form);
    const q = {};
    const cc = country.value.trim().toUpperCase();
    const d = on.value.trim();
    if (d && !dateValid(d)) { setFieldError(on, dateError(d)); status(t('fixErrors'), 'error'); return; }
    if (cc) q.country = cc;
    if (d) q.on = d;
    clear(out);
    try {
      const doc = await api('GET', '/ref/' + encodeURIComponent(which.value), { query: q });
      out.appendChild(h('p', { class: 'hint', id: 'ref-count' }, t('refCount', { n: doc.rows.length })));
      if (doc.rows.length) out.appendChild(rowsTable(doc));
      status('');
    } catch (e) {
      if (e.field === 'country') setFieldError(country, errorText(e));
      else if (e.field === 'on') setFieldError(on, errorText(e));
      status(errorText(e), 'error');
    }
  }
  which.addEventListener('change', function () { describe(); load(); });
  form.addEventListener('submit', function (e) { e.preventDefault(); load(); });

  api('GET', '/ref').then(function (doc) {
    tables = doc.tables || [];
    tables.forEach(function (x) { which.appendChild(h('option', { value: x.name }, x.name)); });
    if (tables.length) { which.value = tables.some(function (x) { return x.name === 'minimum-wage'; }) ? 'minimum-wage' : tables[0].name; describe(); load(); }
  }).catch(function (e) { status(errorText(e), 'error'); });
}
