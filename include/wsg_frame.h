/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one RFC 6455 frame parser, compiled unchanged into the sk_msg program and the daemon.
 * It owns frame-header decoding, the structural rules the RFC says must fail the connection,
 * and message sequencing (fragments, interleaved control frames). It never touches payload
 * bytes: callers skip or unmask them with wsg_frame_payload() and wsg_frame_mask_byte().
 * Size and UTF-8 policy live with the callers.
 *
 * Contract: zero the state, set flags (WSG_FF_CLIENT, WSG_FF_RSV1_OK), then feed header bytes
 * one at a time with wsg_frame_hdr_byte() while wsg_frame_in_header() is true, and payload
 * counts with wsg_frame_payload() otherwise. Any split of the stream gives the same results.
 * Errors are sticky: once a call returned -reason, every later call returns it again.
 */
#ifndef WSG_FRAME_H
#define WSG_FRAME_H

#include "wsg_types.h"
#include "wsg_reasons.h"

enum wsg_frame_state { WSG_FS_B0, WSG_FS_B1, WSG_FS_EXTLEN, WSG_FS_MASK, WSG_FS_PAYLOAD };

enum wsg_frame_flag {
	WSG_FF_CLIENT = 1,		/* client-to-server: every frame must be masked */
	WSG_FF_RSV1_OK = 2,		/* an extension may set RSV1 (permessage-deflate) */
	WSG_FF_MSG_COMPRESSED = 4,	/* the message in progress has RSV1 set */
};

enum wsg_frame_ret {
	WSG_FR_MORE = 0,	/* need more bytes */
	WSG_FR_HDR = 1,		/* header complete, payload bytes follow */
	WSG_FR_END = 2,		/* a frame is complete (after its header or its last payload byte) */
};

enum wsg_ws_opcode {
	WSG_OP_CONT = 0, WSG_OP_TEXT = 1, WSG_OP_BINARY = 2,
	WSG_OP_CLOSE = 8, WSG_OP_PING = 9, WSG_OP_PONG = 10,
};

struct wsg_frame {
	__u64 len;		/* payload length of the current frame */
	__u64 remaining;	/* payload bytes of the current frame still to come */
	__u8 state;		/* enum wsg_frame_state */
	__u8 need;		/* bytes still expected in EXTLEN or MASK */
	__u8 hdr0;		/* FIN, RSV1-3, opcode of the current frame */
	__u8 hdr1;		/* MASK bit, 7-bit length of the current frame */
	__u8 mask[4];		/* masking key of the current frame */
	__u8 moff;		/* mask index of the next payload byte (0..3) */
	__u8 msg_op;		/* WSG_OP_TEXT/BINARY while a data message is open, else 0 */
	__u8 flags;		/* enum wsg_frame_flag */
	__u8 err;		/* sticky enum wsg_reason, 0 while healthy */
	__u16 frags;		/* frames of the open data message so far */
	__u8 pad[2];
};
WSG_STATIC_ASSERT(sizeof(struct wsg_frame) == 32, "wsg_frame is ABI (SK_STORAGE)");

WSG_INLINE __u8 wsg_frame_opcode(const struct wsg_frame *st) { return st->hdr0 & 0x0f; }
WSG_INLINE int wsg_frame_fin(const struct wsg_frame *st) { return st->hdr0 >> 7; }
WSG_INLINE int wsg_frame_in_header(const struct wsg_frame *st) { return st->state != WSG_FS_PAYLOAD; }
/* True between frames only when no fragmented data message is open. */
WSG_INLINE int wsg_frame_at_boundary(const struct wsg_frame *st)
{
	return st->state == WSG_FS_B0 && !st->msg_op;
}
/* Mask byte for the next payload byte (0 for unmasked frames). */
WSG_INLINE __u8 wsg_frame_mask_byte(const struct wsg_frame *st)
{
	return (st->hdr1 & 0x80) ? st->mask[st->moff & 3] : 0;
}

WSG_INLINE int wsg_frame_fail(struct wsg_frame *st, int reason)
{
	st->err = reason;
	return -reason;
}

/* Message sequencing and the RFC's must-fail rules on the first two header bytes. */
WSG_INLINE int wsg_frame_check_b01(struct wsg_frame *st)
{
	__u8 op = st->hdr0 & 0x0f, rsv = st->hdr0 & 0x70, len7 = st->hdr1 & 0x7f;
	int fin = st->hdr0 >> 7;

	if (rsv & 0x30)
		return wsg_frame_fail(st, WSG_R_VIOL_RSV);
	if ((st->flags & WSG_FF_CLIENT) && !(st->hdr1 & 0x80))
		return wsg_frame_fail(st, WSG_R_VIOL_UNMASKED);
	if (op >= WSG_OP_CLOSE) {
		if (op > WSG_OP_PONG)
			return wsg_frame_fail(st, WSG_R_VIOL_OPCODE);
		if (!fin)
			return wsg_frame_fail(st, WSG_R_VIOL_CTRL_FRAG);
		if (len7 > 125)
			return wsg_frame_fail(st, WSG_R_VIOL_CTRL_LEN);
		if (rsv)
			return wsg_frame_fail(st, WSG_R_VIOL_RSV);
		return 0;
	}
	if (op == WSG_OP_CONT) {
		if (!st->msg_op)
			return wsg_frame_fail(st, WSG_R_VIOL_CONT);
		if (rsv) /* RSV1 marks only the first frame of a compressed message */
			return wsg_frame_fail(st, WSG_R_VIOL_RSV);
		st->frags++;
		return 0;
	}
	if (op > WSG_OP_BINARY)
		return wsg_frame_fail(st, WSG_R_VIOL_OPCODE);
	if (st->msg_op)
		return wsg_frame_fail(st, WSG_R_VIOL_NOCONT);
	if (rsv && !(st->flags & WSG_FF_RSV1_OK))
		return wsg_frame_fail(st, WSG_R_VIOL_RSV);
	st->msg_op = op;
	st->frags = 1;
	if (rsv)
		st->flags |= WSG_FF_MSG_COMPRESSED;
	else
		st->flags &= ~WSG_FF_MSG_COMPRESSED;
	return 0;
}

WSG_INLINE void wsg_frame_end(struct wsg_frame *st)
{
	st->state = WSG_FS_B0;
	if (wsg_frame_fin(st) && wsg_frame_opcode(st) < WSG_OP_CLOSE) {
		st->msg_op = 0;
		st->frags = 0;
	}
}

WSG_INLINE int wsg_frame_start_payload(struct wsg_frame *st)
{
	st->remaining = st->len;
	st->moff = 0;
	if (!st->len) {
		wsg_frame_end(st);
		return WSG_FR_END;
	}
	st->state = WSG_FS_PAYLOAD;
	return WSG_FR_HDR;
}

WSG_INLINE int wsg_frame_after_len(struct wsg_frame *st)
{
	if (st->hdr1 & 0x80) {
		st->state = WSG_FS_MASK;
		st->need = 4;
		return WSG_FR_MORE;
	}
	return wsg_frame_start_payload(st);
}

WSG_INLINE int wsg_frame_b1(struct wsg_frame *st)
{
	__u8 len7 = st->hdr1 & 0x7f;
	int err = wsg_frame_check_b01(st);

	if (err)
		return err;
	st->len = 0;
	if (len7 >= 126) {
		st->state = WSG_FS_EXTLEN;
		st->need = len7 == 126 ? 2 : 8;
		return WSG_FR_MORE;
	}
	st->len = len7;
	return wsg_frame_after_len(st);
}

WSG_INLINE int wsg_frame_extlen_done(struct wsg_frame *st)
{
	if ((st->hdr1 & 0x7f) == 126)
		return st->len < 126 ? wsg_frame_fail(st, WSG_R_VIOL_LEN_NONMIN) : 0;
	if (st->len >> 63)
		return wsg_frame_fail(st, WSG_R_VIOL_LEN64);
	return st->len < 65536 ? wsg_frame_fail(st, WSG_R_VIOL_LEN_NONMIN) : 0;
}

/* Feed one header byte. Returns WSG_FR_MORE, WSG_FR_HDR, WSG_FR_END or -reason. */
WSG_INLINE int wsg_frame_hdr_byte(struct wsg_frame *st, __u8 b)
{
	int err;

	if (st->err)
		return -(int)st->err;
	switch (st->state) {
	case WSG_FS_B0:
		st->hdr0 = b;
		st->state = WSG_FS_B1;
		return WSG_FR_MORE;
	case WSG_FS_B1:
		st->hdr1 = b;
		return wsg_frame_b1(st);
	case WSG_FS_EXTLEN:
		st->len = (st->len << 8) | b;
		if (--st->need)
			return WSG_FR_MORE;
		err = wsg_frame_extlen_done(st);
		return err ? err : wsg_frame_after_len(st);
	case WSG_FS_MASK:
		/* & 3: the verifier cannot bound an index derived from map state otherwise. */
		st->mask[(4 - st->need) & 3] = b;
		if (--st->need)
			return WSG_FR_MORE;
		return wsg_frame_start_payload(st);
	}
	return wsg_frame_fail(st, WSG_R_FAIL_PROTO); /* payload byte fed as header: caller bug */
}

/*
 * Account for n payload bytes (n <= remaining). Returns WSG_FR_END when the frame is done,
 * or the sticky -reason of an earlier error.
 */
WSG_INLINE int wsg_frame_payload(struct wsg_frame *st, __u64 n)
{
	if (st->err)
		return -(int)st->err;
	st->remaining -= n;
	st->moff = (st->moff + n) & 3;
	if (st->remaining)
		return WSG_FR_MORE;
	wsg_frame_end(st);
	return WSG_FR_END;
}

#endif /* WSG_FRAME_H */
