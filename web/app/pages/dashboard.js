// pages/dashboard.js - key monitoring figures from GET /api/v1/stats
// (docs/statistics.md). People are counted, not rows: a raid with 120
// arrested counts 120. A viewer only ever sees public figures (public=1).

import { api, can } from '../api.js';
import { h, checkField } from '../dom.js';
import { t } from '../i18n.js';
import { status, pageHeading, errorText, fmtValue } from '../ui.js';
import { columnChart, barList } from '../chart.js';
import { vocab, labelOf } from '../vocab.js';

const FIGURES = [
  { key: 'arrested', act: 'arrest', label: 'figArrested' },
  { key: 'detained', act: 'detention', label: 'figDetained' },
  { key: 'deported', act: 'deportation', label: 'figDeported' },
  { key: 'returned', act: 'return_reception', label: 'figReturned' }
];

function stats(query, pub) {
  const q = Object.assign({}, query);
  if (pub) q.public = '1';
  return api('GET', '/stats', { query: q });
}

function setFigure(el, value) {
  el.textContent = fmtValue(value);
  el.setAttribute('data-value', value === null || value === undefined ? '' : String(value));
  el.classList.remove('pending');
}

// Rows of a by=year answer as chart data: years in order, a year with
// nothing recorded between the first and the last is a zero, not a gap;
// unknown years are left out of the chart (they are in the total).
function yearSeries(answer) {
  const byYear = {};
  let lo = Infinity;
  let hi = -Infinity;
  (answer.rows || []).forEach(function (r) {
    const y = String(r.year);
    if (!/^\d{4}$/.test(y)) return;
    byYear[y] = r.value;
    lo = Math.min(lo, +y);
    hi = Math.max(hi, +y);
  });
  const out = [];
  for (let y = lo; y <= hi && out.length < 200; y++) {
    out.push({ label: String(y), value: byYear[String(y)] === undefined ? 0 : byYear[String(y)] });
  }
  return out;
}

export function render(main, ctx) {
  const internalAllowed = can('stats');
  const pub = !internalAllowed || ctx.query.get('public') === '1';
  const year = new Date().getFullYear();

  main.appendChild(pageHeading(t('dashTitle')));
  if (internalAllowed) {
    const box = h('input', { type: 'checkbox', id: 'dash-public', checked: pub });
    box.addEventListener('change', function () {
      ctx.navigate(box.checked ? '#/dashboard?public=1' : '#/dashboard');
    });
    main.appendChild(h('form', { class: 'inline-form', id: 'dash-options' }, checkField(t('dashPublic'), box)));
  }
  main.appendChild(h('p', { class: pub ? 'note' : 'note warn' }, pub ? t('publicNote') : t('internalNote')));

  const cards = {};
  const grid = h('div', { class: 'figures' });
  FIGURES.forEach(function (f) {
    const total = h('span', { class: 'fig-total pending', 'data-figure': f.key }, '…');
    const thisYear = h('span', { class: 'fig-year pending', 'data-figure': f.key + '-year' }, '…');
    cards[f.key] = { total: total, year: thisYear };
    grid.appendChild(h('section', { class: 'figure', 'aria-labelledby': 'fig-' + f.key },
      h('h2', { id: 'fig-' + f.key }, t(f.label)),
      h('p', { class: 'fig-main' }, total, h('span', { class: 'fig-unit' }, ' ' + t('inTotal'))),
      h('p', { class: 'fig-sub' }, t('thisYear', { year: year }) + ': ', thisYear)));
  });
  const people = h('span', { class: 'fig-total pending', 'data-figure': 'total-persons' }, '…');
  grid.appendChild(h('section', { class: 'figure all', 'aria-labelledby': 'fig-total-persons' },
    h('h2', { id: 'fig-total-persons' }, t('figPeople')),
    h('p', { class: 'fig-main' }, people),
    h('p', { class: 'fig-sub' }, t('figPeopleHint'))));
  main.appendChild(grid);

  const yearBox = h('div', { class: 'chart-slot', id: 'chart-arrests' }, h('p', { class: 'loading' }, t('loading')));
  const natBox = h('div', { class: 'chart-slot', id: 'chart-nationality' }, h('p', { class: 'loading' }, t('loading')));
  main.appendChild(h('div', { class: 'charts' },
    h('section', { 'aria-labelledby': 'h-by-year' }, h('h2', { id: 'h-by-year' }, t('chartArrestsByYear')), yearBox),
    h('section', { 'aria-labelledby': 'h-by-nat' }, h('h2', { id: 'h-by-nat' }, t('chartByNationality')), natBox)));

  let failures = 0;
  function failed(e) {
    failures += 1;
    if (ctx.alive() && failures === 1) status(errorText(e), 'error');
  }

  FIGURES.forEach(function (f) {
    stats({ measure: 'persons', by: 'year', where: 'act_type=' + f.act }, pub).then(function (ans) {
      if (!ctx.alive()) return;
      const row = (ans.rows || []).find(function (r) { return String(r.year) === String(year); });
      setFigure(cards[f.key].total, ans.total);
      setFigure(cards[f.key].year, row ? row.value : 0);
      if (f.key === 'arrested') {
        const data = yearSeries(ans);
        yearBox.textContent = '';
        if (!data.length) yearBox.appendChild(h('p', { class: 'empty' }, t('noFigures')));
        else {
          yearBox.appendChild(columnChart({ title: t('chartArrestsByYear'), desc: t('chartArrestsDesc'),
            data: data, axis: t('year'), valueLabel: t('persons'), width: yearBox.clientWidth - 26 }));
        }
      }
    }).catch(function (e) {
      if (!ctx.alive()) return;
      setFigure(cards[f.key].total, null);
      setFigure(cards[f.key].year, null);
      if (f.key === 'arrested') yearBox.textContent = t('noFigures');
      failed(e);
    });
  });

  stats({ measure: 'distinct-persons' }, pub).then(function (ans) {
    if (ctx.alive()) setFigure(people, ans.total);
  }).catch(function (e) {
    if (!ctx.alive()) return;
    setFigure(people, null);
    failed(e);
  });

  Promise.all([stats({ measure: 'distinct-persons', by: 'nationality' }, pub),
    vocab('country').catch(function () { return []; })]).then(function (res) {
    if (!ctx.alive()) return;
    const ans = res[0];
    const countries = res[1];
    const rows = (ans.rows || []).filter(function (r) { return r.nationality !== '*'; });
    const num = function (v) { return typeof v === 'number' ? v : -1; };
    rows.sort(function (a, b) {
      if (a.nationality === 'unknown') return 1;
      if (b.nationality === 'unknown') return -1;
      return num(b.value) - num(a.value);
    });
    natBox.textContent = '';
    if (!rows.length) { natBox.appendChild(h('p', { class: 'empty' }, t('noFigures'))); return; }
    natBox.appendChild(barList({ title: t('chartByNationality'), data: rows.slice(0, 15).map(function (r) {
      return { label: labelOf(countries, r.nationality), value: r.value };
    }) }));
    if (rows.length > 15) natBox.appendChild(h('p', { class: 'hint' }, t('moreRows', { n: rows.length - 15 })));
  }).catch(function (e) {
    if (!ctx.alive()) return;
    natBox.textContent = t('noFigures');
    failed(e);
  });
}
