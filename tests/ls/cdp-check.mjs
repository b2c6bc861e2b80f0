// cdp-check.mjs - load a page in headless Chromium and check Label
// Studio's editor there over the DevTools protocol (real time: no
// --virtual-time-budget, which gives wrong results with media).
//
// Copyright (C) 2026 The vigia developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// node --experimental-websocket cdp-check.mjs PAGE_URL PROFILE_DIR TIMEOUT_MS
//   WANT_DURATION_S CHOICE...
// CDP_EXTRA=EXPR adds EXPR's value to the report as "extra".
// Prints one JSON report and exits 0 when: the editor rendered, every
// CHOICE is on the page, the <video> reached WANT_DURATION_S (within 0.25
// s) and a seek to its end landed there; no page error.  Chromium (the
// one process it starts) is killed at the end.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [url, profile, timeoutArg, wantArg, ...choices] = process.argv.slice(2);
const timeout = Number(timeoutArg || 60000), want = Number(wantArg);
const t0 = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const report = { editor: false, choices: {}, duration: null, seeked: null,
	errors: [], ok: false };

const chrome = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu',
	'--disable-background-networking', '--disable-dev-shm-usage',
	'--autoplay-policy=no-user-gesture-required', '--mute-audio',
	'--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
	{ stdio: ['ignore', 'ignore', 'pipe'] });
let chromeErr = '';
chrome.stderr.on('data', (d) => { chromeErr += d; });
const finish = (code) => {
	report.elapsed_ms = Date.now() - t0;
	console.log(JSON.stringify(report));
	try { chrome.kill('SIGKILL'); } catch { /* gone */ }
	process.exit(code);
};
setTimeout(() => { report.errors.push('timeout'); finish(1); }, timeout + 5000).unref();

// the DevTools port, from the profile's DevToolsActivePort
let port = null;
while (!port && Date.now() - t0 < 20000) {
	try { port = fs.readFileSync(path.join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]; }
	catch { await sleep(100); }
}
if (!port) { report.errors.push('chromium did not start: ' + chromeErr.slice(0, 300)); finish(1); }
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const page = targets.find((t) => t.type === 'page');
const ws = new WebSocket(page.webSocketDebuggerUrl);
await new Promise((r, j) => { ws.onopen = r; ws.onerror = j; });
let seq = 0;
const pending = new Map();
ws.onmessage = (m) => {
	const d = JSON.parse(m.data);
	if (d.id && pending.has(d.id)) { pending.get(d.id)(d); pending.delete(d.id); }
	if (d.method === 'Runtime.exceptionThrown')
		report.errors.push('exception: ' + (d.params.exceptionDetails.exception?.description ||
			d.params.exceptionDetails.text).slice(0, 300));
	if (d.method === 'Runtime.consoleAPICalled' && d.params.type === 'error')
		report.errors.push('console: ' + d.params.args.map((a) => a.value ?? a.description).join(' ').slice(0, 300));
};
const send = (method, params = {}) => new Promise((r) => {
	const id = ++seq;
	pending.set(id, r);
	ws.send(JSON.stringify({ id, method, params }));
});
const evaluate = async (expr) => {
	const r = await send('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true });
	return r.result?.result?.value;
};
await send('Runtime.enable');
await send('Page.enable');
await send('Page.navigate', { url });

// 1. the editor renders and the choices show
while (Date.now() - t0 < timeout) {
	const s = await evaluate(`(() => ({
		editor: !!document.querySelector('[class*="Editor"], .ls-editor, .lsf-editor') &&
			!!document.querySelector('video'),
		text: document.body ? document.body.innerText : '',
		errors: window.__vg_errors || [] }))()`);
	if (s) {
		for (const e of s.errors) if (!report.errors.includes(e)) report.errors.push(e);
		report.editor = s.editor;
		for (const c of choices) report.choices[c] = s.text.includes(c);
		if (s.editor && choices.every((c) => report.choices[c])) break;
	}
	await sleep(250);
}
// 2. the video reaches its true duration
while (Date.now() - t0 < timeout) {
	const d = await evaluate(`(() => { const v = document.querySelector('video');
		return v && isFinite(v.duration) ? v.duration : null; })()`);
	report.duration = d;
	if (d !== null && Math.abs(d - want) <= 0.25) break;
	await sleep(250);
}
// 3. and seeks to its end
if (report.duration !== null) {
	await evaluate(`(() => { const v = document.querySelector('video');
		v.currentTime = Math.max(0, v.duration - 0.05); return true; })()`);
	while (Date.now() - t0 < timeout) {
		const s = await evaluate(`(() => { const v = document.querySelector('video');
			return { seeking: v.seeking, t: v.currentTime, rs: v.readyState }; })()`);
		report.seeked = s.t;
		if (!s.seeking && s.t >= report.duration - 0.3 && s.rs >= 1) break;
		await sleep(250);
	}
}
// CDP_EXTRA: one more expression for the test to look at
if (process.env.CDP_EXTRA)
	report.extra = await evaluate(process.env.CDP_EXTRA);
report.ok = report.editor && choices.every((c) => report.choices[c]) &&
	report.duration !== null && Math.abs(report.duration - want) <= 0.25 &&
	report.seeked !== null && report.seeked >= want - 0.3 &&
	report.errors.length === 0;
finish(report.ok ? 0 : 1);
