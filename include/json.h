/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json.h - JSON through jansson, with bogus's limits and escaping policy.
 *
 * Reading (json_parse): recordings come back from disk and may have been
 * truncated, edited or corrupted. jansson parses; in front of it a scan caps
 * nesting at JSON_MAX_DEPTH (jansson's own cap is 2048), and every error is
 * one line naming the byte offset. "\u0000" is accepted (JSON_ALLOW_NUL):
 * the C string then ends there. Integers that do not fit an int64 are
 * errors, not silent wraps; fractions are reals, a type error for callers
 * that want integers.
 *
 * Writing: strings enter a document only through json_str(), which keeps
 * valid UTF-8 and turns each byte that is not UTF-8 into the text \DDD (JSON
 * cannot carry it); documents leave only through json_render(), which
 * re-escapes what jansson leaves raw but escape.h says must stay visible
 * (DEL, C1 controls, bidi and zero-width characters, U+2028/9) as \uXXXX.
 * struct json_builder keeps the writers' field-by-field code flat.
 *
 * No globals of our own: any thread may parse or build its own documents.
 */
#ifndef BOGUS_JSON_H
#define BOGUS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define JSON_MAX_DEPTH 64	/* arrays and objects inside each other */

/*
 * Every JSON document bogus writes carries "schema_version": this one.
 * Compatibility promise: within a major version, fields and ids are only
 * ever added, never renamed or removed; the schemas live in schemas/.
 */
#define JSON_SCHEMA_VERSION "1.0"

/**
 * Parses @p len bytes at @p text (need not be NUL-terminated) as one JSON
 * value, optionally surrounded by whitespace.
 * @param[out] cause on error a new one-line message; caller frees.
 * @return a new reference (json_decref), or NULL on error.
 */
json_t *json_parse(const char *text, size_t len, char **cause);

/** "null", "boolean", "integer", "number", "string", "array", "object";
 *  "nothing" for NULL. */
const char *json_kind(const json_t *v);

/** A new JSON string from untrusted bytes (invalid UTF-8 as the text
 *  \DDD), or JSON null for NULL. Never NULL. */
json_t *json_str(const char *s);

/**
 * @p v as text, under the escaping policy above: compact on one line
 * (@p pretty false) or indented by 2. New string (caller frees), NULL only
 * when out of memory.
 */
char *json_render(const json_t *v, bool pretty);

/*
 * A document built top-down: open an object or array, set members (each
 * json_builder_set steals its value), close. Keys are ours (literals);
 * values from the network go through json_str().
 */
struct json_builder {
	json_t *root;
	json_t *stack[JSON_MAX_DEPTH];
	int depth;
};

/** Opens an object ('{') or array ('[') as member @p key of the current
 *  container (or an array item when @p key is NULL; the root at depth 0). */
void json_builder_open(struct json_builder *b, const char *key, char c);
/** Closes the innermost open container. */
void json_builder_close(struct json_builder *b);
/** Adds @p v (stolen) to the current container under @p key. */
void json_builder_set(struct json_builder *b, const char *key, json_t *v);
/** Takes the finished document (caller decrefs) and resets @p b. */
json_t *json_builder_take(struct json_builder *b);

#endif
