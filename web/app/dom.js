// dom.js - small helpers to build the interface with DOM calls (no
// innerHTML with data, no inline styles or handlers: the CSP forbids them).

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, kids) {
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i];
    if (k === null || k === undefined || k === false) continue;
    if (Array.isArray(k)) append(el, k);
    else if (typeof k === 'object' && k.nodeType) el.appendChild(k);
    else el.appendChild(document.createTextNode(String(k)));
  }
}

const PROPS = { value: 1, checked: 1, disabled: 1, selected: 1, required: 1,
  hidden: 1, readOnly: 1, multiple: 1, htmlFor: 1, type: 1, tabIndex: 1 };

function setAttrs(el, attrs, svg) {
  if (!attrs) return;
  Object.keys(attrs).forEach(function (name) {
    const v = attrs[name];
    if (v === null || v === undefined || v === false) return;
    if (name === 'on') {
      Object.keys(v).forEach(function (ev) { el.addEventListener(ev, v[ev]); });
    } else if (name === 'class') {
      el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    } else if (name === 'text') {
      el.textContent = v;
    } else if (name === 'for' && !svg) {
      el.htmlFor = v;
    } else if (!svg && PROPS[name]) {
      el[name] = v;
    } else {
      el.setAttribute(name, v === true ? '' : String(v));
    }
  });
}

// h('p', {class: 'x', on: {click: f}}, 'text', child...)
export function h(tag, attrs) {
  const el = document.createElement(tag);
  setAttrs(el, attrs, false);
  append(el, Array.prototype.slice.call(arguments, 2));
  return el;
}

export function s(tag, attrs) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs, true);
  append(el, Array.prototype.slice.call(arguments, 2));
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function $(sel, root) { return (root || document).querySelector(sel); }
export function $all(sel, root) {
  return Array.prototype.slice.call((root || document).querySelectorAll(sel));
}

let uid = 0;
export function newId(prefix) { uid += 1; return (prefix || 'f') + '-' + uid; }

// The language of a piece of record text, from its script, so that the
// browser picks the right font, line breaking and line height.
export function scriptLang(text) {
  const str = String(text || '');
  for (let i = 0; i < str.length && i < 200; i++) {
    const c = str.charCodeAt(i);
    if (c >= 0x0e00 && c <= 0x0e7f) return 'th';
    if (c >= 0x0e80 && c <= 0x0eff) return 'lo';
    if (c >= 0x1000 && c <= 0x109f) return 'my';
    if (c >= 0xaa60 && c <= 0xaa7f) return 'my';
    if (c >= 0x1780 && c <= 0x17ff) return 'km';
    if (c >= 0x4e00 && c <= 0x9fff) return 'zh';
  }
  return '';
}

// An element holding record text (any script), with lang set from it.
export function textEl(tag, text, attrs) {
  const el = h(tag, attrs, text);
  const l = scriptLang(text);
  if (l) el.setAttribute('lang', l);
  return el;
}

// A labelled form field: <div class=field><label for=ID>..</label>CONTROL</div>
// `control` must have an id (one is given if missing).
export function field(label, control, opts) {
  opts = opts || {};
  if (!control.id) control.id = newId('f');
  const kids = [h('label', { for: control.id }, label,
    opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null)];
  if (opts.hint) {
    const hintId = control.id + '-hint';
    control.setAttribute('aria-describedby', hintId);
    kids.push(h('span', { class: 'hint', id: hintId }, opts.hint));
  }
  kids.push(control);
  return h('div', { class: ['field', opts.wide ? 'wide' : '', opts.class || ''] }, kids);
}

// A checkbox with its label after it.
export function checkField(label, control, opts) {
  opts = opts || {};
  if (!control.id) control.id = newId('c');
  return h('div', { class: ['field', 'check', opts.class || ''] }, control,
    h('label', { for: control.id }, label));
}

// <select> with options [{value, label, lang?}] and an optional empty one.
export function select(attrs, options, empty) {
  const el = h('select', attrs);
  if (empty !== undefined && empty !== null) el.appendChild(h('option', { value: '' }, empty));
  fillOptions(el, options);
  return el;
}

export function fillOptions(el, options) {
  options.forEach(function (o) {
    if (o.group) {
      const g = h('optgroup', { label: o.group });
      fillOptions(g, o.options);
      el.appendChild(g);
      return;
    }
    const opt = h('option', { value: o.value }, o.label);
    if (o.lang) opt.setAttribute('lang', o.lang);
    el.appendChild(opt);
  });
  return el;
}

export function setSelect(el, value) {
  el.value = value === undefined || value === null ? '' : String(value);
  if (el.value !== String(value === undefined || value === null ? '' : value) && el.options.length) {
    // value not in the list: keep it visible rather than losing it
    if (value) {
      el.appendChild(h('option', { value: String(value) }, String(value)));
      el.value = String(value);
    }
  }
}
