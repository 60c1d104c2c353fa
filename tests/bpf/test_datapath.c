// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel tier: the real programs, loaded and attached by the real `wsguard run` daemon to a
 * fresh cgroup in a private network namespace, driven with real loopback sockets. Checks the
 * fast path, custody and in-order release, blocking with RST, protocol violations with their
 * counted reasons, the custody bound, HTTP request by request (keep-alive, refused upgrades,
 * polling bodies), the failure policy and adoption across a daemon crash, and that nothing
 * stays attached or pinned after exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "wsg_abi.h"
#include "wsg_env.h"
#include "wsg_test.h"

static struct wsg_env env;
static int env_ok;

static unsigned char fb[1 << 17], rb[1 << 17];

#define NEED_ENV()                                                                 \
	do {                                                                       \
		if (wsg_env_unavailable())                                         \
			SKIP("%s", wsg_env_unavailable());                         \
		REQUIRE(env_ok, "environment did not start");                     \
	} while (0)

static const char *pin(const char *dir, const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static int upgraded_pair(struct wsg_pair *p)
{
	/* settled: the handshake's custody is released, so the kernel decides the next send */
	return wsg_pair_open(&env, p) || wsg_pair_upgrade(p) || wsg_pair_settle(&env, p) ? -1 : 0;
}

/* Send buf in chunks of `chunk` bytes; returns 0 when every send took everything. */
static int send_chunks(int fd, const void *buf, size_t n, size_t chunk)
{
	for (size_t off = 0; off < n; off += chunk) {
		size_t len = n - off < chunk ? n - off : chunk;

		if (send(fd, (const char *)buf + off, len, 0) != (ssize_t)len)
			return -1;
	}
	return 0;
}

/*
 * Send msg as one text frame on p: 1 when it arrived intact and the kernel counted it under
 * reason (WSG_R_PASS_CLEAN: the fast path; WSG_R_HOLD_PREFILTER: the daemon's custody).
 */
static int sent_as(struct wsg_pair *p, const char *msg, size_t len, __u32 reason)
{
	__u64 before = wsg_stat(&env, "wsg_stats", reason);
	size_t n = wsg_frame_build(fb, sizeof(fb), 1, 1, msg, len, 1);

	return send(p->cl, fb, n, 0) == (ssize_t)n && wsg_recv_n(p->sv, rb, n, 3000) == n &&
	       !memcmp(fb, rb, n) && wsg_stat(&env, "wsg_stats", reason) == before + 1;
}

/* Send msg[0..len) as one text frame on p: 1 when the backend side gets a RST. */
static int reset_by(struct wsg_pair *p, const char *msg, size_t len)
{
	size_t n = wsg_frame_build(fb, sizeof(fb), 1, 1, msg, len, 1);

	send(p->cl, fb, n, 0);
	return wsg_wait_reset(p->sv, 3000);
}

WSG_TEST(t00_daemon_attaches)
{
	static const char *const none[] = { NULL };
	__u32 cnt = 0;
	int cg;

	if (wsg_env_unavailable())
		SKIP("%s", wsg_env_unavailable());
	REQUIRE(access("build/wsguard", X_OK) == 0, "build/wsguard missing");
	REQUIRE(wsg_env_init(&env) == 0, "netns/cgroup setup: %s", strerror(errno));
	REQUIRE(wsg_env_start(&env, none) == 0, "daemon did not print ready");
	CHECK(access(pin(env.pins, "wsg_socks"), F_OK) == 0, "wsg_socks not pinned");
	CHECK(access(pin(env.pins, "wsg_stats"), F_OK) == 0, "wsg_stats not pinned");
	cg = open(env.cgroup, O_RDONLY);
	CHECK(bpf_prog_query(cg, BPF_CGROUP_SOCK_OPS, 0, NULL, NULL, &cnt) == 0 && cnt == 1,
	      "sockops programs on the cgroup: %u", cnt);
	close(cg);
	env_ok = 1;
}

/* Binary frames above WSG_RECORDS_MAX bytes are held (the structure count): text only there. */
WSG_TEST(t01_benign_frames_pass_identical)
{
	static const size_t sizes[] = { 0, 1, 7, 125, 126, 1000, 4096, 1000, 16000 };
	__u64 before = wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN);
	struct wsg_pair p;
	char payload[16384];

	NEED_ENV();
	/* words, not one long run: a run of base64 letters is a blob the kernel holds */
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = "hello there "[i % 12];
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	for (size_t i = 0; i < WSG_ARRAY_SIZE(sizes); i++) {
		size_t n = wsg_frame_build(fb, sizeof(fb), 1, i & 1 && sizes[i] <= 1000 ? 2 : 1,
					   payload, sizes[i], 1);

		CHECK(send(p.cl, fb, n, 0) == (ssize_t)n, "send %zu", sizes[i]);
		CHECK(wsg_recv_n(p.sv, rb, n, 3000) == n && !memcmp(fb, rb, n),
		      "frame of %zu bytes arrived intact", sizes[i]);
	}
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN) >= before + WSG_ARRAY_SIZE(sizes),
	      "fast-path passes counted");
	wsg_pair_close(&p);
}

WSG_TEST(t02_frame_split_over_many_sends)
{
	static const size_t chunks[] = { 1, 2, 3, 5, 13 };
	char payload[300];
	struct wsg_pair p;

	NEED_ENV();
	memset(payload, 'b', sizeof(payload));
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	for (size_t i = 0; i < WSG_ARRAY_SIZE(chunks); i++) {
		size_t n = wsg_frame_build(fb, sizeof(fb), 1, 1, payload, sizeof(payload), 1);

		CHECK(send_chunks(p.cl, fb, n, chunks[i]) == 0, "send in %zu-byte pieces",
		      chunks[i]);
		CHECK(wsg_recv_n(p.sv, rb, n, 3000) == n && !memcmp(fb, rb, n),
		      "frame sent in %zu-byte pieces arrived intact", chunks[i]);
	}
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_HOLD_PARTIAL) > 0, "partial sends were held");
	wsg_pair_close(&p);
}

WSG_TEST(t03_many_frames_in_one_send)
{
	struct wsg_pair p;
	size_t n = 0;
	char msg[64];

	NEED_ENV();
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	for (int i = 0; i < 100; i++) {
		int len = snprintf(msg, sizeof(msg), "message number %d", i);

		n += wsg_frame_build(fb + n, sizeof(fb) - n, 1, 1, msg, len, 1);
		if (i == 50) /* a ping between data frames */
			n += wsg_frame_build(fb + n, sizeof(fb) - n, 1, 9, "p", 1, 1);
	}
	CHECK(send(p.cl, fb, n, 0) == (ssize_t)n, "one send of 100 frames");
	CHECK(wsg_recv_n(p.sv, rb, n, 3000) == n && !memcmp(fb, rb, n), "all arrived intact");
	wsg_pair_close(&p);
}

WSG_TEST(t04_held_message_released_in_order)
{
	__u64 held = wsg_stat(&env, "wsg_stats", WSG_R_HOLD_PREFILTER);
	size_t n = 0, off[41];
	struct wsg_pair p;
	char msg[64];

	NEED_ENV();
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	for (int i = 0; i < 40; i++) {
		/* '%' is an escape byte, so a prefilter trigger; the text itself is harmless */
		int len = snprintf(msg, sizeof(msg), i % 10 ? "plain line %d" : "%d%% sure", i);

		off[i] = n;
		n += wsg_frame_build(fb + n, sizeof(fb) - n, 1, 1, msg, len, 1);
	}
	off[40] = n;
	for (int i = 0; i < 40; i++)
		CHECK(send(p.cl, fb + off[i], off[i + 1] - off[i], 0) > 0, "send %d", i);
	CHECK(wsg_recv_n(p.sv, rb, n, 5000) == n && !memcmp(fb, rb, n),
	      "held and direct messages arrived complete and in order");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_HOLD_PREFILTER) > held, "prefilter holds counted");
	CHECK(wsg_log_has(&env, "\"verdict\":\"allow\"", NULL), "allow verdict logged");
	wsg_pair_close(&p);
}

WSG_TEST(t05_fragmented_message_with_ping)
{
	struct wsg_pair p;
	size_t n = 0;

	NEED_ENV();
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	n += wsg_frame_build(fb + n, sizeof(fb) - n, 0, 1, "frag", 4, 1);
	n += wsg_frame_build(fb + n, sizeof(fb) - n, 1, 9, "", 0, 1);
	n += wsg_frame_build(fb + n, sizeof(fb) - n, 0, 0, "mented ", 7, 1);
	n += wsg_frame_build(fb + n, sizeof(fb) - n, 1, 0, "text", 4, 1);
	CHECK(send_chunks(p.cl, fb, n, 9) == 0, "send");
	CHECK(wsg_recv_n(p.sv, rb, n, 3000) == n && !memcmp(fb, rb, n), "arrived intact");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_HOLD_FRAGMENT) > 0, "fragment hold counted");
	wsg_pair_close(&p);
}

WSG_TEST(t06_large_message_beyond_scan_window)
{
	static char payload[40000];
	struct wsg_pair p;
	size_t n;

	NEED_ENV();
	memset(payload, 'c', sizeof(payload));
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, payload, sizeof(payload), 1);
	CHECK(send(p.cl, fb, n, 0) == (ssize_t)n, "send 40000-byte frame");
	CHECK(wsg_recv_n(p.sv, rb, n, 5000) == n && !memcmp(fb, rb, n), "arrived intact");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_HOLD_UNSCANNED) > 0, "unscanned hold counted");
	wsg_pair_close(&p);
}

WSG_TEST(t07_blocked_message_never_arrives)
{
	static const char attack[] = "<script>alert(document.cookie)</script>";
	struct wsg_pair p;
	size_t n1, n2, n3;

	NEED_ENV();
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	n1 = wsg_frame_build(fb, sizeof(fb), 1, 1, "hello", 5, 1);
	CHECK(send(p.cl, fb, n1, 0) == (ssize_t)n1, "benign send");
	CHECK(wsg_recv_n(p.sv, rb, n1, 3000) == n1, "benign arrived");
	n2 = wsg_frame_build(fb, sizeof(fb), 1, 1, attack, sizeof(attack) - 1, 1);
	n3 = wsg_frame_build(fb + n2, sizeof(fb) - n2, 1, 1, "after", 5, 1);
	send(p.cl, fb, n2, 0);
	send(p.cl, fb + n2, n3, 0);
	CHECK(wsg_wait_reset(p.sv, 3000), "backend side got a RST");
	CHECK(send(p.cl, fb, n1, 0) < 0, "the attacker's socket is dead");
	CHECK(wsg_log_has(&env, "\"verdict\":\"block\"", "\"class\":\"xss\"", NULL),
	      "block verdict logged with its class");
	CHECK(wsg_stat(&env, "wsg_dstats", WSG_R_DETECT) > 0, "daemon counted the detection");
	wsg_pair_close(&p);
}

struct violation {
	const char *name;
	unsigned reason;
	unsigned char bytes[16];
	size_t len;
};

static const struct violation violations[] = {
	{ "unmasked", WSG_R_VIOL_UNMASKED, { 0x81, 0x02, 'h', 'i' }, 4 },
	{ "rsv2", WSG_R_VIOL_RSV, { 0xa1, 0x80, 0, 0, 0, 0 }, 6 },
	{ "opcode3", WSG_R_VIOL_OPCODE, { 0x83, 0x80, 0, 0, 0, 0 }, 6 },
	{ "fragmented ping", WSG_R_VIOL_CTRL_FRAG, { 0x09, 0x80, 0, 0, 0, 0 }, 6 },
	{ "long ping", WSG_R_VIOL_CTRL_LEN, { 0x89, 0xfe, 0, 126 }, 4 },
	{ "length msb", WSG_R_VIOL_LEN64, { 0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1 }, 10 },
	{ "continuation", WSG_R_VIOL_CONT, { 0x80, 0x80, 0, 0, 0, 0 }, 6 },
};

/*
 * A violation is dropped by the kernel (send fails with EACCES) when the connection is caught
 * up, or judged by the daemon with the same parser when earlier bytes are still in custody
 * (the send succeeds, the connection is killed). Either way: RST and the reason counted once.
 */
WSG_TEST(t08_violations_drop_with_reason)
{
	NEED_ENV();
	for (size_t i = 0; i < WSG_ARRAY_SIZE(violations); i++) {
		const struct violation *v = &violations[i];
		__u64 k0 = wsg_stat(&env, "wsg_stats", v->reason), d0 = wsg_stat(&env, "wsg_dstats", v->reason);
		struct wsg_pair p;
		ssize_t r;
		int err;

		if (upgraded_pair(&p)) {
			CHECK(0, "%s: connect/upgrade", v->name);
			continue;
		}
		r = send(p.cl, v->bytes, v->len, 0);
		err = errno;
		CHECK(wsg_wait_reset(p.sv, 3000), "%s: backend side got a RST", v->name);
		if (r < 0)
			CHECK(err == EACCES && wsg_stat(&env, "wsg_stats", v->reason) == k0 + 1,
			      "%s: kernel drop with its reason", v->name);
		else
			CHECK(wsg_stat(&env, "wsg_dstats", v->reason) == d0 + 1,
			      "%s: daemon block with its reason", v->name);
		wsg_pair_close(&p);
	}
	CHECK(wsg_log_has(&env, "\"event\":\"drop\"", "unmasked_client_frame", NULL),
	      "drop logged with its reason");
}

WSG_TEST(t09_plain_http_passes_untouched)
{
	static const char req[] = "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 27\r\n\r\n";
	static const char body[] = "q=<script>alert(1)</script>";
	__u64 before = wsg_stat(&env, "wsg_stats", WSG_R_HOLD_HTTP);
	struct wsg_pair p;

	NEED_ENV();
	REQUIRE(wsg_pair_open(&env, &p) == 0, "connect");
	CHECK(send(p.cl, req, sizeof(req) - 1, 0) == sizeof(req) - 1, "send headers");
	CHECK(send(p.cl, body, sizeof(body) - 1, 0) == sizeof(body) - 1, "send body");
	CHECK(wsg_recv_n(p.sv, rb, sizeof(req) + sizeof(body) - 2, 3000) ==
		      sizeof(req) + sizeof(body) - 2, "request to another path arrived whole");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_HOLD_HTTP) >= before + 1,
	      "delimited by the daemon (held as HTTP)");
	wsg_pair_close(&p);
}

WSG_TEST(t10_custody_is_bounded)
{
	static const char *const small[] = { "--hold-max", "65536", NULL };
	static char payload[8000];
	struct wsg_pair p;
	int failed = 0;

	NEED_ENV();
	REQUIRE(wsg_env_stop(&env) == 0, "daemon exits 0");
	REQUIRE(wsg_env_start(&env, small) == 0, "daemon restarts with --hold-max 65536");
	memset(payload, '%', sizeof(payload));
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	kill(env.daemon, SIGSTOP); /* custody is not drained while stopped */
	for (int i = 0; i < 20 && !failed; i++) {
		size_t n = wsg_frame_build(fb, sizeof(fb), 1, 1, payload, sizeof(payload), 1);

		failed = send(p.cl, fb, n, 0) < 0 && errno == EACCES;
	}
	kill(env.daemon, SIGCONT);
	CHECK(failed, "sends beyond the custody bound fail");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_LIMIT_HOLD) > 0, "hold_limit counted");
	CHECK(wsg_wait_reset(p.sv, 3000), "backend side got a RST");
	wsg_pair_close(&p);
}

/* Headers split over sends are held; every later request on the socket is held too. */
WSG_TEST(t11_split_http_request_then_next)
{
	static const char a[] = "GET /page HTTP/1.1\r\nHo", b[] = "st: x\r\n\r\n";
	static const char later[] = "GET /next?q=<script> HTTP/1.1\r\nHost: x\r\n\r\n";
	struct wsg_pair p;
	__u64 before;

	NEED_ENV();
	REQUIRE(wsg_pair_open(&env, &p) == 0, "connect");
	CHECK(send(p.cl, a, sizeof(a) - 1, 0) == sizeof(a) - 1, "first half");
	CHECK(send(p.cl, b, sizeof(b) - 1, 0) == sizeof(b) - 1, "second half");
	CHECK(wsg_recv_n(p.sv, rb, sizeof(a) + sizeof(b) - 2, 3000) == sizeof(a) + sizeof(b) - 2 &&
		      !memcmp(rb, a, sizeof(a) - 1), "request arrived whole");
	REQUIRE(wsg_pair_settle(&env, &p) == 0, "custody released");
	CHECK(wsg_pair_answer(&p, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") == 0, "answer");
	before = wsg_stat(&env, "wsg_stats", WSG_R_HOLD_HTTP);
	CHECK(send(p.cl, later, sizeof(later) - 1, 0) == sizeof(later) - 1, "next request");
	CHECK(wsg_recv_n(p.sv, rb, sizeof(later) - 1, 3000) == sizeof(later) - 1, "it arrived");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_HOLD_HTTP) == before + 1,
	      "the next request on the socket went to the daemon too");
	wsg_pair_close(&p);
}

/* An upgrade larger than the scan window is held unscanned; frames follow in WebSocket mode. */
WSG_TEST(t12_large_upgrade_request)
{
	static char req[20100];
	struct wsg_pair p;
	__u64 before;
	size_t n, len;

	NEED_ENV();
	len = snprintf(req, sizeof(req), "GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nX-Pad: ");
	memset(req + len, 'p', 20000);
	len += 20000;
	len += snprintf(req + len, sizeof(req) - len, "\r\n\r\n");
	REQUIRE(wsg_pair_open(&env, &p) == 0, "connect");
	CHECK(send(p.cl, req, len, 0) == (ssize_t)len, "send a %zu-byte upgrade", len);
	CHECK(wsg_recv_n(p.sv, rb, len, 3000) == len, "it arrived");
	REQUIRE(wsg_pair_settle(&env, &p) == 0, "custody released");
	CHECK(wsg_pair_answer(&p, WSG_101) == 0, "101");
	before = wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN);
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, "hello", 5, 1);
	CHECK(send(p.cl, fb, n, 0) == (ssize_t)n, "send a frame");
	CHECK(wsg_recv_n(p.sv, rb, n, 3000) == n && !memcmp(fb, rb, n), "frame arrived intact");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN) == before + 1,
	      "the kernel parsed it as a WebSocket frame");
	wsg_pair_close(&p);
}

/* Keep-alive: a plain request, then an upgrade on the same socket; frames are inspected. */
WSG_TEST(t13_keepalive_then_upgrade)
{
	static const char get[] = "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n";
	static const char xss[] = "42[\"chat message\",\"<img src=x onerror=alert(1)>\"]";
	struct wsg_pair p;
	size_t n;

	NEED_ENV();
	REQUIRE(wsg_pair_open(&env, &p) == 0, "connect");
	CHECK(send(p.cl, get, sizeof(get) - 1, 0) == sizeof(get) - 1, "plain GET");
	CHECK(wsg_recv_n(p.sv, rb, sizeof(get) - 1, 3000) == sizeof(get) - 1, "GET arrived");
	CHECK(wsg_pair_answer(&p, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") == 0, "200");
	REQUIRE(wsg_pair_settle(&env, &p) == 0, "custody released");
	REQUIRE(wsg_pair_upgrade(&p) == 0, "upgrade on the same socket");
	REQUIRE(wsg_pair_settle(&env, &p) == 0, "custody released");
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, "hello", 5, 1);
	CHECK(send(p.cl, fb, n, 0) == (ssize_t)n, "benign frame");
	CHECK(wsg_recv_n(p.sv, rb, n, 3000) == n && !memcmp(fb, rb, n), "benign frame arrived");
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, xss, sizeof(xss) - 1, 1);
	send(p.cl, fb, n, 0);
	CHECK(wsg_wait_reset(p.sv, 3000), "the XSS frame on a reused socket is blocked (RST)");
	CHECK(wsg_log_has(&env, "\"verdict\":\"block\"", "\"class\":\"xss\"",
			  "\"transport\":\"websocket\"", NULL), "block logged");
	wsg_pair_close(&p);
}

/* A refused upgrade returns the socket to HTTP: what follows is parsed as requests. */
WSG_TEST(t14_refused_upgrade_back_to_http)
{
	static const char next[] = "GET /again HTTP/1.1\r\nHost: x\r\n\r\n";
	struct wsg_pair p;
	size_t n;

	NEED_ENV();
	REQUIRE(wsg_pair_open(&env, &p) == 0, "connect");
	n = strlen("GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n\r\n");
	CHECK(send(p.cl, "GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n\r\n", n,
		   0) == (ssize_t)n, "upgrade request");
	CHECK(wsg_recv_n(p.sv, rb, n, 3000) == n, "arrived");
	REQUIRE(wsg_pair_settle(&env, &p) == 0, "custody released");
	CHECK(wsg_pair_answer(&p, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n") == 0,
	      "refused");
	CHECK(send(p.cl, next, sizeof(next) - 1, 0) == sizeof(next) - 1, "another request");
	CHECK(wsg_recv_n(p.sv, rb, sizeof(next) - 1, 3000) == sizeof(next) - 1 &&
		      !memcmp(rb, next, sizeof(next) - 1), "it arrived as a request");
	REQUIRE(wsg_pair_settle(&env, &p) == 0, "custody released");
	CHECK(wsg_pair_answer(&p, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n") == 0, "200");
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, "hello", 5, 1);
	send(p.cl, fb, n, 0);
	CHECK(wsg_recv_n(p.cl, rb, 12, 3000) == 12 && !memcmp(rb, "HTTP/1.1 403", 12),
	      "a frame after a refused upgrade is a bad request: the proxy reads a 403 answer");
	CHECK(wsg_wait_reset(p.sv, 5000), "the socket is reset when the proxy keeps it open");
	CHECK(wsg_log_has(&env, "\"reason\":\"bad_request\"", NULL), "bad_request logged");
	wsg_pair_close(&p);
}

/* Engine.IO long polling: the body's packets are judged like WebSocket messages. */
WSG_TEST(t15_polling_body_inspected)
{
	static const char good[] = "42[\"chat message\",\"hello by polling\"]";
	static const char bad[] = "42[\"chat message\",\"hi\"]\x1e"
				  "42[\"chat message\",\"<svg onload=alert(1)>\"]";
	char req[512];
	struct wsg_pair p;
	int n;

	NEED_ENV();
	REQUIRE(wsg_pair_open(&env, &p) == 0, "connect");
	n = snprintf(req, sizeof(req), "POST /socket.io/?EIO=4&transport=polling&sid=abc HTTP/1.1\r\n"
		     "Host: x\r\nContent-Length: %zu\r\n\r\n%s", sizeof(good) - 1, good);
	CHECK(send(p.cl, req, n, 0) == n, "benign polling POST");
	CHECK(wsg_recv_n(p.sv, rb, n, 3000) == (size_t)n && !memcmp(rb, req, n), "it arrived");
	REQUIRE(wsg_pair_settle(&env, &p) == 0, "custody released");
	CHECK(wsg_pair_answer(&p, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") == 0, "200");
	n = snprintf(req, sizeof(req), "POST /socket.io/?EIO=4&transport=polling&sid=abc HTTP/1.1\r\n"
		     "Host: x\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n%s\r\n0\r\n\r\n",
		     sizeof(bad) - 1, bad);
	send(p.cl, req, n, 0);
	CHECK(wsg_recv_n(p.cl, rb, 12, 3000) == 12 && !memcmp(rb, "HTTP/1.1 403", 12),
	      "the XSS in a chunked polling body is refused: the proxy reads a 403 answer");
	CHECK(wsg_recv_n(p.sv, rb, 1, 200) == 0, "the backend got nothing of it");
	CHECK(wsg_log_has(&env, "\"verdict\":\"block\"", "\"transport\":\"polling\"", NULL),
	      "the block names the polling transport");
	wsg_pair_close(&p);
}

/*
 * The datapath outlives the daemon: with no daemon, fail closed drops what would be held;
 * a restarted daemon adopts the pins and the connections tracked before its start.
 */
WSG_TEST(t16_daemon_crash_and_adoption)
{
	static const char xss[] = "42[\"chat message\",\"<img src=x onerror=alert(1)>\"]";
	static const char *const none[] = { NULL };
	struct wsg_pair old, p;
	size_t n;

	NEED_ENV();
	REQUIRE(upgraded_pair(&old) == 0, "connect/upgrade before the crash");
	REQUIRE(wsg_env_crash(&env) == 0, "SIGKILL the daemon");
	CHECK(access(pin(env.pins, "wsg_sockops_link"), F_OK) == 0, "the sockops link stays pinned");
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, "hello", 5, 1);
	CHECK(send(old.cl, fb, n, 0) == (ssize_t)n && wsg_recv_n(old.sv, rb, n, 3000) == n,
	      "benign frames still fast-path with no daemon");
	REQUIRE(wsg_pair_open(&env, &p) == 0, "connect while no daemon runs");
	errno = 0;
	CHECK(send(p.cl, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, 0) < 0 && errno == EACCES,
	      "a new connection is still tracked: fail closed drops its request (EACCES)");
	CHECK(wsg_recv_n(p.sv, rb, 1, 200) == 0, "nothing of it reached the backend");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_DAEMON_GONE) > 0, "daemon_gone counted");
	wsg_pair_close(&p);
	REQUIRE(wsg_env_start(&env, none) == 0, "a new daemon starts on the pins");
	CHECK(wsg_log_has(&env, "\"event\":\"ready\"", "\"adopted\":true", NULL), "it adopted them");
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, "hi <b>there</b>", 15, 1);
	CHECK(send(old.cl, fb, n, 0) == (ssize_t)n && wsg_recv_n(old.sv, rb, n, 3000) == n &&
		      !memcmp(fb, rb, n), "a held benign message of the old connection is released");
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, xss, sizeof(xss) - 1, 1);
	send(old.cl, fb, n, 0);
	CHECK(wsg_wait_reset(old.sv, 3000), "its attack is blocked by the new daemon (RST)");
	wsg_pair_close(&old);
}

/*
 * Custody in flight when the daemon dies is never delivered: the next daemon finds the
 * socket at start (sock_diag), kills it, counts and logs it, without waiting for a send.
 */
WSG_TEST(t17_custody_lost_with_the_daemon)
{
	static const char *const none[] = { NULL };
	struct wsg_pair p;
	size_t n, got = 0;
	int reset = 0;

	NEED_ENV();
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	kill(env.daemon, SIGSTOP);
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, "<b>held</b>", 11, 1);
	CHECK(send(p.cl, fb, n, 0) == (ssize_t)n, "a held message");
	usleep(100000);
	REQUIRE(wsg_env_crash(&env) == 0, "SIGKILL the stopped daemon");
	REQUIRE(wsg_env_start(&env, none) == 0, "a new daemon starts on the pins");
	for (int i = 0; i < 300 && !reset; i++) {
		ssize_t r = recv(p.sv, rb, sizeof(rb), MSG_DONTWAIT);

		if (r > 0)
			got += r;
		reset = r < 0 && errno == ECONNRESET;
		usleep(10000);
	}
	CHECK(reset, "the new daemon kills the connection at start (RST), with no send");
	CHECK(got == 0, "the held message was never delivered (%zu bytes arrived)", got);
	CHECK(wsg_log_has(&env, "\"event\":\"drop\"", "\"reason\":\"custody_lost\"", NULL),
	      "custody_lost logged");
	CHECK(wsg_stat(&env, "wsg_dstats", WSG_R_CUSTODY_LOST) > 0, "custody_lost counted");
	CHECK(wsg_log_has(&env, "\"event\":\"ready\"", "\"conns\":", NULL),
	      "the ready event counts the sockets found");
	wsg_pair_close(&p);
}

/* --fail open: with no daemon, what would be held passes (counted); benign stays intact. */
WSG_TEST(t18_fail_open)
{
	static const char *const open_[] = { "--fail", "open", NULL };
	struct wsg_pair p;
	__u64 before;
	size_t n;

	NEED_ENV();
	REQUIRE(wsg_env_stop(&env) == 0, "daemon exits 0");
	REQUIRE(wsg_env_start(&env, open_) == 0, "daemon restarts with --fail open");
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	REQUIRE(wsg_env_crash(&env) == 0, "SIGKILL the daemon");
	before = wsg_stat(&env, "wsg_stats", WSG_R_PASS_FAIL_OPEN);
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, "<b>markup</b>", 13, 1);
	CHECK(send(p.cl, fb, n, 0) == (ssize_t)n && wsg_recv_n(p.sv, rb, n, 3000) == n &&
		      !memcmp(fb, rb, n), "a message that would be held passes");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_PASS_FAIL_OPEN) == before + 1, "pass_fail_open counted");
	wsg_pair_close(&p);
	REQUIRE(wsg_env_start(&env, open_) == 0, "a daemon returns");
}

/*
 * A fast benign sender whose every message is held: 12,000 back-to-back 1 KiB messages on one
 * connection arrive complete and in order (the backend reads as fast as it can meanwhile).
 */
WSG_TEST(t19_burst_of_held_messages)
{
	enum { N = 12000, LEN = 1024 };
	static unsigned char msg[LEN], all[N * (LEN + 14)];
	size_t total = 0, n;
	struct wsg_pair p;
	int status = -1;
	pid_t reader;

	NEED_ENV();
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	for (int i = 0; i < N; i++) {
		/* markup in every message: the prefilter must hold each one */
		n = snprintf((char *)msg, sizeof(msg), "<b>message %d</b> ", i);
		memset(msg + n, 'a' + i % 26, LEN - n);
		total += wsg_frame_build(all + total, sizeof(all) - total, 1, 1, msg, LEN, 1);
	}
	reader = fork();
	if (!reader) {
		static unsigned char got[sizeof(all)];

		_exit(wsg_recv_n(p.sv, got, total, 60000) == total && !memcmp(got, all, total) ? 0 : 1);
	}
	CHECK(send_chunks(p.cl, all, total, total / N) == 0, "every send accepted");
	waitpid(reader, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "all %d messages arrived complete and in order", N);
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_LIMIT_HOLD) == 0, "no connection hit the hold limit");
	wsg_pair_close(&p);
}

/*
 * The global memory budget: connections each holding an unfinished 900 KiB message push the
 * daemon past --mem-max; the largest are dropped (memory_limit), the daemon's peak stays
 * near its budget, and the survivors still complete their messages.
 */
WSG_TEST(t20_memory_budget)
{
	enum { CONNS = 40, MSG = 1000000, SENT = 900 * 1024, MEM = 32 << 20 };
	static const char *const budget[] = { "--mem-max", "33554432", NULL };
	static unsigned char frame[MSG + 16], payload[MSG];
	struct wsg_pair p[CONNS];
	int opened = 0, alive = 0, intact = 0;
	long base, peak;
	size_t n;

	NEED_ENV();
	REQUIRE(wsg_env_stop(&env) == 0, "daemon exits 0");
	REQUIRE(wsg_env_start(&env, budget) == 0, "daemon restarts with --mem-max 32 MiB");
	base = wsg_proc_kb(env.daemon, "VmRSS:");
	memset(payload, 'm', sizeof(payload));
	memcpy(payload, "<p>", 3);
	n = wsg_frame_build(frame, sizeof(frame), 1, 1, payload, MSG, 1);
	for (int i = 0; i < CONNS; i++) {
		if (upgraded_pair(&p[i]))
			break;
		opened++;
		send(p[i].cl, frame, n - MSG + SENT, MSG_NOSIGNAL);
	}
	CHECK(opened == CONNS, "%d of %d connections opened", opened, CONNS);
	usleep(500000);
	for (int i = 0; i < opened; i++) {
		if (send(p[i].cl, frame + n - MSG + SENT, MSG - SENT, MSG_NOSIGNAL) !=
		    MSG - SENT)
			continue;
		alive++;
		/* the first 128 KiB of what arrives is the message's start, byte for byte */
		intact += wsg_recv_n(p[i].sv, rb, sizeof(rb), 3000) == sizeof(rb) &&
			  !memcmp(rb, frame, sizeof(rb));
	}
	peak = wsg_proc_kb(env.daemon, "VmHWM:");
	printf("# budget 32 MiB: daemon RSS %ld kB at start, peak %ld kB; %d of %d connections "
	       "survived, %d completed intact\n", base, peak, alive, opened, intact);
	CHECK(wsg_stat(&env, "wsg_dstats", WSG_R_LIMIT_MEM) > 0, "memory_limit counted");
	CHECK(wsg_log_has(&env, "\"reason\":\"memory_limit\"", NULL), "memory_limit logged");
	CHECK(peak - base < (MEM >> 10) + 24 * 1024, "peak %ld kB over start, budget %d kB",
	      peak - base, MEM >> 10);
	CHECK(intact > 0, "survivors complete their messages");
	for (int i = 0; i < opened; i++)
		wsg_pair_close(&p[i]);
	REQUIRE(wsg_env_stop(&env) == 0 && wsg_env_start(&env, NULL) == 0, "default daemon back");
}

/*
 * A daemon that fails to take over the pins (here: started on another cgroup) leaves them as
 * the crashed one left them: the link stays, and new connections still meet fail closed.
 */
WSG_TEST(t21_failed_takeover_keeps_the_pins)
{
	static const char *const none[] = { NULL };
	const char *other[] = { "--cgroup", NULL, NULL };
	char cg[400];
	struct wsg_pair p;

	NEED_ENV();
	snprintf(cg, sizeof(cg), "%s-other", env.cgroup);
	REQUIRE(mkdir(cg, 0755) == 0 || errno == EEXIST, "a second cgroup");
	other[1] = cg;
	REQUIRE(wsg_env_crash(&env) == 0, "SIGKILL the daemon");
	CHECK(wsg_env_start(&env, other) != 0, "a daemon for another cgroup refuses the pins");
	CHECK(access(pin(env.pins, "wsg_sockops_link"), F_OK) == 0, "the sockops link is still pinned");
	REQUIRE(wsg_pair_open(&env, &p) == 0, "connect");
	errno = 0;
	CHECK(send(p.cl, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, 0) < 0 && errno == EACCES,
	      "a new connection is still tracked and meets fail closed");
	wsg_pair_close(&p);
	rmdir(cg);
	REQUIRE(wsg_env_start(&env, none) == 0, "the right daemon takes the pins over");
}

/*
 * \uXXXX escapes are decoded by the kernel's prefilter: an escaped chat line passes at once,
 * wherever its escapes fall against the scan chunks; an escaped attack, an escape the
 * message ends in and an escaped backslash before 'u' go to the daemon.
 */
WSG_TEST(t22_unicode_escapes_decoded_in_kernel)
{
	static const char *const held[] = { "ends in a backslash \\", "the escape \\\\u0041 is an A",
		"bad \\u00zz escape", "nul \\u0000 inside" };
	static const char *const attacks[] = {
		"42[\"m\",\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\"]",
		"42[\"m\",\"\\/opt/app/d/dev/\"]", /* JSON's "\/" is '/': "/opt/..." */
	};
	char msg[4200];
	struct wsg_pair p;
	__u64 pass, hold;
	size_t n, len;

	NEED_ENV();
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	for (int pad = 55; pad < 64 + 8; pad += 4) {
		len = snprintf(msg, sizeof(msg), "42[\"chat message\",\"%.*sit\\u0027s caf\\u00e9 "
			       "\\ud83d\\ude00 \\u0022ok\\u0022\"]", pad,
			       "abc de fgh ij klm no pqr st uvw xy zab cd efg hi jkl mn opq rs tuv wx");
		pass = wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN);
		n = wsg_frame_build(fb, sizeof(fb), 1, 1, msg, len, 1);
		CHECK(send(p.cl, fb, n, 0) == (ssize_t)n && wsg_recv_n(p.sv, rb, n, 3000) == n &&
		      !memcmp(fb, rb, n), "escaped line (pad %d) arrived intact", pad);
		CHECK(wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN) == pass + 1,
		      "escaped line (pad %d) took the fast path", pad);
	}
	for (len = 0; len + 6 < 4096; len += 6) /* decoded: words, no base64 run */
		snprintf(msg + len, sizeof(msg) - len, "\\u%04x", "hello world "[len / 6 % 12]);
	pass = wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN);
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, msg, len, 1);
	CHECK(send(p.cl, fb, n, 0) == (ssize_t)n && wsg_recv_n(p.sv, rb, n, 3000) == n,
	      "4 KiB of escapes arrived");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN) == pass + 1,
	      "4 KiB of escapes took the fast path");
	REQUIRE(wsg_pair_settle(&env, &p) == 0, "custody released");
	for (size_t i = 0; i < WSG_ARRAY_SIZE(held); i++) {
		hold = wsg_stat(&env, "wsg_stats", WSG_R_HOLD_PREFILTER);
		n = wsg_frame_build(fb, sizeof(fb), 1, 1, held[i], strlen(held[i]), 1);
		CHECK(send(p.cl, fb, n, 0) == (ssize_t)n && wsg_recv_n(p.sv, rb, n, 3000) == n,
		      "'%s' arrived", held[i]);
		CHECK(wsg_stat(&env, "wsg_stats", WSG_R_HOLD_PREFILTER) == hold + 1,
		      "'%s' went to the daemon", held[i]);
		REQUIRE(wsg_pair_settle(&env, &p) == 0, "custody released");
	}
	wsg_pair_close(&p);
	for (size_t i = 0; i < WSG_ARRAY_SIZE(attacks); i++) {
		REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
		n = wsg_frame_build(fb, sizeof(fb), 1, 1, attacks[i], strlen(attacks[i]), 1);
		send(p.cl, fb, n, 0);
		CHECK(wsg_wait_reset(p.sv, 3000), "escaped attack %zu: backend side got a RST", i);
		wsg_pair_close(&p);
	}
}

/*
 * A run of base64 letters is decoded by the kernel's prefilter from its token's start: an id
 * that decodes to binary and base64 text without a trigger pass at once, wherever the run
 * ends against the scan chunks; base64 of an attack is held and blocked, and so is a
 * token a JSON escape precedes.
 */
WSG_TEST(t23_base64_decoded_in_kernel)
{
	static const char *const fast[] = {
		"{\"method\":\"eth_getBlockByHash\",\"params\":[\"0x80e911b62f552f563a2544dfef5eb39ec8863d9082c998ca6b657f76e19de38e\",true]}",
		"42[\"note\",\"aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0\"]",
		"aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0",
	};
	static const char attack[] = "42[\"note\",\"PHNjcmlwdD5hbGVydChkb2N1bWVudC5kb21haW4pPC9zY3JpcHQ+\"]";
	static const char escaped[] = "{\"p\":\"a\\/aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZSB0ZXh0\"}";
	char msg[512];
	struct wsg_pair p;
	__u64 pass, hold;
	size_t n, len;

	NEED_ENV();
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	for (size_t i = 0; i < WSG_ARRAY_SIZE(fast); i++) {
		for (int pad = 0; pad < 70; pad += 23) {
			len = snprintf(msg, sizeof(msg), "%.*s%s", pad,
				       "some words in front of it and more words up to seventy bytes or so",
				       fast[i]);
			pass = wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN);
			n = wsg_frame_build(fb, sizeof(fb), 1, 1, msg, len, 1);
			CHECK(send(p.cl, fb, n, 0) == (ssize_t)n &&
			      wsg_recv_n(p.sv, rb, n, 3000) == n && !memcmp(fb, rb, n),
			      "blob %zu (pad %d) arrived intact", i, pad);
			CHECK(wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN) == pass + 1,
			      "blob %zu (pad %d) took the fast path", i, pad);
		}
	}
	hold = wsg_stat(&env, "wsg_stats", WSG_R_HOLD_PREFILTER);
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, escaped, sizeof(escaped) - 1, 1);
	CHECK(send(p.cl, fb, n, 0) == (ssize_t)n && wsg_recv_n(p.sv, rb, n, 3000) == n,
	      "blob after an escape arrived");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_HOLD_PREFILTER) == hold + 1,
	      "blob after an escape went to the daemon");
	REQUIRE(wsg_pair_settle(&env, &p) == 0, "custody released");
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, attack, sizeof(attack) - 1, 1);
	send(p.cl, fb, n, 0);
	CHECK(wsg_wait_reset(p.sv, 3000), "base64 attack: backend side got a RST");
	CHECK(wsg_log_has(&env, "\"verdict\":\"block\"", "base64", NULL),
	      "the block names the decoded blob");
	wsg_pair_close(&p);
}

/*
 * The structure count: a message past a decoding bound has no anchor, but the kernel holds
 * it (and the daemon blocks it); one just inside the bounds passes.
 */
WSG_TEST(t24_decoding_bounds_held_in_kernel)
{
	char msg[200];
	struct wsg_pair p;
	__u64 pass;
	size_t n;

	NEED_ENV();
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	memset(msg, '[', 32);
	memcpy(msg + 32, "1", 1);
	memset(msg + 33, ']', 32);
	pass = wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN);
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, msg, 65, 1);
	CHECK(send(p.cl, fb, n, 0) == (ssize_t)n && wsg_recv_n(p.sv, rb, n, 3000) == n,
	      "32 levels of nesting arrived");
	CHECK(wsg_stat(&env, "wsg_stats", WSG_R_PASS_CLEAN) == pass + 1, "... at once");
	memset(msg, '[', 40);
	memcpy(msg + 40, "1", 1);
	memset(msg + 41, ']', 40);
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, msg, 81, 1);
	send(p.cl, fb, n, 0);
	CHECK(wsg_wait_reset(p.sv, 3000), "40 levels: held, blocked, the backend side got a RST");
	CHECK(wsg_log_has(&env, "\"verdict\":\"block\"", "dec-001", NULL), "blocked by dec-001");
	wsg_pair_close(&p);
}

/*
 * Line anchors: "subscribe" (an IMAP command after a CRLF) and "content-type" (a header after
 * a line break) pass at once without their break, wherever they fall against the
 * scan chunks; with the break before or after them, even chunks apart or as a JSON escape,
 * the message goes to the daemon, which blocks the injections.
 */
WSG_TEST(t25_line_anchors_need_their_break)
{
	static const char *const held[] = {
		"42[\"m\",\"please subscribe to the channel, it has lots of things to read, watch and "
		"enjoy\\r\\nbye\"]",
		"42[\"m\",\"line one\r\nand then a very long second line of chat text, longer than "
		"one chunk: subscribe\"]",
		"{\"v\":\"a long first line of text that fills the first chunk of the scan\\nthe "
		"content-type of it\"}",
	};
	static const char *const attacks[] = {
		"42[\"m\",\"hello\\r\\na1 subscribe inbox\"]",
		"{\"v\":\"x\\ncontent-type: text/html\"}",
	};
	char msg[512];
	struct wsg_pair p;
	size_t len;

	NEED_ENV();
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	for (int pad = 40; pad < 64 + 8; pad += 3) {
		len = snprintf(msg, sizeof(msg), "{\"pad\":\"%.*s\",\"type\":\"subscribe\","
			       "\"headers\":{\"content-type\":\"application/json\"}}", pad,
			       "abc de fgh ij klm no pqr st uvw xy zab cd efg hi jkl mn opq rs tuv wx");
		CHECK(sent_as(&p, msg, len, WSG_R_PASS_CLEAN),
		      "line anchors without a break (pad %d) took the fast path intact", pad);
	}
	for (size_t i = 0; i < WSG_ARRAY_SIZE(held); i++) {
		CHECK(sent_as(&p, held[i], strlen(held[i]), WSG_R_HOLD_PREFILTER),
		      "line anchor with its break %zu went to the daemon and arrived", i);
		REQUIRE(wsg_pair_settle(&env, &p) == 0, "custody released");
	}
	wsg_pair_close(&p);
	for (size_t i = 0; i < WSG_ARRAY_SIZE(attacks); i++) {
		REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
		CHECK(reset_by(&p, attacks[i], strlen(attacks[i])),
		      "line injection %zu: backend side got a RST", i);
		wsg_pair_close(&p);
	}
}

/* A settled pair whose handshake offers subprotocol(s) proto. */
static int offering_pair(struct wsg_pair *p, const char *proto)
{
	char h[128];

	snprintf(h, sizeof(h), "Sec-WebSocket-Protocol: %s\r\n", proto);
	return wsg_pair_open(&env, p) || wsg_pair_upgrade_with(p, h) ||
	       wsg_pair_settle(&env, p) ? -1 : 0;
}

/*
 * A STOMP connection (its handshake offers STOMP): the header lines of a SEND frame are no
 * line breaks inside a string, so "content-type" there passes at once; a header injected
 * into the body or through a header escape is held and blocked. On a connection without
 * the offer the same frame is held (the daemon would not read it as STOMP for sure).
 */
WSG_TEST(t26_stomp_heads_read_per_connection)
{
	static const char *const attacks[] = {
		"SEND\ndestination:/app/chat\ncontent-type:text/plain\n\nhi\ncontent-type: text/html",
		"SEND\ndestination:/app/chat\\ncontent-type: text/html\n\nhi",
	};
	char msg[512];
	struct wsg_pair p;
	size_t len;

	NEED_ENV();
	REQUIRE(offering_pair(&p, "v12.stomp, v11.stomp") == 0, "connect/upgrade with STOMP");
	for (int pad = 0; pad < 64 + 8; pad += 7) {
		len = snprintf(msg, sizeof(msg), "SEND\ndestination:/app/chat/%.*s\ncontent-type:"
			       "text/plain\ncontent-length:9\n\nhello you", pad,
			       "room/lobby/room/lobby/room/lobby/room/lobby/room/lobby/room/lobby/room/lobby/");
		len++; /* the frame's NUL */
		CHECK(sent_as(&p, msg, len, WSG_R_PASS_CLEAN),
		      "SEND frame (pad %d) took the fast path intact", pad);
	}
	wsg_pair_close(&p);
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade without a subprotocol");
	CHECK(sent_as(&p, msg, len, WSG_R_HOLD_PREFILTER),
	      "SEND frame without STOMP went to the daemon and arrived");
	wsg_pair_close(&p);
	for (size_t i = 0; i < WSG_ARRAY_SIZE(attacks); i++) {
		REQUIRE(offering_pair(&p, "v12.stomp, v11.stomp") == 0, "connect/upgrade with STOMP");
		CHECK(reset_by(&p, attacks[i], strlen(attacks[i]) + 1), /* with the frame's NUL */
		      "STOMP header injection %zu: backend side got a RST", i);
		wsg_pair_close(&p);
	}
}

/*
 * A GraphQL connection (its handshake offers graphql-transport-ws): a subscribe message's
 * document is read as the daemon reads it, names and punctuation skipped, so chat in its
 * variables passes at once wherever the chunks fall; an attack in a document literal, and a
 * message that is no valid JSON (which the daemon reads as text), are held and blocked.
 */
WSG_TEST(t27_graphql_documents_read_per_connection)
{
	static const char *const attacks[] = {
		"{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"query { f(a: "
		"\\\"<script>alert(1)</script>\\\") { id } }\"}}",
		"{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"query { f(a: "
		"\\\"<script>alert(1)</script>\\\") { id } }\"}",
	};
	char msg[768];
	struct wsg_pair p;
	size_t len;

	NEED_ENV();
	REQUIRE(offering_pair(&p, "graphql-transport-ws") == 0, "connect/upgrade with GraphQL");
	for (int pad = 0; pad < 64 + 8; pad += 7) {
		len = snprintf(msg, sizeof(msg), "{\"id\":\"%.*s\",\"type\":\"subscribe\",\"payload\":"
			       "{\"query\":\"mutation Send($t: String!) {\\n  send(text: $t, room: "
			       "\\\"lobby\\\") { id }\\n}\",\"variables\":{\"t\":\"see you at the "
			       "meeting tomorrow\"}}}", pad,
			       "room/lobby/room/lobby/room/lobby/room/lobby/room/lobby/room/lobby/room/lobby/");
		CHECK(sent_as(&p, msg, len, WSG_R_PASS_CLEAN),
		      "subscribe (pad %d) took the fast path intact", pad);
	}
	wsg_pair_close(&p);
	for (size_t i = 0; i < WSG_ARRAY_SIZE(attacks); i++) {
		REQUIRE(offering_pair(&p, "graphql-transport-ws") == 0, "connect/upgrade with GraphQL");
		CHECK(reset_by(&p, attacks[i], strlen(attacks[i])),
		      "GraphQL attack %zu: backend side got a RST", i);
		wsg_pair_close(&p);
	}
}

/*
 * The sk_msg program keeps headroom under the verifier's budget of 1M processed
 * instructions: a change that takes it past 80% fails here, before an older kernel, whose
 * verifier prunes differently, refuses to load it.
 */
WSG_TEST(t28_verifier_headroom)
{
	static char log[1 << 20];
	struct bpf_object *o;
	struct bpf_program *p;
	unsigned long n = 0;
	const char *st;
	int err;

	NEED_ENV();
	o = bpf_object__open("build/wsguard.bpf.o");
	REQUIRE(o, "open build/wsguard.bpf.o");
	bpf_object__for_each_program(p, o) {
		bpf_program__set_log_level(p, 4); /* statistics */
		if (!strcmp(bpf_program__name(p), "wsg_msg"))
			bpf_program__set_log_buf(p, log, sizeof(log));
	}
	err = bpf_object__load(o);
	st = strstr(log, "processed ");
	CHECK(!err && st && sscanf(st, "processed %lu insns", &n) == 1, "wsg_msg loads (%d)", err);
	printf("# wsg_msg: %lu instructions processed by the verifier (limit 1000000)\n", n);
	CHECK(n > 0 && n < 800000, "verifier headroom: %lu of 1000000", n);
	bpf_object__close(o);
}

WSG_TEST(t99_exit_leaves_nothing)
{
	struct wsg_pair p;
	__u32 cnt = 1;
	size_t n;
	int cg;

	NEED_ENV();
	REQUIRE(upgraded_pair(&p) == 0, "connect/upgrade");
	CHECK(wsg_env_stop(&env) == 0, "daemon exits 0 on SIGTERM");
	n = wsg_frame_build(fb, sizeof(fb), 1, 1, "<b>after the stop</b>", 21, 1);
	CHECK(send(p.cl, fb, n, 0) == (ssize_t)n && wsg_recv_n(p.sv, rb, n, 3000) == n,
	      "a connection opened before the stop is left alone (no program on it any more)");
	wsg_pair_close(&p);
	CHECK(access(env.pins, F_OK) != 0, "pin directory removed");
	cg = open(env.cgroup, O_RDONLY);
	CHECK(bpf_prog_query(cg, BPF_CGROUP_SOCK_OPS, 0, NULL, NULL, &cnt) == 0 && cnt == 0,
	      "no sockops program left on the cgroup (%u)", cnt);
	close(cg);
	wsg_env_fini(&env);
}

WSG_TEST_MAIN
