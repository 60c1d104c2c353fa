// SPDX-License-Identifier: GPL-2.0-only
/*
 * The WebSocket side of a protected connection: the answer to the upgrade request (101 turns
 * the stream into frames), then RFC 6455 frames with the parser the kernel runs, message
 * reassembly (unmasking, fragments), permessage-deflate, UTF-8, and the verdict per message.
 * Only whole judged messages become releasable, which is what lets the kernel restart its
 * parser at a message boundary when it catches up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "decode.h"

#define WSG_KEEP_MSG (64u << 10)	/* a message buffer larger than this is freed once judged */

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
			if (wsg_buf_grow(&obuf, &ocap, used + 16384)) {
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
	if (wsg_buf_grow(&c->msg, &c->msg_cap, c->msg_len + c->frame.len + 1)) {
		wsg_verdict_block(v, WSG_R_LIMIT_MESSAGE);
		return 1;
	}
	return 0;
}

static int wsg_conn_frame_end(struct wsg_conn_d *c, struct wsg_verdict *v)
{
	const struct wsg_frame *f = &c->frame;

	if (wsg_frame_opcode(f) < WSG_OP_CLOSE && wsg_frame_fin(f)) {
		int z = !!(f->flags & WSG_FF_MSG_COMPRESSED);

		if (wsg_judge_message(c, c->msg_opcode, z, c->msg, c->msg_len, v))
			return 1;
		if (c->msg_cap > WSG_KEEP_MSG) {
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

void wsg_stream_ws(struct wsg_conn_d *c, struct wsg_verdict *v)
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

/*
 * After an upgrade request: the bytes that follow tell the backend's answer by the custody
 * header of their chunk (the kernel read the status line before the proxy could). Bytes in
 * a chunk that began before the answer existed were sent unanswered: no proxy does that.
 */
void wsg_stream_answer(struct wsg_conn_d *c, struct wsg_verdict *v)
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

