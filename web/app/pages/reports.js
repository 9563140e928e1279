// pages/reports.js - open a report (GET /api/v1/reports/{template}?lang=
// &public=1&from=&to=) in a new tab. A viewer may only open public ones.

import { can, apiUrl } from '../api.js';
import { h, field, checkField, select } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { dateError, status, pageHeading, langOptions, dateValid, setFieldError, clearErrors } from '../ui.js';

// policy-impact needs a policy: it is opened from the Policies page.
const TEMPLATES = ['add-monitoring', 'deaths-and-missing', 'labour-rights'];

export function render(main) {
  const internal = can('stats');
  const template = select({ id: 'report-template', name: 'template' },
    TEMPLATES.map(function (x) { return { value: x, label: t('tpl_' + x) }; }));
  const tplHint = h('p', { class: 'hint', id: 'report-template-about' });
  const lang = select({ id: 'report-lang', name: 'lang' }, langOptions());
  lang.value = getLang();
  const pub = h('input', { type: 'checkbox', id: 'report-public', name: 'public', checked: true, disabled: !internal });
  const from = h('input', { type: 'text', id: 'report-from', name: 'from', 'data-digits': 'date', maxlength: '10',
    placeholder: t('datePlaceholder') });
  const to = h('input', { type: 'text', id: 'report-to', name: 'to', 'data-digits': 'date', maxlength: '10',
    placeholder: t('datePlaceholder') });
  const warn = h('p', { class: 'note warn', id: 'report-internal', hidden: true }, t('internalEdition'));
  const open = h('button', { type: 'submit', id: 'report-open', class: 'primary' }, t('openReport'));
  const link = h('a', { id: 'report-link', target: '_blank', rel: 'noopener noreferrer' }, t('reportLink'));
  const form = h('form', { id: 'report-form', class: 'card', novalidate: true },
    h('div', { class: 'grid' },
      field(t('template'), template, { wide: true }),
      tplHint,
      field(t('reportLanguage'), lang),
      field(t('dateFrom'), from, { hint: t('periodHint') }),
      field(t('dateTo'), to)),
    checkField(t('publicEdition'), pub),
    h('p', { class: 'hint' }, internal ? t('publicHint') : t('publicOnly')),
    warn,
    h('div', { class: 'actions' }, open, link));

  main.appendChild(pageHeading(t('reportsTitle')));
  main.appendChild(h('p', { class: 'lead' }, t('reportsLead')));
  main.appendChild(form);

  function url() {
    return apiUrl('/reports/' + encodeURIComponent(template.value), {
      lang: lang.value,
      public: pub.checked || !internal ? '1' : '',
      from: from.value.trim(),
      to: to.value.trim()
    });
  }
  function update() {
    tplHint.textContent = t('tplAbout_' + template.value);
    warn.hidden = pub.checked || !internal;
    link.href = url();
  }
  form.addEventListener('change', update);
  form.addEventListener('input', update);
  update();

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearErrors(form);
    let bad = null;
    [from, to].forEach(function (el) {
      const v = el.value.trim();
      if (v && !dateValid(v)) { setFieldError(el, dateError(v)); bad = bad || el; }
    });
    if (bad) { status(t('fixErrors'), 'error'); bad.focus(); return; }
    update();
    window.open(url(), '_blank', 'noopener');
    status(t('reportOpened'), 'ok');
  });
}
