/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hostile_dns.c - a DNS server that answers everything, badly on purpose.
 *
 *   hostile_dns [-t SECONDS] ADDR@PORT[/silent-tcp]...
 *
 * For tests/system/hostile_network.sh. Every address serves UDP and TCP and
 * plays every role at once (root, TLD, zone, resolver): each query is
 * answered with AA (and RA/AD when RD is set), records of the asked type
 * whose texts carry what a terminal obeys (ESC and OSC sequences, CR,
 * backspace, DEL, C1, bidi overrides, zero-width characters) and names with
 * \000 and ESC in their labels; every reply has an EDE and an NSID full of
 * the same. TXT and DNSKEY answers are nearly 64 KB: over UDP they come back
 * truncated (TC=1), over TCP whole - except _dmarc TXT, which comes whole
 * in one oversized UDP datagram. Names starting with "canary" get
 * SERVFAIL. The NS RRset repeats a record. "/silent-tcp" makes an address
 * accept TCP and never answer.
 *
 * Prints "ready" once every socket is bound, then serves until killed or
 * until -t SECONDS (default 120) have passed. Single-threaded, one poll loop;
 * loopback only (the test runs it in its own network namespace).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#define MAX_ADDRS 8
#define MAX_CONNS 64
#define UDP_LIMIT 1232
#define BIG_RRS 235	/* 235 TXT RRs of 255 bytes: just under 64 KB */

/* Bytes a terminal obeys, as presentation-format escapes (for ldns). */
#define EVIL_TEXT "\\027[2J\\027[31mPWNED\\027]0;owned\\007\\013\\008\\008" \
		  "\\127\\194\\155" "31m\\226\\128\\174" "evil\\226\\128\\172" \
		  "\\226\\128\\139\\239\\187\\191"
#define EVIL_TEXT_LEN 48	/* bytes, once unescaped */
#define EVIL_LABEL "e\\027[7m\\000v\\013il"
/* The same, raw, for EDE and NSID. */
static const char evil_raw[] = "\x1b[2J\x1b[31mPWNED\x1b]0;owned\x07\r\b\b"
			       "\x7f\xc2\x9b" "31m\xe2\x80\xae" "evil\xe2\x80\xac";

struct conn {
	int fd;
	uint8_t in[2 + 512];
	size_t got;
	uint8_t *out;
	size_t out_len, out_off;
};

struct listener {
	int udp, tcp;
	int silent_tcp;
};

static void die(const char *what)
{
	fprintf(stderr, "hostile_dns: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void add(ldns_rr_list *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(ldns_rr_list *l, const char *fmt, ...)
{
	char buf[2048];
	ldns_rr *rr = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (ldns_rr_new_frm_str(&rr, buf, 300, NULL, NULL) != LDNS_STATUS_OK) {
		fprintf(stderr, "hostile_dns: bad record: %s\n", buf);
		exit(2);
	}
	ldns_rr_list_push_rr(l, rr);
}

/* The answer RRs for @p q (presentation name) and @p type. */
static void answers(ldns_rr_list *an, const char *q, ldns_rr_type type, int big)
{
	switch (type) {
	case LDNS_RR_TYPE_A:
		add(an, "%s A %s", q, strncasecmp(q, "ns2.", 4) == 0 ?
				      "127.0.0.2" : "127.0.0.1");
		break;
	case LDNS_RR_TYPE_NS:
		add(an, "%s NS ns1.example.test.", q);
		add(an, "%s NS ns2.example.test.", q);
		add(an, "%s NS ns1.example.test.", q);	/* a duplicate RR */
		add(an, "%s NS " EVIL_LABEL ".example.test.", q);
		break;
	case LDNS_RR_TYPE_SOA:
		add(an, "%s SOA " EVIL_LABEL ".example.test. "
			"h\\226\\128\\174ost.example.test. 2026112801 3600 600 86400 300", q);
		break;
	case LDNS_RR_TYPE_MX:
		add(an, "%s MX 10 " EVIL_LABEL ".example.test.", q);
		break;
	case LDNS_RR_TYPE_TXT:
		add(an, "%s TXT \"" EVIL_TEXT "\" \"v=spf1 \\000 -all\"", q);
		big |= strncasecmp(q, "_dmarc.", 7) == 0;
		for (int i = 0; big && i < BIG_RRS; i++)
			add(an, "%s TXT \"%03d" EVIL_TEXT "%0*d\"", q, i,
			    250 - 3 - EVIL_TEXT_LEN, 0);
		break;
	case LDNS_RR_TYPE_DS:
		add(an, "%s DS 4711 13 2 %064d", q, 7);
		add(an, "%s RRSIG DS 13 2 300 20300101000000 20200101000000 4711 "
			EVIL_LABEL ". AAAA", q);
		break;
	case LDNS_RR_TYPE_DNSKEY:
		add(an, "%s DNSKEY 257 3 13 %s", q,
		    "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==");
		for (int i = 0; big && i < 600; i++)
			add(an, "%s DNSKEY 256 3 13 %04d%s", q, i,
			    "wUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==");
		add(an, "%s RRSIG DNSKEY 13 2 300 20300101000000 20200101000000 4711 "
			EVIL_LABEL ". AAAA", q);
		break;
	default:
		break;
	}
}

/* The OPT RR: EDE 6 (DNSSEC Bogus), EDE 65535, NSID; all hostile text. */
static size_t opt_rr(uint8_t *p, size_t room)
{
	size_t tl = sizeof(evil_raw) - 1, rdlen = (4 + 2 + tl) * 2 + 4 + tl;
	uint8_t *start = p;

	if (room < 11 + rdlen)
		return 0;
	*p++ = 0;				/* root owner */
	*p++ = 0, *p++ = 41;			/* OPT */
	*p++ = UDP_LIMIT >> 8, *p++ = UDP_LIMIT & 0xff;
	*p++ = 0, *p++ = 0, *p++ = 0x80, *p++ = 0;	/* DO */
	*p++ = (uint8_t)(rdlen >> 8), *p++ = (uint8_t)rdlen;
	for (int i = 0; i < 2; i++) {
		uint16_t code = i ? 65535 : 6;

		*p++ = 0, *p++ = 15;
		*p++ = (uint8_t)((2 + tl) >> 8), *p++ = (uint8_t)(2 + tl);
		*p++ = (uint8_t)(code >> 8), *p++ = (uint8_t)code;
		memcpy(p, evil_raw, tl), p += tl;
	}
	*p++ = 0, *p++ = 3, *p++ = (uint8_t)(tl >> 8), *p++ = (uint8_t)tl;
	memcpy(p, evil_raw, tl), p += tl;
	return (size_t)(p - start);
}

/* Builds the reply to @p q; returns a new buffer in *@p out, its length. */
static size_t respond(const uint8_t *q, size_t qlen, int tcp, uint8_t **out)
{
	ldns_pkt *query = NULL, *reply;
	ldns_rr_list *an;
	const ldns_rr *question;
	uint8_t *wire = NULL, *buf;
	size_t len = 0, olen;
	char *qname;
	int truncate;

	*out = NULL;
	if (ldns_wire2pkt(&query, q, qlen) != LDNS_STATUS_OK ||
	    ldns_pkt_qdcount(query) != 1) {
		ldns_pkt_free(query);
		return 0;
	}
	question = ldns_rr_list_rr(ldns_pkt_question(query), 0);
	qname = ldns_rdf2str(ldns_rr_owner(question));
	reply = ldns_pkt_new();
	ldns_pkt_set_id(reply, ldns_pkt_id(query));
	ldns_pkt_set_qr(reply, true);
	ldns_pkt_set_aa(reply, true);
	ldns_pkt_set_rd(reply, ldns_pkt_rd(query));
	ldns_pkt_set_ra(reply, ldns_pkt_rd(query));
	ldns_pkt_set_ad(reply, ldns_pkt_rd(query));
	ldns_pkt_set_cd(reply, ldns_pkt_cd(query));
	ldns_pkt_push_rr(reply, LDNS_SECTION_QUESTION, ldns_rr_clone(question));
	if (strncasecmp(qname, "canary", 6) == 0) {
		ldns_pkt_set_rcode(reply, LDNS_RCODE_SERVFAIL);
	} else {
		an = ldns_rr_list_new();
		answers(an, qname, ldns_rr_get_type(question), tcp);
		ldns_pkt_push_rr_list(reply, LDNS_SECTION_ANSWER, an);
		ldns_rr_list_free(an);
	}
	/* _dmarc TXT: the whole 62 KB in one UDP datagram, EDNS or not. */
	truncate = !tcp && strncasecmp(qname, "_dmarc.", 7) != 0 &&
		   ldns_pkt2wire(&wire, reply, &len) == LDNS_STATUS_OK &&
		   len > UDP_LIMIT - 400;
	if (truncate) {
		/* The big answers exist only over TCP: here TC=1, no records. */
		ldns_rr_list_deep_free(ldns_pkt_answer(reply));
		ldns_pkt_set_answer(reply, ldns_rr_list_new());
		ldns_pkt_set_ancount(reply, 0);
		ldns_pkt_set_tc(reply, true);
	}
	free(wire);
	wire = NULL;
	if (ldns_pkt2wire(&wire, reply, &len) != LDNS_STATUS_OK)
		len = 0;
	buf = malloc(len + 2048);
	if (buf == NULL)
		abort();
	memcpy(buf, wire, len);
	olen = opt_rr(buf + len, 65535 - len < 2048 ? 65535 - len : 2048);
	if (olen > 0) {
		buf[11]++;	/* ARCOUNT: the OPT RR (ldns wrote none) */
		len += olen;
	}
	free(wire);
	free(qname);
	ldns_pkt_free(query);
	ldns_pkt_free(reply);
	*out = buf;
	return len;
}

static void bind_addr(struct listener *l, const char *spec)
{
	char host[64];
	const char *at = strchr(spec, '@');
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int one = 1;

	if (at == NULL || (size_t)(at - spec) >= sizeof(host)) {
		fprintf(stderr, "hostile_dns: want ADDR@PORT, not %s\n", spec);
		exit(2);
	}
	memcpy(host, spec, (size_t)(at - spec));
	host[at - spec] = '\0';
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "hostile_dns: bad address %s\n", host);
		exit(2);
	}
	sa.sin_port = htons((uint16_t)atoi(at + 1));
	l->silent_tcp = strstr(at, "/silent-tcp") != NULL;
	if ((l->udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) < 0 ||
	    bind(l->udp, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		die(spec);
	if ((l->tcp = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0 ||
	    setsockopt(l->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(l->tcp, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(l->tcp, 64) != 0)
		die(spec);
}

static void serve_udp(int fd)
{
	uint8_t q[512], *out;
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
	size_t len;

	if (n <= 0)
		return;
	len = respond(q, (size_t)n, 0, &out);
	if (len > 0)
		(void)sendto(fd, out, len, 0, (struct sockaddr *)&from, fl);
	free(out);
}

static void close_conn(struct conn *c)
{
	close(c->fd);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* Reads what there is; once a whole query is in, queues the reply. */
static void serve_tcp(struct conn *c, int silent)
{
	ssize_t n;

	if (c->out != NULL) {
		n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
		if (n < 0 && errno != EAGAIN)
			close_conn(c);
		else if (n > 0 && (c->out_off += (size_t)n) == c->out_len)
			close_conn(c);
		return;
	}
	n = read(c->fd, c->in + c->got, sizeof(c->in) - c->got);
	if (n <= 0) {
		if (n == 0 || errno != EAGAIN)
			close_conn(c);
		return;
	}
	c->got += (size_t)n;
	if (silent || c->got < 2)
		return;
	size_t want = (size_t)c->in[0] << 8 | c->in[1];

	if (want > sizeof(c->in) - 2) {
		close_conn(c);
		return;
	}
	if (c->got < 2 + want)
		return;
	uint8_t *msg;
	size_t len = respond(c->in + 2, want, 1, &msg);

	if (len == 0 || len > 65535) {
		free(msg);
		close_conn(c);
		return;
	}
	c->out = malloc(len + 2);
	if (c->out == NULL)
		abort();
	c->out[0] = (uint8_t)(len >> 8), c->out[1] = (uint8_t)len;
	memcpy(c->out + 2, msg, len);
	c->out_len = len + 2;
	free(msg);
}

int main(int argc, char **argv)
{
	struct listener ls[MAX_ADDRS];
	struct conn conns[MAX_CONNS];
	int owner[MAX_CONNS];
	size_t n_ls = 0;
	int limit = 120, opt;
	time_t end;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't')
			return 2;
		limit = atoi(optarg);
	}
	for (int i = optind; i < argc && n_ls < MAX_ADDRS; i++)
		bind_addr(&ls[n_ls++], argv[i]);
	if (n_ls == 0) {
		fprintf(stderr, "usage: hostile_dns [-t SECONDS] ADDR@PORT[/silent-tcp]...\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1, conns[i].out = NULL, owner[i] = 0;
	printf("ready\n");
	fflush(stdout);
	end = time(NULL) + limit;
	while (time(NULL) < end) {
		struct pollfd p[2 * MAX_ADDRS + MAX_CONNS];
		size_t np = 0;

		for (size_t i = 0; i < n_ls; i++) {
			p[np++] = (struct pollfd){ .fd = ls[i].udp, .events = POLLIN };
			p[np++] = (struct pollfd){ .fd = ls[i].tcp, .events = POLLIN };
		}
		for (int i = 0; i < MAX_CONNS; i++)
			p[np++] = (struct pollfd){ .fd = conns[i].fd,
				.events = conns[i].out ? POLLOUT : POLLIN };
		if (poll(p, np, 500) < 0 && errno != EINTR)
			die("poll");
		for (size_t i = 0; i < n_ls; i++) {
			if (p[2 * i].revents & POLLIN)
				serve_udp(ls[i].udp);
			if (!(p[2 * i + 1].revents & POLLIN))
				continue;
			int fd = accept(ls[i].tcp, NULL, NULL);

			if (fd >= 0)
				fcntl(fd, F_SETFL, O_NONBLOCK);

			for (int j = 0; fd >= 0 && j < MAX_CONNS; j++) {
				if (conns[j].fd < 0) {
					conns[j].fd = fd, conns[j].got = 0;
					owner[j] = (int)i;
					fd = -1;
				}
			}
			if (fd >= 0)
				close(fd);	/* full: drop it */
		}
		for (int i = 0; i < MAX_CONNS; i++)
			if (conns[i].fd >= 0 && p[2 * n_ls + (size_t)i].revents)
				serve_tcp(&conns[i], ls[owner[i]].silent_tcp);
	}
	return 0;
}
