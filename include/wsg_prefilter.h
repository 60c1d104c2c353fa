/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel's prefilter: decides per payload byte whether a message may carry an attack.
 * The tables are built by the daemon from the detectors' anchors (user/prefilter.c) and
 * loaded into the wsg_prefilter map before attach; wsguard scan runs this same code.
 *
 * Soundness contract: every detector fires only when one of its anchors occurs in the
 * normalised text. An anchor occurs in the raw bytes (case-folded) unless a decoding step
 * produced it, and every decoding step needs an escape byte. So a message is suspicious as
 * soon as it contains a trigger byte (single-byte anchors and escape bytes) or a trigger
 * bigram (one bigram chosen from every longer anchor).
 */
#ifndef WSG_PREFILTER_H
#define WSG_PREFILTER_H

#include "wsg_types.h"

#define WSG_PF_BIGRAM_BYTES 8192 /* one bit per (prev, cur) pair of folded bytes */

struct wsg_pf_table {
	/*
	 * Bit (a << 8 | b): the folded pair a, b is a trigger. A single-byte trigger t sets the
	 * whole column (x, t), so one lookup per byte decides.
	 */
	__u8 bigram[WSG_PF_BIGRAM_BYTES];
};

/* Scan state of one message; zero it at every message start. */
struct wsg_pf_state {
	__u8 prev;		/* previous folded byte of the message, 0 at its start */
	__u8 trig[2];		/* first trigger seen: (prev, cur) folded */
	__u8 hit;		/* a trigger has been seen */
	__u32 hit_off;		/* payload offset of that trigger in the message */
	__u32 off;		/* payload bytes scanned in this message */
	__u32 pad;
};

/* ASCII case fold without a table. */
WSG_INLINE __u8 wsg_pf_fold(__u8 b)
{
	return b | (((__u8)(b - 'A') < 26) << 5);
}

/* The table lookup: is the folded pair (prev, c) a trigger? */
WSG_INLINE int wsg_pf_hit(const struct wsg_pf_table *t, __u8 prev, __u8 c)
{
	__u32 idx = ((__u32)prev << 8) | c;

	return (t->bigram[idx >> 3] >> (idx & 7)) & 1;
}

/* Feed one unmasked payload byte; returns nonzero when it completes a trigger. */
WSG_INLINE int wsg_pf_byte(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	__u8 c = wsg_pf_fold(b);
	int hit = wsg_pf_hit(t, s->prev, c);

	if (hit && !s->hit) {
		s->hit = 1;
		s->trig[0] = s->prev;
		s->trig[1] = c;
		s->hit_off = s->off;
	}
	s->prev = c;
	s->off++;
	return hit;
}

WSG_INLINE void wsg_pf_set_bigram(struct wsg_pf_table *t, __u8 a, __u8 b)
{
	__u32 idx = ((__u32)wsg_pf_fold(a) << 8) | wsg_pf_fold(b);

	t->bigram[idx >> 3] |= 1 << (idx & 7);
}

/* A byte that triggers whatever precedes it (including the message start, prev 0). */
WSG_INLINE void wsg_pf_set_byte(struct wsg_pf_table *t, __u8 b)
{
	for (__u32 a = 0; a < 256; a++)
		wsg_pf_set_bigram(t, a, b);
}

#endif /* WSG_PREFILTER_H */
