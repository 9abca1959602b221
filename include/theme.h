/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * theme.h - display roles, and the theme files that give each role a style.
 *
 * Panes never name a colour: they tag text with a role (ROLE_BOGUS,
 * ROLE_SECURE...). A theme maps each role to a foreground, a background and
 * attributes; ui.c turns that into curses attributes. The roles are listed
 * once, in ROLE_LIST, which yields the enum, the built-in (dark) defaults
 * and the names the theme parser accepts.
 *
 * No curses here: theme files are parsed and tested without a terminal.
 */
#ifndef BOGUS_THEME_H
#define BOGUS_THEME_H

#include <stddef.h>

/* Attribute bits (ours, not curses' A_*: ui.c translates). */
#define THEME_BOLD	0x01u
#define THEME_DIM	0x02u
#define THEME_UNDERLINE	0x04u
#define THEME_REVERSE	0x08u
#define THEME_ITALIC	0x10u

/* Colours: -1 is the terminal's default, 0-7 the ANSI colours, 8-15 bright, up to 255. */
#define C_DEF	(-1)
#define C_BLACK	0
#define C_RED	1
#define C_GREEN	2
#define C_YELLOW 3
#define C_BLUE	4
#define C_MAGENTA 5
#define C_CYAN	6
#define C_WHITE	7
#define C_GREY	8

#define TH_B THEME_BOLD
#define TH_D THEME_DIM
#define TH_U THEME_UNDERLINE
#define TH_R THEME_REVERSE
/*
 * X(enum, name, fg, bg, attrs, mono): the dark default, and the attributes
 * a monochrome terminal uses so that no state depends on colour (the text
 * always carries a word or a symbol as well).
 */
#define ROLE_LIST(X) \
	X(NORMAL, "normal", C_DEF, C_DEF, 0, 0) \
	X(DIM, "dim", C_GREY, C_DEF, 0, TH_D) \
	X(HEADER, "header", C_DEF, C_DEF, TH_B | TH_U, TH_U) \
	X(TITLE, "title", C_WHITE, C_GREY, 0, TH_U) \
	X(TITLE_FOCUS, "title-focus", C_BLACK, C_CYAN, TH_B, TH_R | TH_B) \
	X(STATUS, "status", C_WHITE, C_BLUE, 0, TH_R) \
	X(FOOTER, "footer", C_DEF, C_DEF, 0, 0) \
	X(KEY, "key", C_CYAN, C_DEF, TH_B, TH_B) \
	X(SELECTED, "selected", C_DEF, C_DEF, TH_R, TH_R) \
	X(CHANGED, "changed", C_BLACK, C_YELLOW, 0, TH_U | TH_B) \
	X(MATCH, "match", C_DEF, C_DEF, TH_R | TH_B | TH_U, TH_R | TH_B | TH_U) \
	X(SECURE, "secure", C_GREEN, C_DEF, 0, 0) \
	X(INSECURE, "insecure", C_YELLOW, C_DEF, 0, 0) \
	X(BOGUS, "bogus", C_RED, C_DEF, TH_B, TH_B) \
	X(SERVFAIL, "servfail", C_RED, C_DEF, 0, TH_B) \
	X(TIMEOUT, "timeout", C_MAGENTA, C_DEF, 0, TH_D) \
	X(UNKNOWN, "unknown", C_GREY, C_DEF, 0, TH_D) \
	X(WARNING, "warning", C_YELLOW, C_DEF, TH_B, TH_B) \
	X(INFO, "info", C_CYAN, C_DEF, 0, 0) \
	X(ODD, "odd", C_YELLOW, C_DEF, TH_B | TH_U, TH_B | TH_U) \
	X(BROKEN, "broken", C_WHITE, C_RED, TH_B, TH_R | TH_B) \
	X(BADGE_SECURE, "badge-secure", C_BLACK, C_GREEN, TH_B, TH_B) \
	X(BADGE_INSECURE, "badge-insecure", C_BLACK, C_YELLOW, 0, TH_B) \
	X(BADGE_DEGRADED, "badge-degraded", C_BLACK, C_YELLOW, TH_B, TH_B | TH_U) \
	X(BADGE_BOGUS, "badge-bogus", C_WHITE, C_RED, TH_B, TH_R | TH_B) \
	X(BADGE_UNKNOWN, "badge-unknown", C_BLACK, C_WHITE, 0, TH_R) \
	X(TOO_SMALL, "too-small", C_WHITE, C_RED, TH_B, TH_R)

enum role {
#define ROLE_ENUM(e, name, fg, bg, attrs, mono) ROLE_##e,
	ROLE_LIST(ROLE_ENUM)
#undef ROLE_ENUM
	ROLE_COUNT
};

struct role_style {
	short fg, bg;		/* C_DEF or 0-255 */
	unsigned attrs;		/* THEME_* bits */
};

struct theme {
	char *name;		/* "default", or the file's base name */
	char *path;		/* the file it came from; NULL for built-in */
	struct role_style style[ROLE_COUNT];
	char **warnings;	/* "file:line: unknown role 'x'", one each */
	size_t n_warnings;
};

/** Fills @p t with the built-in dark theme (no file needed). */
void theme_defaults(struct theme *t);

/**
 * Loads a theme by name (looked up as NAME.theme in the user's
 * $XDG_CONFIG_HOME/bogus/themes, DATADIR/themes, then themes/ beside the
 * binary; never the current directory) or by path (anything with a '/' or ending in
 * ".theme"). NULL or "default" without a file gives the built-in defaults.
 * Unknown roles are warnings (in @p out->warnings, and logged).
 * @param[out] out filled on success; release with theme_free().
 * @param[out] cause on error, a new "file:line: what" message; caller frees.
 * @return 0, or -1 on error (unreadable, unknown name, bad line).
 */
int theme_load(const char *name_or_path, struct theme *out, char **cause);

/**
 * Parses theme text (the file format) on top of the defaults. @p file names
 * the source in messages. Same return and ownership as theme_load().
 */
int theme_parse(const char *text, const char *file, struct theme *out,
		char **cause);

/** Releases what @p t owns and zeroes it. NULL is a no-op. */
void theme_free(struct theme *t);

/** The role's name in theme files ("title-focus"). */
const char *theme_role_name(enum role r);

/** The built-in monochrome attributes of a role (for NO_COLOR / no colour). */
unsigned theme_mono_attrs(enum role r);

/**
 * Names of the themes that can be found (the directories theme_load() searches),
 * sorted, without duplicates, always including "default".
 * @return a new NULL-terminated array; free with theme_names_free().
 */
char **theme_names(void);
void theme_names_free(char **names);

#endif
