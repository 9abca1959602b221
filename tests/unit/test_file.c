/* Unit tests: file_write_atomic() replaces a file whole or not at all. A
 * writer that fails (a full disk, an error half-way) leaves the old file
 * as it was and no temporary file behind; a new file gets the mode asked
 * for; a directory that cannot be written is one clear cause. */
#include <dirent.h>
#include <errno.h>
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

#include "file.h"

static int fill_text(FILE *f, const void *arg)
{
	return fputs(arg, f) < 0 ? -1 : 0;
}

/* Writes half of the content, then fails as a full disk would. */
static int fill_half_then_fail(FILE *f, const void *arg)
{
	(void)arg;
	fputs("# Incident exam", f);
	fflush(f);
	errno = ENOSPC;
	return -1;
}

static void slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Entries in @p dir other than . and .. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void test_replace_whole(void **state)
{
	char dir[] = "/tmp/bogus-file-XXXXXX", path[64], buf[128];
	char *cause = NULL;
	struct stat st;
	mode_t old = umask(022);

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/report.md", dir);
	assert_int_equal(file_write_atomic(path, NULL, 0666, fill_text, "first\n", &cause), 0);
	assert_null(cause);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "first\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* A failing writer: the old content stays, no temporary is left. */
	assert_int_equal(file_write_atomic(path, "report", 0666, fill_half_then_fail,
					   NULL, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot write report "));
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, strerror(ENOSPC)));
	assert_null(strchr(cause, '\n'));
	free(cause);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "first\n");
	assert_int_equal(entries(dir), 1);
	/* A private file: the mode asked for. */
	assert_int_equal(file_write_atomic(path, NULL, 0600, fill_text, "second\n", &cause), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "second\n");
	assert_int_equal(entries(dir), 1);
	unlink(path);
	/* No file before and a failing writer: still no file. */
	assert_int_equal(file_write_atomic(path, NULL, 0666, fill_half_then_fail,
					   NULL, &cause), -1);
	free(cause);
	assert_int_equal(entries(dir), 0);
	rmdir(dir);
	umask(old);
}

static void test_bad_directory(void **state)
{
	char *cause = NULL;

	(void)state;
	assert_int_equal(file_write_atomic("/nonexistent-bogus-dir/x.md", "export", 0666,
					   fill_text, "x", &cause), -1);
	assert_non_null(strstr(cause, "cannot write export /nonexistent-bogus-dir/x.md: "));
	assert_non_null(strstr(cause, strerror(ENOENT)));
	free(cause);
	/* A bare name is written in the current directory. */
	{
		char dir[] = "/tmp/bogus-file-XXXXXX", cwd[4096], buf[16];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_non_null(mkdtemp(dir));
		assert_int_equal(chdir(dir), 0);
		assert_int_equal(file_write_atomic("bare.txt", NULL, 0666, fill_text, "ok",
						   &cause), 0);
		slurp("bare.txt", buf, sizeof(buf));
		assert_string_equal(buf, "ok");
		assert_int_equal(entries("."), 1);
		unlink("bare.txt");
		assert_int_equal(chdir(cwd), 0);
		rmdir(dir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace_whole),
		cmocka_unit_test(test_bad_directory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
