/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: OSC 52 carries exactly the cleaned text in base64, the
 * cleaning strips what a terminal or a shell would obey, and the file copy
 * is private and will not follow a planted link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "clipboard.h"

static void test_base64_vectors(void **state)
{
	/* RFC 4648 section 10. */
	static const char *const v[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *b = clipboard_base64((const unsigned char *)v[i][0], strlen(v[i][0]));

		assert_string_equal(b, v[i][1]);
		free(b);
	}
	{
		unsigned char all[3] = { 0xff, 0xfe, 0x00 };
		char *b = clipboard_base64(all, 3);

		assert_string_equal(b, "//4A");
		free(b);
	}
}

static void test_osc52(void **state)
{
	char *s = clipboard_osc52("example.test. 300 IN DS 13259 13 2 b259");

	(void)state;
	assert_string_equal(s, "\033]52;c;ZXhhbXBsZS50ZXN0LiAzMDAgSU4gRFMgMTMyNTkgMTMgMiBiMjU5\a");
	free(s);
	s = clipboard_osc52("");
	assert_string_equal(s, "\033]52;c;\a");
	free(s);
}

static void test_clean(void **state)
{
	char *c;

	(void)state;
	/* A DS record comes through byte for byte. */
	c = clipboard_clean("example.test. 300 IN DS 13259 13 2 b259bbfa");
	assert_string_equal(c, "example.test. 300 IN DS 13259 13 2 b259bbfa");
	free(c);
	/* ESC sequences, BEL, CR, DEL, C1 (CSI as U+009B) go; text stays. */
	c = clipboard_clean("rndc\033]52;c;evil\a nta\r\x7f -remove \xc2\x9b" "31m x");
	assert_string_equal(c, "rndc]52;c;evil nta -remove 31m x");
	free(c);
	/* Bidi overrides and zero-width characters go (a paste that reads
	 * differently from what it runs); other UTF-8 stays. */
	c = clipboard_clean("a\xe2\x80\xae" "b\xe2\x80\x8b" "c \xc3\xa9");
	assert_string_equal(c, "abc \xc3\xa9");
	free(c);
	/* Invalid UTF-8 bytes go, one by one. */
	c = clipboard_clean("x\xff\xc3y\x80z");
	assert_string_equal(c, "xyz");
	free(c);
	/* Inner newlines stay (several records); trailing ones go, so that a
	 * paste into a shell never runs the last line by itself. */
	/* Tabs (record separators) become single spaces. */
	c = clipboard_clean("example.test.\t3600\tIN\tDS\t4321 13 2 ab");
	assert_string_equal(c, "example.test. 3600 IN DS 4321 13 2 ab");
	free(c);
	c = clipboard_clean("line1\nline2\n\n");
	assert_string_equal(c, "line1\nline2");
	free(c);
	c = clipboard_clean(NULL);
	assert_string_equal(c, "");
	free(c);
}

static void test_clean_bounded(void **state)
{
	size_t n = CLIPBOARD_MAX + 10;
	char *big = malloc(n + 1), *c;

	(void)state;
	memset(big, 'a', n);
	big[CLIPBOARD_MAX - 1] = (char)0xc3;	/* é straddles the bound */
	big[CLIPBOARD_MAX] = (char)0xa9;
	big[n] = '\0';
	c = clipboard_clean(big);
	assert_int_equal(strlen(c), CLIPBOARD_MAX - 1);
	free(c);
	free(big);
}

static void test_file(void **state)
{
	char dir[] = "/tmp/bogus-clip-XXXXXX", path[64], link_path[64], buf[128];
	char *cause = NULL;
	struct stat st;
	FILE *f;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/clip.txt", dir);
	/* An older, wider file is narrowed and overwritten whole. */
	f = fopen(path, "w");
	fputs("an older and much longer clipboard content\n", f);
	fclose(f);
	chmod(path, 0644);
	assert_int_equal(clipboard_write_file(path, "rndc nta -remove example.test", &cause), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_string_equal(buf, "rndc nta -remove example.test\n");
	/* A symbolic link planted at the path is not followed. */
	snprintf(link_path, sizeof(link_path), "%s/link.txt", dir);
	assert_int_equal(symlink(path, link_path), 0);
	assert_int_equal(clipboard_write_file(link_path, "x", &cause), -1);
	assert_non_null(strstr(cause, link_path));
	free(cause);
	unlink(link_path);
	unlink(path);
	rmdir(dir);
}

static void test_path(void **state)
{
	char *p;

	(void)state;
	setenv("XDG_RUNTIME_DIR", "/tmp", 1);
	p = clipboard_path();
	assert_string_equal(p, "/tmp/bogus-clipboard.txt");
	free(p);
	/* Relative or missing: the per-user file in /tmp. */
	setenv("XDG_RUNTIME_DIR", "relative", 1);
	p = clipboard_path();
	assert_non_null(strstr(p, "/tmp/bogus-clipboard-"));
	free(p);
	unsetenv("XDG_RUNTIME_DIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_vectors),
		cmocka_unit_test(test_osc52),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_clean_bounded),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
