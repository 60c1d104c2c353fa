// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sk_msg on every tracked upstream socket: the kernel fast path. Each send is parsed (HTTP
 * request, then RFC 6455 frames with the shared parser) and prefiltered; it then passes,
 * goes into the daemon's custody (redirected into its socket behind a wsg_hold_hdr), or is
 * dropped with a counted reason. Also the ingress verdict (wsg_skb) that reads upgrade answers.
 *
 * Ordering: conn->held (custody offset, written here under the socket lock) against
 * wsg_rel.released (written by the daemon after re-injecting). A send passes directly only
 * while the two are equal; once anything is held, everything after it is held until the
 * daemon catches up. The daemon releases only whole messages, so at catch-up the stream is
 * at a message boundary and a parser that skipped held bytes (resync) restarts there.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "wsg_common.bpf.h"

/*
 * Payload bytes one loop step scans, unrolled. 32, not 64: the verifier walks the code after
 * the chunk once per exit, and at 64 it took ~98% of its 1M-instruction budget (32: ~49%);
 * the smaller body is no slower (bench_datapath: 1 KiB sends 7.5 vs 8.0-8.7 us).
 */
#define WSG_SCAN_CHUNK 32

/* bpf_loop context: pointers only (the mutable scan state is conn->scan). */
struct wsg_scan {
	void *data;		/* packet pointers, spilled so the loop callback can use them */
	void *data_end;
	struct wsg_conn *c;
	struct wsg_pf_table *pf;
	__u32 b64_run;		/* pf->b64_run, read once; ~0 when off (a run never gets there) */
	__u32 profile;		/* wsg_rel.profile of the socket (enum wsg_pf_profile) */
};

#define WSG_MSG_PTR(msg, field) ((void *)WSG_CTX_LOAD(64, msg, struct sk_msg_md, field))

/* Frame header finished: decide what the new frame means for this send. */
static __always_inline int wsg_scan_frame_start(struct wsg_scan *x, struct wsg_conn *c)
{
	__u8 op = wsg_frame_opcode(&c->frame);

	x->c->scan.opcode = op;
	if (op >= WSG_OP_CLOSE)
		return 0;
	if (c->frame.flags & WSG_FF_MSG_COMPRESSED) {
		x->c->scan.verdict = WSG_R_HOLD_COMPRESSED;
		return 1;
	}
	if (op == WSG_OP_CONT || !wsg_frame_fin(&c->frame)) {
		x->c->scan.verdict = WSG_R_HOLD_FRAGMENT;
		return 1;
	}
	/*
	 * a new message; a STOMP head goes byte by byte (wsg_scan_stomp), a GraphQL connection's
	 * message all the way (wsg_scan_gql), then the slow way
	 */
	wsg_pf_start(&c->pf, op == WSG_OP_BINARY, x->profile);
	c->pf.slow = c->pf.stomp != WSG_PF_STOMP_OFF || c->pf.gq.st != WSG_GQ_OFF;
	c->blob.done = 0;
	return 0;
}

/* Record the trigger at chunk byte k (pair prev, cur) in the shared prefilter state. */
static __always_inline void wsg_scan_hit(struct wsg_scan *x, struct wsg_conn *c, __u32 key, __u32 k,
					 __u8 prev, __u8 cur)
{
	struct wsg_frame *f = &c->frame;

	c->pf.hit = 1;
	c->pf.trig[0] = prev;
	c->pf.trig[1] = cur;
	c->pf.hit_off = c->pf.off + k;
	c->scan.verdict = WSG_R_HOLD_PREFILTER;
	c->scan.trig_i = c->scan.pos + k;
	c->scan.trig_left = f->remaining - k;
	c->scan.trig_key = key;
	c->scan.trig_moff = (f->moff + k) & 3;
}

/* Running prefilter state of a chunk scan (kept in registers, written back once). */
struct wsg_pf_run {
	__u64 win;		/* last eight folded bytes */
	__u32 run;		/* base64 letters in a row */
	__u32 units;		/* the structure count */
	__u32 bin;		/* weights: 0 text, 256 binary */
	__u32 brk;		/* byte entries ORed: their line breaks (WSG_PF_B_BRK) */
	__u8 prev;		/* previous folded byte */
	__u8 trig;		/* the byte that stopped the chunk */
};

/*
 * One byte through the prefilter (wsg_pf_byte() with the state in registers); 1 when it
 * completes a trigger, is a backslash, or completes a base64 run: escapes and blobs are
 * decoded one byte per loop step (wsg_scan_esc, wsg_scan_blob), off the unrolled path.
 */
static __always_inline int wsg_pf_run_byte(struct wsg_scan *x, struct wsg_pf_run *r, __u32 k,
					   __u8 raw)
{
	__u32 e = x->pf->byte[r->bin | raw];
	__u8 cur = e & WSG_PF_B_FOLD, pr;
	__u64 win;

	r->run = (r->run + 1) * ((e & WSG_PF_B_LETTER) >> 8);
	r->units += e >> WSG_PF_B_UNITS;
	r->brk |= e;
	pr = x->pf->pair[((__u32)r->prev << 8) | cur];
	win = (r->win << 8) | cur;
	/*
	 * One exit for all (a branch per byte on more state defeats the verifier's pruning): a
	 * trigger, a backslash (its column is WSG_PF_PAIR_ESC: not fed, see wsg_scan_payload),
	 * a base64 run. The structure count is the message's, checked once per chunk.
	 */
	if ((pr & (WSG_PF_PAIR_TRIG | WSG_PF_PAIR_ESC)) ||
	    wsg_pf_grams(x->pf, pr, win) ||
	    r->run == x->b64_run) {
		r->trig = cur;
		return 1;
	}
	r->win = win;
	r->prev = cur;
	return 0;
}

/* A full chunk inside the packet: one bounds check, then an unrolled scan. -1: no trigger. */
static __always_inline int wsg_scan_chunk_fast(struct wsg_scan *x, __u8 *p, __u32 rkey,
					       struct wsg_pf_run *r)
{
#pragma unroll
	for (int k = 0; k < WSG_SCAN_CHUNK; k++)
		if (wsg_pf_run_byte(x, r, k, p[k] ^ (__u8)(rkey >> ((k & 3) * 8))))
			return k;
	return -1;
}

/* Tail of a frame or send: a bounds check per byte. -1: no trigger, -2: out of packet. */
static __always_inline int wsg_scan_chunk_slow(struct wsg_scan *x, __u32 pos, __u32 n, __u32 rkey,
					       struct wsg_pf_run *r)
{
	for (__u32 k = 0; k < WSG_SCAN_CHUNK; k++) {
		__u8 *p = x->data;

		if (k >= n)
			break;
		/* the verifier tracks packet ranges only below 64 KiB: keep the index there */
		p += (pos + k) & (WSG_SCAN_LIMIT - 1);
		if ((void *)(p + 1) > x->data_end)
			return -2;
		if (wsg_pf_run_byte(x, r, k, *p ^ (__u8)(rkey >> ((k & 3) * 8))))
			return k;
	}
	return -1;
}

/* A base64 run ended at send offset pos + k: walk back to its token's start (wsg_scan_blob). */
static __always_inline void wsg_blob_start(struct wsg_conn *c, __u32 pos, __u32 k, __u8 first)
{
	struct wsg_frame *f = &c->frame;
	struct wsg_blob_scan *b = &c->blob;

	b->phase = WSG_BLOB_WALK;
	b->ref = pos + k;
	b->mref = (f->moff + k) & 3;
	b->low = pos - (__u32)(f->len - f->remaining);
	b->cur = b->ref;
	b->first = first;
	b->cut = f->remaining > c->scan.size - pos;
	b->end = b->cut ? c->scan.size : pos + (__u32)f->remaining;
}

/* The unmasked payload byte at send offset q of the blob's frame; -1: out of the packet. */
static __always_inline int wsg_blob_byte(struct wsg_scan *x, struct wsg_conn *c, __u32 q)
{
	struct wsg_blob_scan *b = &c->blob;
	__u8 *p = x->data;
	__u32 key;

	p += q & (WSG_SCAN_LIMIT - 1);
	if ((void *)(p + 1) > x->data_end)
		return -1;
	__builtin_memcpy(&key, c->frame.mask, 4);
	if (!(c->frame.hdr1 & 0x80))
		key = 0;
	return *p ^ (__u8)(key >> (((b->mref + q - b->ref) & 3) * 8));
}

/*
 * One step of a blob (struct wsg_blob_scan): a byte of the walk back to the token's start,
 * or a byte of its decoding. At the token's end the decoded bytes decide: a trigger if the
 * daemon could block on them, else the scan goes on after the run. A token cut by the end of
 * the send triggers (its message is partial anyway).
 */
static __always_inline int wsg_scan_blob(struct wsg_scan *x, struct wsg_conn *c)
{
	struct wsg_blob_scan *b = &c->blob;
	int v = 0, hold;

	if (b->phase == WSG_BLOB_WALK) {
		if (b->cur > b->low) {
			v = wsg_blob_byte(x, c, b->cur - 1);
			if (v < 0)
				goto pull;
			if (x->pf->tok[v & 0xff]) {
				b->cur--;
				b->first = v;
				return 0;
			}
		}
		if (wsg_pf_blob_unsure(v, b->cur == b->low, b->first))
			goto trig; /* not surely the token of the string the daemon decodes */
		__builtin_memset(&b->bl, 0, sizeof(b->bl));
		b->phase = WSG_BLOB_DECODE;
		return 0;
	}
	if (b->cur >= b->end) {
		hold = b->cut || wsg_pf_blob_end(x->pf, &b->bl, 0, 1);
	} else {
		v = wsg_blob_byte(x, c, b->cur);
		if (v < 0)
			goto pull;
		if (x->pf->tok[v & 0xff]) {
			wsg_pf_blob_byte(x->pf, &b->bl, v);
			b->cur++;
			return 0;
		}
		hold = wsg_pf_blob_end(x->pf, &b->bl, v, 0);
	}
	if (hold)
		goto trig;
	b->done = b->cur; /* later runs before here are in this token */
	b->phase = WSG_BLOB_NONE;
	return c->scan.pos >= c->scan.size;
trig:
	b->phase = WSG_BLOB_NONE;
	__builtin_memcpy(&v, c->frame.mask, 4);
	wsg_scan_hit(x, c, c->frame.hdr1 & 0x80 ? v : 0, 0, c->pf.prev, c->pf.prev);
	return 1;
pull:
	c->scan.verdict = WSG_R_FAIL_PULL;
	return 1;
}

/*
 * Up to WSG_SCAN_CHUNK payload bytes of the current frame in one loop step: one callback per
 * byte would cost several ns per byte. Control-frame payloads are skipped unread.
 */
static __always_inline int wsg_scan_payload(struct wsg_scan *x, struct wsg_conn *c)
{
	struct wsg_frame *f = &c->frame;
	__u32 pos = c->scan.pos, key, rkey, sh;
	__u64 n = c->scan.size - pos;
	struct wsg_pf_run r = { .win = c->pf.win, .prev = c->pf.prev, .run = c->pf.run,
				.units = c->pf.units, .bin = (c->pf.bin & 1) << 8 };
	__u8 *p = x->data;
	int k, esc, blob;

	if (n > f->remaining)
		n = f->remaining;
	if (wsg_frame_opcode(f) >= WSG_OP_CLOSE)
		goto done;
	if (n > WSG_SCAN_CHUNK)
		n = WSG_SCAN_CHUNK;
	__builtin_memcpy(&key, f->mask, 4);
	if (!(f->hdr1 & 0x80))
		key = 0;
	/* rotate the key so chunk byte k uses key byte k & 3 */
	sh = (f->moff & 3) * 8;
	rkey = sh ? (key >> sh) | (key << (32 - sh)) : key;
	p += pos & (WSG_SCAN_LIMIT - 1);
	if (n == WSG_SCAN_CHUNK && (void *)(p + WSG_SCAN_CHUNK) <= x->data_end)
		k = wsg_scan_chunk_fast(x, p, rkey, &r);
	else
		k = wsg_scan_chunk_slow(x, pos, n, rkey, &r);
	if (k == -2) {
		c->scan.verdict = WSG_R_FAIL_PULL;
		return 1;
	}
	if (r.units > WSG_PF_UNITS_MAX) {
		wsg_scan_hit(x, c, key, 0, r.prev, r.prev); /* past a decoding bound */
		return 1;
	}
	/*
	 * The breaks seen go into the message's state; a line anchor seen before triggers once
	 * its break is there too. Branch-free up to the one test: the verifier walks this
	 * once per exit of the unrolled chunk.
	 */
	c->pf.brk |= (r.brk >> WSG_PF_B_BRK) & 3;
	if (wsg_pf_brk_due(c->pf.need, c->pf.brk)) {
		wsg_scan_hit(x, c, key, k & (WSG_SCAN_CHUNK - 1), r.prev, r.trig);
		return 1;
	}
	/*
	 * What stopped the chunk at byte k (r.trig): a backslash or a line anchor's piece (not
	 * fed: both go the slow way, wsg_scan_esc, whose wsg_pf_feed decodes the escape or
	 * records the need), a base64 run alone (fed: its token is decoded before the scan goes
	 * on), or a trigger.
	 */
	esc = k >= 0 && (r.trig == '\\' ||
			 (x->pf->pair[((__u32)r.prev << 8) | r.trig] >> WSG_PF_PAIR_NEED));
	/* in a binary message every run triggers (wsg_pf_blob_unsure) */
	blob = k >= 0 && !esc && r.run == x->b64_run && !r.bin &&
		 !wsg_pf_hit(x->pf, r.prev, r.trig) && !wsg_pf_hitn(x->pf, r.prev, r.trig,
								 (r.win << 8) | r.trig);
	if (k >= 0 && !esc && !blob) {
		wsg_scan_hit(x, c, key, k & (WSG_SCAN_CHUNK - 1), r.prev, r.trig);
		return 1;
	}
	if (blob) {
		k &= WSG_SCAN_CHUNK - 1;
		n = k + 1;
		r.win = (r.win << 8) | r.trig;
		r.prev = r.trig;
		if (pos + k >= c->blob.done)
			wsg_blob_start(c, pos, k, r.trig);
	} else if (esc) {
		n = k & (WSG_SCAN_CHUNK - 1);
		c->pf.slow = 1;
		c->pf.jwin = r.win;
		c->pf.jprev = r.prev;
	}
	c->pf.prev = r.prev;
	c->pf.win = r.win;
	c->pf.run = r.run;
	c->pf.units = r.units;
	c->pf.off += n;
done:
	c->scan.pos += n;
	wsg_frame_payload(f, n);
	return c->scan.pos >= c->scan.size;
}

/*
 * The unmasked payload byte at the scan position, for the byte-by-byte steps below (*key:
 * its frame's masking key); -1 when it is out of the packet (the verdict says so).
 */
static __always_inline int wsg_scan_byte(struct wsg_scan *x, struct wsg_conn *c, __u32 *key)
{
	struct wsg_frame *f = &c->frame;
	__u8 *p = x->data;

	p += c->scan.pos & (WSG_SCAN_LIMIT - 1);
	if ((void *)(p + 1) > x->data_end) {
		c->scan.verdict = WSG_R_FAIL_PULL;
		return -1;
	}
	__builtin_memcpy(key, f->mask, 4);
	if (!(f->hdr1 & 0x80))
		*key = 0;
	return *p ^ (__u8)(*key >> ((f->moff & 3) * 8));
}

/* The byte-by-byte steps' byte is through: 1 once the send is. */
static __always_inline int wsg_scan_next(struct wsg_conn *c)
{
	c->scan.pos++;
	wsg_frame_payload(&c->frame, 1);
	return c->scan.pos >= c->scan.size;
}

/*
 * One payload byte from a backslash on, through both views (the shared wsg_pf_views()),
 * until they agree again; also a byte the STOMP head or the GraphQL reader hands on.
 */
static __always_inline int wsg_scan_esc(struct wsg_scan *x, struct wsg_conn *c, __u8 b,
					__u32 key)
{
	struct wsg_frame *f = &c->frame;

	/* an escape still open at the message end stays in the text: a trigger */
	if (wsg_pf_views(x->pf, &c->pf, b) || (f->remaining == 1 && wsg_pf_end(&c->pf))) {
		/* a base64 run here has an escape in its token: a trigger (user/prefilter.c, wsg_pf_blob) */
		wsg_scan_hit(x, c, key, 0, c->pf.prev, wsg_pf_fold(b));
		return 1;
	}
	c->pf.slow = !wsg_pf_synced(&c->pf);
	c->pf.gq.feed = 0;
	return wsg_scan_next(c);
}

/*
 * One payload byte of a STOMP frame's head (include/wsg_prefilter.h, "STOMP"), on a STOMP
 * connection from the message start until the blank line. A byte that ends the head
 * otherwise (a backslash, a frame that is no SEND) is left to the escape path.
 */
static __always_inline int wsg_scan_stomp(struct wsg_scan *x, struct wsg_conn *c, __u8 b,
					  __u32 key)
{
	struct wsg_frame *f = &c->frame;

	wsg_pf_stomp(&c->pf, b);
	if (!c->pf.stomp)
		return 0; /* c->pf.slow is set: wsg_scan_esc takes b */
	if (wsg_pf_stomp_byte(x->pf, &c->pf, b) || (f->remaining == 1 && wsg_pf_end(&c->pf))) {
		wsg_scan_hit(x, c, key, 0, c->pf.prev, wsg_pf_fold(b));
		return 1;
	}
	c->pf.slow = !wsg_pf_synced(&c->pf);
	return wsg_scan_next(c);
}

/*
 * One payload byte of a text message on a GraphQL connection, through the GraphQL reader
 * (include/wsg_pf_gql.h): skipped (document syntax) or held here; a byte to feed is left to
 * the escape path's next step, which feeds it to both views (gq.feed).
 */
static __always_inline int wsg_scan_gql(struct wsg_scan *x, struct wsg_conn *c, __u8 b,
					__u32 key)
{
	struct wsg_frame *f = &c->frame;
	int r = wsg_gq_byte(&c->pf.gq, b);

	if (r == WSG_GQ_FEED) {
		c->pf.gq.feed = 1;
		return 0;
	}
	/* not fed: skipped (its weight counts), or held */
	if (r != WSG_GQ_SKIP || wsg_pf_skip(x->pf, &c->pf, b) ||
	    (f->remaining == 1 && wsg_pf_end(&c->pf))) {
		wsg_scan_hit(x, c, key, 0, c->pf.prev, wsg_pf_fold(b));
		return 1;
	}
	return wsg_scan_next(c);
}

/*
 * HTTP mode without a daemon, under --fail open: find where the header block ends and whether
 * it asks for an upgrade, so the kernel alone can follow upgrades (with a daemon every HTTP
 * send is held unscanned: the daemon parses and judges each request).
 */
static __always_inline int wsg_scan_http(struct wsg_scan *x, struct wsg_conn *c, __u8 b)
{
	if (!wsg_http_byte(&c->http, b)) {
		if (c->http.bytes > WSG_HTTP_MAX) {
			x->c->scan.verdict = WSG_R_VIOL_HTTP;
			return 1;
		}
		return 0;
	}
	c->mode = c->http.upgrade ? WSG_MODE_UPGRADE : WSG_MODE_HTTP;
	__builtin_memset(&c->http, 0, sizeof(c->http));
	x->c->scan.verdict = WSG_R_HOLD_HTTP;
	return 1;
}

/* One header or HTTP byte at x->c->scan.pos. Returns 1 to stop the loop. */
static __always_inline int wsg_scan_hdr(struct wsg_scan *x, struct wsg_conn *c)
{
	__u8 *p = x->data;
	int r;

	p += x->c->scan.pos & (WSG_SCAN_LIMIT - 1);
	if ((void *)(p + 1) > x->data_end) {
		x->c->scan.verdict = WSG_R_FAIL_PULL;
		return 1;
	}
	x->c->scan.pos++;
	if (c->mode == WSG_MODE_HTTP)
		return wsg_scan_http(x, c, *p) || x->c->scan.pos >= x->c->scan.size;
	r = wsg_frame_hdr_byte(&c->frame, *p);
	if (r < 0) {
		x->c->scan.opcode = wsg_frame_opcode(&c->frame);
		x->c->scan.verdict = -r;
		return 1;
	}
	if (r != WSG_FR_MORE && wsg_scan_frame_start(x, c))
		return 1;
	return x->c->scan.pos >= x->c->scan.size;
}

/*
 * A step over a data frame's payload: a chunk through the fast scan, or one byte through the
 * STOMP head, the GraphQL reader or the escape path (control frames: skipped unread).
 */
static __always_inline int wsg_scan_data(struct wsg_scan *x, struct wsg_conn *c)
{
	__u32 key;
	int b;

	if (wsg_frame_opcode(&c->frame) >= WSG_OP_CLOSE || !c->pf.slow)
		return wsg_scan_payload(x, c);
	b = wsg_scan_byte(x, c, &key);
	if (b < 0)
		return 1;
	if (c->pf.stomp)
		return wsg_scan_stomp(x, c, b, key);
	if (c->pf.gq.st && !c->pf.gq.feed)
		return wsg_scan_gql(x, c, b, key);
	return wsg_scan_esc(x, c, b, key);
}

/* bpf_loop callback: one step over the send. Returns 1 once the verdict is known. */
static long wsg_scan_step(__u64 i, void *ctx)
{
	struct wsg_scan *x = ctx;
	struct wsg_conn *c = x->c;

	if (c->blob.phase)
		return wsg_scan_blob(x, c);
	if (x->c->scan.pos >= x->c->scan.size)
		return 1;
	if (c->mode == WSG_MODE_WS && !wsg_frame_in_header(&c->frame))
		return wsg_scan_data(x, c);
	return wsg_scan_hdr(x, c);
}

/* Parse the whole send; returns the enum wsg_reason that decides it. */
static __always_inline __u32 wsg_scan_send(struct sk_msg_md *msg, struct wsg_scan *x)
{
	__u32 size = msg->size, zero = 0;
	struct wsg_conn *c = x->c;

	if (size > wsg_cfg.scan_max || size > WSG_SCAN_LIMIT)
		return c->mode == WSG_MODE_HTTP ? WSG_R_HOLD_HTTP : WSG_R_HOLD_UNSCANNED;
	x->pf = bpf_map_lookup_elem(&wsg_prefilter, &zero);
	if (!x->pf)
		return WSG_R_FAIL_STORAGE;
	x->b64_run = x->pf->b64_run ? x->pf->b64_run : ~0u;
	if ((__u64)msg->data_end - (__u64)msg->data < size &&
	    bpf_msg_pull_data(msg, 0, size, 0))
		return WSG_R_FAIL_PULL;
	x->data = WSG_MSG_PTR(msg, data);
	x->data_end = WSG_MSG_PTR(msg, data_end);
	x->c->scan.verdict = WSG_R_NONE;
	x->c->scan.pos = 0;
	c->blob.phase = WSG_BLOB_NONE; /* offsets are into one send */
	c->blob.done = 0;
	x->c->scan.size = size;
	/*
	 * A step takes a byte or more, but a backslash costs a step that takes none and a blob's
	 * token is read again: a loop that runs out holds the send (never at a boundary then).
	 */
	if (size)
		bpf_loop(4 * size + 64, wsg_scan_step, x, 0);
	if (x->c->scan.verdict != WSG_R_NONE)
		return x->c->scan.verdict;
	if (c->blob.phase)
		return WSG_R_HOLD_PREFILTER; /* the loop ran out inside a blob */
	if (c->mode == WSG_MODE_HTTP)
		return WSG_R_HOLD_HTTP; /* header block not finished yet */
	return wsg_frame_at_boundary(&c->frame) ? WSG_R_PASS_CLEAN : WSG_R_HOLD_PARTIAL;
}

static __always_inline enum sk_action wsg_drop(struct wsg_conn *c, __u32 reason, __u32 tgid,
					       __u8 opcode)
{
	struct wsg_event *e;

	c->mode = WSG_MODE_DEAD;
	c->reason = reason;
	wsg_count(reason);
	e = wsg_event_new(WSG_EV_DROP, reason, c->cookie);
	if (e) {
		e->tuple = c->tuple;
		e->seq = c->held;
		e->tgid = tgid;
		e->opcode = opcode;
		bpf_ringbuf_submit(e, 0);
	}
	return SK_DROP;
}

/* Unmasked bytes of the triggering frame from the trigger on, for the HOLD event. */
static __always_inline void wsg_excerpt(struct wsg_event *e, struct wsg_scan *x,
					struct sk_msg_md *msg)
{
	__u8 *data = WSG_MSG_PTR(msg, data), *end = WSG_MSG_PTR(msg, data_end);
	__u32 n = x->c->scan.trig_left < WSG_EXCERPT_MAX ? x->c->scan.trig_left : WSG_EXCERPT_MAX;
	__u32 off = x->c->scan.trig_i & (WSG_SCAN_LIMIT - 1), key = x->c->scan.trig_key;

	e->trig_off = x->c->scan.trig_i;
	for (__u32 k = 0; k < WSG_EXCERPT_MAX; k++) {
		__u8 *p = data + off + k;

		if (k >= n || (void *)(p + 1) > (void *)end)
			break;
		e->excerpt[k] = *p ^ (__u8)(key >> (((x->c->scan.trig_moff + k) & 3) * 8));
		e->excerpt_len = k + 1;
	}
}

static __always_inline void wsg_hold_event(struct wsg_conn *c, struct wsg_scan *x,
					   struct sk_msg_md *msg, __u32 reason, __u32 tgid)
{
	struct wsg_event *e = wsg_event_new(WSG_EV_HOLD, reason, c->cookie);

	if (!e)
		return;
	e->tuple = c->tuple;
	e->seq = c->held;
	e->len = msg->size;
	e->tgid = tgid;
	e->opcode = x->c->scan.opcode;
	if (reason == WSG_R_HOLD_PREFILTER) {
		e->trig[0] = c->pf.trig[0];
		e->trig[1] = c->pf.trig[1];
		wsg_excerpt(e, x, msg);
	}
	bpf_ringbuf_submit(e, 0);
}

static __always_inline __u16 wsg_resp_status(struct wsg_conn *c)
{
	struct wsg_resp *r = bpf_map_lookup_elem(&wsg_resp, &c->cookie);

	return r ? r->status : 0;
}

/*
 * Custody: header in front, into the daemon's socket (the redirect was already set up by
 * wsg_daemon_here), advance held.
 */
static __always_inline enum sk_action wsg_hold(struct sk_msg_md *msg, struct wsg_conn *c,
					       struct wsg_scan *x, __u32 reason, __u32 tgid,
					       __u64 released, const struct wsg_ctl *ctl, __u8 mode)
{
	__u64 len = msg->size;
	struct wsg_hold_hdr *h;
	void *data, *end;

	c->resync = 1; /* bytes after this point are not parsed here until catch-up */
	if (c->held - released + len > wsg_cfg.hold_max)
		return wsg_drop(c, WSG_R_LIMIT_HOLD, tgid, x->c->scan.opcode);
	wsg_hold_event(c, x, msg, reason, tgid);
	if (bpf_msg_push_data(msg, 0, sizeof(*h), 0))
		return wsg_drop(c, WSG_R_FAIL_PUSH, tgid, x->c->scan.opcode);
	data = WSG_MSG_PTR(msg, data);
	end = WSG_MSG_PTR(msg, data_end);
	if (data + sizeof(*h) > end)
		return wsg_drop(c, WSG_R_FAIL_PUSH, tgid, x->c->scan.opcode);
	h = data;
	h->magic = WSG_HOLD_MAGIC ^ (ctl ? ctl->tag : 0);
	h->len = len;
	h->cookie = c->cookie;
	h->seq = c->held;
	h->tgid = tgid;
	h->reason = reason;
	h->mode = mode;
	h->status = wsg_resp_status(c);
	h->released = released;
	c->held += len;
	c->gen = ctl ? ctl->gen : 0;
	wsg_count(reason);
	return SK_PASS;
}

/*
 * Aim the send at the daemon's custody socket. Fails exactly when no daemon runs: its socket
 * left wsg_socks when it closed. The redirect only takes effect if SK_PASS is returned.
 */
static __always_inline int wsg_daemon_here(struct sk_msg_md *msg)
{
	__u64 key = WSG_HOLD_KEY;

	return bpf_msg_redirect_hash(msg, &wsg_socks, &key, BPF_F_INGRESS) == SK_PASS;
}

/*
 * No daemon to hold for: the failure policy. Bytes already in custody died with the daemon,
 * so their connection can never be delivered in order. Otherwise --fail closed drops the
 * connection and --fail open passes the send; a socket whose stream the kernel then stops
 * following (a send passed from a trigger on, unscanned) is marked lost, and the next
 * daemon drops it rather than judge a stream it cannot parse.
 */
static __always_inline enum sk_action wsg_no_daemon(struct wsg_conn *c, struct wsg_scan *x,
						    __u32 reason, __u32 tgid, __u64 released,
						    const struct wsg_ctl *ctl)
{
	struct wsg_resp armed = {};

	if (c->held != released)
		return wsg_drop(c, WSG_R_CUSTODY_LOST, tgid, x->c->scan.opcode);
	if (!ctl || !ctl->fail_open)
		return wsg_drop(c, WSG_R_DAEMON_GONE, tgid, x->c->scan.opcode);
	if (c->mode == WSG_MODE_UPGRADE && reason == WSG_R_HOLD_HTTP)
		/* an upgrade request just ended: arm for its answer */
		bpf_map_update_elem(&wsg_resp, &c->cookie, &armed, BPF_ANY);
	else if (reason != WSG_R_HOLD_HTTP)
		c->lost = 1;
	wsg_count(WSG_R_PASS_FAIL_OPEN);
	return SK_PASS;
}

/*
 * Catch-up after custody: the daemon released whole messages or requests only, so the stream
 * is at a boundary, in the mode the daemon parsed (it saw every held byte; we may not have).
 */
static __always_inline void wsg_resync(struct wsg_conn *c, struct wsg_rel *rel)
{
	__u8 flags = c->frame.flags & (WSG_FF_CLIENT | WSG_FF_RSV1_OK);

	__builtin_memset(&c->frame, 0, sizeof(c->frame));
	__builtin_memset(&c->http, 0, sizeof(c->http));
	c->frame.flags = flags;
	if (rel && rel->mode <= WSG_MODE_UPGRADE)
		c->mode = rel->mode;
	c->resync = 0;
}

/*
 * After an upgrade request: the backend's status line (read by wsg_skb before the proxy could
 * read it) decides. Unknown: the proxy sends before the answer came, the daemon judges.
 */
static __always_inline __u32 wsg_upgrade_resolve(struct wsg_conn *c)
{
	__u16 status = wsg_resp_status(c);
	__u8 flags = c->frame.flags & (WSG_FF_CLIENT | WSG_FF_RSV1_OK);

	if (!status)
		return WSG_R_HOLD_UPGRADE;
	__builtin_memset(&c->frame, 0, sizeof(c->frame));
	c->frame.flags = flags;
	c->mode = status == 101 ? WSG_MODE_WS : WSG_MODE_HTTP;
	return WSG_R_NONE;
}

/*
 * The daemon's release socket: each send is a wsg_rel_hdr and the approved bytes it names
 * (one send, one run: WSG_REL_CHUNK keeps it within one sk_msg). The header is popped and
 * the bytes go out through the target's egress, after whatever is already queued there; the
 * target's own program does not see them again. A WSG_ANS_MAGIC header puts them into the
 * target's ingress instead: the daemon's answer to a request it refused. A target that is gone (closed) leaves the
 * bytes to the release socket's peer, which the daemon drains: a drop here would be sticky
 * for the release socket of every connection.
 */
static __always_inline enum sk_action wsg_release(struct sk_msg_md *msg)
{
	struct wsg_rel_hdr *h = WSG_MSG_PTR(msg, data);
	void *end = WSG_MSG_PTR(msg, data_end);
	__u64 cookie, flags;

	/*
	 * One sendmsg of at most WSG_REL_CHUNK is copied whole and judged in one run
	 * (tcp_bpf_sendmsg allocates the whole copy at once, or fails with EAGAIN); anything
	 * else goes to the peer, where the daemon sees it and kills the connection it named.
	 */
	if ((void *)(h + 1) > end || (h->magic != WSG_REL_MAGIC && h->magic != WSG_ANS_MAGIC) ||
	    h->len > WSG_REL_CHUNK || msg->size != sizeof(*h) + h->len) {
		wsg_count(WSG_R_FAIL_PROTO);
		return SK_PASS;
	}
	cookie = h->cookie;
	flags = h->magic == WSG_ANS_MAGIC ? BPF_F_INGRESS : 0;
	if (bpf_msg_pop_data(msg, 0, sizeof(*h), 0)) {
		wsg_count(WSG_R_FAIL_PUSH);
		return SK_PASS;
	}
	if (bpf_msg_redirect_hash(msg, &wsg_socks, &cookie, flags) != SK_PASS) {
		wsg_count(WSG_R_FAIL_REDIRECT);
		return SK_PASS;
	}
	wsg_count(WSG_R_PASS_DAEMON);
	return SK_PASS;
}

SEC("sk_msg")
int wsg_msg(struct sk_msg_md *msg)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, reason = WSG_R_NONE, zero = 0;
	struct wsg_ctl *ctl = bpf_map_lookup_elem(&wsg_ctl, &zero);
	struct wsg_scan x = {};
	struct wsg_conn *c;
	struct wsg_rel *rel;
	__u64 released;
	__u8 mode;

	if (!msg->sk)
		return SK_PASS;
	/*
	 * A socket in wsg_socks without wsg_conn storage is the daemon's (sockops inserts a
	 * tracked socket only once its storage exists): custody (never sends) or release. No
	 * tgid check: the daemon may live in another pid namespace.
	 */
	c = bpf_sk_storage_get(&wsg_conn, msg->sk, 0, 0);
	if (!c)
		return wsg_release(msg);
	if (c->mode == WSG_MODE_DEAD)
		return SK_DROP;
	if (bpf_map_lookup_elem(&wsg_blocked, &c->cookie))
		return wsg_drop(c, WSG_R_BLOCKED, tgid, 0);
	rel = bpf_map_lookup_elem(&wsg_rel, &c->cookie);
	released = rel ? rel->released : 0;
	x.profile = rel ? rel->profile : WSG_PF_GENERIC;
	if (c->held == released && c->resync)
		wsg_resync(c, rel);
	x.c = c;
	mode = c->mode; /* at the start of this send, for the custody header */
	if (c->held != released)
		reason = WSG_R_HOLD_CUSTODY; /* order: nothing overtakes what is held */
	else if (c->mode == WSG_MODE_UPGRADE)
		reason = wsg_upgrade_resolve(c);
	/* the daemon parses every request; the kernel's own HTTP scan serves --fail open only */
	if (reason == WSG_R_NONE && c->mode == WSG_MODE_HTTP && wsg_daemon_here(msg))
		reason = WSG_R_HOLD_HTTP;
	if (reason == WSG_R_NONE)
		reason = wsg_scan_send(msg, &x);

	switch (reason) {
	case WSG_R_PASS_CLEAN:
		wsg_count(reason);
		return SK_PASS;
	case WSG_R_HOLD_PREFILTER ... WSG_R_HOLD_UNSCANNED:
	case WSG_R_HOLD_HTTP:
	case WSG_R_HOLD_UPGRADE:
		if (!wsg_daemon_here(msg))
			return wsg_no_daemon(c, &x, reason, tgid, released, ctl);
		if (c->lost)
			return wsg_drop(c, WSG_R_LOST_SYNC, tgid, x.c->scan.opcode);
		/* custody that went to a daemon which has died since was lost with it */
		if (c->held != released && ctl && c->gen != ctl->gen)
			return wsg_drop(c, WSG_R_CUSTODY_LOST, tgid, x.c->scan.opcode);
		return wsg_hold(msg, c, &x, reason, tgid, released, ctl, mode);
	}
	return wsg_drop(c, reason, tgid, c->scan.opcode);
}

/*
 * Ingress of every tracked socket. Passes everything (with no verdict program, FIONREAD on
 * sockmap sockets reports 0 and nginx stalls); while an upgrade request awaits its answer
 * (wsg_resp armed), records the status code of the response's first bytes.
 */
SEC("sk_skb")
int wsg_skb(struct __sk_buff *skb)
{
	__u64 cookie = bpf_get_socket_cookie(skb);
	struct wsg_resp *r = bpf_map_lookup_elem(&wsg_resp, &cookie);
	__u8 b[12];
	__u16 code = 0;

	if (!r || r->status)
		return SK_PASS;
	r->status = 1; /* not a status line */
	if (bpf_skb_load_bytes(skb, 0, b, sizeof(b)))
		return SK_PASS;
	if (b[0] != 'H' || b[1] != 'T' || b[2] != 'T' || b[3] != 'P' || b[4] != '/' ||
	    b[5] != '1' || b[6] != '.' || b[8] != ' ')
		return SK_PASS;
	for (int i = 9; i < 12; i++) {
		if (b[i] < '0' || b[i] > '9')
			return SK_PASS;
		code = code * 10 + (b[i] - '0');
	}
	r->status = code;
	return SK_PASS;
}
