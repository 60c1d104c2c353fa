// SPDX-License-Identifier: GPL-2.0-only
/*
 * The connection table and each connection's custody buffer (append, consume, memory), and
 * the dispatch of its stream by mode: HTTP requests (stream_http.c), the upgrade answer and
 * WebSocket frames (stream_ws.c). See conn.h for the contract.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "decode.h"

#define WSG_CONN_BUCKETS 4096
#define WSG_KEEP_BUF (64u << 10)	/* buffers larger than this are freed once empty */

static struct wsg_conn_d *wsg_conn_tab[WSG_CONN_BUCKETS];

static unsigned wsg_conn_hash(__u64 cookie)
{
	return (unsigned)((cookie * 0x9e3779b97f4a7c15ull) >> 52) & (WSG_CONN_BUCKETS - 1);
}

struct wsg_conn_d *wsg_conn_new(__u64 cookie)
{
	struct wsg_conn_d *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->cookie = cookie;
	c->mode = WSG_MODE_HTTP;
	c->frame.flags = WSG_FF_CLIENT;
	c->tr = WSG_TR_HTTP;
	c->fw = WSG_FW_AUTO;
	return c;
}

/* zlib's inflate state with its 32 KiB window (inflateInit2 -15), as allocated */
#define WSG_INFLATE_MEM (32768 + 7200)

size_t wsg_conn_mem(const struct wsg_conn_d *c)
{
	size_t n = sizeof(*c) + c->cap + c->msg_cap;

	if (c->z)
		n += sizeof(*c->z) + WSG_INFLATE_MEM;
	if (c->hp)
		n += sizeof(*c->hp) + c->hp->body_cap;
	return n;
}

void wsg_conn_shrink(struct wsg_conn_d *c)
{
	if (c->z) {
		inflateEnd(c->z);
		free(c->z);
		c->z = NULL;
	}
	if (c->hp) {
		wsg_http_parser_free(c->hp);
		free(c->hp);
		c->hp = NULL;
	}
	free(c->base);
	free(c->msg);
	c->base = c->buf = c->msg = NULL;
	c->len = c->cap = c->parsed = c->releasable = 0;
	c->msg_len = c->msg_cap = 0;
}

void wsg_conn_free(struct wsg_conn_d *c)
{
	if (!c)
		return;
	wsg_conn_shrink(c);
	free(c);
}

struct wsg_conn_d *wsg_conns_get(__u64 cookie, int create)
{
	unsigned h = wsg_conn_hash(cookie);
	struct wsg_conn_d *c;

	for (c = wsg_conn_tab[h]; c; c = c->next)
		if (c->cookie == cookie)
			return c;
	if (!create)
		return NULL;
	c = wsg_conn_new(cookie);
	if (!c)
		return NULL;
	c->next = wsg_conn_tab[h];
	wsg_conn_tab[h] = c;
	return c;
}

void wsg_conns_del(__u64 cookie)
{
	struct wsg_conn_d **pp = &wsg_conn_tab[wsg_conn_hash(cookie)], *c;

	for (; (c = *pp); pp = &c->next) {
		if (c->cookie == cookie) {
			*pp = c->next;
			wsg_conn_free(c);
			return;
		}
	}
}

void wsg_conns_each(void (*fn)(struct wsg_conn_d *c, void *arg), void *arg)
{
	for (int i = 0; i < WSG_CONN_BUCKETS; i++) {
		struct wsg_conn_d *c = wsg_conn_tab[i], *next;

		for (; c; c = next) {
			next = c->next;
			fn(c, arg);
		}
	}
}

int wsg_buf_grow(unsigned char **buf, size_t *cap, size_t need)
{
	size_t ncap = *cap ? *cap : 4096;
	unsigned char *nb;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	nb = realloc(*buf, ncap);
	if (!nb)
		return -ENOMEM;
	*buf = nb;
	*cap = ncap;
	return 0;
}

int wsg_conn_append(struct wsg_conn_d *c, const void *p, size_t n)
{
	if (!n)
		return 0;
	/* custody ran empty: the kernel may have passed messages the daemon will never see */
	if (!c->len && c->mode == WSG_MODE_WS)
		c->sio.synced = 0;
	if ((size_t)(c->buf - c->base) + c->len + n > c->cap) {
		/* released bytes at the front make room first; the buffer grows only if full */
		if (c->len)
			memmove(c->base, c->buf, c->len);
		c->buf = c->base;
		if (wsg_buf_grow(&c->base, &c->cap, c->len + n))
			return -ENOMEM;
		c->buf = c->base;
	}
	memcpy(c->buf + c->len, p, n);
	c->len += n;
	return 0;
}

void wsg_conn_consume(struct wsg_conn_d *c, size_t n)
{
	if (n > c->releasable)
		n = c->releasable;
	if (!n)
		return;
	/* O(1): the front moves; wsg_conn_append compacts when it needs the room */
	c->buf += n;
	c->len -= n;
	c->parsed -= n;
	c->releasable -= n;
	c->released += n;
	if (c->len)
		return;
	c->buf = c->base;
	if (c->cap > WSG_KEEP_BUF) {
		/* a large message went out: do not keep its memory for an idle connection */
		free(c->base);
		c->base = c->buf = NULL;
		c->cap = 0;
	}
}

void wsg_verdict_block(struct wsg_verdict *v, enum wsg_reason reason)
{
	v->block = 1;
	v->reason = reason;
}

void wsg_conn_chunk(struct wsg_conn_d *c, const struct wsg_hold_hdr *h)
{
	c->hdr_seq = h->seq;
	c->hdr_status = h->status;
}

void wsg_conn_process(struct wsg_conn_d *c, struct wsg_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (c->dead)
		return;
	while (!v->block) {
		switch (c->mode) {
		case WSG_MODE_HTTP:
			wsg_stream_http(c, v);
			if (c->mode == WSG_MODE_HTTP)
				return;
			break;
		case WSG_MODE_UPGRADE:
			if (c->parsed == c->len)
				return;
			wsg_stream_answer(c, v);
			break;
		case WSG_MODE_WS:
			v->tr = WSG_TR_WEBSOCKET;
			return wsg_stream_ws(c, v);
		default:
			return;
		}
	}
}
