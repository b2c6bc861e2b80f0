// tests/store/s3-server.cjs - the S3 test server: @20minutes/s3rver 4.0.4
// (which verifies SigV4 header and presigned signatures) behind a small
// front that
//   - refuses unsigned requests (403 AccessDenied), as AWS does for a
//     private bucket;
//   - answers a credential scope in another region with
//     AuthorizationHeaderMalformed naming the bucket's region, as AWS does;
//   - refuses a request time more than 15 minutes from its clock (which a
//     test may shift: /__vigia/clock?offset=S) with RequestTimeTooSkewed;
//   - injects faults on demand (/__vigia/fault?status=503&count=N): the
//     next N signed requests get that status with an S3 error body;
//   - counts requests (/__vigia/stats: JSON), so a test can tell that a
//     resumed multipart upload sent no finished part again;
//   - shows the headers of the last PUT or POST (/__vigia/last: JSON);
//   - answers slowly on demand (/__vigia/delay?ms=N);
//   - with S3_CORS_ORIGIN=ORIGIN in the environment, gives every bucket a
//     CORS configuration that lets ORIGIN (Label Studio) GET and HEAD
//     with Range, as the CORS JSON of `vigia test labelstudio` would.
// The /__vigia/ paths are the tests' control channel (unsigned).
//
// usage: node --openssl-legacy-provider s3-server.cjs NODE_MODULES DIR
//        PORTFILE ACCESS_KEY SECRET REGION BUCKET...
// Writes the port it listens on (127.0.0.1, port 0: any free one) to
// PORTFILE once it accepts connections.
// Copyright (C) 2026 The vigia developers
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const path = require('path');
const fs = require('fs');
const http = require('http');

// A bucket CORS configuration letting origin play videos.
function corsXml(origin) {
  return '<CORSConfiguration><CORSRule>' +
    '<AllowedOrigin>' + origin + '</AllowedOrigin>' +
    '<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>' +
    '<AllowedHeader>Range</AllowedHeader><AllowedHeader>Origin</AllowedHeader>' +
    '<ExposeHeader>Content-Range</ExposeHeader><ExposeHeader>Content-Length</ExposeHeader>' +
    '<ExposeHeader>Accept-Ranges</ExposeHeader><MaxAgeSeconds>3600</MaxAgeSeconds>' +
    '</CORSRule></CORSConfiguration>';
}

const [modules, dir, portfile, accessKey, secret, region, ...buckets] =
  process.argv.slice(2);
const S3rver = require(path.join(modules, '@20minutes/s3rver'));
const AWSAccount = require(
  path.join(modules, '@20minutes/s3rver/lib/models/account'));

AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKey, secret);

const s3 = new S3rver({
  directory: dir,
  silent: true,
  vhostBuckets: false,
  configureBuckets: buckets.map((name) => (process.env.S3_CORS_ORIGIN ?
    { name, configs: [corsXml(process.env.S3_CORS_ORIGIN)] } : { name })),
});

let fault = { status: 0, count: 0, code: '' };
let clockOffset = 0;
let delayMs = 0;
let last = {};	// headers of the last object-writing request
const stats = { requests: 0, parts: 0, puts: 0, creates: 0, completes: 0,
  heads: 0, gets: 0, deletes: 0, refused: 0, faults: 0, bytes: 0 };

function xmlError(res, status, code, message, extra, headers) {
  let body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>' + code +
    '</Code><Message>' + message + '</Message>';
  for (const [k, v] of Object.entries(extra || {}))
    body += '<' + k + '>' + v + '</' + k + '>';
  body += '<RequestId>vigia-test</RequestId></Error>';
  res.writeHead(status, Object.assign({ 'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body) }, headers || {}));
  res.end(body);
}

// Drain the body before answering, so that the client reads the answer.
function refuse(req, res, ...args) {
  stats.refused++;
  req.on('data', () => {});
  req.on('end', () => xmlError(res, ...args));
  req.on('error', () => {});
}

function amzTime(s) {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(s || '');
  if (!m) return NaN;
  return Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

const handler = s3.callback();
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname.startsWith('/__vigia/')) {
    const what = url.pathname.slice(9);
    if (what === 'fault') {
      fault = { status: +(url.searchParams.get('status') || 503),
        count: +(url.searchParams.get('count') || 1),
        code: url.searchParams.get('code') || '' };
    } else if (what === 'clock') {
      clockOffset = +(url.searchParams.get('offset') || 0);
    } else if (what === 'delay') {
      delayMs = +(url.searchParams.get('ms') || 0);
    } else if (what === 'last') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(last) + '\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(stats) + '\n');
    return;
  }
  stats.requests++;
  const auth = req.headers.authorization || '';
  const qcred = url.searchParams.get('X-Amz-Credential');
  let cred, when;
  if (auth.startsWith('AWS4-HMAC-SHA256 ')) {
    const m = /Credential=([^,\s]+)/.exec(auth);
    cred = m ? m[1] : '';
    when = req.headers['x-amz-date'];
  } else if (qcred) {
    cred = qcred;
    when = url.searchParams.get('X-Amz-Date');
  } else {
    return refuse(req, res, 403, 'AccessDenied', 'Access Denied');
  }
  const scope = cred.split('/');
  if (scope.length === 5 && scope[2] !== region)
    return refuse(req, res, 400, 'AuthorizationHeaderMalformed',
      "The authorization header is malformed; the region '" + scope[2] +
      "' is wrong; expecting '" + region + "'", { Region: region },
      { 'x-amz-bucket-region': region });
  const now = Date.now() + clockOffset * 1000;
  const t = amzTime(when);
  if (!qcred && (isNaN(t) || Math.abs(t - now) > 15 * 60 * 1000))
    return refuse(req, res, 403, 'RequestTimeTooSkewed',
      'The difference between the request time and the current time is ' +
      'too large.', { RequestTime: when, ServerTime:
        new Date(now).toISOString(), MaxAllowedSkewMilliseconds: 900000 },
      { Date: new Date(now).toUTCString() });
  if (fault.count > 0) {
    fault.count--;
    stats.faults++;
    const code = fault.code || (fault.status === 503 ? 'SlowDown' :
      'InternalError');
    return refuse(req, res, fault.status, code, 'Injected by the test.');
  }
  const q = url.searchParams;
  if (req.method === 'PUT' || req.method === 'POST') {
    last = {};
    for (const h of ['content-md5', 'content-type', 'x-amz-storage-class',
      'x-amz-server-side-encryption',
      'x-amz-server-side-encryption-aws-kms-key-id',
      'x-amz-content-sha256'])
      if (h in req.headers) last[h] = req.headers[h];
    last.method = req.method;
    last.query = url.search;
  }
  if (req.method === 'PUT' && q.has('partNumber')) stats.parts++;
  else if (req.method === 'PUT') stats.puts++;
  else if (req.method === 'POST' && q.has('uploads')) stats.creates++;
  else if (req.method === 'POST' && q.has('uploadId')) stats.completes++;
  else if (req.method === 'HEAD') stats.heads++;
  else if (req.method === 'GET') stats.gets++;
  else if (req.method === 'DELETE') stats.deletes++;
  stats.bytes += +(req.headers['content-length'] || 0);
  if (delayMs > 0) setTimeout(() => handler(req, res), delayMs);
  else handler(req, res);
});

(async () => {
  if (process.env.S3_CORS_ORIGIN) await s3.configureBuckets();
  else for (const b of buckets) await s3.store.putBucket(b);
  server.listen(+(process.env.S3_LISTEN_PORT || 0), '127.0.0.1', () => {
    fs.writeFileSync(portfile + '.tmp', String(server.address().port));
    fs.renameSync(portfile + '.tmp', portfile);
  });
})().catch((e) => { console.error(e); process.exit(1); });
process.on('SIGTERM', () => process.exit(0));
