/* SPDX-License-Identifier: BSD-3-Clause */
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
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "probe_io.h"
#include "model.h"
#include "loopback_dns.h"

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

static void test_bare_truncated_header_retries_tcp(void **state)
{
	struct server *s = server_start(M_TRUNCATE_BARE);
	struct probe_query q;

	ask(*state, s, &q, 0, 1000, 1);
	assert_int_equal(q.reply.outcome, OUTCOME_ANSWER);
	assert_true(q.reply.tc_retried);
	assert_true(answer_has(&q, "192.0.2.1"));
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
	assert_true(dt >= 550 && dt < 2000);	/* 2 x 300 ms, not forever */
	assert_int_equal(atomic_load(&s->udp_queries), 2);
	probe_query_clear(&q);
	probe_io_scan_begin(*state);	/* forget it: ports are reused */
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
	assert_true(dt >= 650 && dt < 2500);	/* the 700 ms deadline, not the drip */
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

static void test_ipv6_loopback(void **state)
{
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t l = sizeof(a);
	struct probe_io_opts o = opts_ms(1000, 1);
	struct probe_query q;

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (fd >= 0)
			close(fd);
		skip();	/* no IPv6 loopback on this machine */
	}
	getsockname(fd, (struct sockaddr *)&a, &l);
	close(fd);
	q = (struct probe_query){ .server = "::1", .port = ntohs(a.sin6_port),
		.qname = "example.test.", .qtype = 6 };
	probe_io_run(*state, &q, 1, &o);
	assert_int_equal(q.reply.outcome, OUTCOME_NET_ERROR);
	assert_non_null(strstr(q.reply.error, "refused"));
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

/* The last query @p s received, parsed (the caller frees it). */
static ldns_pkt *last_query(struct server *s)
{
	ldns_pkt *sent = NULL;

	pthread_mutex_lock(&s->lock);
	assert_int_equal(ldns_wire2pkt(&sent, s->last_query, s->last_query_len),
			 LDNS_STATUS_OK);
	pthread_mutex_unlock(&s->lock);
	return sent;
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
	ldns_pkt *sent = last_query(s);

	assert_true(ldns_pkt_cd(sent));
	assert_false(ldns_pkt_rd(sent));
	assert_false(ldns_pkt_qr(sent));
	assert_int_equal(ldns_pkt_get_opcode(sent), LDNS_PACKET_QUERY);
	assert_int_equal(ldns_pkt_qdcount(sent), 1);
	assert_int_equal(ldns_pkt_ancount(sent) + ldns_pkt_nscount(sent), 0);
	const ldns_rr *qrr = ldns_rr_list_rr(ldns_pkt_question(sent), 0);
	char *owner = ldns_rdf2str(ldns_rr_owner(qrr));

	assert_string_equal(owner, "www.example.test.");
	free(owner);
	assert_int_equal(ldns_rr_get_type(qrr), LDNS_RR_TYPE_A);
	assert_int_equal(ldns_rr_get_class(qrr), LDNS_RR_CLASS_IN);
	assert_int_equal(ldns_pkt_edns_udp_size(sent), 1232);
	assert_true(ldns_pkt_edns_do(sent));
	assert_int_equal(ldns_pkt_edns_version(sent), 0);
	assert_non_null(ldns_pkt_edns_data(sent));	/* NSID, empty */
	assert_int_equal(ldns_rdf_size(ldns_pkt_edns_data(sent)), 4);
	assert_memory_equal(ldns_rdf_data(ldns_pkt_edns_data(sent)), "\0\3\0\0", 4);
	ldns_pkt_free(sent);
	probe_query_clear(&q);

	ask(*state, s, &q, PQ_RD, 1000, 1);
	assert_string_equal(q.reply.ede[0].text, "do=0 nsid=0");
	sent = last_query(s);
	assert_true(ldns_pkt_rd(sent));
	assert_false(ldns_pkt_cd(sent));
	assert_false(ldns_pkt_edns_do(sent));
	assert_int_equal(ldns_pkt_edns_udp_size(sent), 1232);	/* EDNS all the same */
	ldns_pkt_free(sent);
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
	/* 100 answers each 300 ms late: about one RTT, far from 30 s (the
	 * bound leaves room for a loaded machine). */
	assert_true(dt >= 290 && dt < 3000);
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
	assert_true(dt < 3000);	/* cancelled at 200 ms, not 30 s of tries */
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

struct mooter {
	struct probe_io *io;
	atomic_bool *moot;
	unsigned after_ms;
};

static void *moot_later(void *arg)
{
	struct mooter *m = arg;
	struct timespec ts = { m->after_ms / 1000, (m->after_ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
	atomic_store(m->moot, true);
	probe_io_poke(m->io);
	return NULL;
}

/* A query whose answer is no longer needed ends at once, as cancelled, and
 * only it: its neighbours in the batch are answered as usual. */
static void test_moot_query_ends_alone(void **state)
{
	struct server *silent = server_start(M_SILENT), *good = server_start(M_GOOD);
	struct probe_io_opts o = opts_ms(10000, 3);	/* 30 s if never mooted */
	atomic_bool moot;
	struct mooter m = { .io = *state, .moot = &moot, .after_ms = 200 };
	struct probe_query q[3] = {
		{ .server = "127.0.0.1", .port = silent->port, .moot = &moot,
		  .qname = "www.example.test.", .qtype = 1 },
		{ .server = "127.0.0.1", .port = silent->port, .moot = &moot,
		  .qname = "www.example.test.", .qtype = 1, .flags = PQ_TCP },
		{ .server = "127.0.0.1", .port = good->port, .moot = NULL,
		  .qname = "www.example.test.", .qtype = 1 },
	};
	pthread_t t;

	atomic_init(&moot, false);
	pthread_create(&t, NULL, moot_later, &m);
	probe_io_run(*state, q, 3, &o);
	pthread_join(t, NULL);
	assert_int_equal(q[0].reply.outcome, OUTCOME_CANCELLED);
	assert_int_equal(q[1].reply.outcome, OUTCOME_CANCELLED);
	assert_int_equal(q[2].reply.outcome, OUTCOME_ANSWER);
	/* The engine is not cancelled: the next batch runs. */
	probe_query_clear(&q[2]);
	ask(*state, good, &q[2], 0, 1000, 1);
	assert_int_equal(q[2].reply.outcome, OUTCOME_ANSWER);
	for (int i = 0; i < 3; i++)
		probe_query_clear(&q[i]);
	server_stop(silent);
	server_stop(good);
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

struct progress_runner {
	struct probe_io *io;
	struct probe_query *q;
	size_t n;
	struct probe_io_opts opts;
};

static void *run_batch_with(void *arg)
{
	struct progress_runner *r = arg;

	probe_io_run(r->io, r->q, r->n, &r->opts);
	return NULL;
}

/*
 * The status line names the server a refresh really waits on: once the
 * answered queries end, the silent one is named, even though they all
 * started in the same millisecond (the first one's name stayed on screen,
 * pointing at a healthy server, for the whole budget).
 */
static void test_waiting_names_the_silent_server(void **state)
{
	struct server *silent = server_start(M_SILENT), *good = server_start(M_GOOD);
	struct model *m = model_new();
	struct model_progress pr = { 0 };
	struct probe_query q[4];
	struct progress_runner r = { .io = *state, .q = q, .n = 4,
				     .opts = opts_ms(10000, 1) };
	atomic_bool moot;
	char want[32];
	pthread_t t;

	atomic_init(&moot, false);
	r.opts.progress = m;
	for (int i = 0; i < 4; i++)	/* the answered ones first */
		q[i] = (struct probe_query){ .server = "127.0.0.1",
			.port = i < 3 ? good->port : silent->port,
			.moot = i < 3 ? NULL : &moot,
			.qname = "www.example.test.", .qtype = 1 };
	snprintf(want, sizeof(want), "127.0.0.1:%u", (unsigned)silent->port);
	pthread_create(&t, NULL, run_batch_with, &r);
	for (int i = 0; i < 100 && pr.waiting_on[0] == '\0'; i++) {
		usleep(50000);
		model_progress(m, &pr);
	}
	assert_string_equal(pr.waiting_on, want);
	atomic_store(&moot, true);
	probe_io_poke(*state);
	pthread_join(t, NULL);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(q[i].reply.outcome, i < 3 ? OUTCOME_ANSWER : OUTCOME_CANCELLED);
		probe_query_clear(&q[i]);
	}
	model_progress(m, &pr);
	assert_string_equal(pr.waiting_on, "");	/* nothing left to wait on */
	model_free(m);
	server_stop(silent);
	server_stop(good);
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
	assert_true(mono_ms() - t0 < 3000);	/* not the 10 s timeout */
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
	assert_true(mono_ms() - t0 < 3000);	/* one by one would be 18 s */
	for (int i = 0; i < 30; i++) {
		assert_int_equal(a[i].reply.outcome, OUTCOME_ANSWER);
		assert_int_equal(b[i].reply.outcome, OUTCOME_ANSWER);
		probe_query_clear(&a[i]);
		probe_query_clear(&b[i]);
	}
	server_stop(s);
}

static void test_busy_workers_take_new_batches(void **state)
{
	struct server *silent = server_start(M_SILENT), *good = server_start(M_GOOD);
	struct probe_query slow[12], fast[40];
	struct runner rs = { *state, slow, 12 };
	struct probe_io_opts o = opts_ms(1000, 1);
	pthread_t t;
	int64_t t0;

	/* Every worker is busy with queries that take the whole 10 s... */
	for (int i = 0; i < 12; i++)
		slow[i] = (struct probe_query){ .server = "127.0.0.1",
			.port = silent->port, .qname = "slow.example.test.",
			.qtype = 1 };
	pthread_create(&t, NULL, run_batch, &rs);
	usleep(100000);
	/* ...yet a new batch gets going at once, all of it. */
	for (int i = 0; i < 40; i++)
		fast[i] = (struct probe_query){ .server = "127.0.0.1",
			.port = good->port, .qname = "fast.example.test.",
			.qtype = 1 };
	t0 = mono_ms();
	probe_io_run(*state, fast, 40, &o);
	assert_true(mono_ms() - t0 < 2000);	/* the busy ones take 10 s */
	for (int i = 0; i < 40; i++) {
		assert_int_equal(fast[i].reply.outcome, OUTCOME_ANSWER);
		probe_query_clear(&fast[i]);
	}
	probe_io_cancel(*state);
	pthread_join(t, NULL);
	probe_io_resume(*state);
	for (int i = 0; i < 12; i++)
		probe_query_clear(&slow[i]);
	server_stop(silent);
	server_stop(good);
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

/* Error replies that do not echo the question still end the query. */
static void expect_questionless(struct probe_io *io, enum mode m, int rcode)
{
	struct server *s = server_start(m);
	struct probe_query q;

	assert_int_equal(ask(io, s, &q, PQ_RD, 2000, 2), 0);
	assert_int_equal(q.reply.outcome, OUTCOME_ANSWER);
	assert_int_equal(q.reply.rcode, rcode);
	/* Answered at the first try, not retried until the budget ran out. */
	assert_int_equal(atomic_load(&s->udp_queries), 1);
	probe_query_clear(&q);
	server_stop(s);
}

static void test_questionless_refused(void **state)
{
	expect_questionless(*state, M_NOQ_REFUSED, RCODE_REFUSED);
}

static void test_questionless_formerr(void **state)
{
	expect_questionless(*state, M_NOQ_FORMERR, RCODE_FORMERR);
}

static void test_questionless_notimp(void **state)
{
	expect_questionless(*state, M_NOQ_NOTIMP, RCODE_NOTIMP);
}

static void test_questionless_noerror_refused(void **state)
{
	/* Data without a question could be anyone's: not matched, counted. */
	struct server *s = server_start(M_NOQ_NOERROR);
	struct probe_query q;
	unsigned late = ask(*state, s, &q, PQ_RD, 300, 1);

	assert_int_equal(q.reply.outcome, OUTCOME_TIMEOUT);
	assert_true(late >= 1);
	probe_query_clear(&q);
	server_stop(s);
}

static void test_first_try_dropped_retransmit_answers(void **state)
{
	struct server *s = server_start(M_DROP_FIRST);
	struct probe_query q;

	/* A budget of one 2 s try: the retransmit comes well inside it. */
	ask(*state, s, &q, PQ_RD, 2000, 1);
	assert_int_equal(q.reply.outcome, OUTCOME_ANSWER);
	assert_true(answer_has(&q, "192.0.2.1"));
	assert_int_equal(atomic_load(&s->udp_queries), 2);
	probe_query_clear(&q);
	server_stop(s);
}

static void test_late_answer_to_first_try_accepted(void **state)
{
	/*
	 * The server answers only the first transmission, 1.9 s later: the
	 * engine has retransmitted meanwhile (before 1.9 s) and still takes
	 * the reply to the first one.
	 */
	struct server *s = server_start(M_SLOW_FIRST_ONLY);
	struct probe_query q;

	ask(*state, s, &q, PQ_RD, 2000, 2);
	assert_int_equal(q.reply.outcome, OUTCOME_ANSWER);
	assert_true(answer_has(&q, "192.0.2.1"));
	assert_true(atomic_load(&s->udp_queries) >= 2);
	probe_query_clear(&q);
	server_stop(s);
}

/*
 * A busy worker keeps an answered UDP socket for its next query. The server
 * answers the first query twice (the copy 100 ms later, with that query's
 * ID) and the next one 250 ms late: the next query, on the same socket to
 * the same server, drops the copy as late and takes its own answer.
 */
static void test_reused_socket_drops_old_copy(void **state)
{
	struct probe_io *io = probe_io_new(1);
	struct server *busy = server_start(M_SILENT), *s = server_start(M_TWICE_FIRST);
	struct probe_query x = { .server = "127.0.0.1", .port = busy->port,
				 .qname = "www.example.test.", .qtype = 1 };
	struct probe_query a, c;
	struct runner r = { .io = io, .q = &x, .n = 1 };
	pthread_t t;

	(void)state;
	/* One worker, never idle in between (an idle one closes its spares). */
	pthread_create(&t, NULL, run_batch, &r);
	usleep(100000);
	assert_int_equal(ask(io, s, &a, 0, 2000, 1), 0);
	assert_true(answer_has(&a, "192.0.2.1"));
	assert_int_equal(ask(io, s, &c, 0, 2000, 1), 1);	/* the copy */
	assert_int_equal(c.reply.outcome, OUTCOME_ANSWER);
	assert_true(answer_has(&c, "192.0.2.1"));
	assert_false(answer_has(&c, "6.6.6.6"));
	probe_io_cancel(io);
	pthread_join(t, NULL);
	probe_query_clear(&x);
	probe_query_clear(&a);
	probe_query_clear(&c);
	probe_io_free(io);
	server_stop(busy);
	server_stop(s);
}

static void test_truncated_then_tcp_reset(void **state)
{
	struct server *s = server_start(M_TRUNCATE_RST);
	struct probe_query q;

	ask(*state, s, &q, 0, 1000, 2);
	assert_int_equal(q.reply.outcome, OUTCOME_NET_ERROR);
	assert_true(q.reply.tc_retried);
	assert_true(q.reply.via_tcp);
	assert_non_null(q.reply.error);
	probe_query_clear(&q);
	server_stop(s);
}

/*
 * The silence memo: one query to @p s (300 ms x 2 tries); returns the
 * transmissions it took (engine's count) and checks the server saw as many.
 */
static unsigned sends_for(struct probe_io *io, struct server *s,
			  enum outcome expect)
{
	struct probe_query q;
	unsigned sent0 = probe_io_queries_sent(io);
	unsigned seen0 = atomic_load(&s->udp_queries), sent;

	ask(io, s, &q, PQ_RD, 300, 2);
	assert_int_equal(q.reply.outcome, expect);
	sent = probe_io_queries_sent(io) - sent0;
	assert_int_equal(atomic_load(&s->udp_queries) - seen0, sent);
	probe_query_clear(&q);
	return sent;
}

static void test_silence_memo_one_try(void **state)
{
	struct probe_io *io = *state;
	struct server *s = server_start(M_SILENT);

	probe_io_scan_begin(io);
	/* The first two queries spend their budgets: a retransmit, then
	 * timeout (one whole budget lost is what heavy loss does). */
	assert_int_equal(sends_for(io, s, OUTCOME_TIMEOUT), 2);
	assert_int_equal(sends_for(io, s, OUTCOME_TIMEOUT), 2);
	/* Known silent in this scan: one transmission, still a timeout. */
	assert_int_equal(sends_for(io, s, OUTCOME_TIMEOUT), 1);
	assert_int_equal(sends_for(io, s, OUTCOME_TIMEOUT), 1);
	/* A new scan judges afresh: the whole budget again. */
	probe_io_scan_begin(io);
	assert_int_equal(sends_for(io, s, OUTCOME_TIMEOUT), 2);
	assert_int_equal(sends_for(io, s, OUTCOME_TIMEOUT), 2);
	assert_int_equal(sends_for(io, s, OUTCOME_TIMEOUT), 1);
	probe_io_scan_begin(io);
	probe_io_scan_begin(NULL);
	server_stop(s);
}

static void test_silence_memo_never_after_a_reply(void **state)
{
	struct probe_io *io = *state;
	struct server *s = server_start(M_GOOD), *odd = server_start(M_NOQ_NOERROR);

	probe_io_scan_begin(io);
	/* It answered once this scan: later silence is loss, not death. */
	assert_int_equal(sends_for(io, s, OUTCOME_ANSWER), 1);
	atomic_store(&s->mute, true);
	assert_true(sends_for(io, s, OUTCOME_TIMEOUT) >= 2);	/* RTT known: */
	assert_true(sends_for(io, s, OUTCOME_TIMEOUT) >= 2);	/* 2 or 3 */
	/* Replies that match nothing still show the server is alive. */
	assert_int_equal(sends_for(io, odd, OUTCOME_TIMEOUT), 2);
	assert_int_equal(sends_for(io, odd, OUTCOME_TIMEOUT), 2);
	probe_io_scan_begin(io);
	server_stop(s);
	server_stop(odd);
}

static void test_silence_memo_dropped_on_answer(void **state)
{
	struct probe_io *io = *state;
	struct server *s = server_start(M_GOOD);

	probe_io_scan_begin(io);
	atomic_store(&s->mute, true);
	assert_int_equal(sends_for(io, s, OUTCOME_TIMEOUT), 2);
	assert_int_equal(sends_for(io, s, OUTCOME_TIMEOUT), 2);
	/* Back: the one short try is answered and the memo forgets it... */
	atomic_store(&s->mute, false);
	assert_int_equal(sends_for(io, s, OUTCOME_ANSWER), 1);
	/* ...so that losing it again costs the whole budget, not one try. */
	atomic_store(&s->mute, true);
	assert_true(sends_for(io, s, OUTCOME_TIMEOUT) >= 2);
	probe_io_scan_begin(io);
	server_stop(s);
}

static void test_silence_memo_tcp_after_udp(void **state)
{
	/*
	 * A black hole on loopback: a UDP socket nobody reads, and a TCP
	 * listener whose accept queue is full, so that the kernel drops SYNs.
	 */
	struct probe_io *io = *state;
	int udp = bound_socket(SOCK_DGRAM, 0), tcp, fill[2];
	uint16_t port = local_port(udp);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct probe_io_opts o = opts_ms(1000, 2);
	struct probe_query q = { .server = "127.0.0.1", .port = port,
		.qname = "www.example.test.", .qtype = 1, .flags = PQ_TCP };
	unsigned sent0;

	tcp = bound_socket(SOCK_STREAM, port);
	if (tcp < 0 || listen(tcp, 0) < 0)
		skip();
	for (int i = 0; i < 2; i++) {
		fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		(void)connect(fill[i], (struct sockaddr *)&a, sizeof(a));
	}
	usleep(100000);
	probe_io_scan_begin(io);
	/* Over TCP first: the whole budget, a fresh SYN after a second. */
	sent0 = probe_io_queries_sent(io);
	probe_io_run(io, &q, 1, &o);
	assert_int_equal(q.reply.outcome, OUTCOME_TIMEOUT);
	assert_true(q.reply.via_tcp);
	assert_int_equal(probe_io_queries_sent(io) - sent0, 2);
	probe_query_clear(&q);
	/* Then silent over UDP too, two whole budgets (SILENT_STRIKES: one
	 * is what heavy loss does to a live server)... */
	probe_io_scan_begin(io);
	q.flags = 0;
	for (int strike = 0; strike < 2; strike++) {
		sent0 = probe_io_queries_sent(io);
		probe_io_run(io, &q, 1, &o);
		assert_int_equal(q.reply.outcome, OUTCOME_TIMEOUT);
		assert_true(probe_io_queries_sent(io) - sent0 >= 2);
		probe_query_clear(&q);
	}
	/* ...so TCP, never heard from this scan, gets one SYN. */
	q.flags = PQ_TCP;
	sent0 = probe_io_queries_sent(io);
	probe_io_run(io, &q, 1, &o);
	assert_int_equal(q.reply.outcome, OUTCOME_TIMEOUT);
	assert_true(q.reply.via_tcp);
	assert_int_equal(probe_io_queries_sent(io) - sent0, 1);
	probe_query_clear(&q);
	probe_io_scan_begin(io);
	for (int i = 0; i < 2; i++)
		close(fill[i]);
	close(tcp);
	close(udp);
}

struct memo_batch {
	struct probe_io *io;
	struct probe_query q[2];
};

static void *memo_batch_main(void *arg)
{
	struct memo_batch *mb = arg;
	struct probe_io_opts o = opts_ms(1000, 2);

	probe_io_run(mb->io, mb->q, 2, &o);
	return NULL;
}

static void test_silence_memo_heard_meanwhile(void **state)
{
	struct probe_io *io = *state;
	struct server *s = server_start(M_GOOD);
	struct memo_batch mb = { .io = io };
	struct probe_query q;
	pthread_t t;

	/*
	 * Two short queries to a server known silent are lost; while they
	 * wait, another query is answered. At the end of their one short try
	 * they see the server alive, and take the rest of the whole budget
	 * (and their answers) instead of ending as timeouts.
	 */
	probe_io_scan_begin(io);
	atomic_store(&s->mute, true);
	assert_int_equal(sends_for(io, s, OUTCOME_TIMEOUT), 2);
	assert_int_equal(sends_for(io, s, OUTCOME_TIMEOUT), 2);
	for (int i = 0; i < 2; i++)
		mb.q[i] = (struct probe_query){ .server = "127.0.0.1",
			.port = s->port, .qname = "www.example.test.", .qtype = 1 };
	assert_int_equal(pthread_create(&t, NULL, memo_batch_main, &mb), 0);
	while (atomic_load(&s->udp_queries) < 6)	/* both lost */
		usleep(10000);
	atomic_store(&s->mute, false);
	ask(io, s, &q, 0, 1000, 2);
	assert_int_equal(q.reply.outcome, OUTCOME_ANSWER);
	probe_query_clear(&q);
	pthread_join(t, NULL);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(mb.q[i].reply.outcome, OUTCOME_ANSWER);
		probe_query_clear(&mb.q[i]);
	}
	probe_io_scan_begin(io);
	server_stop(s);
}

/* Descriptors open now (to set a limit just above them). */
static unsigned open_fds(void)
{
	unsigned n = 0;

	for (int fd = 0; fd < 4096; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

static void test_descriptor_limit_queues(void **state)
{
	/* Only a few descriptors to spare: queries wait for one, none fails. */
	struct probe_io *io = *state;
	struct server *s = server_start(M_GOOD);
	struct probe_io_opts o = opts_ms(2000, 2);
	struct probe_query q[60];
	struct rlimit old, low;
	unsigned limited0 = probe_io_local_limited(io);

	for (size_t i = 0; i < 60; i++)
		q[i] = (struct probe_query){ .server = "127.0.0.1", .port = s->port,
			.qname = "www.example.test.", .qtype = 1, .flags = PQ_RD };
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = open_fds() + 3;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	probe_io_run(io, q, 60, &o);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	for (size_t i = 0; i < 60; i++) {
		assert_int_equal(q[i].reply.outcome, OUTCOME_ANSWER);
		probe_query_clear(&q[i]);
	}
	assert_true(probe_io_local_limited(io) > limited0);
	server_stop(s);
}

static void test_descriptor_limit_raised(void **state)
{
	struct rlimit rl, low;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 64)
		skip();
	low = rl;
	low.rlim_cur = 32;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	probe_io_raise_fd_limit();
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &low), 0);
	assert_true(low.rlim_cur > 32);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
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
		cmocka_unit_test(test_bare_truncated_header_retries_tcp),
		cmocka_unit_test(test_silent_times_out_with_retries),
		cmocka_unit_test(test_waiting_names_the_silent_server),
		cmocka_unit_test(test_moot_query_ends_alone),
		cmocka_unit_test(test_tcp_drip_deadline),
		cmocka_unit_test(test_tcp_reset_is_net_error),
		cmocka_unit_test(test_port_unreachable_is_net_error),
		cmocka_unit_test(test_ipv6_loopback),
		cmocka_unit_test(test_garbage_is_malformed),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_edns_do_nsid_ede),
		cmocka_unit_test(test_batch_costs_one_rtt),
		cmocka_unit_test(test_cancel_is_prompt),
		cmocka_unit_test(test_free_with_queries_in_flight),
		cmocka_unit_test(test_concurrent_batches),
		cmocka_unit_test(test_busy_workers_take_new_batches),
		cmocka_unit_test(test_questionless_refused),
		cmocka_unit_test(test_questionless_formerr),
		cmocka_unit_test(test_questionless_notimp),
		cmocka_unit_test(test_questionless_noerror_refused),
		cmocka_unit_test(test_first_try_dropped_retransmit_answers),
		cmocka_unit_test(test_late_answer_to_first_try_accepted),
		cmocka_unit_test(test_truncated_then_tcp_reset),
		cmocka_unit_test(test_reused_socket_drops_old_copy),
		cmocka_unit_test(test_silence_memo_one_try),
		cmocka_unit_test(test_silence_memo_never_after_a_reply),
		cmocka_unit_test(test_silence_memo_dropped_on_answer),
		cmocka_unit_test(test_silence_memo_heard_meanwhile),
		cmocka_unit_test(test_silence_memo_tcp_after_udp),
		cmocka_unit_test(test_descriptor_limit_queues),
		cmocka_unit_test(test_descriptor_limit_raised),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
