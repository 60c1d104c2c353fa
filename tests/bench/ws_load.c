// SPDX-License-Identifier: GPL-2.0-only
/*
 * Closed-loop WebSocket load generator for benchmarks. Opens --conns client connections to
 * --host:--port, upgrades each on --path (101 required), then per connection sends one masked
 * text frame and waits for its full echo before sending the next, for --secs seconds, over
 * --threads epoll threads. Echoes are parsed as a stream (split or coalesced frames) and
 * compared byte for byte. Prints one JSON line with throughput, round-trip latency
 * percentiles (log-linear histogram, bounded memory), errors and peer closes. A connection
 * that errors or closes is counted and not reopened. Standalone: libc + pthread only.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define WSG_NBUCKETS	(58 * 64)	/* log-linear over ns: 64 sub-buckets per power of two */
#define WSG_WINDOW	64		/* connects + handshakes in flight per thread */
#define WSG_HS_MAX	4096		/* longest 101 response accepted */
#define WSG_SETUP_NS	(30ull * 1000000000)	/* give up on upgrades not done by then */

enum { WSG_CONNECTING, WSG_HANDSHAKE, WSG_OPEN, WSG_DEAD };

struct wsg_msg {
	unsigned char *frame;	/* masked client frame, ready to send */
	size_t flen;
	const char *payload;	/* what the echo must carry */
	size_t plen;
};

struct wsg_conn {
	int fd, state, out;	/* out: registered for EPOLLOUT */
	char *req;		/* upgrade request while connecting, then the 101 response */
	size_t rlen, woff;	/* response bytes held; bytes of req or frame sent */
	size_t next, cur;	/* next message index; message in flight */
	int busy;		/* a message is in flight */
	uint64_t t0;		/* when the in-flight message started */
	unsigned char hdr[10];	/* server frame header being assembled */
	size_t hlen, left, poff;	/* header bytes; payload bytes left; payload offset */
	int op, bad;		/* opcode of frame being read; payload mismatched so far */
};

struct wsg_thread {
	pthread_t th;
	struct wsg_conn *conns;
	int n, ep, settled;	/* settled: connections upgraded or dropped during setup */
	uint64_t msgs, errors, closed, ns;
	uint64_t hist[WSG_NBUCKETS];
};

static struct wsg_msg *wsg_msgs;
static size_t wsg_nmsgs;
static struct sockaddr_in wsg_addr;
static const char *wsg_host = "127.0.0.1", *wsg_path = "/";
static int wsg_port;
static double wsg_secs = 5;
static pthread_barrier_t wsg_bar;

static uint64_t wsg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Histogram bucket of v ns: exact below 128, then ~1.5% wide. */
static unsigned int wsg_bucket(uint64_t v)
{
	int e;

	if (v < 128)
		return v;
	e = 63 - __builtin_clzll(v);
	return (e - 6) * 64 + (v >> (e - 6));
}

/* Midpoint in ns of bucket i. */
static double wsg_bucket_ns(unsigned int i)
{
	int e;

	if (i < 128)
		return i;
	e = i / 64 + 5;
	return ((double)(i % 64 + 64) + 0.5) * (1ull << (e - 6));
}

/* Build the masked text frames for every payload; masks are fixed per message. */
static void wsg_build(void)
{
	unsigned int seed = 12345;

	for (size_t m = 0; m < wsg_nmsgs; m++) {
		struct wsg_msg *w = &wsg_msgs[m];
		unsigned char *f = malloc(w->plen + 14), mask[4];
		size_t h = 2;

		if (!f)
			exit(1);
		f[0] = 0x81;
		if (w->plen < 126) {
			f[1] = 0x80 | w->plen;
		} else if (w->plen < 65536) {
			f[1] = 0x80 | 126;
			f[2] = w->plen >> 8;
			f[3] = w->plen;
			h = 4;
		} else {
			f[1] = 0x80 | 127;
			for (int i = 0; i < 8; i++)
				f[2 + i] = (uint64_t)w->plen >> (56 - 8 * i);
			h = 10;
		}
		for (int i = 0; i < 4; i++)
			f[h + i] = mask[i] = rand_r(&seed);
		h += 4;
		for (size_t i = 0; i < w->plen; i++)
			f[h + i] = w->payload[i] ^ mask[i & 3];
		w->frame = f;
		w->flen = h + w->plen;
	}
}

static void wsg_arm(struct wsg_thread *t, struct wsg_conn *c, int out)
{
	struct epoll_event ev = { .events = out ? EPOLLOUT : EPOLLIN, .data.ptr = c };

	if (c->out != out) {
		c->out = out;
		epoll_ctl(t->ep, EPOLL_CTL_MOD, c->fd, &ev);
	}
}

/* Drop c; error says whether it counts as an error or as a peer close. */
static void wsg_kill(struct wsg_thread *t, struct wsg_conn *c, int error)
{
	if (c->state == WSG_DEAD)
		return;
	if (c->state < WSG_OPEN)
		t->settled++;
	if (error)
		t->errors++;
	else
		t->closed++;
	close(c->fd);
	free(c->req);
	c->req = NULL;
	c->state = WSG_DEAD;
}

/* Send (the rest of) the pending request or in-flight frame; -1 on a dead socket. */
static int wsg_send(struct wsg_thread *t, struct wsg_conn *c)
{
	const char *p = c->state == WSG_OPEN ? (char *)wsg_msgs[c->cur].frame : c->req;
	size_t len = c->state == WSG_OPEN ? wsg_msgs[c->cur].flen : strlen(c->req);

	while (c->woff < len) {
		ssize_t n = send(c->fd, p + c->woff, len - c->woff, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			return -1;
		c->woff += n;
	}
	wsg_arm(t, c, c->woff < len);
	return 0;
}

/* Start the next message on an open connection. */
static int wsg_next(struct wsg_thread *t, struct wsg_conn *c)
{
	c->cur = c->next;
	c->next = (c->next + 1) % wsg_nmsgs;
	c->busy = 1;
	c->woff = 0;
	c->t0 = wsg_now();
	return wsg_send(t, c);
}

/* A whole server frame has been read. -1: drop the connection (error counted here). */
static int wsg_frame_done(struct wsg_thread *t, struct wsg_conn *c, int run)
{
	const struct wsg_msg *m = &wsg_msgs[c->cur];

	if (c->op == 0x8) {
		wsg_kill(t, c, 0);
		return -1;
	}
	if (c->op == 0x9 || c->op == 0xa)	/* control frames need no answer here */
		return 0;
	if (!c->busy || c->op != 0x1 || c->bad || c->poff != m->plen) {
		wsg_kill(t, c, 1);
		return -1;
	}
	t->hist[wsg_bucket(wsg_now() - c->t0)]++;
	t->msgs++;
	c->busy = 0;
	return run ? wsg_next(t, c) : 0;
}

/* Feed received bytes to the streaming frame parser. -1 when c was dropped. */
static int wsg_feed(struct wsg_thread *t, struct wsg_conn *c, const unsigned char *p, size_t n,
		    int run)
{
	const struct wsg_msg *m;
	size_t need, len, k;

	while (n) {
		if (!c->left) {	/* header: 2 bytes, then 2 or 8 more for a long length */
			c->hdr[c->hlen++] = *p++;
			n--;
			if (c->hlen < 2)
				continue;
			if (c->hlen == 2 && (c->hdr[1] & 0x80 || !(c->hdr[0] & 0x80))) {
				wsg_kill(t, c, 1);	/* masked or fragmented: not our echo */
				return -1;
			}
			len = c->hdr[1] & 0x7f;
			need = len == 126 ? 4 : len == 127 ? 10 : 2;
			if (c->hlen < need)
				continue;
			if (need > 2)
				len = 0;
			for (size_t i = 2; i < need; i++)
				len = len << 8 | c->hdr[i];
			c->op = c->hdr[0] & 0x0f;
			c->hlen = c->poff = c->bad = 0;
			c->left = len;
			if (!len && wsg_frame_done(t, c, run))
				return -1;
			continue;
		}
		k = n < c->left ? n : c->left;
		m = &wsg_msgs[c->cur];
		if (c->op == 0x1 && !c->bad &&
		    (c->poff + k > m->plen || memcmp(m->payload + c->poff, p, k)))
			c->bad = 1;
		c->poff += k;
		c->left -= k;
		p += k;
		n -= k;
		if (!c->left && wsg_frame_done(t, c, run))
			return -1;
	}
	return 0;
}

/* Begin a non-blocking connect and queue the upgrade request. */
static void wsg_open(struct wsg_thread *t, struct wsg_conn *c)
{
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };
	char key[25];
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	c->state = WSG_CONNECTING;
	c->out = 1;
	c->req = malloc(WSG_HS_MAX + 1);
	if (c->fd < 0 || !c->req) {
		wsg_kill(t, c, 1);
		return;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (int i = 0; i < 16; i++)
		key[i] = rand();
	/* 16 bytes in base64: 21 random digits of value < 16, one zero digit, padding */
	for (int i = 0; i < 21; i++)
		key[i] = 'A' + (rand() & 15);
	memcpy(key + 21, "A==", 4);
	snprintf(c->req, WSG_HS_MAX, "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
		 "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
		 "Sec-WebSocket-Key: %s\r\n\r\n",
		 wsg_path, wsg_host, wsg_port, key);
	if ((connect(c->fd, (struct sockaddr *)&wsg_addr, sizeof(wsg_addr)) &&
	     errno != EINPROGRESS) || epoll_ctl(t->ep, EPOLL_CTL_ADD, c->fd, &ev))
		wsg_kill(t, c, 1);
}

/* One readiness event on c; run says whether messages are being sent. */
static void wsg_event(struct wsg_thread *t, struct wsg_conn *c, uint32_t events, int run,
		      unsigned char *buf, size_t cap)
{
	int err = 0;
	socklen_t sl = sizeof(err);
	ssize_t n;
	char *end;

	if (c->state == WSG_DEAD)	/* dropped earlier in this batch */
		return;
	if (c->state == WSG_CONNECTING) {
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &sl) || err) {
			wsg_kill(t, c, 1);
			return;
		}
		if (wsg_send(t, c)) {
			wsg_kill(t, c, 1);
			return;
		}
		if (c->woff == strlen(c->req))
			c->state = WSG_HANDSHAKE;
		return;
	}
	if (c->out && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
		if (wsg_send(t, c))
			wsg_kill(t, c, 1);
		return;
	}
	if (c->state == WSG_HANDSHAKE) {
		n = recv(c->fd, c->req + c->rlen, WSG_HS_MAX - c->rlen, 0);
		if (n <= 0) {
			if (n == 0 || (errno != EAGAIN && errno != EINTR))
				wsg_kill(t, c, 1);
			return;
		}
		c->rlen += n;
		c->req[c->rlen] = 0;
		end = strstr(c->req, "\r\n\r\n");
		if (!end) {
			if (c->rlen == WSG_HS_MAX)
				wsg_kill(t, c, 1);
			return;
		}
		if (strncmp(c->req, "HTTP/1.1 101", 12)) {
			wsg_kill(t, c, 1);
			return;
		}
		c->state = WSG_OPEN;
		t->settled++;
		n = c->rlen - (end + 4 - c->req);
		memcpy(buf, end + 4, n);
		free(c->req);
		c->req = NULL;
		if (n)
			wsg_feed(t, c, buf, n, run);
		return;
	}
	n = recv(c->fd, buf, cap, 0);
	if (n > 0)
		wsg_feed(t, c, buf, n, run);
	else if (n == 0)
		wsg_kill(t, c, 0);
	else if (errno != EAGAIN && errno != EINTR)
		wsg_kill(t, c, 1);
}

static void *wsg_thread(void *arg)
{
	const size_t cap = 256 * 1024;
	unsigned char *buf = malloc(cap);
	struct wsg_thread *t = arg;
	struct epoll_event evs[256];
	uint64_t start = wsg_now(), end;
	int opened = 0, k;

	t->ep = epoll_create1(EPOLL_CLOEXEC);
	/* setup: keep WSG_WINDOW connections between connect() and 101 */
	while (t->settled < t->n && wsg_now() - start < WSG_SETUP_NS) {
		while (opened < t->n && opened - t->settled < WSG_WINDOW)
			wsg_open(t, &t->conns[opened++]);
		k = epoll_wait(t->ep, evs, 256, 100);

		for (int i = 0; i < k; i++)
			wsg_event(t, evs[i].data.ptr, evs[i].events, 0, buf, cap);
	}
	for (int i = 0; i < t->n; i++)
		if (t->conns[i].state < WSG_OPEN) {
			if (i >= opened)
				t->conns[i].fd = -1;
			wsg_kill(t, &t->conns[i], 1);
		}
	pthread_barrier_wait(&wsg_bar);
	start = wsg_now();
	end = start + (uint64_t)(wsg_secs * 1e9);
	for (int i = 0; i < t->n; i++)
		if (t->conns[i].state == WSG_OPEN && wsg_next(t, &t->conns[i]))
			wsg_kill(t, &t->conns[i], 1);
	while (wsg_now() < end) {
		k = epoll_wait(t->ep, evs, 256, 10);
		for (int i = 0; i < k; i++)
			wsg_event(t, evs[i].data.ptr, evs[i].events, 1, buf, cap);
	}
	t->ns = wsg_now() - start;
	for (int i = 0; i < t->n; i++)
		if (t->conns[i].state == WSG_OPEN) {
			static const unsigned char bye[6] = { 0x88, 0x80 };

			send(t->conns[i].fd, bye, sizeof(bye), MSG_NOSIGNAL | MSG_DONTWAIT);
			close(t->conns[i].fd);
		}
	close(t->ep);
	free(buf);
	return NULL;
}

/*
 * Messages from path, records of a 4-byte little-endian length and the bytes (so newlines and
 * NULs stay; tests/bench/payloads.js writes them), or one filler message of size.
 */
static void wsg_payloads(const char *path, size_t size)
{
	static const char fill[] = "hello world ";
	unsigned char len4[4];
	size_t len = 0;
	char *data;
	FILE *f;

	if (!path) {
		data = malloc(size + 1);
		for (size_t i = 0; i < size; i++)
			data[i] = fill[i % (sizeof(fill) - 1)];
		wsg_msgs = calloc(1, sizeof(*wsg_msgs));
		wsg_msgs[0].payload = data;
		wsg_msgs[0].plen = size;
		wsg_nmsgs = 1;
		return;
	}
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	while (fread(len4, 1, 4, f) == 4) {
		size_t n = len4[0] | len4[1] << 8 | len4[2] << 16 | (size_t)len4[3] << 24;

		data = malloc(n ? n : 1);
		if (!data || fread(data, 1, n, f) != n) {
			fprintf(stderr, "ws_load: %s: truncated record\n", path);
			exit(2);
		}
		if (!n) {
			free(data);
			continue;
		}
		wsg_msgs = realloc(wsg_msgs, (len + 1) * sizeof(*wsg_msgs));
		wsg_msgs[len].payload = data;
		wsg_msgs[len++].plen = n;
	}
	fclose(f);
	if (!len) {
		fprintf(stderr, "ws_load: %s has no messages\n", path);
		exit(2);
	}
	wsg_nmsgs = len;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", 1, NULL, 'p' }, { "path", 1, NULL, 'P' }, { "conns", 1, NULL, 'c' },
		{ "size", 1, NULL, 's' }, { "secs", 1, NULL, 'S' }, { "threads", 1, NULL, 't' },
		{ "payload-file", 1, NULL, 'f' }, { "host", 1, NULL, 'h' }, { 0 },
	};
	const char *file = NULL;
	int conns = 1, nthreads = 2, opt;
	size_t size = 64, bytes = 0;
	uint64_t msgs = 0, errors = 0, closed = 0, seen = 0, p50 = 0, p99 = 0;
	double rate = 0;
	struct wsg_thread *ts;
	struct wsg_conn *cs;
	struct rlimit rl;
	static uint64_t hist[WSG_NBUCKETS];

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'p': wsg_port = atoi(optarg); break;
		case 'P': wsg_path = optarg; break;
		case 'c': conns = atoi(optarg); break;
		case 's': size = strtoul(optarg, NULL, 0); break;
		case 'S': wsg_secs = atof(optarg); break;
		case 't': nthreads = atoi(optarg); break;
		case 'f': file = optarg; break;
		case 'h': wsg_host = optarg; break;
		default: goto usage;
		}
	}
	wsg_addr.sin_family = AF_INET;
	wsg_addr.sin_port = htons(wsg_port);
	if (wsg_port <= 0 || wsg_port > 65535 || conns <= 0 || nthreads <= 0 || wsg_secs <= 0 ||
	    inet_pton(AF_INET, wsg_host, &wsg_addr.sin_addr) != 1) {
usage:
		fprintf(stderr, "usage: ws_load --port P [--path /echo/] [--conns N]\n"
			"  [--size BYTES] [--secs S] [--threads T] [--payload-file FILE]\n"
			"  [--host 127.0.0.1]\n");
		return 2;
	}
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	wsg_payloads(file, size);
	wsg_build();
	if (nthreads > conns)
		nthreads = conns;
	ts = calloc(nthreads, sizeof(*ts));
	cs = calloc(conns, sizeof(*cs));
	pthread_barrier_init(&wsg_bar, NULL, nthreads);
	for (int i = 0, at = 0; i < nthreads; i++) {
		ts[i].n = conns / nthreads + (i < conns % nthreads);
		ts[i].conns = cs + at;
		/* spread the messages over the connections */
		for (int j = 0; j < ts[i].n; j++)
			cs[at + j].next = (at + j) % wsg_nmsgs;
		at += ts[i].n;
		pthread_create(&ts[i].th, NULL, wsg_thread, &ts[i]);
	}
	for (int i = 0; i < nthreads; i++) {
		pthread_join(ts[i].th, NULL);
		msgs += ts[i].msgs;
		errors += ts[i].errors;
		closed += ts[i].closed;
		rate += ts[i].ns ? ts[i].msgs * 1e9 / ts[i].ns : 0;
		for (int b = 0; b < WSG_NBUCKETS; b++)
			hist[b] += ts[i].hist[b];
	}
	for (int b = 0; b < WSG_NBUCKETS; b++) {
		if (hist[b] && seen < (msgs + 1) / 2 && seen + hist[b] >= (msgs + 1) / 2)
			p50 = b;
		if (hist[b] && seen < msgs - msgs / 100 && seen + hist[b] >= msgs - msgs / 100)
			p99 = b;
		seen += hist[b];
	}
	for (size_t m = 0; m < wsg_nmsgs; m++)
		bytes += wsg_msgs[m].plen;
	printf("{\"conns\":%d,\"size\":%zu,\"secs\":%g,\"msgs\":%llu,\"msgs_per_s\":%.0f,"
	       "\"p50_us\":%.1f,\"p99_us\":%.1f,\"errors\":%llu,\"closed\":%llu}\n",
	       conns, file ? bytes / wsg_nmsgs : size, wsg_secs, (unsigned long long)msgs, rate,
	       msgs ? wsg_bucket_ns(p50) / 1e3 : 0, msgs ? wsg_bucket_ns(p99) / 1e3 : 0,
	       (unsigned long long)errors, (unsigned long long)closed);
	return msgs ? 0 : 1;
}
