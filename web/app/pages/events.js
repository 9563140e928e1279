// pages/events.js - the organisation's events, newest first, with filters
// and full-text search (GET /api/v1/events?q=&country=&act_type=&from=&to=),
// paged with next_cursor behind a "more" button.

import { api, listOf } from '../api.js';
import { h, field, select, textEl, setSelect } from '../dom.js';
import { t } from '../i18n.js';
import { dateError, status, pageHeading, errorText, busy, dateValid, setFieldError, clearErrors, fmtNum } from '../ui.js';
import { vocabs, labelOf, termOptions, countryOptions } from '../vocab.js';

const FILTERS = ['q', 'country', 'act_type', 'from', 'to'];

function itemView(ev, voc) {
  const id = ev.id;
  const meta = [];
  if (ev.start_date) meta.push(h('span', { class: 'date' }, ev.start_date + (ev.end_date ? ' – ' + ev.end_date : '')));
  if (ev.country) meta.push(h('span', null, labelOf(voc.country, ev.country)));
  if (ev.admin1) meta.push(h('span', null, labelOf(voc.admin1, ev.admin1)));
  if (ev.place) meta.push(textEl('span', ev.place));
  const types = [];
  const seen = {};
  (ev.acts || []).forEach(function (a) {
    const code = typeof a === 'string' ? a : a && a.type;
    if (code && !seen[code]) { seen[code] = 1; types.push(code); }
  });
  (ev.act_types || []).forEach(function (c) { if (!seen[c]) { seen[c] = 1; types.push(c); } });
  return h('li', { class: 'event-item', 'data-event-id': String(id) },
    h('h3', null, h('a', { href: '#/events/' + encodeURIComponent(id) },
      textEl('span', ev.title || t('untitled')))),
    meta.length ? h('p', { class: 'meta' }, meta.map(function (m, i) { return i ? [' · ', m] : m; })) : null,
    ev.summary ? textEl('p', ev.summary, { class: 'summary' }) : null,
    types.length ? h('ul', { class: 'tags', 'aria-label': t('acts') }, types.map(function (c) {
      return h('li', null, labelOf(voc.act_type, c));
    })) : null);
}

export function render(main, ctx) {
  const q = ctx.query;
  const search = h('input', { id: 'search', name: 'q', type: 'search', value: q.get('q') || '',
    autocomplete: 'off', maxlength: '200' });
  const country = h('select', { id: 'filter-country', name: 'country' });
  const actType = h('select', { id: 'filter-act-type', name: 'act_type' });
  const from = h('input', { id: 'filter-from', name: 'from', type: 'text', 'data-digits': 'date',
    placeholder: t('datePlaceholder'), value: q.get('from') || '', maxlength: '10' });
  const to = h('input', { id: 'filter-to', name: 'to', type: 'text', 'data-digits': 'date',
    placeholder: t('datePlaceholder'), value: q.get('to') || '', maxlength: '10' });
  const submit = h('button', { id: 'search-submit', type: 'submit', class: 'primary' }, t('search'));
  const reset = h('button', { id: 'filter-reset', type: 'button', class: 'secondary' }, t('clearFilters'));
  const form = h('form', { id: 'events-filter', class: 'filters card', role: 'search', novalidate: true },
    field(t('searchLabel'), search, { wide: true, hint: t('searchHint') }),
    field(t('country'), country),
    field(t('actType'), actType),
    field(t('dateFrom'), from, { hint: t('dateHint') }),
    field(t('dateTo'), to),
    h('div', { class: 'actions' }, submit, reset));

  const count = h('p', { id: 'events-count', class: 'count', tabindex: '-1' });
  const list = h('ul', { id: 'events-list', class: 'event-list', 'aria-labelledby': 'results-title' });
  const more = h('button', { id: 'events-more', type: 'button', class: 'secondary', hidden: true }, t('more'));

  main.appendChild(h('div', { class: 'head-row' }, pageHeading(t('eventsTitle')),
    h('a', { href: '#/new-event', class: 'button-link' }, t('navNewEvent'))));
  main.appendChild(form);
  main.appendChild(h('section', { 'aria-labelledby': 'results-title', class: 'results' },
    h('h2', { id: 'results-title' }, t('results')), count, list, h('div', { class: 'actions' }, more)));

  let voc = { country: [], admin1: [], act_type: [] };
  let cursor = null;
  let shown = 0;
  let params = {};
  let useSearch = false; // fall back to /search when /events does not take q
  let loadSeq = 0;

  const vocabReady = vocabs(['country', 'admin1', 'act_type']).then(function (v) {
    if (!ctx.alive()) return;
    voc = v;
    country.appendChild(h('option', { value: '' }, t('anyCountry')));
    countryOptions(v.country).forEach(function (o) { appendOpt(country, o); });
    setSelect(country, q.get('country') || '');
    actType.appendChild(h('option', { value: '' }, t('anyActType')));
    termOptions(v.act_type).forEach(function (o) { appendOpt(actType, o); });
    setSelect(actType, q.get('act_type') || '');
  });

  function appendOpt(sel, o) {
    if (o.group) {
      const g = h('optgroup', { label: o.group });
      o.options.forEach(function (x) { appendOpt(g, x); });
      sel.appendChild(g);
    } else {
      const opt = h('option', { value: o.value }, o.label);
      if (o.lang) opt.setAttribute('lang', o.lang);
      sel.appendChild(opt);
    }
  }

  function currentParams() {
    const p = {};
    const vals = { q: search.value.trim(), country: country.value, act_type: actType.value,
      from: from.value.trim(), to: to.value.trim() };
    FILTERS.forEach(function (k) {
      if (vals[k]) p[k] = vals[k];
      else if (k === 'country' || k === 'act_type') {
        // the vocabulary may still be loading: keep the filter asked for
        if (!country.options.length && k === 'country' && q.get('country')) p[k] = q.get('country');
        if (!actType.options.length && k === 'act_type' && q.get('act_type')) p[k] = q.get('act_type');
      }
    });
    return p;
  }

  async function load(append) {
    const mine = ++loadSeq;
    const stop = busy(append ? more : submit);
    list.setAttribute('aria-busy', 'true');
    list.setAttribute('data-loaded', 'false');
    status(t('loadingEvents'), 'busy');
    const query = Object.assign({ limit: 50 }, params);
    if (append && cursor) query.cursor = cursor;
    let data;
    try {
      if (useSearch) data = await api('GET', '/search', { query: query });
      else data = await api('GET', '/events', { query: query });
    } catch (e) {
      if (!useSearch && e.status === 400 && params.q && e.field === 'q') {
        useSearch = true;
        stop();
        return load(append);
      }
      stop();
      if (ctx.alive() && mine === loadSeq) {
        list.setAttribute('aria-busy', 'false');
        status(errorText(e), 'error');
      }
      return;
    }
    await vocabReady;
    stop();
    if (!ctx.alive() || mine !== loadSeq) return;
    const page = listOf(data);
    if (!append) { list.textContent = ''; shown = 0; }
    const first = page.items.length ? itemView(page.items[0], voc) : null;
    page.items.forEach(function (ev, i) { list.appendChild(i === 0 ? first : itemView(ev, voc)); });
    shown += page.items.length;
    cursor = page.next;
    more.hidden = !cursor;
    list.setAttribute('aria-busy', 'false');
    list.setAttribute('data-loaded', 'true');
    const msg = shown === 0 ? t('noEvents') : cursor ? t('eventsShownMore', { n: fmtNum(shown) }) : t('eventsShown', { n: fmtNum(shown) });
    count.textContent = msg;
    status(msg, 'info');
    if (append && first) first.querySelector('a').focus();
  }

  function validate() {
    clearErrors(form);
    let bad = null;
    [from, to].forEach(function (el) {
      const v = el.value.trim();
      if (v && !dateValid(v)) { setFieldError(el, dateError(v)); bad = bad || el; }
    });
    return bad;
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    const bad = validate();
    if (bad) { status(t('fixErrors'), 'error'); bad.focus(); return; }
    params = currentParams();
    useSearch = false;
    cursor = null;
    const qs = new URLSearchParams(params).toString();
    history.replaceState(null, '', '#/events' + (qs ? '?' + qs : ''));
    load(false);
  });
  reset.addEventListener('click', function () {
    search.value = '';
    country.value = '';
    actType.value = '';
    from.value = '';
    to.value = '';
    clearErrors(form);
    params = {};
    cursor = null;
    history.replaceState(null, '', '#/events');
    load(false);
    search.focus();
  });
  more.addEventListener('click', function () { load(true); });

  params = currentParams();
  load(false);
}
