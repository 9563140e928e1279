// vocab.js - controlled vocabularies (GET /api/v1/vocab/{scheme}?lang=),
// cached per scheme and language for the life of the page.

import { api, listOf } from './api.js';
import { getLang, t } from './i18n.js';

const cache = {};

// The region's countries first in country pickers.
export const REGION = ['TH', 'MM', 'KH', 'LA', 'VN', 'CN', 'MY'];

export const CURRENCIES = ['THB', 'MMK', 'KHR', 'LAK', 'VND', 'CNY', 'MYR', 'USD',
  'EUR', 'SGD', 'IDR', 'PHP', 'BDT', 'NPR', 'INR', 'JPY', 'KRW', 'TWD', 'HKD', 'AUD', 'GBP'];

const COUNTRY_CURRENCY = { TH: 'THB', MM: 'MMK', KH: 'KHR', LA: 'LAK', VN: 'VND',
  CN: 'CNY', MY: 'MYR' };

export function currencyOf(country) { return COUNTRY_CURRENCY[country] || 'THB'; }

// [{code, parent, label}] of a scheme in the interface language. A failed
// fetch is not cached, so the next page tries again.
export function vocab(scheme) {
  const lang = getLang();
  const key = scheme + '|' + lang;
  if (!cache[key]) {
    cache[key] = api('GET', '/vocab/' + encodeURIComponent(scheme), { query: { lang: lang } })
      .then(function (data) {
        return listOf(data).items.map(function (x) {
          return { code: String(x.code), parent: x.parent || '', label: x.label || x[lang] || x.en || String(x.code) };
        });
      })
      .catch(function (e) { delete cache[key]; throw e; });
  }
  return cache[key];
}

// Several schemes at once: {scheme: terms}; a scheme that fails to load
// is an empty list (the form still works with codes).
export async function vocabs(schemes) {
  const out = {};
  await Promise.all(schemes.map(function (sch) {
    return vocab(sch).then(function (v) { out[sch] = v; }, function () { out[sch] = []; });
  }));
  return out;
}

export function labelOf(terms, code) {
  if (code === undefined || code === null || code === '') return '';
  if (code === 'unknown' || code === '*') {
    const found = (terms || []).find(function (x) { return x.code === code; });
    return found ? found.label : (code === '*' ? t('all') : t('notRecorded'));
  }
  const term = (terms || []).find(function (x) { return x.code === String(code); });
  return term ? term.label : String(code);
}

// Depth of each term in its hierarchy, for indented pickers.
function depthOf(terms, term) {
  let d = 0;
  let p = term.parent;
  const seen = {};
  while (p && !seen[p] && d < 5) {
    seen[p] = 1;
    const up = terms.find(function (x) { return x.code === p; });
    if (!up) break;
    d += 1;
    p = up.parent;
  }
  return d;
}

// Options for a <select>: hierarchy kept, children indented.
export function termOptions(terms) {
  const lang = getLang();
  const byParent = {};
  terms.forEach(function (x) { (byParent[x.parent] = byParent[x.parent] || []).push(x); });
  const out = [];
  const codes = {};
  terms.forEach(function (x) { codes[x.code] = 1; });
  function walk(parent) {
    (byParent[parent] || []).forEach(function (x) {
      out.push({ value: x.code, label: '\u00a0\u00a0\u00a0'.repeat(depthOf(terms, x)) + x.label, lang: lang });
      walk(x.code);
    });
  }
  walk('');
  // terms whose parent is missing from the list
  terms.forEach(function (x) {
    if (x.parent && !codes[x.parent]) out.push({ value: x.code, label: x.label, lang: lang });
  });
  return out;
}

// Country options: the region's first, then the others by label.
export function countryOptions(terms) {
  const lang = getLang();
  const first = [];
  const rest = [];
  REGION.forEach(function (c) {
    const x = terms.find(function (y) { return y.code === c; });
    if (x) first.push({ value: x.code, label: x.label, lang: lang });
  });
  terms.forEach(function (x) {
    if (REGION.indexOf(x.code) < 0) rest.push({ value: x.code, label: x.label, lang: lang });
  });
  rest.sort(function (a, b) { return a.label.localeCompare(b.label, lang); });
  if (!first.length) return rest;
  return [{ group: t('region'), options: first }, { group: t('otherCountries'), options: rest }];
}

// admin1 divisions of a country: codes start with "CC-".
export function admin1Options(terms, country) {
  const lang = getLang();
  if (!country) return [];
  return terms.filter(function (x) { return x.code.indexOf(country + '-') === 0; })
    .map(function (x) { return { value: x.code, label: x.label, lang: lang }; })
    .sort(function (a, b) { return a.label.localeCompare(b.label, lang); });
}
