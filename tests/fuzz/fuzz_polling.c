// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the HTTP long-polling transports (decode_polling.h): arbitrary bytes
 * as the body of every transport, Engine.IO version and Content-Type that changes the
 * reading, and as a request-target for wsg_transport_of() whose verdict then reads the same
 * bytes as a body. Every message must lie within the body or the scratch, the walk must stay
 * under its packet bound, and a refusal must say why.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "decode_polling.h"

struct wsg_fuzz_ctx {
	const unsigned char *body, *scratch;
	size_t n;
	unsigned count;
	unsigned sum;
};

static int wsg_fuzz_in(const unsigned char *p, size_t len, const unsigned char *lo, size_t cap)
{
	return p >= lo && len <= cap && (size_t)(p - lo) <= cap - len;
}

static int wsg_fuzz_msg(void *ctx, unsigned idx, int is_text, const unsigned char *p, size_t n)
{
	struct wsg_fuzz_ctx *c = ctx;

	assert(wsg_fuzz_in(p, n, c->body, c->n) || wsg_fuzz_in(p, n, c->scratch, c->n + 1));
	assert(idx == c->count && idx < WSG_POLL_MAX_MSGS && (is_text == 0 || is_text == 1));
	c->count++;
	for (size_t i = 0; i < n; i++)	/* every byte is read: ASan sees a bad slice */
		c->sum += p[i];
	return 0;
}

static const struct {
	enum wsg_transport t;
	int eio;
	const char *ct;
} wsg_fuzz_cases[] = {
	{ WSG_TR_EIO_POLLING, 4, "text/plain;charset=UTF-8" },
	{ WSG_TR_EIO_POLLING, 4, "application/octet-stream" },
	{ WSG_TR_EIO_POLLING, 3, NULL },
	{ WSG_TR_EIO_POLLING, 3, "application/octet-stream" },
	{ WSG_TR_EIO_POLLING, 0, NULL },
	{ WSG_TR_EIO_JSONP, 3, "application/x-www-form-urlencoded" },
	{ WSG_TR_EIO_JSONP, 4, "application/x-www-form-urlencoded" },
	{ WSG_TR_SOCKJS, 0, "text/plain;charset=UTF-8" },
	{ WSG_TR_SOCKJS, 0, "application/x-www-form-urlencoded" },
	{ WSG_TR_SOCKJS_JSONP, 0, "application/x-www-form-urlencoded" },
	{ WSG_TR_SOCKJS_JSONP, 0, NULL },
	{ WSG_TR_SOCKJS_RECV, 0, NULL },
	{ WSG_TR_SIGNALR, 0, "application/octet-stream" },
	{ WSG_TR_SIGNALR, 0, NULL },
};

static void wsg_fuzz_body(enum wsg_transport t, int eio, const char *method, const char *ct,
			  const unsigned char *body, unsigned char *scratch, size_t n)
{
	struct wsg_fuzz_ctx c = { .body = body, .scratch = scratch, .n = n };
	const char *why = NULL;
	int r = wsg_polling_messages(t, eio, method, ct, body, n, scratch, wsg_fuzz_msg, &c, &why);

	assert(r == 0 || (r == -1 && why && *why));
	assert(r || !why);
	assert(c.count <= WSG_POLL_MAX_MSGS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "POST", "GET", "post", "DELETE" };
	/* exact-size heap copies: ASan sees any read past the body or the scratch */
	unsigned char *body = malloc(size ? size : 1), *scratch = malloc(size + 1);
	enum wsg_transport t;
	const char *method;
	int eio = -1;

	if (!body || !scratch) {
		free(body);
		free(scratch);
		return 0;
	}
	memcpy(body, data, size);
	for (size_t i = 0; i < sizeof(wsg_fuzz_cases) / sizeof(wsg_fuzz_cases[0]); i++)
		wsg_fuzz_body(wsg_fuzz_cases[i].t, wsg_fuzz_cases[i].eio, "POST",
			      wsg_fuzz_cases[i].ct, body, scratch, size);

	method = methods[size ? data[0] & 3 : 0];
	t = wsg_transport_of(method, (const char *)body, size, size && (data[0] & 4), &eio);
	assert((unsigned)t <= WSG_TR_SIGNALR && strcmp(wsg_transport_name(t), "?"));
	assert(eio == 0 || eio == 3 || eio == 4);
	assert(t == WSG_TR_EIO_POLLING || t == WSG_TR_EIO_JSONP || t == WSG_TR_WEBSOCKET ||
	       eio == 0);
	wsg_fuzz_body(t, eio, method, size > 1 && (data[1] & 1) ? "application/octet-stream" :
		      NULL, body, scratch, size);
	free(body);
	free(scratch);
	return 0;
}
