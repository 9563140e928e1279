// Browser test of the mrm web interface in Debian's chromium, driven by
// playwright-core. run.sh starts `mrm serve` and passes:
//   MRM_URL (http://127.0.0.1:PORT), MRM_SHOTS (a directory for screenshots),
//   users alice (caseworker, MKN-TH) and bob (caseworker, MKN-MM) with
//   password MRM_PASSWORD; carol (viewer, MKN-TH) also needs the TOTP code
//   of base32 secret MRM_TOTP_SECRET; dana (admin, MKN-TH).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';

const url = process.env.MRM_URL;
const shots = process.env.MRM_SHOTS;
const password = process.env.MRM_PASSWORD;
const title = 'ตำรวจจับแรงงานข้ามชาติที่แม่สอด — browser test';
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	       '--no-first-run', '--disable-background-networking',
	       '--disable-component-update', '--disable-sync'],
});
const failures = [];
let step = 0;

async function shot(page, name) {
	await page.screenshot({ path: `${shots}/${String(++step).padStart(2, '0')}-${name}.png`, fullPage: true });
}

async function login(page, user) {
	await page.goto(url + '/');
	await page.waitForSelector('#login', { state: 'visible' });
	await shot(page, `login-${user}`);
	await page.fill('#login-user', user);
	await page.fill('#login-password', password);
	await page.click('#login-submit');
	await page.waitForSelector('[data-nav="dashboard"]', { state: 'visible' });
}

// RFC 6238 with node's crypto: HMAC-SHA1, 30 s steps, 6 digits.
function totp(secret, at) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
	const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
	const mac = createHmac('sha1', key).update(msg).digest();
	const off = mac[19] & 15;
	return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// Every page must run under the Content-Security-Policy without a
// violation (an inline script, style or handler would be one).
function watchCsp(page) {
	page.on('console', (m) => {
		if (/Content Security Policy|Refused to/i.test(m.text()))
			failures.push(`CSP violation: ${m.text()}`);
	});
	page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
}

async function figure(page, name) {
	const el = page.locator(`[data-figure="${name}"]`);
	await el.waitFor({ state: 'visible' });
	// wait until the figure has been filled in
	await page.waitForFunction(
		(n) => /\d/.test(document.querySelector(`[data-figure="${n}"]`)?.textContent || ''),
		name);
	const text = (await el.textContent()).replace(/[^\d]/g, '');
	return Number(text);
}

async function search(page, word) {
	await page.click('[data-nav="events"]');
	await page.fill('#search', word);
	await page.click('#search-submit');
	// the list answers: either items or an explicit empty state
	await page.waitForFunction(() => {
		const l = document.querySelector('#events-list');
		return l && l.getAttribute('aria-busy') !== 'true' && l.dataset.loaded === 'true';
	}, null, { timeout: 10000 }).catch(() => {});
	await page.waitForTimeout(300);
	return page.locator('#events-list [data-event-id]');
}

try {
	const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
	watchCsp(page);
	const home = await page.request.get(url + '/');
	assert.match(home.headers()['content-security-policy'] || '', /script-src 'self'/,
		'the page is served with the Content-Security-Policy');
	assert.equal(home.headers()['x-frame-options'], 'DENY');

	await login(page, 'alice');
	const before = await figure(page, 'total-persons');
	await shot(page, 'dashboard-before');

	// Record an event with an arrest and then a detention, a group of 12.
	await page.click('[data-nav="new-event"]');
	await page.waitForSelector('#event-form', { state: 'visible' });
	await page.fill('#event-title', title);
	await page.fill('#event-summary', 'Synthetic browser test record.');
	await page.fill('#event-date', '2025-03-15');
	await page.selectOption('#event-precision', 'day');
	await page.selectOption('#event-country', 'TH');
	await page.fill('#event-place', 'แม่สอด');
	await page.click('#add-act');
	const first = page.locator('.act').first();
	await first.waitFor();
	assert.equal(await first.getAttribute('data-act-type'), 'arrest');
	await first.locator('.victim-unit').selectOption('group');
	await first.locator('.victim-size').fill('12');
	await page.click('#next-step');
	const second = page.locator('.act').nth(1);
	await second.waitFor();
	assert.equal(await second.getAttribute('data-act-type'), 'detention');
	await shot(page, 'event-form');
	await page.click('#event-save');
	await page.waitForFunction(() => /\d/.test(document.querySelector('#status')?.textContent || '')
		|| location.hash.includes('event'), null, { timeout: 10000 });
	await shot(page, 'event-saved');

	// Find it by a Thai word in the middle of the title.
	const hits = await search(page, 'แรงงาน');
	assert.ok(await hits.count() >= 1, 'the new event is found by a Thai word');
	assert.ok((await page.locator('#events-list').textContent()).includes('แม่สอด'),
		'the list shows the Thai title');
	await shot(page, 'search-thai');

	// Counted on the dashboard.
	await page.click('[data-nav="dashboard"]');
	const after = await figure(page, 'total-persons');
	assert.ok(after >= before + 12, `dashboard counts the 12 people (before ${before}, after ${after})`);
	await shot(page, 'dashboard-after');

	// Need to know: a victim's name stays hidden until it is asked for, and
	// hides again.
	await (await search(page, 'Myawaddy')).first().locator('a').first().click();
	await page.waitForSelector('#identities-toggle', { timeout: 10000 });
	const view = () => page.locator('.event-view').textContent();
	assert.ok(!(await view()).includes('Ko Min Thu'), 'the name is hidden at first');
	await shot(page, 'event-names-hidden');
	await page.click('#identities-toggle');
	await page.waitForFunction(() => (document.querySelector('.event-view')?.textContent || '')
		.includes('Ko Min Thu'), null, { timeout: 10000 });
	await shot(page, 'event-names-shown');
	await page.click('#identities-toggle');
	await page.waitForFunction(() => !(document.querySelector('.event-view')?.textContent || '')
		.includes('Ko Min Thu'), null, { timeout: 10000 });

	// Each page, loaded afresh with the browser's cache off, weighs under
	// 200 KB as sent: the document, its scripts, style sheet and fonts
	// (gzip-compressed by the server) and the data it asks the API for; in
	// English and in Burmese, whose texts are the largest.
	const weights = [];
	const cdp = await page.context().newCDPSession(page);
	let sent = 0, bytes = 0;
	cdp.on('Network.dataReceived', (e) => { bytes += e.dataLength; });
	cdp.on('Network.loadingFinished', (e) => { sent += e.encodedDataLength; });
	await cdp.send('Network.enable');
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
	for (const lang of ['en', 'my']) {
		await page.evaluate((l) => localStorage.setItem('mrm.lang', l), lang);
		for (const route of ['dashboard', 'events', 'events/1', 'new-event', 'import', 'reports',
			'policies', 'portability', 'reference', 'wages', 'account']) {
			sent = bytes = 0;
			// a new query string: a new document, everything loaded again
			await page.goto(`${url}/?weigh=${lang}${weights.length}#/${route}`);
			await page.waitForLoadState('networkidle');
			weights.push([`${lang} ${route}`, sent, bytes]);
		}
	}
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
	await cdp.detach();
	console.log('page weights, as sent (unpacked): ' + weights.map(([name, sent, bytes]) =>
		`${name} ${Math.round(sent / 1024)} KB (${Math.round(bytes / 1024)} KB)`).join(', '));
	for (const [name, sent, bytes] of weights)
		assert.ok(bytes > 50000 && sent < 200 * 1024, `${name} weighs ${sent} bytes as sent, ${bytes} unpacked`);
	await page.evaluate(() => localStorage.setItem('mrm.lang', 'en'));
	await page.goto(`${url}/#/dashboard`);

	// Reference data: every figure with its source and dates.
	await page.click('[data-nav="reference"]');
	await page.waitForSelector('#ref-rows table', { timeout: 10000 });
	await page.fill('#ref-country', 'TH');
	await page.fill('#ref-on', '2025-07-01');
	await page.click('#ref-show');
	await page.waitForFunction(() => (document.querySelector('#ref-rows')?.textContent || '')
		.includes('Royal Gazette, 17 Jun 2025'), null, { timeout: 10000 });
	const refText = await page.locator('#ref-rows').textContent();
	assert.ok(refText.includes('400.00 THB'), 'the reference page shows amounts');
	assert.ok(refText.includes('2025-07-01'), 'the reference page shows the dates');
	await shot(page, 'reference');

	// Wages and recruitment: Bangkok, March 2025, 1,440 baht owed, shown
	// with the source of the 372-baht minimum; totals by corridor.
	await page.click('[data-nav="wages"]');
	await page.waitForSelector('#wg-records[data-loaded="true"]', { timeout: 10000 });
	const card = await page.locator('[data-wage-id="1"]').textContent();
	assert.ok(card.includes('1,440.00 THB'), 'the wages page shows what is owed');
	assert.ok(card.includes('Royal Gazette, 27 Dec 2024'), 'with the source of the minimum');
	assert.ok(card.includes('2025-01-01'), 'and the date it is in force from');
	const totalsText = await page.locator('#wg-totals').textContent();
	assert.ok(totalsText.includes('MM-TH') && totalsText.includes('3,440.00 THB'),
		'the totals by corridor sum what is owed');
	await shot(page, 'wages');

	// Wage records from a spreadsheet, on the import page: a mapping is
	// for events only, the figures come back.
	await page.click('[data-nav="import"]');
	await page.waitForSelector('#import-form', { state: 'visible' });
	await page.selectOption('#import-what', 'wages');
	assert.ok(await page.isDisabled('#import-mapping'), 'no mapping for wage records');
	await page.setInputFiles('#import-file', {
		name: 'wages.csv', mimeType: 'text/csv', buffer: Buffer.from(
			'event,employer,country,admin1,sector,period_start,period_end,days_worked,amount_paid,currency\n'
			+ 'named-1,Site Z,TH,TH-10,construction,2025-08-01,2025-08-31,20,"6,000.00",THB\n'),
	});
	await page.click('#import-submit');
	await page.waitForSelector('#import-stats', { timeout: 10000 });
	const imported = await page.locator('#import-stats tbody tr').first().locator('th, td').allTextContents();
	assert.deepEqual(imported.map((x) => x.trim()), ['Wage records added', '1'],
		'the import page reports the wage record');
	await shot(page, 'import-wages');

	// Thai and Burmese interface.
	await page.selectOption('#lang', 'th');
	await page.waitForTimeout(300);
	await shot(page, 'dashboard-th');
	await page.selectOption('#lang', 'my');
	await page.waitForTimeout(300);
	await shot(page, 'dashboard-my');
	await page.selectOption('#lang', 'en');

	// Log out.
	await page.click('#logout');
	await page.waitForSelector('#login', { state: 'visible' });

	// Another organisation's user cannot see it.
	const other = await browser.newPage({ viewport: { width: 360, height: 740 } });
	watchCsp(other);
	await login(other, 'bob');
	const theirs = await search(other, 'แรงงาน');
	assert.equal(await theirs.count(), 0, 'bob (another organisation) does not see the event');
	await shot(other, 'other-org-phone');
	const r = await other.request.get(url + '/api/v1/search?q=' + encodeURIComponent('แม่สอด'));
	const body = await r.json();
	assert.equal((body.items || body).length, 0, 'the API does not show it to bob either');

	// Two-factor login: the code field appears once the password is right.
	const third = await browser.newPage({ viewport: { width: 1024, height: 700 } });
	watchCsp(third);
	await third.goto(url + '/');
	await third.waitForSelector('#login', { state: 'visible' });
	assert.ok(!(await third.isVisible('#login-totp')), 'no code field before it is needed');
	await third.fill('#login-user', 'carol');
	await third.fill('#login-password', password);
	await third.click('#login-submit');
	await third.waitForSelector('#login-totp', { state: 'visible' });
	await shot(third, 'login-totp');
	await third.fill('#login-totp', totp(process.env.MRM_TOTP_SECRET, Date.now()));
	await third.click('#login-submit');
	await third.waitForSelector('[data-nav="dashboard"]', { state: 'visible' });
	await shot(third, 'login-totp-done');

	// alice turns on two-factor login from her account page: the secret,
	// its otpauth:// URI and a QR code; a code confirms it.
	await login(page, 'alice');
	await page.click('[data-nav="account"]');
	await page.waitForSelector('#totp-begin', { state: 'visible' });
	await page.fill('#totp-begin-password', 'not her password');
	await page.click('#totp-begin-submit');
	await page.waitForSelector('#totp-begin-password-err', { state: 'visible' });
	await page.fill('#totp-begin-password', password);
	await page.click('#totp-begin-submit');
	await page.waitForSelector('#totp-secret', { state: 'visible' });
	const secret = (await page.locator('#totp-secret').textContent()).replace(/\s+/g, '');
	assert.equal(secret.length, 32, 'a 160-bit base32 secret');
	const uri = await page.locator('#totp-uri').textContent();
	assert.ok(uri.startsWith('otpauth://totp/') && uri.includes('secret=' + secret), 'the URI holds the secret');
	assert.ok(await page.locator('#totp-qr svg path').count() === 1, 'a QR code is drawn');
	await shot(page, 'account-totp-enrol');
	// The QR code as drawn reads back as the URI (zbarimg, from
	// scripts/deps.sh, decodes the screenshot).
	const qrShot = `${shots}/qr.png`;
	await page.locator('#totp-qr').screenshot({ path: qrShot });
	const read = execFileSync('zbarimg', ['-q', '--raw', qrShot], { stdio: ['ignore', 'pipe', 'ignore'] });
	assert.equal(read.toString().trim(), uri, 'the QR code reads as the otpauth URI');
	const enrolCode = totp(secret, Date.now());
	await page.fill('#totp-code', enrolCode);
	await page.click('#totp-confirm');
	await page.waitForSelector('#totp-off', { state: 'visible' });
	await shot(page, 'account-totp-on');
	// logs out, and in again: now a code is asked (the next step's, since
	// the confirming one is used up)
	await page.click('#logout');
	await page.waitForSelector('#login', { state: 'visible' });
	await page.fill('#login-user', 'alice');
	await page.fill('#login-password', password);
	await page.click('#login-submit');
	await page.waitForSelector('#login-totp', { state: 'visible' });
	let next = totp(secret, Date.now() + 30000);
	if (next === enrolCode) next = totp(secret, Date.now() + 60000);
	await page.fill('#login-totp', next);
	await page.click('#login-submit');
	await page.waitForSelector('[data-nav="dashboard"]', { state: 'visible' });
	await page.click('#logout');
	await page.waitForSelector('#login', { state: 'visible' });

	// dana (administrator) disables and enables carol, and ends her sessions.
	const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	watchCsp(admin);
	admin.on('dialog', (d) => d.accept());
	await login(admin, 'dana');
	await admin.click('[data-nav="admin"]');
	const carolRow = admin.locator('#users-list tr', { hasText: 'carol' });
	await carolRow.locator('button[id^="disable-"]').click();
	await admin.waitForSelector('#users-list tr:has-text("carol") button[id^="enable-"]', { state: 'visible' });
	const r2 = await third.request.get(url + '/api/v1/me');
	assert.equal(r2.status(), 401, 'carol\'s session ended when she was disabled');
	await shot(admin, 'admin-user-disabled');
	await admin.locator('#users-list tr:has-text("carol") button[id^="enable-"]').click();
	await admin.waitForSelector('#users-list tr:has-text("carol") button[id^="disable-"]', { state: 'visible' });
	await admin.locator('#users-list tr:has-text("carol") button[id^="revoke-"]').click();
	await admin.waitForSelector('#status:has-text("carol")', { state: 'visible' });
	// Portability: 20 years at 15,000 THB give 4,125.00 THB a month, shown
	// with the rule's source; the welfare table shows sources per cell.
	await other.goto(url + '/#/portability');
	await other.waitForSelector('#port-form', { state: 'visible' });
	const period = other.locator('#periods fieldset').first();
	await period.locator('select').selectOption('TH');
	await period.locator('input[name=from]').fill('2005-01');
	await period.locator('input[name=to]').fill('2024-12');
	await period.locator('input[name=wage]').fill('15000');
	await other.fill('#port-birth', '1965');
	await other.fill('#port-claim', '2025-06-01');
	await other.click('#port-submit');
	await other.waitForSelector('#res-TH', { state: 'visible' });
	const res = await other.locator('#port-result').textContent();
	assert.ok(res.includes('4125.00 THB a month'), 'the Thai pension is 4,125.00 THB a month');
	assert.ok(res.includes('Social Security Act B.E. 2533'), 'the rule names its source');
	await other.waitForSelector('#welfare-table table', { state: 'visible' });
	const wf = await other.locator('#welfare-table').textContent();
	assert.ok(wf.includes('Thai Ministry of Labour, 23 May 2024'), 'the welfare table shows sources');
	await shot(other, 'portability-phone');
} catch (e) {
	failures.push(e.stack || String(e));
} finally {
	await browser.close();
}
if (failures.length) {
	console.error('browser test FAILED:\n' + failures.join('\n'));
	process.exit(1);
}
console.log('browser test passed; screenshots in ' + shots);
