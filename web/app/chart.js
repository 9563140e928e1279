// chart.js - small charts drawn with DOM SVG elements (no library).
// Each chart carries a title and a description for screen readers and a
// table of its figures. A figure withheld by disclosure control ("<5",
// "x") is never drawn to a size: it is a small hatched mark with its text.

import { h, s, newId, scriptLang } from './dom.js';
import { t } from './i18n.js';
import { fmtValue, isWithheld, table } from './ui.js';

// A whole, round step for about four grid lines up to max (counts of
// people have no halves).
function niceStep(max) {
  const raw = Math.max(max, 1) / 4;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const steps = [1, 2, 2.5, 5, 10];
  for (let i = 0; i < steps.length; i++) {
    const v = steps[i] * p;
    if (v >= raw && v === Math.round(v)) return Math.max(1, v);
  }
  return Math.max(1, 10 * p);
}

function hatch(id) {
  return s('defs', null,
    s('pattern', { id: id, width: '6', height: '6', patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      s('rect', { width: '6', height: '6', class: 'hatch-bg' }),
      s('line', { x1: '0', y1: '0', x2: '0', y2: '6', class: 'hatch-line' })));
}

function dataTable(data, labelHead, valueHead) {
  return h('details', { class: 'chart-table' },
    h('summary', null, t('showTable')),
    table([
      { label: labelHead, get: function (d) { return d.label; }, rowHeader: true },
      { label: valueHead, get: function (d) { return fmtValue(d.value); }, class: 'num' }
    ], data));
}

// Vertical bars over periods. data: [{label, value}] in order.
// opts.width: the width it will be shown at, so that its text is drawn
// at about the size of the page's text (a phone gets a narrower drawing).
export function columnChart(opts) {
  const data = opts.data;
  const W = Math.round(Math.max(300, Math.min(720, opts.width || 640)));
  const H = W < 480 ? 240 : 300;
  const left = 56;
  const right = 12;
  const top = 28;
  const bottom = 44;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const titleId = newId('ct');
  const descId = newId('cd');
  const patId = newId('hatch');
  let max = 0;
  data.forEach(function (d) { if (typeof d.value === 'number' && d.value > max) max = d.value; });
  const step = niceStep(max);
  const lines = Math.max(1, Math.ceil(max / step));
  const top0 = step * lines;
  const svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'chart', role: 'img',
    'aria-labelledby': titleId + ' ' + descId, focusable: 'false' },
    s('title', { id: titleId }, opts.title),
    s('desc', { id: descId }, opts.desc || ''),
    hatch(patId));
  // grid and axis
  for (let i = 0; i <= lines; i++) {
    const y = top + plotH - plotH * i / lines;
    svg.appendChild(s('line', { x1: left, x2: W - right, y1: y, y2: y, class: i ? 'gridline' : 'axis' }));
    svg.appendChild(s('text', { x: left - 6, y: y + 5, class: 'tick', 'text-anchor': 'end' }, fmtValue(step * i)));
  }
  const n = Math.max(data.length, 1);
  const slot = plotW / n;
  const bw = Math.max(2, Math.min(48, slot * 0.7));
  const labelEvery = Math.max(1, Math.ceil(44 / slot));
  const showValues = slot >= 30;
  data.forEach(function (d, i) {
    const x = left + slot * i + (slot - bw) / 2;
    const withheld = isWithheld(d.value);
    const val = typeof d.value === 'number' ? d.value : 0;
    const bh = withheld ? Math.max(6, plotH * 0.04) : plotH * val / top0;
    const y = top + plotH - bh;
    const g = s('g', { class: 'bar' + (withheld ? ' withheld' : '') },
      s('title', null, d.label + ': ' + fmtValue(d.value)),
      s('rect', { x: x, y: y, width: bw, height: Math.max(bh, 0),
        fill: withheld ? 'url(#' + patId + ')' : null, class: withheld ? 'mark' : 'fill' }));
    if (showValues && (val > 0 || withheld)) {
      g.appendChild(s('text', { x: x + bw / 2, y: y - 6, class: 'val', 'text-anchor': 'middle' }, fmtValue(d.value)));
    }
    if (i % labelEvery === 0) {
      g.appendChild(s('text', { x: x + bw / 2, y: H - bottom + 22, class: 'lbl', 'text-anchor': 'middle' }, d.label));
    }
    svg.appendChild(g);
  });
  if (opts.axis) {
    svg.appendChild(s('text', { x: left + plotW / 2, y: H - 4, class: 'axis-title', 'text-anchor': 'middle' }, opts.axis));
  }
  return h('figure', { class: 'chart-box' }, svg, dataTable(data, opts.axis || '', opts.valueLabel || t('persons')));
}

// Horizontal bars, one per line with its label as HTML text (so that Thai
// and Burmese labels wrap instead of being cut) and the bar as a small SVG.
export function barList(opts) {
  const data = opts.data;
  let max = 0;
  data.forEach(function (d) { if (typeof d.value === 'number' && d.value > max) max = d.value; });
  const list = h('ul', { class: 'bar-list', 'aria-label': opts.title });
  data.forEach(function (d) {
    const withheld = isWithheld(d.value);
    const pct = withheld ? 2 : max ? Math.max(0.5, 100 * (typeof d.value === 'number' ? d.value : 0) / max) : 0;
    const pat = newId('hatch');
    const bar = s('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', class: 'bar-svg',
      'aria-hidden': 'true', focusable: 'false' },
    withheld ? hatch(pat) : null,
    s('rect', { x: 0, y: 0, width: pct, height: 10, class: withheld ? 'mark' : 'fill',
      fill: withheld ? 'url(#' + pat + ')' : null }));
    const label = h('span', { class: 'bar-label' }, d.label);
    const l = scriptLang(d.label);
    if (l) label.setAttribute('lang', l);
    list.appendChild(h('li', { class: withheld ? 'withheld' : '' },
      h('span', { class: 'bar-text' }, label, h('span', { class: 'bar-value' }, fmtValue(d.value))),
      bar));
  });
  return h('figure', { class: 'chart-box' }, list);
}
