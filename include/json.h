/*
 * json.h - a small, defensive JSON reader for files bogus itself wrote
 * (incident recordings), which may still have been truncated, edited or
 * corrupted before they come back.
 *
 * json_parse() builds a tree from one complete JSON text. It never trusts
 * the input: nesting deeper than JSON_MAX_DEPTH, strings longer than the
 * input, invalid escapes, lone surrogates, raw control characters and
 * trailing garbage are errors with a one-line cause naming the byte offset.
 * Numbers are kept as int64 when they are integers that fit, else as
 * JSON_NUMBER (a double), so that "huge" is a type error for the caller,
 * not a silent wrap.
 *
 * Decoded strings keep their bytes: "\u0000" decodes to a NUL, so the
 * string as C sees it ends there (len still counts every byte). Bytes that
 * are not valid UTF-8 are kept raw, as untrusted network strings are inside
 * struct evidence: whoever shows them escapes them (escape.h).
 *
 * Ownership: the tree owns every node and string; json_free() releases it.
 * No globals: any thread may parse its own input.
 */
#ifndef BOGUS_JSON_H
#define BOGUS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 64	/* arrays and objects inside each other */

enum json_type {
	JSON_NULL = 0, JSON_BOOL, JSON_INT, JSON_NUMBER, JSON_STRING,
	JSON_ARRAY, JSON_OBJECT,
};

struct json_member;

struct json {
	enum json_type type;
	bool b;			/* JSON_BOOL */
	int64_t i;		/* JSON_INT */
	double d;		/* JSON_NUMBER (and JSON_INT, as a double) */
	char *s;		/* JSON_STRING: decoded, NUL-terminated */
	size_t len;		/* JSON_STRING: bytes, including any NUL */
	struct json **items;	/* JSON_ARRAY */
	size_t n_items;
	struct json_member *members;	/* JSON_OBJECT, in input order */
	size_t n_members;
};

struct json_member {
	char *key;
	struct json *value;
};

/**
 * Parses @p len bytes at @p text (need not be NUL-terminated) as one JSON
 * value, optionally surrounded by whitespace.
 * @param[out] cause on error a new one-line message; caller frees.
 * @return a new tree (json_free), or NULL on error.
 */
struct json *json_parse(const char *text, size_t len, char **cause);

/** Frees @p v and everything under it. NULL is a no-op. */
void json_free(struct json *v);

/** The first member named @p key of object @p v, or NULL (also if @p v
 *  is not an object). */
const struct json *json_get(const struct json *v, const char *key);

/** Writes @p s as a JSON string (quoted, through escape_json()), or null
 *  for NULL. The one way bogus writes a string into JSON Lines. */
void json_put_string(FILE *out, const char *s);

/** "null", "boolean", "integer", "number", "string", "array", "object". */
const char *json_type_name(enum json_type t);

#endif
