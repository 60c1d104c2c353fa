// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HTTP side of a connection (user/stream_http.c and the upgrade answer in stream_ws.c),
 * through wsg_conn_process() as custody brings it, whole and byte by byte: keep-alive
 * requests judged one by one, polling bodies judged as messages, the handshake's query,
 * upgrades that must be a bodiless GET, refused upgrades back to HTTP, and bytes sent before
 * any answer.
 */
#include <stdlib.h>
#include <string.h>
#include "wsg_test.h"
#include "conn.h"

WSG_TEST_MAIN

#define XSS "<img src=x onerror=alert(1)>"
#define UPG "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: h\r\n" \
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n"

struct wsg_res {
	int block;
	enum wsg_reason reason;
	enum wsg_transport tr;
	char where[128];
	size_t releasable;	/* custody bytes that went back, released included */
	__u8 mode;
};

/* Feed s (chunk bytes at a time, 0: whole) with the backend answering upgrades `answer`. */
static struct wsg_res wsg_run(const char *s, size_t len, size_t chunk, __u16 answer)
{
	struct wsg_conn_d *c = wsg_conn_new(9);
	struct wsg_res r = {};
	struct wsg_verdict v;

	if (!c)
		abort();
	c->answer = answer;
	for (size_t off = 0; off < len && !r.block;) {
		size_t n = chunk && chunk < len - off ? chunk : len - off;

		wsg_conn_append(c, s + off, n);
		off += n;
		wsg_conn_process(c, &v);
		if (v.block) {
			r.block = 1;
			r.reason = v.reason;
			r.tr = v.tr;
			memcpy(r.where, v.finding.where, sizeof(r.where));
		}
		wsg_conn_consume(c, c->releasable); /* as if released at once */
	}
	r.releasable = c->released;
	r.mode = c->mode;
	wsg_conn_free(c);
	return r;
}

/* Whole and byte by byte must agree. */
static struct wsg_res wsg_both(const char *name, const char *s, __u16 answer)
{
	struct wsg_res a = wsg_run(s, strlen(s), 0, answer), b = wsg_run(s, strlen(s), 1, answer);

	CHECK(a.block == b.block && a.reason == b.reason && a.releasable == b.releasable,
	      "%s: whole %d/%d/%zu, byte by byte %d/%d/%zu", name, a.block, a.reason,
	      a.releasable, b.block, b.reason, b.releasable);
	return a;
}

#define POLL(body) "POST /socket.io/?EIO=4&transport=polling&sid=s1 HTTP/1.1\r\nHost: h\r\n" \
		   "Content-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s"

static char *wsg_poll(const char *body)
{
	static char buf[4][1024];
	static int k;
	char *b = buf[k++ & 3];

	snprintf(b, sizeof(buf[0]), POLL(body), strlen(body), body);
	return b;
}

WSG_TEST(keepalive_requests_each_judged)
{
	char s[4096];
	struct wsg_res r;

	REQUIRE(wsg_inspect_init() == 0, "init");
	snprintf(s, sizeof(s), "GET /page?q=<b> HTTP/1.1\r\nHost: h\r\n\r\n%s%s",
		 wsg_poll("42[\"chat message\",\"hello\"]"),
		 wsg_poll("42[\"chat message\",\"hi\"]\x1e" "42[\"chat message\",\"" XSS "\"]"));
	r = wsg_both("keep-alive", s, 101);
	CHECK(r.block && r.reason == WSG_R_DETECT && r.tr == WSG_TR_EIO_POLLING &&
		      !strncmp(r.where, "#1", 2),
	      "the second packet of the third request: block %d reason %d tr %d where %s",
	      r.block, r.reason, r.tr, r.where);
	CHECK(r.releasable == strlen(s) - strlen(wsg_poll("42[\"chat message\",\"hi\"]\x1e"
		"42[\"chat message\",\"" XSS "\"]")),
	      "the two requests before it went back whole (%zu)", r.releasable);
	r = wsg_both("plain http to another path", "POST /form HTTP/1.1\r\nContent-Length: 8\r\n"
		     "\r\nq=<svg/>", 101);
	CHECK(!r.block && r.mode == WSG_MODE_HTTP, "passed unjudged: block %d", r.block);
}

WSG_TEST(upgrade_must_be_a_bodiless_get)
{
	struct wsg_res r;

	REQUIRE(wsg_inspect_init() == 0, "init");
	r = wsg_both("upgrade", UPG, 101);
	CHECK(!r.block && r.releasable == strlen(UPG), "a plain upgrade goes out");
	r = wsg_both("body", "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: h\r\n"
		     "Upgrade: websocket\r\nContent-Length: 4\r\n\r\nabcd", 101);
	CHECK(r.block && r.reason == WSG_R_BAD_REQUEST && !r.releasable,
	      "an upgrade with a body is refused: %d %d", r.block, r.reason);
	r = wsg_both("post", "POST /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: h\r\n"
		     "Upgrade: websocket\r\nContent-Length: 0\r\n\r\n", 101);
	CHECK(r.block && r.reason == WSG_R_BAD_REQUEST, "a POST upgrade is refused: %d %d",
	      r.block, r.reason);
	r = wsg_both("query", "GET /socket.io/?EIO=4&transport=websocket&x=%3Cscript%3Ealert(1)"
		     "%3C/script%3E HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n", 101);
	CHECK(r.block && r.reason == WSG_R_DETECT && !strcmp(r.where, "?x"),
	      "the handshake's query is inspected: %d %s", r.reason, r.where);
}

WSG_TEST(upgrade_answer_decides)
{
	static const char frame_hi[] = { (char)0x81, (char)0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2, 0 };
	char s[1024];
	struct wsg_res r;

	REQUIRE(wsg_inspect_init() == 0, "init");
	snprintf(s, sizeof(s), "%s%s", UPG, frame_hi);
	r = wsg_both("101", s, 101);
	CHECK(!r.block && r.mode == WSG_MODE_WS && r.releasable == strlen(s),
	      "after 101, frames: block %d mode %d", r.block, r.mode);
	snprintf(s, sizeof(s), "%sGET /next HTTP/1.1\r\nHost: h\r\n\r\n", UPG);
	r = wsg_both("400", s, 400);
	CHECK(!r.block && r.mode == WSG_MODE_HTTP && r.releasable == strlen(s),
	      "after a refusal, requests: block %d mode %d", r.block, r.mode);
	snprintf(s, sizeof(s), "%s%s", UPG, frame_hi);
	r = wsg_both("frame after 400", s, 400);
	CHECK(r.block && r.reason == WSG_R_BAD_REQUEST, "after a refusal a frame is no request");
	r = wsg_both("no answer", s, 0);
	CHECK(r.block && r.reason == WSG_R_UPGRADE_UNANSWERED && r.releasable == strlen(UPG),
	      "bytes before any answer are refused: %d %d", r.block, r.reason);
}
