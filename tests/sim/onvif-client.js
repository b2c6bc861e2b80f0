// tests/sim/onvif-client.js - npm's `onvif` package as an independent
// ONVIF client: connect, device information, profiles, stream and
// snapshot URIs; prints one JSON object.
// Copyright (C) 2026 The vigia developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// usage: node onvif-client.js NODE_MODULES HOST PORT USER PASSWORD
'use strict';
const [modules, hostname, port, username, password] = process.argv.slice(2);
const { Cam } = require(modules + '/onvif');

setTimeout(() => { console.error('timeout'); process.exit(3); }, 20000).unref();

function fail(what, err) {
	console.error(what + ': ' + (err && err.message ? err.message : err));
	process.exit(1);
}

const cam = new Cam({ hostname, port: Number(port), username, password,
	timeout: 8000, preserveAddress: true, autoconnect: false });
cam.connect((err) => {
	if (err) return fail('connect', err);
	cam.getDeviceInformation((err, info) => {
		if (err) return fail('getDeviceInformation', err);
		const out = { info, profiles: [] };
		const profiles = cam.profiles || [];
		let pending = profiles.length;
		if (pending === 0) return fail('profiles', 'none');
		profiles.forEach((p, i) => {
			const enc = p.videoEncoderConfiguration || {};
			out.profiles[i] = { token: p.$.token, name: p.name,
				width: enc.resolution && enc.resolution.width,
				height: enc.resolution && enc.resolution.height };
			cam.getStreamUri({ protocol: 'RTSP', profileToken: p.$.token },
				(err, s) => {
				if (err) return fail('getStreamUri', err);
				out.profiles[i].uri = s.uri;
				cam.getSnapshotUri({ profileToken: p.$.token },
					(err, snap) => {
					if (err) return fail('getSnapshotUri', err);
					out.profiles[i].snapshot = snap.uri;
					if (--pending === 0) {
						console.log(JSON.stringify(out));
						process.exit(0);
					}
				});
			});
		});
	});
});
