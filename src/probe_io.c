/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_io.c - the query engine: worker threads, each running many
 * non-blocking UDP/TCP queries at once in its own poll() loop.
 *
 * probe_io_run() cuts a batch into tasks and puts them on one queue (a mutex
 * and a condvar, as Knot's worker pool does). An idle worker sleeps on the
 * condvar; a busy one polls its sockets plus a private wake pipe, so that it
 * can pick up more tasks without waiting for its current ones to end. The
 * caller sleeps on the batch's own condvar until every query has ended.
 *
 * The engine trusts nothing that comes back: a reply counts only if it comes
 * from the address and port asked (connected sockets, checked again), with
 * the query's ID, the QR bit and the same question; anything else is counted
 * as late and dropped. Every query has an absolute deadline, over TCP too,
 * where a server may drip bytes or never close. ldns builds and parses the
 * packets; its resolver and networking code is not used (ldns 1.8.3's
 * resolver does not check replies against queries).
 *
 * This file must not interpret answers beyond that matching: what a reply
 * means is for probe_reply.c and the phases.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "clock.h"
#include "log.h"
#include "model.h"
#include "probe_io.h"
#include "probe_reply.h"
#include "thread.h"
#include "wake.h"
#include "xmalloc.h"

/*
 * Queries one worker runs at once, each with a descriptor while in flight:
 * at 512, a thousand resolvers' 16,000 queries went out in waves of a round
 * trip each. Descriptors are finite: short of them, queries wait for one.
 */
#define WORKER_MAX_ACTIVE 2048
/* Queries per task: small enough that every worker gets a share. */
#define TASK_MIN_QUERIES 4
/*
 * Retransmit schedule. The first retransmit to a server never measured goes
 * out well before Unbound's 1.9 s discard-timeout (a resolver that drops a
 * slow client query answers the retransmit from its cache); a measured
 * server gets three times its smoothed RTT. Each later interval doubles, up
 * to RTO_MAX_MS (and never beyond the per-try timeout), so that a lossy link
 * gets several tries within one budget.
 */
#define RTO_INITIAL_MS 500
#define RTO_MIN_MS 250
#define RTO_MAX_MS 1000
/* A TCP handshake not done by then starts over (a fresh SYN): no real
 * path takes this long, and the kernel's own next SYN is 1 s away. */
#define TCP_CONNECT_RETRY_MS 700
/* How often a query held back by the descriptor limit tries again. */
#define FD_RETRY_MS 20
/* Soft descriptor limit asked for at start (up to the hard limit). */
#define FD_LIMIT_WANTED 65536
/*
 * Descriptors the engine leaves to the rest of the process (libunbound's
 * queries, the log, a recording, the terminal): queries wait rather than
 * take the last ones, so that local validation is not starved. A quarter
 * of a tiny limit at most.
 */
#define FD_RESERVE 16
/*
 * Answered UDP sockets a worker keeps for its next queries (socket() and
 * close() were a fifth of the engine's CPU with a thousand resolvers): at
 * most as many as it runs queries, and a quarter of the descriptors the
 * engine may use, shared among the workers; none under a limit this low,
 * where every descriptor counts.
 */
#define SPARE_UDP_MIN_LIMIT 1024
/* Servers whose RTT is remembered (a cache: a collision forgets one). */
#define RTT_SLOTS 4096
/*
 * The silence memo (see probe_io.h): destinations remembered as silent per
 * scan (the oldest is dropped first), the one try a later query to one of
 * them gets, and the bits that record "heard from" (hashed: a collision
 * only forgoes a shortcut, it never makes a live server look silent).
 * Two whole budgets must have gone by in silence first: one is what 30%
 * packet loss does to a live server now and then, and the diagnosis judges
 * a server by two questions, which one short try would leave to chance.
 */
#define SILENT_STRIKES 2
#define SILENT_SLOTS 256
#define SILENT_TRY_MS 1000
#define HEARD_BITS 8192

/* One caller's probe_io_run(): the caller waits for tasks_left == 0. */
struct batch {
	pthread_mutex_t lock;
	pthread_cond_t done;
	size_t tasks_left;
	unsigned late;
	const struct probe_io_opts *opts;
	atomic_bool enough;	/* opts->enough said so: cancel the rest */
};

/* A slice of a batch; owned by the queue, then by the worker that took it. */
struct task {
	struct task *next;
	struct batch *batch;
	struct probe_query *q;
	size_t n;
	size_t next_start;	/* first query not started yet */
	size_t ended;
	unsigned late;
};

enum pq_state {
	PQS_UDP, PQS_TCP_CONNECT, PQS_TCP_WRITE, PQS_TCP_READ,
	PQS_WAIT_UDP, PQS_WAIT_TCP,	/* no descriptor free yet: queued */
};

/* Destinations that spent a whole budget without a word, this scan. */
struct silence {
	pthread_mutex_t lock;
	uint8_t key[SILENT_SLOTS][20];	/* silence_key() */
	bool used[SILENT_SLOTS];
	uint8_t strikes[SILENT_SLOTS];	/* whole budgets spent in silence */
	unsigned next;		/* the slot written next: the oldest */
	atomic_uint n_used;	/* 0: no lookup needed */
	atomic_uint_least64_t heard[HEARD_BITS / 64];	/* any reply at all */
};

/* A server's smoothed RTT; key is family, port and address. */
struct rtt_slot {
	uint8_t key[20];
	uint32_t srtt_ms;	/* 0: free */
};

/* One query in flight; owned by the worker running it. */
struct pq {
	struct probe_query *q;
	struct task *task;
	enum pq_state state;
	int fd;
	uint16_t id;
	ldns_rdf *qname;
	uint8_t *msg;		/* 2-byte length prefix, then the query */
	size_t msg_len;		/* including the prefix */
	struct sockaddr_storage sa;
	socklen_t salen;
	unsigned sends;		/* UDP transmissions so far */
	unsigned rto_ms;	/* the next retransmit interval */
	bool fd_waited;		/* counted once in local_limited */
	bool cd_phase;		/* asking again with CD=1 (PQ_CD_ON_SERVFAIL) */
	bool short_try;		/* known silent: one short try (silence memo) */
	bool short_by_udp;	/* TCP, short because UDP is known silent */
	int64_t started, try_deadline, deadline;
	size_t tcp_sent;
	uint8_t tcp_len[2];
	size_t tcp_got;		/* bytes of prefix + message read so far */
	uint8_t *tcp_buf;	/* the message, once its length is known */
};

struct worker {
	struct probe_io *io;
	pthread_t thread;
	bool started;
	struct wake wake;
	uint64_t rng[4];
	struct task *tasks;	/* taken, not all ended */
	struct pq **active;
	size_t n_active;
	uint8_t *buf;		/* one UDP datagram */
	ldns_buffer *scratch;	/* a message or record text on its way */
	struct spare_udp {	/* see udp_keep(); closed when idle */
		int fd;
		sa_family_t family;
	} *spare;
	size_t n_spare, max_spare;
	/* The oldest query in flight, as last told to its batch's model. */
	struct model *waiting_model;
	const struct pq *waiting_pq;	/* what it said last: the oldest query */
	int64_t waiting_since;
};

struct probe_io {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct task *head, *tail;
	bool terminating;
	atomic_bool cancelled;
	struct wake cancel;
	struct worker *workers;
	unsigned n_workers;
	atomic_uint sent;
	atomic_uint late;
	atomic_uint local_limited;
	int fd_ceiling;		/* a query's descriptor must be below it */
	pthread_mutex_t rtt_lock;
	struct rtt_slot *rtt;	/* RTT_SLOTS */
	struct silence silence;	/* cleared by probe_io_scan_begin() */
};

/* xoshiro256** (Blackman & Vigna): fast, good enough for query IDs. */
static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(uint64_t s[4])
{
	uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

static void rng_seed(uint64_t s[4])
{
	size_t got = 0;

	while (got < 4 * sizeof(uint64_t)) {
		ssize_t n = getrandom((uint8_t *)s + got, 4 * sizeof(uint64_t) - got, 0);

		if (n < 0 && errno != EINTR)
			break;
		if (n > 0)
			got += (size_t)n;
	}
	if (got < 4 * sizeof(uint64_t)) {
		/* No getrandom: still distinct per thread and run. */
		s[0] = (uint64_t)clock_mono_ms() ^ (uint64_t)(uintptr_t)s;
		s[1] = (uint64_t)getpid() << 32 | 0x9e3779b9u;
	}
	if ((s[0] | s[1] | s[2] | s[3]) == 0)
		s[0] = 1;
}

/* A zero timeout would end every query at once: treat it as unset. */
static unsigned try_ms(const struct probe_io_opts *opts)
{
	return opts->timeout_ms ? opts->timeout_ms : 2000;
}

static char *errno_text(const char *what, int err)
{
	char b[128];

	if (strerror_r(err, b, sizeof(b)) != 0)
		snprintf(b, sizeof(b), "error %d", err);
	return xasprintf("%s: %s", what, b);
}

/* ---------------------------------------------------------------- */
/* Per-server RTT, shared by the workers.                             */

static void rtt_key(const struct sockaddr_storage *sa, uint8_t key[20])
{
	memset(key, 0, 20);
	key[0] = (uint8_t)sa->ss_family;
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)sa;

		memcpy(key + 2, &a->sin_port, 2);
		memcpy(key + 4, &a->sin_addr, 4);
	} else {
		const struct sockaddr_in6 *a = (const void *)sa;

		memcpy(key + 2, &a->sin6_port, 2);
		memcpy(key + 4, &a->sin6_addr, 16);
	}
}

static struct rtt_slot *rtt_slot(struct probe_io *io, const uint8_t key[20])
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (int i = 0; i < 20; i++)
		h = (h ^ key[i]) * 16777619u;
	return &io->rtt[h % RTT_SLOTS];
}

/* The first retransmit interval for the server @p sa. */
static unsigned rtt_rto(struct probe_io *io, const struct sockaddr_storage *sa)
{
	uint8_t key[20];
	struct rtt_slot *s;
	unsigned rto = RTO_INITIAL_MS;

	rtt_key(sa, key);
	LOCKRET(pthread_mutex_lock(&io->rtt_lock));
	s = rtt_slot(io, key);
	if (s->srtt_ms > 0 && memcmp(s->key, key, 20) == 0)
		rto = s->srtt_ms * 3;
	LOCKRET(pthread_mutex_unlock(&io->rtt_lock));
	return rto < RTO_MIN_MS ? RTO_MIN_MS : rto > RTO_MAX_MS ? RTO_MAX_MS : rto;
}

/* Learns from an answer to a single transmission (Karn: never a retry's). */
static void rtt_learn(struct probe_io *io, const struct sockaddr_storage *sa,
		      uint32_t rtt_ms)
{
	uint8_t key[20];
	struct rtt_slot *s;

	rtt_key(sa, key);
	if (rtt_ms == 0)
		rtt_ms = 1;
	LOCKRET(pthread_mutex_lock(&io->rtt_lock));
	s = rtt_slot(io, key);
	if (s->srtt_ms > 0 && memcmp(s->key, key, 20) == 0) {
		s->srtt_ms = (s->srtt_ms * 7 + rtt_ms) / 8;
	} else {
		memcpy(s->key, key, 20);
		s->srtt_ms = rtt_ms;
	}
	LOCKRET(pthread_mutex_unlock(&io->rtt_lock));
}

/* ---------------------------------------------------------------- */
/* The silence memo, shared by the workers.                            */

/* rtt_key() plus the transport: UDP and TCP are judged apart. */
static void silence_key(const struct pq *p, bool tcp, uint8_t key[20])
{
	rtt_key(&p->sa, key);
	key[1] = tcp ? 2 : 1;
}

static size_t heard_bit(const uint8_t key[20])
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (int i = 0; i < 20; i++)
		h = (h ^ key[i]) * 16777619u;
	return h % HEARD_BITS;
}

static bool heard(struct probe_io *io, const uint8_t key[20])
{
	size_t b = heard_bit(key);

	return atomic_load(&io->silence.heard[b / 64]) & (UINT64_C(1) << (b % 64));
}

/* Index of @p key in the memo, or -1; under the memo's lock. */
static int silence_find(const struct silence *s, const uint8_t key[20])
{
	for (int i = 0; i < SILENT_SLOTS; i++)
		if (s->used[i] && memcmp(s->key[i], key, 20) == 0)
			return i;
	return -1;
}

static bool silence_known(struct probe_io *io, const uint8_t key[20])
{
	struct silence *s = &io->silence;
	bool known;
	int i;

	if (atomic_load(&s->n_used) == 0 || heard(io, key))
		return false;
	LOCKRET(pthread_mutex_lock(&s->lock));
	i = silence_find(s, key);
	known = i >= 0 && s->strikes[i] >= SILENT_STRIKES;
	LOCKRET(pthread_mutex_unlock(&s->lock));
	return known;
}

/* A whole budget went by without a word from @p key: remember it. */
static void silence_note(struct probe_io *io, const uint8_t key[20])
{
	struct silence *s = &io->silence;
	int i;

	if (heard(io, key))
		return;
	LOCKRET(pthread_mutex_lock(&s->lock));
	if ((i = silence_find(s, key)) >= 0) {
		if (s->strikes[i] < SILENT_STRIKES)
			s->strikes[i]++;
	} else {
		if (!s->used[s->next])
			atomic_fetch_add(&s->n_used, 1);
		memcpy(s->key[s->next], key, 20);
		s->used[s->next] = true;
		s->strikes[s->next] = 1;
		s->next = (s->next + 1) % SILENT_SLOTS;
	}
	LOCKRET(pthread_mutex_unlock(&s->lock));
}

/*
 * Something came from the destination of @p p (a reply, matched or not, or
 * a TCP handshake): it is alive for the rest of the scan.
 */
static void pq_heard(struct worker *w, struct pq *p, bool tcp)
{
	struct silence *s = &w->io->silence;
	uint8_t key[20];
	size_t b;
	int i;

	silence_key(p, tcp, key);
	b = heard_bit(key);
	atomic_fetch_or(&s->heard[b / 64], UINT64_C(1) << (b % 64));
	if (!p->short_try)
		return;
	LOCKRET(pthread_mutex_lock(&s->lock));
	if ((i = silence_find(s, key)) >= 0) {
		s->used[i] = false;
		atomic_fetch_sub(&s->n_used, 1);
	}
	LOCKRET(pthread_mutex_unlock(&s->lock));
}

/* ---------------------------------------------------------------- */
/* One query.                                                         */

/* Out of descriptors: the vantage's limit, not the server's fault. */
static bool fd_shortage(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
}

/* The batch has had enough, or the caller no longer needs this answer. */
static bool pq_unwanted(const struct pq *p)
{
	return atomic_load(&p->task->batch->enough) ||
	       (p->q->moot != NULL && atomic_load(p->q->moot));
}

/*
 * Done with @p p's socket: kept for another query if it is a UDP socket
 * that sent once and got its answer (so no late reply or ICMP error is
 * due, and a pending error is checked anyway), closed otherwise. The next
 * query connects it to its own server: its source port is then reused,
 * its ID and question are new, and a stray datagram from the old peer is
 * dropped as from the wrong peer.
 */
static void udp_keep(struct worker *w, struct pq *p, bool answered)
{
	int err = 0;
	socklen_t elen = sizeof(err);

	if (p->fd < 0)
		return;
	if (answered && p->state == PQS_UDP && p->sends == 1 &&
	    w->n_spare < w->max_spare &&
	    getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0 && err == 0)
		w->spare[w->n_spare++] = (struct spare_udp){ p->fd, p->sa.ss_family };
	else
		close(p->fd);
	p->fd = -1;
}

/* A kept socket of @p p's address family, connected to its server; -1 if none. */
static int udp_reuse(struct worker *w, struct pq *p)
{
	for (size_t i = w->n_spare; i-- > 0;) {
		int fd = w->spare[i].fd;

		if (w->spare[i].family != p->sa.ss_family)
			continue;
		w->spare[i] = w->spare[--w->n_spare];
		if (connect(fd, (struct sockaddr *)&p->sa, p->salen) == 0)
			return fd;
		close(fd);
		return -1;
	}
	return -1;
}

static void udp_spares_close(struct worker *w)
{
	while (w->n_spare > 0)
		close(w->spare[--w->n_spare].fd);
}

static void pq_end(struct worker *w, struct pq *p, enum outcome o, char *error)
{
	struct probe_query *q = p->q;
	const struct probe_io_opts *opts = p->task->batch->opts;
	bool tcp = p->state != PQS_UDP && p->state != PQS_WAIT_UDP;
	struct dns_reply *r = p->cd_phase ? &q->cd_reply : &q->reply;

	udp_keep(w, p, o == OUTCOME_ANSWER);
	if (o == OUTCOME_TIMEOUT && !p->short_try && !p->fd_waited &&
	    !p->cd_phase) {
		uint8_t key[20];

		silence_key(p, tcp, key);
		silence_note(w->io, key);
	}
	if (o != OUTCOME_ANSWER) {
		dns_reply_clear(r);
		r->outcome = o;
		r->error = error;
		r->tc_retried = tcp && !(q->flags & PQ_TCP);
		r->via_tcp = tcp;
	} else {
		free(error);
	}
	if (p->started > 0)
		r->rtt_ms = (uint32_t)(clock_mono_ms() - p->started);
	if (o == OUTCOME_ANSWER && p->state == PQS_UDP && p->sends == 1)
		rtt_learn(w->io, &p->sa, r->rtt_ms);
	if (o == OUTCOME_ANSWER && opts->enough != NULL && !p->cd_phase &&
	    opts->enough(q, opts->enough_arg) &&
	    !atomic_exchange(&p->task->batch->enough, true))
		probe_io_poke(w->io);
	ldns_rdf_deep_free(p->qname);
	free(p->msg);
	free(p->tcp_buf);
	p->task->ended++;
	if (opts->progress != NULL)
		model_query_ended(opts->progress);
	for (size_t i = 0; i < w->n_active; i++)
		if (w->active[i] == p) {
			w->active[i] = w->active[--w->n_active];
			break;
		}
	free(p);
}

/*
 * Writes the query (2-byte length prefix, then the message) into p->msg:
 * header, the question, and an OPT record (buffer size, DO, NSID asked).
 * Written directly: building and compressing an ldns packet per query
 * was a tenth of the engine's CPU with a thousand resolvers.
 */
static int build_message(struct worker *w, struct pq *p,
			 const struct probe_io_opts *opts)
{
	const struct probe_query *q = p->q;
	uint16_t bufsize = (uint16_t)(opts->edns_bufsize ? opts->edns_bufsize : 1232);
	bool nsid = q->flags & PQ_NSID;
	size_t qlen, len;
	uint8_t *m;

	/* Again for the CD=1 retry: a fresh message. */
	ldns_rdf_deep_free(p->qname);
	p->qname = NULL;
	free(p->msg);
	p->msg = NULL;
	if (ldns_str2rdf_dname(&p->qname, q->qname) != LDNS_STATUS_OK)
		return -1;
	qlen = ldns_rdf_size(p->qname);
	len = LDNS_HEADER_SIZE + qlen + 4 + 11 + (nsid ? 4 : 0);
	p->id = (uint16_t)(rng_next(w->rng) >> 48);
	p->msg = xcalloc(1, len + 2);
	p->msg_len = len + 2;
	p->msg[0] = (uint8_t)(len >> 8);
	p->msg[1] = (uint8_t)len;
	m = p->msg + 2;
	m[0] = (uint8_t)(p->id >> 8);
	m[1] = (uint8_t)p->id;
	m[2] = (q->flags & PQ_RD) ? 0x01 : 0;		/* RD */
	m[3] = ((q->flags & PQ_CD) || p->cd_phase) ? 0x10 : 0;	/* CD */
	m[5] = 1;		/* QDCOUNT */
	m[11] = 1;		/* ARCOUNT: the OPT record */
	m += LDNS_HEADER_SIZE;
	memcpy(m, ldns_rdf_data(p->qname), qlen);
	m += qlen;
	*m++ = (uint8_t)(q->qtype >> 8);
	*m++ = (uint8_t)q->qtype;
	*m++ = 0;
	*m++ = LDNS_RR_CLASS_IN;
	*m++ = 0;		/* OPT: the root owner */
	*m++ = 0;
	*m++ = LDNS_RR_TYPE_OPT;
	*m++ = (uint8_t)(bufsize >> 8);	/* its class: the buffer size */
	*m++ = (uint8_t)bufsize;
	*m++ = 0;		/* extended rcode */
	*m++ = 0;		/* version */
	*m++ = (q->flags & PQ_DO) ? 0x80 : 0;	/* DO */
	*m++ = 0;
	*m++ = 0;		/* RDLENGTH */
	*m++ = nsid ? 4 : 0;
	if (nsid) {		/* option 3, empty: "who are you?" */
		*m++ = 0;
		*m++ = 3;
		*m++ = 0;
		*m++ = 0;
	}
	return 0;
}

static int parse_server(struct pq *p)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&p->sa;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&p->sa;

	memset(&p->sa, 0, sizeof(p->sa));
	if (inet_pton(AF_INET, p->q->server, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(p->q->port);
		p->salen = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, p->q->server, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(p->q->port);
		p->salen = sizeof(*s6);
		return 0;
	}
	return -1;
}

/*
 * Opens a socket of @p type connected (or connecting) to the server. The
 * kernel hands out the lowest free descriptor, so one at or above the
 * ceiling means fewer than FD_RESERVE are left: give it back (EMFILE).
 */
static int open_socket(struct worker *w, struct pq *p, int type, int *err)
{
	int fd = socket(p->sa.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (w->n_spare > 0 && ((fd < 0 && fd_shortage(errno)) ||
				fd >= w->io->fd_ceiling)) {
		/* Short of descriptors: the kept sockets go first. */
		if (fd >= 0)
			close(fd);
		udp_spares_close(w);
		fd = socket(p->sa.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (fd >= w->io->fd_ceiling) {
		close(fd);
		*err = EMFILE;
		return -1;
	}
	/* connect() binds a random ephemeral source port. */
	if (connect(fd, (struct sockaddr *)&p->sa, p->salen) < 0 &&
	    errno != EINPROGRESS) {
		*err = errno;
		close(fd);
		return -1;
	}
	return fd;
}

static void udp_send(struct worker *w, struct pq *p)
{
	if (send(p->fd, p->msg + 2, p->msg_len - 2, 0) < 0 &&
	    errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
		pq_end(w, p, OUTCOME_NET_ERROR, errno_text("udp send", errno));
		return;
	}
	p->sends++;
	atomic_fetch_add(&w->io->sent, 1);
}

/*
 * No descriptor free: the query waits for one (until its deadline) instead
 * of failing, and the engine counts it, so that the evidence can say the
 * results were limited by the vantage and not by the server.
 */
static void wait_for_fd(struct worker *w, struct pq *p, bool tcp, int64_t now)
{
	if (!p->fd_waited) {
		p->fd_waited = true;
		atomic_fetch_add(&w->io->local_limited, 1);
	}
	p->fd = -1;
	p->state = tcp ? PQS_WAIT_TCP : PQS_WAIT_UDP;
	p->try_deadline = now + FD_RETRY_MS;
	if (p->try_deadline > p->deadline)
		p->try_deadline = p->deadline;
}

/* Opens the UDP socket and sends the first try (or waits for a descriptor). */
static void udp_start(struct worker *w, struct pq *p, int64_t now)
{
	const struct probe_io_opts *opts = p->task->batch->opts;
	int err = 0;

	p->state = PQS_UDP;
	p->fd = udp_reuse(w, p);
	if (p->fd < 0)
		p->fd = open_socket(w, p, SOCK_DGRAM, &err);
	if (p->fd < 0) {
		if (fd_shortage(err))
			wait_for_fd(w, p, false, now);
		else
			pq_end(w, p, OUTCOME_NET_ERROR, errno_text("udp socket", err));
		return;
	}
	p->rto_ms = rtt_rto(w->io, &p->sa);
	if (p->rto_ms > try_ms(opts))
		p->rto_ms = try_ms(opts);
	p->try_deadline = now + p->rto_ms;
	if (p->try_deadline > p->deadline || p->short_try)
		p->try_deadline = p->deadline;	/* short: one transmission */
	udp_send(w, p);
}

static void tcp_connect(struct worker *w, struct pq *p, int64_t now);

static void start_tcp(struct worker *w, struct pq *p, int64_t now)
{
	const struct probe_io_opts *opts = p->task->batch->opts;
	bool retry = p->state == PQS_WAIT_TCP;

	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	p->tcp_sent = 0;
	p->tcp_got = 0;
	if (!(p->q->flags & PQ_TCP) && !retry) {
		/* The fallback gets one more try, within its own bound. */
		p->short_try = false;	/* a TC reply: alive */
		p->deadline = p->started + (int64_t)try_ms(opts) *
			      ((opts->tries ? opts->tries : 1) + 1);
		if (now + try_ms(opts) < p->deadline)
			p->deadline = now + try_ms(opts);
	}
	p->rto_ms = 2 * rtt_rto(w->io, &p->sa);
	if (p->rto_ms < TCP_CONNECT_RETRY_MS)
		p->rto_ms = TCP_CONNECT_RETRY_MS;
	tcp_connect(w, p, now);
}

/*
 * Opens the connection, or opens it again: a handshake not done within
 * TCP_CONNECT_RETRY_MS (or twice the server's retransmit interval) starts
 * over on a fresh socket, a fresh SYN now rather than the kernel's next one
 * 1 s, then 3 s later, so that a lossy path gets about as many tries over
 * TCP as over UDP within the one budget.
 */
static void tcp_connect(struct worker *w, struct pq *p, int64_t now)
{
	int err = 0;

	if (p->fd >= 0)
		close(p->fd);
	p->state = PQS_TCP_CONNECT;
	p->fd = open_socket(w, p, SOCK_STREAM, &err);
	if (p->fd < 0) {
		if (fd_shortage(err))
			wait_for_fd(w, p, true, now);
		else
			pq_end(w, p, OUTCOME_NET_ERROR, errno_text("tcp connect", err));
		return;
	}
	p->try_deadline = now + p->rto_ms;
	if (p->try_deadline > p->deadline || p->short_try)
		p->try_deadline = p->deadline;	/* short: one SYN */
	atomic_fetch_add(&w->io->sent, 1);
}

static void pq_start(struct worker *w, struct task *t, struct probe_query *q)
{
	const struct probe_io_opts *opts = t->batch->opts;
	struct pq *p = xcalloc(1, sizeof(*p));
	unsigned tries = opts->tries ? opts->tries : 1;
	uint8_t key[20];

	p->q = q;
	p->task = t;
	p->fd = -1;
	w->active[w->n_active++] = p;
	dns_reply_clear(&q->reply);
	dns_reply_clear(&q->cd_reply);
	q->pkt = NULL;
	if (opts->progress != NULL)
		model_query_started(opts->progress);
	if (atomic_load(&w->io->cancelled) || pq_unwanted(p)) {
		pq_end(w, p, OUTCOME_CANCELLED, NULL);
		return;
	}
	if (q->server == NULL || parse_server(p) < 0) {
		pq_end(w, p, OUTCOME_NET_ERROR,
		       xasprintf("not a numeric address: %s",
				 q->server ? q->server : "(null)"));
		return;
	}
	if (q->qname == NULL || build_message(w, p, opts) < 0) {
		pq_end(w, p, OUTCOME_MALFORMED,
		       xasprintf("cannot build a query for %s",
				 q->qname ? q->qname : "(null)"));
		return;
	}
	p->started = clock_mono_ms();
	p->deadline = p->started + (int64_t)try_ms(opts) * tries;
	silence_key(p, q->flags & PQ_TCP, key);
	if (!(q->flags & PQ_FULL_BUDGET)) {
		p->short_try = silence_known(w->io, key);
		if (!p->short_try && (q->flags & PQ_TCP) && !heard(w->io, key)) {
			/* Nothing over UDP, nothing over TCP yet: one SYN tells. */
			silence_key(p, false, key);
			p->short_try = p->short_by_udp = silence_known(w->io, key);
		}
	}
	if (p->short_try)
		p->deadline = p->started + (try_ms(opts) < SILENT_TRY_MS ?
					    try_ms(opts) : SILENT_TRY_MS);
	if (q->flags & PQ_TCP) {
		start_tcp(w, p, p->started);
		return;
	}
	udp_start(w, p, p->started);
}

/*
 * A SERVFAIL came: the same question with CD=1 goes out at once (same
 * server, a new ID, a budget of its own) to tell "the data is bogus" from
 * "the resolver or the zone is down", instead of waiting for the batch.
 */
static void cd_restart(struct worker *w, struct pq *p)
{
	const struct probe_io_opts *opts = p->task->batch->opts;
	unsigned tries = opts->tries ? opts->tries : 1;

	udp_keep(w, p, true);	/* it answered (SERVFAIL) */
	p->cd_phase = true;
	p->short_try = false;	/* it answered SERVFAIL */
	p->sends = 0;
	free(p->tcp_buf);
	p->tcp_buf = NULL;
	if (build_message(w, p, opts) < 0) {
		pq_end(w, p, OUTCOME_MALFORMED, xstrdup("cannot build the CD=1 query"));
		return;
	}
	p->started = clock_mono_ms();
	p->deadline = p->started + (int64_t)try_ms(opts) * tries;
	if (p->q->flags & PQ_TCP) {
		p->state = PQS_UDP;	/* start_tcp: a fresh connection */
		start_tcp(w, p, p->started);
		return;
	}
	udp_start(w, p, p->started);
}

enum match { MATCH_NO, MATCH_YES, MATCH_MALFORMED };

/* Does @p buf answer @p p? On MATCH_YES, *out is the parsed packet. */
static enum match match_reply(struct pq *p, const uint8_t *buf, size_t len,
			      ldns_pkt **out)
{
	ldns_pkt *pkt = NULL;
	const ldns_rr *qrr;

	*out = NULL;
	if (len < LDNS_HEADER_SIZE || LDNS_ID_WIRE(buf) != p->id ||
	    !LDNS_QR_WIRE(buf))
		return MATCH_NO;
	if (ldns_wire2pkt(&pkt, buf, len) != LDNS_STATUS_OK)
		return MATCH_MALFORMED;
	/*
	 * Some servers truncate down to the bare header: still a TC signal.
	 * Others refuse or reject without echoing the question: the peer
	 * (a connected socket) and the random ID are all there is to match,
	 * and an error rcode carries no data that could be spoofed in.
	 */
	if (LDNS_QDCOUNT(buf) == 0 &&
	    (ldns_pkt_tc(pkt) ||
	     ldns_pkt_get_rcode(pkt) == LDNS_RCODE_FORMERR ||
	     ldns_pkt_get_rcode(pkt) == LDNS_RCODE_REFUSED ||
	     ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOTIMPL ||
	     ldns_pkt_get_rcode(pkt) == LDNS_RCODE_SERVFAIL)) {
		*out = pkt;
		return MATCH_YES;
	}
	if (ldns_rr_list_rr_count(ldns_pkt_question(pkt)) != 1 ||
	    (qrr = ldns_rr_list_rr(ldns_pkt_question(pkt), 0)) == NULL ||
	    ldns_rr_get_type(qrr) != p->q->qtype ||
	    ldns_rr_get_class(qrr) != LDNS_RR_CLASS_IN ||
	    ldns_dname_compare(ldns_rr_owner(qrr), p->qname) != 0) {
		ldns_pkt_free(pkt);
		return MATCH_NO;
	}
	*out = pkt;
	return MATCH_YES;
}

/* A reply came in; returns true if the query ended or moved to TCP. */
static bool take_reply(struct worker *w, struct pq *p, const uint8_t *buf,
		       size_t len, bool tcp)
{
	ldns_pkt *pkt;
	struct probe_query *q = p->q;

	switch (match_reply(p, buf, len, &pkt)) {
	case MATCH_NO:
		p->task->late++;
		return false;
	case MATCH_MALFORMED:
		pq_end(w, p, OUTCOME_MALFORMED,
		       xasprintf("unparsable %zu-byte reply%s", len,
				 tcp ? " over TCP" : ""));
		return true;
	case MATCH_YES:
		break;
	}
	if (!tcp && ldns_pkt_tc(pkt) && !(q->flags & PQ_NO_TCP_FALLBACK)) {
		ldns_pkt_free(pkt);
		start_tcp(w, p, clock_mono_ms());
		return true;
	}
	struct dns_reply *r = p->cd_phase ? &q->cd_reply : &q->reply;

	probe_reply_fill(r, pkt, len, w->scratch);
	r->via_tcp = tcp;
	r->tc_retried = tcp && !(q->flags & PQ_TCP);
	if (p->task->batch->opts->observe != NULL)
		p->task->batch->opts->observe(q, p->cd_phase,
					      p->task->batch->opts->observe_arg);
	/* Kept only when asked for: a thousand resolvers' parsed packets,
	 * held until the batch ends, were most of the heap. The CD=1
	 * answer's data is never kept. */
	if (p->cd_phase || (q->flags & PQ_REPLY_ONLY))
		ldns_pkt_free(pkt);
	else
		q->pkt = pkt;
	if (!p->cd_phase && (q->flags & PQ_CD_ON_SERVFAIL) &&
	    !(q->flags & PQ_CD) && r->rcode == RCODE_SERVFAIL) {
		cd_restart(w, p);
		return true;
	}
	pq_end(w, p, OUTCOME_ANSWER, NULL);
	return true;
}

static bool same_peer(const struct pq *p, const struct sockaddr_storage *from,
		      socklen_t flen)
{
	if (from->ss_family != p->sa.ss_family || flen < p->salen)
		return false;
	if (from->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)from, *b = (const void *)&p->sa;

		return a->sin_port == b->sin_port &&
		       a->sin_addr.s_addr == b->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *a = (const void *)from, *b = (const void *)&p->sa;

	return a->sin6_port == b->sin6_port &&
	       memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr)) == 0;
}

static void udp_readable(struct worker *w, struct pq *p)
{
	for (;;) {
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(p->fd, w->buf, 65535, 0,
				     (struct sockaddr *)&from, &flen);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR)
				continue;
			pq_end(w, p, OUTCOME_NET_ERROR, errno_text("udp", errno));
			return;
		}
		if (!same_peer(p, &from, flen)) {
			p->task->late++;
			continue;
		}
		pq_heard(w, p, false);
		if (take_reply(w, p, w->buf, (size_t)n, false))
			return;
	}
}

static void tcp_io(struct worker *w, struct pq *p)
{
	int err = 0;
	socklen_t elen = sizeof(err);
	ssize_t n;

	if (p->state == PQS_TCP_CONNECT) {
		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
			err = errno;
		if (err != 0) {
			pq_end(w, p, OUTCOME_NET_ERROR, errno_text("tcp connect", err));
			return;
		}
		p->state = PQS_TCP_WRITE;
		p->try_deadline = p->deadline;	/* TCP retransmits now */
		pq_heard(w, p, true);	/* the handshake is a reply */
	}
	if (p->state == PQS_TCP_WRITE) {
		n = send(p->fd, p->msg + p->tcp_sent, p->msg_len - p->tcp_sent,
			 MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			pq_end(w, p, OUTCOME_NET_ERROR, errno_text("tcp send", errno));
			return;
		}
		p->tcp_sent += (size_t)n;
		if (p->tcp_sent < p->msg_len)
			return;
		p->state = PQS_TCP_READ;
	}
	for (;;) {
		size_t need, len;
		uint8_t *dst;

		if (p->tcp_got < 2) {
			dst = p->tcp_len + p->tcp_got;
			need = 2 - p->tcp_got;
		} else {
			len = (size_t)p->tcp_len[0] << 8 | p->tcp_len[1];
			dst = p->tcp_buf + (p->tcp_got - 2);
			need = len - (p->tcp_got - 2);
		}
		n = recv(p->fd, dst, need, 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR)
				continue;
			pq_end(w, p, OUTCOME_NET_ERROR, errno_text("tcp", errno));
			return;
		}
		if (n == 0) {
			pq_end(w, p, OUTCOME_NET_ERROR,
			       xasprintf("tcp: connection closed after %zu bytes",
					 p->tcp_got));
			return;
		}
		p->tcp_got += (size_t)n;
		if (p->tcp_got == 2) {
			len = (size_t)p->tcp_len[0] << 8 | p->tcp_len[1];
			if (len == 0) {	/* an empty message: skip it */
				p->tcp_got = 0;
				p->task->late++;
				continue;
			}
			free(p->tcp_buf);
			p->tcp_buf = xmalloc(len);
			continue;
		}
		if (p->tcp_got < 2)
			continue;
		len = (size_t)p->tcp_len[0] << 8 | p->tcp_len[1];
		if (p->tcp_got - 2 < len)
			continue;
		p->tcp_got = 0;
		if (take_reply(w, p, p->tcp_buf, len, true))
			return;
	}
}

static void pq_timer(struct worker *w, struct pq *p, int64_t now)
{
	const struct probe_io_opts *opts = p->task->batch->opts;
	unsigned cap = try_ms(opts) < RTO_MAX_MS ? try_ms(opts) : RTO_MAX_MS;

	if (now >= p->deadline && p->short_try) {
		uint8_t key[20];

		bool tcp = p->state != PQS_UDP && p->state != PQS_WAIT_UDP;
		bool alive;

		/* Heard from meanwhile (another query's reply): alive after
		 * all, so the rest of the whole budget, tries resumed now. */
		silence_key(p, tcp, key);
		alive = heard(w->io, key);
		silence_key(p, false, key);
		if (p->short_by_udp && heard(w->io, key))
			alive = true;	/* what it was judged by is gone */
		if (alive) {
			p->short_try = false;
			p->deadline = p->started + (int64_t)try_ms(opts) *
				      (opts->tries ? opts->tries : 1);
		}
	}
	if (now >= p->deadline) {
		if (p->state == PQS_WAIT_UDP ||
		    (p->state == PQS_WAIT_TCP && (p->q->flags & PQ_TCP)))
			pq_end(w, p, OUTCOME_NOT_SENT, xstrdup(
			       "not sent: out of file descriptors here"));
		else
			pq_end(w, p, OUTCOME_TIMEOUT, NULL);
		return;
	}
	if (now < p->try_deadline)
		return;
	switch (p->state) {
	case PQS_WAIT_UDP:
		udp_start(w, p, now);
		return;
	case PQS_WAIT_TCP:
		start_tcp(w, p, now);
		return;
	case PQS_UDP:
		/* Same ID and socket: a reply to any try is accepted. */
		p->rto_ms = p->rto_ms * 2 > cap ? cap : p->rto_ms * 2;
		if (p->rto_ms < RTO_MIN_MS)
			p->rto_ms = RTO_MIN_MS;
		p->try_deadline = now + p->rto_ms;
		if (p->try_deadline > p->deadline)
			p->try_deadline = p->deadline;
		udp_send(w, p);
		return;
	case PQS_TCP_CONNECT:
		tcp_connect(w, p, now);
		return;
	default:
		return;
	}
}

/* ---------------------------------------------------------------- */
/* Workers.                                                           */

/*
 * Tells the console which query of this worker has waited longest (a
 * silent server shows while the refresh runs). Before a batch is
 * signalled done, so that its model is never told after the caller let go.
 */
static void report_waiting(struct worker *w)
{
	const struct pq *oldest = NULL;
	struct model *m;
	unsigned slot = (unsigned)(w - w->io->workers);
	char name[64];

	for (size_t i = 0; i < w->n_active; i++) {
		const struct pq *p = w->active[i];

		if (p->task->batch->opts->progress != NULL && p->started > 0 &&
		    (oldest == NULL || p->started < oldest->started))
			oldest = p;
	}
	m = oldest != NULL ? oldest->task->batch->opts->progress : NULL;
	/* The same query as last time, not merely the same start: queries
	 * started in one millisecond, a healthy server's among them, must not
	 * leave its name on screen once it has answered. */
	if (m == w->waiting_model && (m == NULL || (oldest == w->waiting_pq &&
						    oldest->started == w->waiting_since)))
		return;
	if (w->waiting_model != NULL && w->waiting_model != m)
		model_set_waiting(w->waiting_model, slot, NULL, 0);
	if (m != NULL) {
		uint16_t port = oldest->q->port ? oldest->q->port : 53;

		if (port == 53)
			snprintf(name, sizeof(name), "%s", oldest->q->server);
		else if (strchr(oldest->q->server, ':') != NULL)
			snprintf(name, sizeof(name), "[%s]:%u", oldest->q->server, port);
		else
			snprintf(name, sizeof(name), "%s:%u", oldest->q->server, port);
		model_set_waiting(m, slot, name, oldest->started);
	}
	w->waiting_model = m;
	w->waiting_pq = oldest;
	w->waiting_since = oldest != NULL ? oldest->started : 0;
}

static void finish_tasks(struct worker *w)
{
	struct task **tp = &w->tasks;

	/* Idle, it holds no descriptor: none when its caller returns. */
	if (w->n_active == 0)
		udp_spares_close(w);
	report_waiting(w);
	while (*tp != NULL) {
		struct task *t = *tp;

		if (t->ended < t->n) {
			tp = &t->next;
			continue;
		}
		*tp = t->next;
		LOCKRET(pthread_mutex_lock(&t->batch->lock));
		t->batch->late += t->late;
		if (--t->batch->tasks_left == 0)
			LOCKRET(pthread_cond_signal(&t->batch->done));
		LOCKRET(pthread_mutex_unlock(&t->batch->lock));
		atomic_fetch_add(&w->io->late, t->late);
		free(t);
	}
}

/*
 * Takes one queued task, waiting for one first if @p wait (an idle worker).
 * One at a time, re-locking in between, so that the workers woken together
 * share a big batch. Sets *quit when terminating with nothing queued.
 */
static bool take_task(struct worker *w, bool wait, bool *quit)
{
	struct probe_io *io = w->io;
	bool took = false;

	LOCKRET(pthread_mutex_lock(&io->lock));
	while (wait && io->head == NULL && !io->terminating)
		LOCKRET(pthread_cond_wait(&io->cond, &io->lock));
	if (io->head != NULL && w->n_active < WORKER_MAX_ACTIVE) {
		struct task *t = io->head;

		io->head = t->next;
		if (io->head == NULL)
			io->tail = NULL;
		t->next = w->tasks;
		w->tasks = t;
		took = true;
	}
	*quit = io->terminating && io->head == NULL;
	LOCKRET(pthread_mutex_unlock(&io->lock));
	return took;
}

static void start_pending(struct worker *w)
{
	for (struct task *t = w->tasks; t != NULL; t = t->next)
		while (t->next_start < t->n && w->n_active < WORKER_MAX_ACTIVE)
			pq_start(w, t, &t->q[t->next_start++]);
}

static void cancel_all(struct worker *w)
{
	while (w->n_active > 0)
		pq_end(w, w->active[0], OUTCOME_CANCELLED, NULL);
}

static short pq_events(const struct pq *p)
{
	switch (p->state) {
	case PQS_TCP_CONNECT:
	case PQS_TCP_WRITE:
		return POLLOUT;
	default:
		return POLLIN;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct probe_io *io = w->io;
	struct pollfd *pfd = xcalloc(WORKER_MAX_ACTIVE + 2, sizeof(*pfd));
	struct pq **polled = xcalloc(WORKER_MAX_ACTIVE, sizeof(*polled));

	for (;;) {
		bool idle = w->n_active == 0 && w->tasks == NULL, quit = false;

		/* Start what is queued before sleeping in poll(). */
		while (take_task(w, idle, &quit)) {
			start_pending(w);
			idle = false;
		}
		start_pending(w);
		finish_tasks(w);
		if (w->n_active == 0) {
			if (quit && w->tasks == NULL)
				break;
			continue;
		}

		int64_t now = clock_mono_ms(), next = INT64_MAX;
		nfds_t n = 2;

		pfd[0] = (struct pollfd){ .fd = w->wake.poll_fd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = io->cancel.poll_fd, .events = POLLIN };
		for (size_t i = 0; i < w->n_active; i++) {
			struct pq *p = w->active[i];
			bool waiting = p->state == PQS_WAIT_UDP ||
				       p->state == PQS_WAIT_TCP;
			/* A handshake starts over at try_deadline (tcp_connect). */
			int64_t d = p->state == PQS_UDP || waiting ||
				    p->state == PQS_TCP_CONNECT ?
				    p->try_deadline : p->deadline;

			if (d < next)
				next = d;
			if (waiting)
				continue;
			polled[n - 2] = p;
			pfd[n++] = (struct pollfd){ .fd = p->fd, .events = pq_events(p) };
		}
		int timeout = next <= now ? 0 : (int)(next - now);

		if (poll(pfd, n, timeout) < 0 && errno != EINTR)
			log_msg(LOG_ERR, "probe_io: poll: %s", strerror(errno));
		if (pfd[0].revents & POLLIN)
			wake_drain(&w->wake);
		if (atomic_load(&io->cancelled)) {
			cancel_all(w);
			finish_tasks(w);
			continue;
		}
		/* Handle events first, timers after: pq_end reorders active. */
		for (nfds_t i = 2; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			struct pq *p = polled[i - 2];

			if (p->state == PQS_UDP)
				udp_readable(w, p);
			else
				tcp_io(w, p);
		}
		now = clock_mono_ms();
		for (size_t i = w->n_active; i-- > 0;) {
			if (i >= w->n_active)
				continue;
			if (pq_unwanted(w->active[i]))
				pq_end(w, w->active[i], OUTCOME_CANCELLED, NULL);
			else
				pq_timer(w, w->active[i], now);
		}
		finish_tasks(w);
	}
	free(pfd);
	free(polled);
	return NULL;
}

/* The descriptor numbers the engine may use (see FD_RESERVE). */
static int fd_ceiling(void)
{
	struct rlimit rl;
	rlim_t reserve = FD_RESERVE;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > INT_MAX)
		return INT_MAX;
	if (reserve > rl.rlim_cur / 4)
		reserve = rl.rlim_cur / 4;
	return (int)(rl.rlim_cur - reserve);
}

/* ---------------------------------------------------------------- */
/* The public side.                                                   */

struct probe_io *probe_io_new(unsigned n_workers)
{
	struct probe_io *io = xcalloc(1, sizeof(*io));
	int err;

	if (n_workers == 0)
		n_workers = 1;
	pthread_mutex_init(&io->lock, NULL);
	pthread_cond_init(&io->cond, NULL);
	atomic_init(&io->cancelled, false);
	atomic_init(&io->sent, 0);
	atomic_init(&io->late, 0);
	atomic_init(&io->local_limited, 0);
	pthread_mutex_init(&io->rtt_lock, NULL);
	io->rtt = xcalloc(RTT_SLOTS, sizeof(*io->rtt));
	pthread_mutex_init(&io->silence.lock, NULL);
	atomic_init(&io->silence.n_used, 0);
	for (size_t i = 0; i < HEARD_BITS / 64; i++)
		atomic_init(&io->silence.heard[i], 0);
	probe_io_raise_fd_limit();
	io->fd_ceiling = fd_ceiling();
	io->cancel.poll_fd = io->cancel.poke_fd = -1;
	if ((err = wake_open(&io->cancel)) != 0) {
		errno = -err;
		goto fail;
	}
	io->workers = xcalloc(n_workers, sizeof(*io->workers));
	for (unsigned i = 0; i < n_workers; i++) {
		struct worker *w = &io->workers[i];

		w->io = io;
		w->wake.poll_fd = w->wake.poke_fd = -1;
		w->active = xcalloc(WORKER_MAX_ACTIVE, sizeof(*w->active));
		if (io->fd_ceiling >= SPARE_UDP_MIN_LIMIT)
			w->max_spare = (size_t)io->fd_ceiling / 4 / n_workers;
		if (w->max_spare > WORKER_MAX_ACTIVE)
			w->max_spare = WORKER_MAX_ACTIVE;
		w->spare = xcalloc(w->max_spare + 1, sizeof(*w->spare));
		w->buf = xmalloc(65536);
		if ((w->scratch = ldns_buffer_new(1024)) == NULL)
			abort();	/* out of memory, as xmalloc */
		rng_seed(w->rng);
	}
	io->n_workers = n_workers;
	for (unsigned i = 0; i < n_workers; i++)
		if ((err = wake_open(&io->workers[i].wake)) != 0) {
			errno = -err;
			goto fail;
		}
	/* Workers never take SIGINT/SIGWINCH: the UI thread must. */
	for (unsigned i = 0; i < n_workers; i++) {
		struct worker *w = &io->workers[i];

		if ((err = thread_start(&w->thread, worker_main, w)) != 0) {
			errno = err;
			break;
		}
		w->started = true;
	}
	if (!io->workers[n_workers - 1].started)
		goto fail;
	return io;
fail:
	err = errno;	/* for the caller's message: EMFILE says ulimit -n */
	log_msg(LOG_ERR, "probe_io: cannot start the query engine");
	probe_io_free(io);
	errno = err;
	return NULL;
}

void probe_io_free(struct probe_io *io)
{
	if (io == NULL)
		return;
	probe_io_cancel(io);
	LOCKRET(pthread_mutex_lock(&io->lock));
	io->terminating = true;
	LOCKRET(pthread_cond_broadcast(&io->cond));
	LOCKRET(pthread_mutex_unlock(&io->lock));
	for (unsigned i = 0; i < io->n_workers; i++) {
		struct worker *w = &io->workers[i];

		if (w->started) {
			wake_poke(&w->wake);
			LOCKRET(pthread_join(w->thread, NULL));
		}
		wake_close(&w->wake);
		free(w->active);
		free(w->buf);
		free(w->spare);
		ldns_buffer_free(w->scratch);
	}
	free(io->workers);
	wake_close(&io->cancel);
	pthread_cond_destroy(&io->cond);
	pthread_mutex_destroy(&io->lock);
	pthread_mutex_destroy(&io->rtt_lock);
	pthread_mutex_destroy(&io->silence.lock);
	free(io->rtt);
	free(io);
}

void probe_io_cancel(struct probe_io *io)
{
	if (io == NULL)
		return;
	/* It stays readable until resume: every poll loop wakes. */
	if (!atomic_exchange(&io->cancelled, true))
		wake_poke(&io->cancel);
}

void probe_io_poke(struct probe_io *io)
{
	for (unsigned i = 0; io != NULL && i < io->n_workers; i++)
		wake_poke(&io->workers[i].wake);
}

int probe_io_cancel_fd(struct probe_io *io)
{
	return io ? io->cancel.poll_fd : -1;
}

void probe_io_resume(struct probe_io *io)
{
	if (io == NULL)
		return;
	if (atomic_exchange(&io->cancelled, false))
		wake_drain(&io->cancel);
}

unsigned probe_io_run(struct probe_io *io, struct probe_query *q, size_t n,
		      const struct probe_io_opts *opts)
{
	struct batch b = { .opts = opts };

	atomic_init(&b.enough, false);
	struct task *first = NULL, *last = NULL;
	size_t per;

	if (n == 0)
		return 0;
	pthread_mutex_init(&b.lock, NULL);
	pthread_cond_init(&b.done, NULL);
	per = (n + io->n_workers - 1) / io->n_workers;
	if (per < TASK_MIN_QUERIES)
		per = TASK_MIN_QUERIES;
	for (size_t off = 0; off < n; off += per) {
		struct task *t = xcalloc(1, sizeof(*t));

		t->batch = &b;
		t->q = q + off;
		t->n = n - off < per ? n - off : per;
		if (last != NULL)
			last->next = t;
		else
			first = t;
		last = t;
		b.tasks_left++;
	}
	LOCKRET(pthread_mutex_lock(&io->lock));
	if (io->tail != NULL)
		io->tail->next = first;
	else
		io->head = first;
	io->tail = last;
	LOCKRET(pthread_cond_broadcast(&io->cond));
	LOCKRET(pthread_mutex_unlock(&io->lock));
	/* Busy workers poll, not wait: wake them to pick up tasks too. */
	probe_io_poke(io);

	LOCKRET(pthread_mutex_lock(&b.lock));
	while (b.tasks_left > 0)
		LOCKRET(pthread_cond_wait(&b.done, &b.lock));
	LOCKRET(pthread_mutex_unlock(&b.lock));
	pthread_cond_destroy(&b.done);
	pthread_mutex_destroy(&b.lock);
	return b.late;
}

void probe_io_scan_begin(struct probe_io *io)
{
	struct silence *s;

	if (io == NULL)
		return;
	s = &io->silence;
	LOCKRET(pthread_mutex_lock(&s->lock));
	memset(s->used, 0, sizeof(s->used));
	s->next = 0;
	atomic_store(&s->n_used, 0);
	for (size_t i = 0; i < HEARD_BITS / 64; i++)
		atomic_store(&s->heard[i], 0);
	LOCKRET(pthread_mutex_unlock(&s->lock));
}

unsigned probe_io_queries_sent(struct probe_io *io)
{
	return io ? atomic_load(&io->sent) : 0;
}

unsigned probe_io_late_replies(struct probe_io *io)
{
	return io ? atomic_load(&io->late) : 0;
}

unsigned probe_io_local_limited(struct probe_io *io)
{
	return io ? atomic_load(&io->local_limited) : 0;
}

void probe_io_raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= rl.rlim_max)
		return;
	/* Descriptors are the vantage's to give: take what the host allows. */
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > FD_LIMIT_WANTED ?
		      FD_LIMIT_WANTED : rl.rlim_max;
	if (rl.rlim_cur > 0 && setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_msg(LOG_WARN, "probe_io: cannot raise the descriptor limit: %s",
			strerror(errno));
}

void probe_query_clear(struct probe_query *q)
{
	if (q == NULL)
		return;
	dns_reply_clear(&q->reply);
	dns_reply_clear(&q->cd_reply);
	ldns_pkt_free(q->pkt);
	q->pkt = NULL;
}
