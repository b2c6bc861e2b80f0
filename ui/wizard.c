/* wizard.c - the wizard's step table and main loop.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The screen: a title bar, "Step N of M: title", the step's body (with a
 * list of the steps beside it on wide terminals and the log pane under it
 * when F9 shows it), a status line and a key bar as nano's.
 *
 * The loop waits for a key with a timeout, so that it notices quit
 * signals (tui.c only sets a flag), polls a running job and refreshes the
 * log pane, and turns faster while a job runs or a step shows a live
 * picture (its tick hook).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "wizard.h"

#define SIDEBAR_MIN_COLS 100	/* wider terminals list the steps */
#define SIDEBAR_W 30
#define MIN_LINES 16
#define MIN_COLS 60
#define KEY_CTRL(c) ((c) & 0x1f)

const struct wizard_step *const wizard_steps[] = {
	&step_language,
	&step_site,
	&step_interfaces,
	&step_discovery,
	&step_select,
	&step_credentials,
	&step_network,
	&step_time,
	&step_encoder,
	&step_review,
	&step_check,
	&step_nvr,
	&step_recording,
	&step_storage,
	&step_label_studio,
	&step_write,
	&step_summary,
};
const size_t wizard_nsteps = sizeof wizard_steps / sizeof wizard_steps[0];

static WINDOW *job_win;
static PANEL *job_pan;
static int layout_lines, layout_cols;

/* The page state of the current step. */
struct ui_page *
wizard_page(struct wizard *w)
{
	return &w->pages[w->cur];
}

/* ---- step hooks, with the page defaults ---------------------------------- */

/* Call the current step's enter hook. */
static void
step_enter(struct wizard *w)
{
	const struct wizard_step *s = w->steps[w->cur];

	if (s->enter != NULL)
		s->enter(w);
	else if (s->page != NULL)
		page_enter(w);
}

/* Call the current step's leave hook. */
static void
step_leave(struct wizard *w)
{
	const struct wizard_step *s = w->steps[w->cur];

	if (s->leave != NULL)
		s->leave(w);
	else if (s->page != NULL)
		page_leave(w);
}

/* Call the current step's draw hook. */
static void
step_draw(struct wizard *w)
{
	const struct wizard_step *s = w->steps[w->cur];

	if (s->draw != NULL)
		s->draw(w);
	else if (s->page != NULL)
		page_draw(w);
}

/* Offer a key to the current step. */
static int
step_key(struct wizard *w, int ch, bool is_key)
{
	const struct wizard_step *s = w->steps[w->cur];

	if (s->key != NULL)
		return s->key(w, ch, is_key);
	if (s->page != NULL)
		return page_key(w, ch, is_key);
	return WK_UNHANDLED;
}

/* May the current step be left forward? */
static bool
step_validate(struct wizard *w)
{
	const struct wizard_step *s = w->steps[w->cur];

	if (s->validate != NULL)
		return s->validate(w);
	if (s->page != NULL)
		return page_validate(w);
	return true;
}

/* ---- state --------------------------------------------------------------- */

/* Validate the draft again. */
void
wizard_revalidate(struct wizard *w)
{
	vg_diags_free(&w->diags);
	vg_config_validate(w->draft, &w->diags);
}

/* The draft changed. */
void
wizard_changed(struct wizard *w)
{
	w->dirty = true;
	wizard_revalidate(w);
}

/* Set the status line. */
void
wizard_status(struct wizard *w, bool error, const char *fmt, ...)
{
	va_list ap;

	free(w->status);
	w->status = NULL;
	w->status_error = error;
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&w->status, fmt, ap);
	va_end(ap);
}

/* Apply a UI language: gettext reads LANGUAGE again once the message
 * catalogues are reset, which setlocale() does. */
void
wizard_set_language(struct wizard *w, const char *lang)
{
	if (lang != NULL)
		setenv("LANGUAGE", lang, 1);
	else if (w->lang_env != NULL)
		setenv("LANGUAGE", w->lang_env, 1);
	else
		unsetenv("LANGUAGE");
	setlocale(LC_MESSAGES, "");
	/* gettext ignores LANGUAGE under the "C" locale: a box without a
	 * locale (LANG unset over SSH) still gets the language chosen */
	if (lang != NULL) {
		const char *cur = setlocale(LC_MESSAGES, NULL);

		if (cur == NULL || strcmp(cur, "C") == 0 ||
		    strcmp(cur, "POSIX") == 0)
			setlocale(LC_MESSAGES, "C.UTF-8");
	}
}

/* ---- drawing ------------------------------------------------------------- */

/* Columns of the step list (0 when the terminal is narrow). */
static int
sidebar_width(void)
{
	return COLS >= SIDEBAR_MIN_COLS ? SIDEBAR_W : 0;
}

/* Rows of the log pane (0 when hidden). */
static int
log_rows(struct wizard *w)
{
	int h = (LINES - 5) / 3;

	if (!w->show_log)
		return 0;
	return h < 5 ? 5 : h;
}

/* (Re)create the body and log windows for the terminal size. */
static void
wizard_windows(struct wizard *w)
{
	int sw = sidebar_width(), lr = log_rows(w), bh;

	if (w->body != NULL)
		delwin(w->body);
	if (w->logwin != NULL)
		delwin(w->logwin);
	w->body = NULL;
	w->logwin = NULL;
	layout_lines = LINES;
	layout_cols = COLS;
	if (LINES < MIN_LINES || COLS < MIN_COLS)
		return;
	bh = LINES - 5 - lr;
	w->body = newwin(bh, COLS - sw - 1, 3, sw + 1);
	keypad(w->body, TRUE);
	if (lr > 0)
		w->logwin = newwin(lr, COLS - sw, 3 + bh, sw);
}

/* Draw a centred string on row y of stdscr. */
static void
centre(int y, const char *text, int attr)
{
	int x = (COLS - vg_text_width(text)) / 2;

	attron(attr);
	ui_put_clipped(stdscr, y, x < 0 ? 0 : x, text, COLS);
	attroff(attr);
}

/* The key bar, as nano's: the key in reverse, its name beside it. */
static void
draw_keybar(struct wizard *w)
{
	const struct wizard_step *s = w->steps[w->cur];
	/* TRANSLATORS: key bar labels; the whole bar must fit 80 columns,
	 * so keep each one short */
	const char *keys[][2] = {
		{ "F1", _("Help") },
		{ "^N", s->next_label != NULL ? _(s->next_label) : _("Next") },
		{ "^P", _("Back") },
		{ "F2", _("Save draft") },
		{ "F9", _("Log") },
		{ "Esc", _("Quit") },
	};
	int x = 0, i;

	if (w->job != NULL) {
		keys[0][0] = "Esc";
		keys[0][1] = w->job->cancellable ? _("Cancel") : _("Wait");
	}
	move(LINES - 1, 0);
	clrtoeol();
	for (i = 0; i < (w->job != NULL ? 1 : 6) && x < COLS; i++) {
		attron(tui_attr(UI_PAIR_KEY));
		x += ui_put_clipped(stdscr, LINES - 1, x, keys[i][0], COLS - x);
		attroff(tui_attr(UI_PAIR_KEY));
		x += ui_put_clipped(stdscr, LINES - 1, x, " ", COLS - x);
		x += ui_put_clipped(stdscr, LINES - 1, x, keys[i][1], COLS - x);
		x += ui_put_clipped(stdscr, LINES - 1, x, "  ", COLS - x);
	}
}

/* The list of steps on wide terminals. */
static void
draw_sidebar(struct wizard *w)
{
	int sw = sidebar_width(), y = 3, a;
	size_t i;
	char *line;

	if (sw == 0)
		return;
	for (i = 0; i < w->nsteps && y < LINES - 2; i++, y++) {
		const struct wizard_step *s = w->steps[i];

		a = A_NORMAL;
		if (i == w->cur)
			a = A_BOLD | A_REVERSE;
		else if (i > w->cur)
			a = tui_attr(UI_PAIR_DIM);
		xasprintf(&line, "%2zu %s", i + 1, _(s->title));
		attron(a);
		ui_put_clipped(stdscr, y, 0, line, sw - 1);
		attroff(a);
		free(line);
	}
	mvvline(3, sw - 1, ACS_VLINE, LINES - 5);
}

/* The log pane: the newest lines of the log ring. */
static void
draw_log(struct wizard *w)
{
	char **lines;
	size_t n, i, first;
	int h, y;

	if (w->logwin == NULL)
		return;
	werase(w->logwin);
	h = getmaxy(w->logwin);
	whline(w->logwin, ACS_HLINE, getmaxx(w->logwin));
	wattron(w->logwin, A_BOLD);
	/* TRANSLATORS: title of the log pane */
	ui_put_clipped(w->logwin, 0, 2, _(" Log (F9 hides it) "),
	    getmaxx(w->logwin) - 4);
	wattroff(w->logwin, A_BOLD);
	vg_log_ring_copy(&lines, &n);
	first = n > (size_t)(h - 1) ? n - (size_t)(h - 1) : 0;
	for (i = first, y = 1; i < n; i++, y++)
		ui_put_clipped(w->logwin, y, 0, lines[i], getmaxx(w->logwin));
	if (n == 0)
		ui_put_clipped(w->logwin, 1, 0, _("(nothing logged yet)"),
		    getmaxx(w->logwin));
	vg_log_ring_free(lines, n);
	wnoutrefresh(w->logwin);
}

/* The progress box of a running job (a panel over the body). */
static void
draw_job(struct wizard *w)
{
	struct wizard_job *job = w->job;
	int bw = COLS - 10 > 60 ? 60 : COLS - 10, fill, i;
	static int spin;
	char *pct;

	if (job == NULL) {
		if (job_pan != NULL)
			del_panel(job_pan);
		if (job_win != NULL)
			delwin(job_win);
		job_pan = NULL;
		job_win = NULL;
		return;
	}
	if (job_win == NULL) {
		job_win = newwin(6, bw + 4, (LINES - 6) / 2,
		    (COLS - bw - 4) / 2);
		job_pan = new_panel(job_win);
	}
	werase(job_win);
	box(job_win, 0, 0);
	ui_put_clipped(job_win, 1, 2, job->label, bw);
	mvwaddch(job_win, 2, 2, '[');
	fill = job->progress >= 0 ? (int)(job->progress * (bw - 2)) : -1;
	for (i = 0; i < bw - 2; i++)
		waddch(job_win, fill >= 0 ? (i < fill ? '#' : '.') :
		    (i == spin % (bw - 2) ? '#' : '.'));
	waddch(job_win, ']');
	spin++;
	if (job->progress >= 0) {
		xasprintf(&pct, "%3d%%", (int)(job->progress * 100));
		ui_put_clipped(job_win, 3, bw - 2, pct, 5);
		free(pct);
	}
	if (job->detail != NULL)
		ui_put_clipped(job_win, 3, 2, job->detail, bw - 8);
	if (job->cancelling)
		ui_put_clipped(job_win, 4, 2, _("Cancelling..."), bw);
	else if (job->cancellable)
		ui_put_clipped(job_win, 4, 2, _("Esc cancels."), bw);
}

/* Draw the whole screen and put the cursor where the step wants it. */
static void
wizard_frame(struct wizard *w)
{
	const struct wizard_step *s = w->steps[w->cur];
	char *line;

	if (LINES != layout_lines || COLS != layout_cols) {
		step_leave(w);
		if (job_win != NULL) {
			del_panel(job_pan);
			delwin(job_win);
			job_win = NULL;
			job_pan = NULL;
		}
		wizard_windows(w);
		if (w->body != NULL)
			step_enter(w);
	}
	erase();
	attron(tui_attr(UI_PAIR_TITLE));
	move(0, 0);
	hline(' ', COLS);
	attroff(tui_attr(UI_PAIR_TITLE));
	/* TRANSLATORS: title bar; keep under 60 columns */
	centre(0, _("vigia - IP camera commissioning"),
	    tui_attr(UI_PAIR_TITLE) | A_BOLD);
	if (w->body == NULL) {
		centre(LINES / 2, _("The terminal is too small."),
		    tui_attr(UI_PAIR_ERROR));
		/* TRANSLATORS: %d are the minimum columns and lines */
		xasprintf(&line, _("It needs at least %d columns and %d "
		    "lines."), MIN_COLS, MIN_LINES);
		centre(LINES / 2 + 1, line, A_NORMAL);
		free(line);
		curs_set(0);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	/* TRANSLATORS: progress header, e.g. "Step 3 of 17: Site" */
	xasprintf(&line, _("Step %zu of %zu: %s"), w->cur + 1, w->nsteps,
	    _(s->title));
	attron(A_BOLD);
	ui_put_clipped(stdscr, 1, 1, line, COLS - 2);
	attroff(A_BOLD);
	free(line);
	mvhline(2, 0, ACS_HLINE, COLS);
	draw_sidebar(w);
	if (w->status != NULL) {
		int a = w->status_error ? tui_attr(UI_PAIR_ERROR) | A_BOLD :
		    A_NORMAL;

		attron(a);
		ui_put_clipped(stdscr, LINES - 2, 1, w->status, COLS - 2);
		attroff(a);
	}
	draw_keybar(w);
	wnoutrefresh(stdscr);
	draw_log(w);
	step_draw(w);
	draw_job(w);
	touchwin(w->body);
	if (s->page != NULL && w->job == NULL)
		page_place_cursor(w);
	else
		curs_set(0);
	wnoutrefresh(w->body);
	update_panels();
	doupdate();
}

/* Redraw now. */
void
wizard_redraw(struct wizard *w)
{
	wizard_frame(w);
}

/* Modal widgets redraw the screen under them through this. */
static void
modal_redraw(void *arg)
{
	wizard_frame(arg);
}

/* ---- moving between steps ------------------------------------------------ */

/* Go to step i (leave the current one, enter the new one). */
static void
wizard_goto_index(struct wizard *w, size_t i)
{
	step_leave(w);
	w->cur = i;
	if (w->body != NULL)
		step_enter(w);
}

/* Go to a step of the table. */
void
wizard_goto(struct wizard *w, const struct wizard_step *step)
{
	size_t i;

	for (i = 0; i < w->nsteps; i++)
		if (w->steps[i] == step)
			wizard_goto_index(w, i);
}

/* Next: validate, then the next step. */
static void
wizard_next(struct wizard *w)
{
	if (!step_validate(w))
		return;
	if (w->job != NULL || w->done)
		return;		/* the step started a job, or finished */
	if (w->cur + 1 >= w->nsteps) {
		w->done = true;
		return;
	}
	wizard_status(w, false, NULL);
	wizard_goto_index(w, w->cur + 1);
}

/* Back: to the previous step; nothing is lost. */
static void
wizard_back(struct wizard *w)
{
	if (w->cur == 0)
		return;
	wizard_status(w, false, NULL);
	wizard_goto_index(w, w->cur - 1);
}

/* ---- drafts -------------------------------------------------------------- */

/* The sidecar that remembers the step of a draft; caller frees. */
static char *
draft_step_path(const char *draft)
{
	char *p;

	xasprintf(&p, "%s.step", draft);
	return p;
}

/* Save the draft (mode 0600) and the current step. */
static int
wizard_save_draft(struct wizard *w, char **cause)
{
	char *sp;
	FILE *f;
	int err, fd;

	if ((err = wdraft_mkdirs(w->draft_path, cause)) != 0)
		return err;
	if ((err = vg_config_save(w->draft, w->draft_path, cause)) != 0)
		return err;
	sp = draft_step_path(w->draft_path);
	fd = open(sp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd != -1 && (f = fdopen(fd, "w")) != NULL) {
		fprintf(f, "%s\n", w->steps[w->cur]->id);
		fclose(f);
	} else if (fd != -1)
		close(fd);
	free(sp);
	w->dirty = false;
	log_info("wizard: draft saved to %s", w->draft_path);
	return 0;
}

/* Remove a saved draft (after the configuration was written). */
void
wizard_drop_draft(struct wizard *w)
{
	char *sp = draft_step_path(w->draft_path);

	unlink(w->draft_path);
	unlink(sp);
	free(sp);
}

/* The step a draft was saved at, or 0. */
static size_t
draft_step(struct wizard *w)
{
	char *sp = draft_step_path(w->draft_path), buf[64] = "";
	FILE *f = fopen(sp, "re");
	size_t i;

	free(sp);
	if (f == NULL)
		return 0;
	if (fgets(buf, sizeof buf, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	for (i = 0; i < w->nsteps; i++)
		if (strcmp(w->steps[i]->id, buf) == 0)
			return i;
	return 0;
}

/* F2: save the draft and say where. */
static void
wizard_key_save(struct wizard *w)
{
	char *cause = NULL;

	if (wizard_save_draft(w, &cause) != 0) {
		wizard_status(w, true, _("The draft could not be saved: %s"),
		    cause);
		free(cause);
		return;
	}
	wizard_status(w, false, _("Draft saved to %s; resume it with 'vigia "
	    "--resume'."), w->draft_path);
}

/* ---- dialogs ------------------------------------------------------------- */

/* F1: the step's help and the keys. */
static void
wizard_help(struct wizard *w)
{
	const struct wizard_step *s = w->steps[w->cur];
	const char *close[] = { _("Close") };
	char *text, *title;

	xasprintf(&text, "%s\n\n%s", _(s->help), _("Tab and the arrows move "
	    "between fields; ^N goes to the next step and ^P back, and "
	    "nothing typed is lost; F2 saves a draft to resume later "
	    "(vigia --resume); F9 shows the log; Esc quits."));
	/* TRANSLATORS: title of the help box; %s is the step's title */
	xasprintf(&title, _("Help: %s"), _(s->title));
	ui_dialog(&w->modal, title, text, close, 1, 0, false);
	free(title);
	free(text);
}

/* Esc: quit, after asking.  Returns true if the wizard should end. */
static bool
wizard_quit(struct wizard *w)
{
	const char *buttons[] = { _("Stay"), _("Save draft and quit"),
	    _("Quit without saving") };
	char *cause = NULL;
	int r;

	if (w->written != NULL)
		return true;
	r = ui_dialog(&w->modal, _("Quit"), _("Quit the wizard?  The "
	    "configuration has not been written."), buttons, 3, 0, false);
	if (r == 1) {
		if (wizard_save_draft(w, &cause) != 0) {
			wizard_status(w, true, _("The draft could not be "
			    "saved: %s"), cause);
			free(cause);
			return false;
		}
		return true;
	}
	return r == 2;
}

/* ---- jobs ---------------------------------------------------------------- */

/* Hand a job to the wizard. */
void
wizard_job_start(struct wizard *w, struct wizard_job *job)
{
	if (w->job != NULL)
		fatal("wizard: a job is already running");
	w->job = job;
}

/* End the running job: tell the step, free the job. */
static void
wizard_job_end(struct wizard *w)
{
	struct wizard_job *job = w->job;
	const struct wizard_step *s = w->steps[w->cur];

	w->job = NULL;
	draw_job(w);
	if (s->job_done != NULL)
		s->job_done(w, job);
	job->ops->free(job);
}

/* Poll the running job (and ticks of modal widgets). */
static void
wizard_job_tick(struct wizard *w)
{
	struct pollfd pfd;

	if (w->job == NULL)
		return;
	if (w->job->fd >= 0) {
		pfd.fd = w->job->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 0) <= 0)
			return;
	}
	if (w->job->ops->poll(w->job))
		wizard_job_end(w);
}

/* Modal widgets poll jobs through this. */
static void
modal_tick(void *arg)
{
	wizard_job_tick(arg);
}

/* Esc while a job runs: ask it to stop; its end is polled as usual, so
 * the step never frees what the worker still uses. */
static void
wizard_job_cancel(struct wizard *w)
{
	if (w->job == NULL || !w->job->cancellable || w->job->cancelling)
		return;
	w->job->cancelling = true;
	w->job->ops->cancel(w->job);
	log_info("wizard: cancelling \"%s\"", w->job->label);
}

/* ---- the loop ------------------------------------------------------------ */

/* A key the step did not take. */
static void
wizard_key(struct wizard *w, int ch, bool is_key)
{
	if (is_key) {
		switch (ch) {
		case KEY_F(1):
			wizard_help(w);
			return;
		case KEY_F(2):
			wizard_key_save(w);
			return;
		case KEY_F(9):
			w->show_log = !w->show_log;
			layout_lines = 0;	/* relayout */
			return;
		case KEY_F(10):
		case KEY_NPAGE:
			wizard_next(w);
			return;
		case KEY_PPAGE:
			wizard_back(w);
			return;
		}
		return;
	}
	switch (ch) {
	case KEY_CTRL('n'):
		wizard_next(w);
		break;
	case KEY_CTRL('p'):
		wizard_back(w);
		break;
	case 27:
	case 'q':
	case 'Q':
		if (wizard_quit(w))
			w->done = true;
		break;
	}
}

/* Read one key and act on it. */
static void
wizard_step_once(struct wizard *w)
{
	wint_t ch;
	int r, k;

	wizard_frame(w);
	if (w->body == NULL) {
		timeout(250);
		r = get_wch(&ch);
		return;		/* only a resize or a signal helps */
	}
	wtimeout(w->body, w->job != NULL || w->live ? 50 : 250);
	r = wget_wch(w->body, &ch);
	wizard_job_tick(w);
	w->live = w->steps[w->cur]->tick != NULL &&
	    w->steps[w->cur]->tick(w);
	if (r == ERR || tui_quit_requested())
		return;
	if (r == KEY_CODE_YES && ch == KEY_RESIZE)
		return;		/* wizard_frame() follows the new size */
	if (w->job != NULL) {
		if (r == OK && ch == 27)
			wizard_job_cancel(w);
		else if (r == KEY_CODE_YES && ch == KEY_F(9)) {
			w->show_log = !w->show_log;
			layout_lines = 0;
		}
		return;
	}
	k = step_key(w, (int)ch, r == KEY_CODE_YES);
	if (k == WK_NEXT)
		wizard_next(w);
	else if (k == WK_BACK)
		wizard_back(w);
	else if (k == WK_UNHANDLED)
		wizard_key(w, (int)ch, r == KEY_CODE_YES);
}

/* Load a configuration or draft for the wizard; prints problems. */
static struct vg_config *
wizard_load(const char *path)
{
	struct vg_diags diags = { 0, NULL };
	struct vg_config *cfg = NULL;
	char *line;
	size_t i;

	if (vg_config_load_draft(path, &cfg, &diags) != 0) {
		for (i = 0; i < diags.n; i++) {
			line = vg_diag_format(&diags.v[i]);
			fprintf(stderr, "%s: %s\n", PACKAGE, line);
			free(line);
		}
	}
	vg_diags_free(&diags);
	if (cfg != NULL)
		wdraft_prepare(cfg);
	return cfg;
}

/* Whether a saved draft exists. */
static bool
draft_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The site language of a draft as the UI language. */
static void
wizard_language_from_draft(struct wizard *w)
{
	const char *l = w->draft->site.language;

	if (l != NULL && (strcmp(l, "es") == 0 || strcmp(l, "en") == 0))
		wizard_set_language(w, l);
}

/* Free the wizard. */
static void
wizard_free(struct wizard *w)
{
	size_t i;

	/* a draft that cannot be read leaves before the pages exist */
	for (i = 0; w->pages != NULL && i < w->nsteps; i++)
		free(w->pages[i].touched);
	free(w->pages);
	vg_config_free(w->draft);
	vg_diags_free(&w->diags);
	free(w->status);
	free(w->target);
	free(w->written);
	free(w->draft_path);
	free(w->lang_env);
	wdraft_cams_clear(&w->cams);
	if (w->body != NULL)
		delwin(w->body);
	if (w->logwin != NULL)
		delwin(w->logwin);
}

/* Run the wizard: load, take the terminal, loop, give it back. */
int
wizard_main(const char *config_path, bool resume)
{
	struct wizard w;
	const char *buttons[2];
	char *cause = NULL, *text;
	size_t i, start = 0;
	bool from_file = false, offer;

	memset(&w, 0, sizeof w);
	w.steps = wizard_steps;
	w.nsteps = wizard_nsteps;
	w.draft_path = wdraft_draft_path();
	w.exit_status = 1;
	w.modal.redraw = modal_redraw;
	w.modal.tick = modal_tick;
	w.modal.arg = &w;
	if (getenv("LANGUAGE") != NULL)
		w.lang_env = xstrdup(getenv("LANGUAGE"));
	if (resume && !draft_exists(w.draft_path)) {
		fprintf(stderr, _("%s: there is no saved draft (%s)\n"),
		    PACKAGE, w.draft_path);
		goto fail;
	}
	if (config_path != NULL || resume) {
		w.draft = wizard_load(resume ? w.draft_path : config_path);
		if (w.draft == NULL)
			goto fail;
		from_file = true;
		w.target = xstrdup(config_path != NULL ? config_path :
		    "");
	} else
		w.draft = wdraft_new();
	if (w.target == NULL || *w.target == '\0') {
		free(w.target);
		w.target = wdraft_target_path();
	}
	wdraft_ifaces_load(&w.cams);
	wdraft_own_load(&w.cams, w.draft);
	w.pages = xcalloc(w.nsteps, sizeof *w.pages);
	for (i = 0; i < w.nsteps; i++) {
		if (w.steps[i]->page != NULL)
			w.pages[i].touched = xcalloc(
			    w.steps[i]->page->nfields, 1);
		w.pages[i].all_touched = from_file;
	}
	w.storage_i = wdraft_storage_index(w.draft);
	wizard_revalidate(&w);
	if (resume)
		start = draft_step(&w);
	wizard_language_from_draft(&w);
	if (tui_start(&cause) != VG_OK) {
		fprintf(stderr, "%s: %s\n", PACKAGE, cause);
		free(cause);
		w.exit_status = 2;
		goto out;
	}
	layout_lines = -1;	/* the first frame lays out */
	wizard_windows(&w);
	w.cur = start;
	if (w.body != NULL)
		step_enter(&w);
	offer = !from_file && draft_exists(w.draft_path);
	if (offer) {
		buttons[0] = _("Resume it");
		buttons[1] = _("Start over");
		xasprintf(&text, _("A draft of an unfinished wizard is saved "
		    "in %s.  Resume it?"), w.draft_path);
		wizard_frame(&w);
		if (ui_dialog(&w.modal, _("Saved draft"), text, buttons, 2, 0,
		    false) == 0) {
			struct vg_config *d = wizard_load(w.draft_path);

			if (d != NULL) {
				step_leave(&w);
				vg_config_free(w.draft);
				w.draft = d;
				wdraft_own_load(&w.cams, d);
				w.storage_i = wdraft_storage_index(d);
				for (i = 0; i < w.nsteps; i++)
					w.pages[i].all_touched = true;
				wizard_revalidate(&w);
				wizard_language_from_draft(&w);
				w.cur = draft_step(&w);
				if (w.body != NULL)
					step_enter(&w);
			}
		}
		free(text);
	}
	while (!w.done && !tui_quit_requested())
		wizard_step_once(&w);
	if (w.job != NULL) {
		/* a quit signal: stop the worker, wait for it */
		if (w.job->cancellable)
			w.job->ops->cancel(w.job);
		w.job->ops->free(w.job);
		w.job = NULL;
	}
	if (w.body != NULL)
		step_leave(&w);
	draw_job(&w);
	tui_stop();
	if (tui_quit_requested() && w.dirty && w.written == NULL &&
	    wizard_save_draft(&w, NULL) == 0)
		fprintf(stderr, _("%s: interrupted; the draft is saved in %s "
		    "(resume it with 'vigia --resume')\n"), PACKAGE,
		    w.draft_path);
	if (w.written != NULL) {
		w.exit_status = 0;
		printf(_("The configuration is written to %s.\n"), w.written);
	}
out:
	wizard_free(&w);
	return w.exit_status;
fail:
	w.exit_status = 3;
	goto out;
}
