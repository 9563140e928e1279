// pages/login.js - sign in (POST /api/v1/session).

import { login } from '../api.js';
import { h, field } from '../dom.js';
import { t } from '../i18n.js';
import { status, pageHeading, errorText, busy } from '../ui.js';

export function render(main, ctx) {
  const user = h('input', { id: 'login-user', name: 'login', type: 'text', autocomplete: 'username',
    autocapitalize: 'none', spellcheck: 'false', required: true, maxlength: '64' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true });
  // two-factor: shown once the server says the password was right and a
  // code is needed (totp_required)
  const code = h('input', { id: 'login-totp', name: 'totp', type: 'text', inputmode: 'numeric',
    autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6', spellcheck: 'false' });
  const codeField = field(t('totpCode'), code, { hint: t('totpHint') });
  codeField.hidden = true;
  const submit = h('button', { id: 'login-submit', type: 'submit', class: 'primary' }, t('signIn'));
  const form = h('form', { id: 'login', class: 'card narrow', novalidate: true, 'aria-labelledby': 'page-title' },
    field(t('loginName'), user, { required: true }),
    field(t('password'), password, { required: true }),
    codeField,
    h('div', { class: 'actions' }, submit));

  main.appendChild(h('div', { class: 'login-page' },
    pageHeading(t('signInTitle')),
    h('p', { class: 'lead' }, t('signInLead')),
    form));

  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    const name = user.value.trim();
    const otp = code.value.replace(/\s+/g, '');
    if (!codeField.hidden && !/^[0-9]{6}$/.test(otp)) {
      status(t('totpNeeded'), 'error');
      code.focus();
      return;
    }
    if (!name || !password.value) {
      status(t('loginMissing'), 'error');
      (name ? password : user).focus();
      return;
    }
    const done = busy(submit);
    status(t('signingIn'), 'busy');
    try {
      await login(name, password.value, codeField.hidden ? '' : otp);
      password.value = '';
      code.value = '';
      if (!ctx.alive()) return;
      status('', '');
      ctx.onLogin();
    } catch (err) {
      done();
      if (!ctx.alive()) return;
      code.value = '';
      if (err.code === 'totp_required' || err.code === 'totp_invalid') {
        // the password was right: keep it, ask for the code
        codeField.hidden = false;
        status(t(err.code === 'totp_required' ? 'totpNeeded' : 'totpWrong'), 'error');
        code.focus();
        return;
      }
      password.value = '';
      if (err.status === 401 || err.status === 403) status(t('loginWrong'), 'error');
      else if (err.status === 429) status(t('loginLimit'), 'error');
      else status(errorText(err), 'error');
      password.focus();
    }
  });
  if (ctx.reason !== 'lang') setTimeout(function () { if (ctx.alive()) user.focus(); }, 0);
}
