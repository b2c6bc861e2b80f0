# tests/ls/lib-frontend.sh - a page with Label Studio's own editor (npm
# @heartexlabs/label-studio 1.4.0's bundle, served beside it as ls/) for
# tests/ls/cdp-check.mjs (sourced after tests/lib.sh).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# page FILE CONFIG_FILE URL FPS: write FILE, a page that opens a task whose
# data.video is URL (and data.fps FPS) with the label config in
# CONFIG_FILE, and adds an annotation.

page() {	# page FILE CONFIG_FILE URL FPS
	node -e '
const fs = require("fs");
const [out, cfgFile, url, fps] = process.argv.slice(1);
const config = fs.readFileSync(cfgFile, "utf8");
fs.writeFileSync(out, `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="ls/css/main.css"></head><body>
<div id="label-studio"></div>
<script>window.__vg_errors = [];
window.addEventListener("error", (e) => __vg_errors.push("error: " + e.message));
window.addEventListener("unhandledrejection", (e) =>
	__vg_errors.push("unhandledrejection: " + ((e.reason && e.reason.message) || e.reason)));
</script>
<script src="ls/js/main.js"></script>
<script>
new LabelStudio("label-studio", {
	config: ${JSON.stringify(config)},
	interfaces: ["panel", "update", "controls", "side-column",
		"annotations:menu", "annotations:add-new"],
	user: { id: 1, firstName: "Ana", lastName: "Tester" },
	task: { id: 1, annotations: [], predictions: [],
		data: { video: ${JSON.stringify(url)}, fps: ${Number(fps)} } },
	onLabelStudioLoad: function (LS) {
		window.__ls = LS;
		var c = LS.annotationStore.addAnnotation({ userGenerate: true });
		LS.annotationStore.selectAnnotation(c.id);
	},
});
</script></body></html>`);' "$1" "$2" "$3" "$4"
}
