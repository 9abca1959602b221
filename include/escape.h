/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * escape.h - the one place untrusted bytes become displayable text.
 *
 * Everything that came off the network (record data, EDE text, NSID, names,
 * Unbound's why_bogus) passes through one of these before it reaches a
 * terminal, a text report or a JSON document. Each returns a new string that
 * the caller frees; NULL input gives "".
 *
 * A backslash is kept as it is: record texts arrive in DNS presentation
 * format, where \DDD and \X are already escapes, and escaping them again
 * would garble them. What matters is that no byte that a terminal obeys
 * (controls, ESC sequences, bidi overrides) survives.
 */
#ifndef BOGUS_ESCAPE_H
#define BOGUS_ESCAPE_H

#include <stddef.h>

/**
 * For text reports: printable ASCII stays, every other byte (controls, DEL,
 * bytes >= 0x80) becomes \DDD as in DNS presentation format. When
 * @p max_out is not 0 the result is cut to at most that many bytes, ending
 * in "..." when something was cut.
 */
char *escape_text(const char *in, size_t max_out);

/**
 * The body of a JSON string (no quotes): '"' and '\\' escaped, controls and
 * DEL as \u00XX, valid UTF-8 kept except C1 controls, bidi controls,
 * zero-width characters and U+2028/9 (as \uXXXX so they stay visible);
 * bytes that are not valid UTF-8 become the text \DDD.
 */
char *escape_json(const char *in);

/**
 * For the console. @p utf8 set: well-formed printable UTF-8 stays; C0/C1
 * controls, DEL, invalid sequences become \DDD and bidi controls and
 * zero-width characters become \u{XXXX}. @p utf8 clear (ASCII terminal):
 * every byte outside printable ASCII becomes \DDD.
 */
char *escape_display(const char *in, int utf8);

/**
 * Decodes one UTF-8 sequence at @p s (at most @p len bytes). Returns its
 * length and sets @p cp, or returns 0 for an invalid sequence (overlong,
 * surrogate, beyond U+10FFFF, truncated).
 */
size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp);

/** Whether @p cp must be shown escaped even in UTF-8 (invisible or bidi). */
int escape_is_hidden_codepoint(unsigned cp);

#endif
