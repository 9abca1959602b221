/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz.h - what the fuzz targets in tests/fuzz/ share.
 *
 * Each target is one file with LLVMFuzzerTestOneInput(). `make fuzz` links
 * it with libFuzzer (clang); `make test` links it with replay_main.c (any
 * compiler) and replays tests/fuzz/corpus/<target>/. A broken property is
 * reported by FUZZ_CHECK, which prints why and aborts, so that both libFuzzer
 * and the replay count it as a crash.
 */
#ifndef BOGUS_FUZZ_H
#define BOGUS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, what) \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond, (what)))

void fuzz_fail(const char *file, int line, const char *cond, const char *what)
	__attribute__((noreturn));

/*
 * Runs @p s (untrusted, NUL-terminated) through every escape.h function and
 * checks each result: no C0 control byte, no DEL; JSON bodies are valid UTF-8
 * with no raw '"', and escape_text() output is printable ASCII within its cap.
 */
void fuzz_check_escapes(const char *s);

/*
 * Walks @p len bytes of @p s as UTF-8 (utf8_decode's rules): 1 if all are
 * well-formed, and *hidden set when a bidi, zero-width or C1 code point is
 * among them.
 */
int fuzz_utf8_scan(const char *s, size_t len, int *hidden);

struct evidence;

/*
 * Diagnoses @p ev as of @p now and writes the text report (plain and
 * coloured) and the JSON report into memory: no control byte but newline
 * (and, coloured, our own SGR sequences), no DEL, no NUL; JSON is UTF-8
 * with no hidden code point.
 */
void fuzz_check_reports(const struct evidence *ev, int64_t now);

/* A new NUL-terminated copy of the input (cut at an embedded NUL). */
char *fuzz_strndup(const uint8_t *data, size_t size);

#endif
