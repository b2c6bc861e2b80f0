// media-server.mjs - serve files as a bucket would to a browser: GET and
// HEAD with single byte ranges, CORS for an Origin (unless --no-cors),
// the query string (a presigned URL's) ignored.  For `vigia test
// labelstudio`'s probe and the frontend check when no S3 test server runs.
//
// Copyright (C) 2026 The vigia developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// node media-server.mjs --dir DIR --port-file FILE [--no-cors] [--no-range]
//   GET /BUCKET/KEY serves DIR/BUCKET/KEY (.mp4 as video/mp4).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const o = { dir: '.', portFile: null, cors: true, range: true };
for (let i = 2; i < process.argv.length; i++) {
	const a = process.argv[i];
	if (a === '--dir') o.dir = process.argv[++i];
	else if (a === '--port-file') o.portFile = process.argv[++i];
	else if (a === '--no-cors') o.cors = false;
	else if (a === '--no-range') o.range = false;
	else { console.error(`media-server: unknown option ${a}`); process.exit(2); }
}
const types = { '.mp4': 'video/mp4', '.json': 'application/json',
	'.html': 'text/html', '.js': 'application/javascript', '.css': 'text/css' };

const server = http.createServer((req, res) => {
	const u = new URL(req.url, 'http://x');
	const h = {};
	if (o.cors && req.headers.origin) {
		h['access-control-allow-origin'] = req.headers.origin;
		h['access-control-expose-headers'] = 'Content-Range, Content-Length, Accept-Ranges';
		h.vary = 'Origin';
	}
	if (req.method === 'OPTIONS') {
		if (o.cors) {
			h['access-control-allow-methods'] = 'GET, HEAD';
			h['access-control-allow-headers'] = 'Range';
		}
		res.writeHead(o.cors ? 200 : 403, h);
		return res.end();
	}
	const f = path.join(o.dir, path.normalize(decodeURIComponent(u.pathname)).replace(/^(\.\.[/\\])+/, ''));
	let st;
	try { st = fs.statSync(f); } catch { st = null; }
	if (!st || !st.isFile()) {
		res.writeHead(404, { ...h, 'content-type': 'application/xml' });
		return res.end('<Error><Code>NoSuchKey</Code></Error>');
	}
	h['content-type'] = types[path.extname(f)] || 'application/octet-stream';
	h['last-modified'] = st.mtime.toUTCString();
	let start = 0, end = st.size - 1, status = 200;
	const m = o.range && /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
	if (m && (m[1] !== '' || m[2] !== '')) {
		if (m[1] === '') { start = Math.max(0, st.size - Number(m[2])); }
		else { start = Number(m[1]); if (m[2] !== '') end = Math.min(end, Number(m[2])); }
		if (start >= st.size || start > end) {
			res.writeHead(416, { ...h, 'content-range': `bytes */${st.size}` });
			return res.end();
		}
		status = 206;
		h['content-range'] = `bytes ${start}-${end}/${st.size}`;
	}
	if (o.range) h['accept-ranges'] = 'bytes';
	h['content-length'] = end - start + 1;
	res.writeHead(status, h);
	if (req.method === 'HEAD') return res.end();
	fs.createReadStream(f, { start, end }).pipe(res);
});
server.listen(0, '127.0.0.1', () => {
	const port = server.address().port;
	if (o.portFile) {
		fs.writeFileSync(o.portFile + '.tmp', `${port}\n`);
		fs.renameSync(o.portFile + '.tmp', o.portFile);
	}
});
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => process.exit(0));
