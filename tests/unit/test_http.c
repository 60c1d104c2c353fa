// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for include/wsg_http.h: which requests count as upgrades (an "Upgrade:" header
 * name at a line start, any case), end-of-headers detection at every split and chunk size,
 * byte counting, and random header blocks against a line-by-line reference.
 */
#include <ctype.h>
#include "wsg_test.h"
#include "wsg_http.h"

struct http_case {
	const char *name;
	const char *req;
	int upgrade;
};

#define REQ(path, hdrs) "GET " path " HTTP/1.1\r\nHost: example.com\r\n" hdrs "\r\n"

static const struct http_case cases[] = {
	{ "plain", REQ("/", "Accept: */*\r\n"), 0 },
	{ "no_headers", "GET / HTTP/1.1\r\n\r\n", 0 },
	{ "upgrade", REQ("/chat", "Upgrade: websocket\r\nConnection: Upgrade\r\n"), 1 },
	{ "upgrade_upper", REQ("/chat", "UPGRADE: websocket\r\n"), 1 },
	{ "upgrade_lower_no_space", REQ("/chat", "upgrade:WebSocket\r\n"), 1 },
	{ "upgrade_mixed", REQ("/chat", "uPgRaDe: websocket\r\n"), 1 },
	{ "upgrade_first_header", "GET / HTTP/1.1\r\nUpgrade: websocket\r\nHost: a\r\n\r\n", 1 },
	{ "upgrade_last_header", REQ("/", "Accept: */*\r\nUpgrade: websocket\r\n"), 1 },
	{ "upgrade_empty_value", REQ("/", "Upgrade:\r\n"), 1 },
	{ "upgrade_bare_lf_line", "GET / HTTP/1.1\nUpgrade: websocket\r\n\r\n", 1 },
	{ "upgrade_after_restart", REQ("/", "Upgrad\r\nUpgrade: h2c\r\n"), 1 },
	{ "upgrade_after_lf_restart", REQ("/", "Upgra\nUpgrade: websocket\r\n"), 1 },
	{ "upgrade_after_blank_lf", REQ("/", "X: y\n\nupgrade: websocket\r\n"), 1 },
	{ "x_upgrade", REQ("/", "X-Upgrade: websocket\r\n"), 0 },
	{ "upgrade_insecure_requests", REQ("/", "Upgrade-Insecure-Requests: 1\r\n"), 0 },
	{ "connection_upgrade_only", REQ("/", "Connection: Upgrade\r\n"), 0 },
	{ "upgrade_in_value", REQ("/", "X-Foo: upgrade: websocket\r\n"), 0 },
	{ "upgrade_in_value_start", REQ("/", "X-Foo:upgrade:websocket\r\n"), 0 },
	{ "upgrade_in_path", REQ("/upgrade:", "Accept: */*\r\n"), 0 },
	{ "upgrade_in_query", REQ("/?next=%0Aupgrade:", ""), 0 },
	{ "upgrade_space_before_colon", REQ("/", "Upgrade : websocket\r\n"), 0 },
	{ "upgrade_folded_line", REQ("/", "X-Foo: a\r\n Upgrade: websocket\r\n"), 0 },
	{ "upgrade_tab_folded", REQ("/", "X-Foo: a\r\n\tupgrade: websocket\r\n"), 0 },
	{ "upgrade_truncated_name", REQ("/", "Upgrad: websocket\r\n"), 0 },
	{ "upgrade_in_request_line", "upgrade: / HTTP/1.1\r\nHost: a\r\n\r\n", 0 },
	{ "upgrade_in_body", "POST / HTTP/1.1\r\nContent-Length: 20\r\n\r\nUpgrade: websocket\r\n",
	  0 },
	{ "cr_cr_lf", "GET / HTTP/1.1\r\nHost: a\r\r\n\r\n", 0 },
	{ "restart_eoh", "GET / HTTP/1.1\r\nA: b\r\n\r\r\n\r\nUpgrade: x\r\n\r\n", 0 },
};

/* Where the header block ends ("\r\n\r\n"), as the index of its last byte; -1 if it does not. */
static long ref_end(const char *s, size_t n)
{
	for (size_t i = 3; i < n; i++)
		if (!memcmp(s + i - 3, "\r\n\r\n", 4))
			return i;
	return -1;
}

/* Does a line after the first, within the first n bytes, start with "upgrade:" (any case)? */
static int ref_upgrade(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n' || n - i - 1 < 8)
			continue;
		if (!strncasecmp(s + i + 1, "upgrade:", 8))
			return 1;
	}
	return 0;
}

struct http_run {
	long end;		/* index of the byte that returned 1, or -1 */
	struct wsg_http_scan h;
};

/* Feed in pieces (two cut at split, or chunk bytes each), the state copied between calls. */
static struct http_run http_feed(const char *s, size_t n, size_t split, size_t chunk)
{
	struct http_run run = { .end = -1 };
	struct wsg_http_scan h = { 0 };
	size_t off = 0;

	while (off < n && run.end < 0) {
		size_t k = chunk ? chunk : (off < split ? split : n) - off;
		struct wsg_http_scan copy;

		if (k > n - off)
			k = n - off;
		for (size_t i = 0; i < k; i++) {
			if (wsg_http_byte(&h, (__u8)s[off + i])) {
				run.end = off + i;
				break;
			}
		}
		off += k;
		memcpy(&copy, &h, sizeof(h));
		h = copy;
	}
	run.h = h;
	return run;
}

static int same_run(const struct http_run *a, const struct http_run *b)
{
	return a->end == b->end && !memcmp(&a->h, &b->h, sizeof(a->h));
}

WSG_TEST(http_cases_whole)
{
	for (size_t i = 0; i < WSG_ARRAY_SIZE(cases); i++) {
		const struct http_case *c = &cases[i];
		size_t n = strlen(c->req);
		long end = ref_end(c->req, n);
		struct http_run r = http_feed(c->req, n, 0, n);

		REQUIRE(end > 0, "%s: test request has no end", c->name);
		CHECK(r.end == end, "%s: end at %ld, want %ld", c->name, r.end, end);
		CHECK(r.h.upgrade == c->upgrade, "%s: upgrade %u, want %d", c->name, r.h.upgrade,
		      c->upgrade);
		CHECK(r.h.done == 1, "%s: done not set", c->name);
		CHECK(r.h.bytes == (__u32)end + 1, "%s: bytes %u, want %ld", c->name, r.h.bytes,
		      end + 1);
		CHECK(ref_upgrade(c->req, end + 1) == c->upgrade, "%s: reference disagrees",
		      c->name);
	}
}

WSG_TEST(http_cases_every_split_and_chunk)
{
	for (size_t i = 0; i < WSG_ARRAY_SIZE(cases); i++) {
		const struct http_case *c = &cases[i];
		size_t n = strlen(c->req);
		struct http_run whole = http_feed(c->req, n, 0, n), r;

		for (size_t s = 0; s <= n; s++) {
			r = http_feed(c->req, n, s, 0);
			CHECK(same_run(&r, &whole), "%s: split at %zu: end %ld upgrade %u", c->name,
			      s, r.end, r.h.upgrade);
		}
		for (size_t k = 1; k <= 16; k++) {
			r = http_feed(c->req, n, 0, k);
			CHECK(same_run(&r, &whole), "%s: chunks of %zu: end %ld upgrade %u",
			      c->name, k, r.end, r.h.upgrade);
		}
	}
}

WSG_TEST(http_end_of_headers)
{
	static const struct {
		const char *s;
		long end;
	} t[] = {
		{ "\r\n\r\n", 3 },
		{ "GET / HTTP/1.1\r\n\r\n", 17 },
		{ "A\r\n\r\r\n\r\n", 7 },
		{ "A\r\r\r\n\r\n", 6 },
		{ "A\n\r\n\r\n", 5 },
		{ "A\r\n\n\r\n", -1 },
		{ "A\n\n", -1 },
		{ "A\r\n\r", -1 },
		{ "A\r\n\r\r\n", -1 },
		{ "A\r\n \r\n", -1 },
	};

	for (size_t i = 0; i < WSG_ARRAY_SIZE(t); i++) {
		size_t n = strlen(t[i].s);
		struct http_run r = http_feed(t[i].s, n, 0, 1);

		CHECK(r.end == t[i].end, "case %zu: end %ld, want %ld", i, r.end, t[i].end);
		CHECK(r.h.done == (t[i].end >= 0), "case %zu: done %u", i, r.h.done);
		CHECK(r.h.bytes == (t[i].end >= 0 ? (__u32)t[i].end + 1 : n), "case %zu: bytes %u",
		      i, r.h.bytes);
	}
}

WSG_TEST(http_long_block_counts_every_byte)
{
	struct wsg_http_scan h = { 0 };
	static const char line[] = "X-Pad: aaaaaaaaaaaaaaaaaaaaaaaa\r\n";
	int ended = 0;
	__u32 n = 0;

	while (n < WSG_HTTP_MAX + 4096) {
		for (size_t i = 0; i < sizeof(line) - 1; i++, n++)
			ended |= wsg_http_byte(&h, line[i]);
	}
	CHECK(!ended && !h.done, "no blank line, no end");
	CHECK(h.bytes == n && h.bytes > WSG_HTTP_MAX, "bytes %u, fed %u", h.bytes, n);
	CHECK(!h.upgrade, "no upgrade");
}

static __u32 rng = 2463534242u;

static __u32 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

WSG_TEST(http_random_blocks_vs_reference)
{
	static const char *const names[] = {
		"Upgrade", "upgrade", "UPGRADE", "X-Upgrade", "Upgrade-Insecure-Requests",
		"Connection", "Host", "Upgrad", "upgradE", " Upgrade", "Upgrade ",
	};
	static const char *const values[] = {
		"websocket", "Upgrade", "upgrade:", "\r\nupgrade:", "a\r", "", "\n", "x\r\n\r",
	};
	static const char alphabet[] = "\r\n\r\nupgradeUPGRADE: x";
	char buf[1024];
	int ups = 0, ends = 0;

	for (int it = 0; it < 20000; it++) {
		size_t n = 0;
		long end;
		struct http_run r, s;

		if (it % 4 == 0) {
			while (n < 200)
				buf[n++] = alphabet[rnd() % (sizeof(alphabet) - 1)];
		} else {
			n = snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\n");
			for (int h = rnd() % 8; h > 0 && n < sizeof(buf) - 128; h--)
				n += snprintf(buf + n, sizeof(buf) - n, "%s:%s%s\r\n",
					      names[rnd() % WSG_ARRAY_SIZE(names)],
					      rnd() % 2 ? " " : "",
					      values[rnd() % WSG_ARRAY_SIZE(values)]);
			n += snprintf(buf + n, sizeof(buf) - n, "%s",
				      rnd() % 8 ? "\r\nUpgrade: late\r\n\r\n" : "");
		}
		end = ref_end(buf, n);
		r = http_feed(buf, n, 0, 1 + rnd() % 24);
		s = http_feed(buf, n, rnd() % (n + 1), 0);
		CHECK(r.end == end, "end %ld, want %ld: %.*s", r.end, end, (int)n, buf);
		CHECK(r.h.upgrade == ref_upgrade(buf, end < 0 ? n : (size_t)end + 1),
		      "upgrade %u: %.*s", r.h.upgrade, (int)n, buf);
		CHECK(same_run(&r, &s), "split and chunked runs differ: %.*s", (int)n, buf);
		ups += r.h.upgrade;
		ends += r.end >= 0;
		if (wsg_test_failed > 10)
			break;
	}
	CHECK(ups > 2000 && ups < 18000 && ends > 2000 && ends < 18000,
	      "skewed generator: %d upgrades, %d ends", ups, ends);
}

WSG_TEST_MAIN
