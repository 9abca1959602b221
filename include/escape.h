/*
 * escape.h - the one place untrusted bytes become displayable text.
 *
 * Everything that came off the network (record data, EDE text, NSID, names,
 * Unbound's why_bogus) passes through one of these before it reaches a
 * terminal, a text report or a JSON document. Each returns a new string that
 * the caller frees; NULL input gives "".
 */
#ifndef BOGUS_ESCAPE_H
#define BOGUS_ESCAPE_H

#include <stddef.h>

/**
 * DNS presentation style for text output: printable ASCII stays, backslash
 * becomes "\\", every other byte (controls, DEL, bytes >= 0x80) becomes \DDD.
 * Output is cut at @p max_out bytes (0 = no cap) with a trailing "..." mark.
 */
char *escape_text(const char *in, size_t max_out);

/**
 * JSON string body (without the quotes): '"', '\\' and controls escaped,
 * valid UTF-8 kept, invalid bytes as \u00XX of the byte, bidi overrides and
 * zero-width characters as \uXXXX escapes so they stay visible.
 */
char *escape_json(const char *in);

/**
 * For a UTF-8 or ASCII terminal: like escape_text, but when @p utf8 is set,
 * well-formed printable UTF-8 is kept, while C0/C1 controls, DEL, invalid
 * sequences, bidi controls (U+202A-202E, U+2066-2069, U+200E/F) and
 * zero-width characters (U+200B-200D, U+2060, U+FEFF) become \DDD / \u{XXXX}.
 */
char *escape_display(const char *in, int utf8);

#endif
