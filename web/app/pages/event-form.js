// pages/event-form.js - a new event (POST /api/v1/events) in the shape of
// the export: {"title", "start_date", "country", "admin1", "place",
// "acts": [{"type", "start_date", "arrest": {...}, "perpetrator": {...},
// "victim": {...}}], "interventions": [...]}.
//
// Arrest -> detention -> deportation -> return is a guided sequence: "next
// step" adds the next act with sensible defaults, and its victims are the
// same people as in the act before (one person record shared through a
// victim key, so that they are counted once as distinct persons and once
// per act).
//
// An unsaved form is kept in memory (never in storage: it can hold names)
// when the user goes to another page or switches language, and comes back.

import { api, listOf } from '../api.js';
import { h, field, checkField, select, setSelect, fillOptions, clear, $all } from '../dom.js';
import { t } from '../i18n.js';
import { dateError, status, flash, pageHeading, errorText, busy, dateValid, datePrecision, truncateDate,
  dateNotAfter, setFieldError, clearErrors } from '../ui.js';
import { vocabs, labelOf, termOptions, countryOptions, admin1Options, CURRENCIES, currencyOf } from '../vocab.js';
import { detailPart, nextInSequence } from '../fields.js';
import { getDraft, setDraft } from '../draft.js';


const MONEY_RE = /^\d{1,12}(\.\d{1,2})?$/;

function randomKey() {
  const b = new Uint8Array(6);
  (window.crypto || window.msCrypto).getRandomValues(b);
  let hex = '';
  for (let i = 0; i < b.length; i++) hex += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return 'web-' + Date.now().toString(36) + '-' + hex;
}

function currencySelect(cls, value) {
  const el = select({ class: cls }, CURRENCIES.map(function (c) { return { value: c, label: c }; }));
  el.value = value || 'THB';
  return el;
}

function text(cls, attrs) {
  return h('input', Object.assign({ type: 'text', class: cls }, attrs || {}));
}

export function render(main, ctx) {
  let voc = { country: [], admin1: [], act_type: [], perpetrator_type: [], facility_type: [],
    checkpoint: [], sex: [], doc_status: [], sector: [], intervention_type: [] };
  let dirty = false;
  let saved = false;
  const acts = []; // act block objects, in order
  const ivs = []; // intervention block objects

  const title = text('', { id: 'event-title', name: 'title', required: true, maxlength: '500', 'data-field': 'title' });
  const summary = h('textarea', { id: 'event-summary', name: 'summary', rows: '4', 'data-field': 'summary' });
  const date = text('', { id: 'event-date', name: 'start_date', 'data-digits': 'date', maxlength: '10',
    placeholder: t('datePlaceholder'), autocomplete: 'off', 'data-field': 'start_date' });
  const precision = select({ id: 'event-precision', name: 'start_precision' }, [
    { value: 'day', label: t('precDay') }, { value: 'month', label: t('precMonth') },
    { value: 'year', label: t('precYear') }]);
  const country = h('select', { id: 'event-country', name: 'country', 'data-field': 'country' });
  const admin1 = h('select', { id: 'event-admin1', name: 'admin1', 'data-field': 'admin1' });
  const place = text('', { id: 'event-place', name: 'place', maxlength: '500', 'data-field': 'place' });

  const actList = h('div', { id: 'acts', class: 'act-list' });
  const addAct = h('button', { id: 'add-act', type: 'button', class: 'secondary' }, t('addAct'));
  const nextStep = h('button', { id: 'next-step', type: 'button', class: 'secondary' }, t('nextStepFirst'));
  const ivList = h('div', { id: 'interventions', class: 'iv-list' });
  const addIv = h('button', { id: 'add-intervention', type: 'button', class: 'secondary' }, t('addIntervention'));
  const save = h('button', { id: 'event-save', type: 'submit', class: 'primary' }, t('saveEvent'));
  const draftNote = h('div', { id: 'draft-note', class: 'note', hidden: true });

  const form = h('form', { id: 'event-form', novalidate: true, 'aria-labelledby': 'page-title' },
    h('fieldset', { class: 'card' },
      h('legend', null, t('aboutEvent')),
      h('div', { class: 'grid' },
        field(t('f_title'), title, { required: true, wide: true }),
        field(t('f_summary'), summary, { wide: true, hint: t('summaryHint') }),
        field(t('f_start_date'), date, { hint: t('dateHint') }),
        field(t('precision'), precision),
        field(t('f_country'), country),
        field(t('f_admin1'), admin1),
        field(t('f_place'), place, { wide: true, hint: t('placeHint') }))),
    h('section', { class: 'sub', 'aria-labelledby': 'h-acts' },
      h('h2', { id: 'h-acts' }, t('acts')),
      h('p', { class: 'hint' }, t('actsHint')),
      actList,
      h('div', { class: 'actions' }, addAct, nextStep)),
    h('section', { class: 'sub', 'aria-labelledby': 'h-ivs' },
      h('h2', { id: 'h-ivs' }, t('interventions')),
      ivList,
      h('div', { class: 'actions' }, addIv)),
    h('div', { class: 'actions save-bar' }, save));

  main.appendChild(pageHeading(t('newEventTitle')));
  main.appendChild(draftNote);
  main.appendChild(form);

  // ---- event place ----
  function fillAdmin1(keep) {
    const v = keep === undefined ? admin1.value : keep;
    clear(admin1);
    const opts = admin1Options(voc.admin1, country.value);
    admin1.appendChild(h('option', { value: '' }, opts.length ? t('notRecorded') : t('chooseCountryFirst')));
    fillOptions(admin1, opts);
    admin1.disabled = !opts.length && !v;
    setSelect(admin1, v);
  }
  country.addEventListener('change', function () { fillAdmin1(''); });
  date.addEventListener('change', function () {
    const v = date.value.trim();
    if (!dateValid(v)) return;
    const p = datePrecision(v);
    const order = { year: 1, month: 2, day: 3 };
    if (order[p] < order[precision.value]) precision.value = p;
  });

  // The event's date at its precision (the default date of a first act).
  function eventDate() {
    const d = date.value.trim();
    if (!dateValid(d)) return '';
    const order = { year: 1, month: 2, day: 3 };
    const own = datePrecision(d);
    return truncateDate(d, order[precision.value] < order[own] ? precision.value : own);
  }

  // Default perpetrator of each act type, replaced when the type changes
  // as long as the user has not chosen one.
  const PERP_DEFAULT = { arrest: 'police', detention: 'immigration', deportation: 'immigration' };

  // ---- acts ----
  let actSeq = 0;

  function actBlock(init) {
    actSeq += 1;
    const n = actSeq;
    const id = function (name) { return 'act-' + n + '-' + name; };
    const b = { n: n };
    b.type = select({ id: id('type'), class: 'act-type', 'data-field': 'type' }, termOptions(voc.act_type));
    b.start = text('act-start', { id: id('start'), 'data-digits': 'date', maxlength: '10', placeholder: t('datePlaceholder') });
    b.end = text('act-end', { id: id('end'), 'data-digits': 'date', maxlength: '10', placeholder: t('datePlaceholder') });
    b.country = h('select', { id: id('country'), class: 'act-country' },
      h('option', { value: '' }, t('sameAsEvent')));
    fillOptions(b.country, countryOptions(voc.country));
    // details
    b.authority = text('arrest-authority', { id: id('authority'), maxlength: '300' });
    b.money = text('arrest-money', { id: id('money'), inputmode: 'decimal', maxlength: '15' });
    b.currency = currencySelect('arrest-currency', currencyOf(country.value));
    b.currency.id = id('currency');
    b.facility = select({ id: id('facility'), class: 'detention-facility' }, termOptions(voc.facility_type), t('notRecorded'));
    b.facilityName = text('detention-facility-name', { id: id('facility-name'), maxlength: '300' });
    b.checkpoint = select({ id: id('checkpoint'), class: 'deportation-checkpoint' }, termOptions(voc.checkpoint), t('notRecorded'));
    b.formal = select({ id: id('formal'), class: 'deportation-formal' }, [
      { value: 'true', label: t('formalYes') }, { value: 'false', label: t('formalNo') }], t('notRecorded'));
    b.receiving = text('return-org', { id: id('receiving'), maxlength: '300' });
    b.perp = select({ id: id('perp'), class: 'perp-type' }, termOptions(voc.perpetrator_type), t('notRecorded'));
    // victims
    b.same = h('input', { type: 'checkbox', id: id('same'), class: 'victim-same' });
    b.unit = select({ id: id('unit'), class: 'victim-unit' }, [
      { value: 'individual', label: t('enum_individual') }, { value: 'group', label: t('enum_group') }], t('notRecorded'));
    b.size = h('input', { type: 'text', id: id('size'), class: 'victim-size', inputmode: 'numeric', maxlength: '8', autocomplete: 'off' });
    b.name = text('victim-name', { id: id('name'), maxlength: '300', autocomplete: 'off' });
    b.sex = select({ id: id('sex'), class: 'victim-sex' }, termOptions(voc.sex), t('notRecorded'));
    b.nationality = h('select', { id: id('nationality'), class: 'victim-nationality' }, h('option', { value: '' }, t('notRecorded')));
    fillOptions(b.nationality, countryOptions(voc.country));
    b.doc = select({ id: id('doc'), class: 'victim-doc-status' }, termOptions(voc.doc_status), t('notRecorded'));
    b.sector = select({ id: id('sector'), class: 'victim-sector' }, termOptions(voc.sector), t('notRecorded'));
    b.remove = h('button', { type: 'button', class: 'link act-remove' });

    b.startField = field(t('f_start_date'), b.start, { hint: t('dateHint') });
    b.endField = field(t('f_end_date'), b.end, { hint: t('releasedHint') });
    b.details = {
      arrest: h('div', { class: 'grid details', 'data-part': 'arrest' },
        field(t('f_authority'), b.authority, { hint: t('authorityHint'), wide: true }),
        field(t('f_money_demanded'), b.money, { hint: t('moneyHint') }),
        field(t('currency'), b.currency)),
      detention: h('div', { class: 'grid details', 'data-part': 'detention' },
        field(t('f_facility_type'), b.facility),
        field(t('f_facility_name'), b.facilityName)),
      deportation: h('div', { class: 'grid details', 'data-part': 'deportation' },
        field(t('f_checkpoint'), b.checkpoint),
        field(t('f_formal'), b.formal)),
      return: h('div', { class: 'grid details', 'data-part': 'return' },
        field(t('f_receiving_org'), b.receiving, { wide: true }))
    };
    b.sameField = checkField('', b.same, { class: 'same-field' });
    b.sizeField = field(t('f_group_size'), b.size, { required: true });
    b.nameField = field(t('f_name'), b.name, { hint: t('nameHint') });
    b.sexField = field(t('f_sex'), b.sex);
    b.victimFields = h('fieldset', { class: 'victim-fields' },
      h('legend', { class: 'sr-only' }, t('victims')),
      h('div', { class: 'grid' },
        field(t('f_unit'), b.unit), b.sizeField, b.nameField, b.sexField,
        field(t('f_nationality'), b.nationality), field(t('f_doc_status'), b.doc),
        field(t('f_sector'), b.sector)));
    b.legend = h('legend', null, '');
    b.el = h('fieldset', { class: 'act card' },
      b.legend,
      h('div', { class: 'grid' },
        field(t('f_act_type'), b.type),
        b.startField, b.endField,
        field(t('actCountry'), b.country)),
      b.details.arrest, b.details.detention, b.details.deportation, b.details.return,
      h('div', { class: 'grid' }, field(t('f_perpetrator_type'), b.perp)),
      h('fieldset', { class: 'victims' },
        h('legend', null, t('victims')),
        b.sameField,
        b.victimFields),
      h('div', { class: 'actions' }, b.remove));

    b.type.addEventListener('change', function () {
      if (b.perp.hasAttribute('data-auto')) setSelect(b.perp, PERP_DEFAULT[b.type.value] || '');
      typeChanged(b);
      refreshActs();
    });
    b.perp.addEventListener('change', function () { b.perp.removeAttribute('data-auto'); });
    b.unit.addEventListener('change', function () { unitChanged(b); });
    b.same.addEventListener('change', function () { refreshActs(); });
    b.remove.addEventListener('click', function () { removeAct(b); });

    setAct(b, init || {});
    return b;
  }

  function setAct(b, a) {
    setSelect(b.type, a.type || 'arrest');
    b.start.value = a.start || '';
    b.end.value = a.end || '';
    setSelect(b.country, a.country || '');
    b.authority.value = a.authority || '';
    b.money.value = a.money || '';
    if (a.currency) setSelect(b.currency, a.currency);
    setSelect(b.facility, a.facility || '');
    b.facilityName.value = a.facilityName || '';
    setSelect(b.checkpoint, a.checkpoint || '');
    setSelect(b.formal, a.formal || '');
    b.receiving.value = a.receiving || '';
    setSelect(b.perp, a.perp || '');
    if (a.perpAuto) b.perp.setAttribute('data-auto', '');
    b.same.checked = !!a.same;
    const v = a.victim || {};
    setSelect(b.unit, v.unit === undefined ? 'individual' : v.unit);
    b.size.value = v.size || '';
    b.name.value = v.name || '';
    setSelect(b.sex, v.sex || '');
    setSelect(b.nationality, v.nationality || '');
    setSelect(b.doc, v.doc || '');
    setSelect(b.sector, v.sector || '');
    typeChanged(b);
    unitChanged(b);
  }

  function readVictim(b) {
    return { unit: b.unit.value, size: b.size.value.trim(), name: b.name.value.trim(), sex: b.sex.value,
      nationality: b.nationality.value, doc: b.doc.value, sector: b.sector.value };
  }

  function readAct(b) {
    return { type: b.type.value, start: b.start.value.trim(), end: b.end.value.trim(), country: b.country.value,
      authority: b.authority.value.trim(), money: b.money.value.trim(), currency: b.currency.value,
      facility: b.facility.value, facilityName: b.facilityName.value.trim(), checkpoint: b.checkpoint.value,
      formal: b.formal.value, receiving: b.receiving.value.trim(), perp: b.perp.value,
      perpAuto: b.perp.hasAttribute('data-auto'),
      same: b.same.checked, victim: readVictim(b) };
  }

  function typeChanged(b) {
    const type = b.type.value;
    const part = detailPart(type);
    b.el.setAttribute('data-act-type', type);
    Object.keys(b.details).forEach(function (p) { b.details[p].hidden = p !== part; });
    const labels = {
      arrest: ['dateArrest', ''], detention: ['dateDetainedFrom', 'dateReleased'],
      deportation: ['dateDeported', ''], push_back: ['dateDeported', ''],
      return_reception: ['dateReturned', '']
    }[type] || ['f_start_date', 'f_end_date'];
    b.startField.querySelector('label').textContent = t(labels[0]);
    b.endField.hidden = !labels[1];
    if (labels[1]) b.endField.querySelector('label').textContent = t(labels[1]);
    const hint = b.endField.querySelector('.hint');
    hint.hidden = type !== 'detention';
    const desc = (b.end.getAttribute('aria-describedby') || '').split(' ')
      .filter(function (x) { return x && x !== hint.id; });
    if (!hint.hidden) desc.unshift(hint.id);
    if (desc.length) b.end.setAttribute('aria-describedby', desc.join(' '));
    else b.end.removeAttribute('aria-describedby');
  }

  function unitChanged(b) {
    const u = b.unit.value;
    b.sizeField.hidden = u !== 'group';
    b.nameField.hidden = u !== 'individual';
    b.sexField.hidden = u !== 'individual';
    $all('.field', b.victimFields).forEach(function (f) {
      if (f !== b.sizeField && f !== b.nameField && f !== b.sexField && !f.contains(b.unit)) f.hidden = !u;
    });
  }

  // The act whose victims act i stands for (itself unless "same people").
  function rootOf(i) {
    while (i > 0 && acts[i].same.checked) i -= 1;
    return i;
  }

  // Numbering, "same people" links and the next-step button, after any change.
  function refreshActs() {
    acts.forEach(function (b, i) {
      const typeLabel = labelOf(voc.act_type, b.type.value);
      b.legend.textContent = t('actN', { n: i + 1 }) + ': ' + typeLabel;
      b.remove.textContent = t('removeAct', { n: i + 1 });
      b.sameField.hidden = i === 0;
      if (i === 0) b.same.checked = false;
      else b.sameField.querySelector('label').textContent = t('sameVictims', { n: i });
      const linked = i > 0 && b.same.checked;
      b.victimFields.disabled = linked;
      if (linked) {
        const src = acts[rootOf(i)];
        ['unit', 'size', 'name', 'sex', 'nationality', 'doc', 'sector'].forEach(function (k) {
          if (k === 'unit' || k === 'sex' || k === 'nationality' || k === 'doc' || k === 'sector') setSelect(b[k], src[k].value);
          else b[k].value = src[k].value;
        });
        unitChanged(b);
      }
    });
    const last = acts.length ? acts[acts.length - 1].type.value : '';
    const next = acts.length ? nextInSequence(last) : 'arrest';
    nextStep.disabled = !next;
    nextStep.textContent = !acts.length ? t('nextStepFirst')
      : next ? t('nextStep', { type: labelOf(voc.act_type, next) }) : t('nextStepNone');
  }

  function addActBlock(init, focus) {
    const b = actBlock(init);
    acts.push(b);
    actList.appendChild(b.el);
    refreshActs();
    dirty = true;
    if (focus) b.type.focus();
    return b;
  }

  function removeAct(b) {
    const i = acts.indexOf(b);
    if (i < 0) return;
    // acts after it that shared its victims keep the values they show
    if (i + 1 < acts.length && acts[i + 1].same.checked && (i === 0 || !b.same.checked)) {
      acts[i + 1].same.checked = false;
    }
    acts.splice(i, 1);
    actList.removeChild(b.el);
    refreshActs();
    dirty = true;
    status(t('actRemoved'), 'info');
    addAct.focus();
  }

  // Defaults of the next act of the sequence, from the act before it.
  function nextDefaults(prev) {
    const p = prev ? readAct(prev) : null;
    const type = p ? nextInSequence(p.type) : 'arrest';
    const a = { type: type, same: !!p, victim: p ? p.victim : undefined, currency: currencyOf(country.value),
      perp: PERP_DEFAULT[type] || '', perpAuto: true };
    if (type === 'arrest') a.start = eventDate();
    if (type === 'detention') { a.start = p.start; a.facility = 'immigration_detention_centre'; }
    if (type === 'deportation') { a.start = p.end || ''; a.formal = 'true'; }
    if (type === 'return_reception') {
      a.start = p.start;
      const nat = p.victim && p.victim.nationality;
      if (nat && nat !== country.value) a.country = nat;
    }
    return a;
  }

  addAct.addEventListener('click', function () {
    addActBlock({ type: 'arrest', start: eventDate(), currency: currencyOf(country.value),
      perp: PERP_DEFAULT.arrest, perpAuto: true }, true);
    status(t('actAdded', { n: acts.length }), 'info');
  });
  nextStep.addEventListener('click', function () {
    const prev = acts.length ? acts[acts.length - 1] : null;
    const a = nextDefaults(prev);
    if (!a.type) return;
    addActBlock(a, true);
    status(t('actAdded', { n: acts.length }) + ' ' + labelOf(voc.act_type, a.type), 'info');
  });

  // ---- interventions ----
  function ivBlock(init) {
    actSeq += 1;
    const n = actSeq;
    const b = {};
    b.type = select({ id: 'iv-' + n + '-type', class: 'iv-type' }, termOptions(voc.intervention_type), t('notRecorded'));
    b.org = text('iv-org', { id: 'iv-' + n + '-org', maxlength: '300' });
    b.status = text('iv-status', { id: 'iv-' + n + '-status', maxlength: '300' });
    b.comp = text('iv-compensation', { id: 'iv-' + n + '-comp', inputmode: 'decimal', maxlength: '15' });
    b.currency = currencySelect('iv-currency', (init && init.currency) || currencyOf(country.value));
    b.currency.id = 'iv-' + n + '-currency';
    b.remove = h('button', { type: 'button', class: 'link iv-remove' });
    b.legend = h('legend');
    b.el = h('fieldset', { class: 'intervention card' }, b.legend,
      h('div', { class: 'grid' },
        field(t('f_intervention_type'), b.type), field(t('f_intervention_org'), b.org),
        field(t('f_intervention_status'), b.status, { hint: t('ivStatusHint') }),
        field(t('f_compensation'), b.comp, { hint: t('moneyHint') }), field(t('currency'), b.currency)),
      h('div', { class: 'actions' }, b.remove));
    init = init || {};
    setSelect(b.type, init.type || '');
    b.org.value = init.org || '';
    b.status.value = init.status || '';
    b.comp.value = init.comp || '';
    b.remove.addEventListener('click', function () {
      ivs.splice(ivs.indexOf(b), 1);
      ivList.removeChild(b.el);
      refreshIvs();
      addIv.focus();
    });
    return b;
  }
  function refreshIvs() {
    ivs.forEach(function (b, i) {
      b.legend.textContent = t('interventionN', { n: i + 1 });
      b.remove.textContent = t('removeIntervention', { n: i + 1 });
    });
  }
  function readIv(b) {
    return { type: b.type.value, org: b.org.value.trim(), status: b.status.value.trim(),
      comp: b.comp.value.trim(), currency: b.currency.value };
  }
  function addIvBlock(init, focus) {
    const b = ivBlock(init);
    ivs.push(b);
    ivList.appendChild(b.el);
    refreshIvs();
    if (focus) b.type.focus();
  }
  addIv.addEventListener('click', function () { addIvBlock(null, true); dirty = true; });

  // ---- whole form ----
  function readState() {
    return { title: title.value, summary: summary.value, date: date.value, precision: precision.value,
      country: country.value, admin1: admin1.value, place: place.value,
      acts: acts.map(readAct), ivs: ivs.map(readIv) };
  }

  function fillState(st) {
    title.value = st.title || '';
    summary.value = st.summary || '';
    date.value = st.date || '';
    precision.value = st.precision || 'day';
    setSelect(country, st.country || '');
    fillAdmin1(st.admin1 || '');
    place.value = st.place || '';
    (st.acts || []).forEach(function (a) { addActBlock(a, false); });
    (st.ivs || []).forEach(function (a) { addIvBlock(a, false); });
    refreshActs();
  }

  function victimJson(v) {
    if (!v.unit) return null;
    const o = { unit: v.unit };
    if (v.unit === 'group') o.group_size = parseInt(v.size, 10);
    if (v.unit === 'individual') {
      if (v.name) o.name = v.name;
      if (v.sex) o.sex = v.sex;
    }
    if (v.nationality) o.nationality = v.nationality;
    if (v.doc) o.doc_status = v.doc;
    if (v.sector) o.sector = v.sector;
    return o;
  }

  // The request body, in the export's shape (docs/api.md).
  function toJson(st) {
    const body = { title: st.title.trim() };
    if (st.summary.trim()) body.summary = st.summary.trim();
    const d = st.date.trim();
    if (d) {
      const order = { year: 1, month: 2, day: 3 };
      const own = datePrecision(d);
      body.start_date = truncateDate(d, order[st.precision] < order[own] ? st.precision : own);
    }
    if (st.country) body.country = st.country;
    if (st.admin1) body.admin1 = st.admin1;
    if (st.place.trim()) body.place = st.place.trim();
    const keys = {};
    const victims = st.acts.map(function (a) { return victimJson(a.victim); });
    const roots = st.acts.map(function (a, i) {
      let r = i;
      while (r > 0 && st.acts[r].same) r -= 1;
      return r;
    });
    roots.forEach(function (r, i) { if (r !== i && victims[r]) keys[r] = keys[r] || randomKey(); });
    body.acts = st.acts.map(function (a, i) {
      const o = { type: a.type };
      if (a.start) o.start_date = a.start;
      const part = detailPart(a.type);
      if (a.end && part !== 'arrest' && part !== 'return' && part !== 'deportation') o.end_date = a.end;
      if (a.country) o.country = a.country;
      let det = null;
      if (part === 'arrest') {
        det = {};
        if (a.authority) det.authority = a.authority;
        if (a.money) { det.money_demanded = a.money; det.currency = a.currency; }
      } else if (part === 'detention') {
        det = {};
        if (a.facility) det.facility_type = a.facility;
        if (a.facilityName) det.facility_name = a.facilityName;
      } else if (part === 'deportation') {
        det = {};
        if (a.checkpoint) det.checkpoint = a.checkpoint;
        if (a.formal) det.formal = a.formal === 'true';
      } else if (part === 'return') {
        det = {};
        if (a.receiving) det.receiving_org = a.receiving;
      }
      if (det && Object.keys(det).length) o[part] = det;
      if (a.perp) o.perpetrator = { type: a.perp };
      const v = victims[roots[i]];
      if (v) {
        o.victim = Object.assign({}, v);
        if (keys[roots[i]]) o.victim.key = keys[roots[i]];
      }
      return o;
    });
    if (!body.acts.length) delete body.acts;
    const ivJson = st.ivs.map(function (x) {
      const o = {};
      if (x.type) o.type = x.type;
      if (x.org) o.org = x.org;
      if (x.status) o.status = x.status;
      if (x.comp) { o.compensation = x.comp; o.currency = x.currency; }
      return o;
    }).filter(function (o) { return Object.keys(o).length; });
    if (ivJson.length) body.interventions = ivJson;
    return body;
  }

  function validate() {
    clearErrors(form);
    const errs = [];
    function bad(el, msg) { setFieldError(el, msg); errs.push(el); }
    if (!title.value.trim()) bad(title, t('titleRequired'));
    if (date.value.trim() && !dateValid(date.value.trim())) bad(date, dateError(date.value.trim()));
    acts.forEach(function (b, i) {
      const a = readAct(b);
      if (!a.type) bad(b.type, t('actTypeRequired'));
      if (a.start && !dateValid(a.start)) bad(b.start, dateError(a.start));
      if (!b.endField.hidden && a.end) {
        if (!dateValid(a.end)) bad(b.end, dateError(a.end));
        else if (a.start && dateValid(a.start) && !dateNotAfter(a.start, a.end)) bad(b.end, t('endBeforeStart'));
      }
      if (!b.details.arrest.hidden && a.money && !MONEY_RE.test(a.money)) bad(b.money, t('moneyInvalid'));
      if (!(i > 0 && a.same) && a.victim.unit === 'group') {
        const n = Number(a.victim.size);
        if (!/^\d+$/.test(a.victim.size) || n < 1 || n > 10000000) bad(b.size, t('sizeInvalid'));
      }
    });
    ivs.forEach(function (b) {
      const c = b.comp.value.trim();
      if (c && !MONEY_RE.test(c)) bad(b.comp, t('moneyInvalid'));
    });
    return errs;
  }

  // The control of a field the server names: "title", "acts[1].type",
  // "acts[0].arrest.money_demanded", "interventions[0].compensation".
  const ACT_CONTROLS = { type: 'type', start_date: 'start', end_date: 'end', country: 'country',
    'arrest.authority': 'authority', 'arrest.money_demanded': 'money', 'arrest.currency': 'currency',
    'detention.facility_type': 'facility', 'detention.facility_name': 'facilityName',
    'deportation.checkpoint': 'checkpoint', 'deportation.formal': 'formal',
    'return.receiving_org': 'receiving', 'perpetrator.type': 'perp', 'victim.unit': 'unit',
    'victim.group_size': 'size', 'victim.name': 'name', 'victim.sex': 'sex',
    'victim.nationality': 'nationality', 'victim.doc_status': 'doc', 'victim.sector': 'sector' };
  const IV_CONTROLS = { type: 'type', org: 'org', status: 'status', compensation: 'comp', currency: 'currency' };
  function controlOf(path) {
    const p = path.replace(/^event\./, '').replace(/ /g, '.');
    let m = /^acts\[(\d+)\]\.?(.*)$/.exec(p);
    if (m && acts[+m[1]]) {
      let i = +m[1];
      if (/^victim\./.test(m[2])) i = rootOf(i);
      return acts[i][ACT_CONTROLS[m[2]] || 'type'];
    }
    m = /^interventions\[(\d+)\]\.?(.*)$/.exec(p);
    if (m && ivs[+m[1]]) return ivs[+m[1]][IV_CONTROLS[m[2]] || 'type'];
    return form.querySelector('[data-field="' + p.replace(/[^a-z0-9_]/gi, '') + '"]');
  }

  form.addEventListener('input', function () { dirty = true; refreshActs(); });
  form.addEventListener('change', function () { dirty = true; refreshActs(); });

  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    const errs = validate();
    if (errs.length) {
      status(t('fixErrorsN', { n: errs.length }), 'error');
      errs[0].focus();
      return;
    }
    const body = toJson(readState());
    const done = busy(save);
    status(t('saving'), 'busy');
    try {
      const res = await api('POST', '/events', { body: body });
      saved = true;
      setDraft(null);
      const id = res && (res.id !== undefined ? res.id : res.event && res.event.id);
      flash(t('eventSaved'), 'ok');
      if (id !== undefined && id !== null) ctx.navigate('#/events/' + id);
      else ctx.navigate('#/events');
    } catch (err) {
      done();
      if (!ctx.alive()) return;
      status(t('saveFailed') + ' ' + errorText(err), 'error');
      const target = err.field ? controlOf(String(err.field)) : null;
      if (target && !target.disabled) { setFieldError(target, err.message); target.focus(); } else save.focus();
    }
  });

  ctx.onLeave(function () {
    if (!saved && dirty) setDraft(readState());
  });

  // ---- start: vocabularies, then the draft or an empty form ----
  const loadingNote = h('p', { class: 'loading' }, t('loading'));
  main.insertBefore(loadingNote, form);
  form.hidden = true;
  Promise.all([vocabs(['country', 'admin1', 'act_type', 'perpetrator_type', 'facility_type', 'checkpoint',
    'sex', 'doc_status', 'sector', 'intervention_type']),
  getDraft() ? Promise.resolve([]) : api('GET', '/organisations').catch(function () { return []; })])
    .then(function (res) {
      if (!ctx.alive()) return;
      voc = res[0];
      main.removeChild(loadingNote);
      form.hidden = false;
      country.appendChild(h('option', { value: '' }, t('notRecorded')));
      fillOptions(country, countryOptions(voc.country));
      fillAdmin1('');
      const st = getDraft();
      if (st) {
        setDraft(null);
        fillState(st);
        dirty = true;
        if (ctx.reason !== 'lang') {
          clear(draftNote);
          const discard = h('button', { type: 'button', id: 'draft-discard', class: 'secondary' }, t('discardDraft'));
          discard.addEventListener('click', function () {
            dirty = false;
            setDraft(null);
            ctx.navigate('#/new-event');
          });
          draftNote.appendChild(h('p', null, t('draftRestored')));
          draftNote.appendChild(discard);
          draftNote.hidden = false;
        }
      } else {
        // the event's country defaults to the user's organisation's
        const orgs = listOf(res[1]).items;
        const mine = orgs.find(function (o) { return ctx.user && o.code === ctx.user.org; });
        if (mine && mine.country) { setSelect(country, mine.country); fillAdmin1(''); }
        refreshActs();
      }
      if (ctx.reason !== 'lang') title.focus();
    });
}
