/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evidence_json.h - struct evidence as one line of JSON, and back.
 *
 * The codec behind incident recordings (recorder.h): every field of struct
 * evidence, named as in evidence.h, enums as their numbers in evidence.h,
 * times as Unix seconds. Strings go out through escape_json(), so the line
 * holds no raw control byte; a byte that is not UTF-8 goes out as the text
 * \DDD (JSON cannot carry it), which is the one way a round trip is not
 * byte for byte. Strings that were NULL are null.
 *
 * Decoding trusts nothing: a missing field, a wrong type, a number out of
 * the field's range or an unknown enum value is an error naming the field's
 * path; strings are cut at EVIDENCE_MAX_TEXT bytes and stay raw (they are
 * escaped when shown, as network strings are).
 */
#ifndef BOGUS_EVIDENCE_JSON_H
#define BOGUS_EVIDENCE_JSON_H

#include <stdio.h>

#include "evidence.h"
#include "json.h"

/** @p ev as a new JSON object (caller decrefs). */
json_t *evidence_json_build(const struct evidence *ev);

/** The same rendered on one line, as a new string (caller frees). */
char *evidence_json_encode(const struct evidence *ev);

/**
 * Builds a new struct evidence from the object @p v.
 * @param[out] cause on error a new one-line message naming the field.
 * @return new evidence (evidence_free), or NULL on error.
 */
struct evidence *evidence_json_decode(const json_t *v, char **cause);

#endif
