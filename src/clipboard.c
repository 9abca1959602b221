/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * clipboard.c - OSC 52 encoding, the cleaning of copied text, and the
 * file that always receives a copy.
 *
 * It does not write to the terminal itself: ui.c does, between two
 * curses refreshes, so the sequence never lands inside curses' output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clipboard.h"
#include "escape.h"
#include "file.h"
#include "xmalloc.h"

char *clipboard_clean(const char *raw)
{
	const unsigned char *s = (const unsigned char *)(raw != NULL ? raw : "");
	size_t len = strlen((const char *)s), o = 0;
	char *out = xmalloc(len + 1);

	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (n == 0) {	/* not UTF-8: drop the byte */
			i++;
			continue;
		}
		if (o + n > CLIPBOARD_MAX)
			break;
		if (cp == '\t') {	/* a separator in record texts: keep it one */
			out[o++] = ' ';
		} else if (cp == '\n' || (cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0) &&
				   !escape_is_hidden_codepoint(cp))) {
			memcpy(out + o, s + i, n);
			o += n;
		}
		i += n;
	}
	while (o > 0 && out[o - 1] == '\n')
		o--;
	out[o] = '\0';
	return out;
}

char *clipboard_base64(const unsigned char *in, size_t len)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = xmalloc((len + 2) / 3 * 4 + 1), *p = out;

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;

		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		*p++ = abc[v >> 18 & 63];
		*p++ = abc[v >> 12 & 63];
		*p++ = i + 1 < len ? abc[v >> 6 & 63] : '=';
		*p++ = i + 2 < len ? abc[v & 63] : '=';
	}
	*p = '\0';
	return out;
}

char *clipboard_osc52(const char *text)
{
	char *b64 = clipboard_base64((const unsigned char *)text, strlen(text));
	/* BEL ends it: understood by xterm, tmux, kitty, foot, iTerm2. */
	char *seq = xasprintf("\033]52;c;%s\a", b64);

	free(b64);
	return seq;
}

char *clipboard_path(void)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (dir != NULL && dir[0] == '/' && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return xasprintf("%s/bogus-clipboard.txt", dir);
	return xasprintf("/tmp/bogus-clipboard-%lu.txt", (unsigned long)getuid());
}

static int copy_fill(FILE *f, const void *arg)
{
	return fputs(arg, f) < 0 || putc('\n', f) == EOF ? -1 : 0;
}

int clipboard_write_file(const char *path, const char *text, char **cause)
{
	struct stat st;

	/* Shared /tmp: replace only a file of ours (rename(2) would replace a
	 * planted symbolic link, not follow it, but say so rather than
	 * quietly take its place). */
	if (lstat(path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_uid != geteuid())) {
		*cause = xasprintf("cannot write %s: not a file of ours", path);
		return -1;
	}
	return file_write_atomic(path, NULL, 0600, copy_fill, text, cause);
}
