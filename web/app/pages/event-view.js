// pages/event-view.js - one event (GET /api/v1/events/{id}): its place and
// dates, its acts with their details, perpetrator and victims, its sources
// and interventions. Names, contacts and health only on asking ("Show
// names"), and only to roles that may read identities: the server says
// which in its MRM-Identities header, and logs every reading of them.

import { api } from '../api.js';
import { h, textEl } from '../dom.js';
import { t, has } from '../i18n.js';
import { status, pageHeading, errorText, fmtNum, dateValid } from '../ui.js';
import { vocabs, labelOf } from '../vocab.js';
import { PARTS, SECRET, SCHEMES, detailPart } from '../fields.js';

export function fieldLabel(part, name) {
  const k = 'f_' + part + '_' + name;
  if (has(k)) return t(k);
  if (has('f_' + name)) return t('f_' + name);
  return name;
}

function valueText(kind, name, v, voc, obj) {
  if (v === null || v === undefined || v === '') return null;
  if (kind === 'bool' || typeof v === 'boolean') {
    const yes = v === true || v === 'true' || v === 1 || v === '1';
    return t(yes ? 'yes' : 'no');
  }
  if (kind === 'enum') return has('enum_' + v) ? t('enum_' + v) : String(v);
  if (kind === 'money') return String(v) + (obj.currency ? ' ' + obj.currency : '');
  if (kind && voc[kind]) return labelOf(voc[kind], v);
  if (typeof v === 'number') return fmtNum(v);
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// <dl> of the known fields of obj (in order), then any others it has.
function fieldList(part, obj, voc, skip) {
  const dl = h('dl', { class: 'fields' });
  const known = {};
  (skip || []).forEach(function (k) { known[k] = 1; });
  known.currency = 1;
  function add(name, kind) {
    known[name] = 1;
    const text = valueText(kind, name, obj[name], voc, obj);
    if (text === null) return;
    let dd;
    if (kind === 'url' && /^https?:\/\//i.test(text)) {
      dd = h('dd', null, h('a', { href: text, rel: 'noopener noreferrer', target: '_blank' }, text));
    } else {
      dd = textEl('dd', text);
    }
    if (SECRET[name]) dd.classList.add('secret');
    dl.appendChild(h('div', { class: 'pair' }, h('dt', null, fieldLabel(part, name)), dd));
  }
  (PARTS[part] || []).forEach(function (f) { if (!known[f[0]]) add(f[0], f[1]); });
  Object.keys(obj).forEach(function (k) {
    const v = obj[k];
    // *_precision follows from the date text itself (2024-05 is a month)
    if (known[k] || v === null || typeof v === 'object' || /_precision$/.test(k)) return;
    add(k, '');
  });
  return dl.children.length ? dl : null;
}

function detentionDays(act) {
  const a = act.start_date || '';
  const b = act.end_date || '';
  if (a.length !== 10 || b.length !== 10 || !dateValid(a) || !dateValid(b)) return null;
  const days = Math.round((Date.parse(b) - Date.parse(a)) / 86400000) + 1;
  return days > 0 ? days : null;
}

function actView(act, i, voc) {
  const type = act.type || '';
  const part = detailPart(type);
  const sec = h('section', { class: 'act card', 'data-act-type': type, 'aria-labelledby': 'act-h-' + i },
    h('h3', { id: 'act-h-' + i }, t('actN', { n: i + 1 }) + ': ' + (type ? labelOf(voc.act_type, type) : t('notRecorded'))));
  const main = fieldList('act', act, voc, ['type', 'arrest', 'detention', 'deportation', 'return', 'perpetrator', 'victim']);
  if (main) sec.appendChild(main);
  ['arrest', 'detention', 'deportation', 'return'].forEach(function (p) {
    if (!act[p]) return;
    sec.appendChild(h('h4', null, t('details_' + p)));
    const dl = fieldList(p, act[p], voc);
    if (dl) sec.appendChild(dl);
    if (p === 'detention' || (part === 'detention' && p === part)) {
      const d = detentionDays(act);
      if (d) sec.appendChild(h('p', { class: 'hint' }, t('detentionDays', { n: fmtNum(d) })));
    }
  });
  if (act.perpetrator) {
    sec.appendChild(h('h4', null, t('perpetrator')));
    sec.appendChild(fieldList('perpetrator', act.perpetrator, voc) || h('p', null, '—'));
  }
  if (act.victim) {
    const v = act.victim;
    const who = v.unit === 'group' ? t('groupOf', { n: fmtNum(Number(v.group_size) || 0) }) : t('enum_individual');
    sec.appendChild(h('h4', null, t('victims') + ': ' + who));
    sec.appendChild(fieldList('victim', v, voc, ['unit', 'group_size']) || h('p', null, '—'));
  }
  return sec;
}

function listSection(id, title, items, part, voc) {
  if (!items || !items.length) return null;
  return h('section', { 'aria-labelledby': id, class: 'sub' },
    h('h2', { id: id }, title),
    h('ol', { class: 'plain-list' }, items.map(function (x) {
      return h('li', { class: 'card' }, fieldList(part, x, voc) || '—');
    })));
}

// The bar above an event that says whether its names are shown, with the
// button that shows or hides them; null when the user may not read them.
function identityBar(mode, load) {
  if (mode !== 'withheld' && mode !== 'included') return null;
  const shown = mode === 'included';
  const button = h('button', { type: 'button', id: 'identities-toggle', class: shown ? 'secondary' : '' },
    t(shown ? 'hideIdentities' : 'showIdentities'));
  button.addEventListener('click', function () { load(!shown); });
  return h('div', { class: 'identity-bar' + (shown ? ' secret-box' : ''), role: 'region', 'aria-label': t('identities') },
    h('p', null, t(shown ? 'identitiesShown' : 'identitiesHidden')), button);
}

function show(body, head, ev, voc, bar) {
  head.textContent = ev.title || t('untitled');
  const l = textEl('span', ev.title || '').getAttribute('lang');
  if (l) head.setAttribute('lang', l);
  body.textContent = '';
  body.setAttribute('data-event-id', String(ev.id));
  if (bar) body.appendChild(bar);
  if (ev.summary) body.appendChild(textEl('p', ev.summary, { class: 'lead summary-full' }));
  if (ev.narrative) {
    body.appendChild(h('section', { class: 'sub secret-box', 'aria-labelledby': 'h-narr' },
      h('h2', { id: 'h-narr' }, t('f_narrative')), textEl('p', ev.narrative)));
  }
  const info = fieldList('event', ev, voc, ['id', 'title', 'summary', 'narrative', 'acts', 'sources',
    'interventions', 'attrs', 'start_precision', 'end_precision']);
  body.appendChild(h('section', { class: 'sub', 'aria-labelledby': 'h-where' },
    h('h2', { id: 'h-where' }, t('whenWhere')), info || h('p', null, '—')));
  if (ev.attrs && typeof ev.attrs === 'object' && Object.keys(ev.attrs).length) {
    const dl = h('dl', { class: 'fields' });
    Object.keys(ev.attrs).forEach(function (k) {
      const v = ev.attrs[k];
      dl.appendChild(h('div', { class: 'pair' }, h('dt', null, k), textEl('dd', Array.isArray(v) ? v.join(', ') : String(v))));
    });
    body.appendChild(h('section', { class: 'sub', 'aria-labelledby': 'h-attrs' },
      h('h2', { id: 'h-attrs' }, t('attributes')), dl));
  }
  const acts = ev.acts || [];
  body.appendChild(h('section', { class: 'sub', 'aria-labelledby': 'h-acts' },
    h('h2', { id: 'h-acts' }, t('acts') + ' (' + fmtNum(acts.length) + ')'),
    acts.length ? acts.map(function (a, i) { return actView(a, i, voc); }) : h('p', null, t('noActs'))));
  const s1 = listSection('h-sources', t('sources'), ev.sources, 'source', voc);
  if (s1) body.appendChild(s1);
  const s2 = listSection('h-interventions', t('interventions'), ev.interventions, 'intervention', voc);
  if (s2) body.appendChild(s2);
}

export function render(main, ctx) {
  const id = ctx.params[0];
  const head = pageHeading(t('eventTitle'));
  main.appendChild(h('p', { class: 'back' }, h('a', { href: '#/events' }, '← ' + t('backToEvents'))));
  main.appendChild(head);
  const body = h('div', { class: 'event-view' }, h('p', { class: 'loading' }, t('loading')));
  main.appendChild(body);

  function load(reveal) {
    let mode = 'none';
    const got = api('GET', '/events/' + encodeURIComponent(id), {
      query: { identities: reveal ? 1 : '' },
      onHeaders: function (hd) { mode = hd.get('MRM-Identities') || 'none'; }
    });
    Promise.all([got, vocabs(SCHEMES)]).then(function (res) {
      if (!ctx.alive()) return;
      show(body, head, Object.assign({ id: id }, res[0]), res[1], identityBar(mode, load));
      const toggle = document.getElementById('identities-toggle');
      if (toggle && reveal !== undefined) toggle.focus();
    }).catch(function (e) {
      if (!ctx.alive()) return;
      body.textContent = '';
      body.appendChild(h('p', null, e.status === 404 ? t('eventNotFound') : errorText(e)));
      status(e.status === 404 ? t('eventNotFound') : errorText(e), 'error');
    });
  }
  load();
}
