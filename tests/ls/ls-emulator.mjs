// ls-emulator.mjs - a Label Studio API emulator for vigia's tests.
//
// Copyright (C) 2026 The vigia developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Written from ../shared/label-studio-api.md (the contract), node:http only.
// It follows the contract strictly: the slash rules (section 1.1 and 9.1),
// the error envelope (1.3), legacy Token and PAT auth with JWT access tokens
// (2.1, 2.2, 9.5), projects and config validation (3.2), imports with their
// all-or-nothing validation and both reply shapes (3.3, 9.8), the task list
// with filters and pagination (3.5), easy and snapshot exports (3.6, 6), the
// S3 source storage (3.7) and the resolver (3.10).
//
// Usage: node ls-emulator.mjs [--port N] [--port-file FILE]
//   [--token KEY] [--legacy-disabled] [--access-ttl S] [--import-mode oss|lse]
//   [--release 1.22.0] [--no-timeline] [--pat-file FILE] [--faults JSON]
//   [--reject-key REGEX]  (items whose data.segment_key matches fail the
//                          import's validation: the bisection test)
//
// Test control (no auth; not part of Label Studio):
//   GET  /_emu/state            projects, their tasks and segment_key counts
//   GET  /_emu/log              every request seen: method, path, status
//   POST /_emu/settings         {legacy_enabled, import_mode, access_ttl,
//                                release, timeline, reject_key}
//   POST /_emu/revoke-access    refuse every access token issued so far
//   POST /_emu/pat              {exp_s}: a new PAT ({"token"}); exp_s < 0
//                                makes an expired one
//   POST /_emu/faults           one fault or a list: {path (regex), method,
//                                kind, count (default 1), status, delay_ms,
//                                retry_after}; kinds: status (5xx), 429,
//                                drop (close before handling), drop_after
//                                (handle, then close: the outcome is unknown),
//                                slow (delay first), slow_after (handle, then
//                                delay the reply)
//   DELETE /_emu/faults         clear them
//   POST /_emu/down             {ms}: every request gets nginx's 502 meanwhile
//   POST /_emu/annotations      {task, result, was_cancelled, ground_truth,
//                                updated_at}: an annotation as if saved by
//                                the editor
//   PATCH/DELETE /_emu/annotations/ID
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';

// ---- options ---------------------------------------------------------------
const opt = {
	port: 0, portFile: null, token: 'f'.repeat(40), legacy: true,
	accessTtl: 300, importMode: 'oss', release: '1.22.0', timeline: true,
	patFile: null, faults: [], rejectKey: null,
};
for (let i = 2; i < process.argv.length; i++) {
	const a = process.argv[i], v = () => process.argv[++i];
	if (a === '--port') opt.port = Number(v());
	else if (a === '--port-file') opt.portFile = v();
	else if (a === '--token') opt.token = v();
	else if (a === '--legacy-disabled') opt.legacy = false;
	else if (a === '--access-ttl') opt.accessTtl = Number(v());
	else if (a === '--import-mode') opt.importMode = v();
	else if (a === '--release') opt.release = v();
	else if (a === '--no-timeline') opt.timeline = false;
	else if (a === '--pat-file') opt.patFile = v();
	else if (a === '--reject-key') opt.rejectKey = v();
	else if (a === '--faults') opt.faults = [].concat(JSON.parse(v()));
	else { console.error(`ls-emulator: unknown option ${a}`); process.exit(2); }
}
const SECRET = crypto.randomBytes(32);
const USER = {
	id: 1, first_name: 'Ana', last_name: 'Tester', username: 'ana',
	email: 'ana@example.com', last_activity: new Date().toISOString(),
	custom_hotkeys: {}, avatar: null, initials: 'AT', phone: '',
	active_organization: 1,
	active_organization_meta: { title: 'Test org', email: 'ana@example.com' },
	allow_newsletters: false, date_joined: '2026-01-01T00:00:00Z',
};

// ---- state -------------------------------------------------------------------
const st = {
	projects: new Map(), tasks: new Map(), storages: new Map(),
	exports: new Map(), imports: new Map(), annotations: new Map(),
	blacklist: new Set(), revokedAccess: new Set(), issuedAccess: [], log: [], downUntil: 0,
	nextId: { project: 1, task: 1, storage: 1, export: 1, import: 1,
		annotation: 1 },
};
const now = () => new Date().toISOString();

// ---- JWT (HS256) -------------------------------------------------------------
const b64u = (b) => Buffer.from(b).toString('base64url');
function jwtSign(claims) {
	const h = b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const p = b64u(JSON.stringify(claims));
	const s = crypto.createHmac('sha256', SECRET).update(`${h}.${p}`).digest();
	return `${h}.${p}.${b64u(s)}`;
}
function jwtVerify(tok) {
	const parts = String(tok).split('.');
	if (parts.length !== 3) return null;
	const s = crypto.createHmac('sha256', SECRET)
		.update(`${parts[0]}.${parts[1]}`).digest();
	const got = Buffer.from(parts[2], 'base64url');
	if (got.length !== s.length || !crypto.timingSafeEqual(got, s))
		return null;
	try { return JSON.parse(Buffer.from(parts[1], 'base64url')); }
	catch { return null; }
}
function makePat(expS = 365 * 200 * 86400) {
	const iat = Math.floor(Date.now() / 1000);
	return jwtSign({ token_type: 'refresh', exp: iat + expS, iat,
		jti: crypto.randomUUID().replace(/-/g, ''), user_id: 1 });
}

// ---- replies -------------------------------------------------------------------
const R = (status, body, headers = {}) => ({ status, body, headers });
function envelope(status, detail, extra = {}) {
	return R(status, { id: crypto.randomUUID(), status_code: status,
		version: opt.release, detail, exc_info: null, ...extra });
}
const validation = (errs) => envelope(400, 'Validation error',
	{ validation_errors: Array.isArray(errs) ? { non_field_errors: errs } : errs });
function html404(path) {
	return R(404, `<!doctype html><html><head><title>Not Found</title></head>` +
		`<body><h1>Not Found</h1><p>The requested resource was not found ` +
		`on this server.</p><!-- ${path} --></body></html>`,
		{ 'content-type': 'text/html; charset=utf-8' });
}
const nf = (what) => envelope(404, `No ${what} matches the given query.`);

// ---- label config --------------------------------------------------------------
// A small XML reader: enough for label configs (elements, attributes,
// comments), strict about well-formedness.
function parseXml(s) {
	let i = 0;
	const root = { tag: '#doc', attrs: {}, children: [] }, stack = [root];
	const fail = (m) => { throw new Error(m); };
	while (i < s.length) {
		if (s.startsWith('<!--', i)) {
			const e = s.indexOf('-->', i);
			if (e < 0) fail('unterminated comment');
			i = e + 3;
		} else if (s.startsWith('<!', i)) {
			fail('DTDs are forbidden');
		} else if (s.startsWith('<?', i)) {
			const e = s.indexOf('?>', i);
			if (e < 0) fail('unterminated declaration');
			i = e + 2;
		} else if (s.startsWith('</', i)) {
			const m = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(s.slice(i));
			if (!m) fail(`bad end tag at ${i}`);
			const top = stack.pop();
			if (!top || top.tag !== m[1])
				fail(`mismatched tag: ${m[1]} at ${i}`);
			i += m[0].length;
		} else if (s[i] === '<') {
			const m = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(s.slice(i));
			if (!m) fail(`not well-formed (invalid token) at ${i}`);
			const attrs = {};
			const re = /([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;
			let a;
			while ((a = re.exec(m[2])) !== null) {
				if (a[1] in attrs) fail(`duplicate attribute ${a[1]}`);
				attrs[a[1]] = a[3] !== undefined ? a[3] : a[4];
			}
			const el = { tag: m[1], attrs, children: [] };
			stack[stack.length - 1].children.push(el);
			if (!m[3]) stack.push(el);
			i += m[0].length;
		} else {
			const e = s.indexOf('<', i);
			i = e < 0 ? s.length : e;
		}
	}
	if (stack.length !== 1) fail(`unclosed tag ${stack[stack.length - 1].tag}`);
	if (root.children.length !== 1) fail('junk after document element');
	return root.children[0];
}
const OBJECT_TAGS = ['Video', 'Image', 'Audio', 'AudioPlus', 'Text',
	'HyperText', 'Paragraphs', 'TimeSeries', 'Table'];
const CONTROL_TAGS = ['Choices', 'Labels', 'VideoRectangle', 'TimelineLabels',
	'RectangleLabels', 'Rectangle', 'TextArea', 'Rating', 'Number',
	'DateTime', 'Taxonomy', 'KeyPointLabels', 'PolygonLabels', 'Pairwise',
	'Ranker', 'Relations'];
const KNOWN = new Set(['View', 'Header', 'Style', 'Label', 'Choice', 'Filter',
	'Collapse', 'Relation', ...OBJECT_TAGS, ...CONTROL_TAGS]);
function walk(el, fn) { fn(el); el.children.forEach((c) => walk(c, fn)); }
// Errors as a list of strings, or the parsed config {objects, controls}.
function checkConfig(xml) {
	let root;
	if (typeof xml !== 'string' || xml.trim() === '')
		return { errors: ['Label config is not set or is empty'] };
	try { root = parseXml(xml.trim()); }
	catch (e) { return { errors: [`Can't parse XML: ${e.message}`] }; }
	if (root.tag !== 'View')
		return { errors: ["Validation failed on : 'View' is the required root tag"] };
	const names = [], errors = [], objects = {}, controls = {};
	walk(root, (el) => {
		if (!KNOWN.has(el.tag) || (el.tag === 'TimelineLabels' && !opt.timeline))
			errors.push(`Validation failed on : unknown tag <${el.tag}>`);
		if (el.attrs.name !== undefined) names.push(el.attrs.name);
		if (OBJECT_TAGS.includes(el.tag)) {
			for (const k of ['name', 'value'])
				if (!el.attrs[k]) errors.push(`Validation failed on ${el.tag}: '${k}' is a required property`);
			objects[el.attrs.name] = el;
		}
		if (CONTROL_TAGS.includes(el.tag)) {
			for (const k of ['name', 'toName'])
				if (!el.attrs[k]) errors.push(`Validation failed on ${el.tag}: '${k}' is a required property`);
			controls[el.attrs.name] = el;
		}
	});
	if (new Set(names).size !== names.length)
		errors.push('Label config contains non-unique names');
	walk(root, (el) => {
		if (!el.attrs.toName) return;
		for (const t of el.attrs.toName.split(','))
			if (!names.includes(t))
				errors.push(`toName="${t}" not found in names: [${names.map((n) => `'${n}'`).join(', ')}]`);
	});
	return errors.length ? { errors } : { root, objects, controls };
}
function parsedConfig(cfg) {
	const out = {};
	for (const [n, c] of Object.entries(cfg.controls || {})) {
		const labels = [];
		walk(c, (e) => { if (e.tag === 'Label' || e.tag === 'Choice') labels.push(e.attrs.value); });
		out[n] = { type: c.tag, to_name: c.attrs.toName.split(','),
			inputs: c.attrs.toName.split(',').map((t) => {
				const o = cfg.objects[t];
				return o ? { type: o.tag, value: o.attrs.value.replace(/^\$/, '') } : {};
			}), labels };
	}
	return out;
}

// ---- projects ---------------------------------------------------------------------
const PROJ_DEFAULTS = {
	description: '', label_config: '<View></View>', expert_instruction: '',
	show_instruction: false, show_skip_button: true,
	enable_empty_annotation: true, show_annotation_history: false,
	maximum_annotations: 1, sampling: 'Sequential sampling',
	show_collab_predictions: true, model_version: '', is_published: false,
	is_draft: false, color: '#FFFFFF', control_weights: {},
	evaluate_predictions_automatically: false,
	reveal_preannotations_interactively: false,
};
const COUNTERS = ['task_number', 'finished_task_number',
	'total_annotations_number', 'total_predictions_number',
	'num_tasks_with_annotations', 'useful_annotation_number',
	'ground_truth_number', 'skipped_annotations_number', 'queue_total',
	'queue_done'];
function projectJson(p, nullCounters = false) {
	const tasks = [...st.tasks.values()].filter((t) => t.project === p.id);
	const anns = tasks.flatMap((t) => annsOf(t));
	const c = {
		task_number: tasks.length,
		finished_task_number: tasks.filter((t) => annsOf(t).length > 0).length,
		total_annotations_number: anns.filter((a) => !a.was_cancelled).length,
		total_predictions_number: 0,
		num_tasks_with_annotations: tasks.filter((t) => annsOf(t).length > 0).length,
		useful_annotation_number: anns.filter((a) => !a.was_cancelled).length,
		ground_truth_number: anns.filter((a) => a.ground_truth).length,
		skipped_annotations_number: anns.filter((a) => a.was_cancelled).length,
		queue_total: tasks.length, queue_done: 0,
	};
	if (nullCounters) for (const k of COUNTERS) c[k] = null;
	const cfg = checkConfig(p.label_config);
	return { ...p, ...c, organization: 1,
		created_by: { id: 1, first_name: USER.first_name,
			last_name: USER.last_name, email: USER.email, avatar: null },
		parsed_label_config: cfg.errors ? {} : parsedConfig(cfg),
		config_has_control_tags: !cfg.errors && Object.keys(cfg.controls).length > 0,
		config_suitable_for_bulk_annotation: false, pinned_at: null,
		min_annotations_to_start_training: 0,
		start_training_on_annotation_update: false };
}
function projectFields(body, p) {
	const errs = {};
	if (body.title !== undefined && body.title !== null && body.title !== '' &&
	    (typeof body.title !== 'string' || body.title.length < 3 || body.title.length > 50))
		errs.title = ['Ensure this field has at least 3 characters and no more than 50.'];
	if (body.color !== undefined && !/^#[0-9A-Fa-f]{6}$/.test(body.color))
		errs.color = ['Color must be in "#RRGGBB" format'];
	if (body.label_config !== undefined) {
		const c = checkConfig(body.label_config);
		if (c.errors) errs.label_config = c.errors;
	}
	if (Object.keys(errs).length) return validation(errs);
	for (const k of Object.keys(PROJ_DEFAULTS).concat(['title']))
		if (body[k] !== undefined) p[k] = body[k];
	return null;
}
function getProject(id) { return st.projects.get(Number(id)); }

// ---- tasks ------------------------------------------------------------------------
function annsOf(t) {
	return [...st.annotations.values()].filter((a) => a.task === t.id);
}
function configVars(p) {
	const c = checkConfig(p.label_config);
	if (c.errors) return [];
	return Object.values(c.objects).map((o) => ({ tag: o.tag,
		v: o.attrs.value.startsWith('$') ? o.attrs.value.slice(1) : null }))
		.filter((x) => x.v);
}
// One task's validation error, or null.
function taskError(p, item) {
	if (item === null || typeof item !== 'object' || Array.isArray(item))
		return 'task must be a dict';
	const wrapped = 'data' in item;
	const data = wrapped ? item.data : item;
	if (data === null || typeof data !== 'object')
		return '"data" must be a dict or list';
	for (const { tag, v } of configVars(p)) {
		let cur = data;
		for (const k of v.split('.')) cur = cur == null ? undefined : cur[k];
		if (cur === undefined)
			return `"${v}" key is expected in task data [assume: item["data"] = task root with values] :: ${JSON.stringify(data).slice(0, 100)}`;
		if (tag === 'Video' && typeof cur !== 'string')
			return `data['${v}']: video URL must be a string`;
	}
	// a test hook standing for any server-side refusal of one item
	if (opt.rejectKey && typeof data.segment_key === 'string' &&
	    new RegExp(opt.rejectKey).test(data.segment_key))
		return `data['segment_key']: "${data.segment_key}" refused by this server`;
	if (wrapped && item.meta !== undefined && (item.meta === null || typeof item.meta !== 'object'))
		return '"meta" must be a dict or list';
	for (const k of ['annotations', 'predictions'])
		if (wrapped && item[k] !== undefined &&
		    (!Array.isArray(item[k]) || item[k].some((x) => !x || !Array.isArray(x.result))))
			return `"${k}" must be a list of dicts with "result"`;
	return null;
}
function makeTask(p, item) {
	const wrapped = 'data' in item;
	const t = { id: st.nextId.task++, project: p.id,
		data: wrapped ? item.data : item, meta: (wrapped && item.meta) || {},
		created_at: now(), updated_at: now(), is_labeled: false, overlap: 1,
		inner_id: [...st.tasks.values()].filter((x) => x.project === p.id).length + 1,
		file_upload: null, updated_by: [], comment_count: 0,
		unresolved_comment_count: 0, last_comment_updated_at: null,
		comment_authors: [], cancelled_annotations: 0, total_predictions: 0 };
	st.tasks.set(t.id, t);
	return t;
}
function taskJson(t) {
	const anns = annsOf(t);
	return { ...t, total_annotations: anns.filter((a) => !a.was_cancelled).length,
		cancelled_annotations: anns.filter((a) => a.was_cancelled).length,
		is_labeled: anns.some((a) => !a.was_cancelled) };
}
function exportTask(t) {
	const j = taskJson(t);
	delete j.overlap; delete j.is_labeled;
	return { ...j, annotations: annsOf(t).map((a) => ({ ...a })), drafts: [],
		predictions: [] };
}
function importTasks(p, items) {
	const errs = items.map((it) => taskError(p, it));
	if (errs.some((e) => e !== null))
		return { errors: errs.slice(0, 100).map((e, i) => e === null ? {} : `Error at item ${i}: ${e}`) };
	const t0 = Date.now();
	const ids = items.map((it) => makeTask(p, it).id);
	return { ids, duration: (Date.now() - t0) / 1000 };
}

// the Data Manager filters: data.<key> and a few columns
function matchFilter(t, f) {
	const m = /^filter:tasks:(.+)$/.exec(f.filter || '');
	if (!m) return true;
	let v;
	if (m[1].startsWith('data.')) v = t.data[m[1].slice(5)];
	else if (m[1] === 'completed_at')
		v = annsOf(t).some((a) => !a.was_cancelled) ? t.updated_at : null;
	else v = taskJson(t)[m[1]];
	const want = f.value;
	switch (f.operator) {
	case 'equal': return v !== undefined && v !== null && String(v) === String(want);
	case 'not_equal': return v === undefined || v === null || String(v) !== String(want);
	case 'contains': return v != null && String(v).includes(String(want));
	case 'not_contains': return v == null || !String(v).includes(String(want));
	case 'empty': return (v === undefined || v === null || v === '') === (want === true || want === 'true');
	case 'in_list': return Array.isArray(want) && want.map(String).includes(String(v));
	case 'regex': return v != null && new RegExp(want).test(String(v));
	default: return true;
	}
}

// ---- storages -----------------------------------------------------------------------
function storageCheck(body) {
	if (body.bucket !== undefined && body.bucket !== null && body.bucket !== '') {
		if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(body.bucket))
			return `Invalid bucket name "${body.bucket}": Bucket name must match the regex "^[a-zA-Z0-9.\\-_]{1,255}$"`;
		// the emulator has no bucket contents: any prefix is empty
		if (body.prefix)
			return `s3://${body.bucket}/${body.prefix} not found.`;
	}
	if (body.presign_ttl !== undefined &&
	    (!Number.isInteger(body.presign_ttl) || body.presign_ttl < 1 || body.presign_ttl > 32767))
		return 'presign_ttl: Ensure this value is less than or equal to 32767.';
	return null;
}
function storageJson(s) {
	const j = { ...s };
	delete j.aws_access_key_id; delete j.aws_secret_access_key;
	return j;
}

// ---- auth -------------------------------------------------------------------------------
// null when authenticated, else a reply.
function authenticate(req) {
	let h = req.headers.authorization;
	if (!h && req.headers['x-api-key']) h = `Token ${req.headers['x-api-key']}`;
	const deny = (d) => envelope(401, d);
	const wa = { 'www-authenticate': 'Token' };
	if (!h) return { ...deny('Authentication credentials were not provided.'), headers: wa };
	const sp = h.split(' ');
	if (sp[0] === 'Bearer') {
		const c = sp.length === 2 ? jwtVerify(sp[1]) : null;
		if (c && c.token_type === 'access' && c.exp > Date.now() / 1000 &&
		    !st.revokedAccess.has(c.jti))
			return null;
		return { ...deny('Authentication credentials were not provided.'), headers: wa };
	}
	if (sp[0] === 'Token') {
		if (sp.length === 1)
			return { ...deny('Invalid token header. No credentials provided.'), headers: wa };
		if (sp.length > 2)
			return { ...deny('Invalid token header. Token string should not contain spaces.'), headers: wa };
		if (sp[1] !== opt.token) return { ...deny('Invalid token.'), headers: wa };
		if (!opt.legacy)
			return { ...deny('Authentication token no longer valid: legacy token authentication has been disabled for this organization'), headers: wa };
		return null;
	}
	return { ...deny('Authentication credentials were not provided.'), headers: wa };
}

// ---- routes -----------------------------------------------------------------------------
// [method, pattern (exact spelling, slash or not), handler(ctx), auth]
const routes = [];
const route = (method, pat, fn, auth = true) => {
	const keys = [];
	const re = new RegExp('^' + pat.replace(/\{(\w+)\}/g, (_, k) => {
		keys.push(k); return '([0-9]+)';
	}) + '$');
	routes.push({ method, pat, re, keys, fn, auth });
};

route('GET', '/health', () => R(200, { status: 'UP' },
	{ 'content-type': 'text/html; charset=utf-8' }), false);
route('GET', '/health/', () => R(200, { status: 'UP' },
	{ 'content-type': 'text/html; charset=utf-8' }), false);
route('GET', '/api/version/', () => R(200, { release: opt.release,
	'label-studio-os-package': { version: opt.release, short_version:
		opt.release.split('.').slice(0, 2).join('.'),
	latest_version_from_pypi: opt.release, latest_version_upload_time: null,
	current_version_is_outdated: false },
	'label-studio-os-backend': { message: 'emulator', commit: 'emu' } }), false);
route('GET', '/api/current-user/whoami', () => R(200, USER));
route('GET', '/api/current-user/token', () => R(200, { token: opt.token }));
route('POST', '/api/token/refresh/', ({ body }) => {
	const wa = { 'www-authenticate': 'Bearer realm="api"' };
	if (!body || typeof body.refresh !== 'string')
		return validation({ refresh: ['This field is required.'] });
	const c = jwtVerify(body.refresh);
	if (!c || !(c.exp > Date.now() / 1000))
		return { ...envelope(401, 'Token is invalid or expired'), headers: wa };
	if (c.token_type !== 'refresh')
		return { ...envelope(401, 'Token has wrong type'), headers: wa };
	if (st.blacklist.has(c.jti))
		return { ...envelope(401, 'Token is blacklisted'), headers: wa };
	const t = Math.floor(Date.now() / 1000);
	const jti = crypto.randomUUID().replace(/-/g, '');
	st.issuedAccess.push(jti);
	return R(200, { access: jwtSign({ token_type: 'access',
		exp: t + opt.accessTtl, iat: c.iat, jti, user_id: c.user_id }) });
}, false);
route('POST', '/api/token/blacklist/', ({ body }) => {
	const c = body && jwtVerify(body.refresh);
	if (!c || st.blacklist.has(c.jti))
		return R(404, { detail: 'Token is invalid or already blacklisted.' });
	st.blacklist.add(c.jti);
	return R(204, null);
});
route('GET', '/api/jwt/settings', () => R(200, { api_tokens_enabled: true,
	legacy_api_tokens_enabled: opt.legacy }));

route('GET', '/api/projects/', ({ q }) => {
	let ps = [...st.projects.values()].sort((a, b) => b.id - a.id);
	if (q.get('title')) ps = ps.filter((p) => (p.title || '').toLowerCase()
		.includes(q.get('title').toLowerCase()));
	if (q.get('ids')) {
		const ids = q.get('ids').split(',').map(Number);
		ps = ps.filter((p) => ids.includes(p.id));
	}
	const size = Math.min(Number(q.get('page_size') || 30), 100);
	const page = Number(q.get('page') || 1);
	if (!(page >= 1) || (page - 1) * size >= Math.max(ps.length, 1) && page !== 1)
		return envelope(404, 'Invalid page.');
	const base = '/api/projects/?';
	return R(200, { count: ps.length,
		next: page * size < ps.length ? `${base}page=${page + 1}` : null,
		previous: page > 1 ? `${base}page=${page - 1}` : null,
		results: ps.slice((page - 1) * size, page * size).map((p) => projectJson(p)) });
});
route('POST', '/api/projects/', ({ body }) => {
	if (!body || typeof body !== 'object') return validation(['Invalid data']);
	const p = { id: st.nextId.project, title: '', ...PROJ_DEFAULTS,
		created_at: now() };
	const e = projectFields(body, p);
	if (e) return e;
	st.nextId.project++;
	st.projects.set(p.id, p);
	return R(201, projectJson(p, true));
});
route('GET', '/api/projects/{id}/', ({ id }) => {
	const p = getProject(id);
	return p ? R(200, projectJson(p)) : nf('Project');
});
route('PATCH', '/api/projects/{id}/', ({ id, body }) => {
	const p = getProject(id);
	if (!p) return nf('Project');
	const copy = { ...p };
	const e = projectFields(body || {}, copy);
	if (e) return e;
	st.projects.set(p.id, copy);
	return R(200, projectJson(copy));
});
route('DELETE', '/api/projects/{id}/', ({ id }) => {
	if (!st.projects.delete(Number(id))) return nf('Project');
	for (const t of [...st.tasks.values()])
		if (t.project === Number(id)) st.tasks.delete(t.id);
	return R(204, null);
});
route('POST', '/api/projects/validate/', ({ body }) => {
	const c = checkConfig(body && body.label_config);
	return c.errors ? R(400, { label_config: c.errors }) : R(204, null);
}, false);
route('POST', '/api/projects/{id}/validate/', ({ id, body }) => {
	const p = getProject(id);
	if (!p) return nf('Project');
	const c = checkConfig(body && body.label_config);
	if (c.errors) return validation({ label_config: c.errors });
	return R(200, { config_essential_data_has_changed: null });
});
route('POST', '/api/projects/{id}/import', ({ id, body, raw, req, q }) => {
	const p = getProject(id);
	if (!p) return R(404, null);	// re-dispatched with a slash: HTML 404
	if (!(req.headers['content-type'] || '').startsWith('application/json')) {
		if (!req.headers['content-type'])
			return envelope(415, 'Unsupported media type "" in request.');
		return validation(['load_tasks: No data found in DATA or in FILES']);
	}
	if (body === undefined || raw.length === 0)
		return validation(['load_tasks: No data found in DATA or in FILES']);
	const items = Array.isArray(body) ? body : [body];
	if (items.length === 0) return validation(['load_tasks: No tasks added']);
	if (opt.importMode === 'lse') {
		const imp = { id: st.nextId.import++, project: p.id,
			status: 'in_progress', error: null, created_at: now() };
		st.imports.set(imp.id, imp);
		// the work happens "later": at the first poll
		imp.pending = items;
		return R(201, { import: imp.id });
	}
	const r = importTasks(p, items);
	if (r.errors) return validation(r.errors);
	const out = { task_count: r.ids.length, annotation_count: 0,
		prediction_count: 0, duration: r.duration, file_upload_ids: [],
		could_be_tasks_list: false, found_formats: [], data_columns: [] };
	if (q.get('return_task_ids') === 'true') out.task_ids = r.ids;
	return R(201, out);
});
route('GET', '/api/projects/{id}/imports/{iid}/', ({ id, iid }) => {
	const imp = st.imports.get(Number(iid));
	if (!imp || imp.project !== Number(id)) return nf('ProjectImport');
	if (imp.pending) {
		const r = importTasks(getProject(id), imp.pending);
		delete imp.pending;
		if (r.errors) {
			imp.status = 'failed';
			imp.error = JSON.stringify(r.errors);
			imp.task_ids = [];
			imp.task_count = 0;
		} else {
			imp.status = 'completed';
			imp.task_ids = r.ids;
			imp.task_count = r.ids.length;
		}
		imp.finished_at = now();
	}
	const j = { ...imp, annotation_count: 0, prediction_count: 0,
		duration: 0.01, file_upload_ids: [], found_formats: [],
		data_columns: [], updated_at: now() };
	delete j.pending;
	return R(200, j);
});
route('POST', '/api/tasks/', ({ body }) => {
	if (!body || body.project === undefined)
		return envelope(500, "'NoneType' object has no attribute 'label_config'");
	const p = getProject(body.project);
	if (!p) return nf('Project');
	const item = { data: body.data, meta: body.meta };
	const e = taskError(p, item);
	if (e) return validation([e]);
	return R(201, taskJson(makeTask(p, item)));
});
route('GET', '/api/tasks/', ({ q, body }) => {
	const pid = q.get('project') || (body && body.project);
	if (!pid && !q.get('view'))
		return R(404, { detail: 'Neither project nor view id specified' });
	const p = getProject(pid);
	if (!p) return nf('Project');
	let ts = [...st.tasks.values()].filter((t) => t.project === p.id);
	const qs = q.get('query') || (body && body.query && JSON.stringify(body.query));
	if (qs) {
		let query;
		try { query = JSON.parse(qs); }
		catch { return validation({ query: ['Invalid JSON'] }); }
		const f = query.filters;
		if (f && Array.isArray(f.items) && f.items.length) {
			const and = (f.conjunction || 'and') === 'and';
			ts = ts.filter((t) => and ? f.items.every((it) => matchFilter(t, it))
				: f.items.some((it) => matchFilter(t, it)));
		}
	}
	ts.sort((a, b) => a.id - b.id);
	const size = Number(q.get('page_size') || 100);
	const page = Number(q.get('page') || 1);
	if (!(page >= 1) || (page > 1 && (page - 1) * size >= ts.length))
		return envelope(404, 'Invalid page.');
	const all = q.get('fields') === 'all';
	const resolve = q.get('resolve_uri') !== 'false';
	const out = ts.slice((page - 1) * size, page * size).map((t) => {
		const j = taskJson(t);
		j.data = { ...j.data };
		if (resolve)
			for (const [k, v] of Object.entries(j.data))
				if (typeof v === 'string' && v.startsWith('s3://') &&
				    [...st.storages.values()].some((s) => s.project === p.id && v.startsWith(`s3://${s.bucket}/`)))
					j.data[k] = `/tasks/${t.id}/resolve/?fileuri=${Buffer.from(v).toString('base64url')}`;
		j.annotations_ids = annsOf(t).map((a) => a.id).join(',');
		if (all) { j.annotations = annsOf(t); j.predictions = []; }
		return j;
	});
	return R(200, { total: ts.length,
		total_annotations: ts.reduce((n, t) => n + annsOf(t).length, 0),
		total_predictions: 0, tasks: out });
});
route('GET', '/api/tasks/{id}/', ({ id }) => {
	const t = st.tasks.get(Number(id));
	return t ? R(200, { ...taskJson(t), annotations: annsOf(t),
		predictions: [], drafts: [] }) : nf('Task');
});
route('PATCH', '/api/tasks/{id}/', ({ id, body }) => {
	const t = st.tasks.get(Number(id));
	if (!t) return nf('Task');
	if (body && body.data) t.data = body.data;
	if (body && body.meta) t.meta = body.meta;
	t.updated_at = now();
	return R(200, taskJson(t));
});
route('DELETE', '/api/tasks/{id}/', ({ id }) => st.tasks.delete(Number(id))
	? R(204, null) : nf('Task'));

function exportBody(p, q, onlyAnnotated, ids) {
	let ts = [...st.tasks.values()].filter((t) => t.project === p.id);
	if (onlyAnnotated) ts = ts.filter((t) => annsOf(t).length > 0);
	if (ids && ids.length) ts = ts.filter((t) => ids.includes(t.id));
	return ts.sort((a, b) => a.id - b.id).map(exportTask);
}
route('GET', '/api/projects/{id}/export', ({ id, q }) => {
	const p = getProject(id);
	if (!p) return R(404, null);
	const type = q.get('exportType') || q.get('export_type') || 'JSON';
	if (type !== 'JSON') return validation([`${type} export is not supported by the emulator`]);
	const ids = q.getAll('ids[]').map(Number);
	const body = exportBody(p, q, q.get('download_all_tasks') !== 'true', ids);
	const md5 = crypto.createHash('md5').update(JSON.stringify(body)).digest('hex');
	const d = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
	return R(200, JSON.stringify(body), { 'content-type': 'application/.json',
		'content-disposition': `attachment; filename="project-${p.id}-at-${d}-${md5.slice(0, 8)}.json"` });
});
route('GET', '/api/projects/{id}/export/formats', ({ id }) => getProject(id)
	? R(200, [{ name: 'JSON', title: 'JSON', description: 'List of items in raw JSON format stored in one JSON file.', link: '', tags: [] }])
	: R(404, null));
route('POST', '/api/projects/{id}/exports/', ({ id, body }) => {
	const p = getProject(id);
	if (!p) return nf('Project');
	const o = body || {};
	const tf = o.task_filter_options || {};
	let tasks = exportBody(p, null, tf.annotated === 'only' || tf.only_with_annotations, null);
	if (tf.finished === 'only')
		tasks = tasks.filter((t) => t.annotations.some((a) => !a.was_cancelled));
	const af = o.annotation_filter_options || {};
	if (af.skipped === false)
		tasks = tasks.map((t) => ({ ...t, annotations: t.annotations.filter((a) => !a.was_cancelled) }));
	const e = { id: st.nextId.export++, project: p.id, title: o.title || '',
		created_by: { id: 1, first_name: USER.first_name, last_name: USER.last_name, email: USER.email },
		created_at: now(), finished_at: opt.importMode === 'lse' ? null : now(),
		status: opt.importMode === 'lse' ? 'in_progress' : 'completed',
		md5: crypto.createHash('md5').update(JSON.stringify(tasks)).digest('hex'),
		counters: { task_number: tasks.length }, converted_formats: [],
		task_filter_options: o.task_filter_options || null,
		annotation_filter_options: o.annotation_filter_options || null,
		serialization_options: o.serialization_options || null };
	st.exports.set(e.id, { e, tasks });
	return R(201, e);
});
route('GET', '/api/projects/{id}/exports/', ({ id }) => getProject(id)
	? R(200, [...st.exports.values()].filter((x) => x.e.project === Number(id))
		.map((x) => x.e).sort((a, b) => b.id - a.id).slice(0, 100))
	: nf('Project'));
route('GET', '/api/projects/{id}/exports/{eid}', ({ id, eid }) => {
	const x = st.exports.get(Number(eid));
	if (!x || x.e.project !== Number(id)) return R(404, null);
	if (x.e.status === 'in_progress') {
		// an LSE-style export finishes by the second poll
		if (x.polled) { x.e.status = 'completed'; x.e.finished_at = now(); }
		x.polled = true;
	}
	return R(200, x.e);
});
route('GET', '/api/projects/{id}/exports/{eid}/download', ({ id, eid }) => {
	const x = st.exports.get(Number(eid));
	if (!x || x.e.project !== Number(id) || x.e.status !== 'completed')
		return R(404, null);
	return R(200, JSON.stringify(x.tasks), { 'content-type': 'application/.json' });
});
route('DELETE', '/api/projects/{id}/exports/{eid}', ({ eid }) =>
	st.exports.delete(Number(eid)) ? R(204, null) : R(404, null));

route('GET', '/api/storages/s3/', ({ q }) => {
	if (!getProject(q.get('project'))) return nf('Project');
	return R(200, [...st.storages.values()]
		.filter((s) => s.project === Number(q.get('project'))).map(storageJson));
});
route('POST', '/api/storages/s3/', ({ body }) => {
	if (!body || !getProject(body.project)) return validation({ project: ['This field is required.'] });
	const e = storageCheck(body);
	if (e) return validation([e]);
	const s = { id: st.nextId.storage++, type: 's3', title: '', description: '',
		bucket: null, prefix: null, regex_filter: null, use_blob_urls: false,
		presign: true, presign_ttl: 1, recursive_scan: false,
		aws_session_token: null, aws_sse_kms_key_id: null, region_name: null,
		s3_endpoint: null, synchronizable: true, ...body,
		project: Number(body.project), created_at: now(),
		status: 'initialized', last_sync: null, last_sync_count: null,
		last_sync_job: null, traceback: null, meta: {} };
	st.storages.set(s.id, s);
	return R(201, storageJson(s));
});
route('POST', '/api/storages/s3/validate', ({ body }) => {
	const e = storageCheck(body || {});
	return e ? validation([e]) : R(200, null);
});
route('GET', '/api/storages/s3/{id}', ({ id }) => {
	const s = st.storages.get(Number(id));
	return s ? R(200, storageJson(s)) : R(404, null);
});
route('PATCH', '/api/storages/s3/{id}', ({ id, body }) => {
	const s = st.storages.get(Number(id));
	if (!s) return R(404, null);
	const e = storageCheck({ ...s, ...body });
	if (e) return validation([e]);
	Object.assign(s, body || {});
	return R(200, storageJson(s));
});
route('DELETE', '/api/storages/s3/{id}', ({ id }) =>
	st.storages.delete(Number(id)) ? R(204, null) : R(404, null));
route('POST', '/api/storages/s3/{id}/sync', ({ id }) => {
	const s = st.storages.get(Number(id));
	if (!s) return R(404, null);
	if (!s.synchronizable)
		return R(400, { message: `Storage ${s.id} is not synchronizable` });
	s.status = 'completed'; s.last_sync = now(); s.last_sync_count = 0;
	return R(200, storageJson(s));
});
route('GET', '/tasks/{id}/resolve/', ({ id, q }) => {
	const t = st.tasks.get(Number(id));
	if (!t) return R(404, null);
	let uri;
	try { uri = Buffer.from(q.get('fileuri') || '', 'base64url').toString(); }
	catch { return R(404, null); }
	const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
	const s = m && [...st.storages.values()].find((x) => x.project === t.project && x.bucket === m[1]);
	if (!s) return R(404, null);
	if (!s.presign) return R(424, null);
	const base = s.s3_endpoint || `https://s3.${s.region_name || 'us-east-1'}.amazonaws.com`;
	return R(303, null, { location: `${base}/${m[1]}/${m[2]}?X-Amz-Expires=${s.presign_ttl * 60}`,
		'cache-control': `no-store, max-age=${s.presign_ttl * 60}` });
});

// ---- control endpoints ---------------------------------------------------------------------
function control(method, path, body) {
	if (method === 'GET' && path === '/_emu/state') {
		const projects = [...st.projects.values()].map((p) => {
			const tasks = [...st.tasks.values()].filter((t) => t.project === p.id);
			const keys = {};
			for (const t of tasks) {
				const k = t.data && t.data.segment_key;
				if (k !== undefined) keys[k] = (keys[k] || 0) + 1;
			}
			return { id: p.id, title: p.title, label_config: p.label_config,
				task_count: tasks.length, segment_keys: keys,
				tasks: tasks.map((t) => ({ id: t.id, data: t.data, meta: t.meta })),
				storages: [...st.storages.values()].filter((s) => s.project === p.id).map(storageJson) };
		});
		return R(200, { projects, settings: { legacy_enabled: opt.legacy,
			import_mode: opt.importMode, access_ttl: opt.accessTtl,
			release: opt.release, timeline: opt.timeline }, faults: opt.faults });
	}
	if (method === 'GET' && path === '/_emu/log') return R(200, st.log);
	if (method === 'POST' && path === '/_emu/settings') {
		const b = body || {};
		if (b.legacy_enabled !== undefined) opt.legacy = !!b.legacy_enabled;
		if (b.import_mode !== undefined) opt.importMode = b.import_mode;
		if (b.access_ttl !== undefined) opt.accessTtl = Number(b.access_ttl);
		if (b.release !== undefined) opt.release = b.release;
		if (b.timeline !== undefined) opt.timeline = !!b.timeline;
		if (b.reject_key !== undefined) opt.rejectKey = b.reject_key;
		return R(200, {});
	}
	if (method === 'POST' && path === '/_emu/revoke-access') {
		// every access token issued so far is refused from now on (as
		// after a SECRET_KEY change): the client must refresh on 401
		for (const j of st.issuedAccess) st.revokedAccess.add(j);
		return R(200, { revoked: st.issuedAccess.length });
	}
	if (method === 'POST' && path === '/_emu/pat')
		return R(200, { token: makePat((body && body.exp_s) || undefined) });
	if (method === 'POST' && path === '/_emu/faults') {
		for (const f of [].concat(body || []))
			opt.faults.push({ count: 1, ...f });
		return R(200, opt.faults);
	}
	if (method === 'DELETE' && path === '/_emu/faults') {
		opt.faults = [];
		return R(204, null);
	}
	if (method === 'POST' && path === '/_emu/down') {
		st.downUntil = Date.now() + Number((body && body.ms) || 0);
		return R(200, {});
	}
	if (method === 'POST' && path === '/_emu/annotations') {
		const t = st.tasks.get(Number(body && body.task));
		if (!t) return R(404, { detail: 'no such task' });
		const a = { id: st.nextId.annotation++, result: body.result || [],
			completed_by: 1, was_cancelled: !!body.was_cancelled,
			ground_truth: !!body.ground_truth, created_at: now(),
			updated_at: body.updated_at || now(), draft_created_at: null,
			lead_time: 12.5, task: t.id, project: t.project, updated_by: 1,
			parent_prediction: null, parent_annotation: null,
			last_action: null, last_created_by: null, unique_id: crypto.randomUUID(),
			import_id: null, result_count: (body.result || []).length,
			bulk_created: false };
		st.annotations.set(a.id, a);
		return R(201, a);
	}
	const m = /^\/_emu\/annotations\/([0-9]+)$/.exec(path);
	if (m && method === 'PATCH') {
		const a = st.annotations.get(Number(m[1]));
		if (!a) return R(404, { detail: 'no such annotation' });
		Object.assign(a, body || {});
		if (!(body && body.updated_at)) a.updated_at = now();
		return R(200, a);
	}
	if (m && method === 'DELETE')
		return st.annotations.delete(Number(m[1])) ? R(204, null) : R(404, null);
	return R(404, { detail: 'no such control endpoint' });
}

// ---- dispatch ----------------------------------------------------------------------------
function dispatch(ctx, path, again = false) {
	let methodMismatch = false;
	for (const r of routes) {
		const m = r.re.exec(path);
		if (!m) continue;
		if (r.method !== ctx.method) { methodMismatch = true; continue; }
		if (r.auth) {
			const a = authenticate(ctx.req);
			if (a) return a;
		}
		const args = { ...ctx };
		r.keys.forEach((k, i) => { args[k] = m[i + 1]; });
		const res = r.fn(args);
		// a 404 on a slash-less path is re-dispatched with a slash
		if (res.status === 404 && !path.endsWith('/') && !again)
			return dispatch(ctx, path + '/', true);
		if (res.status === 404 && res.body === null) return html404(path);
		return res;
	}
	if (methodMismatch)
		return envelope(405, `Method "${ctx.method}" not allowed.`);
	if (!path.endsWith('/') && !again) return dispatch(ctx, path + '/', true);
	return html404(path);
}

function takeFault(method, path, phase) {
	for (const f of opt.faults) {
		if (f.count <= 0) continue;
		if (f.method && f.method !== method) continue;
		if (f.path && !new RegExp(f.path).test(path)) continue;
		const after = f.kind === 'drop_after' || f.kind === 'slow_after';
		if (after !== (phase === 'after')) continue;
		f.count--;
		return f;
	}
	return null;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function send(res, r) {
	const h = { ...r.headers };
	let body = '';
	if (r.body !== null && r.body !== undefined) {
		body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
		if (!h['content-type']) h['content-type'] = 'application/json';
	}
	h['content-length'] = Buffer.byteLength(body);
	res.writeHead(r.status, h);
	res.end(body);
}

const server = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', async () => {
		const url = new URL(req.url, 'http://x');
		const raw = Buffer.concat(chunks);
		let body;
		if (raw.length)
			try { body = JSON.parse(raw.toString()); }
			catch { body = undefined; }
		const path = url.pathname;
		const entry = { t: Date.now(), method: req.method, path, query: url.search,
			auth: (req.headers.authorization || '').split(' ')[0] || null };
		if (path.startsWith('/_emu/')) return send(res, control(req.method, path, body));
		st.log.push(entry);
		if (raw.length && body === undefined &&
		    (req.headers['content-type'] || '').startsWith('application/json')) {
			entry.status = 400;
			return send(res, envelope(400, 'JSON parse error - Expecting value: line 1 column 1 (char 0)'));
		}
		if (Date.now() < st.downUntil) {
			entry.status = 502;
			return send(res, R(502, '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
				{ 'content-type': 'text/html' }));
		}
		const f = takeFault(req.method, path, 'before');
		if (f) {
			entry.fault = f.kind;
			if (f.kind === 'drop') { entry.status = 'dropped'; return req.socket.destroy(); }
			if (f.kind === 'slow') await sleep(f.delay_ms || 5000);
			if (f.kind === '429') {
				entry.status = 429;
				return send(res, { ...envelope(429, 'Request was throttled.'),
					headers: { 'retry-after': String(f.retry_after ?? 1) } });
			}
			if (f.kind === 'status') {
				const s = f.status || 500;
				entry.status = s;
				if (s === 500) return send(res, envelope(500, f.detail || 'Internal server error'));
				return send(res, R(s, `<html><head><title>${s}</title></head><body><center><h1>${s}</h1></center><hr><center>nginx</center></body></html>`,
					{ 'content-type': 'text/html' }));
			}
		}
		let r;
		try {
			r = dispatch({ method: req.method, q: url.searchParams, body, raw, req }, path);
		} catch (e) {
			r = envelope(500, String(e && e.message));
		}
		entry.status = r.status;
		const fa = takeFault(req.method, path, 'after');
		if (fa) {
			entry.fault = fa.kind;
			if (fa.kind === 'drop_after') { entry.status = 'dropped'; return req.socket.destroy(); }
			await sleep(fa.delay_ms || 5000);
			if (req.socket.destroyed) return;
		}
		send(res, r);
	});
});
server.listen(opt.port, '127.0.0.1', () => {
	const port = server.address().port;
	if (opt.patFile) fs.writeFileSync(opt.patFile, makePat() + '\n');
	if (opt.portFile) {
		fs.writeFileSync(opt.portFile + '.tmp', `${port}\n`);
		fs.renameSync(opt.portFile + '.tmp', opt.portFile);
	}
	console.log(`ls-emulator: listening on http://127.0.0.1:${port}`);
});
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => process.exit(0));
