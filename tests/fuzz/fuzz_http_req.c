// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for user/http_req.c: the input after its first byte is one connection's
 * bytes, fed whole, cut in two where the first byte says, and (if short) one byte at a time.
 * Every run must give the same results: each request's fields, body and wire_len, then the
 * error or the end of input, at the same offsets. Each piece is an exact-size heap copy, so
 * ASan sees any read past it. Parsed targets also go through the query and path decoders.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "http_req.h"

struct wsg_fuzz_log {
	uint64_t hash;			/* of every result in order */
	size_t results;
};

static uint64_t wsg_fuzz_mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}

static int wsg_fuzz_param(void *ctx, const char *name, size_t nlen, const char *val,
			  size_t vlen)
{
	assert(!name[nlen] && !val[vlen]);
	*(size_t *)ctx += nlen + vlen;
	return 0;
}

/* What must hold of every parsed request; the decoders must accept its target. */
static void wsg_fuzz_check(const struct wsg_http_req *r)
{
	char *buf = malloc(r->target_len + 2), out[64];
	size_t sum = 0;

	assert(r->method[0] && strlen(r->method) < sizeof(r->method));
	assert(r->target_len && strlen(r->target) == r->target_len);
	assert(r->minor == 0 || r->minor == 1);
	assert(r->body_len <= WSG_HTTP_BODY_MAX && !r->body_len == !r->body);
	assert(!r->body_len || r->has_body);
	assert(r->wire_len > r->target_len + r->body_len);
	assert(memchr(r->host, 0, sizeof(r->host)) && memchr(r->origin, 0, sizeof(r->origin)));
	assert(memchr(r->protocol, 0, sizeof(r->protocol)));
	assert(memchr(r->extensions, 0, sizeof(r->extensions)));
	assert(memchr(r->content_type, 0, sizeof(r->content_type)));
	assert(wsg_http_path(r->target, r->target_len, buf, r->target_len + 1) >= 0);
	assert(wsg_query_each(r->target, r->target_len, buf, r->target_len + 2, wsg_fuzz_param,
			      &sum) == 0);
	assert(sum <= r->target_len);
	assert(wsg_query_get(r->target, r->target_len, "transport", out, sizeof(out)) >= -1);
	free(buf);
}

static void wsg_fuzz_record(struct wsg_fuzz_log *lg, int st, enum wsg_http_err err, size_t off,
			    const struct wsg_http_req *r)
{
	uint64_t h = wsg_fuzz_mix(lg->hash, &st, sizeof(st));

	h = wsg_fuzz_mix(h, &off, sizeof(off));
	if (st == WSG_HTTP_ERROR)
		h = wsg_fuzz_mix(h, &err, sizeof(err));
	if (st == WSG_HTTP_DONE) {
		wsg_fuzz_check(r);
		h = wsg_fuzz_mix(h, r->method, strlen(r->method));
		h = wsg_fuzz_mix(h, r->target, r->target_len);
		h = wsg_fuzz_mix(h, r->host, strlen(r->host));
		h = wsg_fuzz_mix(h, r->origin, strlen(r->origin));
		h = wsg_fuzz_mix(h, r->content_type, strlen(r->content_type));
		h = wsg_fuzz_mix(h, r->protocol, strlen(r->protocol));
		h = wsg_fuzz_mix(h, r->extensions, strlen(r->extensions));
		h = wsg_fuzz_mix(h, r->body, r->body_len);
		h = wsg_fuzz_mix(h, &r->body_len, sizeof(r->body_len));
		h = wsg_fuzz_mix(h, &r->wire_len, sizeof(r->wire_len));
		h = wsg_fuzz_mix(h, &r->minor, sizeof(r->minor));
		h = wsg_fuzz_mix(h, &r->upgrade, sizeof(r->upgrade));
		h = wsg_fuzz_mix(h, &r->chunked, sizeof(r->chunked));
		h = wsg_fuzz_mix(h, &r->has_body, sizeof(r->has_body));
		h = wsg_fuzz_mix(h, &r->trunc, sizeof(r->trunc));
	}
	lg->hash = h;
	lg->results++;
}

/* Feed one piece; 1 once an error ended the connection. */
static int wsg_fuzz_piece(struct wsg_http_parser *p, const uint8_t *data, size_t n,
			  size_t *off, struct wsg_fuzz_log *lg)
{
	unsigned char *copy = malloc(n ? n : 1);
	size_t pos = 0;
	int st = WSG_HTTP_NEED_MORE;

	memcpy(copy, data, n);
	while (pos < n) {
		struct wsg_http_req req;
		enum wsg_http_err err = WSG_HE_NONE;
		size_t c = wsg_http_feed(p, copy + pos, n - pos, &st, &req, &err);

		assert(c <= n - pos);
		pos += c;
		if (st == WSG_HTTP_NEED_MORE) {
			assert(pos == n);
			break;
		}
		assert(st == WSG_HTTP_DONE || (err > WSG_HE_NONE && err < WSG_HE__COUNT));
		wsg_fuzz_record(lg, st, err, *off + pos, &req);
		if (st == WSG_HTTP_ERROR)
			break;
		assert(req.wire_len > 0);
		wsg_http_parser_reset(p);
	}
	free(copy);
	*off += pos;
	return st == WSG_HTTP_ERROR;
}

/* Feed data[0..n) in pieces of step bytes (0: cut once at split). */
static struct wsg_fuzz_log wsg_fuzz_run(const uint8_t *data, size_t n, size_t split,
					size_t step)
{
	static struct wsg_http_parser p;
	struct wsg_fuzz_log lg = { 1469598103934665603ull, 0 };
	size_t off = 0, pos = 0;
	int stop = 0;

	wsg_http_parser_init(&p);
	while (pos < n && !stop) {
		size_t end = step ? (n - pos < step ? n : pos + step) : (pos < split ? split : n);

		stop = wsg_fuzz_piece(&p, data + pos, end - pos, &off, &lg);
		pos = end;
	}
	if (!stop)
		wsg_fuzz_record(&lg, WSG_HTTP_NEED_MORE, WSG_HE_NONE, off, NULL);
	wsg_http_parser_free(&p);
	return lg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsg_fuzz_log whole, split, bytes;
	size_t n, cut;

	if (!size)
		return 0;
	n = size - 1;
	cut = n * data[0] / 255;
	whole = wsg_fuzz_run(data + 1, n, 0, 0);
	split = wsg_fuzz_run(data + 1, n, cut, 0);
	assert(whole.results == split.results && whole.hash == split.hash);
	if (n <= 4096) {
		bytes = wsg_fuzz_run(data + 1, n, 0, 1);
		assert(whole.results == bytes.results && whole.hash == bytes.hash);
	}
	return 0;
}
