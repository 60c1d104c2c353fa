/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel's prefilter: decides per payload byte whether a message may carry an attack.
 * The tables are built by the daemon from the detectors' anchors (user/prefilter.c) and
 * loaded into the wsg_prefilter map before attach; wsguard scan runs this same code.
 *
 * Soundness contract: every detector fires only when one of its anchors occurs in the
 * normalised text. An anchor occurs in the raw bytes (case-folded) unless a decoding step
 * produced it, and every decoding step needs an escape in the raw bytes. So a message is
 * suspicious as soon as it holds a trigger: a byte (one-byte anchors), a bigram (two- and
 * three-byte anchors, and two-byte escapes), or a 4-gram (one chosen from every longer
 * anchor). 4-grams live in a two-hash Bloom filter: a collision only costs a needless hold.
 *
 * Base64 blobs: normalisation does not decode base64 (no escape byte announces it), so the
 * daemon decodes only a blob whose raw bytes hold a run of WSG_PF_B64_RUN base64 letters
 * (A-Z a-z 0-9 +; '/' and '=' are in every path and assignment), and such a run is itself a
 * trigger.
 *
 * JavaScript/JSON \uXXXX escapes are decoded here instead of being triggers: the JSON
 * decoder and normalisation both turn a valid one into its code point, so the prefilter feeds
 * what they produce (an ASCII byte, or 0x80 standing for any non-ASCII code point, which no
 * anchor holds) and never the escape's own bytes. Where the two views could differ it triggers:
 * an escaped backslash before the 'u' ("\\u0041": JSON gives "\u0041", text gives "\A"), an
 * escape that decodes to NUL (normalisation drops it, JSON keeps it) or to a backslash (another
 * round), a malformed escape, and one the message ends in. wsg_pf_feed() is the entry point.
 *
 * Value delimiters: '"', '\n' and NUL fold to one class, 0, which is also what the zeroed
 * state holds before the first byte. So an anchor that begins with a JSON quote also gates a
 * value that begins the message (a plain-text message) or follows a line break (a STOMP
 * body); the daemon gates such values as if a quote preceded them (inspect.c).
 */
#ifndef WSG_PREFILTER_H
#define WSG_PREFILTER_H

#include "wsg_types.h"

#define WSG_PF_BIGRAM_BYTES 8192 /* one bit per (prev, cur) pair of folded bytes */
#define WSG_PF_GRAM_SHIFT 14	 /* 32-bit hash >> 14: an 18-bit Bloom index (32 KiB) */
#define WSG_PF_GRAM_BYTES (1 << (32 - WSG_PF_GRAM_SHIFT - 3))
#define WSG_PF_B64_RUN 20	 /* base64 letters in a row that make a blob */

struct wsg_pf_table {
	/*
	 * Bit (a << 8 | b): the folded pair a, b is a trigger. A single-byte trigger t sets the
	 * whole column (x, t), so one lookup per byte decides.
	 */
	__u8 bigram[WSG_PF_BIGRAM_BYTES];
	/* Pairs that end a trigger 4-gram: the Bloom filter is consulted only after one. */
	__u8 tail[WSG_PF_BIGRAM_BYTES];
	/* Bloom filter of trigger 4-grams (the last four folded bytes as a little-endian word) */
	__u8 gram4[WSG_PF_GRAM_BYTES];
	/* 1 for a base64 letter: a table, so the kernel counts runs without branching */
	__u8 b64[256];
	/* a run of this many base64 letters triggers; 0: off */
	__u32 b64_run;
};

/* Scan state of one message; zero it at every message start. */
struct wsg_pf_state {
	__u32 win;		/* the last four folded bytes, the newest in the low byte; the
				 * message start reads as delimiters */
	__u32 off;		/* payload bytes scanned in this message */
	__u32 hit_off;		/* payload offset of the first trigger in the message */
	__u8 prev;		/* previous folded byte of the message, 0 (a delimiter) at its start */
	__u8 hit;		/* a trigger has been seen */
	__u8 trig[2];		/* its last two bytes (folded) */
	__u32 run;		/* base64 letters in a row so far */
	__u8 esc;		/* enum wsg_pf_esc: where in a backslash escape */
	__u8 pad;
	__u16 acc;		/* hex digits of a \u escape so far */
};

/* Escape decoding state (wsg_pf_state.esc). */
enum wsg_pf_esc {
	WSG_PF_ESC_NONE,
	WSG_PF_ESC_BS,		/* a raw backslash read, not fed yet */
	WSG_PF_ESC_U,		/* "\u" read; + n: n hex digits read */
	WSG_PF_ESC_DONE = WSG_PF_ESC_U + 4,
};

/* ASCII case fold without a table; the value delimiters fold to 0 (see above). */
WSG_INLINE __u8 wsg_pf_fold(__u8 b)
{
	__u8 c = b | (((__u8)(b - 'A') < 26) << 5);

	return (b == '"' || b == '\n') ? 0 : c;
}

/* A base64 letter as the blob trigger counts them: A-Z a-z 0-9 + (see above). */
WSG_INLINE int wsg_pf_b64(__u8 b)
{
	__u8 l = b | 0x20;

	return (l >= 'a' && l <= 'z') || (b >= '0' && b <= '9') || b == '+';
}

/*
 * The run of base64 letters after raw byte b. Branch-free on purpose: a branch per byte on a
 * value the verifier tracks multiplies its states past the complexity limit.
 */
WSG_INLINE __u32 wsg_pf_run(const struct wsg_pf_table *t, __u32 run, __u8 b)
{
	return (run + 1) * t->b64[b];
}

/* The table lookup: is the folded pair (prev, c) a trigger? */
WSG_INLINE int wsg_pf_hit(const struct wsg_pf_table *t, __u8 prev, __u8 c)
{
	__u32 idx = ((__u32)prev << 8) | c;

	return (t->bigram[idx >> 3] >> (idx & 7)) & 1;
}

WSG_INLINE __u32 wsg_pf_h1(__u32 win)
{
	return (win * 0x9e3779b1u) >> WSG_PF_GRAM_SHIFT;
}

WSG_INLINE __u32 wsg_pf_h2(__u32 win)
{
	return (win * 0x85ebca77u) >> WSG_PF_GRAM_SHIFT;
}

/* Is the 4-gram win, whose last pair is (prev, c), a trigger (both Bloom bits set)? */
WSG_INLINE int wsg_pf_hit4(const struct wsg_pf_table *t, __u8 prev, __u8 c, __u32 win)
{
	__u32 idx = ((__u32)prev << 8) | c, a, b;

	if (!((t->tail[idx >> 3] >> (idx & 7)) & 1))
		return 0;
	a = wsg_pf_h1(win);
	b = wsg_pf_h2(win);
	return (t->gram4[a >> 3] >> (a & 7)) & (t->gram4[b >> 3] >> (b & 7)) & 1;
}

/* Feed one unmasked payload byte; returns nonzero when it completes a trigger. */
WSG_INLINE int wsg_pf_byte(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	__u8 c = wsg_pf_fold(b);
	int hit;

	s->win = (s->win << 8) | c;
	s->run = wsg_pf_run(t, s->run, b);
	hit = wsg_pf_hit(t, s->prev, c) || wsg_pf_hit4(t, s->prev, c, s->win) ||
	      (t->b64_run && s->run == t->b64_run);

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

WSG_INLINE int wsg_pf_hexval(__u8 b)
{
	__u8 l = b | 0x20;

	if (b >= '0' && b <= '9')
		return b - '0';
	return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
}

/*
 * Byte b while s->esc is set. Returns 1 on a trigger, 0 when b was consumed by the escape,
 * -1 when it was not (the backslash before it has been fed; b goes the normal way).
 */
WSG_INLINE int wsg_pf_esc_byte(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	int h;

	if (s->esc == WSG_PF_ESC_BS) {
		if (b == 'u') {
			s->esc = WSG_PF_ESC_U;
			s->acc = 0;
			return s->prev == '\\'; /* "\\u": the views differ (see above) */
		}
		s->esc = WSG_PF_ESC_NONE;
		return wsg_pf_byte(t, s, '\\') ? 1 : -1;
	}
	h = wsg_pf_hexval(b);
	if (h < 0)
		return 1;	/* a malformed \u stays in the text the detectors see */
	s->acc = (__u16)(s->acc << 4 | h);
	if (++s->esc < WSG_PF_ESC_DONE)
		return 0;
	s->esc = WSG_PF_ESC_NONE;
	if (!s->acc || s->acc == '\\')
		return 1;
	return wsg_pf_byte(t, s, s->acc < 0x80 ? (__u8)s->acc : 0x80);
}

/*
 * Feed one unmasked payload byte with \u escapes decoded; nonzero when a trigger completes.
 * At the message end, wsg_pf_end() says whether an escape was left open (a trigger too).
 */
WSG_INLINE int wsg_pf_feed(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	if (s->esc) {
		int r = wsg_pf_esc_byte(t, s, b);

		if (r >= 0)
			return r;
	}
	if (b == '\\') {
		s->esc = WSG_PF_ESC_BS;
		return 0;
	}
	return wsg_pf_byte(t, s, b);
}

WSG_INLINE int wsg_pf_end(const struct wsg_pf_state *s)
{
	return s->esc != WSG_PF_ESC_NONE;
}

WSG_INLINE void wsg_pf_set_bigram(struct wsg_pf_table *t, __u8 a, __u8 b)
{
	__u32 idx = ((__u32)wsg_pf_fold(a) << 8) | wsg_pf_fold(b);

	t->bigram[idx >> 3] |= 1 << (idx & 7);
}

/* The 4-gram a[0..3] (folded) as a trigger. */
WSG_INLINE void wsg_pf_set_gram4(struct wsg_pf_table *t, const char *a)
{
	__u32 win = 0, h;

	for (int i = 0; i < 4; i++)
		win = (win << 8) | wsg_pf_fold(a[i]);
	h = ((__u32)wsg_pf_fold(a[2]) << 8) | wsg_pf_fold(a[3]);
	t->tail[h >> 3] |= 1 << (h & 7);
	h = wsg_pf_h1(win);
	t->gram4[h >> 3] |= 1 << (h & 7);
	h = wsg_pf_h2(win);
	t->gram4[h >> 3] |= 1 << (h & 7);
}

/* The base64 letters and the run length that makes a blob a trigger. */
WSG_INLINE void wsg_pf_set_b64(struct wsg_pf_table *t, __u32 run)
{
	for (__u32 b = 0; b < 256; b++)
		t->b64[b] = wsg_pf_b64(b);
	t->b64_run = run;
}

/* A byte that triggers whatever precedes it (including the message start, prev 0). */
WSG_INLINE void wsg_pf_set_byte(struct wsg_pf_table *t, __u8 b)
{
	for (__u32 a = 0; a < 256; a++)
		wsg_pf_set_bigram(t, a, b);
}

#endif /* WSG_PREFILTER_H */
