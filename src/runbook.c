/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runbook.c - planned changes as phases whose gates are checked against live
 * evidence.
 *
 * The rule of every rollover is the same: nothing old may go before the new
 * has been seen everywhere (every nameserver address, every parent server)
 * and caches have had the TTL to forget the old. So the runbook keeps the
 * moments things were first seen everywhere, and each wait is such a moment
 * plus a TTL taken from the evidence. Pure: no I/O, no clock.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "runbook.h"
#include "xmalloc.h"

#define MAX_TAGS 16
/* Only when no NS TTL was seen (an older recording, a parent that did not
 * answer): TLDs commonly use two days. Always labelled "assumed". */
#define ASSUMED_NS_TTL 172800

struct moment {
	uint16_t tag;
	int64_t at;
};

struct runbook {
	enum runbook_kind kind;
	bool initialized;
	/* KSKs (or ZSKs) in use at the start; for an algorithm rollover the
	 * old algorithms, and the moments below are kept per algorithm. */
	uint16_t old_keys[MAX_TAGS];
	size_t n_old_keys;
	char **old_ns;			/* parent NS set at the start */
	size_t n_old_ns;
	struct moment *key_everywhere;	/* key first served by every address */
	size_t n_key_everywhere;
	struct moment *ds_everywhere;	/* DS first seen at every parent server */
	size_t n_ds_everywhere;
	struct moment *ds_gone;		/* old DS first gone from every parent server */
	size_t n_ds_gone;
	struct moment *signing;		/* zone data first signed by key everywhere */
	size_t n_signing;
	int64_t delegation_changed_at;
};

static const char *const kind_names[] = {
	[RUNBOOK_KSK_ROLLOVER] = "ksk-rollover",
	[RUNBOOK_ZSK_ROLLOVER] = "zsk-rollover",
	[RUNBOOK_PROVIDER_MIGRATION] = "provider-migration",
	[RUNBOOK_ALGORITHM_ROLLOVER] = "algorithm-rollover",
};

int runbook_kind_parse(const char *name, enum runbook_kind *out)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
		if (strcmp(name, kind_names[i]) == 0) {
			*out = (enum runbook_kind)i;
			return 0;
		}
	}
	return -1;
}

const char *runbook_kind_name(enum runbook_kind kind)
{
	return kind_names[kind];
}

struct runbook *runbook_new(enum runbook_kind kind)
{
	struct runbook *rb = xcalloc(1, sizeof(*rb));

	rb->kind = kind;
	return rb;
}

void runbook_free(struct runbook *rb)
{
	if (rb == NULL)
		return;
	for (size_t i = 0; i < rb->n_old_ns; i++)
		free(rb->old_ns[i]);
	free(rb->old_ns);
	free(rb->key_everywhere);
	free(rb->ds_everywhere);
	free(rb->ds_gone);
	free(rb->signing);
	free(rb);
}

/* ---- questions asked of one snapshot ---- */

static const struct chain_link *zone_link(const struct evidence *ev)
{
	if (ev->n_chain == 0 || strcmp(ev->chain[ev->n_chain - 1].zone, ev->zone) != 0)
		return NULL;
	return &ev->chain[ev->n_chain - 1];
}

static bool is_ksk(const struct key_info *k)
{
	return (k->flags & 0x0001) != 0 && (k->flags & 0x0080) == 0;
}

static bool has_tag(const uint16_t *tags, size_t n, uint16_t tag)
{
	for (size_t i = 0; i < n; i++)
		if (tags[i] == tag)
			return true;
	return false;
}

static bool has_name(char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* Nameserver addresses that answered the DNSKEY query at all. */
static bool ns_answered(const struct ns_ev *ns)
{
	return ns->address != NULL &&
	       (ns->dnskey_udp.outcome == OUTCOME_ANSWER ||
		ns->dnskey_tcp.outcome == OUTCOME_ANSWER);
}

/* Is @p tag in the DNSKEY RRset of every address? Lists the ones without. */
static bool key_served_everywhere(const struct evidence *ev, uint16_t tag,
				  char **missing)
{
	size_t asked = 0, have = 0;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];

		if (ns->address == NULL)
			continue;
		asked++;
		if (ns_answered(ns) && has_tag(ns->dnskey_tags, ns->n_dnskey_tags, tag)) {
			have++;
		} else if (missing != NULL) {
			char *s = xasprintf("%s%s%s (%s)", *missing ? *missing : "",
					    *missing ? ", " : "", ns->name, ns->address);

			free(*missing);
			*missing = s;
		}
	}
	return asked > 0 && have == asked;
}

static bool key_served_anywhere(const struct evidence *ev, uint16_t tag)
{
	for (size_t i = 0; i < ev->n_nameservers; i++)
		if (has_tag(ev->nameservers[i].dnskey_tags,
			    ev->nameservers[i].n_dnskey_tags, tag))
			return true;
	return false;
}

/* How many parent servers answered, and how many show a DS with @p tag. */
static void ds_presence(const struct chain_link *l, uint16_t tag,
			size_t *answered, size_t *with)
{
	*answered = *with = 0;
	for (size_t i = 0; l && i < l->n_ds_views; i++) {
		const struct ds_view *v = &l->ds_views[i];

		if (v->reply.outcome != OUTCOME_ANSWER)
			continue;
		(*answered)++;
		for (size_t j = 0; j < v->n_ds; j++) {
			if (v->ds[j].tag == tag) {
				(*with)++;
				break;
			}
		}
	}
}

static const struct key_info *find_key(const struct chain_link *l, uint16_t tag)
{
	for (size_t i = 0; l && i < l->n_keys; i++)
		if (l->keys[i].tag == tag)
			return &l->keys[i];
	return NULL;
}

/* Keys of the wanted role in use now: KSKs matched by a DS, or ZSKs. */
static size_t current_keys(const struct chain_link *l, enum runbook_kind kind,
			   uint16_t *tags)
{
	size_t n = 0;

	for (size_t i = 0; l && i < l->n_ds && n < MAX_TAGS; i++) {
		if (kind == RUNBOOK_ZSK_ROLLOVER)
			break;
		if (l->ds[i].match == DS_MATCH_OK && !has_tag(tags, n, l->ds[i].tag))
			tags[n++] = l->ds[i].tag;
	}
	for (size_t i = 0; kind == RUNBOOK_ZSK_ROLLOVER && l && i < l->n_keys && n < MAX_TAGS; i++)
		if (!is_ksk(&l->keys[i]) && (l->keys[i].flags & 0x0080) == 0)
			tags[n++] = l->keys[i].tag;
	return n;
}

/* Served keys of the runbook's role that were not in use at the start. */
static size_t new_keys(const struct runbook *rb, const struct chain_link *l,
		       uint16_t *tags)
{
	size_t n = 0;

	for (size_t i = 0; l && i < l->n_keys && n < MAX_TAGS; i++) {
		const struct key_info *k = &l->keys[i];
		bool role = rb->kind == RUNBOOK_ZSK_ROLLOVER ? !is_ksk(k) : is_ksk(k);

		if (role && (k->flags & 0x0080) == 0 &&
		    !has_tag(rb->old_keys, rb->n_old_keys, k->tag))
			tags[n++] = k->tag;
	}
	return n;
}

/* Does every server's zone data carry a valid signature by @p tag? */
static bool zone_signed_everywhere(const struct evidence *ev, uint16_t tag)
{
	size_t servers = 0;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		bool signed_by = false;

		if (!ns_answered(ns))
			continue;
		servers++;
		for (size_t c = 0; c < ns->n_checks && !signed_by; c++)
			for (size_t s = 0; s < ns->checks[c].n_sigs; s++)
				if (ns->checks[c].sigs[s].key_tag == tag &&
				    ns->checks[c].sigs[s].check == SIG_VALID)
					signed_by = true;
		if (!signed_by)
			return false;
	}
	return servers > 0;
}

static uint32_t max_data_ttl(const struct evidence *ev)
{
	uint32_t ttl = 0;

	for (size_t i = 0; i < ev->n_nameservers; i++)
		for (size_t c = 0; c < ev->nameservers[i].n_checks; c++)
			for (size_t s = 0; s < ev->nameservers[i].checks[c].n_sigs; s++)
				if (ev->nameservers[i].checks[c].sigs[s].original_ttl > ttl)
					ttl = ev->nameservers[i].checks[c].sigs[s].original_ttl;
	return ttl;
}

/* ---- memory across refreshes ---- */

static struct moment *find_moment(struct moment *v, size_t n, uint16_t tag)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].tag == tag)
			return &v[i];
	return NULL;
}

static void remember(struct moment **v, size_t *n, uint16_t tag, bool now_true,
		     int64_t now)
{
	struct moment *m = find_moment(*v, *n, tag);

	if (now_true && m == NULL) {
		m = XAPPEND(*v, *n);
		m->tag = tag;
		m->at = now;
	} else if (!now_true && m != NULL) {
		*m = (*v)[--*n];	/* it went away again: the clock restarts */
	}
}

/* ---- algorithm rollover: the moments and old_keys hold algorithms ---- */

/* Does every signed RRset on every answering server carry an RRSIG of
 * @p alg? Appends the ones without to *@p missing (deduplicated). */
static bool alg_signs_everything(const struct evidence *ev, uint8_t alg,
				 char **missing)
{
	size_t servers = 0;
	bool all = true;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];

		if (!ns_answered(ns))
			continue;
		servers++;
		for (size_t c = 0; c < ns->n_checks; c++) {
			const struct zone_rrset_check *ck = &ns->checks[c];
			bool has = false;
			char tb[16], *item;

			if (ck->n_sigs == 0)
				continue;	/* unsigned data is another finding */
			for (size_t s = 0; s < ck->n_sigs && !has; s++)
				has = ck->sigs[s].algorithm == alg;
			if (has)
				continue;
			all = false;
			if (missing == NULL)
				continue;
			item = xasprintf("%s %s", ck->qname ? ck->qname : "?",
					 rrtype_name(ck->qtype, tb));
			if (*missing == NULL || strstr(*missing, item) == NULL) {
				char *s2 = xasprintf("%s%s%s", *missing ? *missing : "",
						     *missing ? ", " : "", item);

				free(*missing);
				*missing = s2;
			}
			free(item);
		}
	}
	return servers > 0 && all;
}

/* Every algorithm seen in the zone's DS, DNSKEY or RRSIG records. */
static size_t algs_seen(const struct evidence *ev, const struct chain_link *l,
			uint16_t *algs)
{
	size_t n = 0;

#define ADD_ALG(a) do { if ((a) != 0 && n < MAX_TAGS && !has_tag(algs, n, (a))) algs[n++] = (a); } while (0)
	for (size_t i = 0; l && i < l->n_ds; i++)
		ADD_ALG(l->ds[i].algorithm);
	for (size_t i = 0; l && i < l->n_keys; i++)
		ADD_ALG(l->keys[i].algorithm);
	for (size_t i = 0; i < ev->n_nameservers; i++)
		for (size_t c = 0; c < ev->nameservers[i].n_checks; c++)
			for (size_t s = 0; s < ev->nameservers[i].checks[c].n_sigs; s++)
				ADD_ALG(ev->nameservers[i].checks[c].sigs[s].algorithm);
#undef ADD_ALG
	return n;
}

/* The algorithms in use at the start: those of a DS matching a served key
 * that also sign every RRset; failing that, those of any matching DS. */
static size_t old_algs(const struct evidence *ev, const struct chain_link *l,
		       uint16_t *algs)
{
	size_t n = 0;

	for (int pass = 0; pass < 2 && n == 0; pass++)
		for (size_t i = 0; l && i < l->n_ds && n < MAX_TAGS; i++) {
			uint8_t a = l->ds[i].algorithm;

			if (l->ds[i].match == DS_MATCH_OK && !has_tag(algs, n, a) &&
			    (pass == 1 || alg_signs_everything(ev, a, NULL)))
				algs[n++] = a;
		}
	return n;
}

static size_t new_algs(const struct runbook *rb, const struct evidence *ev,
		       const struct chain_link *l, uint16_t *algs)
{
	uint16_t seen[MAX_TAGS];
	size_t ns = algs_seen(ev, l, seen), n = 0;

	for (size_t i = 0; i < ns; i++)
		if (!has_tag(rb->old_keys, rb->n_old_keys, seen[i]))
			algs[n++] = seen[i];
	return n;
}

/* Is a key of @p alg in the DNSKEY RRset of every address? */
static bool alg_key_everywhere(const struct evidence *ev,
			       const struct chain_link *l, uint16_t alg)
{
	for (size_t i = 0; l && i < l->n_keys; i++)
		if (l->keys[i].algorithm == alg && (l->keys[i].flags & 0x0080) == 0 &&
		    key_served_everywhere(ev, l->keys[i].tag, NULL))
			return true;
	return false;
}

/* How many parent servers answered, and how many show a DS of @p alg. */
static void ds_alg_presence(const struct chain_link *l, uint16_t alg,
			    size_t *answered, size_t *with)
{
	*answered = *with = 0;
	for (size_t i = 0; l && i < l->n_ds_views; i++) {
		const struct ds_view *v = &l->ds_views[i];

		if (v->reply.outcome != OUTCOME_ANSWER)
			continue;
		(*answered)++;
		for (size_t j = 0; j < v->n_ds; j++) {
			if (v->ds[j].algorithm == alg) {
				(*with)++;
				break;
			}
		}
	}
}

static void observe_algorithm(struct runbook *rb, const struct evidence *ev,
			      const struct chain_link *l, int64_t now)
{
	uint16_t na[MAX_TAGS];
	size_t n = new_algs(rb, ev, l, na), answered, with;

	for (size_t i = 0; i < n; i++) {
		remember(&rb->key_everywhere, &rb->n_key_everywhere, na[i],
			 alg_key_everywhere(ev, l, na[i]), now);
		ds_alg_presence(l, na[i], &answered, &with);
		remember(&rb->ds_everywhere, &rb->n_ds_everywhere, na[i],
			 answered > 0 && with == answered, now);
	}
	for (size_t i = 0; i < rb->n_old_keys; i++) {
		ds_alg_presence(l, rb->old_keys[i], &answered, &with);
		remember(&rb->ds_gone, &rb->n_ds_gone, rb->old_keys[i],
			 answered > 0 && with == 0, now);
	}
}

void runbook_observe(struct runbook *rb, const struct evidence *ev, int64_t now)
{
	const struct chain_link *l = zone_link(ev);
	uint16_t tags[MAX_TAGS];
	size_t n;

	if (!rb->initialized) {
		rb->n_old_keys = rb->kind == RUNBOOK_ALGORITHM_ROLLOVER
				 ? old_algs(ev, l, rb->old_keys)
				 : current_keys(l, rb->kind, rb->old_keys);
		for (size_t i = 0; i < ev->n_parent_ns; i++)
			*XAPPEND(rb->old_ns, rb->n_old_ns) = xstrdup(ev->parent_ns[i]);
		rb->initialized = true;
	}
	if (rb->kind == RUNBOOK_ALGORITHM_ROLLOVER) {
		observe_algorithm(rb, ev, l, now);
		return;
	}
	n = new_keys(rb, l, tags);
	for (size_t i = 0; i < n; i++) {
		size_t answered, with;

		remember(&rb->key_everywhere, &rb->n_key_everywhere, tags[i],
			 key_served_everywhere(ev, tags[i], NULL), now);
		ds_presence(l, tags[i], &answered, &with);
		remember(&rb->ds_everywhere, &rb->n_ds_everywhere, tags[i],
			 answered > 0 && with == answered, now);
		remember(&rb->signing, &rb->n_signing, tags[i],
			 zone_signed_everywhere(ev, tags[i]), now);
	}
	for (size_t i = 0; i < rb->n_old_keys; i++) {
		size_t answered, with;

		ds_presence(l, rb->old_keys[i], &answered, &with);
		remember(&rb->ds_gone, &rb->n_ds_gone, rb->old_keys[i],
			 answered > 0 && with == 0, now);
	}
	if (rb->delegation_changed_at == 0 && rb->n_old_ns > 0) {
		for (size_t i = 0; i < ev->n_parent_ns; i++)
			if (!has_name(rb->old_ns, rb->n_old_ns, ev->parent_ns[i]))
				rb->delegation_changed_at = now;
	}
}

/* ---- memory kept in a file between --once runs ---- */

#define STATE_MAGIC "bogus-runbook 1"
/* Room for "old-ns" and the longest name in presentation format: 255
 * bytes, each shown as \DDD in the worst case. */
#define STATE_LINE_MAX 1100
#define STATE_ARG_FMT "%1099s"

static const struct {
	const char *key;
	size_t offset_v, offset_n;	/* the moment array in struct runbook */
} moment_keys[] = {
	{ "key-everywhere", offsetof(struct runbook, key_everywhere),
	  offsetof(struct runbook, n_key_everywhere) },
	{ "ds-everywhere", offsetof(struct runbook, ds_everywhere),
	  offsetof(struct runbook, n_ds_everywhere) },
	{ "ds-gone", offsetof(struct runbook, ds_gone),
	  offsetof(struct runbook, n_ds_gone) },
	{ "signing", offsetof(struct runbook, signing),
	  offsetof(struct runbook, n_signing) },
};

#define MOMENTS(rb, i) ((struct moment **)((char *)(rb) + moment_keys[i].offset_v))
#define N_MOMENTS(rb, i) ((size_t *)((char *)(rb) + moment_keys[i].offset_n))

struct state_args {
	const struct runbook *rb;
	const char *zone;
};

static int state_fill(FILE *f, const void *arg)
{
	const struct state_args *a = arg;
	const struct runbook *rb = a->rb;

	fprintf(f, "%s\nkind %s\nzone %s\n", STATE_MAGIC,
		runbook_kind_name(rb->kind), a->zone);
	if (rb->initialized)
		fputs("initialized\n", f);
	for (size_t i = 0; i < rb->n_old_keys; i++)
		fprintf(f, "old-key %u\n", rb->old_keys[i]);
	for (size_t i = 0; i < rb->n_old_ns; i++)
		fprintf(f, "old-ns %s\n", rb->old_ns[i]);
	for (size_t k = 0; k < sizeof(moment_keys) / sizeof(moment_keys[0]); k++) {
		struct moment *v = *MOMENTS((struct runbook *)rb, k);
		size_t n = *N_MOMENTS((struct runbook *)rb, k);

		for (size_t i = 0; i < n; i++)
			fprintf(f, "%s %u %" PRId64 "\n", moment_keys[k].key,
				v[i].tag, v[i].at);
	}
	if (rb->delegation_changed_at != 0)
		fprintf(f, "delegation-changed %" PRId64 "\n",
			rb->delegation_changed_at);
	return ferror(f) ? -1 : 0;
}

int runbook_save(const struct runbook *rb, const char *zone, const char *path,
		 char **cause)
{
	struct state_args a = { rb, zone };

	return file_write_atomic(path, "runbook state", 0666, state_fill, &a, cause);
}

/* Parses one line of a state file into @p rb; a new cause on error. */
static char *parse_state_line(struct runbook *rb, char *line, enum runbook_kind kind,
			      const char *zone)
{
	char word[32], arg[STATE_LINE_MAX];
	unsigned tag;
	long long at;

	if (sscanf(line, "%31s " STATE_ARG_FMT, word, arg) < 1)
		return NULL;	/* blank */
	if (strcmp(word, "kind") == 0)
		return strcmp(arg, runbook_kind_name(kind)) == 0 ? NULL :
			xasprintf("it is for --runbook %s", arg);
	if (strcmp(word, "zone") == 0)
		return strcmp(arg, zone) == 0 ? NULL : xasprintf("it is for zone %s", arg);
	if (strcmp(word, "initialized") == 0) {
		rb->initialized = true;
		return NULL;
	}
	if (strcmp(word, "old-key") == 0) {
		if (sscanf(arg, "%u", &tag) != 1 || tag > 65535 || rb->n_old_keys >= MAX_TAGS)
			return xstrdup("bad old-key");
		rb->old_keys[rb->n_old_keys++] = (uint16_t)tag;
		return NULL;
	}
	if (strcmp(word, "old-ns") == 0) {
		*XAPPEND(rb->old_ns, rb->n_old_ns) = xstrdup(arg);
		return NULL;
	}
	if (strcmp(word, "delegation-changed") == 0) {
		if (sscanf(arg, "%lld", &at) != 1 || at < 0)
			return xstrdup("bad delegation-changed time");
		rb->delegation_changed_at = at;
		return NULL;
	}
	for (size_t k = 0; k < sizeof(moment_keys) / sizeof(moment_keys[0]); k++) {
		if (strcmp(word, moment_keys[k].key) != 0)
			continue;
		if (sscanf(line, "%*s %u %lld", &tag, &at) != 2 || tag > 65535 || at < 0)
			return xasprintf("bad %s line", word);
		struct moment *m = XAPPEND(*MOMENTS(rb, k), *N_MOMENTS(rb, k));

		m->tag = (uint16_t)tag;
		m->at = at;
		return NULL;
	}
	return xasprintf("unknown entry '%s'", word);
}

int runbook_load(const char *path, enum runbook_kind kind, const char *zone,
		 struct runbook **out, char **cause)
{
	char line[STATE_LINE_MAX + 64];
	struct runbook *rb = runbook_new(kind);
	char *why = NULL;
	FILE *f = file_open_regular(path, "runbook state", 0, &why);
	int line_no = 0;

	*out = NULL;
	if (f == NULL) {
		if (errno == ENOENT) {
			free(why);
			*out = rb;	/* first run: nothing remembered yet */
			return 0;
		}
		*cause = why;
		runbook_free(rb);
		return -1;
	}
	while (why == NULL && fgets(line, sizeof(line), f) != NULL) {
		line_no++;
		if (strchr(line, '\n') == NULL && !feof(f))
			why = xstrdup("line too long");
		else if (line_no == 1)
			why = strncmp(line, STATE_MAGIC, strlen(STATE_MAGIC)) == 0 ?
				NULL : xstrdup("not a bogus runbook state file");
		else
			why = parse_state_line(rb, line, kind, zone);
	}
	if (why == NULL && ferror(f))
		why = xstrdup(strerror(errno));	/* e.g. a directory */
	else if (why == NULL && line_no == 0)
		why = xstrdup("empty file");
	fclose(f);
	if (why != NULL) {
		*cause = xasprintf("runbook state %s, line %d: %s", path, line_no, why);
		free(why);
		runbook_free(rb);
		return -1;
	}
	*out = rb;
	return 0;
}

/* ---- building the view ---- */

static struct runbook_phase *phase(struct runbook_view *v, const char *title,
				   const char *action)
{
	struct runbook_phase *p = XAPPEND(v->phases, v->n_phases);

	*p = (struct runbook_phase){ .title = title, .action = action };
	return p;
}

static void gate(struct runbook_phase *p, const char *title, bool met,
		 char *detail)
{
	struct runbook_gate *g = XAPPEND(p->gates, p->n_gates);

	*g = (struct runbook_gate){
		.title = title,
		.state = met ? GATE_MET : GATE_BLOCKED,
		.detail = detail,
	};
}

enum gate_state runbook_wait(int64_t since, uint32_t ttl, int64_t now,
			     int64_t *ready_at)
{
	*ready_at = 0;
	if (since == 0)
		return GATE_BLOCKED;
	if (now >= since + ttl)
		return GATE_MET;
	*ready_at = since + ttl;
	return GATE_WAITING;
}

/* A wait gate: met once @p since (0: not yet) plus @p ttl has passed. */
static void wait_gate(struct runbook_phase *p, const char *title, int64_t since,
		      uint32_t ttl, int64_t now, const char *what)
{
	struct runbook_gate *g = XAPPEND(p->gates, p->n_gates);
	int64_t ready;

	*g = (struct runbook_gate){ .title = title };
	g->state = runbook_wait(since, ttl, now, &ready);
	if (g->state == GATE_BLOCKED) {
		g->detail = xasprintf("%s not seen yet", what);
	} else if (g->state == GATE_MET) {
		g->detail = xasprintf("%s seen %llds ago; TTL %us has passed", what,
				      (long long)(now - since), ttl);
	} else {
		g->ready_at = ready;
		g->detail = xasprintf("%s seen %llds ago; wait %llds more (TTL %us)",
				      what, (long long)(now - since),
				      (long long)(since + ttl - now), ttl);
	}
}

static char *tags_text(const uint16_t *tags, size_t n)
{
	char *s = xstrdup("");

	for (size_t i = 0; i < n; i++) {
		char *t = xasprintf("%s%s%u", s, i ? ", " : "", tags[i]);

		free(s);
		s = t;
	}
	return s;
}

static int64_t earliest(struct moment *v, size_t nv, const uint16_t *tags,
			size_t n, bool latest)
{
	int64_t at = 0;

	for (size_t i = 0; i < n; i++) {
		struct moment *m = find_moment(v, nv, tags[i]);

		if (m == NULL)
			return 0;	/* one is not there yet: not yet for all */
		if (at == 0 || (latest ? m->at > at : m->at < at))
			at = m->at;
	}
	return at;
}

static void gates_new_key(struct runbook_phase *p, const struct evidence *ev,
			  const uint16_t *tags, size_t n, const char *role)
{
	char *missing = NULL, *list = tags_text(tags, n);
	bool everywhere = n > 0;

	gate(p, role, n > 0,
	     n > 0 ? xasprintf("new key tag(s) %s served", list)
		   : xstrdup("no new key in the DNSKEY RRset yet"));
	for (size_t i = 0; i < n; i++)
		everywhere &= key_served_everywhere(ev, tags[i], &missing);
	gate(p, "every nameserver address serves the new key", everywhere,
	     everywhere ? xasprintf("key tag(s) %s on every address", list)
	     : n == 0 ? xstrdup("no new key to look for")
		      : xasprintf("missing on: %s", missing ? missing : "no nameserver answered"));
	free(missing);
	free(list);
}

/* The DNSKEY RRset is signed by a key the parent DS points to. */
static void gate_ds_key_signs(struct runbook_phase *p, const struct chain_link *l)
{
	for (size_t i = 0; l && i < l->n_ds; i++) {
		const struct ds_info *d = &l->ds[i];

		if (d->match == DS_MATCH_OK && d->key_index >= 0 &&
		    (size_t)d->key_index < l->n_keys && l->keys[d->key_index].signs_dnskey) {
			gate(p, "the DNSKEY RRset is signed by the key the parent DS points to",
			     true, xasprintf("DS %u -> KSK %u signs the DNSKEY RRset",
					     d->tag, l->keys[d->key_index].tag));
			return;
		}
	}
	gate(p, "the DNSKEY RRset is signed by the key the parent DS points to",
	     false, xstrdup("no DS matches a key that signs the DNSKEY RRset"));
}

static void gate_verify(struct runbook_phase *p, const struct evidence *ev)
{
	size_t validators = 0;
	char *bad = NULL;

	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];

		if (r->validating != VALIDATING_YES)
			continue;
		validators++;
		for (size_t j = 0; j < r->n_answers; j++) {
			const struct dns_reply *a = &r->answers[j].reply;
			char tb[16];

			if (a->outcome == OUTCOME_ANSWER &&
			    (a->rcode == RCODE_NOERROR || a->rcode == RCODE_NXDOMAIN) && a->ad)
				continue;
			char *s = xasprintf("%s%s%s: %s %s %s", bad ? bad : "", bad ? "; " : "",
					    r->name, r->answers[j].qname,
					    rrtype_name(r->answers[j].qtype, tb),
					    a->outcome == OUTCOME_ANSWER
						    ? (a->ad ? "failed" : "answered without AD")
						    : outcome_name(a->outcome));
			free(bad);
			bad = s;
		}
	}
	if (validators == 0)
		gate(p, "every validating resolver answers with AD", false,
		     xstrdup("no validating resolver reachable"));
	else
		gate(p, "every validating resolver answers with AD", bad == NULL,
		     bad ? bad : xasprintf("%zu validating resolvers: all secure", validators));
}

static char *ds_records(const struct chain_link *l, const uint16_t *tags, size_t n)
{
	char *s = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct key_info *k = find_key(l, tags[i]);
		char *ds, *t;

		if (k == NULL || k->ds_sha256 == NULL)
			continue;
		/* As the parent publishes it: its DS TTL, not the DNSKEY's. */
		ds = evidence_ds_as_parent(k->ds_sha256, l->ds_ttl);
		t = xasprintf("%s%s%s", s ? s : "", s ? "\n" : "", ds);
		free(ds);
		free(s);
		s = t;
	}
	return s;
}

/* Phases 1-2 of every key rollover: publish the new key, wait its TTL. */
static void phases_publish_key(const struct runbook *rb, struct runbook_view *v,
			       const struct evidence *ev, const uint16_t *nt,
			       size_t n, int64_t now, const char *title,
			       const char *action, const char *role_gate)
{
	const struct chain_link *l = zone_link(ev);
	struct runbook_phase *p = phase(v, title, action);

	gates_new_key(p, ev, nt, n, role_gate);
	gate_ds_key_signs(p, l);
	p = phase(v, "Wait for caches to learn the new key",
		  "Nothing to do: resolvers may hold the old DNSKEY RRset for its TTL.");
	wait_gate(p, "the DNSKEY TTL has passed since the new key was everywhere",
		  earliest(rb->key_everywhere, rb->n_key_everywhere, nt, n, true),
		  l ? l->dnskey_ttl : 0, now, "new key on every address");
}

static void gate_old_keys_gone(struct runbook_phase *p, const struct runbook *rb,
			       const struct evidence *ev, const char *title)
{
	bool old_served = false;

	for (size_t i = 0; i < rb->n_old_keys; i++)
		old_served |= key_served_anywhere(ev, rb->old_keys[i]);
	gate(p, title, !old_served,
	     old_served ? xstrdup("still in the DNSKEY RRset")
			: xstrdup("gone from every address"));
}

/* Double-KSK: the new KSK must sign the DNSKEY RRset before its DS replaces
 * the old one, or withdrawing the old DS leaves no signature a DS points to
 * (published but not signing, it would only show once it is too late). */
static void gate_new_ksk_signs(struct runbook_phase *p, const struct chain_link *l,
			       const uint16_t *tags, size_t n)
{
	char *missing = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct key_info *k = find_key(l, tags[i]);
		char *s;

		if (k != NULL && k->signs_dnskey)
			continue;
		s = xasprintf("%s%s%u", missing ? missing : "", missing ? ", " : "", tags[i]);
		free(missing);
		missing = s;
	}
	gate(p, "the new KSK signs the DNSKEY RRset", n > 0 && missing == NULL,
	     n == 0 ? xstrdup("no new key to look for")
	     : missing ? xasprintf("no valid RRSIG over the DNSKEY RRset by %s", missing)
		       : xstrdup("a valid RRSIG by the new KSK covers the DNSKEY RRset"));
	free(missing);
}

/* Why a CDS/CDNSKEY record would not do as the new DS, or NULL. */
static const char *cds_problem(const struct ds_info *d)
{
	if (d->algorithm == 0)
		return "a delete record (RFC 8078): the parent would remove the DS";
	switch (d->match) {
	case DS_MATCH_OK: return NULL;
	case DS_MATCH_NO_KEY: return "no served key has this tag";
	case DS_MATCH_DIGEST_MISMATCH: return "its digest differs from the served key's";
	case DS_MATCH_UNSUPPORTED_DIGEST: return "a digest type bogus cannot check";
	case DS_MATCH_REVOKED_KEY: return "its key is revoked";
	}
	return "unknown";
}

/* Does @p v (CDS or CDNSKEY of one server) hold a good record for @p tag? */
static bool cds_names(const struct ds_info *v, size_t n, uint16_t tag)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].tag == tag && cds_problem(&v[i]) == NULL)
			return true;
	return false;
}

/* Adds the problems of one server's CDS or CDNSKEY set to @p out. */
static void cds_set_problems(char **out, const char *who, const char *type,
			     const struct ds_info *v, size_t n,
			     const uint16_t *tags, size_t n_tags)
{
	char *s;

	for (size_t i = 0; i < n; i++) {
		const char *why = cds_problem(&v[i]);

		if (why == NULL)
			continue;
		s = xasprintf("%s%s%s: %s %u: %s", *out ? *out : "", *out ? "; " : "",
			      who, type, v[i].tag, why);
		free(*out);
		*out = s;
	}
	for (size_t t = 0; n > 0 && t < n_tags; t++) {
		if (cds_names(v, n, tags[t]))
			continue;
		s = xasprintf("%s%s%s: no %s for the new KSK %u", *out ? *out : "",
			      *out ? "; " : "", who, type, tags[t]);
		free(*out);
		*out = s;
	}
}

/*
 * A parent that scans CDS/CDNSKEY (RFC 7344, RFC 8078) publishes what any
 * server shows as the DS RRset: while the child publishes them, they are
 * the DS submission, and one that names no working key breaks the zone
 * when applied. Met when every server that answered shows records, each
 * good, naming every new KSK. No gate when no server publishes any (the
 * DS goes through the registrar).
 */
static void gate_cds(struct runbook_phase *p, const struct evidence *ev,
		     const uint16_t *tags, size_t n)
{
	char *problems = NULL;
	bool any = false;

	for (size_t i = 0; i < ev->n_nameservers; i++)
		any |= ev->nameservers[i].cds_answered &&
		       ev->nameservers[i].n_cds + ev->nameservers[i].n_cdnskey > 0;
	if (!any)
		return;
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		char *who, *s;

		if (!ns->cds_answered)
			continue;
		who = xasprintf("%s (%s)", ns->name, ns->address ? ns->address : "?");
		if (ns->n_cds + ns->n_cdnskey == 0) {
			s = xasprintf("%s%s%s: publishes none while others do",
				      problems ? problems : "", problems ? "; " : "", who);
			free(problems);
			problems = s;
		}
		cds_set_problems(&problems, who, "CDS", ns->cds, ns->n_cds, tags, n);
		cds_set_problems(&problems, who, "CDNSKEY", ns->cdnskey, ns->n_cdnskey,
				 tags, n);
		free(who);
	}
	if (n == 0 && problems == NULL)
		problems = xstrdup("no new KSK to look for");
	else if (n == 0) {
		char *t = xasprintf("no new KSK yet; %s", problems);

		free(problems);
		problems = t;
	}
	gate(p, "CDS/CDNSKEY match the new KSK (the parent may pick them up: RFC 7344/8078)",
	     problems == NULL,
	     problems ? problems
		      : xasprintf("every server's CDS/CDNSKEY name the new KSK; "
				  "a parent that scans them publishes its DS"));
}

static void build_ksk(const struct runbook *rb, struct runbook_view *v,
		      const struct evidence *ev, int64_t now)
{
	const struct chain_link *l = zone_link(ev);
	uint16_t nt[MAX_TAGS];
	size_t n = new_keys(rb, l, nt), answered, with, gone = 0;
	uint32_t ds_ttl = l ? l->ds_ttl : 0;
	struct runbook_phase *p;
	bool all_ds = n > 0;

	phases_publish_key(rb, v, ev, nt, n, now, "Publish the new KSK beside the old one",
			   "Add the new KSK to the DNSKEY RRset and sign the DNSKEY RRset "
			   "with both KSKs. Leave the DS at the parent alone.",
			   "a new KSK is published");
	gate_new_ksk_signs(&v->phases[0], l, nt, n);	/* before the next phase() */

	p = phase(v, "Publish the new DS at the parent",
		  "Submit the DS record(s) below to the registrar or parent.");
	p->records = ds_records(l, nt, n);
	gate_cds(p, ev, nt, n);
	for (size_t i = 0; i < n; i++) {
		ds_presence(l, nt[i], &answered, &with);
		all_ds &= answered > 0 && with == answered;
	}
	gate(p, "the new DS is visible at every parent server", all_ds,
	     all_ds ? xstrdup("every parent server publishes it")
		    : xstrdup("not yet at every parent server"));

	p = phase(v, "Wait for caches to learn the new DS",
		  "Nothing to do: resolvers may hold the old DS RRset for its TTL.");
	wait_gate(p, "the DS TTL has passed since the new DS was everywhere",
		  earliest(rb->ds_everywhere, rb->n_ds_everywhere, nt, n, true),
		  ds_ttl, now, "new DS at every parent server");

	p = phase(v, "Withdraw the old DS",
		  "Ask the registrar to remove the DS of the old KSK.");
	for (size_t i = 0; i < rb->n_old_keys; i++) {
		ds_presence(l, rb->old_keys[i], &answered, &with);
		gone += answered > 0 && with == 0;
	}
	gate(p, "the old DS is gone from every parent server",
	     rb->n_old_keys > 0 && gone == rb->n_old_keys,
	     gone == rb->n_old_keys ? xstrdup("no parent server publishes it")
				    : xstrdup("still published by a parent server"));
	wait_gate(p, "the DS TTL has passed since the old DS went",
		  earliest(rb->ds_gone, rb->n_ds_gone, rb->old_keys, rb->n_old_keys, true),
		  ds_ttl, now, "old DS gone everywhere");

	p = phase(v, "Remove the old KSK",
		  "Remove the old KSK from the DNSKEY RRset; sign it with the new KSK only.");
	gate_old_keys_gone(p, rb, ev, "the old KSK is no longer served");
	gate_ds_key_signs(p, l);

	p = phase(v, "Verify", "Check every validating resolver.");
	gate_verify(p, ev);
}

static void build_zsk(const struct runbook *rb, struct runbook_view *v,
		      const struct evidence *ev, int64_t now)
{
	const struct chain_link *l = zone_link(ev);
	uint16_t nt[MAX_TAGS];
	size_t n = new_keys(rb, l, nt);
	bool signing = n > 0;
	struct runbook_phase *p;

	phases_publish_key(rb, v, ev, nt, n, now, "Pre-publish the new ZSK",
			   "Add the new ZSK to the DNSKEY RRset; keep signing with the old ZSK.",
			   "a new ZSK is published");

	p = phase(v, "Sign the zone with the new ZSK",
		  "Switch signing to the new ZSK; keep the old one published.");
	for (size_t i = 0; i < n; i++)
		signing &= zone_signed_everywhere(ev, nt[i]);
	gate(p, "every nameserver serves data signed by the new ZSK", signing,
	     signing ? xstrdup("valid RRSIGs by the new key on every address")
		     : xstrdup("some address still serves only old signatures"));

	p = phase(v, "Wait for old signatures to leave caches",
		  "Nothing to do: cached data signed by the old ZSK must expire.");
	wait_gate(p, "the largest TTL of zone data has passed since re-signing",
		  earliest(rb->signing, rb->n_signing, nt, n, true),
		  max_data_ttl(ev), now, "new signatures everywhere");

	p = phase(v, "Remove the old ZSK", "Remove the old ZSK from the DNSKEY RRset.");
	gate_old_keys_gone(p, rb, ev, "the old ZSK is no longer served");

	p = phase(v, "Verify", "Check every validating resolver.");
	gate_verify(p, ev);
}

/*
 * How long resolvers may keep the old delegation: the parent's NS TTL, or
 * the zone's apex NS TTL if larger (resolvers that prefer the child's copy
 * keep that one). Sets @p *ttl; returns the gate's label, caller frees.
 */
static char *delegation_ttl(const struct chain_link *l, uint32_t *ttl)
{
	uint32_t parent = l ? l->ns_ttl : 0, child = l ? l->child_ns_ttl : 0;

	if (parent == 0) {
		/* The parent's copy is the one every resolver sees first. */
		*ttl = child > ASSUMED_NS_TTL ? child : ASSUMED_NS_TTL;
		if (child == 0)
			return xstrdup("new delegation (NS TTL not seen: "
				       "assumed 2 days)");
		return xasprintf("new delegation (NS TTL at the parent not "
				 "seen: assumed 2 days; %us at the zone)",
				 child);
	}
	*ttl = parent > child ? parent : child;
	if (child == 0)
		return xasprintf("new delegation (NS TTL %us at the parent)",
				 parent);
	return xasprintf("new delegation (NS TTL %us at the parent, %us at "
			 "the zone)", parent, child);
}

static void build_migration(const struct runbook *rb, struct runbook_view *v,
			    const struct evidence *ev, int64_t now)
{
	const struct chain_link *l = zone_link(ev);
	struct runbook_phase *p;
	bool new_in_child = false, all_covered = true, any = false;
	bool old_gone = true, apex_gone;
	char *uncovered = NULL, *what;
	uint32_t ns_ttl;

	p = phase(v, "The new provider serves the zone, signed with keys the DS covers",
		  "Have the new provider serve the zone with a DNSKEY RRset that "
		  "holds the current KSK (multi-signer) and list its servers in the "
		  "apex NS set.");
	for (size_t i = 0; i < ev->n_child_ns; i++)
		new_in_child |= !has_name(rb->old_ns, rb->n_old_ns, ev->child_ns[i]);
	gate(p, "the apex NS set lists the new provider", new_in_child,
	     new_in_child ? xstrdup("new NS names in the apex NS set")
			  : xstrdup("the apex NS set still lists only the old provider"));
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		bool covered = false;

		if (ns->address == NULL)
			continue;
		any = true;
		for (size_t d = 0; l && d < l->n_ds && !covered; d++)
			covered = l->ds[d].match == DS_MATCH_OK &&
				  has_tag(ns->dnskey_tags, ns->n_dnskey_tags, l->ds[d].tag);
		if (!covered) {
			char *s = xasprintf("%s%s%s (%s)", uncovered ? uncovered : "",
					    uncovered ? ", " : "", ns->name, ns->address);

			free(uncovered);
			uncovered = s;
			all_covered = false;
		}
	}
	gate(p, "every nameserver address serves a key the parent DS points to",
	     any && all_covered,
	     any && all_covered ? xstrdup("every address serves a DS-matched key")
				: xasprintf("not on: %s", uncovered ? uncovered : "no address answered"));
	free(uncovered);

	p = phase(v, "Change the NS records at the parent",
		  "Ask the registrar to delegate to the new provider's nameservers.");
	gate(p, "the parent delegates to the new provider", rb->delegation_changed_at != 0,
	     rb->delegation_changed_at ? xstrdup("the parent's NS set changed")
				       : xstrdup("the parent still delegates to the old NS set"));
	what = delegation_ttl(l, &ns_ttl);
	wait_gate(p, "the delegation TTL has passed", rb->delegation_changed_at,
		  ns_ttl, now, what);
	free(what);

	p = phase(v, "Retire the old provider",
		  "Remove the old provider's servers from the apex NS set, then stop "
		  "its service for the zone and remove its keys.");
	for (size_t i = 0; i < ev->n_parent_ns; i++)
		old_gone &= !has_name(rb->old_ns, rb->n_old_ns, ev->parent_ns[i]);
	gate(p, "no old nameserver left in the delegation", old_gone,
	     old_gone ? xstrdup("the delegation lists only new nameservers")
		      : xstrdup("the delegation still lists an old nameserver"));
	/* The apex NS set too: while it names the old provider, resolvers
	 * that prefer the child's NS set keep asking it, and it must keep
	 * serving the zone signed; the move is not over. */
	apex_gone = ev->n_child_ns > 0;
	for (size_t i = 0; i < ev->n_child_ns; i++)
		apex_gone &= !has_name(rb->old_ns, rb->n_old_ns, ev->child_ns[i]);
	gate(p, "no old nameserver left in the apex NS set", apex_gone,
	     apex_gone ? xstrdup("the apex NS set lists only new nameservers")
	     : ev->n_child_ns == 0 ? xstrdup("no apex NS set seen")
				   : xstrdup("the apex NS set still lists an old nameserver"));

	p = phase(v, "Verify", "Check every validating resolver.");
	gate_verify(p, ev);
}

static char *algs_text(const uint16_t *algs, size_t n)
{
	char *s = xstrdup("");

	for (size_t i = 0; i < n; i++) {
		const char *nm = algorithm_name((uint8_t)algs[i]);
		char *t = xasprintf("%s%s%u%s%s%s", s, i ? ", " : "", algs[i],
				    nm ? " (" : "", nm ? nm : "", nm ? ")" : "");

		free(s);
		s = t;
	}
	return s;
}

/* RFC 6781 4.1.4, the conservative order: signatures first, then keys,
 * then the DS, so that no validator ever sees a DS or DNSKEY of an
 * algorithm that does not sign everything (RFC 4035 2.2). */
static void build_algorithm(const struct runbook *rb, struct runbook_view *v,
			    const struct evidence *ev, int64_t now)
{
	const struct chain_link *l = zone_link(ev);
	uint16_t na[MAX_TAGS], ksks[MAX_TAGS];
	size_t n = new_algs(rb, ev, l, na), nk = 0, answered, with, gone = 0;
	uint32_t ds_ttl = l ? l->ds_ttl : 0;
	char *missing = NULL, *names = algs_text(na, n), *olds;
	struct runbook_phase *p;
	bool ok = n > 0;

	p = phase(v, "Sign every RRset with the new algorithm too",
		  "Generate keys of the new algorithm and sign every RRset with both "
		  "algorithms. Do not publish the new DNSKEYs or DS yet.");
	for (size_t i = 0; i < n; i++)
		ok &= alg_signs_everything(ev, (uint8_t)na[i], &missing);
	if (n == 0)
		gate(p, "every RRset carries RRSIGs of both algorithms", false,
		     xstrdup("no RRSIG of a new algorithm seen yet"));
	else
		gate(p, "every RRset carries RRSIGs of both algorithms", ok,
		     ok ? xasprintf("every RRset probed is signed by %s too", names)
			: xasprintf("not signed by %s: %s", names,
				    missing ? missing : "no server answered"));
	free(missing);

	p = phase(v, "Publish the new algorithm's DNSKEYs",
		  "Add the new algorithm's keys to the DNSKEY RRset (signed by both "
		  "algorithms).");
	ok = n > 0;
	for (size_t i = 0; i < n; i++)
		ok &= alg_key_everywhere(ev, l, na[i]);
	gate(p, "the DNSKEY RRset has keys of both algorithms on every server", ok,
	     ok ? xstrdup("every address serves them")
		: xstrdup("some address serves no key of the new algorithm"));
	wait_gate(p, "the DNSKEY TTL has passed since",
		  earliest(rb->key_everywhere, rb->n_key_everywhere, na, n, true),
		  l ? l->dnskey_ttl : 0, now, "new algorithm's keys everywhere");

	p = phase(v, "Publish the new DS at the parent",
		  "Submit the DS of the new algorithm's KSK; keep the old DS.");
	for (size_t i = 0; l && i < l->n_keys && nk < MAX_TAGS; i++)
		if (has_tag(na, n, l->keys[i].algorithm) && is_ksk(&l->keys[i]))
			ksks[nk++] = l->keys[i].tag;
	p->records = ds_records(l, ksks, nk);
	gate_cds(p, ev, ksks, nk);
	ok = n > 0;
	for (size_t i = 0; i < n; i++) {
		bool match = false;

		ds_alg_presence(l, na[i], &answered, &with);
		for (size_t j = 0; l && j < l->n_ds; j++)
			match |= l->ds[j].algorithm == na[i] && l->ds[j].match == DS_MATCH_OK;
		ok &= answered > 0 && with == answered && match;
	}
	gate(p, "every parent server has a DS of the new algorithm matching a served key",
	     ok, ok ? xstrdup("every parent server publishes it")
		    : xstrdup("not yet at every parent server, or it matches no served key"));

	p = phase(v, "Wait for caches to learn the new DS",
		  "Nothing to do: resolvers may hold the old DS RRset for its TTL.");
	wait_gate(p, "the DS TTL has passed since the new DS was everywhere",
		  earliest(rb->ds_everywhere, rb->n_ds_everywhere, na, n, true),
		  ds_ttl, now, "new DS at every parent server");

	p = phase(v, "Withdraw the old DS",
		  "Ask the registrar to remove the DS records of the old algorithm.");
	olds = algs_text(rb->old_keys, rb->n_old_keys);
	for (size_t i = 0; i < rb->n_old_keys; i++) {
		ds_alg_presence(l, rb->old_keys[i], &answered, &with);
		gone += answered > 0 && with == 0;
	}
	ok = rb->n_old_keys > 0 && gone == rb->n_old_keys;
	gate(p, "the parent DS set has only the new algorithm", ok,
	     ok ? xasprintf("no parent server publishes a DS of %s", olds)
		: xasprintf("a parent server still publishes a DS of %s", olds));

	p = phase(v, "Remove the old algorithm",
		  "After the DS TTL, remove the old algorithm's DNSKEYs and its RRSIGs.");
	wait_gate(p, "the DS TTL has passed since the old DS went",
		  earliest(rb->ds_gone, rb->n_ds_gone, rb->old_keys, rb->n_old_keys, true),
		  ds_ttl, now, "old DS gone everywhere");
	ok = rb->n_old_keys > 0;
	for (size_t i = 0; l && i < l->n_keys; i++)
		ok &= !has_tag(rb->old_keys, rb->n_old_keys, l->keys[i].algorithm);
	for (size_t i = 0; i < ev->n_nameservers; i++)
		for (size_t c = 0; c < ev->nameservers[i].n_checks; c++)
			for (size_t s2 = 0; s2 < ev->nameservers[i].checks[c].n_sigs; s2++)
				ok &= !has_tag(rb->old_keys, rb->n_old_keys,
					       ev->nameservers[i].checks[c].sigs[s2].algorithm);
	gate(p, "no key or RRSIG of the old algorithm remains", ok,
	     ok ? xasprintf("nothing of %s is served", olds)
		: xasprintf("keys or RRSIGs of %s are still served", olds));
	free(olds);
	free(names);

	p = phase(v, "Verify", "Check every validating resolver.");
	gate_verify(p, ev);
}

struct runbook_view *runbook_evaluate(const struct runbook *rb,
				      const struct evidence *ev, int64_t now)
{
	struct runbook_view *v = xcalloc(1, sizeof(*v));
	bool blocked = false;

	v->kind = rb->kind;
	switch (rb->kind) {
	case RUNBOOK_KSK_ROLLOVER: build_ksk(rb, v, ev, now); break;
	case RUNBOOK_ZSK_ROLLOVER: build_zsk(rb, v, ev, now); break;
	case RUNBOOK_PROVIDER_MIGRATION: build_migration(rb, v, ev, now); break;
	case RUNBOOK_ALGORITHM_ROLLOVER: build_algorithm(rb, v, ev, now); break;
	}
	/* A phase is only as far as its worst gate, and never past a blocked
	 * phase before it: the steps happen in order. */
	v->current = v->n_phases;
	for (size_t i = 0; i < v->n_phases; i++) {
		struct runbook_phase *p = &v->phases[i];

		p->state = GATE_MET;
		for (size_t g = 0; g < p->n_gates; g++)
			if (p->gates[g].state < p->state)
				p->state = p->gates[g].state;
		if (blocked)
			p->state = GATE_BLOCKED;
		if (p->state != GATE_MET && v->current == v->n_phases)
			v->current = i;
		blocked |= p->state != GATE_MET;
	}
	return v;
}

void runbook_view_free(struct runbook_view *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n_phases; i++) {
		for (size_t g = 0; g < v->phases[i].n_gates; g++)
			free(v->phases[i].gates[g].detail);
		free(v->phases[i].gates);
		free(v->phases[i].records);
	}
	free(v->phases);
	free(v);
}
