// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark WebSocket echo backend (`ws_echo PORT`): listens on 127.0.0.1:PORT, upgrades
 * HTTP/1.1 WebSocket requests (101) and echoes every client frame back unmasked with the
 * same FIN bit and opcode; ping gets pong, close gets close. Any other HTTP request gets 404
 * and Connection: close. One thread, level-triggered epoll, non-blocking sockets; buffers are
 * per connection and only held while a frame is split across reads or output is pending.
 * Prints "listening PORT" once ready; exits on SIGTERM/SIGINT. Standalone: libc only.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#define WSG_SCRATCH	(256 * 1024)	/* one read(2) per readiness event */
#define WSG_MAX_HDRS	8192		/* longest upgrade request accepted */
#define WSG_MAX_FRAME	(64u << 20)	/* longer frames drop the connection */
#define WSG_GUID	"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

struct wsg_conn {
	int fd;
	int ws;			/* upgraded: rbuf holds frames, not request headers */
	int closing;		/* close once wbuf is flushed */
	int out;		/* registered for EPOLLOUT (wbuf pending) instead of EPOLLIN */
	char *rbuf;		/* unparsed input carried over from earlier reads */
	size_t rlen, rcap;
	char *wbuf;		/* output the socket did not take yet */
	size_t wlen, wcap, woff;
};

static int wsg_ep;
static char wsg_scratch[WSG_SCRATCH];

/* SHA-1 (FIPS 180-4) of len bytes at msg into out[20]; enough for handshake keys. */
static void wsg_sha1(const void *msg, size_t len, unsigned char out[20])
{
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
	const unsigned char *p = msg;
	uint64_t bits = (uint64_t)len * 8;
	size_t total = (len + 8) / 64 * 64 + 64;

	for (size_t off = 0; off < total; off += 64) {
		uint32_t w[80], a, b, c, d, e, f, k, t;
		unsigned char blk[64];

		for (int i = 0; i < 64; i++) {
			size_t j = off + i;

			if (j < len)
				blk[i] = p[j];
			else if (j == len)
				blk[i] = 0x80;
			else if (j >= total - 8)
				blk[i] = bits >> (8 * (total - 1 - j));
			else
				blk[i] = 0;
		}
		for (int i = 0; i < 16; i++)
			w[i] = (uint32_t)blk[4 * i] << 24 | blk[4 * i + 1] << 16 |
			       blk[4 * i + 2] << 8 | blk[4 * i + 3];
		for (int i = 16; i < 80; i++) {
			t = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
			w[i] = t << 1 | t >> 31;
		}
		a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
		for (int i = 0; i < 80; i++) {
			if (i < 20)
				f = (b & c) | (~b & d), k = 0x5a827999;
			else if (i < 40)
				f = b ^ c ^ d, k = 0x6ed9eba1;
			else if (i < 60)
				f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
			else
				f = b ^ c ^ d, k = 0xca62c1d6;
			t = (a << 5 | a >> 27) + f + e + k + w[i];
			e = d, d = c, c = b << 30 | b >> 2, b = a, a = t;
		}
		h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
	}
	for (int i = 0; i < 20; i++)
		out[i] = h[i / 4] >> (24 - 8 * (i % 4));
}

/* Standard base64 with padding of len bytes into out (4 * ceil(len / 3) + 1 bytes). */
static void wsg_base64(const unsigned char *in, size_t len, char *out)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = in[i] << 16 | (i + 1 < len ? in[i + 1] << 8 : 0) |
			     (i + 2 < len ? in[i + 2] : 0);

		*out++ = tab[v >> 18];
		*out++ = tab[v >> 12 & 63];
		*out++ = i + 1 < len ? tab[v >> 6 & 63] : '=';
		*out++ = i + 2 < len ? tab[v & 63] : '=';
	}
	*out = 0;
}

/* Grow *buf to hold at least need bytes; 0 or -1 when out of memory. */
static int wsg_reserve(char **buf, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 4096;
	char *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*buf, n);
	if (!p)
		return -1;
	*buf = p;
	*cap = n;
	return 0;
}

static void wsg_close(struct wsg_conn *c)
{
	close(c->fd);	/* also leaves the epoll set */
	free(c->rbuf);
	free(c->wbuf);
	free(c);
}

/* Write what can go now; the rest stays in wbuf. -1 when the connection is dead. */
static int wsg_flush(struct wsg_conn *c)
{
	while (c->woff < c->wlen) {
		ssize_t n = send(c->fd, c->wbuf + c->woff, c->wlen - c->woff, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->woff += n;
	}
	c->woff = c->wlen = 0;
	if (c->wcap) {	/* idle connections hold no output buffer */
		free(c->wbuf);
		c->wbuf = NULL;
		c->wcap = 0;
	}
	return 0;
}

/* Send len bytes, queueing whatever the socket does not take. -1 when dead or out of memory. */
static int wsg_output(struct wsg_conn *c, const char *p, size_t len)
{
	while (!c->wlen && len) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return -1;
		if (n < 0)
			break;
		p += n;
		len -= n;
	}
	if (!len)
		return 0;
	if (wsg_reserve(&c->wbuf, &c->wcap, c->wlen + len))
		return -1;
	memcpy(c->wbuf + c->wlen, p, len);
	c->wlen += len;
	return 0;
}

/*
 * Turn the complete client frames at the start of buf into server frames, written in place
 * at the start of buf (a server frame is never longer than the client frame it answers).
 * Returns bytes consumed, sets *out to the output length; -1 on a protocol error.
 */
static ssize_t wsg_frames(struct wsg_conn *c, char *buf, size_t len, size_t *out)
{
	unsigned char *b = (unsigned char *)buf;
	size_t in = 0, o = 0;

	while (len - in >= 2 && !c->closing) {
		unsigned char *f = b + in, mask[4] = { 0 };
		unsigned int op = f[0] & 0x0f, masked = f[1] & 0x80;
		size_t hl = 2, pl = f[1] & 0x7f;

		if (pl == 126) {
			if (len - in < 4)
				break;
			pl = f[2] << 8 | f[3];
			hl = 4;
		} else if (pl == 127) {
			if (len - in < 10)
				break;
			pl = 0;
			for (int i = 2; i < 10; i++)
				pl = pl << 8 | f[i];
			hl = 10;
		}
		if (pl > WSG_MAX_FRAME)
			return -1;
		if (masked) {
			if (len - in < hl + 4)
				break;
			memcpy(mask, f + hl, 4);
			hl += 4;
		}
		if (len - in < hl + pl)
			break;
		in += hl;
		if (op == 0xa) {	/* unsolicited pong: nothing to answer */
			in += pl;
			continue;
		}
		if (op == 0x9)
			op = 0xa;
		else if (op == 0x8)
			c->closing = 1;
		/* header first: it only overwrites bytes already parsed (o + shl <= old in) */
		b[o] = (f[0] & 0x80) | op;
		if (pl < 126) {
			b[o + 1] = pl;
			o += 2;
		} else if (pl < 65536) {
			b[o + 1] = 126;
			b[o + 2] = pl >> 8;
			b[o + 3] = pl;
			o += 4;
		} else {
			b[o + 1] = 127;
			for (int i = 0; i < 8; i++)
				b[o + 2 + i] = (uint64_t)pl >> (56 - 8 * i);
			o += 10;
		}
		if (masked)
			for (size_t i = 0; i < pl; i++)
				b[o + i] = b[in + i] ^ mask[i & 3];
		else
			memmove(b + o, b + in, pl);
		o += pl;
		in += pl;
	}
	*out = o;
	return in;
}

/* Answer a complete request in rbuf (101 or 404); returns header bytes used, 0 if partial. */
static ssize_t wsg_upgrade(struct wsg_conn *c)
{
	char *end = memmem(c->rbuf, c->rlen, "\r\n\r\n", 4), *key = NULL, *line;
	int upgrade = 0;
	char resp[256], acc[32], kbuf[128];
	unsigned char dig[20];
	size_t used, klen = 0;

	if (!end)
		return c->rlen > WSG_MAX_HDRS ? -1 : 0;
	used = end - c->rbuf + 4;
	*end = 0;
	for (line = strstr(c->rbuf, "\r\n"); line; line = strstr(line, "\r\n")) {
		line += 2;
		if (!strncasecmp(line, "Upgrade:", 8)) {
			upgrade = !!strcasestr(line, "websocket");
		} else if (!strncasecmp(line, "Sec-WebSocket-Key:", 18)) {
			key = line + 18;
			key += strspn(key, " \t");
			klen = strcspn(key, " \t\r\n");
		}
	}
	if (!upgrade || !key || !klen || klen > 64 || strncmp(c->rbuf, "GET ", 4)) {
		static const char nf[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
					 "Connection: close\r\n\r\n";

		c->closing = 1;
		return wsg_output(c, nf, sizeof(nf) - 1) ? -1 : (ssize_t)used;
	}
	memcpy(kbuf, key, klen);
	memcpy(kbuf + klen, WSG_GUID, sizeof(WSG_GUID) - 1);
	wsg_sha1(kbuf, klen + sizeof(WSG_GUID) - 1, dig);
	wsg_base64(dig, sizeof(dig), acc);
	snprintf(resp, sizeof(resp), "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
		 "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", acc);
	c->ws = 1;
	return wsg_output(c, resp, strlen(resp)) ? -1 : (ssize_t)used;
}

/* Handle readable input; -1 when the connection should be dropped now. */
static int wsg_readable(struct wsg_conn *c)
{
	ssize_t n = recv(c->fd, wsg_scratch, sizeof(wsg_scratch), 0);
	char *buf = wsg_scratch;
	size_t len = n, out;
	ssize_t used;

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	if (c->rlen || !c->ws) {	/* continue a split frame or request in rbuf */
		if (wsg_reserve(&c->rbuf, &c->rcap, c->rlen + n + 1))
			return -1;
		memcpy(c->rbuf + c->rlen, wsg_scratch, n);
		c->rlen += n;
		if (!c->ws) {
			c->rbuf[c->rlen] = 0;
			used = wsg_upgrade(c);
			if (used <= 0)
				return used;
			c->rlen -= used;
			memmove(c->rbuf, c->rbuf + used, c->rlen);
			if (c->closing)
				return 0;
		}
		buf = c->rbuf;
		len = c->rlen;
	}
	used = wsg_frames(c, buf, len, &out);
	if (used < 0 || wsg_output(c, buf, out))
		return -1;
	len -= used;
	if (len && buf == wsg_scratch) {
		if (wsg_reserve(&c->rbuf, &c->rcap, len))
			return -1;
		memcpy(c->rbuf, buf + used, len);
	} else if (len) {
		memmove(c->rbuf, buf + used, len);
	}
	c->rlen = len;
	if (!len) {	/* idle connections hold no input buffer */
		free(c->rbuf);
		c->rbuf = NULL;
		c->rcap = 0;
	}
	return 0;
}

/* Read only while nothing is pending, which bounds each connection's output buffer. */
static void wsg_rearm(struct wsg_conn *c)
{
	struct epoll_event ev = { .events = c->wlen ? EPOLLOUT : EPOLLIN, .data.ptr = c };

	if (c->out == !!c->wlen)
		return;
	c->out = !!c->wlen;
	epoll_ctl(wsg_ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void wsg_accept(int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), one = 1;
		struct epoll_event ev = { .events = EPOLLIN };
		struct wsg_conn *c;

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				perror("ws_echo: accept");
			return;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		ev.data.ptr = c;
		if (epoll_ctl(wsg_ep, EPOLL_CTL_ADD, fd, &ev))
			wsg_close(c);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct epoll_event ev = { .events = EPOLLIN }, evs[512];
	struct rlimit rl;
	sigset_t sigs;
	int lfd, sfd, one = 1, port = argc == 2 ? atoi(argv[1]) : 0;

	if (port <= 0 || port > 65535) {
		fprintf(stderr, "usage: ws_echo PORT\n");
		return 2;
	}
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* a shell starts background jobs with SIGINT ignored; signalfd never sees ignored ones */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	sa.sin_port = htons(port);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 65535)) {
		perror("ws_echo: bind/listen");
		return 1;
	}
	wsg_ep = epoll_create1(EPOLL_CLOEXEC);
	ev.data.ptr = &lfd;
	epoll_ctl(wsg_ep, EPOLL_CTL_ADD, lfd, &ev);
	ev.data.ptr = &sfd;
	epoll_ctl(wsg_ep, EPOLL_CTL_ADD, sfd, &ev);
	printf("listening %d\n", port);
	fflush(stdout);
	for (;;) {
		int n = epoll_wait(wsg_ep, evs, 512, -1);

		for (int i = 0; i < n; i++) {
			struct wsg_conn *c = evs[i].data.ptr;
			int dead = 0;

			if (evs[i].data.ptr == &sfd)
				return 0;
			if (evs[i].data.ptr == &lfd) {
				wsg_accept(lfd);
				continue;
			}
			if (c->wlen)
				dead = wsg_flush(c);
			else if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				dead = wsg_readable(c);
			if (dead || (c->closing && !c->wlen)) {
				wsg_close(c);
				continue;
			}
			wsg_rearm(c);
		}
	}
}
