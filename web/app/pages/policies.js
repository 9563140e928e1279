// pages/policies.js - the policy register (GET /api/v1/policies?country=)
// and one policy (GET /api/v1/policies/{key}) with the policy on the
// ground (GET /api/v1/policies/{key}/impact): acts and persons before and
// after its date, and a link to that comparison as a report (GET
// /api/v1/reports/policy-impact?policy=). Every policy is shown with its
// source and dates. A viewer sees the public (disclosure-controlled)
// comparison only.

import { api, apiUrl, can } from '../api.js';
import { h, field, select, checkField } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { status, pageHeading, errorText, fmtValue } from '../ui.js';

const COUNTRIES = ['', 'TH', 'MM', 'KH', 'LA', 'VN', 'CN', 'ASEAN', 'CLMTV'];

function dateOf(p) {
  return p.effective_from || p.adopted || '';
}

function sourceLine(p) {
  return h('p', { class: 'hint policy-source' },
    t('policySource') + ': ' + p.source + (p.source_url ? ' (' + p.source_url + ')' : '') +
    (p.estimate ? ' · ' + t('policyEstimate') : ''));
}

function listView(main, ctx) {
  const country = select({ id: 'policy-country', name: 'country' },
    COUNTRIES.map(function (c) { return { value: c, label: c || t('policyAll') }; }));
  country.value = ctx.query.get('country') || '';
  const list = h('div', { id: 'policy-list' });
  main.appendChild(pageHeading(t('policiesTitle')));
  main.appendChild(h('p', { class: 'lead' }, t('policiesLead')));
  main.appendChild(h('div', { class: 'card' }, field(t('country'), country)));
  main.appendChild(list);
  country.addEventListener('change', function () {
    ctx.navigate('#/policies' + (country.value ? '?country=' + encodeURIComponent(country.value) : ''));
  });
  api('GET', '/policies', { query: { country: country.value } }).then(function (data) {
    if (!ctx.alive()) return;
    const items = (data && data.items) || [];
    if (!items.length) { list.appendChild(h('p', null, t('none'))); return; }
    list.appendChild(h('table', { class: 'data' },
      h('thead', null, h('tr', null,
        h('th', null, t('policyDate')), h('th', null, t('country')),
        h('th', null, t('policyInstrument')), h('th', null, t('policyTitle')),
        h('th', null, t('policySource')))),
      h('tbody', null, items.map(function (p) {
        return h('tr', null,
          h('td', null, dateOf(p)), h('td', null, p.country),
          h('td', null, p.instrument),
          h('td', null, h('a', { href: '#/policies/' + encodeURIComponent(p.key) }, p.title)),
          h('td', null, p.source + (p.estimate ? ' (' + t('policyEstimate') + ')' : '')));
      }))));
  }, function (e) { if (ctx.alive()) status(errorText(e), 'error'); });
}

function pairCells(pair) {
  const change = pair.change === null || pair.change === undefined ? ''
    : (pair.change > 0 ? '+' : '') + pair.change;
  return [h('td', { class: 'num' }, fmtValue(pair.before)), h('td', { class: 'num' }, fmtValue(pair.after)),
    h('td', { class: 'num' }, change)];
}

function impactTable(r) {
  const rows = r.rows.map(function (row) {
    return h('tr', null, [h('th', null, row[r.by])].concat(pairCells(row.acts), pairCells(row.persons)));
  });
  return h('table', { class: 'data', id: 'impact-table' },
    h('caption', null, t('impactCaption', { at: r.at, before: r.before.from + ' – ' + r.before.to,
      after: r.after.from + ' – ' + r.after.to })),
    h('thead', null,
      h('tr', null, h('th', { rowspan: '2' }, r.by === 'nationality' ? t('f_nationality') : t('actType')),
        h('th', { colspan: '3' }, t('impactActs')), h('th', { colspan: '3' }, t('impactPersons'))),
      h('tr', null, [0, 1].map(function () {
        return [h('th', null, t('impactBefore')), h('th', null, t('impactAfter')), h('th', null, t('impactChange'))];
      }))),
    h('tbody', null, rows),
    h('tfoot', null, h('tr', null, [h('th', null, t('impactTotal'))].concat(
      pairCells(r.total.acts), pairCells(r.total.persons)))));
}

function showView(main, ctx, key) {
  const internal = can('stats');
  const box = h('div', { id: 'policy-view' });
  main.appendChild(box);
  api('GET', '/policies/' + encodeURIComponent(key)).then(function (p) {
    if (!ctx.alive()) return;
    box.appendChild(pageHeading(p.title));
    box.appendChild(h('dl', { class: 'policy' },
      h('dt', null, t('country')), h('dd', null, p.country),
      h('dt', null, t('policyInstrument')), h('dd', null, p.instrument),
      h('dt', null, t('policyAdopted')), h('dd', null, p.adopted || '—'),
      h('dt', null, t('policyInForce')), h('dd', null, (p.effective_from || '—') + (p.effective_to ? ' – ' + p.effective_to : '')),
      h('dt', null, t('policySummary')), h('dd', null, p.summary || '—'),
      h('dt', null, t('policyNote')), h('dd', null, p.note || '—')));
    box.appendChild(sourceLine(p));
    const win = h('input', { type: 'number', id: 'impact-window', min: '1', max: '120', value: '12' });
    const by = select({ id: 'impact-by' }, [{ value: 'act_type', label: t('actType') },
      { value: 'nationality', label: t('f_nationality') }]);
    const pub = h('input', { type: 'checkbox', id: 'impact-public', checked: true, disabled: !internal });
    const out = h('div', { id: 'impact-out' });
    const link = h('a', { id: 'impact-report', target: '_blank', rel: 'noopener noreferrer' }, t('impactReport'));
    const form = h('form', { class: 'card', id: 'impact-form', novalidate: true },
      h('h2', null, t('impactTitle')),
      h('div', { class: 'grid' }, field(t('impactWindow'), win), field(t('impactBy'), by)),
      checkField(t('publicEdition'), pub),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('impactShow')), link));
    box.appendChild(form);
    box.appendChild(out);
    function query() {
      return { window: win.value, by: by.value, public: pub.checked || !internal ? '1' : '' };
    }
    function load() {
      // the policy-impact report, in the language of the interface
      link.href = apiUrl('/reports/policy-impact',
        Object.assign({ policy: key, lang: getLang() }, query()));
      out.textContent = '';
      api('GET', '/policies/' + encodeURIComponent(key) + '/impact', { query: query() }).then(function (r) {
        if (!ctx.alive()) return;
        out.appendChild(impactTable(r));
        out.appendChild(h('p', { class: 'hint' }, t('impactUnplaced', {
          acts: fmtValue(r.unplaced.acts), persons: fmtValue(r.unplaced.persons) })));
      }, function (e) { if (ctx.alive()) status(errorText(e), 'error'); });
    }
    form.addEventListener('submit', function (e) { e.preventDefault(); load(); });
    load();
  }, function (e) { if (ctx.alive()) status(errorText(e), 'error'); });
}

export function render(main, ctx) {
  if (ctx.params && ctx.params[0]) showView(main, ctx, decodeURIComponent(ctx.params[0]));
  else listView(main, ctx);
}
