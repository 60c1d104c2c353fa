// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-connection custody processing: HTTP request, frames, reassembly, inflate, verdict, and
 * Socket.IO binary packets followed across messages. See conn.h for the contract. Only whole
 * judged messages become releasable, which is what lets the kernel restart its parser at a
 * message boundary when it catches up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
	free(c->buf);
	free(c->msg);
	c->buf = c->msg = NULL;
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

static int wsg_grow(unsigned char **buf, size_t *cap, size_t need)
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
	if (wsg_grow(&c->buf, &c->cap, c->len + n))
		return -ENOMEM;
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
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	c->parsed -= n;
	c->releasable -= n;
	c->released += n;
	if (!c->len && c->cap > WSG_KEEP_BUF) {
		/* a large message went out: do not keep its memory for an idle connection */
		free(c->buf);
		c->buf = NULL;
		c->cap = 0;
	}
}

void wsg_verdict_block(struct wsg_verdict *v, enum wsg_reason reason)
{
	v->block = 1;
	v->reason = reason;
}

int wsg_utf8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		unsigned cp, need;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return 0;
		if (i + need >= n)
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

static int wsg_inflate(struct wsg_conn_d *c, const unsigned char *in, size_t n,
		       unsigned char **out, size_t *out_len, struct wsg_verdict *v)
{
	static const unsigned char tail[4] = { 0, 0, 0xff, 0xff };
	static unsigned char *obuf;
	static size_t ocap;
	size_t limit = (n + 4) * WSG_INFLATE_RATIO, used = 0;
	int pass, ret = Z_OK;

	if (limit > WSG_MSG_MAX)
		limit = WSG_MSG_MAX;
	if (!c->z) {
		c->z = calloc(1, sizeof(*c->z));
		if (!c->z || inflateInit2(c->z, -15) != Z_OK) {
			free(c->z);
			c->z = NULL;
			wsg_verdict_block(v, WSG_R_BAD_DEFLATE);
			return -1;
		}
	}
	for (pass = 0; pass < 2; pass++) {
		c->z->next_in = (unsigned char *)(pass ? tail : in);
		c->z->avail_in = pass ? 4 : n;
		while (c->z->avail_in) {
			if (wsg_grow(&obuf, &ocap, used + 16384)) {
				wsg_verdict_block(v, WSG_R_LIMIT_INFLATE);
				return -1;
			}
			c->z->next_out = obuf + used;
			c->z->avail_out = 16384;
			ret = inflate(c->z, Z_SYNC_FLUSH);
			used += 16384 - c->z->avail_out;
			if (used > limit) {
				wsg_verdict_block(v, WSG_R_LIMIT_INFLATE);
				return -1;
			}
			if (ret == Z_BUF_ERROR && c->z->avail_out)
				break;
			if (ret != Z_OK && ret != Z_BUF_ERROR) {
				wsg_verdict_block(v, WSG_R_BAD_DEFLATE);
				return -1;
			}
		}
	}
	*out = obuf;
	*out_len = used;
	return 0;
}

/*
 * Socket.IO binary packets. socket.io-parser (Decoder.add) turns a type 5/6 text packet into
 * a BinaryReconstructor that takes the next `count` binary messages as its attachments and
 * throws, which makes the server close the connection, on a text packet while one is open
 * ("got plaintext data when reconstructing a packet"), on binary data while none is ("got
 * binary data when not reconstructing a packet"), on a count below 1 or above maxAttachments
 * (10) and on a placeholder num outside the attachments. Each of these is a block here with
 * its own reason (too many attachments stays the inspector's rule dec-007); an attachment
 * is inspected at "$attachment[<index>]", and one packet's attachments are bounded together.
 * The wsg_sio_* helpers return 1 (blocked, *v set), 0 (allowed) or -1 (not theirs: inspect
 * the message on its own).
 */

/* A finding in an attachment: its path is rooted at "$attachment[idx]" (idx < 0: unknown). */
static void wsg_sio_where(struct wsg_finding *f, int idx)
{
	const char *r = f->where;
	char head[32];
	size_t hl, rl;

	if (!strncmp(r, "$attachment", 11))
		r += 11;
	else if (r[0] == '$')
		r++;
	if (idx < 0)
		hl = (size_t)snprintf(head, sizeof(head), "$attachment");
	else
		hl = (size_t)snprintf(head, sizeof(head), "$attachment[%d]", idx);
	rl = strlen(r);
	if (hl + rl >= sizeof(f->where))
		rl = sizeof(f->where) - 1 - hl;
	memmove(f->where + hl, r, rl);
	f->where[hl + rl] = 0;
	memcpy(f->where, head, hl);
}

static int wsg_sio_inspect_data(const unsigned char *p, size_t n, int idx, struct wsg_verdict *v)
{
	if (!wsg_inspect(WSG_FW_SOCKETIO, 0, (const char *)p, n, &v->finding))
		return 0;
	wsg_sio_where(&v->finding, idx);
	wsg_verdict_block(v, WSG_R_DETECT);
	return 1;
}

/*
 * Binary data as socket.io-parser gets it: the next attachment of the open packet. With no
 * packet open it is a protocol error, unless the daemon may have missed the packet that
 * announced it (custody ran empty since it last saw a Socket.IO text packet).
 */
static int wsg_sio_data(struct wsg_conn_d *c, const unsigned char *p, size_t n,
			struct wsg_verdict *v)
{
	struct wsg_sio_event *e = &c->sio;
	int idx;

	if (!e->expect) {
		if (wsg_sio_inspect_data(p, n, -1, v))
			return 1;
		if (e->synced) {
			wsg_verdict_block(v, WSG_R_VIOL_SIO_UNEXPECTED);
			return 1;
		}
		return 0;
	}
	idx = (int)e->next++;
	e->expect--;
	e->bytes += n;
	if (e->bytes > WSG_SIO_MAX_ATTACH_BYTES) {
		wsg_verdict_block(v, WSG_R_LIMIT_SIO_ATTACH);
		return 1;
	}
	return wsg_sio_inspect_data(p, n, idx, v);
}

/* A binary message: Engine.IO v3 prefixes a message with its packet type, the byte 4. */
static int wsg_sio_binary(struct wsg_conn_d *c, const unsigned char *p, size_t n,
			  struct wsg_verdict *v)
{
	if (c->fw != WSG_FW_SOCKETIO)
		return -1;
	if (c->sio.eio == 3 && (!n || p[0] != 4))
		return -1; /* another Engine.IO packet type: never reaches socket.io-parser */
	if (c->sio.eio != 4 && n && p[0] == 4) {
		p++;
		n--;
	}
	return wsg_sio_data(c, p, n, v);
}

/* Engine.IO "b<base64>" (v3: "b4<base64>"): binary data sent as a text packet. */
static int wsg_sio_base64_msg(struct wsg_conn_d *c, const unsigned char *p, size_t n,
			      struct wsg_verdict *v)
{
	static unsigned char *buf;
	static size_t cap;
	size_t skip = c->sio.eio == 3 ? 2 : 1;

	if (c->sio.eio == 3 && (n < 2 || p[1] != '4'))
		return -1;
	if (wsg_grow(&buf, &cap, (n - skip) / 4 * 3 + 3)) {
		wsg_verdict_block(v, WSG_R_LIMIT_MESSAGE);
		return 1;
	}
	n = wsg_sio_base64((const char *)p + skip, n - skip, buf);
	return wsg_sio_data(c, buf, n, v);
}

/* A text message; a connection without a framework becomes Socket.IO at a binary packet. */
static int wsg_sio_text(struct wsg_conn_d *c, const unsigned char *p, size_t n,
			struct wsg_verdict *v)
{
	const char *s = (const char *)p;
	struct wsg_sio_event *e = &c->sio;
	struct wsg_sio sp;

	if (c->fw == WSG_FW_AUTO) {
		wsg_sio_parse(s, n, 1, &sp);
		if (!sp.binary)
			return -1;
		c->fw = WSG_FW_SOCKETIO;
	}
	if (c->fw != WSG_FW_SOCKETIO)
		return -1;
	if (n && p[0] == 'b')
		return wsg_sio_base64_msg(c, p, n, v);
	wsg_sio_parse(s, n, 0, &sp);
	if (sp.eio_type != '4')
		return -1; /* Engine.IO's own packets (ping, pong, ...) pass an open packet by */
	if (wsg_inspect(c->fw, 1, s, n, &v->finding)) {
		wsg_verdict_block(v, WSG_R_DETECT);
		return 1;
	}
	if (e->expect) {
		wsg_verdict_block(v, WSG_R_VIOL_SIO_INTERRUPTED);
		return 1;
	}
	e->synced = 1;
	if (sp.sio_type != '5' && sp.sio_type != '6')
		return 0;
	if (!sp.binary || !sp.attachments ||
	    !wsg_sio_placeholders_ok(s + sp.off, n - sp.off, sp.attachments)) {
		wsg_verdict_block(v, WSG_R_VIOL_SIO_COUNT);
		return 1;
	}
	e->expect = (unsigned)sp.attachments;
	e->next = 0;
	e->bytes = 0;
	return 0;
}

int wsg_judge_message(struct wsg_conn_d *c, int opcode, int compressed, const unsigned char *p,
		      size_t n, struct wsg_verdict *v)
{
	unsigned char *data = (unsigned char *)p;
	size_t len = n;
	int r;

	if (compressed && wsg_inflate(c, p, n, &data, &len, v))
		return 1;
	if (opcode == WSG_OP_TEXT && !wsg_utf8_valid(data, len)) {
		wsg_verdict_block(v, WSG_R_VIOL_UTF8);
		return 1;
	}
	r = opcode == WSG_OP_TEXT ? wsg_sio_text(c, data, len, v) : wsg_sio_binary(c, data, len, v);
	if (r > 0)
		return 1;
	if (r < 0 &&
	    wsg_inspect(c->fw, opcode == WSG_OP_TEXT, (const char *)data, len, &v->finding)) {
		wsg_verdict_block(v, WSG_R_DETECT);
		return 1;
	}
	v->messages++;
	return 0;
}

/* A frame header was parsed: bound the message before buffering any of it. */
static int wsg_conn_frame_start(struct wsg_conn_d *c, struct wsg_verdict *v)
{
	__u8 op = wsg_frame_opcode(&c->frame);

	if (op >= WSG_OP_CLOSE)
		return 0;
	if (op != WSG_OP_CONT) {
		c->msg_len = 0;
		c->msg_opcode = op;
	}
	if (c->frame.frags > WSG_FRAGS_MAX) {
		wsg_verdict_block(v, WSG_R_LIMIT_FRAGMENTS);
		return 1;
	}
	if (c->frame.len > WSG_MSG_MAX || c->msg_len + c->frame.len > WSG_MSG_MAX) {
		wsg_verdict_block(v, WSG_R_LIMIT_MESSAGE);
		return 1;
	}
	if (wsg_grow(&c->msg, &c->msg_cap, c->msg_len + c->frame.len + 1)) {
		wsg_verdict_block(v, WSG_R_LIMIT_MESSAGE);
		return 1;
	}
	return 0;
}

static int wsg_conn_frame_end(struct wsg_conn_d *c, struct wsg_verdict *v)
{
	const struct wsg_frame *f = &c->frame;

	if (wsg_frame_opcode(f) < WSG_OP_CLOSE && wsg_frame_fin(f)) {
		if (wsg_judge_message(c, c->msg_opcode, !!(f->flags & WSG_FF_MSG_COMPRESSED), c->msg,
				      c->msg_len, v))
			return 1;
		if (c->msg_cap > WSG_KEEP_BUF) {
			free(c->msg);
			c->msg = NULL;
			c->msg_cap = c->msg_len = 0;
		}
	}
	/* an open Socket.IO binary packet stays in custody until its last attachment */
	if (wsg_frame_at_boundary(f) && !c->sio.expect)
		c->releasable = c->parsed;
	return 0;
}

static void wsg_conn_payload(struct wsg_conn_d *c, size_t n)
{
	const unsigned char *src = c->buf + c->parsed;

	if (wsg_frame_opcode(&c->frame) < WSG_OP_CLOSE) {
		unsigned char *dst = c->msg + c->msg_len;

		for (size_t i = 0; i < n; i++)
			dst[i] = src[i] ^ c->frame.mask[(c->frame.moff + i) & 3];
		c->msg_len += n;
	}
	c->parsed += n;
}

static void wsg_conn_ws(struct wsg_conn_d *c, struct wsg_verdict *v)
{
	while (c->parsed < c->len && !v->block) {
		size_t n;
		int r;

		if (wsg_frame_in_header(&c->frame)) {
			r = wsg_frame_hdr_byte(&c->frame, c->buf[c->parsed++]);
			if (r < 0)
				return wsg_verdict_block(v, -r);
			if (r == WSG_FR_MORE || wsg_conn_frame_start(c, v))
				continue;
			if (r == WSG_FR_END)
				wsg_conn_frame_end(c, v);
			continue;
		}
		n = c->len - c->parsed;
		if (n > c->frame.remaining)
			n = c->frame.remaining;
		wsg_conn_payload(c, n);
		if (wsg_frame_payload(&c->frame, n) == WSG_FR_END)
			wsg_conn_frame_end(c, v);
	}
}

void wsg_conn_chunk(struct wsg_conn_d *c, const struct wsg_hold_hdr *h)
{
	c->hdr_seq = h->seq;
	c->hdr_status = h->status;
}

/*
 * After an upgrade request: the bytes that follow tell the backend's answer by the custody
 * header of their chunk (the kernel read the status line before the proxy could). Bytes in
 * a chunk that began before the answer existed were sent unanswered: no proxy does that.
 */
static void wsg_conn_answer(struct wsg_conn_d *c, struct wsg_verdict *v)
{
	__u16 status = c->answer;

	if (!status && c->hdr_seq == c->up_end)
		status = c->hdr_status;
	if (!status || status == 1)
		return wsg_verdict_block(v, WSG_R_UPGRADE_UNANSWERED);
	if (status != 101) {
		c->mode = WSG_MODE_HTTP;
		v->resp_forget = 1;
		return;
	}
	c->mode = WSG_MODE_WS;
	c->tr = WSG_TR_WEBSOCKET;
	memset(&c->frame, 0, sizeof(c->frame));
	c->frame.flags = WSG_FF_CLIENT | (c->pmd ? WSG_FF_RSV1_OK : 0);
	if (c->hp) {
		wsg_http_parser_free(c->hp);
		free(c->hp);
		c->hp = NULL;
	}
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
			wsg_conn_answer(c, v);
			break;
		case WSG_MODE_WS:
			v->tr = WSG_TR_WEBSOCKET;
			return wsg_conn_ws(c, v);
		default:
			return;
		}
	}
}
