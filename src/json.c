/*
 * json.c - a small recursive-descent JSON reader with hard limits.
 *
 * It reads what bogus wrote into a recording and must survive whatever that
 * file became: nesting is capped at JSON_MAX_DEPTH (so the recursion is
 * bounded), a string's decoded size is bounded by its encoded size, numbers
 * that do not fit an int64 stay doubles, and every error returns a cause
 * instead of crashing. It does no I/O and keeps no state between calls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"
#include "xmalloc.h"

struct json_parser {
	const char *p, *end, *start;
	char *cause;
};

static struct json *fail(struct json_parser *ps, const char *what)
{
	if (ps->cause == NULL) {
		if (ps->p >= ps->end)
			ps->cause = xasprintf("%s at byte %zu (end of input)", what,
					      (size_t)(ps->p - ps->start));
		else
			ps->cause = xasprintf("%s at byte %zu", what,
					      (size_t)(ps->p - ps->start));
	}
	return NULL;
}

static void skip_ws(struct json_parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static struct json *new_value(enum json_type t)
{
	struct json *v = xcalloc(1, sizeof(*v));

	v->type = t;
	return v;
}

static bool literal(struct json_parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return false;
	ps->p += n;
	return true;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* \uXXXX, and its low surrogate when it is a high one. ps->p is after 'u'. */
static int unicode_escape(struct json_parser *ps, unsigned *cp)
{
	unsigned hi, lo;

	if (ps->end - ps->p < 4 || hex4(ps->p, &hi) != 0)
		return fail(ps, "invalid \\u escape (want 4 hex digits)"), -1;
	ps->p += 4;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return fail(ps, "invalid \\u escape (lone low surrogate)"), -1;
	if (hi < 0xd800 || hi > 0xdbff) {
		*cp = hi;
		return 0;
	}
	if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' ||
	    hex4(ps->p + 2, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
		return fail(ps, "invalid \\u escape (lone high surrogate)"), -1;
	ps->p += 6;
	*cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	return 0;
}

/* ps->p is on the opening quote. The decoded text is never longer than
 * the encoded one, so one allocation of the encoded size suffices. */
static char *parse_string(struct json_parser *ps, size_t *len_out)
{
	const char *q = ps->p + 1;
	char *out, *o;

	while (q < ps->end && *q != '"')
		q += (*q == '\\' && q + 1 < ps->end) ? 2 : 1;
	if (q >= ps->end)
		return fail(ps, "unterminated string"), NULL;
	out = o = xmalloc((size_t)(q - ps->p));
	ps->p++;
	while (*ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;

		if (c < 0x20) {
			fail(ps, "raw control character in string");
			free(out);
			return NULL;
		}
		if (c != '\\') {
			*o++ = (char)c;
			ps->p++;
			continue;
		}
		ps->p++;
		switch (*ps->p++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned cp;

			if (unicode_escape(ps, &cp) != 0) {
				free(out);
				return NULL;
			}
			o += put_utf8(o, cp);
			break;
		}
		default:
			ps->p--;
			fail(ps, "invalid escape in string");
			free(out);
			return NULL;
		}
	}
	ps->p++;
	*o = '\0';
	*len_out = (size_t)(o - out);
	return out;
}

static struct json *parse_number(struct json_parser *ps)
{
	const char *s = ps->p;
	bool integral = true;
	char buf[64];
	struct json *v;
	size_t n;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
		return fail(ps, "invalid number");
	if (*ps->p == '0' && ps->p + 1 < ps->end && ps->p[1] >= '0' && ps->p[1] <= '9')
		return fail(ps, "invalid number (leading zero)");
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '.') {
		integral = false;
		ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "invalid number (digit expected after '.')");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		integral = false;
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "invalid number (digit expected in exponent)");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	n = (size_t)(ps->p - s);
	v = new_value(JSON_NUMBER);
	if (n >= sizeof(buf)) {
		v->d = s[0] == '-' ? -1e308 : 1e308;	/* far out of any range */
		return v;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	if (integral) {
		long long ll = strtoll(buf, NULL, 10);

		if (errno == 0) {
			v->type = JSON_INT;
			v->i = ll;
			v->d = (double)ll;
			return v;
		}
	}
	v->d = strtod(buf, NULL);
	return v;
}

static struct json *parse_value(struct json_parser *ps, int depth);

static struct json *parse_array(struct json_parser *ps, int depth)
{
	struct json *v = new_value(JSON_ARRAY), *item;

	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return v;
	}
	for (;;) {
		if ((item = parse_value(ps, depth + 1)) == NULL)
			goto err;
		*XAPPEND(v->items, v->n_items) = item;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return v;
		}
		fail(ps, "expected ',' or ']' in array");
		goto err;
	}
err:
	json_free(v);
	return NULL;
}

static struct json *parse_object(struct json_parser *ps, int depth)
{
	struct json *v = new_value(JSON_OBJECT);

	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return v;
	}
	for (;;) {
		struct json_member *m;
		struct json *val;
		char *key;
		size_t klen;

		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"') {
			fail(ps, "expected a string key in object");
			goto err;
		}
		if ((key = parse_string(ps, &klen)) == NULL)
			goto err;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':') {
			free(key);
			fail(ps, "expected ':' after key");
			goto err;
		}
		ps->p++;
		if ((val = parse_value(ps, depth + 1)) == NULL) {
			free(key);
			goto err;
		}
		m = XAPPEND(v->members, v->n_members);
		m->key = key;
		m->value = val;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return v;
		}
		fail(ps, "expected ',' or '}' in object");
		goto err;
	}
err:
	json_free(v);
	return NULL;
}

static struct json *parse_value(struct json_parser *ps, int depth)
{
	struct json *v;

	if (depth > JSON_MAX_DEPTH)
		return fail(ps, "nested too deeply");
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "truncated: value expected");
	switch (*ps->p) {
	case '{':
		return parse_object(ps, depth);
	case '[':
		return parse_array(ps, depth);
	case '"':
		v = new_value(JSON_STRING);
		if ((v->s = parse_string(ps, &v->len)) == NULL) {
			free(v);
			return NULL;
		}
		return v;
	case 't':
	case 'f':
		if (literal(ps, "true") || literal(ps, "false")) {
			v = new_value(JSON_BOOL);
			v->b = ps->p[-1] == 'e' && ps->p[-4] == 't';
			return v;
		}
		return fail(ps, "invalid literal");
	case 'n':
		if (literal(ps, "null"))
			return new_value(JSON_NULL);
		return fail(ps, "invalid literal");
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return parse_number(ps);
		return fail(ps, "unexpected character");
	}
}

struct json *json_parse(const char *text, size_t len, char **cause)
{
	struct json_parser ps = { .p = text, .end = text + len, .start = text };
	struct json *v;

	*cause = NULL;
	v = parse_value(&ps, 1);
	if (v != NULL) {
		skip_ws(&ps);
		if (ps.p != ps.end) {
			json_free(v);
			v = fail(&ps, "trailing data after the value");
		}
	}
	*cause = ps.cause;
	return v;
}

void json_free(struct json *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n_items; i++)
		json_free(v->items[i]);
	for (size_t i = 0; i < v->n_members; i++) {
		free(v->members[i].key);
		json_free(v->members[i].value);
	}
	free(v->items);
	free(v->members);
	free(v->s);
	free(v);
}

const struct json *json_get(const struct json *v, const char *key)
{
	if (v == NULL || v->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < v->n_members; i++)
		if (strcmp(v->members[i].key, key) == 0)
			return v->members[i].value;
	return NULL;
}

const char *json_type_name(enum json_type t)
{
	switch (t) {
	case JSON_NULL: return "null";
	case JSON_BOOL: return "boolean";
	case JSON_INT: return "integer";
	case JSON_NUMBER: return "number";
	case JSON_STRING: return "string";
	case JSON_ARRAY: return "array";
	case JSON_OBJECT: return "object";
	}
	return "?";
}

void json_put_string(FILE *out, const char *s)
{
	char *e;

	if (s == NULL) {
		fputs("null", out);
		return;
	}
	e = escape_json(s);
	fprintf(out, "\"%s\"", e);
	free(e);
}
