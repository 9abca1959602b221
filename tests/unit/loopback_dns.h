/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * loopback_dns.h - a small misbehaving DNS server for unit tests.
 *
 * server_start(MODE) runs a thread answering on 127.0.0.1 (one kernel-chosen
 * port, UDP and TCP) in the chosen way; server_stop() joins and frees it.
 * Header-only (static functions) so that each test binary stays one file.
 * Include after cmocka.h.
 */
#ifndef BOGUS_TEST_LOOPBACK_DNS_H
#define BOGUS_TEST_LOOPBACK_DNS_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

enum mode {
	M_GOOD,			/* answer 192.0.2.1 at once */
	M_WRONG_ID_FIRST,	/* a reply with another ID, then the right one */
	M_WRONG_PORT_FIRST,	/* 6.6.6.6 from another port, then the right one */
	M_WRONG_QNAME_FIRST,	/* other question first */
	M_NO_QR_FIRST,		/* the query echoed back (QR=0) first */
	M_UPPER_CASE,		/* question echoed in upper case */
	M_TRUNCATE,		/* UDP: TC=1, empty; TCP: full answer */
	M_TRUNCATE_BARE,	/* UDP: a bare header with TC (no question) */
	M_SILENT,		/* never answers */
	M_DRIP,			/* TCP: one byte every 200 ms */
	M_RST,			/* TCP: accept, then reset */
	M_DELAY,		/* every answer 300 ms late, all concurrently */
	M_GARBAGE,		/* right ID and QR, then junk */
	M_EDNS,			/* echo DO/NSID presence as EDE + NSID */
	M_VALIDATOR,		/* a validating resolver: AD; the canary
				   dnssec-failed.test. SERVFAIL + EDE 9
				   unless CD; MX answered "10 mail.ZONE" */
	M_SERVFAIL,		/* a resolver whose upstream is dead */
	M_NOQ_REFUSED,		/* REFUSED with no question section */
	M_NOQ_FORMERR,		/* FORMERR with no question section */
	M_NOQ_NOTIMP,		/* NOTIMP with no question section */
	M_NOQ_NOERROR,		/* NOERROR, no question: not a match */
	M_DROP_FIRST,		/* ignores the first UDP query, answers the rest */
	M_SLOW_FIRST_ONLY,	/* answers only the first UDP query, 1.9 s late
				   (Unbound's discard-timeout); ignores retries */
	M_TRUNCATE_RST,		/* UDP: TC=1; TCP: accept, then reset */
	M_VALIDATOR_COLD,	/* M_VALIDATOR, but its first www.example.test.
				   question without CD fails (SERVFAIL) */
	M_TWICE_FIRST,		/* UDP: the first query answered at once and
				   again (6.6.6.6) 100 ms later; the rest 250
				   ms late */
};

#define MAX_PENDING 512
#define MAX_CONN 64

struct pending {
	int64_t due;
	struct sockaddr_storage to;
	socklen_t tolen;
	uint8_t *buf;
	size_t len;
};

struct conn {
	int fd;
	uint8_t in[2 + 512];
	size_t in_got;
	uint8_t *out;
	size_t out_len, out_off;
	int64_t next_write;
};

struct server {
	enum mode mode;
	int udp, udp2, tcp;
	uint16_t port;
	int stop[2];
	pthread_t thread;
	atomic_uint udp_queries;
	atomic_uint cold_fails;	/* M_VALIDATOR_COLD: failures so far */
	atomic_bool mute;	/* set by a test: drop every UDP query for now */
	struct pending pend[MAX_PENDING];
	struct conn conns[MAX_CONN];
	pthread_mutex_t lock;	/* guards last_query */
	uint8_t last_query[512];
	size_t last_query_len;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void add_a(ldns_pkt *r, const ldns_rr *question, const char *addr)
{
	ldns_rr *rr = ldns_rr_new();

	ldns_rr_set_type(rr, LDNS_RR_TYPE_A);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_owner(rr, ldns_rdf_clone(ldns_rr_owner(question)));
	ldns_rr_set_ttl(rr, 300);
	ldns_rr_push_rdf(rr, ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, addr));
	ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, rr);
}

/* The reply to @p query for @p variant; NULL if the query is unparsable. */
static uint8_t *make_reply(const uint8_t *q, size_t qlen, const char *variant,
			   const char *addr, bool tc, size_t *len)
{
	ldns_pkt *query = NULL, *r;
	const ldns_rr *question;
	uint8_t *wire = NULL;

	if (ldns_wire2pkt(&query, q, qlen) != LDNS_STATUS_OK)
		return NULL;
	question = ldns_rr_list_rr(ldns_pkt_question(query), 0);
	r = ldns_pkt_new();
	ldns_pkt_set_id(r, ldns_pkt_id(query));
	ldns_pkt_set_qr(r, true);
	ldns_pkt_set_rd(r, ldns_pkt_rd(query));
	ldns_pkt_set_cd(r, ldns_pkt_cd(query));
	ldns_pkt_set_ra(r, true);
	if (strcmp(variant, "wrong-id") == 0)
		ldns_pkt_set_id(r, (uint16_t)(ldns_pkt_id(query) ^ 0x5a5a));
	if (strcmp(variant, "no-qr") == 0)
		ldns_pkt_set_qr(r, false);
	if (strcmp(variant, "wrong-qname") == 0 || strcmp(variant, "upper") == 0) {
		ldns_rr *nq = ldns_rr_clone(question);
		char *s = ldns_rdf2str(ldns_rr_owner(question));

		for (char *c = s; *c; c++)
			*c = strcmp(variant, "upper") == 0 ?
			     (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c) : *c;
		ldns_rdf_deep_free(ldns_rr_owner(nq));
		if (strcmp(variant, "wrong-qname") == 0)
			ldns_rr_set_owner(nq, ldns_dname_new_frm_str("other.test."));
		else
			ldns_rr_set_owner(nq, ldns_dname_new_frm_str(s));
		free(s);
		ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION, nq);
	} else {
		ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION, ldns_rr_clone(question));
	}
	char *owner = ldns_rdf2str(ldns_rr_owner(question));
	bool bogus = strcmp(variant, "validator") == 0 && !ldns_pkt_cd(query) &&
		     strcasecmp(owner, "dnssec-failed.test.") == 0;

	if (strcmp(variant, "servfail") == 0 || bogus) {
		ldns_pkt_set_rcode(r, LDNS_RCODE_SERVFAIL);
	} else if (tc) {
		ldns_pkt_set_tc(r, true);
	} else if (ldns_rr_get_type(question) == LDNS_RR_TYPE_MX) {
		ldns_rr *mx = NULL;
		char line[300];

		snprintf(line, sizeof(line), "%s 300 IN MX 10 mail.%s", owner, owner);
		if (ldns_rr_new_frm_str(&mx, line, 0, NULL, NULL) == LDNS_STATUS_OK)
			ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, mx);
	} else {
		add_a(r, question, addr);
	}
	if (strcmp(variant, "validator") == 0 && !bogus)
		ldns_pkt_set_ad(r, true);
	if (bogus) {
		static const uint8_t ede9[] = { 0, 15, 0, 2, 0, 9 };

		ldns_pkt_set_edns_udp_size(r, 1232);
		ldns_pkt_set_edns_data(r, ldns_rdf_new_frm_data(
			LDNS_RDF_TYPE_UNKNOWN, sizeof(ede9), ede9));
	}
	free(owner);
	if (strcmp(variant, "edns") == 0) {
		/* EDE 0 text "do=D nsid=N", and NSID "lab-ns1". */
		uint8_t opt[64];
		size_t o = 0;
		char txt[32];
		bool nsid = false;
		ldns_rdf *qd = ldns_pkt_edns_data(query);

		if (qd != NULL && ldns_rdf_size(qd) >= 4 &&
		    ldns_rdf_data(qd)[1] == 3)
			nsid = true;
		snprintf(txt, sizeof(txt), "do=%d nsid=%d",
			 ldns_pkt_edns_do(query), nsid);
		opt[o++] = 0; opt[o++] = 15;
		opt[o++] = 0; opt[o++] = (uint8_t)(2 + strlen(txt));
		opt[o++] = 0; opt[o++] = 0;
		memcpy(opt + o, txt, strlen(txt));
		o += strlen(txt);
		opt[o++] = 0; opt[o++] = 3; opt[o++] = 0; opt[o++] = 7;
		memcpy(opt + o, "lab-ns1", 7);
		o += 7;
		ldns_pkt_set_edns_udp_size(r, 1232);
		ldns_pkt_set_edns_data(r, ldns_rdf_new_frm_data(
			LDNS_RDF_TYPE_UNKNOWN, o, opt));
	}
	ldns_pkt2wire(&wire, r, len);
	ldns_pkt_free(r);
	ldns_pkt_free(query);
	return wire;
}

static void queue_reply(struct server *s, int64_t due, uint8_t *buf, size_t len,
			const struct sockaddr_storage *to, socklen_t tolen)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (s->pend[i].buf == NULL) {
			s->pend[i] = (struct pending){ .due = due, .to = *to,
				.tolen = tolen, .buf = buf, .len = len };
			return;
		}
	free(buf);
}

static void send_to(int fd, const uint8_t *b, size_t n,
		    const struct sockaddr_storage *to, socklen_t tolen)
{
	ssize_t r = sendto(fd, b, n, 0, (const struct sockaddr *)to, tolen);

	(void)r;
}

static void on_udp(struct server *s)
{
	uint8_t q[512];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t n = recvfrom(s->udp, q, sizeof(q), 0, (struct sockaddr *)&from, &flen);
	size_t len;
	uint8_t *r;

	if (n <= 0)
		return;
	atomic_fetch_add(&s->udp_queries, 1);
	pthread_mutex_lock(&s->lock);
	memcpy(s->last_query, q, (size_t)n);
	s->last_query_len = (size_t)n;
	pthread_mutex_unlock(&s->lock);
	if (atomic_load(&s->mute))
		return;
	switch (s->mode) {
	case M_SILENT:
		return;
	case M_WRONG_ID_FIRST:
	case M_WRONG_QNAME_FIRST:
	case M_NO_QR_FIRST:
		r = make_reply(q, (size_t)n, s->mode == M_WRONG_ID_FIRST ? "wrong-id" :
			       s->mode == M_NO_QR_FIRST ? "no-qr" : "wrong-qname",
			       "6.6.6.6", false, &len);
		send_to(s->udp, r, len, &from, flen);
		free(r);
		break;
	case M_WRONG_PORT_FIRST:
		r = make_reply(q, (size_t)n, "", "6.6.6.6", false, &len);
		send_to(s->udp2, r, len, &from, flen);
		free(r);
		usleep(20000);
		break;
	case M_TRUNCATE_BARE:
		q[2] |= 0x80 | 0x02;	/* QR, TC */
		memset(q + 4, 0, 8);	/* no sections at all */
		send_to(s->udp, q, 12, &from, flen);
		return;
	case M_GARBAGE:
		q[2] |= 0x80;	/* QR */
		q[5] = 9;	/* claims 9 questions it does not have */
		send_to(s->udp, q, 14, &from, flen);
		return;
	case M_DELAY:
		r = make_reply(q, (size_t)n, "", "192.0.2.1", false, &len);
		queue_reply(s, mono_ms() + 300, r, len, &from, flen);
		return;
	case M_NOQ_REFUSED:
	case M_NOQ_FORMERR:
	case M_NOQ_NOTIMP:
	case M_NOQ_NOERROR:
		q[2] = (uint8_t)((q[2] & 0x01) | 0x80);	/* QR, keep RD */
		q[3] = s->mode == M_NOQ_REFUSED ? 5 : s->mode == M_NOQ_FORMERR ? 1 :
		       s->mode == M_NOQ_NOTIMP ? 4 : 0;
		memset(q + 4, 0, 8);	/* no sections at all */
		send_to(s->udp, q, 12, &from, flen);
		return;
	case M_DROP_FIRST:
		if (atomic_load(&s->udp_queries) == 1)
			return;
		break;
	case M_VALIDATOR_COLD: {
		static const uint8_t www[] = "\3www\7example\4test";

		if (n >= 12 + (ssize_t)sizeof(www) && !(q[3] & 0x10) &&
		    memcmp(q + 12, www, sizeof(www)) == 0 &&
		    atomic_fetch_add(&s->cold_fails, 1) == 0) {
			r = make_reply(q, (size_t)n, "servfail", "192.0.2.1", false, &len);
			send_to(s->udp, r, len, &from, flen);
			free(r);
			return;
		}
		r = make_reply(q, (size_t)n, "validator", "192.0.2.1", false, &len);
		send_to(s->udp, r, len, &from, flen);
		free(r);
		return;
	}
	case M_TWICE_FIRST:
		r = make_reply(q, (size_t)n, "", "192.0.2.1", false, &len);
		if (atomic_load(&s->udp_queries) > 1) {
			queue_reply(s, mono_ms() + 250, r, len, &from, flen);
			return;
		}
		send_to(s->udp, r, len, &from, flen);
		free(r);
		r = make_reply(q, (size_t)n, "", "6.6.6.6", false, &len);
		queue_reply(s, mono_ms() + 100, r, len, &from, flen);
		return;
	case M_SLOW_FIRST_ONLY:
		if (atomic_load(&s->udp_queries) > 1)
			return;
		r = make_reply(q, (size_t)n, "", "192.0.2.1", false, &len);
		queue_reply(s, mono_ms() + 1900, r, len, &from, flen);
		return;
	default:
		break;
	}
	r = make_reply(q, (size_t)n, s->mode == M_UPPER_CASE ? "upper" :
		       s->mode == M_EDNS ? "edns" :
		       s->mode == M_VALIDATOR ? "validator" :
		       s->mode == M_SERVFAIL ? "servfail" : "", "192.0.2.1",
		       s->mode == M_TRUNCATE || s->mode == M_TRUNCATE_RST, &len);
	if (r != NULL)
		send_to(s->udp, r, len, &from, flen);
	free(r);
}

static void on_accept(struct server *s)
{
	int fd = accept(s->tcp, NULL, NULL);

	if (fd < 0)
		return;
	if (s->mode == M_RST || s->mode == M_TRUNCATE_RST) {
		struct linger l = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		close(fd);
		return;
	}
	for (int i = 0; i < MAX_CONN; i++)
		if (s->conns[i].fd < 0) {
			s->conns[i] = (struct conn){ .fd = fd };
			return;
		}
	close(fd);
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	free(c->out);
	*c = (struct conn){ .fd = -1 };
}

static void on_conn(struct server *s, struct conn *c, int64_t now)
{
	if (c->out == NULL) {
		ssize_t n = read(c->fd, c->in + c->in_got, sizeof(c->in) - c->in_got);
		size_t qlen, len;
		uint8_t *r;

		if (n <= 0) {
			conn_close(c);
			return;
		}
		c->in_got += (size_t)n;
		if (c->in_got < 2)
			return;
		qlen = (size_t)c->in[0] << 8 | c->in[1];
		if (c->in_got < 2 + qlen)
			return;
		if (s->mode == M_SILENT)
			return;
		r = make_reply(c->in + 2, qlen, "", "192.0.2.1", false, &len);
		if (r == NULL) {
			conn_close(c);
			return;
		}
		c->out = malloc(len + 2);
		c->out[0] = (uint8_t)(len >> 8);
		c->out[1] = (uint8_t)len;
		memcpy(c->out + 2, r, len);
		c->out_len = len + 2;
		free(r);
		c->next_write = now;
	}
	if (c->out_off < c->out_len && now >= c->next_write) {
		size_t chunk = s->mode == M_DRIP ? 1 : c->out_len - c->out_off;
		ssize_t n = write(c->fd, c->out + c->out_off, chunk);

		if (n > 0)
			c->out_off += (size_t)n;
		c->next_write = now + 200;
	}
}

static void *server_main(void *arg)
{
	struct server *s = arg;

	for (;;) {
		struct pollfd p[3 + MAX_CONN];
		int map[3 + MAX_CONN];
		nfds_t n = 0;
		int64_t now = mono_ms(), next = now + 1000;

		p[n++] = (struct pollfd){ .fd = s->stop[0], .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = s->udp, .events = POLLIN };
		p[n++] = (struct pollfd){ .fd = s->tcp, .events = POLLIN };
		for (int i = 0; i < MAX_CONN; i++) {
			struct conn *c = &s->conns[i];

			if (c->fd < 0)
				continue;
			map[n] = i;
			p[n++] = (struct pollfd){ .fd = c->fd,
				.events = c->out ? 0 : POLLIN };
			if (c->out && c->out_off < c->out_len && c->next_write < next)
				next = c->next_write;
		}
		for (int i = 0; i < MAX_PENDING; i++)
			if (s->pend[i].buf && s->pend[i].due < next)
				next = s->pend[i].due;
		poll(p, n, next > now ? (int)(next - now) : 0);
		if (p[0].revents)
			break;
		if (p[1].revents)
			on_udp(s);
		if (p[2].revents)
			on_accept(s);
		now = mono_ms();
		for (nfds_t i = 3; i < n; i++)
			if (s->conns[map[i]].fd >= 0 &&
			    (p[i].revents || s->conns[map[i]].out))
				on_conn(s, &s->conns[map[i]], now);
		for (int i = 0; i < MAX_PENDING; i++) {
			struct pending *pd = &s->pend[i];

			if (pd->buf && pd->due <= now) {
				send_to(s->udp, pd->buf, pd->len, &pd->to, pd->tolen);
				free(pd->buf);
				pd->buf = NULL;
			}
		}
	}
	return NULL;
}

static int bound_socket(int type, uint16_t port)
{
	int fd = socket(AF_INET, type, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint16_t local_port(int fd)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);

	getsockname(fd, (struct sockaddr *)&a, &l);
	return ntohs(a.sin_port);
}

static struct server *server_start(enum mode mode)
{
	struct server *s = calloc(1, sizeof(*s));

	s->mode = mode;
	pthread_mutex_init(&s->lock, NULL);
	for (int i = 0; i < MAX_CONN; i++)
		s->conns[i].fd = -1;
	/* UDP and TCP on the same port: retry until a free pair is found. */
	for (int attempt = 0; attempt < 50; attempt++) {
		s->udp = bound_socket(SOCK_DGRAM, 0);
		s->port = local_port(s->udp);
		s->tcp = bound_socket(SOCK_STREAM, s->port);
		if (s->tcp >= 0)
			break;
		close(s->udp);
	}
	assert_true(s->tcp >= 0);
	listen(s->tcp, 16);
	s->udp2 = bound_socket(SOCK_DGRAM, 0);
	assert_int_equal(pipe(s->stop), 0);
	assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
	return s;
}

static void server_stop(struct server *s)
{
	assert_int_equal(write(s->stop[1], "x", 1), 1);
	pthread_join(s->thread, NULL);
	close(s->udp);
	close(s->udp2);
	close(s->tcp);
	close(s->stop[0]);
	close(s->stop[1]);
	for (int i = 0; i < MAX_CONN; i++)
		if (s->conns[i].fd >= 0)
			conn_close(&s->conns[i]);
	for (int i = 0; i < MAX_PENDING; i++)
		free(s->pend[i].buf);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

#endif
