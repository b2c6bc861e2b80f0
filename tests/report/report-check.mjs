// report-check.mjs - open an as-built report in headless Chromium and say
// what a reader would see, over the DevTools protocol.
//
// Copyright (C) 2026 The vigia developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// node --experimental-websocket report-check.mjs FILE PROFILE_DIR SHOT.png
//   PRINT.pdf
// Prints one JSON object: the page's lang and title, every camera section
// (name, result, its pictures: data: URI or not, decoded size), every
// request the page made that is not the file itself or a data: URI (an
// external asset), page errors; writes a screenshot of the page and the
// page printed to PDF.  Chromium (the one process it starts) is killed at
// the end.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, profile, shot, pdf] = process.argv.slice(2);
const url = pathToFileURL(path.resolve(file)).href;
const t0 = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const report = { errors: [], requests: [] };

const chrome = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu',
	'--disable-background-networking', '--disable-dev-shm-usage',
	'--hide-scrollbars', '--remote-debugging-port=0',
	`--user-data-dir=${profile}`, 'about:blank'],
	{ stdio: ['ignore', 'ignore', 'pipe'] });
let chromeErr = '';
chrome.stderr.on('data', (d) => { chromeErr += d; });
const finish = (code) => {
	report.elapsed_ms = Date.now() - t0;
	console.log(JSON.stringify(report));
	try { chrome.kill('SIGKILL'); } catch { /* gone */ }
	process.exit(code);
};
setTimeout(() => { report.errors.push('timeout'); finish(1); }, 60000).unref();

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
let seq = 0, loaded = false;
const pending = new Map();
ws.onmessage = (m) => {
	const d = JSON.parse(m.data);
	if (d.id && pending.has(d.id)) { pending.get(d.id)(d); pending.delete(d.id); }
	if (d.method === 'Page.loadEventFired') loaded = true;
	if (d.method === 'Network.requestWillBeSent') {
		const u = d.params.request.url;
		if (u !== url && !u.startsWith('data:')) report.requests.push(u.slice(0, 200));
	}
	if (d.method === 'Runtime.exceptionThrown')
		report.errors.push('exception: ' + d.params.exceptionDetails.text);
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
await send('Network.enable');
await send('Emulation.setDeviceMetricsOverride', { width: 1200, height: 900,
	deviceScaleFactor: 1, mobile: false });
await send('Page.navigate', { url });
while (!loaded && Date.now() - t0 < 30000) await sleep(100);
// pictures decode after load: wait until every <img> says complete
await evaluate(`Promise.all([...document.images].map((i) => i.decode().catch(() => null)))`);
Object.assign(report, await evaluate(`(() => ({
	lang: document.documentElement.lang,
	title: document.title,
	h1: document.querySelector('h1')?.innerText,
	verdict: document.getElementById('verdict')?.innerText,
	text: document.body.innerText.length,
	scripts: document.scripts.length,
	stylesheets: document.querySelectorAll('link[rel=stylesheet]').length,
	cameras: [...document.querySelectorAll('section.camera')].map((s) => ({
		name: s.dataset.camera, result: s.dataset.result,
		tests: s.querySelectorAll('table.tests tbody tr').length,
		images: [...s.querySelectorAll('img')].map((i) => ({
			data: i.getAttribute('src').startsWith('data:image/'),
			complete: i.complete, width: i.naturalWidth, height: i.naturalHeight })),
		identity: Object.fromEntries([...s.querySelectorAll('table.identity tr')].map((r) =>
			[r.querySelector('th').innerText, r.querySelector('td').innerText])),
	})),
}))()`));
const full = await evaluate(`({ w: document.documentElement.scrollWidth,
	h: Math.min(document.documentElement.scrollHeight, 4000) })`);
const s = await send('Page.captureScreenshot', { format: 'png',
	clip: { x: 0, y: 0, width: full.w, height: full.h, scale: 1 },
	captureBeyondViewport: true });
fs.writeFileSync(shot, Buffer.from(s.result.data, 'base64'));
const p = await send('Page.printToPDF', { printBackground: true });
if (p.result?.data) fs.writeFileSync(pdf, Buffer.from(p.result.data, 'base64'));
else report.errors.push('printToPDF: ' + JSON.stringify(p.error));
finish(0);
