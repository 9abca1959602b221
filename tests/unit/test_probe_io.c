/*
 * test_probe_io.c - the query engine against real servers on loopback.
 *
 * Each test starts a small DNS server thread on 127.0.0.1 (kernel-chosen
 * port, UDP and TCP on the same port) that misbehaves in one chosen way,
 * runs queries through probe_io, and checks what a user of the engine would
 * rely on: the outcome, that spoofed-looking replies are refused and
 * counted, that deadlines hold, and that a batch costs one round trip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "probe_io.h"
#include "model.h"

enum mode {
	M_GOOD,			/* answer 192.0.2.1 at once */
	M_WRONG_ID_FIRST,	/* a reply with another ID, then the right one */
	M_WRONG_PORT_FIRST,	/* 6.6.6.6 from another port, then the right one */
	M_WRONG_QNAME_FIRST,	/* other question first */
	M_NO_QR_FIRST,		/* the query echoed back (QR=0) first */
	M_UPPER_CASE,		/* question echoed in upper case */
	M_TRUNCATE,		/* UDP: TC=1, empty; TCP: full answer */
	M_SILENT,		/* never answers */
	M_DRIP,			/* TCP: one byte every 200 ms */
	M_RST,			/* TCP: accept, then reset */
	M_DELAY,		/* every answer 300 ms late, all concurrently */
	M_GARBAGE,		/* right ID and QR, then junk */
	M_EDNS,			/* echo DO/NSID presence as EDE + NSID */
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
	if (tc)
		ldns_pkt_set_tc(r, true);
	else
		add_a(r, question, addr);
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
	case M_GARBAGE:
		q[2] |= 0x80;	/* QR */
		q[5] = 9;	/* claims 9 questions it does not have */
		send_to(s->udp, q, 14, &from, flen);
		return;
	case M_DELAY:
		r = make_reply(q, (size_t)n, "", "192.0.2.1", false, &len);
		queue_reply(s, mono_ms() + 300, r, len, &from, flen);
		return;
	default:
		break;
	}
	r = make_reply(q, (size_t)n, s->mode == M_UPPER_CASE ? "upper" :
		       s->mode == M_EDNS ? "edns" : "", "192.0.2.1",
		       s->mode == M_TRUNCATE, &len);
	if (r != NULL)
		send_to(s->udp, r, len, &from, flen);
	free(r);
}

static void on_accept(struct server *s)
{
	int fd = accept(s->tcp, NULL, NULL);

	if (fd < 0)
		return;
	if (s->mode == M_RST) {
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

static struct probe_io_opts opts_ms(unsigned timeout_ms, unsigned tries)
{
	return (struct probe_io_opts){ .timeout_ms = timeout_ms, .tries = tries,
				       .edns_bufsize = 1232 };
}

/* One query for www.example.test. A to @p s; returns late replies. */
static unsigned ask(struct probe_io *io, struct server *s, struct probe_query *q,
		    unsigned flags, unsigned timeout_ms, unsigned tries)
{
	struct probe_io_opts o = opts_ms(timeout_ms, tries);

	*q = (struct probe_query){ .server = "127.0.0.1", .port = s->port,
		.qname = "www.example.test.", .qtype = 1, .flags = flags };
	return probe_io_run(io, q, 1, &o);
}

static bool answer_has(const struct probe_query *q, const char *needle)
{
	for (size_t i = 0; i < q->reply.n_answer; i++)
		if (strstr(q->reply.answer[i], needle))
			return true;
	return false;
}

static void test_new_free_null(void **state)
{
	(void)state;
	probe_io_free(NULL);
	probe_io_cancel(NULL);
	probe_query_clear(NULL);
	struct probe_io *io = probe_io_new(3);

	assert_non_null(io);
	assert_int_equal(probe_io_run(io, NULL, 0, NULL), 0);
	probe_io_free(io);
}

static void test_good_answer(void **state)
{
	struct probe_io *io = *state;
	struct server *s = server_start(M_GOOD);
	struct probe_query q;

	assert_int_equal(ask(io, s, &q, PQ_RD, 1000, 1), 0);
	assert_int_equal(q.reply.outcome, OUTCOME_ANSWER);
	assert_int_equal(q.reply.rcode, RCODE_NOERROR);
	assert_true(q.reply.ra);
	assert_false(q.reply.via_tcp);
	assert_non_null(q.pkt);
	assert_true(answer_has(&q, "192.0.2.1"));
	assert_true(q.reply.rtt_ms < 1000);
	probe_query_clear(&q);
	server_stop(s);
}

static void expect_refused_then_right(struct probe_io *io, enum mode m,
				      bool counted)
{
	struct server *s = server_start(m);
	struct probe_query q;
	unsigned late = ask(io, s, &q, 0, 1000, 1);

	assert_int_equal(q.reply.outcome, OUTCOME_ANSWER);
	assert_true(answer_has(&q, "192.0.2.1"));
	assert_false(answer_has(&q, "6.6.6.6"));
	if (counted)
		assert_int_equal(late, 1);
	probe_query_clear(&q);
	server_stop(s);
}

static void test_wrong_id_refused(void **state)
{
	expect_refused_then_right(*state, M_WRONG_ID_FIRST, true);
}

static void test_wrong_qname_refused(void **state)
{
	expect_refused_then_right(*state, M_WRONG_QNAME_FIRST, true);
}

static void test_no_qr_refused(void **state)
{
	expect_refused_then_right(*state, M_NO_QR_FIRST, true);
}

static void test_wrong_port_refused(void **state)
{
	/* The connected socket never delivers it, so it is not counted. */
	expect_refused_then_right(*state, M_WRONG_PORT_FIRST, false);
}

static void test_upper_case_question_ok(void **state)
{
	struct server *s = server_start(M_UPPER_CASE);
	struct probe_query q;

	assert_int_equal(ask(*state, s, &q, 0, 1000, 1), 0);
	assert_int_equal(q.reply.outcome, OUTCOME_ANSWER);
	probe_query_clear(&q);
	server_stop(s);
}

static void test_truncated_retries_tcp(void **state)
{
	struct server *s = server_start(M_TRUNCATE);
	struct probe_query q;

	ask(*state, s, &q, 0, 1000, 1);
	assert_int_equal(q.reply.outcome, OUTCOME_ANSWER);
	assert_true(q.reply.tc_retried);
	assert_true(q.reply.via_tcp);
	assert_false(q.reply.tc);
	assert_true(answer_has(&q, "192.0.2.1"));
	probe_query_clear(&q);

	ask(*state, s, &q, PQ_NO_TCP_FALLBACK, 1000, 1);
	assert_int_equal(q.reply.outcome, OUTCOME_ANSWER);
	assert_true(q.reply.tc);
	assert_false(q.reply.tc_retried);
	assert_false(q.reply.via_tcp);
	probe_query_clear(&q);
	server_stop(s);
}

static void test_silent_times_out_with_retries(void **state)
{
	struct server *s = server_start(M_SILENT);
	struct probe_query q;
	int64_t t0 = mono_ms(), dt;

	ask(*state, s, &q, 0, 300, 2);
	dt = mono_ms() - t0;
	assert_int_equal(q.reply.outcome, OUTCOME_TIMEOUT);
	assert_int_equal(q.reply.rcode, -1);
	assert_null(q.pkt);
	assert_true(dt >= 550 && dt < 900);
	assert_int_equal(atomic_load(&s->udp_queries), 2);
	probe_query_clear(&q);
	server_stop(s);
}

static void test_tcp_drip_deadline(void **state)
{
	struct server *s = server_start(M_DRIP);
	struct probe_query q;
	int64_t t0 = mono_ms(), dt;

	/* Each byte comes in time for a per-read timer: the deadline must hold. */
	ask(*state, s, &q, PQ_TCP, 700, 1);
	dt = mono_ms() - t0;
	assert_int_equal(q.reply.outcome, OUTCOME_TIMEOUT);
	assert_true(q.reply.via_tcp);
	assert_true(dt >= 650 && dt < 1100);
	probe_query_clear(&q);
	server_stop(s);
}

static void test_tcp_reset_is_net_error(void **state)
{
	struct server *s = server_start(M_RST);
	struct probe_query q;

	ask(*state, s, &q, PQ_TCP, 1000, 1);
	assert_int_equal(q.reply.outcome, OUTCOME_NET_ERROR);
	assert_non_null(q.reply.error);
	probe_query_clear(&q);
	server_stop(s);
}

static void test_port_unreachable_is_net_error(void **state)
{
	int fd = bound_socket(SOCK_DGRAM, 0);
	uint16_t port = local_port(fd);
	struct probe_io_opts o = opts_ms(2000, 2);
	struct probe_query q = { .server = "127.0.0.1", .port = port,
		.qname = "example.test.", .qtype = 6 };
	int64_t t0;

	close(fd);	/* nobody listens there now: ICMP port unreachable */
	t0 = mono_ms();
	probe_io_run(*state, &q, 1, &o);
	assert_int_equal(q.reply.outcome, OUTCOME_NET_ERROR);
	assert_non_null(strstr(q.reply.error, "refused"));
	assert_true(mono_ms() - t0 < 1000);
	probe_query_clear(&q);

	q = (struct probe_query){ .server = "127.0.0.1", .port = port,
		.qname = "example.test.", .qtype = 6, .flags = PQ_TCP };
	probe_io_run(*state, &q, 1, &o);
	assert_int_equal(q.reply.outcome, OUTCOME_NET_ERROR);
	assert_true(q.reply.via_tcp);
	probe_query_clear(&q);
}

static void test_garbage_is_malformed(void **state)
{
	struct server *s = server_start(M_GARBAGE);
	struct probe_query q;

	ask(*state, s, &q, 0, 1000, 1);
	assert_int_equal(q.reply.outcome, OUTCOME_MALFORMED);
	assert_non_null(q.reply.error);
	assert_null(q.pkt);
	probe_query_clear(&q);
	server_stop(s);
}

static void test_bad_inputs(void **state)
{
	struct probe_io_opts o = opts_ms(500, 1);
	struct probe_query q[2] = {
		{ .server = "not-an-address", .port = 53, .qname = "a.", .qtype = 1 },
		{ .server = "127.0.0.1", .port = 53, .qname = "bad..name", .qtype = 1 },
	};

	probe_io_run(*state, q, 2, &o);
	assert_int_equal(q[0].reply.outcome, OUTCOME_NET_ERROR);
	assert_int_equal(q[1].reply.outcome, OUTCOME_MALFORMED);
	probe_query_clear(&q[0]);
	probe_query_clear(&q[1]);
}

static void test_edns_do_nsid_ede(void **state)
{
	struct server *s = server_start(M_EDNS);
	struct probe_query q;

	ask(*state, s, &q, PQ_DO | PQ_NSID | PQ_CD, 1000, 1);
	assert_int_equal(q.reply.outcome, OUTCOME_ANSWER);
	assert_int_equal(q.reply.n_ede, 1);
	assert_int_equal(q.reply.ede[0].code, 0);
	assert_string_equal(q.reply.ede[0].text, "do=1 nsid=1");
	assert_string_equal(q.reply.nsid, "lab-ns1");
	/* The query on the wire: CD set, EDNS buffer 1232. */
	ldns_pkt *sent = NULL;

	pthread_mutex_lock(&s->lock);
	assert_int_equal(ldns_wire2pkt(&sent, s->last_query, s->last_query_len),
			 LDNS_STATUS_OK);
	pthread_mutex_unlock(&s->lock);
	assert_true(ldns_pkt_cd(sent));
	assert_false(ldns_pkt_rd(sent));
	assert_int_equal(ldns_pkt_edns_udp_size(sent), 1232);
	ldns_pkt_free(sent);
	probe_query_clear(&q);

	ask(*state, s, &q, 0, 1000, 1);
	assert_string_equal(q.reply.ede[0].text, "do=0 nsid=0");
	probe_query_clear(&q);
	server_stop(s);
}

static void test_batch_costs_one_rtt(void **state)
{
	struct server *s = server_start(M_DELAY);
	struct probe_io_opts o = opts_ms(2000, 1);
	struct probe_query q[100];
	struct model *m = model_new();
	struct model_progress pr;
	int64_t t0, dt;

	o.progress = m;
	for (int i = 0; i < 100; i++)
		q[i] = (struct probe_query){ .server = "127.0.0.1", .port = s->port,
			.qname = "www.example.test.", .qtype = 1 };
	t0 = mono_ms();
	probe_io_run(*state, q, 100, &o);
	dt = mono_ms() - t0;
	for (int i = 0; i < 100; i++) {
		assert_int_equal(q[i].reply.outcome, OUTCOME_ANSWER);
		assert_true(q[i].reply.rtt_ms >= 290);
		probe_query_clear(&q[i]);
	}
	/* 100 answers each 300 ms late: about one RTT, far from 30 s. */
	assert_true(dt >= 290 && dt < 1000);
	model_progress(m, &pr);
	assert_int_equal(pr.in_flight, 0);
	assert_int_equal(pr.done, 100);
	model_free(m);
	server_stop(s);
}

struct canceller {
	struct probe_io *io;
	unsigned after_ms;
	bool free_it;
};

static void *cancel_later(void *arg)
{
	struct canceller *c = arg;

	usleep(c->after_ms * 1000);
	probe_io_cancel(c->io);
	return NULL;
}

static void test_cancel_is_prompt(void **state)
{
	struct server *s = server_start(M_SILENT);
	struct probe_io_opts o = opts_ms(10000, 3);
	struct probe_query q[40];
	struct canceller c = { .io = *state, .after_ms = 200 };
	pthread_t t;
	int64_t t0, dt;

	for (int i = 0; i < 40; i++)
		q[i] = (struct probe_query){ .server = "127.0.0.1", .port = s->port,
			.qname = "www.example.test.", .qtype = 1,
			.flags = i % 2 ? PQ_TCP : 0 };
	t0 = mono_ms();
	pthread_create(&t, NULL, cancel_later, &c);
	probe_io_run(*state, q, 40, &o);
	dt = mono_ms() - t0;
	pthread_join(t, NULL);
	assert_true(dt < 1000);
	for (int i = 0; i < 40; i++) {
		assert_int_equal(q[i].reply.outcome, OUTCOME_CANCELLED);
		probe_query_clear(&q[i]);
	}
	/* While cancelled, new batches end at once; resume restores. */
	probe_io_run(*state, q, 1, &o);
	assert_int_equal(q[0].reply.outcome, OUTCOME_CANCELLED);
	probe_query_clear(&q[0]);
	probe_io_resume(*state);
	server_stop(s);

	s = server_start(M_GOOD);
	ask(*state, s, &q[0], 0, 1000, 1);
	assert_int_equal(q[0].reply.outcome, OUTCOME_ANSWER);
	probe_query_clear(&q[0]);
	server_stop(s);
}

struct runner {
	struct probe_io *io;
	struct probe_query *q;
	size_t n;
};

static void *run_batch(void *arg)
{
	struct runner *r = arg;
	struct probe_io_opts o = opts_ms(10000, 1);

	probe_io_run(r->io, r->q, r->n, &o);
	return NULL;
}

static void test_free_with_queries_in_flight(void **state)
{
	(void)state;
	struct server *s = server_start(M_SILENT);
	struct probe_io *io = probe_io_new(2);
	struct probe_query q[10];
	struct runner r = { .io = io, .q = q, .n = 10 };
	pthread_t t;
	int64_t t0;

	for (int i = 0; i < 10; i++)
		q[i] = (struct probe_query){ .server = "127.0.0.1", .port = s->port,
			.qname = "www.example.test.", .qtype = 1,
			.flags = i % 2 ? PQ_TCP : 0 };
	pthread_create(&t, NULL, run_batch, &r);
	usleep(200000);
	t0 = mono_ms();
	probe_io_free(io);
	pthread_join(t, NULL);
	assert_true(mono_ms() - t0 < 1000);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(q[i].reply.outcome, OUTCOME_CANCELLED);
		probe_query_clear(&q[i]);
	}
	server_stop(s);
}

static void test_concurrent_batches(void **state)
{
	struct server *s = server_start(M_DELAY);
	struct probe_query a[30], b[30];
	struct runner ra = { *state, a, 30 }, rb = { *state, b, 30 };
	pthread_t ta, tb;
	int64_t t0 = mono_ms();

	for (int i = 0; i < 30; i++) {
		a[i] = (struct probe_query){ .server = "127.0.0.1", .port = s->port,
			.qname = "a.example.test.", .qtype = 1 };
		b[i] = (struct probe_query){ .server = "127.0.0.1", .port = s->port,
			.qname = "b.example.test.", .qtype = 28 };
	}
	pthread_create(&ta, NULL, run_batch, &ra);
	pthread_create(&tb, NULL, run_batch, &rb);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_true(mono_ms() - t0 < 1000);
	for (int i = 0; i < 30; i++) {
		assert_int_equal(a[i].reply.outcome, OUTCOME_ANSWER);
		assert_int_equal(b[i].reply.outcome, OUTCOME_ANSWER);
		probe_query_clear(&a[i]);
		probe_query_clear(&b[i]);
	}
	server_stop(s);
}

static int setup(void **state)
{
	*state = probe_io_new(3);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	probe_io_free(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_free_null),
		cmocka_unit_test(test_good_answer),
		cmocka_unit_test(test_wrong_id_refused),
		cmocka_unit_test(test_wrong_qname_refused),
		cmocka_unit_test(test_no_qr_refused),
		cmocka_unit_test(test_wrong_port_refused),
		cmocka_unit_test(test_upper_case_question_ok),
		cmocka_unit_test(test_truncated_retries_tcp),
		cmocka_unit_test(test_silent_times_out_with_retries),
		cmocka_unit_test(test_tcp_drip_deadline),
		cmocka_unit_test(test_tcp_reset_is_net_error),
		cmocka_unit_test(test_port_unreachable_is_net_error),
		cmocka_unit_test(test_garbage_is_malformed),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_edns_do_nsid_ede),
		cmocka_unit_test(test_batch_costs_one_rtt),
		cmocka_unit_test(test_cancel_is_prompt),
		cmocka_unit_test(test_free_with_queries_in_flight),
		cmocka_unit_test(test_concurrent_batches),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
