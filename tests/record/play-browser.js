// play-browser.js - play one MP4 in headless Chromium's <video> and print
// what the page measured, as JSON.
// Copyright (C) 2026 The vigia developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// usage: node --experimental-websocket play-browser.js FILE.mp4 CHROMIUM
//
// Serves FILE's directory on 127.0.0.1 with HTTP Range support (as S3 and
// Label Studio serve media), opens a page whose <video> reports, through
// document.title: the duration once metadata is known (and how many
// requests and bytes that took), the size, the time after a seek to the
// end, and the time at "ended" after playing from 0 (at 4x).  Chromium is
// driven in real time over the DevTools protocol (no virtual time).
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const os = require('os');
const { spawn } = require('child_process');

const file = process.argv[2], chrome = process.argv[3] || 'chromium';
const dir = path.dirname(file), name = path.basename(file);
let requests = 0, bytes = 0;
const log = [];

const page = `<!doctype html><html><body>
<video id="v" muted playsinline preload="metadata"></video>
<script>
const v = document.getElementById('v');
const r = {};
function report(state) { r.state = state; document.title = JSON.stringify(r); }
v.addEventListener('error', () => report('error ' + (v.error && v.error.code)));
v.addEventListener('loadedmetadata', async () => {
  r.duration = v.duration; r.width = v.videoWidth; r.height = v.videoHeight;
  const m = await (await fetch('/stats')).json();
  r.requests_to_metadata = m.requests; r.bytes_to_metadata = m.bytes;
  v.currentTime = Math.max(0, v.duration - 0.05);
  v.addEventListener('seeked', () => {
    r.after_seek = v.currentTime;
    v.currentTime = 0;
    v.playbackRate = 4;
    v.addEventListener('ended', () => { r.ended_at = v.currentTime; report('done'); }, { once: true });
    v.play().catch(e => report('play failed: ' + e));
  }, { once: true });
});
v.src = '/media/${encodeURIComponent(name)}';
report('loading');
</script></body></html>`;

const server = http.createServer((req, res) => {
  requests++;
  if (req.url === '/') { res.writeHead(200, { 'Content-Type': 'text/html' }); return res.end(page); }
  if (req.url === '/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ requests: requests - 2, bytes }));
  }
  if (!req.url.startsWith('/media/')) { res.writeHead(404); return res.end(); }
  const f = path.join(dir, decodeURIComponent(req.url.slice(7)));
  let st;
  try { st = fs.statSync(f); } catch (e) { res.writeHead(404); return res.end(); }
  const m = /bytes=(\d*)-(\d*)/.exec(req.headers.range || '');
  let start = 0, end = st.size - 1, code = 200;
  if (m) {
    if (m[1] === '') { start = st.size - Number(m[2]); }
    else { start = Number(m[1]); if (m[2] !== '') end = Math.min(end, Number(m[2])); }
    if (start > end || start >= st.size) {
      res.writeHead(416, { 'Content-Range': `bytes */${st.size}` }); return res.end();
    }
    code = 206;
  }
  const h = { 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes', 'Content-Length': end - start + 1 };
  if (code === 206) h['Content-Range'] = `bytes ${start}-${end}/${st.size}`;
  res.writeHead(code, h);
  log.push((req.headers.range || 'all') + ' @' + requests);
  const s = fs.createReadStream(f, { start, end });
  s.on('data', (d) => { bytes += d.length; });
  s.pipe(res);
});

function fail(msg) { console.log(JSON.stringify({ state: 'harness: ' + msg })); process.exit(2); }

server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-chromium-'));
  const ch = spawn(chrome, ['--headless=new', '--no-sandbox', '--disable-gpu',
    '--disable-background-networking', '--disable-extensions', '--no-first-run',
    '--autoplay-policy=no-user-gesture-required', '--remote-debugging-port=0',
    `--user-data-dir=${profile}`, `http://127.0.0.1:${port}/`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let finished = false;
  const done = (code, out) => {
    if (finished) return;
    finished = true;
    console.log(JSON.stringify(Object.assign(out, { ranges: log.length })));
    if (process.env.PLAY_LOG) console.error(log.join('\n'));
    server.close();
    // remove the profile once Chromium is gone (it writes until then)
    const bye = () => {
      try { fs.rmSync(profile, { recursive: true, force: true }); } catch (e) { }
      process.exit(code);
    };
    if (ch.exitCode !== null || ch.signalCode !== null) return bye();
    ch.once('exit', bye);
    try { ch.kill('SIGTERM'); } catch (e) { }
    setTimeout(() => { try { ch.kill('SIGKILL'); } catch (e) { } }, 3000);
  };
  const timer = setTimeout(() => done(1, { state: 'timeout', last: last }), 60000);
  let last = null, err = '';
  ch.stderr.on('data', async (d) => {
    err += d.toString();
    const m = /DevTools listening on ws:\/\/127.0.0.1:(\d+)\//.exec(err);
    if (!m || ch.devtools) return;
    ch.devtools = m[1];
    let target = null;
    for (let i = 0; i < 50 && !target; i++) {
      try {
        const list = await (await fetch(`http://127.0.0.1:${m[1]}/json/list`)).json();
        target = list.find((t) => t.type === 'page');
      } catch (e) { }
      if (!target) await new Promise((r) => setTimeout(r, 200));
    }
    if (!target) fail('no page target');
    const ws = new WebSocket(target.webSocketDebuggerUrl);
    let id = 0;
    const pending = new Map();
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
    };
    const call = (method, params) => new Promise((resolve) => {
      id++; pending.set(id, resolve); ws.send(JSON.stringify({ id, method, params }));
    });
    ws.onopen = async () => {
      for (;;) {
        const r = await call('Runtime.evaluate', { expression: 'document.title', returnByValue: true });
        const t = r.result && r.result.result && r.result.result.value;
        if (t) {
          try { last = JSON.parse(t); } catch (e) { }
          if (last && last.state !== 'loading') { clearTimeout(timer); done(last.state === 'done' ? 0 : 1, last); }
        }
        await new Promise((res) => setTimeout(res, 200));
      }
    };
  });
  ch.on('exit', (code) => { if (!ch.devtools && !finished) fail('chromium exited ' + code + ': ' + err.slice(-300)); });
});
