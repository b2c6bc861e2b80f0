/* plan-text.c - a plan and its results as aligned text, for people:
 * `vigia --apply` prints it, the wizard's review step shows it.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One renderer for both faces of the engine (moved here from
 * cli-apply.c): the plan as +/~/- changes per field, like terraform, and
 * the result table with what went wrong camera by camera.  Widths are
 * measured in columns (wcswidth), so translations line up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "i18n.h"
#include "libvigia.h"

#define TABLE_COLS 5

/* Rows of TABLE_COLS cells (the first row is the heading). */
struct table {
	char **cells;
	size_t nrows;
};

/* Add a row; an empty or missing cell shows "-". */
static void
table_add(struct table *t, const char *const *cells)
{
	size_t i;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * TABLE_COLS,
	    sizeof *t->cells);
	for (i = 0; i < TABLE_COLS; i++)
		t->cells[t->nrows * TABLE_COLS + i] = xstrdup(cells[i] !=
		    NULL && *cells[i] != '\0' ? cells[i] : "-");
	t->nrows++;
}

/* Print the rows aligned, two spaces between columns; frees them. */
static void
table_print(struct table *t, FILE *f)
{
	int w[TABLE_COLS] = { 0 };
	size_t r, c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < TABLE_COLS; c++) {
			int cw = vg_text_width(t->cells[r * TABLE_COLS + c]);

			if (cw > w[c])
				w[c] = cw;
		}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < TABLE_COLS; c++) {
			const char *s = t->cells[r * TABLE_COLS + c];

			fputs(s, f);
			if (c + 1 < TABLE_COLS)
				fprintf(f, "%*s", w[c] - vg_text_width(s) + 2,
				    "");
		}
		fputc('\n', f);
	}
	for (r = 0; r < t->nrows * TABLE_COLS; r++)
		free(t->cells[r]);
	free(t->cells);
}

/* Pad s to width columns. */
static void
put_padded(FILE *f, const char *s, int width)
{
	fputs(s, f);
	if (vg_text_width(s) < width)
		fprintf(f, "%*s", width - vg_text_width(s), "");
}

/* The value of a change as shown: "-" none, "?" unknown. */
static const char *
shown(const char *v, bool unknown)
{
	if (unknown)
		return "?";
	return v != NULL ? v : "-";
}

/* One camera's header line. */
static void
print_camera_head(const struct vg_plan_camera *pc, int namew, FILE *f)
{
	const struct vg_onvif_info *in = &pc->obs.info;
	char *host = pc->obs.url != NULL ? vg_onvif_url_host(pc->obs.url) :
	    NULL;
	char mark = !pc->observed ? '!' : pc->nsteps > 0 ? '~' : '=';

	fprintf(f, "%c ", mark);
	put_padded(f, pc->cam->name, namew);
	if (!pc->observed) {
		fprintf(f, "  %s\n", _("cannot be planned"));
		fprintf(f, "    %s\n", vg_onvif_class_text(pc->cls));
		if (pc->problem != NULL)
			fprintf(f, "    (%s)\n", pc->problem);
		free(host);
		return;
	}
	fprintf(f, "  %s %s", in->manufacturer != NULL ? in->manufacturer :
	    "?", in->model != NULL ? in->model : "");
	if (in->serial != NULL)
		fprintf(f, "  %s %s", _("serial"), in->serial);
	fprintf(f, "  %s %s", _("at"), host != NULL ? host : "?");
	if (pc->obs.access == VG_PLAN_ACCESS_FACTORY)
		fprintf(f, "  (%s)", _("factory-new"));
	if (pc->nsteps == 0)
		fprintf(f, "  %s", _("no changes"));
	fputc('\n', f);
	free(host);
}

/* The plan, aligned: step, op, field, before -> after. */
void
vg_plan_print(const struct vg_plan *plan, FILE *f)
{
	int namew = 0, stepw = 0, fieldw = 0, beforew = 0, w;
	size_t i, j, k, changing = 0, unreach = 0, same = 0;

	for (i = 0; i < plan->ncams; i++) {
		const struct vg_plan_camera *pc = &plan->cams[i];

		if ((w = vg_text_width(pc->cam->name)) > namew)
			namew = w;
		for (j = 0; j < pc->nsteps; j++) {
			const struct vg_plan_step *st = &pc->steps[j];

			if ((w = vg_text_width(vg_plan_step_title(st->kind))) >
			    stepw)
				stepw = w;
			for (k = 0; k < st->nchanges; k++) {
				const struct vg_plan_change *c =
				    &st->changes[k];

				if ((w = vg_text_width(c->field)) > fieldw)
					fieldw = w;
				if ((w = vg_text_width(shown(c->before,
				    c->before_unknown))) > beforew)
					beforew = w;
			}
		}
	}
	for (i = 0; i < plan->ncams; i++) {
		const struct vg_plan_camera *pc = &plan->cams[i];
		bool unknown = false;

		if (!pc->observed)
			unreach++;
		else if (pc->nsteps > 0)
			changing++;
		else
			same++;
		print_camera_head(pc, namew, f);
		for (j = 0; j < pc->nsteps; j++) {
			const struct vg_plan_step *st = &pc->steps[j];

			for (k = 0; k < st->nchanges; k++) {
				const struct vg_plan_change *c =
				    &st->changes[k];

				fputs("    ", f);
				put_padded(f, k == 0 ?
				    vg_plan_step_title(st->kind) : "", stepw);
				fprintf(f, "  %c ", c->op);
				put_padded(f, c->field, fieldw);
				fputs("  ", f);
				put_padded(f, shown(c->before,
				    c->before_unknown), beforew);
				fprintf(f, " -> %s\n", shown(c->after, false));
				unknown |= c->before_unknown;
			}
			if (st->blocker != NULL)
				fprintf(f, "    ! %s\n", st->blocker);
			if (st->wait_for >= 0)
				fprintf(f, _("    (after %s leaves that "
				    "address)\n"),
				    plan->cams[st->wait_for].cam->name);
		}
		if (unknown)
			fprintf(f, "    %s\n", _("(? = read once the camera "
			    "is activated)"));
	}
	fputc('\n', f);
	/* TRANSLATORS: the plan's summary; the counts follow */
	fprintf(f, P_("Plan: %zu step on ", "Plan: %zu steps on ",
	    vg_plan_nchanges(plan)), vg_plan_nchanges(plan));
	fprintf(f, P_("%zu camera to change, ", "%zu cameras to change, ",
	    changing), changing);
	fprintf(f, P_("%zu unchanged, ", "%zu unchanged, ", same), same);
	fprintf(f, P_("%zu cannot be reached.\n", "%zu cannot be reached.\n",
	    unreach), unreach);
}

/* "3/4" steps done of a camera. */
static void
steps_done(const struct vg_plan_camera *pc, char *buf, size_t len)
{
	size_t i, done = 0;

	for (i = 0; i < pc->nsteps; i++)
		if (pc->steps[i].status == VG_PLAN_DONE ||
		    pc->steps[i].status == VG_PLAN_UNCHANGED)
			done++;
	snprintf(buf, len, "%zu/%zu", done, pc->nsteps);
}

/* The result table, then what went wrong, camera by camera. */
void
vg_plan_print_results(const struct vg_plan *plan, FILE *f)
{
	const char *head[5] = { _("CAMERA"), _("ADDRESS"), _("RESULT"),
	    _("STEPS"), _("TIME") };
	struct table t = { NULL, 0 };
	size_t i, j, k;

	table_add(&t, head);

	for (i = 0; i < plan->ncams; i++) {
		const struct vg_plan_camera *pc = &plan->cams[i];
		char steps[32], secs[32];
		const char *row[5];

		steps_done(pc, steps, sizeof steps);
		snprintf(secs, sizeof secs, "%.1f s",
		    (double)pc->elapsed_us / 1e6);
		row[0] = pc->cam->name;
		row[1] = pc->address != NULL ? pc->address : pc->last_seen;
		row[2] = vg_plan_result_title(pc->result);
		row[3] = steps;
		row[4] = secs;
		table_add(&t, row);
	}
	table_print(&t, f);
	for (i = 0; i < plan->ncams; i++) {
		const struct vg_plan_camera *pc = &plan->cams[i];

		if (pc->result != VG_PLAN_RESULT_FAILED &&
		    pc->result != VG_PLAN_RESULT_CANCELLED)
			continue;
		fprintf(f, "\n%s:\n", pc->cam->name);
		if (!pc->observed) {
			fprintf(f, "  %s\n", vg_onvif_class_text(pc->cls));
			if (pc->problem != NULL)
				fprintf(f, "  (%s)\n", pc->problem);
			continue;
		}
		for (j = 0; j < pc->nsteps; j++) {
			const struct vg_plan_step *st = &pc->steps[j];

			if (st->status != VG_PLAN_FAILED &&
			    st->status != VG_PLAN_SKIPPED)
				continue;
			fprintf(f, "  %s: %s", vg_plan_step_title(st->kind),
			    vg_plan_status_title(st->status));
			if (st->status == VG_PLAN_FAILED) {
				fprintf(f, ": %s", st->blocker != NULL ?
				    st->blocker : vg_onvif_class_text(
				    st->cls));
				if (st->blocker == NULL && st->error != NULL)
					fprintf(f, "\n    (%s)", st->error);
			}
			fputc('\n', f);
			for (k = 0; k < st->ndiffs; k++)
				fprintf(f, "    %s\n", st->diffs[k]);
		}
		if (pc->last_seen != NULL && pc->result ==
		    VG_PLAN_RESULT_FAILED) {
			char when[32] = "?";
			struct tm tm;

			localtime_r(&pc->last_seen_at, &tm);
			strftime(when, sizeof when, "%H:%M:%S", &tm);
			fprintf(f, _("  Last seen at %s at %s.\n"),
			    pc->last_seen, when);
		}
	}
}

