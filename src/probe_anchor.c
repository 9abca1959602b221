/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_anchor.c - trust anchors and root hints, checked before any library
 * sees them.
 *
 * libunbound takes a missing or garbage anchor silently (and spins on a
 * directory), so bogus reads the files itself with ldns's zone-file parser,
 * insists on regular files of sane size holding the right record types, and
 * hands on a normalised text. Built-in defaults are the IANA root anchors and
 * the root hints as published by IANA (the same data Debian's dns-root-data
 * ships), for machines without /usr/share/dns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "anchor.h"
#include "file.h"
#include "xmalloc.h"

#define ANCHOR_DEFAULT_PATH "/usr/share/dns/root.key"
#define HINTS_DEFAULT_PATH "/usr/share/dns/root.hints"
#define INPUT_MAX_BYTES (256 * 1024)
#define INPUT_MAX_RRS 256

/* IANA root KSKs: KSK-2017 (tag 20326) and KSK-2024 (tag 38696), which has
 * signed the root since 11 October 2026. */
static const char builtin_anchor[] =
	". 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
	". 172800 IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16\n";

static const char builtin_hints[] =
	". 3600000 IN NS A.ROOT-SERVERS.NET.\n"
	"A.ROOT-SERVERS.NET. 3600000 IN A 198.41.0.4\n"
	"A.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:503:ba3e::2:30\n"
	". 3600000 IN NS B.ROOT-SERVERS.NET.\n"
	"B.ROOT-SERVERS.NET. 3600000 IN A 170.247.170.2\n"
	"B.ROOT-SERVERS.NET. 3600000 IN AAAA 2801:1b8:10::b\n"
	". 3600000 IN NS C.ROOT-SERVERS.NET.\n"
	"C.ROOT-SERVERS.NET. 3600000 IN A 192.33.4.12\n"
	"C.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:500:2::c\n"
	". 3600000 IN NS D.ROOT-SERVERS.NET.\n"
	"D.ROOT-SERVERS.NET. 3600000 IN A 199.7.91.13\n"
	"D.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:500:2d::d\n"
	". 3600000 IN NS E.ROOT-SERVERS.NET.\n"
	"E.ROOT-SERVERS.NET. 3600000 IN A 192.203.230.10\n"
	"E.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:500:a8::e\n"
	". 3600000 IN NS F.ROOT-SERVERS.NET.\n"
	"F.ROOT-SERVERS.NET. 3600000 IN A 192.5.5.241\n"
	"F.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:500:2f::f\n"
	". 3600000 IN NS G.ROOT-SERVERS.NET.\n"
	"G.ROOT-SERVERS.NET. 3600000 IN A 192.112.36.4\n"
	"G.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:500:12::d0d\n"
	". 3600000 IN NS H.ROOT-SERVERS.NET.\n"
	"H.ROOT-SERVERS.NET. 3600000 IN A 198.97.190.53\n"
	"H.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:500:1::53\n"
	". 3600000 IN NS I.ROOT-SERVERS.NET.\n"
	"I.ROOT-SERVERS.NET. 3600000 IN A 192.36.148.17\n"
	"I.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:7fe::53\n"
	". 3600000 IN NS J.ROOT-SERVERS.NET.\n"
	"J.ROOT-SERVERS.NET. 3600000 IN A 192.58.128.30\n"
	"J.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:503:c27::2:30\n"
	". 3600000 IN NS K.ROOT-SERVERS.NET.\n"
	"K.ROOT-SERVERS.NET. 3600000 IN A 193.0.14.129\n"
	"K.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:7fd::1\n"
	". 3600000 IN NS L.ROOT-SERVERS.NET.\n"
	"L.ROOT-SERVERS.NET. 3600000 IN A 199.7.83.42\n"
	"L.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:500:9f::42\n"
	". 3600000 IN NS M.ROOT-SERVERS.NET.\n"
	"M.ROOT-SERVERS.NET. 3600000 IN A 202.12.27.33\n"
	"M.ROOT-SERVERS.NET. 3600000 IN AAAA 2001:dc3::35\n";

enum input_kind { INPUT_ANCHOR, INPUT_HINTS };

/* Appends @p rr's text to the normalised output. */
static void append_rr(char **text, const ldns_rr *rr)
{
	char *s = ldns_rr2str(rr);
	char *joined = xasprintf("%s%s", *text ? *text : "", s ? s : "");

	free(s);
	free(*text);
	*text = joined;
}

/*
 * Checks one parsed RR. Anchors: DS or DNSKEY owned by ".". Hints: NS owned
 * by "." or A/AAAA. Returns a new cause on a bad record.
 */
static char *check_rr(enum input_kind kind, const ldns_rr *rr)
{
	ldns_rr_type t = ldns_rr_get_type(rr);
	bool root_owner = ldns_dname_label_count(ldns_rr_owner(rr)) == 0;
	char *type_name, *why;

	if (kind == INPUT_ANCHOR) {
		if (t != LDNS_RR_TYPE_DS && t != LDNS_RR_TYPE_DNSKEY)
			return xstrdup("only DS and DNSKEY records belong in a trust anchor");
		if (!root_owner)
			return xstrdup("the trust anchor must be for the root zone \".\"");
		return NULL;
	}
	if (t == LDNS_RR_TYPE_NS)
		return root_owner ? NULL : xstrdup("NS records in root hints must be owned by \".\"");
	if (t == LDNS_RR_TYPE_A || t == LDNS_RR_TYPE_AAAA)
		return NULL;
	type_name = ldns_rr_type2str(t);
	why = xasprintf("unexpected %s record in root hints",
			type_name ? type_name : "unknown");
	free(type_name);
	return why;
}

/* Parses zone-file text from @p f into normalised RR text. */
static int parse_input(FILE *f, enum input_kind kind, const char *origin_name,
		       char **text, char **cause)
{
	const char *what = kind == INPUT_ANCHOR ? "trust anchor" : "root hints";
	uint32_t default_ttl = 3600;
	ldns_rdf *origin = ldns_dname_new_frm_str(".");
	ldns_rdf *prev = NULL;
	int line = 1, n_rrs = 0, n_ns = 0, n_addr = 0;
	int ret = -1;

	*text = NULL;
	while (!feof(f)) {
		ldns_rr *rr = NULL;
		int start = line;	/* ldns counts the newline it consumed */
		ldns_status st = ldns_rr_new_frm_fp_l(&rr, f, &default_ttl,
						      &origin, &prev, &line);
		char *why;

		if (st == LDNS_STATUS_SYNTAX_EMPTY || st == LDNS_STATUS_SYNTAX_TTL ||
		    st == LDNS_STATUS_SYNTAX_ORIGIN)
			continue;
		if (st != LDNS_STATUS_OK) {
			if (feof(f) && st == LDNS_STATUS_SYNTAX_ERR && rr == NULL)
				break;	/* trailing blank or comment lines */
			*cause = xasprintf("%s %s, line %d: %s", what, origin_name,
					   start, ldns_get_errorstr_by_id(st));
			goto out;
		}
		if ((why = check_rr(kind, rr)) != NULL) {
			*cause = xasprintf("%s %s, line %d: %s", what, origin_name,
					   start, why);
			free(why);
			ldns_rr_free(rr);
			goto out;
		}
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS)
			n_ns++;
		else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_A ||
			 ldns_rr_get_type(rr) == LDNS_RR_TYPE_AAAA)
			n_addr++;
		append_rr(text, rr);
		ldns_rr_free(rr);
		if (++n_rrs > INPUT_MAX_RRS) {
			*cause = xasprintf("%s %s: more than %d records", what,
					   origin_name, INPUT_MAX_RRS);
			goto out;
		}
	}
	if (n_rrs == 0)
		*cause = xasprintf("%s %s holds no records", what, origin_name);
	else if (kind == INPUT_HINTS && (n_ns == 0 || n_addr == 0))
		*cause = xasprintf("%s %s needs NS records for \".\" and their addresses",
				   what, origin_name);
	else
		ret = 0;
out:
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	if (ret != 0) {
		free(*text);
		*text = NULL;
	}
	return ret;
}

static int load(enum input_kind kind, const char *path, const char *default_path,
		const char *builtin, char **text, char **source, char **cause)
{
	const char *what = kind == INPUT_ANCHOR ? "trust anchor" : "root hints";
	FILE *f;
	int ret;

	*text = *source = *cause = NULL;
	if (path == NULL && access(default_path, R_OK) == 0)
		path = default_path;
	if (path == NULL) {
		f = fmemopen((void *)builtin, strlen(builtin), "r");
		if (f == NULL) {
			*cause = xasprintf("cannot read built-in %s", what);
			return -1;
		}
		ret = parse_input(f, kind, "(built-in)", text, cause);
		if (ret == 0)
			*source = xstrdup("built-in");
	} else {
		if ((f = file_open_regular(path, what, INPUT_MAX_BYTES,
					   cause)) == NULL)
			return -1;
		ret = parse_input(f, kind, path, text, cause);
		if (ret == 0)
			*source = xstrdup(path);
	}
	fclose(f);
	return ret;
}

int anchor_load(const char *path, char **text, char **source, char **cause)
{
	return load(INPUT_ANCHOR, path, ANCHOR_DEFAULT_PATH, builtin_anchor,
		    text, source, cause);
}

int hints_load(const char *path, char **text, char **source, char **cause)
{
	return load(INPUT_HINTS, path, HINTS_DEFAULT_PATH, builtin_hints,
		    text, source, cause);
}
