/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hopdelay.c - the per-hop delay of `make bench`'s lab, where the kernel has
 * no netem: every packet that an iptables NFQUEUE rule sends to queue QUEUE
 * is held for DELAY_MS, then let through, in arrival order.
 *
 *   hopdelay QUEUE DELAY_MS
 *
 * The bench queues port-53 packets leaving any lab address (queries and
 * replies alike), so a round trip costs twice DELAY_MS. Only the verdict is
 * delayed: the kernel keeps the packet, we see its id (NFQNL_COPY_META). The
 * queue fails open (a full queue lets packets pass undelayed), and the rule
 * uses --queue-bypass, so packets flow again the moment this process ends.
 * Runs until SIGTERM/SIGINT. Not part of bogus: a test tool.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

/* Packets held at once; beyond it the kernel's fail-open takes over. */
#define HELD_MAX 65536

struct held {
	uint32_t id;
	int64_t due_ns;
};

/* One delay for all, so the queue of held packets is a FIFO ring. */
static struct held ring[HELD_MAX];
static size_t ring_head, ring_len;
static int64_t delay_ns;
static volatile sig_atomic_t stopping;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg,
		     struct nfq_data *nfa, void *data)
{
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	uint32_t id;

	(void)msg;
	(void)data;
	if (ph == NULL)
		return 0;
	id = ntohl(ph->packet_id);
	if (ring_len == HELD_MAX)	/* cannot hold it: let it pass now */
		return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
	ring[(ring_head + ring_len) % HELD_MAX] =
		(struct held){ .id = id, .due_ns = now_ns() + delay_ns };
	ring_len++;
	return 0;
}

/*
 * Lets through every held packet whose time has come, with one batch
 * verdict (every id up to the last due one): ids rise in arrival order and
 * every packet waits as long, so the due ones are exactly those. One
 * syscall per wake-up instead of one per packet: a thousand resolvers'
 * 26 000 packets must measure bogus, not this tool.
 */
static void release_due(struct nfq_q_handle *qh, int64_t now)
{
	uint32_t last = 0;
	bool any = false;

	while (ring_len > 0 && ring[ring_head].due_ns <= now) {
		last = ring[ring_head].id;
		any = true;
		ring_head = (ring_head + 1) % HELD_MAX;
		ring_len--;
	}
	if (any)
		nfq_set_verdict_batch(qh, last, NF_ACCEPT);
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

int main(int argc, char **argv)
{
	char *end;
	unsigned long queue, ms;
	static char buf[65536];
	unsigned long lost = 0;

	if (argc != 3 || (queue = strtoul(argv[1], &end, 10), *end) ||
	    queue > 65535 || (ms = strtoul(argv[2], &end, 10), *end) ||
	    ms > 10000) {
		fprintf(stderr, "usage: hopdelay QUEUE DELAY_MS (0-10000)\n");
		return 3;
	}
	delay_ns = (int64_t)ms * 1000000;

	struct nfq_handle *h = nfq_open();
	struct nfq_q_handle *qh = h ? nfq_create_queue(h, (uint16_t)queue,
						       on_packet, NULL) : NULL;
	if (qh == NULL || nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) {
		fprintf(stderr, "hopdelay: cannot bind netfilter queue %lu: %s\n",
			queue, strerror(errno));
		return 1;
	}
	nfq_set_queue_maxlen(qh, HELD_MAX);
	nfq_set_queue_flags(qh, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN);
	nfnl_rcvbufsiz(nfq_nfnlh(h), 8 << 20);

	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	struct pollfd p = { .fd = nfq_fd(h), .events = POLLIN };

	while (!stopping) {
		int64_t now = now_ns();
		int wait_ms = -1;

		release_due(qh, now);
		if (ring_len > 0)	/* round up: never wake before the due time */
			wait_ms = (int)((ring[ring_head].due_ns - now + 999999) / 1000000);
		if (poll(&p, 1, wait_ms) <= 0)
			continue;
		/* Everything queued, not one message per wake-up. */
		for (ssize_t n; (n = recv(p.fd, buf, sizeof(buf), MSG_DONTWAIT)) != 0;) {
			if (n > 0) {
				nfq_handle_packet(h, buf, (int)n);
				continue;
			}
			/* ENOBUFS: the kernel dropped notifications, and with them
			 * packets that then wait for a verdict never sent. */
			if (errno == ENOBUFS)
				lost++;
			else if (errno != EINTR)
				break;
		}
	}
	if (lost > 0)
		fprintf(stderr, "hopdelay: the kernel dropped notifications %lu times "
			"(packets lost: the timings are not to be trusted)\n", lost);
	release_due(qh, INT64_MAX);
	nfq_destroy_queue(qh);
	nfq_close(h);
	return 0;
}
