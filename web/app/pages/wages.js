// pages/wages.js - wage records with what is owed, and recruitment costs
// with their burden (GET /api/v1/wages and /api/v1/recruitment: the
// records of the user's organisation and those shared with it). Every
// legal figure is shown with its source and the dates it is in force;
// totals by corridor are summed per currency, never converted.

import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { status, pageHeading, errorText, table } from '../ui.js';

const PAGE = 50;

// "1440.00" (+ "THB") -> "1,440.00 THB"
function money(text, currency) {
  if (text === null || text === undefined || text === '') return '';
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(String(text));
  const body = m ? m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] || '') : String(text);
  return currency ? body + ' ' + currency : body;
}

// Sums of decimal texts per currency, exactly (in minor units).
function Sums() {
  this.minor = {};
  this.digits = {};
}
Sums.prototype.add = function (text, currency) {
  const m = /^(-?\d+)(?:\.(\d+))?$/.exec(String(text || ''));
  if (!m) return;
  const d = m[2] ? m[2].length : 0;
  this.digits[currency] = d;
  this.minor[currency] = (this.minor[currency] || 0) + Number(m[1] + (m[2] || ''));
};
Sums.prototype.text = function (currency) {
  const d = this.digits[currency] || 0;
  let s = String(Math.abs(this.minor[currency] || 0));
  while (s.length <= d) s = '0' + s;
  const v = (this.minor[currency] < 0 ? '-' : '') + s.slice(0, s.length - d) + (d ? '.' + s.slice(s.length - d) : '');
  return money(v, currency);
};

function unitText(unit) {
  return unit ? t('wgUnit_' + unit) : '';
}

function inForce(f) {
  return t('wgInForce', { from: f.effective_from, to: f.effective_to || t('refOpenEnded') });
}

// A legal figure: amount per unit, then its source and dates.
function figure(f, id) {
  const parts = [h('span', { class: 'wg-amount' }, money(f.amount, f.currency) + (f.unit ? ' ' + unitText(f.unit) : ''))];
  const src = [h('span', { class: 'wg-source' }, t('wgSource') + ': ' + f.source)];
  if (f.source_url) src[0] = h('a', { href: f.source_url, rel: 'noopener noreferrer', target: '_blank', class: 'wg-source' }, t('wgSource') + ': ' + f.source);
  src.push(h('span', null, ' · ' + inForce(f) + ' · ' + f.key));
  if (f.estimate) src.push(h('span', { class: 'badge warn', title: t('refEstimateHint') }, ' ' + t('refEstimate')));
  parts.push(h('div', { class: 'hint' }, src));
  if (f.note) parts.push(h('div', { class: 'hint' }, f.note));
  return h('div', { id: id || null }, parts);
}

function pair(label, value, cls) {
  if (value === null || value === undefined || value === '') return null;
  return h('div', { class: 'pair' + (cls ? ' ' + cls : '') }, h('dt', null, label),
    h('dd', null, value));
}

function reason(text) {
  return h('span', { class: 'wg-error' }, t('wgNoFigure') + ': ' + text);
}

function wageCard(w) {
  const cur = w.currency;
  const place = [w.admin1 || w.country, w.area].filter(Boolean).join(', ');
  const rows = [
    pair(t('wgEvent'), w.event),
    pair(t('wgWorker'), w.victim || ''),
    pair(t('wgEmployer'), w.employer || ''),
    pair(t('wgPlace'), place),
    pair(t('wgSector'), w.sector || ''),
    pair(t('wgPeriod'), w.period_start + ' – ' + w.period_end),
    pair(t('wgDays'), w.days_worked === null || w.days_worked === undefined ? '' : String(w.days_worked)),
    pair(t('wgPaid'), money(w.amount_paid, cur)),
    pair(t('wgMinimum'), w.minimum ? figure(w.minimum, 'wg-min-' + w.id) : reason(w.minimum_error))
  ];
  if (w.minimum) {
    rows.push(pair(t('wgLegal'), money(w.legal, cur)));
    rows.push(pair(t('wgShortfall'), money(w.shortfall_per_day, cur)));
    rows.push(pair(t('wgOwed'), h('strong', { class: 'wg-owed' }, money(w.owed, cur)), 'wg-owed-row'));
    if (w.minimum_at_end) {
      rows.push(pair(t('wgAtEnd'), h('div', null, figure(w.minimum_at_end),
        h('p', { class: 'hint' }, t('wgSplit')))));
    }
  }
  rows.push(pair(t('wgLiving'), w.living_wage ? figure(w.living_wage) : reason(w.living_wage_error)));
  if (w.living_wage) rows.push(pair(t('wgLivingGap'), money(w.living_wage_gap, cur)));
  return h('article', { class: 'card wg-record', 'data-wage-id': String(w.id) },
    h('h3', null, (w.employer || t('wgEmployer')) + ' · ' + w.period_start),
    h('dl', { class: 'fields' }, rows.filter(Boolean)));
}

function costCard(c) {
  const cur = c.currency;
  const rows = [
    pair(t('wgEvent'), c.event),
    pair(t('wgWorker'), c.victim || ''),
    pair(t('wgCorridor'), c.corridor),
    pair(t('wgPaidTo'), c.paid_to || ''),
    pair(t('wgChannel'), c.channel || ''),
    pair(t('wgDate'), c.date || ''),
    pair(t('wgAmount'), money(c.amount, cur)),
    pair(t('wgEarnings'), c.monthly_earnings ? money(c.monthly_earnings, cur) : ''),
    pair(t('wgBurden'), c.burden_percent !== null && c.burden_percent !== undefined
      ? h('strong', null, c.burden_percent + ' %') : reason(c.burden_error))
  ];
  if (c.rate) rows.push(pair(t('wgRate'), figure(c.rate)));
  rows.push(pair(t('wgCap'), c.cap
    ? h('div', null, h('div', null, money(c.cap_amount, cur)), figure(c.cap))
    : reason(c.cap_error)));
  if (c.cap) rows.push(pair(t('wgOver'), money(c.over_cap, cur)));
  return h('article', { class: 'card wg-cost', 'data-cost-id': String(c.id) },
    h('h3', null, c.corridor + ' · ' + (c.date || '')),
    h('dl', { class: 'fields' }, rows.filter(Boolean)));
}

// Rows {corridor, currency, ...} from the wage records.
function wageTotals(items) {
  const by = {};
  const order = [];
  items.forEach(function (w) {
    const k = w.corridor + '|' + w.currency;
    if (!by[k]) { by[k] = { corridor: w.corridor, currency: w.currency, n: 0, none: 0, owed: new Sums() }; order.push(k); }
    by[k].n++;
    if (w.minimum) by[k].owed.add(w.owed, w.currency);
    else by[k].none++;
  });
  order.sort();
  return order.map(function (k) { return by[k]; });
}

function costTotals(items) {
  const by = {};
  const order = [];
  items.forEach(function (c) {
    const k = c.corridor + '|' + c.currency;
    if (!by[k]) { by[k] = { corridor: c.corridor, currency: c.currency, n: 0, paid: new Sums(), burden: [], over: 0, compared: 0 }; order.push(k); }
    const x = by[k];
    x.n++;
    x.paid.add(c.amount, c.currency);
    if (c.burden_percent !== null && c.burden_percent !== undefined) x.burden.push(Number(c.burden_percent));
    if (c.cap) { x.compared++; if (Number(c.over_cap) > 0) x.over++; }
  });
  order.sort();
  return order.map(function (k) { return by[k]; });
}

function totalsTables(wages, costs) {
  const out = [];
  const wt = wageTotals(wages);
  if (wt.length) {
    out.push(table([
      { label: t('wgCorridor'), rowHeader: true, get: function (r) { return r.corridor; } },
      { label: t('wgCurrency'), get: function (r) { return r.currency; } },
      { label: t('wgRecords'), class: 'num', get: function (r) { return String(r.n); } },
      { label: t('wgNoMinimum'), class: 'num', get: function (r) { return String(r.none); } },
      { label: t('wgOwedTotal'), class: 'num', get: function (r) { return r.owed.text(r.currency); } }
    ], wt, t('wgTotalsWages')));
  }
  const ct = costTotals(costs);
  if (ct.length) {
    out.push(table([
      { label: t('wgCorridor'), rowHeader: true, get: function (r) { return r.corridor; } },
      { label: t('wgCurrency'), get: function (r) { return r.currency; } },
      { label: t('wgCostsN'), class: 'num', get: function (r) { return String(r.n); } },
      { label: t('wgPaidTotal'), class: 'num', get: function (r) { return r.paid.text(r.currency); } },
      { label: t('wgMeanBurden'), class: 'num', get: function (r) {
        if (!r.burden.length) return '';
        const sum = r.burden.reduce(function (a, b) { return a + b; }, 0);
        return (sum / r.burden.length).toFixed(1) + ' %';
      } },
      { label: t('wgOverCap'), class: 'num', get: function (r) { return r.compared ? r.over + ' / ' + r.compared : ''; } }
    ], ct, t('wgTotalsCosts')));
  }
  return out;
}

// A list shown PAGE cards at a time.
function cardList(id, items, card, empty) {
  const box = h('div', { id: id, class: 'wg-list' });
  if (!items.length) {
    box.appendChild(h('p', { class: 'hint' }, empty));
    return box;
  }
  let shown = 0;
  const more = h('button', { type: 'button', class: 'secondary', id: id + '-more' }, t('wgShowMore'));
  function next() {
    items.slice(shown, shown + PAGE).forEach(function (x) { box.insertBefore(card(x), more); });
    shown = Math.min(items.length, shown + PAGE);
    more.hidden = shown >= items.length;
  }
  more.addEventListener('click', next);
  box.appendChild(more);
  next();
  return box;
}

export function render(main, ctx) {
  main.appendChild(pageHeading(t('wgTitle')));
  main.appendChild(h('p', { class: 'lead' }, t('wgLead')));
  const totals = h('section', { id: 'wg-totals', 'aria-busy': 'true' }, h('h2', null, t('wgTotals')));
  const records = h('section', { id: 'wg-records' }, h('h2', null, t('wgRecords')));
  const costs = h('section', { id: 'wg-costs' }, h('h2', null, t('wgCosts')));
  main.appendChild(totals);
  main.appendChild(records);
  main.appendChild(costs);

  Promise.all([api('GET', '/wages'), api('GET', '/recruitment')]).then(function (docs) {
    if (ctx && ctx.alive && !ctx.alive()) return;
    const wages = docs[0].items || [];
    const cs = docs[1].items || [];
    totals.removeAttribute('aria-busy');
    totalsTables(wages, cs).forEach(function (el) { totals.appendChild(el); });
    if (!wages.length && !cs.length) totals.appendChild(h('p', { class: 'hint' }, t('wgNone')));
    records.appendChild(cardList('wg-record-list', wages, wageCard, t('wgNone')));
    costs.appendChild(cardList('wg-cost-list', cs, costCard, t('wgNoCosts')));
    records.setAttribute('data-loaded', 'true');
    status('');
  }).catch(function (e) {
    totals.removeAttribute('aria-busy');
    clear(records);
    records.appendChild(h('p', { class: 'error' }, errorText(e)));
    status(errorText(e), 'error');
  });
}
