// pages/account.js - the logged-in user's own account (every role):
// two-factor login (POST /api/v1/me/totp, /me/totp/confirm, DELETE
// /api/v1/me/totp), the password (PUT /api/v1/me/password) and logging out
// everywhere (DELETE /api/v1/me/sessions).

import { api, me, forget } from '../api.js';
import { h, field, clear } from '../dom.js';
import { t } from '../i18n.js';
import { status, pageHeading, errorText, busy, setFieldError, clearErrors, flash } from '../ui.js';
import { qrSvg } from '../qr.js';

// The password policy's messages (src/lib/account.c) in the interface
// language; the server's own words for anything else.
function passwordText(e) {
  const m = e.message || '';
  if (/at least/.test(m)) return t('pwTooShort');
  if (/login/.test(m)) return t('pwHasLogin');
  if (/common/.test(m)) return t('pwCommon');
  if (/same as the current/.test(m)) return t('pwSame');
  return errorText(e);
}

function passwordInput(id, auto) {
  return h('input', { type: 'password', id: id, name: id, required: true, autocomplete: auto });
}

export function render(main, ctx) {
  main.appendChild(pageHeading(t('accountTitle')));
  main.appendChild(h('p', { class: 'lead' }, t('accountLead', { login: ctx.user.login })));

  // ---- two-factor login ----
  const tfBox = h('div', { id: 'totp-box' }, h('p', { class: 'loading' }, t('loading')));
  main.appendChild(h('section', { class: 'sub', 'aria-labelledby': 'h-totp' },
    h('h2', { id: 'h-totp' }, t('totpTitle')), tfBox));

  async function act(button, fn) {
    const stop = busy(button);
    status(t('saving'), 'busy');
    try {
      await fn();
    } catch (e) {
      if (!ctx.alive()) return;
      status(errorText(e), 'error');
    } finally {
      stop();
    }
  }

  // A form asking for the password again, then calling `go(password)`.
  function passwordForm(id, buttonText, go) {
    const pw = passwordInput(id + '-password', 'current-password');
    const button = h('button', { type: 'submit', id: id + '-submit', class: 'primary' }, buttonText);
    const form = h('form', { id: id, class: 'card', novalidate: true },
      field(t('password'), pw, { required: true, hint: t('totpPasswordHint') }),
      h('div', { class: 'actions' }, button));
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearErrors(form);
      if (!pw.value) { setFieldError(pw, t('pwMissing')); pw.focus(); return; }
      act(button, async function () {
        try {
          await go(pw.value);
        } catch (err) {
          if (err.field === 'password') {
            pw.value = '';
            setFieldError(pw, t('pwWrong'));
            status(t('pwWrong'), 'error');
            pw.focus();
            return;
          }
          throw err;
        }
      });
    });
    return form;
  }

  function showOff() {
    clear(tfBox);
    tfBox.appendChild(h('p', { id: 'totp-state' }, t('totpIsOff')));
    tfBox.appendChild(passwordForm('totp-begin', t('totpTurnOn'), async function (pw) {
      const data = await api('POST', '/me/totp', { body: { password: pw } });
      if (ctx.alive()) showEnrol(data);
    }));
  }

  function showOn() {
    clear(tfBox);
    tfBox.appendChild(h('p', { id: 'totp-state' }, t('totpIsOn')));
    tfBox.appendChild(passwordForm('totp-off', t('totpTurnOff'), async function (pw) {
      await api('DELETE', '/me/totp', { body: { password: pw } });
      if (!ctx.alive()) return;
      status(t('totpOffDone'), 'ok');
      showOff();
    }));
  }

  // The new secret: a QR code of its otpauth:// URI, the URI and the
  // secret to type, then a code of it to confirm.
  function showEnrol(data) {
    clear(tfBox);
    const code = h('input', { id: 'totp-code', name: 'code', type: 'text', inputmode: 'numeric',
      autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6', spellcheck: 'false', required: true });
    const button = h('button', { type: 'submit', id: 'totp-confirm', class: 'primary' }, t('totpConfirm'));
    const form = h('form', { id: 'totp-confirm-form', class: 'card', novalidate: true },
      field(t('totpCode'), code, { required: true, hint: t('totpHint') }),
      h('div', { class: 'actions' }, button));
    let qr = null;
    try {
      qr = qrSvg(data.uri, t('totpQrLabel'));
    } catch (e) {
      qr = h('p', null, t('totpNoQr'));
    }
    tfBox.appendChild(h('div', { class: 'card', id: 'totp-enrol' },
      h('p', null, t('totpScan')),
      h('div', { id: 'totp-qr', class: 'qr-box' }, qr),
      h('p', null, t('totpOrType')),
      h('p', null, h('code', { id: 'totp-secret', class: 'secret' }, data.secret.replace(/(.{4})/g, '$1 ').trim())),
      h('details', null, h('summary', null, t('totpUri')),
        h('p', null, h('code', { id: 'totp-uri', class: 'secret' }, data.uri))),
      h('p', { class: 'hint' }, t('totpParams', { digits: data.digits, period: data.period }))));
    tfBox.appendChild(form);
    status(t('totpScanNow'), 'ok');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearErrors(form);
      const v = code.value.replace(/\s+/g, '');
      if (!/^[0-9]{6}$/.test(v)) { setFieldError(code, t('totpNeeded')); code.focus(); return; }
      act(button, async function () {
        try {
          await api('POST', '/me/totp/confirm', { body: { code: v } });
        } catch (err) {
          if (err.status === 400) {
            code.value = '';
            setFieldError(code, t('totpWrong'));
            status(t('totpWrong'), 'error');
            code.focus();
            return;
          }
          throw err;
        }
        if (!ctx.alive()) return;
        status(t('totpOnDone'), 'ok');
        showOn();
      });
    });
    code.focus();
  }

  me().then(function (who) {
    if (!ctx.alive() || !who) return;
    if (who.totp) showOn();
    else showOff();
  }).catch(function (e) {
    if (!ctx.alive()) return;
    clear(tfBox);
    tfBox.appendChild(h('p', null, errorText(e)));
  });

  // ---- the password ----
  const oldPw = passwordInput('pw-old', 'current-password');
  const newPw = passwordInput('pw-new', 'new-password');
  const again = passwordInput('pw-again', 'new-password');
  newPw.setAttribute('minlength', '12');
  const pwButton = h('button', { type: 'submit', id: 'pw-submit', class: 'primary' }, t('pwChange'));
  const pwForm = h('form', { id: 'pw-form', class: 'card', novalidate: true, 'aria-labelledby': 'h-pw' },
    h('div', { class: 'grid' },
      field(t('pwOld'), oldPw, { required: true }),
      field(t('pwNew'), newPw, { required: true, hint: t('pwPolicy') }),
      field(t('pwAgain'), again, { required: true })),
    h('div', { class: 'actions' }, pwButton));
  main.appendChild(h('section', { class: 'sub', 'aria-labelledby': 'h-pw' },
    h('h2', { id: 'h-pw' }, t('pwTitle')), h('p', null, t('pwLead')), pwForm));

  pwForm.addEventListener('submit', function (e) {
    e.preventDefault();
    clearErrors(pwForm);
    const bad = [
      [oldPw, !oldPw.value, t('pwMissing')],
      [newPw, Array.from(newPw.value).length < 12, t('pwTooShort')],
      [again, again.value !== newPw.value, t('pwDiffer')]
    ].filter(function (c) { return c[1]; });
    bad.forEach(function (c) { setFieldError(c[0], c[2]); });
    if (bad.length) { status(t('fixErrorsN', { n: bad.length }), 'error'); bad[0][0].focus(); return; }
    act(pwButton, async function () {
      try {
        await api('PUT', '/me/password', { body: { old_password: oldPw.value, password: newPw.value } });
      } catch (err) {
        const target = err.field === 'old_password' ? oldPw : err.field === 'password' ? newPw : null;
        if (!target) throw err;
        const msg = target === oldPw ? t('pwWrong') : passwordText(err);
        setFieldError(target, msg);
        status(msg, 'error');
        target.focus();
        return;
      }
      oldPw.value = newPw.value = again.value = '';
      if (ctx.alive()) status(t('pwChanged'), 'ok');
    });
  });

  // ---- sessions ----
  const allButton = h('button', { type: 'button', id: 'logout-all', class: 'secondary' }, t('logoutAll'));
  main.appendChild(h('section', { class: 'sub', 'aria-labelledby': 'h-sessions' },
    h('h2', { id: 'h-sessions' }, t('sessionsTitle')), h('p', null, t('sessionsLead')),
    h('div', { class: 'actions' }, allButton)));
  allButton.addEventListener('click', function () {
    if (!window.confirm(t('logoutAllConfirm'))) return;
    act(allButton, async function () {
      const data = await api('DELETE', '/me/sessions');
      forget();
      flash(t('logoutAllDone', { n: data && data.ended !== undefined ? data.ended : '' }), 'ok');
      ctx.navigate('#/login');
    });
  });
}
