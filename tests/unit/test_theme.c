/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the theme file format. Good files set the styles they name;
 * each kind of mistake is an error naming the file and the line; an unknown
 * role is only a warning; the themes we ship all load cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "theme.h"

static void test_defaults(void **state)
{
	struct theme t;

	(void)state;
	theme_defaults(&t);
	assert_int_equal(t.style[ROLE_BOGUS].fg, C_RED);
	assert_true(t.style[ROLE_BOGUS].attrs & THEME_BOLD);
	assert_string_equal(theme_role_name(ROLE_TITLE_FOCUS), "title-focus");
	assert_string_equal(theme_role_name(ROLE_BADGE_BOGUS), "badge-bogus");
	/* Without colour, broken things still stand out. */
	assert_true(theme_mono_attrs(ROLE_BROKEN) & THEME_REVERSE);
	assert_true(theme_mono_attrs(ROLE_SELECTED) & THEME_REVERSE);
	theme_free(&t);
	theme_free(NULL);
}

static void test_good_file(void **state)
{
	const char *text =
		"# a comment\n"
		"\n"
		"bogus = fg=brightred, bg=black, bold, underline   # trailing\n"
		"  secure=fg=colour28\n"
		"STATUS = fg=color153,bg=default,reverse\n"
		"dim = fg=grey\n"
		"normal = none\n"
		"key = fg=7,italic";
	struct theme t = { 0 };
	char *cause = NULL;

	(void)state;
	assert_int_equal(theme_parse(text, "t.theme", &t, &cause), 0);
	assert_null(cause);
	assert_int_equal(t.style[ROLE_BOGUS].fg, 9);
	assert_int_equal(t.style[ROLE_BOGUS].bg, C_BLACK);
	assert_int_equal(t.style[ROLE_BOGUS].attrs, THEME_BOLD | THEME_UNDERLINE);
	assert_int_equal(t.style[ROLE_SECURE].fg, 28);
	assert_int_equal(t.style[ROLE_SECURE].bg, C_DEF);
	assert_int_equal(t.style[ROLE_SECURE].attrs, 0);
	assert_int_equal(t.style[ROLE_STATUS].fg, 153);
	assert_int_equal(t.style[ROLE_STATUS].attrs, THEME_REVERSE);
	assert_int_equal(t.style[ROLE_DIM].fg, C_GREY);
	assert_int_equal(t.style[ROLE_KEY].fg, 7);
	assert_int_equal(t.style[ROLE_KEY].attrs, THEME_ITALIC);
	/* Roles the file does not name keep the built-in style. */
	assert_int_equal(t.style[ROLE_WARNING].fg, C_YELLOW);
	assert_int_equal(t.n_warnings, 0);
	theme_free(&t);
}

static void expect_error(const char *text, const char *want)
{
	struct theme t = { 0 };
	char *cause = NULL;

	assert_int_equal(theme_parse(text, "bad.theme", &t, &cause), -1);
	assert_non_null(cause);
	if (strcmp(cause, want) != 0)
		fail_msg("got \"%s\", want \"%s\"", cause, want);
	free(cause);
	theme_free(&t);
}

static void test_mistakes(void **state)
{
	char long_line[700];

	(void)state;
	expect_error("bogus fg=red\n", "bad.theme:1: expected \"role = style\"");
	expect_error("# ok\nsecure = fg=green\nbogus = fg=rouge\n",
		     "bad.theme:3: unknown colour 'rouge'");
	expect_error("\n\nbogus = fg=red,blink\n", "bad.theme:3: unknown attribute 'blink'");
	expect_error("bogus =\n", "bad.theme:1: empty style (e.g. \"fg=red,bold\")");
	expect_error("bogus = fg=red,,bold\n", "bad.theme:1: empty item in style");
	expect_error(" = fg=red\n", "bad.theme:1: missing role name before '='");
	expect_error("bogus = fg=colour256\n", "bad.theme:1: unknown colour 'colour256'");
	expect_error("bogus = bg=colour-1\n", "bad.theme:1: unknown colour 'colour-1'");
	expect_error("bogus = fg=\n", "bad.theme:1: unknown colour ''");
	memset(long_line, 'x', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	expect_error(long_line, "bad.theme:1: line longer than 512 bytes");
}

static void test_unknown_role_warns(void **state)
{
	struct theme t = { 0 };
	char *cause = NULL;

	(void)state;
	assert_int_equal(theme_parse("secure = fg=blue\nsparkle = bold\n",
				     "w.theme", &t, &cause), 0);
	assert_int_equal(t.n_warnings, 1);
	assert_string_equal(t.warnings[0], "w.theme:2: unknown role 'sparkle' ignored");
	assert_int_equal(t.style[ROLE_SECURE].fg, C_BLUE);
	theme_free(&t);
}

static void test_load_by_path_and_name(void **state)
{
	char path[] = "/tmp/bogus-theme-XXXXXX.theme";
	struct theme t = { 0 };
	char *cause = NULL;
	int fd;

	(void)state;
	fd = mkstemps(path, 6);
	assert_true(fd >= 0);
	assert_true(write(fd, "bogus = fg=blue\noops\n", 21) == 21);
	close(fd);
	assert_int_equal(theme_load(path, &t, &cause), -1);
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, ":2: expected"));
	free(cause);
	unlink(path);

	assert_int_equal(theme_load("/nonexistent/x.theme", &t, &cause), -1);
	assert_string_equal(cause, "/nonexistent/x.theme: No such file or directory");
	free(cause);
	assert_int_equal(theme_load("no-such-theme", &t, &cause), -1);
	assert_non_null(strstr(cause, "no theme 'no-such-theme'"));
	free(cause);
	assert_int_equal(theme_load("", &t, &cause), -1);
	free(cause);

	/* NULL is the default theme, with or without a file. */
	assert_int_equal(theme_load(NULL, &t, &cause), 0);
	assert_string_equal(t.name, "default");
	theme_free(&t);
}

/* Run from the source tree (tests/run.sh cd's there): what we ship loads. */
static void test_shipped_themes(void **state)
{
	static const char *const shipped[] = {
		"default", "light", "high-contrast", "colorblind", "mono",
	};
	char **names = theme_names();
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		struct theme t = { 0 };
		char *cause = NULL;
		bool listed = false;

		if (theme_load(shipped[i], &t, &cause) != 0)
			fail_msg("%s: %s", shipped[i], cause);
		assert_non_null(t.path);	/* from the file, not the fallback */
		assert_string_equal(t.name, shipped[i]);
		assert_int_equal(t.n_warnings, 0);
		for (char **p = names; *p != NULL; p++)
			listed |= strcmp(*p, shipped[i]) == 0;
		assert_true(listed);
		theme_free(&t);
	}
	for (char **p = names; *p != NULL; p++, n++)
		if (p != names)
			assert_true(strcmp(p[-1], p[0]) < 0);	/* sorted, no duplicates */
	assert_true(n >= 5);
	theme_names_free(names);
	/* The mono theme really has no colour in it. */
	{
		struct theme t = { 0 };
		char *cause = NULL;

		assert_int_equal(theme_load("themes/mono.theme", &t, &cause), 0);
		for (int r = 0; r < ROLE_COUNT; r++) {
			assert_int_equal(t.style[r].fg, C_DEF);
			assert_int_equal(t.style[r].bg, C_DEF);
		}
		assert_true(t.style[ROLE_BROKEN].attrs & THEME_REVERSE);
		theme_free(&t);
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A theme is found in the user's directory, never in ./themes of the
 * directory the console happens to be started from. */
static void test_theme_dirs(void **state)
{
	char tmpl[] = "/tmp/bogus-theme-XXXXXX", cwd[4096], path[4200];
	const char *old_xdg = getenv("XDG_CONFIG_HOME");
	char *saved_xdg = old_xdg ? strdup(old_xdg) : NULL;
	struct theme t = { 0 };
	char *cause = NULL, **names;
	bool listed = false;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_non_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/themes", tmpl);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/themes/planted.theme", tmpl);
	write_file(path, "bogus = fg=green\n");
	snprintf(path, sizeof(path), "%s/cfg", tmpl);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/cfg/bogus", tmpl);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/cfg/bogus/themes", tmpl);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/cfg/bogus/themes/mine.theme", tmpl);
	write_file(path, "bogus = fg=red,bold\n");
	snprintf(path, sizeof(path), "%s/cfg", tmpl);
	setenv("XDG_CONFIG_HOME", path, 1);
	assert_int_equal(chdir(tmpl), 0);

	assert_int_equal(theme_load("planted", &t, &cause), -1);
	assert_non_null(strstr(cause, "no theme 'planted'"));
	free(cause);
	assert_int_equal(theme_load("mine", &t, &cause), 0);
	assert_non_null(strstr(t.path, "/cfg/bogus/themes/mine.theme"));
	theme_free(&t);
	names = theme_names();
	for (char **p = names; *p != NULL; p++) {
		assert_string_not_equal(*p, "planted");
		listed |= strcmp(*p, "mine") == 0;
	}
	assert_true(listed);
	theme_names_free(names);

	assert_int_equal(chdir(cwd), 0);
	if (saved_xdg != NULL)
		setenv("XDG_CONFIG_HOME", saved_xdg, 1);
	else
		unsetenv("XDG_CONFIG_HOME");
	free(saved_xdg);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_unknown_role_warns),
		cmocka_unit_test(test_load_by_path_and_name),
		cmocka_unit_test(test_shipped_themes),
		cmocka_unit_test(test_theme_dirs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
