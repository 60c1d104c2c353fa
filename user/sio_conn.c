// SPDX-License-Identifier: GPL-2.0-only
/*
 * Socket.IO binary packets followed across the messages of one connection (struct
 * wsg_sio_event), as socket.io-parser's BinaryReconstructor follows them; see below.
 */
#include <stdio.h>
#include <string.h>
#include "conn.h"
#include "decode.h"

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
int wsg_sio_binary(struct wsg_conn_d *c, const unsigned char *p, size_t n,
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
	if (wsg_buf_grow(&buf, &cap, (n - skip) / 4 * 3 + 3)) {
		wsg_verdict_block(v, WSG_R_LIMIT_MESSAGE);
		return 1;
	}
	n = wsg_sio_base64((const char *)p + skip, n - skip, buf);
	return wsg_sio_data(c, buf, n, v);
}

/* A text message; a connection without a framework becomes Socket.IO at a binary packet. */
int wsg_sio_text(struct wsg_conn_d *c, const unsigned char *p, size_t n,
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
	if (wsg_inspect_sio_packet(s, n, &sp, &v->finding)) {
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

