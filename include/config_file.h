/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_file.h - the config files (/etc/bogus/config,
 * $XDG_CONFIG_HOME/bogus/config): lines read, checked for syntax and kept
 * with their file and line, so that cli.c can apply them under the command
 * line and name the line of any value it refuses.
 *
 *	# comment
 *	key = value
 *	[profile NAME]
 *	[resolvers NAME]
 *
 * Which keys exist and what their values mean is cli.c's business: a key
 * is a long option's name.
 */
#ifndef BOGUS_CONFIG_FILE_H
#define BOGUS_CONFIG_FILE_H

#include <stdbool.h>
#include <stddef.h>

enum config_section { CONFIG_GLOBAL = 0, CONFIG_PROFILE, CONFIG_RESOLVERS };

struct config_entry {
	const char *file;		/* borrowed from config_file.files */
	unsigned line;
	enum config_section section;
	char *section_name;		/* NULL in the global section */
	char *key;
	char *value;
};

struct config_file {
	struct config_entry *entries;	/* owned, in file order */
	size_t n_entries;
	char **files;			/* owned: the files read, in order */
	size_t n_files;
};

/**
 * Reads @p path and appends its entries to @p cf (a later file's entries
 * come after, so that they win). A missing file is not an error unless
 * @p must_exist. Any thread, but one config_file per thread.
 * @param[out] cause on error a new "file:line: what" message; caller frees.
 * @return 0, or -1 (unreadable, not a regular file, bad line).
 */
int config_file_read(struct config_file *cf, const char *path,
		     bool must_exist, char **cause);

/** The user's config path ($XDG_CONFIG_HOME/bogus/config, else
 * ~/.config/bogus/config), new; NULL when neither is set. */
char *config_file_user_path(void);

/** Releases what @p cf owns and zeroes it. NULL is a no-op. */
void config_file_free(struct config_file *cf);

#endif
