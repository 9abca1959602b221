/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * theme.c - theme files (themes/NAME.theme) -> a style per display role.
 *
 * The format, one role per line (tmux style strings):
 *
 *	# comment
 *	bogus = fg=red,bg=default,bold
 *
 * A line replaces the role's whole style: fg and bg default to the
 * terminal's, attributes to none. Colours: default, black, red, green,
 * yellow, blue, magenta, cyan, white, bright<colour> (grey = brightblack),
 * colourN / colorN / N (0-255). Attributes: bold, dim, underline, reverse,
 * italic, none. A mistake stops the load with "file:line: what"; an unknown
 * role is only a warning, so that an older bogus reads a newer theme.
 *
 * Pure apart from reading the file: no curses, no globals.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "file.h"
#include "log.h"
#include "theme.h"
#include "xmalloc.h"

#define THEME_MAX_LINE 512
#define THEME_MAX_FILE (64 * 1024)

static const struct {
	const char *name;
	struct role_style style;
	unsigned mono;
} roles[ROLE_COUNT] = {
#define ROLE_DEFAULT(e, n, fg, bg, attrs, mono) \
	[ROLE_##e] = { n, { fg, bg, attrs }, mono },
	ROLE_LIST(ROLE_DEFAULT)
#undef ROLE_DEFAULT
};

static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", THEME_BOLD }, { "dim", THEME_DIM },
	{ "underline", THEME_UNDERLINE }, { "underscore", THEME_UNDERLINE },
	{ "reverse", THEME_REVERSE }, { "italic", THEME_ITALIC },
	{ "italics", THEME_ITALIC },
};

const char *theme_role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].name : "?";
}

unsigned theme_mono_attrs(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].mono : 0;
}

void theme_defaults(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < ROLE_COUNT; i++)
		t->style[i] = roles[i].style;
}

void theme_free(struct theme *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->path);
	for (size_t i = 0; i < t->n_warnings; i++)
		free(t->warnings[i]);
	free(t->warnings);
	memset(t, 0, sizeof(*t));
}

/* Returns 0 and sets *out, or -1 for a word that is no colour. */
static int parse_colour(const char *s, short *out)
{
	const char *num = NULL;
	int bright = 0;

	if (strcasecmp(s, "default") == 0) {
		*out = C_DEF;
		return 0;
	}
	if (strcasecmp(s, "grey") == 0 || strcasecmp(s, "gray") == 0) {
		*out = C_GREY;
		return 0;
	}
	if (strncasecmp(s, "colour", 6) == 0)
		num = s + 6;
	else if (strncasecmp(s, "color", 5) == 0)
		num = s + 5;
	else if (isdigit((unsigned char)*s))
		num = s;
	if (num != NULL) {
		char *end;
		long v;

		if (!isdigit((unsigned char)*num))
			return -1;
		errno = 0;
		v = strtol(num, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0 || v > 255)
			return -1;
		*out = (short)v;
		return 0;
	}
	if (strncasecmp(s, "bright", 6) == 0) {
		bright = 8;
		s += 6;
	}
	for (int i = 0; i < 8; i++) {
		if (strcasecmp(s, colour_names[i]) == 0) {
			*out = (short)(i + bright);
			return 0;
		}
	}
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Parses "fg=red,bg=default,bold" into @p st. */
static int parse_style(char *spec, struct role_style *st, char **what)
{
	char *rest = spec, *tok;

	*st = (struct role_style){ C_DEF, C_DEF, 0 };
	if (*spec == '\0') {
		*what = xstrdup("empty style (e.g. \"fg=red,bold\")");
		return -1;
	}
	/* strsep, not strtok: "fg=red,,bold" has an empty item to report. */
	while ((tok = strsep(&rest, ",")) != NULL) {
		char *t = trim(tok);
		size_t i;

		if (*t == '\0') {
			*what = xstrdup("empty item in style");
			return -1;
		}
		if (strncasecmp(t, "fg=", 3) == 0 || strncasecmp(t, "bg=", 3) == 0) {
			short *c = (t[0] == 'f' || t[0] == 'F') ? &st->fg : &st->bg;

			if (parse_colour(trim(t + 3), c) != 0) {
				*what = xasprintf("unknown colour '%s'", trim(t + 3));
				return -1;
			}
			continue;
		}
		if (strcasecmp(t, "none") == 0) {
			st->attrs = 0;
			continue;
		}
		for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
			if (strcasecmp(t, attr_names[i].name) == 0)
				break;
		if (i == sizeof(attr_names) / sizeof(attr_names[0])) {
			*what = xasprintf("unknown attribute '%s'", t);
			return -1;
		}
		st->attrs |= attr_names[i].bit;
	}
	return 0;
}

static int find_role(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcasecmp(name, roles[i].name) == 0)
			return i;
	return -1;
}

int theme_parse(const char *text, const char *file, struct theme *out,
		char **cause)
{
	const char *p = text;
	unsigned lineno = 0;
	struct theme t;

	theme_defaults(&t);
	*cause = NULL;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char buf[THEME_MAX_LINE + 1], *line, *eq, *hash, *what = NULL;
		struct role_style st;
		int role;

		lineno++;
		if (len > THEME_MAX_LINE) {
			*cause = xasprintf("%s:%u: line longer than %d bytes",
					   file, lineno, THEME_MAX_LINE);
			goto fail;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		p = nl != NULL ? nl + 1 : p + len;
		if ((hash = strchr(buf, '#')) != NULL)
			*hash = '\0';
		line = trim(buf);
		if (*line == '\0')
			continue;
		if ((eq = strchr(line, '=')) != NULL) {
			*eq = '\0';
			line = trim(line);
		}
		/* No '=', or "bogus fg=red": a role is one word. */
		if (eq == NULL || strpbrk(line, " \t") != NULL) {
			*cause = xasprintf("%s:%u: expected \"role = style\"",
					   file, lineno);
			goto fail;
		}
		if (*line == '\0') {
			*cause = xasprintf("%s:%u: missing role name before '='",
					   file, lineno);
			goto fail;
		}
		if (parse_style(trim(eq + 1), &st, &what) != 0) {
			*cause = xasprintf("%s:%u: %s", file, lineno, what);
			free(what);
			goto fail;
		}
		if ((role = find_role(line)) < 0) {
			char *w = xasprintf("%s:%u: unknown role '%s' ignored",
					    file, lineno, line);

			log_msg(LOG_WARN, "theme: %s", w);
			*XAPPEND(t.warnings, t.n_warnings) = w;
			continue;
		}
		t.style[role] = st;
	}
	theme_free(out);
	*out = t;
	return 0;
fail:
	theme_free(&t);
	return -1;
}

/*
 * Reads a whole (small) file. Returns new text, or NULL with errno set (and
 * *why, when the file is not a regular one, so it would block or not end).
 */
static char *read_file(const char *path, char **why)
{
	FILE *f = file_open_regular(path, "theme", 0, why);
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	buf = xmalloc(THEME_MAX_FILE + 1);
	n = fread(buf, 1, THEME_MAX_FILE + 1, f);
	if (ferror(f) || n > THEME_MAX_FILE) {
		int e = ferror(f) ? EIO : EFBIG;

		fclose(f);
		free(buf);
		errno = e;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (memchr(buf, '\0', n) != NULL) {
		free(buf);
		errno = EINVAL;	/* binary, not a theme */
		return NULL;
	}
	return buf;
}

/*
 * Where themes are looked up by name, in order: the user's directory
 * ($XDG_CONFIG_HOME/bogus/themes, else ~/.config/bogus/themes), the
 * installed ones (DATADIR/themes), then themes/ beside the binary or up to
 * two levels above it (an uninstalled build: ./bogus, build/bogus). Never the
 * current directory: a theme planted in whatever directory the console is
 * started from must not restyle it.
 */
#define THEME_DIRS 5

static void theme_dirs(char *dirs[THEME_DIRS])
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char exe[4096], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	for (size_t i = 0; i < THEME_DIRS; i++)
		dirs[i] = NULL;
	if (xdg != NULL && *xdg == '/')
		dirs[0] = xasprintf("%s/bogus/themes", xdg);
	else if (home != NULL && *home == '/')
		dirs[0] = xasprintf("%s/.config/bogus/themes", home);
	dirs[1] = xstrdup(DATADIR "/themes");
	if (n <= 0)
		return;
	exe[n] = '\0';
	/* The binary's directory, its parent and grandparent (build/tests/). */
	for (size_t i = 2; i < THEME_DIRS && (slash = strrchr(exe, '/')) != NULL; i++) {
		*slash = '\0';
		dirs[i] = xasprintf("%s/themes", exe);
	}
}

static void theme_dirs_free(char *dirs[THEME_DIRS])
{
	for (size_t i = 0; i < THEME_DIRS; i++)
		free(dirs[i]);
}

static char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t len;

	b = b != NULL ? b + 1 : path;
	len = strlen(b);
	if (len > 6 && strcmp(b + len - 6, ".theme") == 0)
		len -= 6;
	return xstrndup(b, len);
}

int theme_load(const char *name_or_path, struct theme *out, char **cause)
{
	char *path = NULL, *text, *why = NULL;
	int is_path, r;

	*cause = NULL;
	if (name_or_path == NULL)
		name_or_path = "default";
	if (*name_or_path == '\0') {
		*cause = xstrdup("empty theme name");
		return -1;
	}
	is_path = strchr(name_or_path, '/') != NULL ||
		  (strlen(name_or_path) > 6 &&
		   strcmp(name_or_path + strlen(name_or_path) - 6, ".theme") == 0);
	if (is_path) {
		path = xstrdup(name_or_path);
	} else {
		char *dirs[THEME_DIRS];

		theme_dirs(dirs);
		for (size_t i = 0; i < THEME_DIRS && path == NULL; i++) {
			char *p;

			if (dirs[i] == NULL)
				continue;
			p = xasprintf("%s/%s.theme", dirs[i], name_or_path);
			if (access(p, R_OK) == 0)
				path = p;
			else
				free(p);
		}
		if (path == NULL) {
			if (strcmp(name_or_path, "default") == 0) {
				theme_dirs_free(dirs);
				theme_free(out);
				theme_defaults(out);
				out->name = xstrdup("default");
				return 0;
			}
			*cause = xasprintf("no theme '%s' (looked for %s.theme in %s%s%s)",
					   name_or_path, name_or_path,
					   dirs[0] ? dirs[0] : "", dirs[0] ? " and " : "",
					   dirs[1]);
			theme_dirs_free(dirs);
			return -1;
		}
		theme_dirs_free(dirs);
	}
	if ((text = read_file(path, &why)) == NULL) {
		if (why == NULL || errno == ENOENT || errno == EACCES)
			*cause = xasprintf("%s: %s", path, strerror(errno));
		else
			*cause = xstrdup(why);
		free(why);
		free(path);
		return -1;
	}
	r = theme_parse(text, path, out, cause);
	free(text);
	if (r != 0) {
		free(path);
		return -1;
	}
	out->name = base_name(path);
	out->path = path;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **theme_names(void)
{
	char **v = NULL;
	size_t n = 0, out = 0;
	char *dirs[THEME_DIRS];

	*XAPPEND(v, n) = xstrdup("default");
	theme_dirs(dirs);
	for (size_t i = 0; i < THEME_DIRS; i++) {
		DIR *d = dirs[i] != NULL ? opendir(dirs[i]) : NULL;
		struct dirent *e;

		if (d == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			size_t len = strlen(e->d_name);

			if (len > 6 && e->d_name[0] != '.' &&
			    strcmp(e->d_name + len - 6, ".theme") == 0)
				*XAPPEND(v, n) = base_name(e->d_name);
		}
		closedir(d);
	}
	theme_dirs_free(dirs);
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (out > 0 && strcmp(v[out - 1], v[i]) == 0)
			free(v[i]);
		else
			v[out++] = v[i];
	}
	v = xreallocarray(v, out + 1, sizeof(*v));
	v[out] = NULL;
	return v;
}

void theme_names_free(char **names)
{
	if (names == NULL)
		return;
	for (char **p = names; *p != NULL; p++)
		free(*p);
	free(names);
}
