/* step-language.c - the first step: the language of the wizard.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A menu (menu library) of the languages; moving the highlight switches
 * the whole wizard at once (LANGUAGE, then setlocale() so that gettext
 * reads it again), so the technician sees each language before choosing.
 * The choice is also the site's language (site.language) for generated
 * texts; "from the system" leaves it unset.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "wizard.h"

struct lang {
	const char *code;	/* NULL: the locale's */
	const char *name;	/* its own name, never translated */
};

static const struct lang langs[] = {
	{ NULL, NULL },
	{ "en", "English" },
	{ "es", "Español" },
};
#define NLANGS (int)(sizeof langs / sizeof langs[0])

static MENU *lang_menu;
static ITEM *lang_items[NLANGS + 1];
static WINDOW *lang_sub;
static char *lang_auto;

/* Index of the draft's language in the table. */
static int
lang_index(struct wizard *w)
{
	const char *l = w->draft->site.language;
	int i;

	for (i = 1; l != NULL && i < NLANGS; i++)
		if (strcmp(langs[i].code, l) == 0)
			return i;
	return 0;
}

/* Build the menu in the body. */
static void
lang_enter(struct wizard *w)
{
	WINDOW *b = w->body;
	int i, y, W = getmaxx(b);

	werase(b);
	y = ui_wrap(b, 0, 1, W - 2, 4, _("Choose the language of the wizard. "
	    "It is also the language of the texts vigia generates for this "
	    "site."), A_NORMAL) + 1;
	/* TRANSLATORS: the first entry of the language list */
	xasprintf(&lang_auto, _("From the system (%s)"),
	    setlocale(LC_MESSAGES, NULL));
	for (i = 0; i < NLANGS; i++)
		lang_items[i] = new_item(i == 0 ? lang_auto : langs[i].name,
		    "");
	lang_items[NLANGS] = NULL;
	lang_menu = new_menu(lang_items);
	menu_opts_off(lang_menu, O_SHOWDESC);
	set_menu_mark(lang_menu, "> ");
	set_menu_fore(lang_menu, A_REVERSE);
	lang_sub = derwin(b, NLANGS, W - 6 > 40 ? 40 : W - 6, y, 4);
	set_menu_win(lang_menu, b);
	set_menu_sub(lang_menu, lang_sub);
	post_menu(lang_menu);
	set_current_item(lang_menu, lang_items[lang_index(w)]);
	ui_wrap(b, y + NLANGS + 1, 1, W - 2, 3, _("Up and Down switch the "
	    "language at once; Enter goes on."), tui_attr(UI_PAIR_DIM));
}

/* Free the menu. */
static void
lang_leave(struct wizard *w)
{
	int i;

	(void)w;
	if (lang_menu == NULL)
		return;
	unpost_menu(lang_menu);
	free_menu(lang_menu);
	for (i = 0; i < NLANGS; i++)
		free_item(lang_items[i]);
	delwin(lang_sub);
	free(lang_auto);
	lang_menu = NULL;
	lang_auto = NULL;
}

/* Switch to language i now and rebuild the screen in it. */
static void
lang_switch(struct wizard *w, int i)
{
	free(w->draft->site.language);
	w->draft->site.language = langs[i].code != NULL ?
	    xstrdup(langs[i].code) : NULL;
	wizard_changed(w);
	wizard_set_language(w, langs[i].code);
	lang_leave(w);
	lang_enter(w);
}

/* Up/Down switch the language; Enter goes on. */
static int
lang_key(struct wizard *w, int ch, bool is_key)
{
	int i = item_index(current_item(lang_menu));

	if (is_key && (ch == KEY_DOWN || ch == KEY_UP)) {
		i = ch == KEY_DOWN ? (i + 1) % NLANGS : (i + NLANGS - 1) %
		    NLANGS;
		lang_switch(w, i);
		return WK_HANDLED;
	}
	if ((!is_key && (ch == '\r' || ch == '\n' || ch == ' ')) ||
	    (is_key && ch == KEY_ENTER))
		return WK_NEXT;
	return WK_UNHANDLED;
}

const struct wizard_step step_language = {
	.id = "language",
	.title = N_("Language"),
	.help = N_("The wizard speaks English and Spanish.  By default it "
	    "follows the system's locale (LANG, LC_ALL, LANGUAGE).  The "
	    "choice is saved as the site's language."),
	.enter = lang_enter,
	.leave = lang_leave,
	.key = lang_key,
};
