/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui_input.c - a bounded one-line editor: insert at the cursor, delete,
 * move by whole UTF-8 characters. The buffer never holds a control byte
 * or a partial character, whatever the keys.
 */
#include <string.h>

#include "escape.h"
#include "ui_input.h"

void ui_input_reset(struct ui_input *in)
{
	memset(in, 0, sizeof(*in));
}

static bool printable(unsigned cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return false;	/* C0, DEL, C1 */
	if (cp >= 0xd800 && cp <= 0xdfff)
		return false;	/* surrogates are not characters */
	return cp <= 0x10ffff && !escape_is_hidden_codepoint(cp);
}

static size_t encode(unsigned cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static bool continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t prev_char(const struct ui_input *in, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && continuation(in->buf[at]))
		at--;
	return at;
}

static size_t next_char(const struct ui_input *in, size_t at)
{
	if (at >= in->len)
		return in->len;
	at++;
	while (at < in->len && continuation(in->buf[at]))
		at++;
	return at;
}

/* Removes bytes [from, to). */
static void cut(struct ui_input *in, size_t from, size_t to)
{
	memmove(in->buf + from, in->buf + to, in->len - to + 1);
	in->len -= to - from;
	in->cur = from;
}

static void insert(struct ui_input *in, unsigned cp)
{
	char enc[4];
	size_t n;

	if (!printable(cp))
		return;
	n = encode(cp, enc);
	if (in->len + n > UI_INPUT_MAX) {
		in->full = true;
		return;
	}
	memmove(in->buf + in->cur + n, in->buf + in->cur, in->len - in->cur + 1);
	memcpy(in->buf + in->cur, enc, n);
	in->len += n;
	in->cur += n;
}

enum ui_input_result ui_input_apply(struct ui_input *in, enum ui_input_op op,
				    unsigned cp)
{
	in->full = false;
	switch (op) {
	case INPUT_NONE:
		break;
	case INPUT_CHAR:
		insert(in, cp);
		break;
	case INPUT_BACKSPACE:
		if (in->cur > 0)
			cut(in, prev_char(in, in->cur), in->cur);
		break;
	case INPUT_DELETE:
		if (in->cur < in->len)
			cut(in, in->cur, next_char(in, in->cur));
		break;
	case INPUT_LEFT:
		in->cur = prev_char(in, in->cur);
		break;
	case INPUT_RIGHT:
		in->cur = next_char(in, in->cur);
		break;
	case INPUT_HOME:
		in->cur = 0;
		break;
	case INPUT_END:
		in->cur = in->len;
		break;
	case INPUT_KILL:
		cut(in, 0, in->len);
		break;
	case INPUT_ENTER:
		return INPUT_DONE;
	case INPUT_CANCEL:
		return INPUT_CANCELLED;
	}
	return INPUT_EDITING;
}
