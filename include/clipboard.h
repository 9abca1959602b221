/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * clipboard.h - copying a fix, a DS record or a command out of the
 * console: to the terminal's clipboard with OSC 52, and always also to a
 * file, because many terminals (and tmux without set-clipboard on) ignore
 * OSC 52 silently.
 *
 * The text copied came off the network in parts (names, record data), so
 * it is cleaned first: not escaped (a DS record must paste exactly), but
 * stripped of every byte a terminal or a shell would obey.
 */
#ifndef BOGUS_CLIPBOARD_H
#define BOGUS_CLIPBOARD_H

#include <stddef.h>

#define CLIPBOARD_MAX 65536	/* bytes copied at most (after cleaning) */

/**
 * What may be pasted of @p raw: newlines inside stay, a tab becomes a
 * space (record texts use tabs as separators); other controls (C0,
 * DEL, C1), bidi and zero-width characters and bytes that are not valid
 * UTF-8 are dropped; trailing newlines are dropped (a paste must not run
 * the last command by itself); cut to CLIPBOARD_MAX on a character
 * boundary. NULL gives "". Returns new; caller frees.
 */
char *clipboard_clean(const char *raw);

/** Standard base64 (RFC 4648, with padding) of @p len bytes. New string. */
char *clipboard_base64(const unsigned char *in, size_t len);

/**
 * The OSC 52 sequence that puts @p text on the terminal's clipboard:
 * ESC ] 52 ; c ; base64 BEL. New string; caller frees.
 */
char *clipboard_osc52(const char *text);

/**
 * Where the file copy goes: $XDG_RUNTIME_DIR/bogus-clipboard.txt when
 * that is an absolute directory, else /tmp/bogus-clipboard-UID.txt.
 * New string; caller frees.
 */
char *clipboard_path(void);

/**
 * Writes @p text and a final newline to @p path, mode 0600, refusing to
 * follow a symbolic link or to write a file someone else owns.
 * @param[out] cause on error a new one-line reason; caller frees.
 * @return 0, or -1.
 */
int clipboard_write_file(const char *path, const char *text, char **cause);

#endif
