// pages/portability.js - the portability calculator (POST /api/v1/portability)
// and the comparative welfare table (GET /api/v1/welfare), for every role.
// Every figure is shown with the rule that gave it and the reference rows
// behind it (source, dates, estimate). The page's words are in English
// only for now (not yet translated).

import { api } from '../api.js';
import { h, field, checkField, select, clear } from '../dom.js';
import { status, pageHeading, errorText, busy, table, setFieldError, clearErrors } from '../ui.js';

const COUNTRIES = [
  { value: 'TH', label: 'Thailand (THB)' },
  { value: 'MM', label: 'Myanmar (MMK)' },
  { value: 'KH', label: 'Cambodia (KHR)' },
  { value: 'VN', label: 'Vietnam (VND)' },
  { value: 'CN', label: 'China (CNY)' }
];
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const KIND = { pension: 'pension (monthly)', lump_sum: 'lump sum', none: 'none' };

let rowSeq = 0;

function periodRow(list, onRemove) {
  rowSeq += 1;
  const n = rowSeq;
  const country = select({ id: 'p' + n + '-country', name: 'country' }, COUNTRIES);
  const from = h('input', { type: 'text', id: 'p' + n + '-from', name: 'from', maxlength: '7',
    placeholder: 'YYYY-MM', inputmode: 'numeric' });
  const to = h('input', { type: 'text', id: 'p' + n + '-to', name: 'to', maxlength: '7',
    placeholder: 'YYYY-MM', inputmode: 'numeric' });
  const wage = h('input', { type: 'text', id: 'p' + n + '-wage', name: 'wage', maxlength: '20',
    inputmode: 'decimal', placeholder: '15000' });
  const remove = h('button', { type: 'button', class: 'link', id: 'p' + n + '-remove' }, 'Remove this period');
  const row = h('fieldset', { class: 'card period' },
    h('legend', null, 'Period of work'),
    h('div', { class: 'grid' },
      field('Country', country),
      field('From (month, first month worked)', from, { hint: 'YYYY-MM' }),
      field('To (month, last month worked)', to, { hint: 'YYYY-MM' }),
      field('Monthly wage, in the country\'s currency', wage, { hint: 'e.g. 15000 or 15000.50' })),
    h('div', { class: 'actions' }, remove));
  remove.addEventListener('click', function () { onRemove(row); });
  list.appendChild(row);
  return { row: row, country: country, from: from, to: to, wage: wage };
}

function refList(refs) {
  return h('ul', { class: 'refs' }, refs.map(function (f) {
    return h('li', null, f.what + ' — ' + f.in_force + '; source: ' + f.source +
      ' (' + f.file + ', line ' + f.line + ')', f.estimate ? h('strong', null, ' estimate: VERIFY') : null);
  }));
}

function amountText(b) {
  if (b.type === 'none') return '—';
  if (b.amount === null) return 'amount unknown';
  return b.amount_text + ' ' + b.currency + (b.type === 'pension' ? ' a month' : '');
}

function countryResult(c) {
  const rows = [
    { label: 'Under its own rules alone', b: c.independent },
    { label: 'Pro-rata under totalisation (model)', b: c.pro_rata },
    { label: 'With an agreement (the higher)', b: c.with_agreement }
  ];
  return h('section', { class: 'card result', 'aria-labelledby': 'res-' + c.country },
    h('h3', { id: 'res-' + c.country }, c.country + ' — scheme ' + c.scheme + ', ' + c.own_months + ' months'),
    table([
      { label: 'Scenario', get: function (r) { return r.label; }, rowHeader: true },
      { label: 'Benefit', get: function (r) { return KIND[r.b.type] || r.b.type; } },
      { label: 'Amount', get: function (r) { return amountText(r.b); } },
      { label: 'Status', get: function (r) { return r.b.status + (r.b.payable_from ? ' from ' + r.b.payable_from : ''); } },
      { label: 'Rule applied', get: function (r) { return r.b.rule; } }
    ], rows),
    h('p', null, h('strong', null, 'Lost without an agreement: '), c.loss_without_agreement.text),
    c.uncertain ? h('p', { class: 'note warn' }, h('strong', null, 'Uncertain: '), c.uncertain) : null,
    h('h4', null, 'Rules used (source and dates)'),
    refList(c.references));
}

function showResult(box, data) {
  clear(box);
  const sw = Object.keys(data.switches).map(function (k) { return k + ' = ' + (data.switches[k] ? 'on' : 'off'); });
  box.appendChild(h('h2', { id: 'h-result', tabindex: '-1' }, 'Result'));
  box.appendChild(h('p', null, 'Claim date ' + data.claim_date +
    (data.age_in_claim_year !== null ? ', age ' + data.age_in_claim_year + ' in that year' : ', no birth year given') +
    '. All periods together: ' + data.all_months + ' months' +
    (data.overlap_months ? ' (' + data.overlap_months + ' months in two countries counted once)' : '') +
    '. Switches used: ' + sw.join(', ') + '.'));
  data.countries.forEach(function (c) { box.appendChild(countryResult(c)); });
  box.appendChild(h('p', { class: 'hint' }, 'Amounts are rounded once to the smallest unit of the currency. ' +
    'The totalisation scenario is a model of EU Regulation 883/2004 (Art. 52, 56, 57): no such agreement ' +
    'is in force between these countries. See docs/portability.md.'));
  box.querySelector('#h-result').focus();
}

function welfareCell(c) {
  if (!c.known) return h('span', { class: 'unknown' }, 'unknown (no source found)');
  const rates = ['employee', 'employer', 'government'].filter(function (k) { return c.rate_bp[k] !== null; })
    .map(function (k) { return k + ' ' + (c.rate_bp[k] / 100).toFixed(2) + '%'; });
  return h('div', null,
    h('div', null, 'Rate: ' + (rates.length ? rates.join(', ') : 'unknown')),
    h('div', null, 'Migrants covered: ' + c.migrants_covered),
    h('div', null, 'Exportable: ' + c.exportable),
    h('div', { class: 'hint' }, 'Source: ' + c.source + '; in force from ' + c.effective_from +
      (c.effective_to ? ' to ' + c.effective_to : '') + (c.estimate ? '; estimate (VERIFY)' : '')),
    c.note ? h('div', { class: 'hint' }, c.note) : null);
}

function showWelfare(box, data) {
  clear(box);
  const cols = [{ label: 'Branch', get: function (b) { return b.label; }, rowHeader: true }];
  data.countries.forEach(function (cc) {
    cols.push({ label: cc, get: function (b) {
      const c = data.cells.filter(function (x) { return x.country === cc && x.branch === b.code; })[0];
      return welfareCell(c);
    } });
  });
  box.appendChild(table(cols, data.branches, 'Social security by country and branch'));
}

export function render(main, ctx) {
  main.appendChild(pageHeading('Social security across borders'));
  main.appendChild(h('p', { class: 'lead' }, 'What a migrant worker\'s old-age contributions are worth in each ' +
    'country: under that country\'s own rules, and under a totalisation agreement modelled on EU Regulation ' +
    '883/2004. Thailand is computed in full; for the other countries only the conditions are known.'));

  const list = h('div', { id: 'periods' });
  const rows = [];
  function removeRow(row) {
    if (rows.length === 1) { status('A work history needs at least one period.', 'error'); return; }
    const i = rows.findIndex(function (r) { return r.row === row; });
    rows.splice(i, 1);
    row.remove();
  }
  rows.push(periodRow(list, removeRow));
  const add = h('button', { type: 'button', id: 'period-add' }, 'Add a period');
  add.addEventListener('click', function () { rows.push(periodRow(list, removeRow)); });
  const birth = h('input', { type: 'text', id: 'port-birth', name: 'birth_year', maxlength: '4',
    inputmode: 'numeric', placeholder: 'YYYY' });
  const claim = h('input', { type: 'text', id: 'port-claim', name: 'claim_date', maxlength: '10',
    placeholder: 'YYYY-MM-DD' });
  const leave = h('input', { type: 'checkbox', id: 'port-switch-leave', name: 'thai_lump_sum_after_leaving' });
  const submit = h('button', { type: 'submit', id: 'port-submit', class: 'primary' }, 'Compute');
  const form = h('form', { id: 'port-form', novalidate: true },
    list,
    h('div', { class: 'actions' }, add),
    h('div', { class: 'grid card' },
      field('Birth year (for the age conditions)', birth, { hint: 'optional, e.g. 1980' }),
      field('Claim date', claim, { hint: 'optional, YYYY-MM-DD; today when empty' })),
    checkField('Thailand pays the old-age grant to a migrant who leaves before 55 (status uncertain: ' +
      'not found in the sources; you decide)', leave),
    h('div', { class: 'actions' }, submit));
  const result = h('div', { id: 'port-result', 'aria-live': 'polite' });
  main.appendChild(form);
  main.appendChild(result);

  const welfare = h('div', { id: 'welfare-table' }, h('p', { class: 'loading' }, 'Loading…'));
  main.appendChild(h('section', { class: 'sub', 'aria-labelledby': 'h-welfare' },
    h('h2', { id: 'h-welfare' }, 'Welfare systems compared'),
    h('p', null, '"Unknown" means the sources consulted say nothing: it is not a no.'),
    welfare));
  api('GET', '/welfare').then(function (data) {
    if (ctx.alive()) showWelfare(welfare, data);
  }, function (e) {
    if (ctx.alive()) { clear(welfare); welfare.appendChild(h('p', { class: 'error' }, errorText(e))); }
  });

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearErrors(form);
    let bad = null;
    const periods = rows.map(function (r) {
      [r.from, r.to].forEach(function (el) {
        if (!MONTH.test(el.value.trim())) { setFieldError(el, 'Write the month as YYYY-MM.'); bad = bad || el; }
      });
      if (!/^\d+(\.\d+)?$/.test(r.wage.value.trim())) {
        setFieldError(r.wage, 'Write the wage as a number, e.g. 15000.'); bad = bad || r.wage;
      }
      return { country: r.country.value, from: r.from.value.trim(), to: r.to.value.trim(), wage: r.wage.value.trim() };
    });
    const body = { periods: periods, switches: { thai_lump_sum_after_leaving: leave.checked } };
    if (birth.value.trim()) {
      if (!/^\d{4}$/.test(birth.value.trim())) { setFieldError(birth, 'Write a year, e.g. 1980.'); bad = bad || birth; }
      body.birth_year = parseInt(birth.value.trim(), 10);
    }
    if (claim.value.trim()) body.claim_date = claim.value.trim();
    if (bad) { status('Please correct the marked fields.', 'error'); bad.focus(); return; }
    const done = busy(submit);
    api('POST', '/portability', { body: body }).then(function (data) {
      done();
      if (!ctx.alive()) return;
      status('Computed.', 'ok');
      showResult(result, data);
    }, function (err) {
      done();
      if (ctx.alive()) status(errorText(err), 'error');
    });
  });
}
