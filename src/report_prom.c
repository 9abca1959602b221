/*
 * report_prom.c - Prometheus text exposition of one diagnosis.
 *
 * Reads the evidence and the diagnosis, never changes them. Every label
 * value goes through label(): network bytes become printable ASCII
 * (escape_text), then '\\', '"' and newline get the format's escapes, so a
 * hostile name cannot break a line or forge a series. The file variant is
 * the only I/O: a temporary file in the target's directory, fsync, rename.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "file.h"
#include "report_prom.h"
#include "xmalloc.h"

/* A label value, escaped. New string. */
static char *label(const char *s)
{
	char *e = escape_text(s ? s : "", 255), *out = xmalloc(strlen(e) * 2 + 1), *o = out;

	for (const char *p = e; *p; p++) {
		if (*p == '\\' || *p == '"')
			*o++ = '\\';
		*o++ = *p;
	}
	*o = '\0';
	free(e);
	return out;
}

static void help(FILE *out, const char *name, const char *text)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, text, name);
}

/* One (owner, type, key tag) signature and its earliest expiry. */
struct sig_key {
	const char *owner;
	uint16_t type, tag;
	int64_t expiry;
};

static void add_sig(struct sig_key **v, size_t *n, const char *owner,
		    const struct rrsig_info *s)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].type == s->covered && (*v)[i].tag == s->key_tag &&
		    strcmp((*v)[i].owner, owner) == 0) {
			if (s->expiration < (*v)[i].expiry)
				(*v)[i].expiry = s->expiration;
			return;
		}
	*XAPPEND(*v, *n) = (struct sig_key){ owner, s->covered, s->key_tag,
					     s->expiration };
}

static void rrsigs(FILE *out, const struct evidence *ev, const char *zone)
{
	struct sig_key *v = NULL;
	size_t n = 0;
	char tb[16];

	for (size_t i = 0; i < ev->n_chain; i++) {
		const struct chain_link *l = &ev->chain[i];

		if (l->zone != NULL && ev->zone != NULL && strcmp(l->zone, ev->zone) == 0)
			for (size_t j = 0; j < l->n_dnskey_sigs; j++)
				add_sig(&v, &n, l->zone, &l->dnskey_sigs[j]);
	}
	for (size_t i = 0; i < ev->n_nameservers; i++)
		for (size_t j = 0; j < ev->nameservers[i].n_checks; j++) {
			const struct zone_rrset_check *c = &ev->nameservers[i].checks[j];

			for (size_t k = 0; k < c->n_sigs; k++)
				if (c->qname != NULL)
					add_sig(&v, &n, c->qname, &c->sigs[k]);
		}
	help(out, "bogus_rrsig_expiry_timestamp_seconds",
	     "Earliest expiration of the RRSIGs over an RRset of the zone, by signing key, as its servers serve them.");
	for (size_t i = 0; i < n; i++) {
		char *owner = label(v[i].owner);

		fprintf(out, "bogus_rrsig_expiry_timestamp_seconds{zone=\"%s\",owner=\"%s\","
			"type=\"%s\",key_tag=\"%u\"} %lld\n", zone, owner,
			rrtype_name(v[i].type, tb), v[i].tag, (long long)v[i].expiry);
		free(owner);
	}
	free(v);
}

/* One (resolver, rcode, ede) and how many answers had it. */
struct answer_key {
	char rcode[16];
	int ede;	/* -1: none */
	unsigned count;
};

static void resolvers(FILE *out, const struct evidence *ev, const char *zone)
{
	help(out, "bogus_resolver_answer",
	     "Answers a resolver gave to the zone's questions, by rcode and first EDE code (none when absent).");
	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];
		struct answer_key *k = NULL;
		size_t n = 0;
		char *name = label(r->name);

		for (size_t j = 0; j < r->n_answers; j++) {
			const struct dns_reply *rep = &r->answers[j].reply;
			char rb[16], code[16];
			int ede = rep->n_ede > 0 ? rep->ede[0].code : -1;
			size_t m;

			snprintf(code, sizeof(code), "%s", rep->outcome == OUTCOME_ANSWER ?
				 rcode_name(rep->rcode, rb) : outcome_name(rep->outcome));
			for (m = 0; m < n; m++)
				if (strcmp(k[m].rcode, code) == 0 && k[m].ede == ede)
					break;
			if (m == n) {
				struct answer_key *a = XAPPEND(k, n);

				snprintf(a->rcode, sizeof(a->rcode), "%s", code);
				a->ede = ede;
				a->count = 0;
			}
			k[m].count++;
		}
		for (size_t m = 0; m < n; m++) {
			char ede[16] = "none";

			if (k[m].ede >= 0)
				snprintf(ede, sizeof(ede), "%d", k[m].ede);
			fprintf(out, "bogus_resolver_answer{zone=\"%s\",resolver=\"%s\","
				"validating=\"%s\",rcode=\"%s\",ede=\"%s\"} %u\n", zone, name,
				validating_id(r->validating), k[m].rcode, ede, k[m].count);
		}
		free(k);
		free(name);
	}
}

int report_prometheus(FILE *out, const struct evidence *ev,
		      const struct diagnosis *d, int64_t now)
{
	static const enum verdict all[] = { VERDICT_SECURE, VERDICT_INSECURE,
		VERDICT_DEGRADED, VERDICT_BOGUS, VERDICT_UNREACHABLE, VERDICT_VANTAGE };
	char *zone = label(ev->zone);

	help(out, "bogus_verdict", "1 for the zone's current verdict, 0 for the others.");
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		fprintf(out, "bogus_verdict{zone=\"%s\",verdict=\"%s\"} %d\n", zone,
			verdict_name(all[i]), d->verdict == all[i]);
	help(out, "bogus_finding", "1 for each finding of the diagnosis (catalog id, severity, who must act).");
	for (size_t i = 0; i < d->n_findings; i++) {
		const struct finding *f = &d->findings[i];
		bool dup = false;

		/* One series per (id, severity, actor): a finding may repeat per subject. */
		for (size_t j = 0; j < i && !dup; j++)
			dup = d->findings[j].id == f->id && d->findings[j].severity == f->severity &&
			      d->findings[j].actor == f->actor;
		if (!dup)
			fprintf(out, "bogus_finding{zone=\"%s\",id=\"%s\",severity=\"%s\",actor=\"%s\"} 1\n",
				zone, finding_id_name(f->id), severity_name(f->severity),
				actor_name(f->actor));
	}
	rrsigs(out, ev, zone);
	resolvers(out, ev, zone);
	help(out, "bogus_probe_duration_seconds", "How long the probe of the zone took.");
	fprintf(out, "bogus_probe_duration_seconds{zone=\"%s\"} %lld\n", zone,
		(long long)(ev->finished_at > ev->started_at ? ev->finished_at - ev->started_at : 0));
	help(out, "bogus_last_run_timestamp_seconds", "When the diagnosis was made.");
	fprintf(out, "bogus_last_run_timestamp_seconds{zone=\"%s\"} %lld\n", zone, (long long)now);
	free(zone);
	return ferror(out) ? -1 : 0;
}

struct prom_args {
	const struct evidence *ev;
	const struct diagnosis *d;
	int64_t now;
};

static int prom_fill(FILE *f, const void *arg)
{
	const struct prom_args *a = arg;

	return report_prometheus(f, a->ev, a->d, a->now);
}

int report_prometheus_file(const char *path, const struct evidence *ev,
			   const struct diagnosis *d, int64_t now, char **cause)
{
	struct prom_args a = { ev, d, now };

	/* Whole or not at all: node_exporter may read it at any moment. */
	return file_write_atomic(path, "metrics", 0644, prom_fill, &a, cause);
}
