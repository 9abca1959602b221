/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * export_md.h - the postmortem-ready Markdown summary of an incident
 * (--export FILE.md, the console's e key).
 *
 * Zone, time span, when validation recovered, a timeline, every finding
 * seen (id, severity, evidence, fix), and what people did (checklist ticks
 * and notes). Every string that came from the record passes through
 * export_md_escape(): no raw control byte, and no Markdown or HTML a
 * recording could smuggle in.
 */
#ifndef BOGUS_EXPORT_MD_H
#define BOGUS_EXPORT_MD_H

#include <stdio.h>

#include "incident.h"

/**
 * Writes the summary of @p inc to @p out. @p source says where it came
 * from (e.g. "recording rec.jsonl"); @p damage, if not NULL, is shown as a
 * warning (a damaged recording). Returns 0, or -1 on a write error.
 */
int export_md(FILE *out, const struct incident *inc, const char *source,
	      const char *damage);

/** The same into the file @p path (replaced). On error returns -1 and a
 *  new one-line @p cause. */
int export_md_file(const char *path, const struct incident *inc,
		   const char *source, const char *damage, char **cause);

/**
 * Untrusted text as inline Markdown: controls and invalid UTF-8 as \DDD,
 * bidi/zero-width as \u{XXXX} (escape_display), Markdown punctuation
 * backslash-escaped (so also '|' in tables), '<' '>' '&' as entities.
 * Returns a new string.
 */
char *export_md_escape(const char *in);

#endif
