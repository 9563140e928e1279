// main.js - the application shell: session, navigation, language switch,
// and the hash router (#/events/12): the server serves one page, so every
// address of the interface is after the '#'.

import { me, logout, currentUser, hasCsrf, can, forget, setUnauthorizedHandler } from './api.js';
import { t, getLang, setLang, onLangChange, ready } from './i18n.js';
import { $, $all, clear, h } from './dom.js';
import { status, clearStatus, errorText, takeFlash, flash, normDigits } from './ui.js';
import * as loginPage from './pages/login.js';
import { discardDraft } from './draft.js';

// Pages other than the login are loaded when first opened, so that a
// slow link carries only what the page needs.
const pages = {
  dashboard: function () { return import('./pages/dashboard.js'); },
  events: function () { return import('./pages/events.js'); },
  event: function () { return import('./pages/event-view.js'); },
  form: function () { return import('./pages/event-form.js'); },
  import: function () { return import('./pages/import.js'); },
  reports: function () { return import('./pages/reports.js'); },
  admin: function () { return import('./pages/admin.js'); },
  policies: function () { return import('./pages/policies.js'); },
  portability: function () { return import('./pages/portability.js'); },
  reference: function () { return import('./pages/reference.js'); },
  account: function () { return import('./pages/account.js'); },
  wages: function () { return import('./pages/wages.js'); }
};

const ROUTES = [
  { name: 'login', re: /^\/login$/, page: function () { return Promise.resolve(loginPage); }, open: true },
  { name: 'dashboard', re: /^\/(?:dashboard)?$/, page: pages.dashboard, need: 'public', nav: 'dashboard' },
  { name: 'events', re: /^\/events$/, page: pages.events, need: 'records', nav: 'events' },
  { name: 'event', re: /^\/events\/(\d+)$/, page: pages.event, need: 'records', nav: 'events' },
  { name: 'new-event', re: /^\/new-event$/, page: pages.form, need: 'records', nav: 'new-event' },
  { name: 'import', re: /^\/import$/, page: pages.import, need: 'records', nav: 'import' },
  { name: 'reports', re: /^\/reports$/, page: pages.reports, need: 'public', nav: 'reports' },
  { name: 'admin', re: /^\/admin$/, page: pages.admin, need: 'admin', nav: 'admin' },
  { name: 'policies', re: /^\/policies$/, page: pages.policies, need: 'public', nav: 'policies' },
  { name: 'policy', re: /^\/policies\/([a-z0-9-]+)$/, page: pages.policies, need: 'public', nav: 'policies' },
  { name: 'portability', re: /^\/portability$/, page: pages.portability, need: 'public', nav: 'portability' },
  { name: 'reference', re: /^\/reference$/, page: pages.reference, need: 'public', nav: 'reference' },
  { name: 'account', re: /^\/account$/, page: pages.account, need: 'public', nav: 'account' },
  { name: 'wages', re: /^\/wages$/, page: pages.wages, need: 'records', nav: 'wages' }
];

let seq = 0;
let leaving = [];
let current = null; // {route, path, hash}
let afterLogin = '';

function parseHash() {
  const raw = location.hash || '';
  if (raw.indexOf('#/') !== 0) return { path: '/', query: new URLSearchParams(''), app: raw === '' };
  const q = raw.indexOf('?');
  return {
    path: q < 0 ? raw.slice(1) : raw.slice(1, q),
    query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
    app: true
  };
}

export function navigate(hash) {
  if (location.hash === hash) route('nav');
  else location.hash = hash;
}

function translateShell() {
  const lang = getLang();
  document.documentElement.lang = lang;
  document.title = t('appName');
  $all('[data-i18n]').forEach(function (el) { el.textContent = t(el.getAttribute('data-i18n')); });
  $all('[data-i18n-label]').forEach(function (el) {
    el.setAttribute('aria-label', t(el.getAttribute('data-i18n-label')));
  });
  $('#lang').value = lang;
}

function updateNav(active) {
  const user = currentUser();
  const nav = $('#nav');
  nav.hidden = !user;
  if (!user) return;
  const need = { dashboard: 'public', events: 'records', 'new-event': 'records',
    import: 'records', reports: 'public', admin: 'admin', policies: 'public',
    portability: 'public', reference: 'public', account: 'public',
    wages: 'records' };
  $all('[data-nav]').forEach(function (a) {
    const name = a.getAttribute('data-nav');
    a.parentNode.hidden = !can(need[name]);
    if (name === active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const who = $('#who');
  clear(who);
  who.appendChild(h('span', { class: 'who-login' }, user.login));
  who.appendChild(document.createTextNode(' · ' + t('role_' + user.role) + (user.org ? ' · ' + user.org : '')));
}

function runLeave() {
  const list = leaving;
  leaving = [];
  list.forEach(function (fn) { try { fn(); } catch (e) { /* ignore */ } });
}

// Render the page of the current hash. reason: 'nav' (a new address),
// 'lang' (same page, new language), 'start'.
function route(reason) {
  const where = parseHash();
  if (!where.app) return; // an in-page anchor such as #main
  let r = null;
  let m = null;
  for (let i = 0; i < ROUTES.length && !r; i++) {
    m = ROUTES[i].re.exec(where.path);
    if (m) r = ROUTES[i];
  }
  const user = currentUser();
  if (!r) { navigate('#/dashboard'); return; }
  if (!r.open && !user) {
    afterLogin = location.hash;
    if (where.path !== '/login') { location.replace('#/login'); return; }
  }
  if (r.name === 'login' && user) { location.replace('#/dashboard'); return; }
  if (r.need && user && !can(r.need)) {
    r = null;
  }
  runLeave();
  seq += 1;
  const mine = seq;
  const main = $('#main');
  clear(main);
  const pending = takeFlash();
  if (pending) status(pending.message, pending.kind);
  else if (reason !== 'lang') clearStatus();
  updateNav(r ? r.nav : '');
  if (!r) {
    main.appendChild(h('h1', { id: 'page-title', tabindex: '-1' }, t('notAllowedTitle')));
    main.appendChild(h('p', null, t('notAllowed')));
    main.appendChild(h('p', null, h('a', { href: '#/dashboard' }, t('navDashboard'))));
    focusHeading(reason);
    return;
  }
  const ctx = {
    params: m.slice(1),
    query: where.query,
    reason: reason,
    user: user,
    alive: function () { return mine === seq; },
    onLeave: function (fn) { leaving.push(fn); },
    navigate: navigate,
    onLogin: function () {
      const to = afterLogin && afterLogin.indexOf('#/login') !== 0 ? afterLogin : '#/dashboard';
      afterLogin = '';
      location.replace(to);
    }
  };
  current = { route: r, hash: location.hash };
  main.appendChild(h('p', { class: 'loading' }, t('loading')));
  r.page().then(function (mod) {
    if (!ctx.alive()) return;
    clear(main);
    mod.render(main, ctx);
    focusHeading(reason);
  }, function () {
    if (!ctx.alive()) return;
    clear(main);
    const retry = h('button', { type: 'button', class: 'primary', id: 'retry' }, t('retry'));
    retry.addEventListener('click', function () { route('nav'); });
    main.appendChild(h('h1', { id: 'page-title', tabindex: '-1' }, t('notAllowedTitle')));
    main.appendChild(h('p', null, t('errorNetwork')));
    main.appendChild(retry);
    status(t('errorNetwork'), 'error');
    focusHeading(reason);
  });
}

function focusHeading(reason) {
  if (reason === 'start' || reason === 'lang') return;
  const h1 = $('#page-title');
  if (h1) h1.focus();
}

function sessionEnded() {
  forget();
  runLeave();
  discardDraft();
  if (location.hash.indexOf('#/login') !== 0) afterLogin = location.hash;
  flash(t('errorSession'), 'error');
  if (location.hash === '#/login') route('nav');
  else location.replace('#/login');
}

async function start() {
  await ready;
  translateShell();
  setUnauthorizedHandler(sessionEnded);
  $('#lang').addEventListener('change', function (e) {
    // the texts of another language come from the server: offline, stay
    setLang(e.target.value).catch(function () {
      e.target.value = getLang();
      status(t('errorNetwork'), 'error');
    });
  });
  onLangChange(function () {
    translateShell();
    if (current) route('lang');
  });
  $('#skip').addEventListener('click', function (e) {
    e.preventDefault();
    const main = $('#main');
    main.focus();
    main.scrollIntoView();
  });
  $('#logout').addEventListener('click', async function () {
    const btn = $('#logout');
    btn.disabled = true;
    try {
      await logout();
    } catch (e) {
      /* the session is forgotten here whatever the server said */
    }
    btn.disabled = false;
    discardDraft();
    updateNav('');
    flash(t('loggedOut'), 'ok');
    navigate('#/login');
  });
  window.addEventListener('hashchange', function () { route('nav'); });
  document.addEventListener('input', function (e) {
    const el = e.target;
    if (!el || !el.getAttribute || !(el.hasAttribute('data-digits') || /^(numeric|decimal)$/.test(el.getAttribute('inputmode') || ''))) return;
    const v = normDigits(el.value);
    if (v !== el.value) el.value = v;
  });
  // A session cookie without its CSRF token (a new tab) cannot change
  // anything: ask to log in again rather than fail later.
  try {
    const who = hasCsrf() ? await me() : null;
    if (!who) forget();
  } catch (e) {
    status(errorText(e), 'error');
  }
  route('start');
}

start();
