/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * anchor.h - trust anchors and root hints: load, check, or fall back to the
 * built-in IANA ones.
 *
 * libunbound accepts a missing or garbage anchor silently (and spins on a
 * directory), so bogus checks these files itself before any library sees them.
 */
#ifndef BOGUS_ANCHOR_H
#define BOGUS_ANCHOR_H

/**
 * Reads a trust anchor file (DS or DNSKEY RRs for ".", zone-file format, as
 * Unbound's trust-anchor-file). @p path NULL means the default: the Debian
 * file /usr/share/dns/root.key if present, else the built-in IANA anchors
 * (KSK-2017 tag 20326 and KSK-2024 tag 38696).
 * @param[out] text  new string, the anchor RRs; caller frees
 * @param[out] source new string naming the origin; caller frees
 * @param[out] cause on error, a new one-line reason; caller frees
 * @return 0, or -1 with @p cause set.
 */
int anchor_load(const char *path, char **text, char **source, char **cause);

/**
 * Reads a root hints file (NS for "." and the servers' A/AAAA). NULL means
 * /usr/share/dns/root.hints if present, else built-in hints. Same contract
 * as anchor_load().
 */
int hints_load(const char *path, char **text, char **source, char **cause);

#endif
