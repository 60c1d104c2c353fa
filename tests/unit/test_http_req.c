// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for user/http_req.h: a keep-alive sequence of requests (upgrade, GET, POST by
 * Content-Length, chunked with extensions and trailers, OPTIONS *, GET with a body) parsed
 * the same whole, cut in two at every byte and one byte at a time; one minimal example per
 * error; every bound at its edge; query and path decoding.
 */
#include <stdint.h>
#include "wsg_test.h"
#include "wsg_types.h"
#include "http_req.h"

#define LOG_MAX 64

/* One result of the parser, as the daemon would see it. */
struct res {
	int st;
	enum wsg_http_err err;
	size_t off;			/* connection bytes consumed after it */
	struct wsg_http_req req;	/* body NULL: see body_hash */
	uint64_t body_hash;
};

struct log {
	struct res r[LOG_MAX];
	int n;
};

static uint64_t fnv(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}

static void record(struct log *lg, int st, enum wsg_http_err err, size_t off,
		   const struct wsg_http_req *req)
{
	struct res *r;

	if (lg->n == LOG_MAX)
		return;
	r = &lg->r[lg->n++];
	memset(r, 0, sizeof(*r));
	r->st = st;
	r->off = off;
	if (st == WSG_HTTP_ERROR)
		r->err = err;
	if (st != WSG_HTTP_DONE)
		return;
	r->req = *req;
	r->req.body = NULL;
	r->body_hash = fnv(req->body, req->body_len);
	CHECK(!req->body_len == !req->body, "body %p with body_len %zu", (void *)req->body,
	      req->body_len);
}

/*
 * Feed buf[0..n): cut in two at split when step is 0 (split 0: whole), else step bytes at a
 * time. Requests are reset after DONE and the rest of the piece fed on; an error ends the run.
 * The last entry is the NEED_MORE state at the end of the input unless an error came first.
 */
static struct log *run(const void *buf, size_t n, size_t split, size_t step)
{
	const unsigned char *b = buf;
	struct log *lg = calloc(1, sizeof(*lg));
	struct wsg_http_parser p;
	struct wsg_http_req req;
	enum wsg_http_err err;
	size_t pos = 0;
	int st = WSG_HTTP_NEED_MORE;

	wsg_http_parser_init(&p);
	while (pos < n) {
		size_t end = step ? (n - pos < step ? n : pos + step) : (pos < split ? split : n);

		while (pos < end) {
			pos += wsg_http_feed(&p, b + pos, end - pos, &st, &req, &err);
			if (st == WSG_HTTP_NEED_MORE) {
				CHECK(pos == end, "NEED_MORE with %zu bytes left", end - pos);
				break;
			}
			record(lg, st, err, pos, &req);
			if (st == WSG_HTTP_ERROR)
				goto out;
			wsg_http_parser_reset(&p);
		}
	}
	record(lg, WSG_HTTP_NEED_MORE, WSG_HE_NONE, pos, NULL);
out:
	wsg_http_parser_free(&p);
	return lg;
}

static int same_req(const struct wsg_http_req *a, const struct wsg_http_req *b)
{
	return !strcmp(a->method, b->method) && a->target_len == b->target_len &&
	       !memcmp(a->target, b->target, a->target_len) && a->minor == b->minor &&
	       a->upgrade == b->upgrade && a->chunked == b->chunked &&
	       a->has_body == b->has_body && a->trunc == b->trunc && !strcmp(a->host, b->host) &&
	       !strcmp(a->origin, b->origin) && !strcmp(a->content_type, b->content_type) &&
	       !strcmp(a->protocol, b->protocol) && !strcmp(a->extensions, b->extensions) &&
	       a->body_len == b->body_len && a->wire_len == b->wire_len;
}

/* The index of the first entry where the logs differ, or -1. */
static int log_diff(const struct log *a, const struct log *b)
{
	for (int i = 0; i < a->n || i < b->n; i++) {
		const struct res *x = &a->r[i], *y = &b->r[i];

		if (i >= a->n || i >= b->n || x->st != y->st || x->err != y->err ||
		    x->off != y->off || x->body_hash != y->body_hash || !same_req(&x->req, &y->req))
			return i;
	}
	return -1;
}

/* The error of a whole feed (WSG_HE_NONE if it ended without one) and where it was seen. */
static enum wsg_http_err run_err(const char *s, size_t n, size_t *at)
{
	struct log *lg = run(s, n, 0, 0);
	const struct res *last = &lg->r[lg->n - 1];
	enum wsg_http_err e = last->st == WSG_HTTP_ERROR ? last->err : WSG_HE_NONE;

	if (at)
		*at = last->off;
	free(lg);
	return e;
}

/* ---- the keep-alive sequence ---- */

struct want {
	const char *raw;
	const char *method, *target;
	int minor, upgrade, chunked, has_body;
	const char *host, *origin, *ctype, *protocol, *extensions, *body;
};

#define UPGRADE_REQ                                                                        \
	"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"                           \
	"Host: backend\r\n"                                                                \
	"Upgrade: websocket\r\n"                                                           \
	"Connection: upgrade\r\n"                                                          \
	"X-Real-IP: 203.0.113.7\r\n"                                                       \
	"X-Forwarded-For: 203.0.113.7\r\n"                                                 \
	"Sec-WebSocket-Version: 13\r\n"                                                    \
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"                                  \
	"Origin: https://app.example.com\r\n"                                              \
	"Sec-WebSocket-Protocol: chat\r\n"                                                 \
	"Sec-WebSocket-Protocol: superchat\r\n"                                            \
	"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"         \
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n"                                  \
	"\r\n"

static const struct want seq[] = {
	{ UPGRADE_REQ, "GET", "/socket.io/?EIO=4&transport=websocket", 1, 1, 0, 0, "backend",
	  "https://app.example.com", "", "chat, superchat",
	  "permessage-deflate; client_max_window_bits", "" },
	{ "GET /index.html?a=1 HTTP/1.1\r\nHost: backend\r\nAccept: */*\r\n\r\n", "GET",
	  "/index.html?a=1", 1, 0, 0, 0, "backend", "", "", "", "", "" },
	{ "POST /api/login HTTP/1.1\r\nHost: backend\r\n"
	  "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 29\r\n\r\n"
	  "user=admin&pass=x%27+OR+1%3D1",
	  "POST", "/api/login", 1, 0, 0, 1, "backend", "", "application/x-www-form-urlencoded",
	  "", "", "user=admin&pass=x%27+OR+1%3D1" },
	/* an empty line before a request belongs to it */
	{ "\r\nPOST /upload HTTP/1.1\r\nHost: backend\r\nTransfer-Encoding: Chunked\r\n"
	  "Content-Type: text/plain\r\n\r\n"
	  "5;name=val\r\nhello\r\n7 ; a=\"q;x\"\r\n, world\r\n"
	  "0;last\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n",
	  "POST", "/upload", 1, 0, 1, 1, "backend", "", "text/plain", "", "", "hello, world" },
	{ "OPTIONS * HTTP/1.1\r\nHost: backend\r\n\r\n", "OPTIONS", "*", 1, 0, 0, 0, "backend",
	  "", "", "", "", "" },
	{ "GET /search HTTP/1.0\r\nContent-Length: 4\r\n\r\nq=hi", "GET", "/search", 0, 0, 0, 1,
	  "", "", "", "", "", "q=hi" },
	/* no framing: no body, whatever the method */
	{ "POST /nobody HTTP/1.1\r\nHost:   b \t\r\nContent-Length: 0\r\n\r\n", "POST",
	  "/nobody", 1, 0, 0, 0, "b", "", "", "", "", "" },
	{ "DELETE /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 003\r\n\r\nabc", "DELETE",
	  "/x", 1, 0, 0, 1, "", "", "", "", "", "abc" },
	{ "POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "POST", "/e", 1, 0,
	  1, 1, "", "", "", "", "", "" },
	{ UPGRADE_REQ, "GET", "/socket.io/?EIO=4&transport=websocket", 1, 1, 0, 0, "backend",
	  "https://app.example.com", "", "chat, superchat",
	  "permessage-deflate; client_max_window_bits", "" },
};

static char *seq_buf(size_t *n)
{
	char *b;

	*n = 0;
	for (size_t i = 0; i < WSG_ARRAY_SIZE(seq); i++)
		*n += strlen(seq[i].raw);
	b = malloc(*n + 1);
	b[0] = 0;
	for (size_t i = 0; i < WSG_ARRAY_SIZE(seq); i++)
		strcat(b, seq[i].raw);
	return b;
}

static void check_want(const struct res *r, const struct want *w, size_t i)
{
	const struct wsg_http_req *q = &r->req;

	REQUIRE(r->st == WSG_HTTP_DONE, "request %zu: st %d err %s", i, r->st,
		wsg_http_err_name(r->err));
	CHECK(!strcmp(q->method, w->method), "request %zu: method %s", i, q->method);
	CHECK(q->target_len == strlen(w->target) && !strcmp(q->target, w->target),
	      "request %zu: target %s (%zu)", i, q->target, q->target_len);
	CHECK(q->minor == w->minor, "request %zu: minor %d", i, q->minor);
	CHECK(q->upgrade == w->upgrade, "request %zu: upgrade %d", i, q->upgrade);
	CHECK(q->chunked == w->chunked, "request %zu: chunked %d", i, q->chunked);
	CHECK(q->has_body == w->has_body, "request %zu: has_body %d", i, q->has_body);
	CHECK(!strcmp(q->host, w->host), "request %zu: host '%s'", i, q->host);
	CHECK(!strcmp(q->origin, w->origin), "request %zu: origin '%s'", i, q->origin);
	CHECK(!strcmp(q->content_type, w->ctype), "request %zu: type '%s'", i, q->content_type);
	CHECK(!strcmp(q->protocol, w->protocol), "request %zu: protocol '%s'", i, q->protocol);
	CHECK(!strcmp(q->extensions, w->extensions), "request %zu: extensions '%s'", i,
	      q->extensions);
	CHECK(q->body_len == strlen(w->body) && r->body_hash == fnv(w->body, strlen(w->body)),
	      "request %zu: body_len %zu", i, q->body_len);
	CHECK(q->wire_len == strlen(w->raw), "request %zu: wire_len %zu, want %zu", i,
	      q->wire_len, strlen(w->raw));
	CHECK(!q->trunc, "request %zu: trunc %x", i, q->trunc);
}

WSG_TEST(http_req_sequence_whole)
{
	size_t n, sum = 0;
	char *b = seq_buf(&n);
	struct log *lg = run(b, n, 0, 0);

	REQUIRE(lg->n == (int)WSG_ARRAY_SIZE(seq) + 1, "%d results", lg->n);
	for (size_t i = 0; i < WSG_ARRAY_SIZE(seq); i++) {
		check_want(&lg->r[i], &seq[i], i);
		sum += lg->r[i].req.wire_len;
		CHECK(lg->r[i].off == sum, "request %zu ends at %zu, want %zu", i, lg->r[i].off,
		      sum);
	}
	CHECK(sum == n, "wire_len sums to %zu, buffer %zu", sum, n);
	CHECK(lg->r[lg->n - 1].st == WSG_HTTP_NEED_MORE && lg->r[lg->n - 1].off == n, "tail");
	free(lg);
	free(b);
}

WSG_TEST(http_req_sequence_every_split_and_bytewise)
{
	size_t n;
	char *b = seq_buf(&n);
	struct log *whole = run(b, n, 0, 0), *lg;
	int d;

	for (size_t s = 1; s < n; s++) {
		lg = run(b, n, s, 0);
		d = log_diff(whole, lg);
		CHECK(d < 0, "split at %zu: result %d differs", s, d);
		free(lg);
	}
	for (size_t step = 1; step <= 7; step++) {
		lg = run(b, n, 0, step);
		d = log_diff(whole, lg);
		CHECK(d < 0, "%zu bytes at a time: result %d differs", step, d);
		free(lg);
	}
	free(whole);
	free(b);
}

WSG_TEST(http_req_done_and_error_repeat_until_reset)
{
	static const char two[] = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
	struct wsg_http_parser p;
	struct wsg_http_req req;
	enum wsg_http_err err = WSG_HE_NONE;
	int st;
	size_t c;

	wsg_http_parser_init(&p);
	c = wsg_http_feed(&p, (const unsigned char *)two, sizeof(two) - 1, &st, &req, &err);
	CHECK(st == WSG_HTTP_DONE && c == 19 && !strcmp(req.target, "/a"), "first: %d %zu", st,
	      c);
	c = wsg_http_feed(&p, (const unsigned char *)two + c, sizeof(two) - 1 - c, &st, &req,
			  &err);
	CHECK(st == WSG_HTTP_DONE && c == 0 && !strcmp(req.target, "/a"), "again: %d %zu", st,
	      c);
	wsg_http_parser_reset(&p);
	c = wsg_http_feed(&p, (const unsigned char *)"get", 3, &st, &req, &err);
	CHECK(st == WSG_HTTP_ERROR && c == 1 && err == WSG_HE_SYNTAX, "error: %d %zu", st, c);
	err = WSG_HE_NONE;
	c = wsg_http_feed(&p, (const unsigned char *)"GET", 3, &st, &req, &err);
	CHECK(st == WSG_HTTP_ERROR && c == 0 && err == WSG_HE_SYNTAX, "sticky: %d %zu", st, c);
	c = wsg_http_feed(&p, NULL, 0, &st, &req, &err);
	CHECK(st == WSG_HTTP_ERROR && c == 0, "empty feed: %d", st);
	wsg_http_parser_reset(&p);
	c = wsg_http_feed(&p, NULL, 0, &st, &req, &err);
	CHECK(st == WSG_HTTP_NEED_MORE && c == 0, "empty feed after reset: %d", st);
	wsg_http_parser_free(&p);
}

/* ---- errors ---- */

#define H(hdrs) "POST / HTTP/1.1\r\nHost: a\r\n" hdrs "\r\n"

/* E(): the length is the literal's, as some requests hold a NUL */
#define E(name, req, err) { name, req, sizeof(req) - 1, err }

static const struct err_case {
	const char *name;
	const char *req;
	size_t len;
	enum wsg_http_err err;
} err_cases[] = {
	E("cl_and_te", H("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"),
	  WSG_HE_AMBIGUOUS),
	E("te_and_cl", H("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"),
	  WSG_HE_AMBIGUOUS),
	E("two_cls", H("Content-Length: 5\r\nContent-Length: 6\r\n"), WSG_HE_AMBIGUOUS),
	E("te_gzip", H("Transfer-Encoding: gzip\r\n"), WSG_HE_AMBIGUOUS),
	E("te_chunked_gzip", H("Transfer-Encoding: chunked, gzip\r\n"), WSG_HE_AMBIGUOUS),
	E("te_gzip_chunked", H("Transfer-Encoding: gzip, chunked\r\n"), WSG_HE_AMBIGUOUS),
	E("te_twice", H("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
	  WSG_HE_AMBIGUOUS),
	E("te_chunked_x", H("Transfer-Encoding: chunkedx\r\n"), WSG_HE_AMBIGUOUS),
	E("te_chunk", H("Transfer-Encoding: chunk\r\n"), WSG_HE_AMBIGUOUS),
	E("te_empty", H("Transfer-Encoding:\r\n"), WSG_HE_AMBIGUOUS),
	E("te_in_http10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
	  WSG_HE_AMBIGUOUS),
	E("obs_fold", H("X-A: b\r\n c\r\n"), WSG_HE_AMBIGUOUS),
	E("obs_fold_tab", H("X-A: b\r\n\tc\r\n"), WSG_HE_AMBIGUOUS),
	E("ws_before_first_field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", WSG_HE_AMBIGUOUS),
	E("space_before_colon", H("Content-Length : 5\r\n"), WSG_HE_AMBIGUOUS),
	E("tab_before_colon", H("Transfer-Encoding\t: chunked\r\n"), WSG_HE_AMBIGUOUS),
	E("nul_in_value", H("X-A: b\0c\r\n"), WSG_HE_AMBIGUOUS),
	E("nul_in_name", H("X-\0A: b\r\n"), WSG_HE_AMBIGUOUS),
	E("bare_cr_in_value", H("X-A: b\rc\r\n"), WSG_HE_AMBIGUOUS),
	E("bare_lf_field_end", H("X-A: b\nX-B: c\r\n"), WSG_HE_AMBIGUOUS),
	E("bare_lf_block_end", "GET / HTTP/1.1\r\nHost: a\r\n\n", WSG_HE_AMBIGUOUS),
	E("bare_lf_request_line", "GET / HTTP/1.1\nHost: a\r\n\r\n", WSG_HE_AMBIGUOUS),
	E("bare_cr_request_line", "GET / HTTP/1.1\rHost: a\r\n\r\n", WSG_HE_AMBIGUOUS),
	E("bare_cr_leading", "\rGET / HTTP/1.1\r\n\r\n", WSG_HE_AMBIGUOUS),
	E("bare_lf_leading", "\nGET / HTTP/1.1\r\n\r\n", WSG_HE_AMBIGUOUS),
	E("two_hosts", H("Host: b\r\n"), WSG_HE_AMBIGUOUS),
	E("two_origins", H("Origin: a\r\nOrigin: b\r\n"), WSG_HE_AMBIGUOUS),
	E("two_content_types", H("Content-Type: a\r\nContent-Type: a\r\n"), WSG_HE_AMBIGUOUS),
	E("cl_in_trailer", H("Transfer-Encoding: chunked\r\n") "0\r\nContent-Length: 5\r\n\r\n",
	  WSG_HE_AMBIGUOUS),
	E("te_in_trailer", H("Transfer-Encoding: chunked\r\n") "0\r\nTransfer-Encoding: x\r\n\r\n",
	  WSG_HE_AMBIGUOUS),
	E("obs_fold_in_trailer", H("Transfer-Encoding: chunked\r\n") "0\r\nA: b\r\n c\r\n\r\n",
	  WSG_HE_AMBIGUOUS),
	E("cl_list", H("Content-Length: 5, 5\r\n"), WSG_HE_LENGTH),
	E("cl_plus", H("Content-Length: +5\r\n"), WSG_HE_LENGTH),
	E("cl_negative", H("Content-Length: -1\r\n"), WSG_HE_LENGTH),
	E("cl_hex", H("Content-Length: 0x5\r\n"), WSG_HE_LENGTH),
	E("cl_inner_space", H("Content-Length: 1 2\r\n"), WSG_HE_LENGTH),
	E("cl_empty", H("Content-Length: \r\n"), WSG_HE_LENGTH),
	E("cl_too_big", H("Content-Length: 1048577\r\n"), WSG_HE_BODY_TOO_BIG),
	E("cl_overflow", H("Content-Length: 99999999999999999999999999999\r\n"),
	  WSG_HE_BODY_TOO_BIG),
	E("chunk_size_not_hex", H("Transfer-Encoding: chunked\r\n") "zz\r\n", WSG_HE_CHUNK),
	E("chunk_size_empty", H("Transfer-Encoding: chunked\r\n") "\r\n", WSG_HE_CHUNK),
	E("chunk_size_negative", H("Transfer-Encoding: chunked\r\n") "-1\r\n", WSG_HE_CHUNK),
	E("chunk_size_0x", H("Transfer-Encoding: chunked\r\n") "0x5\r\n", WSG_HE_CHUNK),
	E("chunk_size_ws_no_ext", H("Transfer-Encoding: chunked\r\n") "5 \r\n", WSG_HE_CHUNK),
	E("chunk_size_bare_lf", H("Transfer-Encoding: chunked\r\n") "5\nhello\r\n", WSG_HE_CHUNK),
	E("chunk_data_no_crlf", H("Transfer-Encoding: chunked\r\n") "5\r\nhelloX\r\n",
	  WSG_HE_CHUNK),
	E("chunk_data_bare_lf", H("Transfer-Encoding: chunked\r\n") "5\r\nhello\n0\r\n\r\n",
	  WSG_HE_CHUNK),
	E("chunk_ext_bare_lf", H("Transfer-Encoding: chunked\r\n") "5;a\nb\r\nhello\r\n",
	  WSG_HE_CHUNK),
	E("chunk_ext_nul", H("Transfer-Encoding: chunked\r\n") "5;a\0\r\nhello\r\n", WSG_HE_CHUNK),
	E("chunk_size_overflow", H("Transfer-Encoding: chunked\r\n") "fffffffffffffffffffff\r\n",
	  WSG_HE_BODY_TOO_BIG),
	E("chunk_size_too_big", H("Transfer-Encoding: chunked\r\n") "100001\r\n",
	  WSG_HE_BODY_TOO_BIG),
	E("http_2_0", "GET / HTTP/2.0\r\n\r\n", WSG_HE_VERSION),
	E("http_1_2", "GET / HTTP/1.2\r\n\r\n", WSG_HE_VERSION),
	E("http_0_9", "GET / HTTP/0.9\r\n\r\n", WSG_HE_VERSION),
	E("http_lowercase", "GET / http/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("http_1_10", "GET / HTTP/1.10\r\n\r\n", WSG_HE_SYNTAX),
	E("http_no_minor", "GET / HTTP/1\r\n\r\n", WSG_HE_SYNTAX),
	E("no_version", "GET /\r\n\r\n", WSG_HE_SYNTAX),
	E("lowercase_method", "get / HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("method_not_token", "G(T / HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("method_too_long", "ABCDEFGHIJKLMNOP / HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("leading_space", " GET / HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("two_spaces", "GET  / HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("space_in_target", "GET /a b HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("tab_in_target", "GET /a\tb HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("del_in_target", "GET /a\x7f HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("absolute_form", "GET http://a/ HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("authority_form", "CONNECT a:443 HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("asterisk_not_options", "GET * HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("asterisk_path", "OPTIONS */a HTTP/1.1\r\n\r\n", WSG_HE_SYNTAX),
	E("field_without_colon", H("X-Ab\r\n"), WSG_HE_SYNTAX),
	E("space_in_name", H("X-A b: c\r\n"), WSG_HE_AMBIGUOUS),
	E("field_empty_name", H(": b\r\n"), WSG_HE_SYNTAX),
	E("field_name_not_token", H("X/A: b\r\n"), WSG_HE_SYNTAX),
	E("ctl_in_value", H("X-A: b\x01\r\n"), WSG_HE_SYNTAX),
	E("del_in_value", H("X-A: b\x7f\r\n"), WSG_HE_SYNTAX),
	E("vt_in_te", H("Transfer-Encoding: chunked\x0b\r\n"), WSG_HE_SYNTAX),
};

WSG_TEST(http_req_errors)
{
	for (size_t i = 0; i < WSG_ARRAY_SIZE(err_cases); i++) {
		const struct err_case *c = &err_cases[i];
		size_t n = c->len, at;
		enum wsg_http_err e = run_err(c->req, n, &at);
		struct log *whole, *bytes;

		CHECK(e == c->err, "%s: %s, want %s", c->name, wsg_http_err_name(e),
		      wsg_http_err_name(c->err));
		whole = run(c->req, n, 0, 0);
		bytes = run(c->req, n, 0, 1);
		CHECK(log_diff(whole, bytes) < 0, "%s: bytewise differs", c->name);
		CHECK(at <= n, "%s: error at %zu of %zu", c->name, at, n);
		free(whole);
		free(bytes);
	}
}

/* Where errors are seen: the byte that shows them is the last one consumed. */
WSG_TEST(http_req_error_offsets)
{
	static const char cl_te[] = H("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n");
	static const char fold[] = "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n";
	static const char ver[] = "GET / HTTP/2.0\r\n\r\n";
	size_t at;

	CHECK(run_err(cl_te, sizeof(cl_te) - 1, &at) == WSG_HE_AMBIGUOUS &&
	      at == sizeof(cl_te) - 1, "CL+TE at the end of the block: %zu", at);
	CHECK(run_err(fold, sizeof(fold) - 1, &at) == WSG_HE_AMBIGUOUS && at == 23,
	      "fold at its SP: %zu", at);
	CHECK(run_err(ver, sizeof(ver) - 1, &at) == WSG_HE_VERSION && at == 15,
	      "version at its CR: %zu", at);
}

static enum wsg_http_err one_err(const char *s)
{
	return run_err(s, strlen(s), NULL);
}

/* Accepted variants next to the errors above. */
WSG_TEST(http_req_accepted_variants)
{
	static const char *const ok[] = {
		H("Content-Length: 0\r\nContent-Length: 0\r\n"),
		H("Content-Length:\t5 \t\r\n") "hello",
		H("Content-Length: 00005\r\n") "hello",
		H("Transfer-Encoding: \tCHUNKED\t \r\n") "0\r\n\r\n",
		H("Transfer-Encoding: chunked\r\n") "00005\r\nhello\r\n000\r\n\r\n",
		H("Transfer-Encoding: chunked\r\n") "A\r\n0123456789\r\n0\r\n\r\n",
		H("Transfer-Encoding: chunked\r\n") "5\t;x\r\nhello\r\n0 ; y=\"\\\"\"\r\n\r\n",
		H("X-A:\r\nX-B: \r\n!#$%&'*+-.^_`|~09az: v\r\n"),
		H("X-A: caf\xc3\xa9 \x80\xff\r\n"),
		/* names longer than any known one are other fields, however they start */
		H("Transfer-Encoding-Which-Is-Not-Transfer-Encoding: gzip\r\n"),
		H("Content-Length-Of-Something-Else-Entirely: x\r\n"),
		"\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n",
		"M-_ /%zz?#x HTTP/1.1\r\n\r\n",
		"GET /a HTTP/1.0\r\n\r\n",
	};

	for (size_t i = 0; i < WSG_ARRAY_SIZE(ok); i++) {
		enum wsg_http_err e = one_err(ok[i]);

		CHECK(e == WSG_HE_NONE, "%zu: %s", i, wsg_http_err_name(e));
	}
}

/* Parse one whole request that must complete. */
static struct log *one_done(const char *s, size_t n)
{
	struct log *lg = run(s, n, 0, 0);

	CHECK(lg->n == 2 && lg->r[0].st == WSG_HTTP_DONE && lg->r[0].off == n,
	      "not one request: %d results, st %d %s", lg->n, lg->r[0].st,
	      wsg_http_err_name(lg->r[0].err));
	return lg;
}

WSG_TEST(http_req_upgrade_values)
{
	static const struct {
		const char *hdrs;
		int up;
	} t[] = {
		{ "Upgrade: websocket\r\n", 1 },
		{ "Upgrade: WebSocket\r\n", 1 },
		{ "upgrade:websocket\r\n", 1 },
		{ "Upgrade: h2c, websocket\r\n", 1 },
		{ "Upgrade: websocket ,h2c\r\n", 1 },
		{ "Upgrade: ,, websocket/13 ,\r\n", 1 },
		{ "Upgrade: h2c\r\nUpgrade: websocket\r\n", 1 },
		{ "Upgrade: h2c\r\n", 0 },
		{ "Upgrade:\r\n", 0 },
		{ "Upgrade: websocketx\r\n", 0 },
		{ "Upgrade: websock\r\n", 0 },
		{ "Upgrade: web socket\r\n", 0 },
		{ "Upgrade: websocket x\r\n", 0 },
		{ "Upgrade: foo/websocket\r\n", 0 },
		{ "Upgrade: \"websocket\"\r\n", 0 },
		{ "X-Upgrade: websocket\r\n", 0 },
		{ "Connection: upgrade\r\n", 0 },
	};

	for (size_t i = 0; i < WSG_ARRAY_SIZE(t); i++) {
		char buf[256];
		int n = snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\n%s\r\n", t[i].hdrs);
		struct log *lg = one_done(buf, (size_t)n);

		CHECK(lg->r[0].req.upgrade == t[i].up, "%s: upgrade %d", t[i].hdrs,
		      lg->r[0].req.upgrade);
		free(lg);
	}
}

WSG_TEST(http_req_field_copies)
{
	char buf[2048], origin[301];
	struct log *lg;
	int n;

	memset(origin, 'o', 300);
	origin[300] = 0;
	n = snprintf(buf, sizeof(buf),
		     "GET / HTTP/1.1\r\nHost: \t h o \t\r\nOrigin: %s\r\n"
		     "Sec-WebSocket-Protocol:\r\nSec-WebSocket-Protocol: a \r\n"
		     "sec-websocket-protocol: b\r\nSec-WebSocket-Extensions: x\r\n"
		     "Sec-WebSocket-Extensions: \r\n\r\n",
		     origin);
	lg = one_done(buf, (size_t)n);
	CHECK(!strcmp(lg->r[0].req.host, "h o"), "host '%s'", lg->r[0].req.host);
	CHECK(strlen(lg->r[0].req.origin) == 255 && lg->r[0].req.trunc == WSG_HF_ORIGIN,
	      "origin %zu trunc %x", strlen(lg->r[0].req.origin), lg->r[0].req.trunc);
	CHECK(!strcmp(lg->r[0].req.protocol, "a, b"), "protocol '%s'", lg->r[0].req.protocol);
	CHECK(!strcmp(lg->r[0].req.extensions, "x"), "extensions '%s'", lg->r[0].req.extensions);
	free(lg);

	/* exactly full: not cut, whatever trailing OWS was dropped */
	memset(origin, 'o', 255);
	origin[255] = 0;
	n = snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nOrigin: %s    \r\n\r\n", origin);
	lg = one_done(buf, (size_t)n);
	CHECK(!strcmp(lg->r[0].req.origin, origin) && !lg->r[0].req.trunc, "trunc %x",
	      lg->r[0].req.trunc);
	free(lg);
}

/* ---- bounds, at their edge and one past ---- */

/* A request whose header block is exactly len bytes, after lead empty lines. */
static char *head_of(size_t len, int lead)
{
	static const char rl[] = "GET / HTTP/1.1\r\nX: ";
	char *b = malloc(len + 1);
	size_t l = 2 * (size_t)lead;

	for (size_t i = 0; i < l; i += 2)
		memcpy(b + i, "\r\n", 2);
	memcpy(b + l, rl, sizeof(rl) - 1);
	memset(b + l + sizeof(rl) - 1, 'a', len - l - (sizeof(rl) - 1) - 4);
	memcpy(b + len - 4, "\r\n\r\n", 5);
	return b;
}

WSG_TEST(http_req_header_bound)
{
	for (int lead = 0; lead <= 2; lead++) {
		char *b = head_of(WSG_HTTP_HDR_MAX, lead);

		CHECK(one_err(b) == WSG_HE_NONE, "exactly HDR_MAX, %d empty lines first", lead);
		free(b);
		b = head_of(WSG_HTTP_HDR_MAX + 1, lead);
		CHECK(one_err(b) == WSG_HE_HDR_TOO_BIG, "HDR_MAX + 1, %d empty lines first", lead);
		free(b);
	}
}

WSG_TEST(http_req_target_bound)
{
	size_t max = sizeof(((struct wsg_http_req *)0)->target) - 1;
	char *b = malloc(max + 64);

	for (size_t len = max; len <= max + 1; len++) {
		int n = 4 + (int)len;
		struct log *lg;
		const struct res *r;

		memcpy(b, "GET /", 5);
		memset(b + 5, 'p', len - 1);
		n += sprintf(b + n, " HTTP/1.1\r\n\r\n");
		lg = run(b, (size_t)n, 0, 0);
		r = &lg->r[0];

		if (len == max)
			CHECK(r->st == WSG_HTTP_DONE && r->req.target_len == max &&
			      strlen(r->req.target) == max, "target of %zu", len);
		else
			CHECK(r->st == WSG_HTTP_ERROR && r->err == WSG_HE_URI_TOO_LONG &&
			      r->off == 5 + max, "target of %zu: %s at %zu", len,
			      wsg_http_err_name(r->err), r->off);
		free(lg);
	}
	free(b);
}

/* Content-Length: exactly the bound is a body; one more is refused before any body byte. */
WSG_TEST(http_req_body_bound_cl)
{
	size_t hl, n;
	char head[128];
	char *b = malloc(WSG_HTTP_BODY_MAX + sizeof(head));
	struct log *lg;

	hl = (size_t)sprintf(head, H("Content-Length: %u\r\n"), WSG_HTTP_BODY_MAX);
	memcpy(b, head, hl);
	memset(b + hl, 'x', WSG_HTTP_BODY_MAX);
	n = hl + WSG_HTTP_BODY_MAX;
	lg = run(b, n, 0, 0);
	CHECK(lg->r[0].st == WSG_HTTP_DONE && lg->r[0].req.body_len == WSG_HTTP_BODY_MAX &&
	      lg->r[0].req.wire_len == n, "body of BODY_MAX");
	free(lg);
	lg = run(b, n, n / 3, 0);
	CHECK(lg->r[0].st == WSG_HTTP_DONE && lg->r[0].req.body_len == WSG_HTTP_BODY_MAX,
	      "split body of BODY_MAX");
	free(lg);
	hl = (size_t)sprintf(head, H("Content-Length: %u\r\n"), WSG_HTTP_BODY_MAX + 1);
	lg = run(head, hl, 0, 0);
	CHECK(lg->r[0].st == WSG_HTTP_ERROR && lg->r[0].err == WSG_HE_BODY_TOO_BIG &&
	      lg->r[0].off == hl, "BODY_MAX + 1 refused at the end of the head");
	free(lg);
	free(b);
}

/* Chunks summing to the bound pass; one more byte in a later chunk is refused at its size. */
WSG_TEST(http_req_body_bound_chunked)
{
	static const char head[] = H("Transfer-Encoding: chunked\r\n");
	size_t half = WSG_HTTP_BODY_MAX / 2, n = 0;
	char *b = malloc(WSG_HTTP_BODY_MAX + 256);
	struct log *lg;

	n += (size_t)sprintf(b, "%s%zx\r\n", head, half);
	memset(b + n, 'y', half);
	n += half;
	n += (size_t)sprintf(b + n, "\r\n%zx\r\n", half);
	memset(b + n, 'z', half);
	n += half;
	n += (size_t)sprintf(b + n, "\r\n0\r\n\r\n");
	lg = run(b, n, 0, 0);
	CHECK(lg->r[0].st == WSG_HTTP_DONE && lg->r[0].req.body_len == WSG_HTTP_BODY_MAX &&
	      lg->r[0].req.wire_len == n, "chunks of BODY_MAX: %d", lg->r[0].st);
	free(lg);
	n = (size_t)sprintf(b, "%s%zx\r\n", head, half);
	memset(b + n, 'y', half);
	n += half;
	n += (size_t)sprintf(b + n, "\r\n%zx\r\n", half + 1);
	lg = run(b, n, 0, 0);
	CHECK(lg->r[0].st == WSG_HTTP_ERROR && lg->r[0].err == WSG_HE_BODY_TOO_BIG &&
	      lg->r[0].off == n - 2, "BODY_MAX + 1 in chunks: %s at %zu",
	      wsg_http_err_name(lg->r[0].err), lg->r[0].off);
	free(lg);
	free(b);
}

WSG_TEST(http_req_chunk_framing_bounds)
{
	static const char head[] = H("Transfer-Encoding: chunked\r\n");
	char *b = malloc(4 * WSG_HTTP_FRAMING_MAX);
	size_t n = 0, i;

	/* one size line at the bound, then one byte longer */
	for (size_t len = WSG_HTTP_CHUNK_LINE_MAX; len <= WSG_HTTP_CHUNK_LINE_MAX + 1; len++) {
		n = (size_t)sprintf(b, "%s1;", head);
		memset(b + n, 'e', len - 3);
		n += len - 3;
		n += (size_t)sprintf(b + n, "\r\nx\r\n0\r\n\r\n");
		CHECK(run_err(b, n, NULL) ==
			      (len == WSG_HTTP_CHUNK_LINE_MAX ? WSG_HE_NONE : WSG_HE_CHUNK),
		      "size line of %zu", len);
	}
	/* small chunks with long extensions: framing far beyond the data */
	n = (size_t)sprintf(b, "%s", head);
	for (i = 0; n < 2 * WSG_HTTP_FRAMING_MAX; i++) {
		n += (size_t)sprintf(b + n, "1;");
		memset(b + n, 'e', 1000);
		n += 1000;
		n += (size_t)sprintf(b + n, "\r\nx\r\n");
	}
	n += (size_t)sprintf(b + n, "0\r\n\r\n");
	CHECK(run_err(b, n, NULL) == WSG_HE_BODY_TOO_BIG, "framing bound");
	/* a trailer section past the header bound */
	n = (size_t)sprintf(b, "%s0\r\n", head);
	while (n < (size_t)WSG_HTTP_HDR_MAX + 1024)
		n += (size_t)sprintf(b + n, "X-T: %0100d\r\n", 0);
	n += (size_t)sprintf(b + n, "\r\n");
	CHECK(run_err(b, n, NULL) == WSG_HE_HDR_TOO_BIG, "trailer bound");
	free(b);
}

/* Random bytes flipped in the sequence: whole, two-piece and bytewise runs agree. */
WSG_TEST(http_req_mutations_agree)
{
	size_t n;
	char *orig = seq_buf(&n), *b = malloc(n);
	uint32_t x = 2463534242u;
	static const char alphabet[] = "\r\n :;,0aA/\t\x00\x7f\x80Gg";
	int differ = 0, errors = 0;

	for (int it = 0; it < 3000 && !differ; it++) {
		struct log *whole, *split, *bytes;

		memcpy(b, orig, n);
		for (int k = 0; k < 1 + it % 4; k++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			b[x % n] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
		}
		whole = run(b, n, 0, 0);
		split = run(b, n, (x >> 8) % n, 0);
		bytes = run(b, n, 0, 1 + (x >> 24) % 5);
		differ = log_diff(whole, split) >= 0 || log_diff(whole, bytes) >= 0;
		errors += whole->r[whole->n - 1].st == WSG_HTTP_ERROR;
		CHECK(!differ, "iteration %d: runs differ", it);
		free(whole);
		free(split);
		free(bytes);
	}
	CHECK(errors > 300 && errors < 2900, "skewed mutations: %d errors", errors);
	free(orig);
	free(b);
}

/* ---- query and path ---- */

struct qlog {
	char text[512];
	size_t len;
	int stop_at;			/* return nonzero at this call (1-based), 0 never */
	int calls;
};

static int qcollect(void *ctx, const char *name, size_t nlen, const char *val, size_t vlen)
{
	struct qlog *q = ctx;

	CHECK(!name[nlen] && !val[vlen], "not NUL-terminated at %zu, %zu", nlen, vlen);
	q->len += (size_t)snprintf(q->text + q->len, sizeof(q->text) - q->len, "[%s=%s]", name,
				   val);
	return ++q->calls == q->stop_at ? 7 : 0;
}

static const char *query_text(const char *target, int stop_at, int *rc)
{
	static struct qlog q;
	char scratch[512];

	memset(&q, 0, sizeof(q));
	q.stop_at = stop_at;
	*rc = wsg_query_each(target, strlen(target), scratch, strlen(target) + 2, qcollect, &q);
	return q.text;
}

WSG_TEST(http_req_query_each)
{
	static const struct {
		const char *target, *want;
	} t[] = {
		{ "/socket.io/?EIO=4&transport=%70olling", "[EIO=4][transport=polling]" },
		{ "/?%74ransport=websocket", "[transport=websocket]" },
		{ "/?q=a+b%2Bc&x+y=1", "[q=a b+c][x y=1]" },
		{ "/?x=%zz%4&y=%%41&z=%", "[x=%zz%4][y=%A][z=%]" },
		{ "/?a=1&a=2", "[a=1][a=2]" },
		{ "/?a=&b&=c&&d=e=f&", "[a=][b=][=c][d=e=f]" },
		{ "/?a=1;b=2", "[a=1;b=2]" },
		{ "/?a=%00b", "[a=]" },
		{ "/p?a=1#b=2", "[a=1]" },
		{ "/p#x?a=1", "" },
		{ "/p", "" },
		{ "/p?", "" },
		{ "/p?&", "" },
		{ "/p?a?b=c", "[a?b=c]" },
		{ "/p?%E4%BD%A0=%e5%a5%bd", "[\xe4\xbd\xa0=\xe5\xa5\xbd]" },
	};
	int rc;

	for (size_t i = 0; i < WSG_ARRAY_SIZE(t); i++) {
		const char *got = query_text(t[i].target, 0, &rc);

		CHECK(!strcmp(got, t[i].want) && rc == 0, "%s: %s, rc %d", t[i].target, got, rc);
	}
	CHECK(!strcmp(query_text("/?a=1&b=2&c=3", 2, &rc), "[a=1][b=2]") && rc == 7,
	      "stop: rc %d", rc);
	{
		char scratch[9], fits[10];
		struct qlog q = { .calls = 0 };

		rc = wsg_query_each("/?abc=defg", 10, scratch, 9, qcollect, &q);
		CHECK(rc == -1 && !q.calls, "scratch of 9 for a query of 8: rc %d", rc);
		rc = wsg_query_each("/?abc=defg", 10, fits, sizeof(fits), qcollect, &q);
		CHECK(rc == 0 && q.calls == 1, "scratch of 10: rc %d", rc);
	}
}

WSG_TEST(http_req_query_get)
{
	static const char t[] = "/socket.io/?EIO=4&%74ransport=%70olling&transport=websocket&"
				"sid=a+b&empty&long=0123456789";
	char out[8];

	CHECK(wsg_query_get(t, strlen(t), "transport", out, sizeof(out)) == 1 &&
	      !strcmp(out, "polling"), "first transport: %s", out);
	CHECK(wsg_query_get(t, strlen(t), "EIO", out, sizeof(out)) == 1 && !strcmp(out, "4"),
	      "EIO");
	CHECK(wsg_query_get(t, strlen(t), "sid", out, sizeof(out)) == 1 && !strcmp(out, "a b"),
	      "sid: %s", out);
	CHECK(wsg_query_get(t, strlen(t), "empty", out, sizeof(out)) == 1 && !out[0], "empty");
	CHECK(wsg_query_get(t, strlen(t), "long", out, sizeof(out)) == -1, "value too long");
	CHECK(wsg_query_get(t, strlen(t), "transpor", out, sizeof(out)) == 0, "prefix of a name");
	CHECK(wsg_query_get(t, strlen(t), "transports", out, sizeof(out)) == 0, "longer name");
	CHECK(wsg_query_get(t, strlen(t), "eio", out, sizeof(out)) == 0, "names are exact");
	CHECK(wsg_query_get("/a/b", 4, "a", out, sizeof(out)) == 0, "no query");
	/* the length bounds the target: nothing past it is read */
	CHECK(wsg_query_get("/?a=1&b=2", 6, "b", out, sizeof(out)) == 0, "past len");
}

WSG_TEST(http_req_path)
{
	static const struct {
		const char *target, *want;
	} t[] = {
		{ "/a%20b/c?d=%20", "/a b/c" },
		{ "/a+b", "/a+b" },
		{ "/%zz%2", "/%zz%2" },
		{ "/socket.io/#x?y", "/socket.io/" },
		{ "/%2e%2E/%2F", "/../\x2f" },
		{ "*", "*" },
		{ "", "" },
	};
	char out[64];

	for (size_t i = 0; i < WSG_ARRAY_SIZE(t); i++) {
		long n = wsg_http_path(t[i].target, strlen(t[i].target), out, sizeof(out));

		CHECK(n == (long)strlen(t[i].want) && !strcmp(out, t[i].want), "%s: %ld %s",
		      t[i].target, n, out);
	}
	CHECK(wsg_http_path("/abcd", 5, out, 6) == 5, "exact fit");
	CHECK(wsg_http_path("/abcd", 5, out, 5) == -1, "no room for the NUL");
	CHECK(wsg_http_path("/a%41", 5, out, 4) == 3 && !strcmp(out, "/aA"), "decoded fits");
	CHECK(wsg_http_path("/a", 2, out, 0) == -1, "no room at all");
}

WSG_TEST(http_req_err_names)
{
	CHECK(!strcmp(wsg_http_err_name(WSG_HE_AMBIGUOUS), "ambiguous_framing"), "ambiguous");
	CHECK(!strcmp(wsg_http_err_name(WSG_HE_NONE), "none"), "none");
	CHECK(!strcmp(wsg_http_err_name(WSG_HE__COUNT), "unknown"), "count");
	for (int e = 0; e < WSG_HE__COUNT; e++)
		CHECK(strlen(wsg_http_err_name(e)) > 0, "%d", e);
}

WSG_TEST_MAIN
