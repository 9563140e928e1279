// api.js - calls to the JSON API (docs/api.md) with the session cookie and
// the CSRF token. The token lives in memory and in sessionStorage (one tab,
// gone when the tab closes); never in localStorage.

const BASE = '/api/v1';
const CSRF_KEY = 'mrm.csrf';
const USER_KEY = 'mrm.user';

let csrf = '';
let user = null;
let onUnauthorized = null;

try {
  csrf = sessionStorage.getItem(CSRF_KEY) || '';
  user = JSON.parse(sessionStorage.getItem(USER_KEY) || 'null');
} catch (e) {
  csrf = '';
  user = null;
}

export class ApiError extends Error {
  constructor(status, body, fallback) {
    const err = body && body.error ? body.error : {};
    super(err.message || fallback || ('HTTP ' + status));
    this.status = status;
    this.code = err.code || (status === 0 ? 'network' : 'http');
    this.field = err.field || null;
    this.problems = body && Array.isArray(body.problems) ? body.problems : null;
    this.body = body;
  }
}

export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }
export function currentUser() { return user; }
export function hasCsrf() { return !!csrf; }

function remember(token, who) {
  csrf = token || '';
  user = who || null;
  try {
    if (csrf) sessionStorage.setItem(CSRF_KEY, csrf);
    else sessionStorage.removeItem(CSRF_KEY);
    if (user) sessionStorage.setItem(USER_KEY, JSON.stringify(user));
    else sessionStorage.removeItem(USER_KEY);
  } catch (e) { /* private mode: memory only */ }
}

export function forget() { remember('', null); }

// URL of an API path with query parameters; array values repeat the name,
// empty values are left out.
export function apiUrl(path, query) {
  const parts = [];
  if (query) {
    Object.keys(query).forEach(function (k) {
      const v = query[k];
      const list = Array.isArray(v) ? v : [v];
      list.forEach(function (x) {
        if (x === undefined || x === null || x === '' || x === false) return;
        parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(String(x)));
      });
    });
  }
  return BASE + path + (parts.length ? '?' + parts.join('&') : '');
}

// api('GET', '/events', {query: {...}}) -> parsed JSON (null for 204);
// opts.onHeaders(headers), when given, sees a successful answer's headers.
// Throws ApiError (status 0 when the network failed).
export async function api(method, path, opts) {
  opts = opts || {};
  const headers = { Accept: 'application/json' };
  let body;
  if (opts.body !== undefined) {
    if (typeof opts.body === 'string') {
      body = opts.body;
      headers['Content-Type'] = opts.contentType || 'text/plain; charset=utf-8';
    } else {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method: method, headers: headers, body: body,
      credentials: 'same-origin', cache: 'no-store'
    });
  } catch (e) {
    throw new ApiError(0, null, 'network');
  }
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (res.status !== 204) {
    const text = await res.text().catch(function () { return ''; });
    if (text && type.indexOf('json') >= 0) {
      try { data = JSON.parse(text); } catch (e) { data = null; }
    } else if (text && !res.ok) {
      data = { error: { message: text.slice(0, 300) } };
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && !opts.noAuthRedirect && onUnauthorized) onUnauthorized(err);
    throw err;
  }
  if (opts.onHeaders) opts.onHeaders(res.headers);
  return data;
}

// `totp`: the 6-digit code of an authenticator app, when the server asked
// for one (error code totp_required); omitted otherwise.
export async function login(name, password, totp) {
  const body = { login: name, password: password };
  if (totp) body.totp = totp;
  const data = await api('POST', '/session', { body: body, noAuthRedirect: true });
  remember(data && data.csrf, data && data.user);
  return user;
}

export async function logout() {
  try {
    await api('DELETE', '/session', { noAuthRedirect: true });
  } finally {
    forget();
  }
}

// The logged-in user, from the server (null when not logged in).
export async function me() {
  try {
    const who = await api('GET', '/me', { noAuthRedirect: true });
    remember(csrf, who);
    return who;
  } catch (e) {
    if (e.status === 401) { forget(); return null; }
    throw e;
  }
}

// Lists come as {"items": [...], "next_cursor": ...}; be lenient with a
// bare array or another member name.
export function listOf(data) {
  if (Array.isArray(data)) return { items: data, next: null };
  if (!data) return { items: [], next: null };
  const items = data.items || data.events || data.results || data.users ||
    data.organisations || data.terms || [];
  return { items: Array.isArray(items) ? items : [], next: data.next_cursor || null };
}

// Roles, most powerful first (include/mrm/auth.h).
export const ROLES = ['admin', 'coordinator', 'caseworker', 'researcher', 'viewer'];

export function can(what, who) {
  const role = (who || user || {}).role;
  const rank = ROLES.indexOf(role);
  if (rank < 0) return false;
  switch (what) {
    case 'records': return rank <= 2; // events, new event, import
    case 'stats': return rank <= 3; // internal figures
    case 'public': return true; // public figures and reports
    case 'admin': return rank === 0;
    default: return false;
  }
}
