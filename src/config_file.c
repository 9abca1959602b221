/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_file.c - reads config files into (file, line, section, key, value)
 * entries. Syntax only: the keys and values are cli.c's to judge, so that
 * a config line and the option it stands for are checked by the same code.
 *
 * A config file is the user's (or the admin's) own text, but it is still
 * read with the bounds of every other file bogus reads: a regular file of
 * at most 64 KiB, lines of at most 1024 bytes, no NUL and no control bytes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_file.h"
#include "file.h"
#include "xmalloc.h"

#define CONFIG_MAX_FILE (64 * 1024)
#define CONFIG_MAX_LINE 1024

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

static bool valid_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' &&
		    *s != '.')
			return false;
	return true;
}

/* "[profile NAME]" or "[resolvers NAME]" */
static int parse_section(char *s, enum config_section *sec, char **name,
			 char **why)
{
	size_t len = strlen(s);
	char *kind, *n;

	if (s[len - 1] != ']') {
		*why = xstrdup("a section header ends with ']'");
		return -1;
	}
	s[len - 1] = '\0';
	kind = trim(s + 1);
	n = kind + strcspn(kind, " \t");
	if (*n != '\0')
		*n++ = '\0';
	n = trim(n);
	if (strcmp(kind, "profile") == 0) {
		*sec = CONFIG_PROFILE;
	} else if (strcmp(kind, "resolvers") == 0) {
		*sec = CONFIG_RESOLVERS;
	} else {
		*why = xstrdup("unknown section (want [profile NAME] or [resolvers NAME])");
		return -1;
	}
	if (!valid_name(n)) {
		*why = xasprintf("[%s NAME] wants a name of letters, digits, '-', '_' or '.'",
				 kind);
		return -1;
	}
	*name = xstrdup(n);
	return 0;
}

int config_file_read(struct config_file *cf, const char *path,
		     bool must_exist, char **cause)
{
	char line[CONFIG_MAX_LINE + 2], *why = NULL, *sec_name = NULL;
	enum config_section sec = CONFIG_GLOBAL;
	const char *file;
	unsigned n = 0;
	FILE *f;
	int ret = -1;

	*cause = NULL;
	if ((f = file_open_regular(path, "config", CONFIG_MAX_FILE, &why)) == NULL) {
		if (errno == ENOENT && !must_exist) {
			free(why);
			return 0;
		}
		*cause = why;
		return -1;
	}
	file = *XAPPEND(cf->files, cf->n_files) = xstrdup(path);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s, *eq, *key, *value;
		struct config_entry *e;

		n++;
		if (strlen(line) > CONFIG_MAX_LINE) {
			why = xasprintf("line longer than %d bytes", CONFIG_MAX_LINE);
			goto bad;
		}
		for (s = line; *s != '\0'; s++) {
			if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' &&
			    *s != '\r') {
				why = xstrdup("control character");
				goto bad;
			}
		}
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[') {
			free(sec_name);
			sec_name = NULL;
			if (parse_section(s, &sec, &sec_name, &why) != 0)
				goto bad;
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			why = xasprintf("want 'key = value', not '%s'", s);
			goto bad;
		}
		*eq = '\0';
		key = trim(s);
		value = trim(eq + 1);
		if (*key == '\0' || *value == '\0') {
			why = xstrdup(*key == '\0' ? "no key before '='" :
				      "no value after '='");
			goto bad;
		}
		e = XAPPEND(cf->entries, cf->n_entries);
		e->file = file;
		e->line = n;
		e->section = sec;
		e->section_name = sec_name ? xstrdup(sec_name) : NULL;
		e->key = xstrdup(key);
		e->value = xstrdup(value);
	}
	if (ferror(f)) {
		*cause = xasprintf("%s: read error", path);
		goto out;
	}
	ret = 0;
	goto out;
bad:
	*cause = xasprintf("%s:%u: %s", path, n, why);
	free(why);
out:
	free(sec_name);
	fclose(f);
	return ret;
}

char *config_file_user_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/bogus/config", xdg);
	if (home != NULL && *home == '/')
		return xasprintf("%s/.config/bogus/config", home);
	return NULL;
}

void config_file_free(struct config_file *cf)
{
	if (cf == NULL)
		return;
	for (size_t i = 0; i < cf->n_entries; i++) {
		free(cf->entries[i].section_name);
		free(cf->entries[i].key);
		free(cf->entries[i].value);
	}
	free(cf->entries);
	for (size_t i = 0; i < cf->n_files; i++)
		free(cf->files[i]);
	free(cf->files);
	*cf = (struct config_file){ 0 };
}
