// tests/store/sigv4-presign.mjs - the AWS SDK for JavaScript's side of
// test-sigv4-cross.sh.
// Copyright (C) 2026 The vigia developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
//   node sigv4-presign.mjs gen SEED N        cases, one per line (TSV)
//   node sigv4-presign.mjs sign NODE_MODULES FILE [SECRET]
//                                            one presigned URL per case
// The fields of a case are those test-store-sigv4 --presign reads:
// endpoint, path|virtual, bucket, key, region, token|-, expiry, signing
// time (Unix s), NAME=VALUE|-, access key, secret key.  SECRET replaces
// the cases' secret (to show that the comparison can fail).
import { createRequire } from 'module';
import { readFileSync } from 'fs';

const AK = 'AKIAIOSFODNN7EXAMPLE';
const SK = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

// A small deterministic generator (mulberry32), so a failure repeats.
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function gen(seed, n) {
	const r = rng(seed);
	const pick = (a) => a[Math.floor(r() * a.length)];
	// What keys are made of: every printable ASCII byte but tab, the
	// separators S3 users meet, and UTF-8 of 2, 3 and 4 bytes.
	const pieces = [];
	for (let c = 0x20; c < 0x7f; c++)
		pieces.push(String.fromCharCode(c));
	pieces.push('/', '/', 'seg', 'cam 02', '+', '=', '&', '?', '#', '%',
	    '%20', 'é', 'ü', 'ñ', 'ı', 'ø', 'カメラ', '録画', '😀', '\u00a0',
	    '2026-12-06T03:00:00Z');
	const endpoints = [
		['http://127.0.0.1:4569', false],
		['http://[::1]:9000', false],
		['https://s3.eu-west-1.amazonaws.com', true],
		['https://minio.example.net:9000', true],
		['http://ceph.example.org:7480', true],
	];
	const regions = ['us-east-1', 'eu-west-1', 'eu-south-2', 'ap-northeast-1'];
	const buckets = ['footage', 'vigia-footage', 'site.b-01', 'abc'];
	const out = [];
	for (let i = 0; i < n; i++) {
		const [ep, vh] = pick(endpoints);
		let key = '';
		const len = 1 + Math.floor(r() * 12);
		for (let j = 0; j < len; j++)
			key += pick(pieces);
		const token = r() < 0.3 ?
		    'FQoGZXIvYXdzE' + Math.floor(r() * 1e9) + '//+/==' : '-';
		const expires = 1 + Math.floor(r() * 604800);
		const when = 946684800 + Math.floor(r() * 1200000000);
		// The SDK's presigner always puts this one in the query.
		const extra = 'X-Amz-Content-Sha256=UNSIGNED-PAYLOAD';
		const bucket = pick(buckets);
		// A dotted bucket under TLS stays path-style (vigia refuses
		// it, the SDK silently switches).
		const virt = vh && r() < 0.5 && !(bucket.includes('.') &&
		    ep.startsWith('https:'));
		out.push([ep, virt ? 'virtual' : 'path', bucket, key,
		    pick(regions), token, expires, when, extra, AK, SK]
		    .join('\t'));
	}
	process.stdout.write(out.join('\n') + '\n');
}

async function sign(modules, file, secret) {
	const require = createRequire(modules.replace(/\/?$/, '/'));
	const { S3Client, GetObjectCommand } =
	    require('@aws-sdk/client-s3');
	const { getSignedUrl } = require('@aws-sdk/s3-request-presigner');
	const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l);
	for (const line of lines) {
		const [ep, style, bucket, key, region, token, expires, when,
		    extra, ak, sk] = line.split('\t');
		const client = new S3Client({
			region, endpoint: ep, forcePathStyle: style === 'path',
			requestChecksumCalculation: 'WHEN_REQUIRED',
			responseChecksumValidation: 'WHEN_REQUIRED',
			credentials: { accessKeyId: ak,
			    secretAccessKey: secret || sk,
			    sessionToken: token === '-' ? undefined : token },
		});
		// GetObject adds x-id=GetObject; vigia's URLs have no such
		// parameter.
		client.middlewareStack.add((next) => async (args) => {
			if (args.request && args.request.query)
				delete args.request.query['x-id'];
			return next(args);
		}, { step: 'build', name: 'vigiaDropXId' });
		// The presigner always hoists X-Amz-Content-Sha256 into the
		// query: the cases name it as their extra parameter.
		const url = await getSignedUrl(client,
		    new GetObjectCommand({ Bucket: bucket, Key: key }),
		    { expiresIn: Number(expires),
		      signingDate: new Date(Number(when) * 1000) });
		process.stdout.write(url + '\n');
	}
}

const [mode, a, b, c] = process.argv.slice(2);
if (mode === 'gen')
	gen(Number(a), Number(b));
else if (mode === 'sign')
	await sign(a, b, c);
else {
	process.stderr.write('usage: sigv4-presign.mjs gen SEED N | ' +
	    'sign NODE_MODULES FILE [SECRET]\n');
	process.exit(2);
}
