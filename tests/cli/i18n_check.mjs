// i18n_check.mjs - checks web/app/i18n.js and web/app/lang/*.js (run by
// tests/cli/i18n.sh):
//  - every key of English is in Thai and in Burmese, and neither has a key
//    English lacks;
//  - each translation has the same {placeholders} as the English text;
//  - Thai text is in Thai script and Burmese text in Myanmar script wherever
//    the English has words to translate, and the Burmese is Unicode, not
//    Zawgyi;
//  - every literal t('key') in web/app/**/*.js names a key of English.
// Usage: node i18n_check.mjs SOURCE_DIR. Prints each problem; exits 1 if any.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.argv[2];
if (!root) {
	console.error('usage: node i18n_check.mjs SOURCE_DIR');
	process.exit(2);
}
// English from web/app/i18n.js, Thai and Burmese from web/app/lang/, each
// as a data: URL so that it loads as ES whatever node's defaults are.
async function load(rel) {
	const src = readFileSync(join(root, rel), 'utf8');
	return import('data:text/javascript;charset=utf-8,' + encodeURIComponent(src));
}
const FILES = { th: 'web/app/lang/th.js', my: 'web/app/lang/my.js' };
const messages = { en: (await load('web/app/i18n.js'))._english };
for (const lang of Object.keys(FILES))
	messages[lang] = (await load(FILES[lang])).default;
const problems = [];
const where = (lang, key) => (FILES[lang] || 'web/app/i18n.js') + ': ' + lang + '.' + key;

function placeholders(s) {
	return (s.match(/\{\w+\}/g) || []).slice().sort().join(' ');
}

// English text with words to translate: a run of 3+ Latin letters that is
// not a code, a file name or an example (TH, docs/reference.md, YYYY-MM).
function hasWords(s) {
	const stripped = s.replace(/\{\w+\}/g, '').replace(/\([^)]*\)/g, '')
		.replace(/\b[\w.-]+\/[\w./-]+/g, '').replace(/\b[A-Z0-9_-]{2,}\b/g, '');
	return /[A-Za-z]{3,}/.test(stripped);
}

const SCRIPT = { th: /[\u0E00-\u0E7F]/, my: /[\u1000-\u109F]/ };
// Zawgyi tell-tales: the e-vowel sign typed before its consonant, and the
// code points Zawgyi reuses for stacked and medial forms (U+1060-U+1097,
// which in Unicode are Mon, Karen and Shan letters, never Burmese UI text).
const ZAWGYI = /(^|[\s(\u104A\u104B'"])\u1031|[\u1060-\u1097]/;

const en = messages.en;
for (const lang of ['th', 'my']) {
	const table = messages[lang];
	if (!table) {
		problems.push(FILES[lang] + ': no ' + lang + ' table');
		continue;
	}
	for (const key of Object.keys(en)) {
		if (!Object.prototype.hasOwnProperty.call(table, key)) {
			problems.push(where(lang, key) + ': missing (English: ' + JSON.stringify(en[key]) + ')');
			continue;
		}
		const value = table[key];
		if (typeof value !== 'string' || value === '') {
			problems.push(where(lang, key) + ': empty');
			continue;
		}
		if (placeholders(value) !== placeholders(en[key]))
			problems.push(where(lang, key) + ': placeholders "' + placeholders(value) +
				'", English has "' + placeholders(en[key]) + '"');
		if (hasWords(en[key]) && !SCRIPT[lang].test(value))
			problems.push(where(lang, key) + ': not translated: ' + JSON.stringify(value));
		if (lang === 'my' && ZAWGYI.test(value))
			problems.push(where(lang, key) + ': looks like Zawgyi, not Unicode: ' + JSON.stringify(value));
	}
	for (const key of Object.keys(table))
		if (!Object.prototype.hasOwnProperty.call(en, key))
			problems.push(where(lang, key) + ': not a key of English');
}

function jsFiles(dir) {
	let out = [];
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) out = out.concat(jsFiles(p));
		else if (name.endsWith('.js')) out.push(p);
	}
	return out;
}
let used = 0;
for (const p of jsFiles(join(root, 'web/app'))) {
	const text = readFileSync(p, 'utf8');
	const lines = text.split('\n');
	lines.forEach(function (line, i) {
		if (/^\s*\/\//.test(line)) return;
		// a whole key only: t('tpl_' + name) is built at run time
		for (const m of line.matchAll(/\bt\('([^']+)'\s*[,)]/g)) {
			used++;
			if (!Object.prototype.hasOwnProperty.call(en, m[1]))
				problems.push(relative(root, p) + ':' + (i + 1) + ': t(\'' + m[1] + '\') is not a key of English');
		}
	});
}

for (const p of problems) console.log(p);
console.log(Object.keys(en).length + ' keys, ' + used + ' uses checked, ' + problems.length + ' problem(s)');
process.exit(problems.length ? 1 : 0);
