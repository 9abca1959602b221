/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * events.c - the diff between two evidence snapshots, as events.
 *
 * Things are matched by what identifies them for a user (a resolver by its
 * address and port, an answer by name and type, a zone cut by its name, a
 * nameserver by name and address), never by position, so that a resolver
 * list that changes order does not fill the log with noise. Pure: no
 * curses, no I/O, no clock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "events.h"
#include "ui_cell.h"
#include "xmalloc.h"

void events_add(struct event_log *log, int64_t at, enum event_kind kind,
		const char *key, const char *fmt, ...)
{
	struct event *e;
	va_list ap;

	if (log->n == EVENT_LOG_MAX) {
		free(log->ev[0].key);
		free(log->ev[0].text);
		memmove(&log->ev[0], &log->ev[1], (log->n - 1) * sizeof(log->ev[0]));
		log->n--;
	}
	e = XAPPEND(log->ev, log->n);
	e->at = at;
	e->kind = kind;
	e->key = xstrdup_null(key);
	va_start(ap, fmt);
	e->text = xvasprintf(fmt, ap);
	va_end(ap);
}

void events_clear(struct event_log *log)
{
	if (log == NULL)
		return;
	for (size_t i = 0; i < log->n; i++) {
		free(log->ev[i].key);
		free(log->ev[i].text);
	}
	free(log->ev);
	log->ev = NULL;
	log->n = 0;
}

bool events_recent(const struct event_log *log, const char *key, int64_t now,
		   int secs)
{
	if (key == NULL)
		return false;
	for (size_t i = log->n; i-- > 0;) {
		const struct event *e = &log->ev[i];

		if (e->at <= now - secs)
			break;	/* oldest first: nothing earlier is recent */
		if (e->key != NULL && e->at <= now && strcmp(e->key, key) == 0)
			return true;
	}
	return false;
}

char *events_key_resolver(const struct resolver_ev *r)
{
	return xasprintf("res:%s#%u", r->address ? r->address : "?",
			 (unsigned)r->port);
}

char *events_key_cell(const struct resolver_ev *r,
		      const struct resolver_answer *a)
{
	return xasprintf("res:%s#%u:%s:%u", r->address ? r->address : "?",
			 (unsigned)r->port, a->qname ? a->qname : "?",
			 (unsigned)a->qtype);
}

char *events_key_ns(const struct ns_ev *n, const char *what)
{
	return xasprintf("ns:%s/%s:%s", n->name ? n->name : "?",
			 n->address ? n->address : "-", what);
}

static bool same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* First EDE code of a reply, -1 if none. */
static int first_ede(const struct dns_reply *r)
{
	return r->n_ede > 0 ? r->ede[0].code : -1;
}

static void describe_cell(const struct resolver_answer *a, char *buf,
			  size_t len)
{
	int ede = first_ede(&a->reply);
	const char *name;

	if (ede < 0) {
		snprintf(buf, len, "%s", ui_cell_word(ui_cell_classify(a)));
		return;
	}
	name = ede_name((uint16_t)ede);
	snprintf(buf, len, "%s (EDE %d%s%s)", ui_cell_word(ui_cell_classify(a)),
		 ede, name ? " " : "", name ? name : "");
}

static const struct resolver_ev *find_resolver(const struct evidence *ev,
					       const struct resolver_ev *r)
{
	for (size_t i = 0; i < ev->n_resolvers; i++)
		if (same_str(ev->resolvers[i].address, r->address) &&
		    ev->resolvers[i].port == r->port)
			return &ev->resolvers[i];
	return NULL;
}

static size_t diff_resolvers(const struct evidence *old,
			     const struct evidence *cur, int64_t now,
			     struct event_log *log)
{
	size_t added = 0;

	for (size_t i = 0; i < cur->n_resolvers; i++) {
		const struct resolver_ev *r = &cur->resolvers[i];
		const struct resolver_ev *o = find_resolver(old, r);

		if (o == NULL)
			continue;
		for (size_t j = 0; j < r->n_answers; j++) {
			const struct resolver_answer *a = &r->answers[j], *b = NULL;
			enum ui_cell_state sa, sb;
			char da[96], db[96], tb[16], *key;

			for (size_t k = 0; k < o->n_answers && b == NULL; k++)
				if (same_str(o->answers[k].qname, a->qname) &&
				    o->answers[k].qtype == a->qtype)
					b = &o->answers[k];
			if (b == NULL)
				continue;
			sa = ui_cell_classify(a);
			sb = ui_cell_classify(b);
			if (sa == sb && first_ede(&a->reply) == first_ede(&b->reply))
				continue;
			if (sa == CELL_NONE)
				continue;	/* a cancelled refresh is no change */
			describe_cell(b, db, sizeof(db));
			describe_cell(a, da, sizeof(da));
			key = events_key_cell(r, a);
			events_add(log, now,
				   ui_cell_is_bad(sa) ? EVENT_BAD :
				   ui_cell_is_bad(sb) ? EVENT_GOOD : EVENT_INFO,
				   key, "%s %s %s: %s -> %s", r->name ? r->name : r->address,
				   a->qname ? a->qname : "?",
				   rrtype_name(a->qtype, tb), db, da);
			free(key);
			added++;
		}
	}
	return added;
}

static const struct chain_link *find_link(const struct evidence *ev,
					  const char *zone)
{
	for (size_t i = 0; i < ev->n_chain; i++)
		if (same_str(ev->chain[i].zone, zone))
			return &ev->chain[i];
	return NULL;
}

static bool has_ds(const struct chain_link *l, const struct ds_info *d)
{
	for (size_t i = 0; i < l->n_ds; i++)
		if (l->ds[i].tag == d->tag && l->ds[i].algorithm == d->algorithm &&
		    l->ds[i].digest_type == d->digest_type)
			return true;
	return false;
}

static bool has_key(const struct chain_link *l, uint16_t tag, uint8_t alg)
{
	for (size_t i = 0; i < l->n_keys; i++)
		if (l->keys[i].tag == tag && l->keys[i].algorithm == alg)
			return true;
	return false;
}

static size_t diff_chain(const struct evidence *old, const struct evidence *cur,
			 int64_t now, struct event_log *log)
{
	size_t added = 0;

	for (size_t i = 0; i < cur->n_chain; i++) {
		const struct chain_link *l = &cur->chain[i];
		const struct chain_link *o = find_link(old, l->zone);
		char *dskey, *kkey, *lkey;

		if (o == NULL)
			continue;
		dskey = xasprintf("ds:%s", l->zone);
		kkey = xasprintf("dnskey:%s", l->zone);
		lkey = xasprintf("link:%s", l->zone);
		if (l->status != o->status) {
			events_add(log, now, l->status == SEC_BOGUS ? EVENT_BAD :
				   o->status == SEC_BOGUS ? EVENT_GOOD : EVENT_INFO,
				   lkey, "chain %s: %s -> %s", l->zone,
				   security_name(o->status), security_name(l->status));
			added++;
		}
		for (size_t j = 0; j < l->n_ds; j++) {
			if (!has_ds(o, &l->ds[j])) {
				events_add(log, now, EVENT_INFO, dskey,
					   "DS %u alg %u digest %u appeared for %s",
					   l->ds[j].tag, l->ds[j].algorithm,
					   l->ds[j].digest_type, l->zone);
				added++;
			}
		}
		for (size_t j = 0; j < o->n_ds; j++) {
			if (!has_ds(l, &o->ds[j])) {
				events_add(log, now, EVENT_INFO, dskey,
					   "DS %u alg %u digest %u gone from %s",
					   o->ds[j].tag, o->ds[j].algorithm,
					   o->ds[j].digest_type, l->zone);
				added++;
			}
		}
		for (size_t j = 0; j < l->n_keys; j++) {
			if (!has_key(o, l->keys[j].tag, l->keys[j].algorithm)) {
				events_add(log, now, EVENT_INFO, kkey,
					   "DNSKEY %u alg %u appeared in %s",
					   l->keys[j].tag, l->keys[j].algorithm, l->zone);
				added++;
			}
		}
		for (size_t j = 0; j < o->n_keys; j++) {
			if (!has_key(l, o->keys[j].tag, o->keys[j].algorithm)) {
				events_add(log, now, EVENT_INFO, kkey,
					   "DNSKEY %u alg %u gone from %s",
					   o->keys[j].tag, o->keys[j].algorithm, l->zone);
				added++;
			}
		}
		free(dskey);
		free(kkey);
		free(lkey);
	}
	return added;
}

static bool reply_ok(const struct dns_reply *r)
{
	return r->outcome == OUTCOME_ANSWER;
}

static bool same_tags(const struct ns_ev *a, const struct ns_ev *b)
{
	if (a->n_dnskey_tags != b->n_dnskey_tags)
		return false;
	for (size_t i = 0; i < a->n_dnskey_tags; i++) {
		bool found = false;

		for (size_t j = 0; j < b->n_dnskey_tags && !found; j++)
			found = a->dnskey_tags[i] == b->dnskey_tags[j];
		if (!found)
			return false;
	}
	return true;
}

static void tags_text(const struct ns_ev *n, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n->n_dnskey_tags && off + 8 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%u",
					i ? " " : "", n->dnskey_tags[i]);
	if (n->n_dnskey_tags == 0)
		snprintf(buf, len, "none");
}

static void reach_event(struct event_log *log, int64_t now,
			const struct ns_ev *n, const char *what,
			const struct dns_reply *was, const struct dns_reply *is,
			size_t *added)
{
	char *key;

	if (reply_ok(was) == reply_ok(is) || is->outcome == OUTCOME_CANCELLED ||
	    is->outcome == OUTCOME_NOT_SENT)
		return;
	key = events_key_ns(n, what);
	events_add(log, now, reply_ok(is) ? EVENT_GOOD : EVENT_BAD, key,
		   "%s %s %s: %s", n->name, n->address, what,
		   reply_ok(is) ? "answers again" : outcome_name(is->outcome));
	free(key);
	(*added)++;
}

static size_t diff_ns(const struct evidence *old, const struct evidence *cur,
		      int64_t now, struct event_log *log)
{
	size_t added = 0;

	for (size_t i = 0; i < cur->n_nameservers; i++) {
		const struct ns_ev *n = &cur->nameservers[i], *o = NULL;

		if (n->address == NULL)
			continue;
		for (size_t j = 0; j < old->n_nameservers && o == NULL; j++)
			if (same_str(old->nameservers[j].address, n->address) &&
			    same_str(old->nameservers[j].name, n->name))
				o = &old->nameservers[j];
		if (o == NULL)
			continue;
		if (n->has_serial && o->has_serial && n->serial != o->serial) {
			char *key = events_key_ns(n, "serial");

			events_add(log, now, EVENT_INFO, key,
				   "%s %s serial %u -> %u", n->name, n->address,
				   o->serial, n->serial);
			free(key);
			added++;
		}
		reach_event(log, now, n, "udp", &o->soa_udp, &n->soa_udp, &added);
		reach_event(log, now, n, "tcp", &o->soa_tcp, &n->soa_tcp, &added);
		if (!same_tags(n, o)) {
			char was[128], is[128], *key = events_key_ns(n, "tags");

			tags_text(o, was, sizeof(was));
			tags_text(n, is, sizeof(is));
			events_add(log, now, EVENT_INFO, key,
				   "%s %s DNSKEY tags %s -> %s", n->name,
				   n->address, was, is);
			free(key);
			added++;
		}
	}
	return added;
}

size_t events_diff(const struct evidence *old, const struct evidence *cur,
		   int64_t now, struct event_log *log)
{
	if (cur == NULL)
		return 0;
	if (old == NULL) {
		events_add(log, now, EVENT_INFO, NULL,
			   "first refresh of %s: %zu resolvers, %zu zone cuts,"
			   " %zu nameserver addresses", cur->zone ? cur->zone : "?",
			   cur->n_resolvers, cur->n_chain, cur->n_nameservers);
		return 1;
	}
	return diff_resolvers(old, cur, now, log) + diff_chain(old, cur, now, log) +
	       diff_ns(old, cur, now, log);
}

static void finding_event(struct event_log *log, int64_t now,
			  const struct finding *f, bool up)
{
	char *key = xasprintf("finding:%s:%s", finding_id_name(f->id),
			      f->subject ? f->subject : "");

	events_add(log, now, !up ? EVENT_GOOD : f->severity == SEV_INFO ?
		   EVENT_INFO : EVENT_BAD, key, "finding %s %s%s%s", up ?
		   "appeared:" : "cleared:", finding_id_name(f->id),
		   f->subject ? " " : "", f->subject ? f->subject : "");
	free(key);
}

size_t events_diff_findings(const struct diagnosis *old,
			    const struct diagnosis *cur, int64_t now,
			    struct event_log *log)
{
	size_t added = 0;

	if (old == NULL || cur == NULL)
		return 0;
	for (size_t i = 0; i < old->n_findings; i++)
		if (diagnosis_find(cur, old->findings[i].id,
				   old->findings[i].subject) == NULL) {
			finding_event(log, now, &old->findings[i], false);
			added++;
		}
	for (size_t i = 0; i < cur->n_findings; i++)
		if (diagnosis_find(old, cur->findings[i].id,
				   cur->findings[i].subject) == NULL) {
			finding_event(log, now, &cur->findings[i], true);
			added++;
		}
	return added;
}
