// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon's connection-level judging (user/conn.c) as the custody path drives it: an
 * upgrade request and masked client frames appended to one struct wsg_conn_d, whole or in
 * small chunks, through wsg_conn_process(). Here: Socket.IO binary packets and their
 * attachments (inspection per attachment, the count, the placeholders, the byte bound, the
 * protocol errors socket.io-parser closes on, the Engine.IO v3 prefix and "b" packets) and
 * the placeholder check of decode_socketio.c on its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wsg_test.h"
#include "conn.h"
#include "decode.h"
#include "inspect.h"

WSG_TEST_MAIN

#define REQ_V4 "/socket.io/?EIO=4&transport=websocket"
#define REQ_V3 "/socket.io/?EIO=3&transport=websocket"
#define XSS "<img src=x onerror=alert(1)>"

/* A client byte stream: the upgrade request, then masked frames. */
struct wsg_stream {
	unsigned char *p;
	size_t len, cap;
};

static void wsg_put(struct wsg_stream *s, const void *p, size_t n)
{
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2 + 64;
		s->p = realloc(s->p, s->cap);
		if (!s->p)
			abort();
	}
	memcpy(s->p + s->len, p, n);
	s->len += n;
}

static void wsg_request(struct wsg_stream *s, const char *path)
{
	char req[256];
	int n = snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n", path);

	wsg_put(s, req, (size_t)n);
}

/* One masked frame; b0 is FIN | opcode. */
static void wsg_frame(struct wsg_stream *s, unsigned char b0, const void *payload, size_t n)
{
	static const unsigned char key[4] = { 0x1f, 0xa2, 0x37, 0xc4 };
	const unsigned char *src = payload;
	unsigned char h[14];
	size_t hl = 2;

	h[0] = b0;
	if (n < 126) {
		h[1] = 0x80 | (unsigned char)n;
	} else if (n < 65536) {
		h[1] = 0x80 | 126;
		h[2] = (unsigned char)(n >> 8);
		h[3] = (unsigned char)n;
		hl = 4;
	} else {
		h[1] = 0x80 | 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)((unsigned long long)n >> (56 - 8 * i));
		hl = 10;
	}
	memcpy(h + hl, key, 4);
	wsg_put(s, h, hl + 4);
	for (size_t i = 0; i < n; i++) {
		unsigned char b = src[i] ^ key[i & 3];

		wsg_put(s, &b, 1);
	}
}

static void wsg_text(struct wsg_stream *s, const char *t)
{
	wsg_frame(s, 0x81, t, strlen(t));
}

static void wsg_bin(struct wsg_stream *s, const void *p, size_t n)
{
	wsg_frame(s, 0x82, p, n);
}

/* What feeding a stream did. */
struct wsg_run {
	struct wsg_verdict v;	/* the block if there was one, else the last feed's */
	unsigned messages;	/* messages allowed over every feed */
	enum wsg_framework fw;
	size_t releasable, parsed;
};

/* Feed s to a new connection in chunks of `chunk` bytes (0: whole), without releasing. */
static struct wsg_run wsg_feed(const struct wsg_stream *s, size_t chunk)
{
	struct wsg_conn_d *c = wsg_conn_new(42);
	struct wsg_run r = {};

	if (!c)
		abort();
	c->answer = 101; /* a replay: the backend accepted the upgrade */
	for (size_t off = 0; off < s->len;) {
		size_t n = chunk && chunk < s->len - off ? chunk : s->len - off;

		wsg_conn_append(c, s->p + off, n);
		off += n;
		wsg_conn_process(c, &r.v);
		r.messages += r.v.messages;
		if (r.v.block)
			break;
	}
	r.fw = c->fw;
	r.releasable = c->releasable;
	r.parsed = c->parsed;
	wsg_conn_free(c);
	return r;
}

/* The same verdict whole, in 7-byte chunks and byte by byte. */
static void wsg_expect(const struct wsg_stream *s, const char *what, int block,
		       enum wsg_reason reason, const char *where)
{
	static const size_t chunks[] = { 0, 7, 1 };

	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		struct wsg_run r = wsg_feed(s, chunks[i]);

		CHECK(r.v.block == block, "%s (chunk %zu): block %d reason %d", what, chunks[i],
		      r.v.block, r.v.reason);
		if (!block || !r.v.block)
			continue;
		CHECK(r.v.reason == reason, "%s (chunk %zu): reason %d, want %d", what, chunks[i],
		      r.v.reason, reason);
		if (where)
			CHECK(!strcmp(r.v.finding.where, where),
			      "%s (chunk %zu): where %s, want %s", what, chunks[i],
			      r.v.finding.where, where);
	}
}

static void wsg_stream_free(struct wsg_stream *s)
{
	free(s->p);
	memset(s, 0, sizeof(*s));
}

#define ANNOUNCE1 "451-[\"upload\",{\"_placeholder\":true,\"num\":0}]"
#define ANNOUNCE2 \
	"452-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"

/* Bytes of a small PNG-like file: binary, benign. */
static const unsigned char wsg_png[] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
	0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0, 0x5c, 0x72, 0xa8, 0x66, 0, 0, 0, 0,
	'I', 'E', 'N', 'D', 0xae, 'B', '`', 0x82,
};

WSG_TEST(attachment_xss_blocked)
{
	struct wsg_stream s = {};

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	wsg_request(&s, REQ_V4);
	wsg_text(&s, ANNOUNCE1);
	wsg_bin(&s, XSS, strlen(XSS));
	wsg_expect(&s, "xss attachment", 1, WSG_R_DETECT, "$attachment[0]");
	wsg_stream_free(&s);

	/* the second of two: its index in the path */
	wsg_request(&s, REQ_V4);
	wsg_text(&s, ANNOUNCE2);
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_bin(&s, XSS, strlen(XSS));
	wsg_expect(&s, "xss second attachment", 1, WSG_R_DETECT, "$attachment[1]");
	wsg_stream_free(&s);

	/* a MessagePack attachment is walked: {"t": XSS} */
	{
		unsigned char mp[64] = { 0x81, 0xa1, 't', 0xa0 | (unsigned char)strlen(XSS) };

		memcpy(mp + 4, XSS, strlen(XSS));
		wsg_request(&s, REQ_V4);
		wsg_text(&s, ANNOUNCE1);
		wsg_bin(&s, mp, 4 + strlen(XSS));
		wsg_expect(&s, "msgpack attachment", 1, WSG_R_DETECT, "$attachment[0].t");
		wsg_stream_free(&s);
	}
}

WSG_TEST(benign_upload_passes)
{
	struct wsg_stream s = {};
	struct wsg_run r;

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	wsg_request(&s, REQ_V4);
	wsg_text(&s, "40");
	wsg_text(&s, ANNOUNCE2);
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_bin(&s, "hello, world", 12);
	wsg_text(&s, "42[\"chat\",\"done\"]");
	wsg_expect(&s, "benign upload", 0, 0, NULL);
	r = wsg_feed(&s, 0);
	CHECK(r.messages == 5, "messages %u", r.messages);
	CHECK(r.releasable == s.len, "releasable %zu of %zu", r.releasable, s.len);

	/* a BINARY_ACK with a namespace and an ack id */
	wsg_stream_free(&s);
	wsg_request(&s, REQ_V4);
	wsg_text(&s, "461-/admin,12[{\"_placeholder\":true,\"num\":0}]");
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_expect(&s, "binary ack", 0, 0, NULL);

	/* an empty attachment and Engine.IO's pong in the middle of a packet */
	wsg_stream_free(&s);
	wsg_request(&s, REQ_V4);
	wsg_text(&s, ANNOUNCE2);
	wsg_bin(&s, "", 0);
	wsg_text(&s, "3");
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_expect(&s, "empty attachment, pong", 0, 0, NULL);
	wsg_stream_free(&s);
}

WSG_TEST(packet_held_until_last_attachment)
{
	struct wsg_stream s = {};
	struct wsg_run r;
	size_t before;

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	wsg_request(&s, REQ_V4);
	wsg_text(&s, "42[\"chat\",\"hi\"]");
	before = s.len;
	wsg_text(&s, ANNOUNCE2);
	r = wsg_feed(&s, 0);
	CHECK(!r.v.block && r.releasable == before && r.parsed == s.len,
	      "announced: releasable %zu, want %zu", r.releasable, before);
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	r = wsg_feed(&s, 0);
	CHECK(!r.v.block && r.releasable == before, "one of two: releasable %zu, want %zu",
	      r.releasable, before);
	wsg_frame(&s, 0x89, "p", 1); /* a ping in between stays held too */
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	r = wsg_feed(&s, 0);
	CHECK(!r.v.block && r.releasable == s.len, "complete: releasable %zu, want %zu",
	      r.releasable, s.len);
	wsg_stream_free(&s);
}

WSG_TEST(too_many_attachments)
{
	struct wsg_stream s = {};
	struct wsg_run r;

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	wsg_request(&s, REQ_V4);
	wsg_text(&s, "4511-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
	r = wsg_feed(&s, 0);
	CHECK(r.v.block && r.v.reason == WSG_R_DETECT && r.v.finding.rule &&
	      !strcmp(r.v.finding.rule, "dec-007"), "block %d reason %d rule %s", r.v.block,
	      r.v.reason, r.v.finding.rule ? r.v.finding.rule : "-");
	wsg_stream_free(&s);
}

WSG_TEST(attachments_too_big)
{
	static const char *const ph = "{\"_placeholder\":true,\"num\":%d}";
	size_t part = 900u << 10;
	unsigned char *blob = malloc(part);
	struct wsg_stream s = {};
	char ann[256];
	size_t o;

	REQUIRE(wsg_inspect_init() == 0 && blob, "init");
	memset(blob, 'a', part);
	o = (size_t)snprintf(ann, sizeof(ann), "455-[\"big\"");
	for (int i = 0; i < 5; i++) {
		o += (size_t)snprintf(ann + o, sizeof(ann) - o, ",");
		o += (size_t)snprintf(ann + o, sizeof(ann) - o, ph, i);
	}
	snprintf(ann + o, sizeof(ann) - o, "]");
	wsg_request(&s, REQ_V4);
	wsg_text(&s, ann);
	for (int i = 0; i < 4; i++)
		wsg_bin(&s, blob, part);
	CHECK(!wsg_feed(&s, 0).v.block, "four of five (3.5 MiB) pass");
	wsg_bin(&s, blob, part);
	{
		struct wsg_run r = wsg_feed(&s, 0);

		CHECK(r.v.block && r.v.reason == WSG_R_LIMIT_SIO_ATTACH,
		      "fifth: block %d reason %d", r.v.block, r.v.reason);
		r = wsg_feed(&s, 4096);
		CHECK(r.v.block && r.v.reason == WSG_R_LIMIT_SIO_ATTACH, "chunked: reason %d",
		      r.v.reason);
	}
	free(blob);
	wsg_stream_free(&s);
}

WSG_TEST(count_mismatch_blocked)
{
	static const char *const bad[] = {
		"451-[\"upload\"]",
		"452-[\"upload\",{\"_placeholder\":true,\"num\":0}]",
		"451-[\"upload\",{\"_placeholder\":true,\"num\":1}]",
		"452-[\"u\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":0}]",
		"450-[\"upload\"]",
		"451[\"upload\",{\"_placeholder\":true,\"num\":0}]",
		"451-[\"upload\",{\"_placeholder\":true,\"num\":0}",
		"451-",
	};
	struct wsg_stream s = {};

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wsg_request(&s, REQ_V4);
		wsg_text(&s, bad[i]);
		wsg_bin(&s, wsg_png, sizeof(wsg_png));
		wsg_expect(&s, bad[i], 1, WSG_R_VIOL_SIO_COUNT, NULL);
		wsg_stream_free(&s);
	}
}

WSG_TEST(placeholders)
{
	static const struct {
		const char *json;
		unsigned long n;
		int ok;
	} t[] = {
		{ "[\"e\",{\"_placeholder\":true,\"num\":0}]", 1, 1 },
		{ " [ \"e\" , { \"num\" : 0 , \"_placeholder\" : true } ] ", 1, 1 },
		{ "[\"e\",{\"a\":[{\"_placeholder\":true,\"num\":1}]},{\"_placeholder\":true,"
		  "\"num\":0}]", 2, 1 },
		{ "[\"e\",{\"\\u005fplaceholder\":true,\"n\\u0075m\":0}]", 1, 1 },
		/* the last duplicate member counts, as in JSON.parse */
		{ "[\"e\",{\"_placeholder\":false,\"num\":0,\"_placeholder\":true}]", 1, 1 },
		{ "[\"e\",{\"_placeholder\":true,\"num\":0,\"_placeholder\":false}]", 1, 0 },
		/* what a placeholder nests is replaced with it */
		{ "[\"e\",{\"_placeholder\":true,\"num\":0,\"x\":{\"_placeholder\":true,"
		  "\"num\":0}}]", 1, 1 },
		{ "[\"e\",{\"_placeholder\":\"true\",\"num\":0}]", 1, 0 },
		{ "[\"e\",{\"_placeholder\":true,\"num\":\"0\"}]", 1, 0 },
		{ "[\"e\",{\"_placeholder\":true,\"num\":0.5}]", 1, 0 },
		{ "[\"e\",{\"_placeholder\":true,\"num\":-0}]", 1, 0 },
		{ "[\"e\",{\"_placeholder\":true}]", 1, 0 },
		{ "[\"e\",{\"_placeholder\":true,\"num\":0}]", 2, 0 },
		{ "[\"e\",{\"_placeholder\":true,\"num\":0}] x", 1, 0 },
		{ "[\"e\",{\"_placeholder\":true,\"num\":0}", 1, 0 },
		{ "[\"e\"]", 0, 1 },
		{ "", 1, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK(wsg_sio_placeholders_ok(t[i].json, strlen(t[i].json), t[i].n) == t[i].ok,
		      "%s n=%lu: want %d", t[i].json, t[i].n, t[i].ok);
	{
		char deep[200];
		size_t n = 0;

		for (int i = 0; i < 40; i++)
			deep[n++] = '[';
		for (int i = 0; i < 40; i++)
			deep[n++] = ']';
		CHECK(!wsg_sio_placeholders_ok(deep, n, 0), "40 levels deep");
	}
}

WSG_TEST(plaintext_while_reconstructing)
{
	struct wsg_stream s = {};

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	wsg_request(&s, REQ_V4);
	wsg_text(&s, ANNOUNCE2);
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_text(&s, "42[\"chat\",\"hi\"]");
	wsg_expect(&s, "text packet between attachments", 1, WSG_R_VIOL_SIO_INTERRUPTED, NULL);
	wsg_stream_free(&s);

	/* a second binary packet before the first one's attachments */
	wsg_request(&s, REQ_V4);
	wsg_text(&s, ANNOUNCE1);
	wsg_text(&s, ANNOUNCE1);
	wsg_expect(&s, "binary packet interrupted", 1, WSG_R_VIOL_SIO_INTERRUPTED, NULL);
	wsg_stream_free(&s);
}

WSG_TEST(binary_without_packet)
{
	struct wsg_stream s = {};
	struct wsg_conn_d *c;
	struct wsg_verdict v;

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	wsg_request(&s, REQ_V4);
	wsg_text(&s, "42[\"chat\",\"hi\"]");
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_expect(&s, "binary after a text packet", 1, WSG_R_VIOL_SIO_UNEXPECTED, NULL);
	wsg_stream_free(&s);

	/* one attachment too many */
	wsg_request(&s, REQ_V4);
	wsg_text(&s, ANNOUNCE1);
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_expect(&s, "extra attachment", 1, WSG_R_VIOL_SIO_UNEXPECTED, NULL);
	wsg_stream_free(&s);

	/* the daemon saw no text packet: it may have been passed on the fast path */
	wsg_request(&s, REQ_V4);
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_expect(&s, "binary first", 0, 0, NULL);
	wsg_stream_free(&s);

	/* custody ran empty after a text packet: the same */
	wsg_request(&s, REQ_V4);
	wsg_text(&s, "42[\"chat\",\"hi\"]");
	c = wsg_conn_new(1);
	REQUIRE(c, "conn");
	c->answer = 101;
	wsg_conn_append(c, s.p, s.len);
	wsg_conn_process(c, &v);
	CHECK(!v.block && c->releasable == s.len, "text packet");
	wsg_conn_consume(c, c->releasable);
	wsg_stream_free(&s);
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_conn_append(c, s.p, s.len);
	wsg_conn_process(c, &v);
	CHECK(!v.block, "binary after a gap: reason %d", v.reason);
	/* an attack in it is still found */
	wsg_conn_consume(c, c->releasable);
	wsg_stream_free(&s);
	wsg_bin(&s, XSS, strlen(XSS));
	wsg_conn_append(c, s.p, s.len);
	wsg_conn_process(c, &v);
	CHECK(v.block && v.reason == WSG_R_DETECT && !strcmp(v.finding.where, "$attachment"),
	      "xss after a gap: reason %d where %s", v.reason, v.finding.where);
	wsg_conn_free(c);
	wsg_stream_free(&s);
}

WSG_TEST(engineio_v3_prefix)
{
	unsigned char buf[64] = { 4 };
	struct wsg_stream s = {};

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	memcpy(buf + 1, XSS, strlen(XSS));
	wsg_request(&s, REQ_V3);
	wsg_text(&s, ANNOUNCE1);
	wsg_bin(&s, buf, 1 + strlen(XSS));
	wsg_expect(&s, "v3 xss", 1, WSG_R_DETECT, "$attachment[0]");
	wsg_stream_free(&s);

	/* the prefix is no part of a MessagePack attachment: {"t": XSS} */
	buf[1] = 0x81;
	buf[2] = 0xa1;
	buf[3] = 't';
	buf[4] = 0xa0 | (unsigned char)strlen(XSS);
	memcpy(buf + 5, XSS, strlen(XSS));
	wsg_request(&s, REQ_V3);
	wsg_text(&s, ANNOUNCE1);
	wsg_bin(&s, buf, 5 + strlen(XSS));
	wsg_expect(&s, "v3 msgpack", 1, WSG_R_DETECT, "$attachment[0].t");
	wsg_stream_free(&s);

	buf[0] = 4;
	memcpy(buf + 1, wsg_png, 40);
	wsg_request(&s, REQ_V3);
	wsg_text(&s, ANNOUNCE2);
	wsg_bin(&s, buf, 41);
	wsg_bin(&s, buf, 41);
	wsg_text(&s, "42[\"chat\",\"hi\"]");
	wsg_expect(&s, "v3 benign", 0, 0, NULL);
	wsg_stream_free(&s);

	/* a v3 binary packet of another Engine.IO type is no attachment */
	buf[0] = 2;
	wsg_request(&s, REQ_V3);
	wsg_text(&s, ANNOUNCE1);
	wsg_bin(&s, buf, 41);
	wsg_text(&s, "42[\"chat\",\"hi\"]");
	wsg_expect(&s, "v3 non-message binary", 1, WSG_R_VIOL_SIO_INTERRUPTED, NULL);
	wsg_stream_free(&s);
}

WSG_TEST(attachment_split_across_frames)
{
	struct wsg_stream s = {};
	const char *a = "<img src=x ", *b = "onerror=alert(1)>";

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	wsg_request(&s, REQ_V4);
	wsg_text(&s, ANNOUNCE1);
	wsg_frame(&s, 0x02, a, strlen(a));		/* binary, not FIN */
	wsg_frame(&s, 0x89, "p", 1);			/* a ping in between */
	wsg_frame(&s, 0x80, b, strlen(b));		/* continuation, FIN */
	wsg_expect(&s, "fragmented xss", 1, WSG_R_DETECT, "$attachment[0]");
	wsg_stream_free(&s);

	/* the announcing packet fragmented too, then a benign fragmented attachment */
	wsg_request(&s, REQ_V4);
	wsg_frame(&s, 0x01, "451-[\"up\",", 10);
	wsg_frame(&s, 0x80, "{\"_placeholder\":true,\"num\":0}]", 30);
	wsg_frame(&s, 0x02, wsg_png, 20);
	wsg_frame(&s, 0x00, wsg_png + 20, 10);
	wsg_frame(&s, 0x80, wsg_png + 30, sizeof(wsg_png) - 30);
	wsg_text(&s, "42[\"chat\",\"hi\"]");
	wsg_expect(&s, "fragmented benign", 0, 0, NULL);
	wsg_stream_free(&s);
}

WSG_TEST(base64_packets)
{
	struct wsg_stream s = {};
	/* "<img src=x onerror=alert(1)>" in base64 */
	const char *b64 = "bPGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPg==";
	unsigned char out[64];

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	CHECK(wsg_sio_base64(b64 + 1, strlen(b64) - 1, out) == strlen(XSS) &&
	      !memcmp(out, XSS, strlen(XSS)), "decode");
	CHECK(wsg_sio_base64("SGV s\nbG8", 9, out) == 5 && !memcmp(out, "Hello", 5), "skips");
	CHECK(wsg_sio_base64("SGk=SGk=", 8, out) == 2, "stops at '='");
	CHECK(wsg_sio_base64("-_-_", 4, out) == 3 && out[0] == 0xfb && out[2] == 0xbf, "url");

	wsg_request(&s, REQ_V4);
	wsg_text(&s, ANNOUNCE1);
	wsg_text(&s, b64);
	wsg_expect(&s, "base64 xss attachment", 1, WSG_R_DETECT, "$attachment[0]");
	wsg_stream_free(&s);

	wsg_request(&s, REQ_V4);
	wsg_text(&s, ANNOUNCE1);
	wsg_text(&s, "bSGVsbG8sIHdvcmxk");
	wsg_text(&s, "42[\"chat\",\"hi\"]");
	wsg_expect(&s, "base64 benign attachment", 0, 0, NULL);
	wsg_stream_free(&s);

	wsg_request(&s, REQ_V4);
	wsg_text(&s, "42[\"chat\",\"hi\"]");
	wsg_text(&s, "bSGVsbG8sIHdvcmxk");
	wsg_expect(&s, "base64 without packet", 1, WSG_R_VIOL_SIO_UNEXPECTED, NULL);
	wsg_stream_free(&s);

	wsg_request(&s, REQ_V3);
	wsg_text(&s, ANNOUNCE1);
	wsg_text(&s, "b4PGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPg==");
	wsg_expect(&s, "v3 base64 xss", 1, WSG_R_DETECT, "$attachment[0]");
	wsg_stream_free(&s);
}

WSG_TEST(auto_becomes_socketio)
{
	struct wsg_stream s = {};
	struct wsg_run r;

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	wsg_request(&s, "/ws");
	wsg_text(&s, "{\"text\":\"hi\"}");
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	r = wsg_feed(&s, 0);
	CHECK(!r.v.block && r.fw == WSG_FW_AUTO, "json then binary: block %d fw %d", r.v.block,
	      r.fw);
	wsg_stream_free(&s);

	wsg_request(&s, "/ws");
	wsg_text(&s, ANNOUNCE1);
	r = wsg_feed(&s, 0);
	CHECK(!r.v.block && r.fw == WSG_FW_SOCKETIO, "binary packet: fw %d", r.fw);
	wsg_bin(&s, XSS, strlen(XSS));
	wsg_expect(&s, "auto xss attachment", 1, WSG_R_DETECT, "$attachment[0]");
	wsg_stream_free(&s);

	wsg_request(&s, "/ws");
	wsg_text(&s, ANNOUNCE1);
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_bin(&s, wsg_png, sizeof(wsg_png));
	wsg_expect(&s, "auto extra attachment", 1, WSG_R_VIOL_SIO_UNEXPECTED, NULL);
	wsg_stream_free(&s);
}

WSG_TEST(judge_message_alone)
{
	/* `wsguard scan` judges each line on a zeroed connection */
	struct wsg_conn_d c = { .fw = WSG_FW_SOCKETIO };
	struct wsg_verdict v = {};

	REQUIRE(wsg_inspect_init() == 0, "wsg_inspect_init");
	CHECK(!wsg_judge_message(&c, WSG_OP_BINARY, 0, wsg_png, sizeof(wsg_png), &v),
	      "binary line: reason %d", v.reason);
	memset(&c, 0, sizeof(c));
	c.fw = WSG_FW_SOCKETIO;
	CHECK(!wsg_judge_message(&c, WSG_OP_TEXT, 0, (const unsigned char *)ANNOUNCE1,
				 strlen(ANNOUNCE1), &v), "binary packet line");
}
