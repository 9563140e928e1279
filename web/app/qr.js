// qr.js - a small QR Code encoder (ISO/IEC 18004) for the account page's
// otpauth:// URI: byte mode, error correction level M, the smallest of
// versions 1-40 that holds the text. qrMatrix(text) gives rows of booleans
// (true: dark); qrSvg(text) an SVG element with a quiet zone of 4 modules.
// The mask is chosen by the standard's penalty rules 1, 2 and 4 (rule 3,
// finder-like runs, is left out: any mask reads the same, rule 3 only
// helps some readers a little). Nothing here touches the network.

import { s } from './dom.js';

// Per version (index 0 unused): error correction codewords per block and
// number of blocks at level M (ISO/IEC 18004, table 9).
const ECC_M = [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26,
  26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28];
const BLOCKS_M = [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17,
  18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];

// Modules left for data and error correction once the function patterns
// are drawn.
function rawModules(ver) {
  let n = (16 * ver + 128) * ver + 64;
  if (ver >= 2) {
    const align = Math.floor(ver / 7) + 2;
    n -= (25 * align - 10) * align - 55;
    if (ver >= 7) n -= 36;
  }
  return n;
}

function dataCodewords(ver) {
  return Math.floor(rawModules(ver) / 8) - ECC_M[ver] * BLOCKS_M[ver];
}

// GF(256) with the polynomial 0x11D, and Reed-Solomon remainders.
function gfMul(x, y) {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z;
}

function rsDivisor(degree) {
  const d = new Array(degree).fill(0);
  d[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      d[j] = gfMul(d[j], root);
      if (j + 1 < degree) d[j] ^= d[j + 1];
    }
    root = gfMul(root, 2);
  }
  return d;
}

function rsRemainder(data, divisor) {
  const r = divisor.map(function () { return 0; });
  data.forEach(function (b) {
    const factor = b ^ r.shift();
    r.push(0);
    divisor.forEach(function (c, i) { r[i] ^= gfMul(c, factor); });
  });
  return r;
}

// The codewords of `bytes` at version `ver`: data, padding, error
// correction, interleaved by blocks.
function codewords(bytes, ver) {
  const bits = [];
  const put = function (v, n) { for (let i = n - 1; i >= 0; i--) bits.push((v >>> i) & 1); };
  const cap = dataCodewords(ver) * 8;
  put(4, 4); // byte mode
  put(bytes.length, ver < 10 ? 8 : 16);
  bytes.forEach(function (b) { put(b, 8); });
  put(0, Math.min(4, cap - bits.length));
  put(0, (8 - bits.length % 8) % 8);
  for (let pad = 0xec; bits.length < cap; pad ^= 0xec ^ 0x11) put(pad, 8);
  const data = [];
  for (let i = 0; i < bits.length; i += 8) {
    let b = 0;
    for (let j = 0; j < 8; j++) b = (b << 1) | bits[i + j];
    data.push(b);
  }
  const nblocks = BLOCKS_M[ver];
  const ecLen = ECC_M[ver];
  const raw = Math.floor(rawModules(ver) / 8);
  const nshort = nblocks - raw % nblocks;
  const shortLen = Math.floor(raw / nblocks);
  const div = rsDivisor(ecLen);
  const blocks = [];
  for (let i = 0, k = 0; i < nblocks; i++) {
    const dat = data.slice(k, k + shortLen - ecLen + (i < nshort ? 0 : 1));
    k += dat.length;
    const ec = rsRemainder(dat, div);
    if (i < nshort) dat.push(0); // a place holder, skipped below
    blocks.push(dat.concat(ec));
  }
  const out = [];
  for (let i = 0; i < blocks[0].length; i++) {
    blocks.forEach(function (blk, j) {
      if (i !== shortLen - ecLen || j >= nshort) out.push(blk[i]);
    });
  }
  return out;
}

function alignmentPositions(ver) {
  if (ver === 1) return [];
  const n = Math.floor(ver / 7) + 2;
  const size = ver * 4 + 17;
  const step = Math.floor((ver * 8 + n * 3 + 5) / (n * 4 - 4)) * 2;
  const pos = [6];
  for (let p = size - 7; pos.length < n; p -= step) pos.splice(1, 0, p);
  return pos;
}

function Grid(ver) {
  this.size = ver * 4 + 17;
  this.dark = [];
  this.fixed = [];
  for (let y = 0; y < this.size; y++) {
    this.dark.push(new Array(this.size).fill(false));
    this.fixed.push(new Array(this.size).fill(false));
  }
}

Grid.prototype.set = function (x, y, dark) {
  this.dark[y][x] = dark;
  this.fixed[y][x] = true;
};

function drawFunctions(g, ver) {
  const size = g.size;
  for (let i = 0; i < size; i++) {
    g.set(6, i, i % 2 === 0);
    g.set(i, 6, i % 2 === 0);
  }
  [[3, 3], [size - 4, 3], [3, size - 4]].forEach(function (c) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        const x = c[0] + dx;
        const y = c[1] + dy;
        if (x >= 0 && x < size && y >= 0 && y < size) g.set(x, y, d !== 2 && d !== 4);
      }
    }
  });
  const al = alignmentPositions(ver);
  const n = al.length;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if ((i === 0 && j === 0) || (i === 0 && j === n - 1) || (i === n - 1 && j === 0)) continue;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) g.set(al[i] + dx, al[j] + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }
  }
  drawFormat(g, 0);
  if (ver >= 7) {
    let rem = ver;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (ver << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const bit = ((bits >>> i) & 1) === 1;
      const a = size - 11 + i % 3;
      const b = Math.floor(i / 3);
      g.set(a, b, bit);
      g.set(b, a, bit);
    }
  }
}

// Level M is 00, then the mask's 3 bits, with a BCH code.
function drawFormat(g, mask) {
  const size = g.size;
  const data = mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  const bits = ((data << 10) | rem) ^ 0x5412;
  const bit = function (i) { return ((bits >>> i) & 1) === 1; };
  for (let i = 0; i <= 5; i++) g.set(8, i, bit(i));
  g.set(8, 7, bit(6));
  g.set(8, 8, bit(7));
  g.set(7, 8, bit(8));
  for (let i = 9; i < 15; i++) g.set(14 - i, 8, bit(i));
  for (let i = 0; i < 8; i++) g.set(size - 1 - i, 8, bit(i));
  for (let i = 8; i < 15; i++) g.set(8, size - 15 + i, bit(i));
  g.set(8, size - 8, true);
}

function drawData(g, data) {
  const size = g.size;
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let v = 0; v < size; v++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const up = ((right + 1) & 2) === 0;
        const y = up ? size - 1 - v : v;
        if (!g.fixed[y][x] && i < data.length * 8) {
          g.dark[y][x] = ((data[i >>> 3] >>> (7 - (i & 7))) & 1) === 1;
          i++;
        }
      }
    }
  }
}

const MASKS = [
  function (x, y) { return (x + y) % 2 === 0; },
  function (x, y) { return y % 2 === 0; },
  function (x) { return x % 3 === 0; },
  function (x, y) { return (x + y) % 3 === 0; },
  function (x, y) { return (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0; },
  function (x, y) { return (x * y) % 2 + (x * y) % 3 === 0; },
  function (x, y) { return ((x * y) % 2 + (x * y) % 3) % 2 === 0; },
  function (x, y) { return ((x + y) % 2 + (x * y) % 3) % 2 === 0; }
];

function applyMask(g, m) {
  for (let y = 0; y < g.size; y++) {
    for (let x = 0; x < g.size; x++) {
      if (!g.fixed[y][x] && MASKS[m](x, y)) g.dark[y][x] = !g.dark[y][x];
    }
  }
}

// Rules 1 (runs of 5 or more), 2 (2x2 blocks) and 4 (dark/light balance).
function penalty(g) {
  const n = g.size;
  const d = g.dark;
  let p = 0;
  let darkCount = 0;
  for (let a = 0; a < n; a++) {
    let runRow = 1;
    let runCol = 1;
    for (let b = 1; b <= n; b++) {
      if (b < n && d[a][b] === d[a][b - 1]) runRow++;
      else { if (runRow >= 5) p += runRow - 2; runRow = 1; }
      if (b < n && d[b][a] === d[b - 1][a]) runCol++;
      else { if (runCol >= 5) p += runCol - 2; runCol = 1; }
    }
  }
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (d[y][x]) darkCount++;
      if (x + 1 < n && y + 1 < n && d[y][x] === d[y][x + 1] && d[y][x] === d[y + 1][x] &&
        d[y][x] === d[y + 1][x + 1]) p += 3;
    }
  }
  const total = n * n;
  p += (Math.ceil(Math.abs(darkCount * 20 - total * 10) / total) - 1) * 10;
  return p;
}

export function qrMatrix(text) {
  const bytes = Array.from(new TextEncoder().encode(text));
  let ver = 1;
  while (ver <= 40 && 4 + (ver < 10 ? 8 : 16) + bytes.length * 8 > dataCodewords(ver) * 8) ver++;
  if (ver > 40) throw new Error('too long for a QR code');
  const data = codewords(bytes, ver);
  let best = null;
  let bestScore = Infinity;
  for (let m = 0; m < 8; m++) {
    const g = new Grid(ver);
    drawFunctions(g, ver);
    drawData(g, data);
    applyMask(g, m);
    drawFormat(g, m);
    const score = penalty(g);
    if (score < bestScore) { best = g; bestScore = score; }
  }
  return best.dark;
}

export function qrSvg(text, label) {
  const m = qrMatrix(text);
  const n = m.length + 8;
  let d = '';
  m.forEach(function (row, y) {
    row.forEach(function (dark, x) { if (dark) d += 'M' + (x + 4) + ' ' + (y + 4) + 'h1v1h-1z'; });
  });
  return s('svg', { class: 'qr', viewBox: '0 0 ' + n + ' ' + n, role: 'img', 'aria-label': label || '',
    'shape-rendering': 'crispEdges' },
  s('rect', { width: n, height: n, fill: '#fff' }),
  s('path', { d: d, fill: '#000' }));
}
