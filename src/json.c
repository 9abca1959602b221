/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json.c - jansson behind bogus's limits and escaping policy (json.h).
 *
 * The parser in front only counts nesting, outside strings, so that no
 * input can make jansson recurse deeper than JSON_MAX_DEPTH; everything
 * else (grammar, escapes, surrogates, UTF-8, numbers) is jansson's. The
 * writer side keeps escape.h's policy, which jansson does not know. No
 * I/O; no state between calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"
#include "xmalloc.h"

/* Byte offset where nesting first goes past JSON_MAX_DEPTH, or -1. */
static long too_deep_at(const char *text, size_t len)
{
	bool in_string = false, escaped = false;
	int depth = 0;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > JSON_MAX_DEPTH)
				return (long)i;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return -1;
}

json_t *json_parse(const char *text, size_t len, char **cause)
{
	json_error_t err;
	json_t *v;
	long deep;

	*cause = NULL;
	if ((deep = too_deep_at(text, len)) >= 0) {
		*cause = xasprintf("nested too deeply (more than %d) at byte %ld",
				   JSON_MAX_DEPTH, deep);
		return NULL;
	}
	v = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (v == NULL) {
		/* err.text may quote the input: keep it one safe line. */
		char *why = escape_text(err.text, 160);

		*cause = xasprintf("%s at byte %zu", why, (size_t)err.position);
		free(why);
	}
	return v;
}

const char *json_kind(const json_t *v)
{
	if (v == NULL)
		return "nothing";
	switch (json_typeof(v)) {
	case JSON_NULL: return "null";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_STRING: return "string";
	case JSON_ARRAY: return "array";
	case JSON_OBJECT: return "object";
	}
	return "?";
}

json_t *json_str(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, cap, o = 0;
	char *buf;
	json_t *v;

	if (s == NULL)
		return json_null();
	len = strlen(s);
	for (o = 0; o < len && u[o] < 0x80; o++)
		;
	if (o == len)	/* ASCII, as almost every string is: valid as it is */
		return json_stringn_nocheck(s, len);
	o = 0;
	cap = len * 4 + 1;	/* each bad byte becomes 4: \DDD */
	buf = xmalloc(cap);
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n = u[i] < 0x80 ? 1 : utf8_decode(u + i, len - i, &cp);

		if (n == 0) {
			o += (size_t)snprintf(buf + o, cap - o, "\\%03u", u[i]);
			i++;
		} else {
			memcpy(buf + o, s + i, n);
			o += n, i += n;
		}
	}
	v = json_stringn(buf, o);
	free(buf);
	return v != NULL ? v : json_string("");
}

/* Whether code point @p cp leaves a document as \uXXXX though jansson
 * would write it raw. */
static bool must_escape(unsigned cp)
{
	return cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	       escape_is_hidden_codepoint(cp);
}

char *json_render(const json_t *v, bool pretty)
{
	size_t flags = JSON_ENCODE_ANY | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
	char *raw = json_dumps(v, flags), *out;
	const unsigned char *u = (const unsigned char *)raw;
	size_t len, o = 0;

	if (raw == NULL)
		return NULL;
	/* jansson writes valid UTF-8 and ASCII syntax, so every non-ASCII
	 * code point (and DEL) here is inside a string. */
	len = strlen(raw);
	for (o = 0; o < len && u[o] < 0x7f; o++)
		;
	if (o == len)	/* nothing to escape: most documents */
		return raw;
	o = 0;
	out = xmalloc(len * 6 + 1);
	for (size_t i = 0; i < len;) {
		unsigned cp = u[i];
		size_t n;

		if (cp < 0x7f) {	/* most of it: plain ASCII */
			out[o++] = raw[i++];
			continue;
		}
		n = cp < 0x80 ? 1 : utf8_decode(u + i, len - i, &cp);
		if (n == 0)
			n = 1, cp = u[i];	/* not from jansson; keep */
		if (must_escape(cp) && cp <= 0xffff)
			o += (size_t)sprintf(out + o, "\\u%04X", cp);
		else
			memcpy(out + o, raw + i, n), o += n;
		i += n;
	}
	out[o] = '\0';
	free(raw);
	return out;
}

static json_t *top(struct json_builder *b)
{
	return b->depth > 0 ? b->stack[b->depth - 1] : NULL;
}

void json_builder_set(struct json_builder *b, const char *key, json_t *v)
{
	json_t *t = top(b);

	if (v == NULL)
		v = json_null();
	if (t == NULL) {
		json_decref(b->root);
		b->root = v;
	} else if (json_is_array(t)) {
		json_array_append_new(t, v);
	} else {
		json_object_set_new_nocheck(t, key, v);	/* our literals */
	}
}

void json_builder_open(struct json_builder *b, const char *key, char c)
{
	json_t *v = c == '[' ? json_array() : json_object();

	if (v == NULL)
		abort();	/* out of memory, as xmalloc */
	/* The parent (or root) owns v from here; the stack borrows it. */
	json_builder_set(b, key, v);
	if (b->depth < JSON_MAX_DEPTH)
		b->stack[b->depth++] = v;
}

void json_builder_close(struct json_builder *b)
{
	if (b->depth > 0)
		b->depth--;
}

json_t *json_builder_take(struct json_builder *b)
{
	json_t *v = b->root;

	*b = (struct json_builder){ 0 };
	return v;
}
