// pages/admin.js - users and organisations (role admin):
// GET/POST /api/v1/users, GET/POST /api/v1/organisations.

import { api, listOf, ROLES } from '../api.js';
import { h, field, select, fillOptions, clear, textEl } from '../dom.js';
import { t } from '../i18n.js';
import { status, pageHeading, errorText, busy, table, setFieldError, clearErrors } from '../ui.js';
import { vocab, labelOf, countryOptions } from '../vocab.js';

export function render(main, ctx) {
  main.appendChild(pageHeading(t('adminTitle')));

  // ---- users ----
  const usersBox = h('div', { id: 'users-list' }, h('p', { class: 'loading' }, t('loading')));
  const uLogin = h('input', { type: 'text', id: 'user-login', name: 'login', required: true, maxlength: '64',
    autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const uPass = h('input', { type: 'password', id: 'user-password', name: 'password', required: true,
    minlength: '12', autocomplete: 'new-password' });
  const uRole = select({ id: 'user-role', name: 'role' }, ROLES.map(function (r) { return { value: r, label: t('role_' + r) }; }));
  uRole.value = 'caseworker';
  const uOrg = h('select', { id: 'user-org', name: 'org', required: true });
  const uSubmit = h('button', { type: 'submit', id: 'user-submit', class: 'primary' }, t('addUser'));
  const userForm = h('form', { id: 'user-form', class: 'card', novalidate: true, 'aria-labelledby': 'h-add-user' },
    h('h3', { id: 'h-add-user' }, t('addUser')),
    h('div', { class: 'grid' },
      field(t('loginName'), uLogin, { required: true, hint: t('loginHint') }),
      field(t('password'), uPass, { required: true, hint: t('passwordHint') }),
      field(t('role'), uRole, { hint: t('roleHint') }),
      field(t('organisation'), uOrg, { required: true })),
    h('div', { class: 'actions' }, uSubmit));
  main.appendChild(h('section', { class: 'sub', 'aria-labelledby': 'h-users' },
    h('h2', { id: 'h-users' }, t('users')), usersBox, userForm));

  // ---- organisations ----
  const orgsBox = h('div', { id: 'orgs-list' }, h('p', { class: 'loading' }, t('loading')));
  const oCode = h('input', { type: 'text', id: 'org-code', name: 'code', required: true, maxlength: '32',
    autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' });
  const oName = h('input', { type: 'text', id: 'org-name', name: 'name', required: true, maxlength: '300' });
  const oCountry = h('select', { id: 'org-country', name: 'country', required: true });
  const oSubmit = h('button', { type: 'submit', id: 'org-submit', class: 'primary' }, t('addOrg'));
  const orgForm = h('form', { id: 'org-form', class: 'card', novalidate: true, 'aria-labelledby': 'h-add-org' },
    h('h3', { id: 'h-add-org' }, t('addOrg')),
    h('div', { class: 'grid' },
      field(t('orgCode'), oCode, { required: true, hint: t('orgCodeHint') }),
      field(t('orgName'), oName, { required: true }),
      field(t('f_country'), oCountry, { required: true })),
    h('div', { class: 'actions' }, oSubmit));
  main.appendChild(h('section', { class: 'sub', 'aria-labelledby': 'h-orgs' },
    h('h2', { id: 'h-orgs' }, t('organisations')), orgsBox, orgForm));

  let countries = [];

  function loadOrgs() {
    return api('GET', '/organisations').then(function (data) {
      if (!ctx.alive()) return;
      const orgs = listOf(data).items;
      clear(orgsBox);
      orgsBox.appendChild(orgs.length ? table([
        { label: t('orgCode'), get: function (o) { return o.code; }, rowHeader: true },
        { label: t('orgName'), get: function (o) { return textEl('span', o.name || ''); } },
        { label: t('f_country'), get: function (o) { return labelOf(countries, o.country); } }
      ], orgs) : h('p', null, t('none')));
      const keep = uOrg.value;
      clear(uOrg);
      uOrg.appendChild(h('option', { value: '' }, t('choose')));
      fillOptions(uOrg, orgs.map(function (o) { return { value: o.code, label: o.code + ' – ' + (o.name || '') }; }));
      uOrg.value = keep || (ctx.user && ctx.user.org) || '';
    }).catch(function (e) {
      if (!ctx.alive()) return;
      clear(orgsBox);
      orgsBox.appendChild(h('p', null, errorText(e)));
    });
  }

  // End a user's sessions; disable or enable (not oneself).
  function userActions(u) {
    const box = h('div', { class: 'row-actions' });
    const revoke = h('button', { type: 'button', class: 'secondary', id: 'revoke-' + u.id }, t('revokeSessions'));
    revoke.addEventListener('click', function () {
      userAct(revoke, '/users/' + u.id + '/revoke', function (data) {
        return t('revokedN', { login: u.login, n: data && data.ended !== undefined ? data.ended : 0 });
      });
    });
    box.appendChild(revoke);
    if (ctx.user && u.login === ctx.user.login) return box;
    const flip = h('button', { type: 'button', class: 'secondary', id: (u.disabled ? 'enable-' : 'disable-') + u.id },
      u.disabled ? t('enableUser') : t('disableUser'));
    flip.addEventListener('click', function () {
      if (!u.disabled && !window.confirm(t('disableConfirm', { login: u.login }))) return;
      userAct(flip, '/users/' + u.id + (u.disabled ? '/enable' : '/disable'), function () {
        return t(u.disabled ? 'userEnabled' : 'userDisabledDone', { login: u.login });
      });
    });
    box.appendChild(flip);
    return box;
  }

  async function userAct(button, path, say) {
    const stop = busy(button);
    status(t('saving'), 'busy');
    try {
      const data = await api('POST', path);
      if (!ctx.alive()) return;
      status(say(data), 'ok');
      loadUsers();
    } catch (e) {
      stop();
      if (ctx.alive()) status(errorText(e), 'error');
    }
  }

  function loadUsers() {
    return api('GET', '/users').then(function (data) {
      if (!ctx.alive()) return;
      const users = listOf(data).items;
      clear(usersBox);
      usersBox.appendChild(users.length ? table([
        { label: t('loginName'), get: function (u) { return u.login; }, rowHeader: true },
        { label: t('organisation'), get: function (u) { return u.org || ''; } },
        { label: t('role'), get: function (u) { return t('role_' + u.role); } },
        { label: t('created'), get: function (u) { return u.created || ''; } },
        { label: t('totpTitle'), get: function (u) { return u.totp ? t('yes') : t('no'); } },
        { label: t('userState'), get: function (u) { return u.disabled ? t('userDisabled') : t('userActive'); } },
        { label: t('actions'), get: userActions }
      ], users) : h('p', null, t('none')));
    }).catch(function (e) {
      if (!ctx.alive()) return;
      clear(usersBox);
      usersBox.appendChild(h('p', null, errorText(e)));
    });
  }

  vocab('country').catch(function () { return []; }).then(function (v) {
    if (!ctx.alive()) return;
    countries = v;
    oCountry.appendChild(h('option', { value: '' }, t('choose')));
    fillOptions(oCountry, countryOptions(v));
    loadOrgs();
  });
  loadUsers();

  async function submit(form, button, path, body, checks, done) {
    clearErrors(form);
    const bad = checks.filter(function (c) { return c[1]; });
    bad.forEach(function (c) { setFieldError(c[0], c[2]); });
    if (bad.length) { status(t('fixErrorsN', { n: bad.length }), 'error'); bad[0][0].focus(); return; }
    const stop = busy(button);
    status(t('saving'), 'busy');
    try {
      await api('POST', path, { body: body });
      stop();
      if (!ctx.alive()) return;
      done();
    } catch (e) {
      stop();
      if (!ctx.alive()) return;
      status(e.status === 409 ? t('exists') + ' ' + (e.message || '') : errorText(e), 'error');
      button.focus();
    }
  }

  userForm.addEventListener('submit', function (e) {
    e.preventDefault();
    const login = uLogin.value.trim();
    submit(userForm, uSubmit, '/users', { login: login, role: uRole.value, password: uPass.value, org: uOrg.value }, [
      [uLogin, !/^[A-Za-z0-9_.@-]{3,64}$/.test(login), t('loginInvalid')],
      [uPass, uPass.value.length < 12, t('passwordShort')],
      [uOrg, !uOrg.value, t('chooseOrg')]
    ], function () {
      uLogin.value = '';
      uPass.value = '';
      status(t('userAdded', { login: login }), 'ok');
      loadUsers();
      uLogin.focus();
    });
  });

  orgForm.addEventListener('submit', function (e) {
    e.preventDefault();
    const code = oCode.value.trim();
    submit(orgForm, oSubmit, '/organisations', { code: code, name: oName.value.trim(), country: oCountry.value }, [
      [oCode, !/^[A-Za-z0-9_-]{2,32}$/.test(code), t('orgCodeInvalid')],
      [oName, !oName.value.trim(), t('orgNameRequired')],
      [oCountry, !oCountry.value, t('chooseCountry')]
    ], function () {
      oCode.value = '';
      oName.value = '';
      status(t('orgAdded', { code: code }), 'ok');
      loadOrgs();
      oCode.focus();
    });
  });
}
