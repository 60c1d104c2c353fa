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
 * three-byte anchors, and two-byte escapes), or a piece of a longer anchor: 4 of its bytes,
 * or all 8 of a window from 8 bytes on (the last 8 folded bytes are the window). Pieces
 * live in a two-hash Bloom filter (a collision only costs a needless hold); the pair a
 * piece ends says which length to probe, one per pair (user/prefilter.c).
 *
 * Base64 blobs: normalisation does not decode base64 (no escape byte announces it), so the
 * daemon decodes a token (a run of A-Z a-z 0-9 + / - _) only when its raw bytes hold a run of
 * WSG_PF_B64_RUN base64 letters (A-Z a-z 0-9 +; '/' and '=' are in every path and
 * assignment), and inspects what it decodes only when that is text (WSG_PF_B64_MIN_TEXT
 * bytes or more, 90% printable or well-formed UTF-8, wsg_pf_text_byte). The prefilter does
 * the same: at such a run (WSG_PF_BLOB) its caller walks back over the raw token bytes to
 * the token's start, decodes the token from there (wsg_pf_blob_*), runs the decoded bytes
 * through a second prefilter state, and triggers only when they are text and hold a
 * trigger. A hex id or a random key decodes to binary and passes; a JWT's JSON claims are
 * text and are scanned. A token whose raw bytes may not be the string's triggers at the run,
 * as every run did before: one a backslash precedes ("\/" is '/' in JSON; "\n" ends a token
 * that text goes on with "n"), one with an escape in it (the walk stops at its backslash),
 * one that ends at a backslash, one a decoder may cut (wsg_pf_blob_unsure), and every run
 * in a binary message (a MessagePack length byte may be a token byte).
 *
 * Two views of a message. The daemon inspects a JSON string as JSON decodes it ("\/" is '/',
 * "\"" a quote, "\n" a line break: bytes the raw message does not show side by side), and
 * text that is no JSON as it is. The prefilter checks every pair and piece in both: the
 * text view feeds the raw bytes, the JSON view (jwin, jprev) the string JSON decodes. They
 * differ only around a backslash, so the kernel scans with the text view alone and feeds
 * both (wsg_pf_feed) from a backslash until they agree again (wsg_pf_synced).
 *
 * JavaScript/JSON \uXXXX escapes are decoded in both views instead of being triggers: the
 * JSON decoder and normalisation both turn a valid one into its code point, so the prefilter
 * feeds what they produce (an ASCII byte, or 0x80 standing for any non-ASCII code point,
 * which no anchor holds) and never the escape's own bytes. Where they could still differ it
 * triggers: an escaped backslash before the 'u' ("\\u0041": JSON gives "\u0041", text gives "\A"), an
 * escape that decodes to NUL (normalisation drops it, JSON keeps it) or to a backslash (another
 * round), a malformed escape, and one the message ends in. wsg_pf_feed() is the entry point.
 *
 * Decoding bounds (wsg_limits.h): the daemon blocks a message with too much structure, and
 * no anchor announces that. Each raw byte adds its weight (units[]) to one count per
 * message, which triggers past WSG_PF_UNITS_MAX: an opener '[' '{' weighs a 32nd of it (33
 * openers pass it, and nesting needs an opener per level), a value separator ',' ':' '\n'
 * a 10000th (values, STOMP headers), a record end (0x1E, NUL) a 1000th, a quote a 2000th
 * (a GraphQL literal has two). In a binary message (MessagePack, or text the daemon falls
 * back to) every byte may be a record as well (so one over WSG_RECORDS_MAX bytes is always
 * held), and MessagePack container bytes are openers. Socket.IO's attachment count is a trigger
 * of its own (wsg_inspect_triggers).
 *
 * Line anchors: an anchor of a rule that needs a line break too ("subscribe" as an IMAP
 * command after a CRLF, "content-type" as a header after one) gates a detector only in a
 * string that holds that break (rules.c). Its pieces mark their pairs with the need
 * (WSG_PF_PAIR_NEED; a pair that also ends a plain anchor's piece has none), and the state
 * keeps per message what line anchors need and which breaks either view has seen (a raw
 * CR or LF, a JSON "\r" "\n", a \u escape of one); the trigger is the pair of both, in
 * either order. Per message, not per string: looser than the daemon, so sound.
 *
 * STOMP: on a STOMP connection (the profile the daemon sets in wsg_rel) the daemon inspects
 * every header name and value as a string of its own, so the LFs that end the header lines
 * of a SEND frame are no breaks inside a string: a message that starts "SEND\n" counts no LF
 * as a break until the blank line ends the header block. A backslash there (a header escape
 * may decode to a break) or any other start counts every LF; a CR always counts. A header
 * block the message ends in (no frame the daemon parses) counts the LFs it muted.
 *
 * Value delimiters: '"', '\n' and NUL fold to one class, 0, which is also what the zeroed
 * state holds before the first byte. So an anchor that begins with a JSON quote also gates a
 * value that begins the message (a plain-text message) or follows a line break (a STOMP
 * body); the daemon gates such values as if a quote preceded them (inspect.c).
 */
#ifndef WSG_PREFILTER_H
#define WSG_PREFILTER_H

#include "wsg_types.h"
#include "wsg_limits.h"
#include "wsg_pf_gql.h"

#define WSG_PF_PAIRS 65536	 /* (prev, cur) pairs of folded bytes */
#define WSG_PF_GRAM_SHIFT 46	 /* 64-bit hash >> 46: an 18-bit Bloom index (32 KiB) */
#define WSG_PF_GRAM_BYTES (1 << (64 - WSG_PF_GRAM_SHIFT - 3))
#define WSG_PF_GRAM_MAX 8	 /* the window: the last 8 folded bytes */
#define WSG_PF_B64_RUN 20	 /* base64 letters in a row that make a blob */
#define WSG_PF_B64_MIN_TEXT 8	 /* decoded bytes worth inspecting as text */

/* The structure count (see above): weights of one byte, and the count that triggers. */
#define WSG_PF_UNITS_MAX (WSG_JSON_MAX_NODES * 100)
#define WSG_PF_W_VALUE (WSG_PF_UNITS_MAX / WSG_JSON_MAX_NODES)
#define WSG_PF_W_OPEN (WSG_PF_UNITS_MAX / WSG_JSON_MAX_DEPTH)
#define WSG_PF_W_RECORD (WSG_PF_UNITS_MAX / WSG_RECORDS_MAX)
#define WSG_PF_W_QUOTE (WSG_PF_UNITS_MAX / (2 * WSG_GQL_MAX_LITERALS))

/*
 * A connection's profile (wsg_rel.profile): what the daemon decodes its messages as, where
 * the prefilter reads them differently. STOMP: the first frame's header lines are separate
 * strings (see "STOMP" above). GRAPHQL: a document's text outside its literals is never
 * inspected (include/wsg_pf_gql.h).
 */
enum wsg_pf_profile { WSG_PF_GENERIC, WSG_PF_STOMP, WSG_PF_GRAPHQL };

/* Where in a STOMP SEND frame's head a message is (wsg_pf_state.stomp). */
enum wsg_pf_stomp {
	WSG_PF_STOMP_OFF,
	WSG_PF_STOMP_CMD,	/* + n: n bytes of "SEND\n" read */
	WSG_PF_STOMP_HDR = WSG_PF_STOMP_CMD + 5,	/* in the header lines */
	WSG_PF_STOMP_END,	/* the blank line's LF: the body follows */
};
#define WSG_PF_STOMP_MUTED 0x80	/* a LF was not counted as a break */

/* What wsg_pf_byte() and wsg_pf_feed() return. */
enum { WSG_PF_NONE, WSG_PF_TRIG, WSG_PF_BLOB /* a blob to decode (wsg_pf_blob_*) */ };

/*
 * Line breaks, for line anchors (user/detect.h): a need says what break a line anchor wants
 * in its string (CR: a carriage return, EOL: either), a brk which breaks were seen.
 */
#define WSG_PF_BRK_CR 1
#define WSG_PF_BRK_LF 2		/* in a brk */
#define WSG_PF_BRK_EOL 2	/* in a need */

/* struct wsg_pf_table.pair[] fields */
#define WSG_PF_PAIR_TRIG 1	/* the pair is a trigger */
#define WSG_PF_PAIR_ESC 2	/* its second byte is a backslash (the kernel's escape path) */
#define WSG_PF_PAIR_TAIL4 4	/* it ends a trigger 4-gram: ask the Bloom filter */
#define WSG_PF_PAIR_TAIL8 8	/* it ends a trigger 8-gram: ask it for the whole window */
#define WSG_PF_PAIR_NEED 4	/* shift: what every trigger at the pair needs, WSG_PF_BRK_* */

/* struct wsg_pf_table.byte[] fields */
#define WSG_PF_B_FOLD 0xff	/* the folded byte (wsg_pf_fold) */
#define WSG_PF_B_LETTER 0x100	/* a base64 letter (wsg_pf_b64) */
#define WSG_PF_B_BRK 9		/* shift: the line break it is, WSG_PF_BRK_CR or _LF */
#define WSG_PF_B_UNITS 16	/* the weight in the structure count, in the high half */

/*
 * The tables. What the kernel needs per byte is two loads: the raw byte's entry (folded
 * byte, letter, backslash, weight) and the folded pair's.
 */
struct wsg_pf_table {
	/*
	 * Per folded pair (a << 8 | b): WSG_PF_PAIR_*. A single-byte trigger t sets the whole
	 * column (x, t), so one lookup per byte decides.
	 */
	__u8 pair[WSG_PF_PAIRS];
	/* Bloom filter of trigger pieces (the last 4-8 folded bytes, see wsg_pf_gram) */
	__u8 gram[WSG_PF_GRAM_BYTES];
	/* per raw byte, [0..255] in text, [256..511] in a binary message: WSG_PF_B_* */
	__u32 byte[512];
	/* 1 for a byte of a base64 token (the letters, '/', '-', '_') */
	__u8 tok[256];
	/* the 6-bit value of a token byte (standard and URL-safe alphabets) */
	__u8 b64v[256];
	/* a run of this many base64 letters makes a blob; 0: off */
	__u32 b64_run;
};

/* Scan state of one message; zero it at every message start. */
struct wsg_pf_state {
	__u64 win;		/* the last eight folded bytes, the newest in the low byte; the
				 * message start reads as delimiters */
	/* the JSON view (see above): win, prev, esc and acc of the string JSON decodes */
	__u64 jwin;
	__u32 off;		/* payload bytes scanned in this message */
	__u32 hit_off;		/* payload offset of the first trigger in the message */
	__u8 prev;		/* previous folded byte of the message, 0 (a delimiter) at its start */
	__u8 hit;		/* a trigger has been seen */
	__u8 trig[2];		/* its last two bytes (folded) */
	__u32 run;		/* base64 letters in a row so far */
	__u8 esc;		/* enum wsg_pf_esc: where in a backslash escape */
	__u8 slow;		/* kernel: bytes go through wsg_pf_feed until the views agree */
	__u16 acc;		/* hex digits of a \u escape so far */
	__u8 jprev;
	__u8 jesc;
	__u16 jacc;
	__u32 units;		/* the structure count */
	__u8 bin;		/* a binary message: 1 (set at its start, selects the weights) */
	__u8 need;		/* what the line anchors seen so far need (WSG_PF_BRK_*) */
	__u8 brk;		/* the line breaks seen so far, in either view */
	__u8 stomp;		/* enum wsg_pf_stomp, | WSG_PF_STOMP_MUTED */
	struct wsg_gq gq;	/* a GraphQL connection's text message (st: WSG_GQ_OFF if not) */
};

/* Whether decoded bytes are text: bytes, and those printable or in well-formed UTF-8. */
struct wsg_pf_text {
	__u32 n;
	__u32 ok;
	__u8 need;		/* continuation bytes the current UTF-8 sequence still needs */
	__u8 seq;		/* bytes of it so far */
	__u8 pad[2];
};

/* A blob being decoded: the decoded bytes' own prefilter state and what the daemon checks. */
struct wsg_pf_blob {
	struct wsg_pf_state st;
	struct wsg_pf_text txt;
	__u32 acc;		/* undecoded bits */
	__u32 bits;
	__u32 hit;		/* the decoded bytes hold a trigger */
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
	return (run + 1) * ((t->byte[b] & WSG_PF_B_LETTER) >> 8);
}

/* The table lookup: is the folded pair (prev, c) a trigger? */
WSG_INLINE int wsg_pf_hit(const struct wsg_pf_table *t, __u8 prev, __u8 c)
{
	__u32 idx = ((__u32)prev << 8) | c;

	return t->pair[idx] & WSG_PF_PAIR_TRIG;
}

WSG_INLINE __u32 wsg_pf_h1(__u64 m)
{
	return (__u32)((m * 0x9e3779b97f4a7c15ull) >> WSG_PF_GRAM_SHIFT);
}

WSG_INLINE __u32 wsg_pf_h2(__u64 m, __u32 len)
{
	return (__u32)(((m ^ ((__u64)len << 60)) * 0xc2b2ae3d27d4eb4full) >> WSG_PF_GRAM_SHIFT);
}

/* Are both Bloom bits of piece m (len bytes, the newest in the low byte) set? */
WSG_INLINE int wsg_pf_gram(const struct wsg_pf_table *t, __u64 m, __u32 len)
{
	__u32 a = wsg_pf_h1(m), b = wsg_pf_h2(m, len);

	return (t->gram[a >> 3] >> (a & 7)) & (t->gram[b >> 3] >> (b & 7)) & 1;
}

/*
 * Does the window, whose last pair has table entry pr, end a trigger piece? A pair ends
 * pieces of one length (user/prefilter.c sees to it): one branch and one probe per byte.
 */
WSG_INLINE int wsg_pf_grams(const struct wsg_pf_table *t, __u8 pr, __u64 win)
{
	__u64 eight = (pr & WSG_PF_PAIR_TAIL8) >> 3;

	if (!(pr & (WSG_PF_PAIR_TAIL4 | WSG_PF_PAIR_TAIL8)))
		return 0;
	/* branch-free: the kernel's verifier would follow each way through every byte */
	return wsg_pf_gram(t, win & (0xffffffffull | ((0ull - eight) << 32)), 4 + 4 * (__u32)eight);
}

WSG_INLINE int wsg_pf_hitn(const struct wsg_pf_table *t, __u8 prev, __u8 c, __u64 win)
{
	return wsg_pf_grams(t, t->pair[((__u32)prev << 8) | c], win);
}

/* The line break byte b is: WSG_PF_BRK_CR, WSG_PF_BRK_LF or 0 (also its table entry's). */
WSG_INLINE __u8 wsg_pf_brk(__u8 b)
{
	return (b == '\r') | (b == '\n') << 1;
}

/*
 * Does brk hold a break that need asks for (need 0: no line anchor seen, 0)? Branch-free:
 * the kernel tests it per chunk.
 */
WSG_INLINE __u32 wsg_pf_brk_due(__u32 need, __u32 brk)
{
	return (need & brk & WSG_PF_BRK_CR) | ((need >> 1) & (brk | brk >> 1) & 1);
}

/* Does brk hold the break a line anchor needs (need 0: a plain anchor, always)? */
WSG_INLINE int wsg_pf_brk_met(__u32 need, __u32 brk)
{
	return !need || wsg_pf_brk_due(need, brk);
}

/*
 * After byte b (folded c after prev), whose pair and pieces gave hit: 1 on a trigger. A
 * line anchor's hit only records its need; it triggers once its break has been seen too.
 */
WSG_INLINE int wsg_pf_line(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 prev, __u8 c,
			   __u8 b, int hit)
{
	__u8 need = (t->pair[((__u32)prev << 8) | c] >> WSG_PF_PAIR_NEED) & 3;

	/* in a STOMP head a LF is no break (branch-free: the kernel walks this per byte) */
	__u8 brk = wsg_pf_brk(b), mute = (((__u32)s->stomp + 255) >> 8) << 1;

	s->stomp |= (brk & mute) << 6;	/* WSG_PF_STOMP_MUTED */
	s->brk |= brk & ~mute;
	if (hit && need) {
		s->need |= need;
		hit = 0;
	}
	return hit || wsg_pf_brk_due(s->need, s->brk);
}

/*
 * Feed one byte as the decoded string has it: WSG_PF_TRIG when it completes a trigger,
 * WSG_PF_BLOB when it completes a base64 run (the caller decodes its token, see above).
 */
WSG_INLINE int wsg_pf_byte(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	__u8 c = wsg_pf_fold(b);
	int hit, blob;

	s->win = (s->win << 8) | c;
	s->run = wsg_pf_run(t, s->run, b);
	s->units += t->byte[(s->bin & 1) << 8 | b] >> WSG_PF_B_UNITS;
	blob = t->b64_run && s->run == t->b64_run;
	hit = wsg_pf_line(t, s, s->prev, c, b,
			  wsg_pf_hit(t, s->prev, c) || wsg_pf_hitn(t, s->prev, c, s->win)) ||
	      s->units > WSG_PF_UNITS_MAX;

	if (hit && !s->hit) {
		s->hit = 1;
		s->trig[0] = s->prev;
		s->trig[1] = c;
		s->hit_off = s->off;
	}
	s->prev = c;
	s->off++;
	return hit ? WSG_PF_TRIG : blob ? WSG_PF_BLOB : WSG_PF_NONE;
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
		return wsg_pf_byte(t, s, '\\') ? WSG_PF_TRIG : -1;
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
	h = wsg_pf_byte(t, s, s->acc < 0x80 ? (__u8)s->acc : 0x80);
	/*
	 * Text left undecoded (not JSON) still has "uXXXX" here: five base64 letters of a token
	 * whose raw bytes the decoded one does not show.
	 */
	if (s->run < 5)
		s->run = 5;
	return h ? WSG_PF_TRIG : WSG_PF_NONE; /* a run here: the walk would stop at the escape */
}

/* The text view: raw bytes with \u escapes decoded (normalisation decodes them too). */
WSG_INLINE int wsg_pf_text_feed(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	if (s->esc) {
		int r = wsg_pf_esc_byte(t, s, b);

		if (r >= 0)
			return r;
		if (b != '\\') {
			/* "\X": a run X completes has a backslash before its token */
			r = wsg_pf_byte(t, s, b);
			return r ? WSG_PF_TRIG : WSG_PF_NONE;
		}
	}
	if (b == '\\') {
		s->esc = WSG_PF_ESC_BS;
		s->run = 0; /* not fed, but it ends a token in the text (as the kernel counts) */
		return 0;
	}
	return wsg_pf_byte(t, s, b);
}

/* Byte b, decoded by the JSON view, in it: 1 when it completes a trigger there. */
WSG_INLINE int wsg_pf_jput(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	__u8 c = wsg_pf_fold(b);
	int hit;

	s->jwin = (s->jwin << 8) | c;
	hit = wsg_pf_line(t, s, s->jprev, c, b,
			  wsg_pf_hit(t, s->jprev, c) || wsg_pf_hitn(t, s->jprev, c, s->jwin));
	s->jprev = c;
	return hit;
}

/* What JSON makes of "\X" for X other than 'u'. */
WSG_INLINE __u8 wsg_pf_junesc(__u8 x)
{
	switch (x) {
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	default:
		return x; /* '"', '/', '\\'; anything else is no JSON, where the text view rules */
	}
}

/* Raw byte b in the JSON view: every JSON string escape decoded. 1 on a trigger. */
WSG_INLINE int wsg_pf_json_byte(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	int h;

	if (s->jesc == WSG_PF_ESC_NONE) {
		if (b == '\\') {
			s->jesc = WSG_PF_ESC_BS;
			return 0;
		}
		return wsg_pf_jput(t, s, b);
	}
	if (s->jesc == WSG_PF_ESC_BS) {
		if (b == 'u') {
			s->jesc = WSG_PF_ESC_U;
			s->jacc = 0;
			return 0;
		}
		s->jesc = WSG_PF_ESC_NONE;
		return wsg_pf_jput(t, s, wsg_pf_junesc(b));
	}
	h = wsg_pf_hexval(b);
	if (h < 0) {
		s->jesc = WSG_PF_ESC_NONE; /* no JSON: the text view triggers on it */
		return 0;
	}
	s->jacc = (__u16)(s->jacc << 4 | h);
	if (++s->jesc < WSG_PF_ESC_DONE)
		return 0;
	s->jesc = WSG_PF_ESC_NONE;
	return wsg_pf_jput(t, s, s->jacc < 0x80 ? (__u8)s->jacc : 0x80);
}

/* A message starts: binary selects the weights, profile how it is read (enum wsg_pf_profile). */
WSG_INLINE void wsg_pf_start(struct wsg_pf_state *s, int binary, __u32 profile)
{
	__builtin_memset(s, 0, sizeof(*s));
	s->bin = !!binary;
	s->stomp = profile == WSG_PF_STOMP && !binary ? WSG_PF_STOMP_CMD : WSG_PF_STOMP_OFF;
	s->gq.st = profile == WSG_PF_GRAPHQL && !binary ? WSG_GQ_VALUE : WSG_GQ_OFF;
}

/* Raw byte b, before it is fed, in a STOMP frame's head (see "STOMP" above). */
WSG_INLINE void wsg_pf_stomp(struct wsg_pf_state *s, __u8 b)
{
	__u8 st = s->stomp & ~WSG_PF_STOMP_MUTED;

	if (st < WSG_PF_STOMP_HDR) {
		/* "SEND\n", the byte after the st - 1 read */
		if (b == (__u8)(0x0a444e4553ull >> ((st - 1) * 8)))
			s->stomp++;
		else
			s->stomp = WSG_PF_STOMP_OFF;
	} else if (b == '\\') {
		/* the LFs muted so far count after all: the head may never close */
		s->brk |= (s->stomp & WSG_PF_STOMP_MUTED) ? WSG_PF_BRK_LF : 0;
		s->stomp = WSG_PF_STOMP_OFF;
	} else if (b == '\n' && !s->prev) {
		/* after a LF (or a quote: the block ends early, every later LF counts) */
		s->stomp = WSG_PF_STOMP_END;
	}
}

/* One byte through both views (no STOMP head being read); see wsg_pf_feed(). */
WSG_INLINE int wsg_pf_views(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	int j = wsg_pf_json_byte(t, s, b), r = wsg_pf_text_feed(t, s, b);

	return j ? WSG_PF_TRIG : r;
}

/*
 * Byte b of a STOMP head still being read after wsg_pf_stomp(): it holds no backslash, so
 * the views agree and the text view alone takes it (a base64 run here triggers). At the
 * blank line the head is done.
 */
WSG_INLINE int wsg_pf_stomp_byte(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	int r = wsg_pf_byte(t, s, b);

	s->jwin = s->win;
	s->jprev = s->prev;
	if ((s->stomp & ~WSG_PF_STOMP_MUTED) == WSG_PF_STOMP_END)
		s->stomp = WSG_PF_STOMP_OFF;
	return r ? WSG_PF_TRIG : WSG_PF_NONE;
}

/* A byte the views do not see (a GraphQL document's syntax): its weight still counts. */
WSG_INLINE int wsg_pf_skip(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	s->units += t->byte[b] >> WSG_PF_B_UNITS;
	s->off++;
	return s->units > WSG_PF_UNITS_MAX ? WSG_PF_TRIG : WSG_PF_NONE;
}

/*
 * Byte b, after the GraphQL reader took it (r: WSG_GQ_*): a trigger where it cannot follow
 * the message, skipped, or fed (a base64 run here triggers: no blob is decoded on this path).
 */
WSG_INLINE int wsg_pf_gq_feed(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b, int r)
{
	if (r == WSG_GQ_HOLD)
		return WSG_PF_TRIG;
	if (r == WSG_GQ_SKIP)
		return wsg_pf_skip(t, s, b);
	return wsg_pf_views(t, s, b) ? WSG_PF_TRIG : WSG_PF_NONE;
}

/*
 * Feed one unmasked payload byte to both views; nonzero when a trigger completes in either
 * (WSG_PF_BLOB: a base64 run, see above). At the message end, wsg_pf_end() says whether an
 * escape was left open (a trigger too).
 */
WSG_INLINE int wsg_pf_feed(const struct wsg_pf_table *t, struct wsg_pf_state *s, __u8 b)
{
	if (s->gq.st)
		return wsg_pf_gq_feed(t, s, b, wsg_gq_byte(&s->gq, b));
	if (s->stomp) {
		wsg_pf_stomp(s, b);
		if (s->stomp)
			return wsg_pf_stomp_byte(t, s, b);
	}
	return wsg_pf_views(t, s, b);
}

/*
 * The two views hold the same last bytes, and no STOMP head or GraphQL message is being
 * read: the kernel may scan with the text view alone.
 */
WSG_INLINE int wsg_pf_synced(const struct wsg_pf_state *s)
{
	return !s->esc && !s->jesc && s->win == s->jwin && s->prev == s->jprev && !s->stomp &&
	       !s->gq.st;
}

/*
 * At the message end: an escape left open, a STOMP head never closed whose LFs count, or a
 * GraphQL connection's message that is no whole JSON value.
 */
WSG_INLINE int wsg_pf_end(const struct wsg_pf_state *s)
{
	__u8 brk = s->brk | ((s->stomp & WSG_PF_STOMP_MUTED) ? WSG_PF_BRK_LF : 0);

	return s->esc != WSG_PF_ESC_NONE || (s->stomp && wsg_pf_brk_due(s->need, brk)) ||
	       wsg_gq_end(&s->gq);
}

/*
 * A blob's token may start elsewhere in the string the daemon decodes than in the raw
 * bytes, so that it decodes other bytes: after a backslash (an escape), and where a decoder
 * strips a prefix of token bytes -- Socket.IO's packet type, attachment count and ack id,
 * digits at the message start or after the namespace's comma. prev: the byte before the
 * token (start: there is none), first: its first byte. 1: trigger instead of decoding.
 */
WSG_INLINE int wsg_pf_blob_unsure(__u8 prev, int start, __u8 first)
{
	return prev == '\\' || ((start || prev == ',') && first >= '0' && first <= '9');
}

/*
 * One decoded byte into u: it counts as text when it is printable ASCII or a blank, or part
 * of a complete well-formed UTF-8 sequence. Random binary (keys, hashes, hex ids read as
 * base64) is far below 90% text; an attack with a few stray bytes added is not.
 */
WSG_INLINE void wsg_pf_text_byte(struct wsg_pf_text *u, __u8 o)
{
	u->n++;
	if (u->need) {
		if ((o & 0xc0) == 0x80) {
			u->seq++;
			if (!--u->need)
				u->ok += u->seq;
			return;
		}
		u->need = 0; /* a broken sequence: its bytes are no text; o starts afresh */
	}
	if (o < 0x80) {
		u->ok += (o >= 0x20 && o != 0x7f) || o == '\t' || o == '\n' || o == '\r';
		return;
	}
	if (o >= 0xc2 && o <= 0xf4) {
		u->need = o >= 0xf0 ? 3 : o >= 0xe0 ? 2 : 1;
		u->seq = 1;
	}
}

/* At least WSG_PF_B64_MIN_TEXT bytes, 90% of them text: what the daemon inspects. */
WSG_INLINE int wsg_pf_is_text(const struct wsg_pf_text *u)
{
	return u->n >= WSG_PF_B64_MIN_TEXT && u->ok * 10 >= u->n * 9;
}

/* One byte of a blob's token (t->tok[b] set), decoded as the daemon decodes it. */
WSG_INLINE void wsg_pf_blob_byte(const struct wsg_pf_table *t, struct wsg_pf_blob *bl, __u8 b)
{
	__u8 o;

	bl->acc = (bl->acc << 6 | t->b64v[b]) & 0xffffff;
	bl->bits += 6;
	if (bl->bits < 8)
		return;
	bl->bits -= 8;
	o = (__u8)(bl->acc >> bl->bits);
	wsg_pf_text_byte(&bl->txt, o);
	/* the decoded bytes are read generically (no STOMP head, no GraphQL reader) */
	if (!bl->hit && wsg_pf_views(t, &bl->st, o))
		bl->hit = 1; /* a blob inside the blob too: the daemon would decode it */
}

/*
 * The token ended at byte b (not a token byte; end: the message ended). 1 when the daemon
 * could block on the decoded text: text it inspects, holding a trigger (the decoded string
 * is gated between quotes when it was the whole value, so one is fed after it).
 */
WSG_INLINE int wsg_pf_blob_end(const struct wsg_pf_table *t, struct wsg_pf_blob *bl, __u8 b,
			       int end)
{
	if (!end && b == '\\')
		return 1; /* "\/" continues the token in JSON: not the string's token */
	if (!bl->hit && (wsg_pf_views(t, &bl->st, '"') || wsg_pf_end(&bl->st)))
		bl->hit = 1;
	return bl->hit && wsg_pf_is_text(&bl->txt);
}

WSG_INLINE void wsg_pf_set_bigram(struct wsg_pf_table *t, __u8 a, __u8 b)
{
	__u32 idx = ((__u32)wsg_pf_fold(a) << 8) | wsg_pf_fold(b);

	t->pair[idx] |= WSG_PF_PAIR_TRIG;
}

/* The piece a[0..len) (len 4 or 8; folded here) as a trigger. */
WSG_INLINE void wsg_pf_set_gram(struct wsg_pf_table *t, const char *a, __u32 len)
{
	__u64 m = 0;
	__u32 idx, h;

	for (__u32 i = 0; i < len; i++)
		m = (m << 8) | wsg_pf_fold(a[i]);
	idx = ((__u32)wsg_pf_fold(a[len - 2]) << 8) | wsg_pf_fold(a[len - 1]);
	t->pair[idx] |= len == 8 ? WSG_PF_PAIR_TAIL8 : WSG_PF_PAIR_TAIL4;
	h = wsg_pf_h1(m);
	t->gram[h >> 3] |= 1 << (h & 7);
	h = wsg_pf_h2(m, len);
	t->gram[h >> 3] |= 1 << (h & 7);
}

/* The 6-bit value of a base64 token byte, -1 for others. */
WSG_INLINE int wsg_pf_b64val(__u8 c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	return c == '/' || c == '_' ? 63 : -1;
}

/* The base64 letters, token bytes and values, and the run length that makes a blob. */
WSG_INLINE void wsg_pf_set_b64(struct wsg_pf_table *t, __u32 run)
{
	for (__u32 b = 0; b < 256; b++) {
		int v = wsg_pf_b64val(b);

		if (wsg_pf_b64(b)) {
			t->byte[b] |= WSG_PF_B_LETTER;
			t->byte[256 + b] |= WSG_PF_B_LETTER;
		}
		t->tok[b] = v >= 0;
		t->b64v[b] = v >= 0 ? v : 0;
	}
	t->b64_run = run;
}

/* A zeroed table's folded bytes and line breaks, and the backslash column of the pairs. */
WSG_INLINE void wsg_pf_set_bytes(struct wsg_pf_table *t)
{
	for (__u32 b = 0; b < 256; b++) {
		__u32 brk = wsg_pf_brk(b);

		t->byte[b] |= wsg_pf_fold(b) | brk << WSG_PF_B_BRK;
		t->byte[256 + b] |= wsg_pf_fold(b) | brk << WSG_PF_B_BRK;
		t->pair[b << 8 | '\\'] |= WSG_PF_PAIR_ESC;
	}
}

/* The weights of the structure count (see above). */
WSG_INLINE void wsg_pf_set_units(struct wsg_pf_table *t)
{
	for (__u32 b = 0; b < 256; b++) {
		__u32 w = 0, bw = WSG_PF_W_RECORD; /* a SignalR record may be one byte */

		if (b == '[' || b == '{')
			w = WSG_PF_W_OPEN;
		else if (b == ',' || b == ':' || b == '\n')
			w = WSG_PF_W_VALUE;
		else if (b == 0x1e || b == 0)
			w = WSG_PF_W_RECORD;
		else if (b == '"')
			w = WSG_PF_W_QUOTE;
		if ((b >= 0x80 && b <= 0x9f) || (b >= 0xdc && b <= 0xdf))
			bw += WSG_PF_W_OPEN; /* MessagePack map or array */
		t->byte[b] |= w << WSG_PF_B_UNITS;
		t->byte[256 + b] |= (bw + w) << WSG_PF_B_UNITS; /* the daemon reads it as text too */
	}
}

/* A byte that triggers whatever precedes it (including the message start, prev 0). */
WSG_INLINE void wsg_pf_set_byte(struct wsg_pf_table *t, __u8 b)
{
	for (__u32 a = 0; a < 256; a++)
		wsg_pf_set_bigram(t, a, b);
}

#endif /* WSG_PREFILTER_H */
