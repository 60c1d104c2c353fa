// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for include/wsg_frame.h: every vector of tests/vectors/ws_frames.h fed whole,
 * byte by byte, split at every point and in every chunk size up to 16, each chunk ending on a
 * PROT_NONE page; sticky errors, return codes, wsg_frame_at_boundary, masking, flags, and
 * random streams against the reference model.
 */
#include <sys/mman.h>
#include <unistd.h>
#include "wsg_test.h"
#include "vectors/ws_frames.h"

#define NVEC WSG_ARRAY_SIZE(ws_frame_vecs)

/* Memory whose last usable byte sits right before a PROT_NONE page. */
struct guard {
	__u8 *base;
	size_t cap;
};

static int guard_init(struct guard *g, size_t max)
{
	size_t page = sysconf(_SC_PAGESIZE);

	g->cap = (max + page) / page * page;
	g->base = mmap(NULL, g->cap + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (g->base == MAP_FAILED)
		return -1;
	return mprotect(g->base + g->cap, page, PROT_NONE);
}

static void guard_free(struct guard *g)
{
	munmap(g->base, g->cap + sysconf(_SC_PAGESIZE));
}

static const __u8 *guard_place(struct guard *g, const __u8 *p, size_t n)
{
	__u8 *dst = g->base + g->cap - n;

	memcpy(dst, p, n);
	return dst;
}

/* chunk 0: two pieces cut at split; otherwise pieces of chunk bytes. */
static char *run(struct guard *g, const __u8 *buf, size_t len, __u8 flags, size_t split,
		 size_t chunk)
{
	struct ws_log l;
	size_t off = 0;

	ws_log_init(&l, flags);
	while (off < len) {
		size_t n = chunk ? chunk : (off < split ? split : len) - off;

		if (n > len - off)
			n = len - off;
		ws_log_feed(&l, guard_place(g, buf + off, n), n);
		off += n;
	}
	return ws_log_finish(&l);
}

struct vec_buf {
	__u8 *p;
	size_t len;
};

static struct vec_buf vec_bufs[NVEC];
static struct guard vec_guard;

static int vecs_ready(void)
{
	size_t max = 0;

	if (vec_guard.base)
		return 0;
	for (size_t i = 0; i < NVEC; i++) {
		vec_bufs[i].p = ws_vec_build(&ws_frame_vecs[i], &vec_bufs[i].len);
		if (vec_bufs[i].len > max)
			max = vec_bufs[i].len;
	}
	return guard_init(&vec_guard, max);
}

/* Compare one run's log with the vector's; frees the log. Returns 1 when they matched. */
static int check_log(const struct ws_vec *v, char *got, const char *how, size_t arg)
{
	int ok = !strcmp(got, v->expect);

	CHECK(ok, "%s (%s %zu):\n#     got  %s\n#     want %s", v->name, how, arg, got, v->expect);
	free(got);
	return ok;
}

WSG_TEST(frame_vectors_whole)
{
	REQUIRE(!vecs_ready(), "guard pages: %m");
	for (size_t i = 0; i < NVEC; i++)
		check_log(&ws_frame_vecs[i], run(&vec_guard, vec_bufs[i].p, vec_bufs[i].len,
						 ws_frame_vecs[i].flags, 0, 0), "whole", 0);
}

WSG_TEST(frame_vectors_reference_model)
{
	REQUIRE(!vecs_ready(), "guard pages: %m");
	for (size_t i = 0; i < NVEC; i++)
		check_log(&ws_frame_vecs[i], ws_ref_log(vec_bufs[i].p, vec_bufs[i].len,
							ws_frame_vecs[i].flags), "reference", 0);
}

WSG_TEST(frame_vectors_bytewise)
{
	REQUIRE(!vecs_ready(), "guard pages: %m");
	for (size_t i = 0; i < NVEC; i++)
		check_log(&ws_frame_vecs[i], run(&vec_guard, vec_bufs[i].p, vec_bufs[i].len,
						 ws_frame_vecs[i].flags, 0, 1), "bytewise", 1);
}

/* Long vectors: every split near either end and around the headers, a stride in between. */
static int split_wanted(size_t s, size_t len)
{
	return len <= 2048 || s <= 300 || len - s <= 300 || s % 509 == 0;
}

WSG_TEST(frame_vectors_every_split)
{
	REQUIRE(!vecs_ready(), "guard pages: %m");
	for (size_t i = 0; i < NVEC; i++) {
		const struct ws_vec *v = &ws_frame_vecs[i];

		for (size_t s = 0; s <= vec_bufs[i].len; s++) {
			if (split_wanted(s, vec_bufs[i].len) &&
			    !check_log(v, run(&vec_guard, vec_bufs[i].p, vec_bufs[i].len, v->flags,
					      s, 0), "split at", s))
				break;
		}
	}
}

WSG_TEST(frame_vectors_chunk_sizes)
{
	REQUIRE(!vecs_ready(), "guard pages: %m");
	for (size_t i = 0; i < NVEC; i++) {
		const struct ws_vec *v = &ws_frame_vecs[i];

		for (size_t c = 1; c <= 16; c++) {
			if (!check_log(v, run(&vec_guard, vec_bufs[i].p, vec_bufs[i].len, v->flags,
					      0, c), "chunk size", c))
				break;
		}
	}
}

WSG_TEST(frame_vectors_cover_every_violation)
{
	static const int want[] = {
		WSG_R_VIOL_UNMASKED, WSG_R_VIOL_RSV, WSG_R_VIOL_OPCODE, WSG_R_VIOL_CTRL_FRAG,
		WSG_R_VIOL_CTRL_LEN, WSG_R_VIOL_LEN64, WSG_R_VIOL_LEN_NONMIN, WSG_R_VIOL_CONT,
		WSG_R_VIOL_NOCONT,
	};

	for (size_t w = 0; w < WSG_ARRAY_SIZE(want); w++) {
		char tag[64];
		int n = 0;

		snprintf(tag, sizeof(tag), "!%s@", ws_reason_name(want[w]));
		for (size_t i = 0; i < NVEC; i++)
			n += strstr(ws_frame_vecs[i].expect, tag) != NULL;
		CHECK(n >= 2, "%s: %d vectors", tag, n);
	}
}

static const __u8 *tail_bytes(size_t *n)
{
	static const char t[] = "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58\x89\x80\0\0\0\0"
				"\x88\x80\x01\x02\x03\x04\x00\xff\x7e\x7f\x80";

	*n = sizeof(t) - 1;
	return (const __u8 *)t;
}

WSG_TEST(frame_errors_sticky)
{
	int nerr = 0;

	REQUIRE(!vecs_ready(), "guard pages: %m");
	for (size_t i = 0; i < NVEC; i++) {
		const struct ws_vec *v = &ws_frame_vecs[i];
		struct wsg_frame st = { .flags = v->flags }, at_err;
		size_t off, ntail;
		const __u8 *tail = tail_bytes(&ntail);
		int r = 0;

		if (v->expect[0] != '!' && !strstr(v->expect, "; !"))
			continue;
		for (off = 0; off < vec_bufs[i].len && r >= 0; off++) {
			if (wsg_frame_in_header(&st)) {
				r = wsg_frame_hdr_byte(&st, vec_bufs[i].p[off]);
			} else {
				__u64 k = vec_bufs[i].len - off;

				k = k < st.remaining ? k : st.remaining;
				wsg_frame_payload(&st, k);
				off += k - 1;
			}
		}
		REQUIRE(r < 0, "%s: no error", v->name);
		nerr++;
		CHECK(st.err == -r, "%s: err field %u, returned %d", v->name, st.err, r);
		CHECK(wsg_frame_in_header(&st) && !wsg_frame_at_boundary(&st),
		      "%s: failed state is in a header, never at a boundary", v->name);
		at_err = st;
		for (size_t j = off; j < vec_bufs[i].len + ntail; j++) {
			__u8 b = j < vec_bufs[i].len ? vec_bufs[i].p[j] : tail[j - vec_bufs[i].len];
			int r2 = wsg_frame_hdr_byte(&st, b);

			CHECK(r2 == r, "%s: byte %zu after the error returned %d, not %d", v->name,
			      j, r2, r);
			if (r2 != r)
				break;
		}
		CHECK(!memcmp(&st, &at_err, sizeof(st)), "%s: state changed after the error",
		      v->name);
	}
	CHECK(nerr > 40, "only %d error vectors", nerr);
}

WSG_TEST(frame_header_byte_in_payload_is_sticky)
{
	static const __u8 s[] = { 0x82, 0x83, 1, 2, 3, 4 };
	struct wsg_frame st = { .flags = WSG_FF_CLIENT };

	for (size_t i = 0; i < sizeof(s); i++)
		wsg_frame_hdr_byte(&st, s[i]);
	REQUIRE(!wsg_frame_in_header(&st), "frame header complete");
	CHECK(wsg_frame_hdr_byte(&st, 0x81) == -WSG_R_FAIL_PROTO, "payload byte fed as header");
	CHECK(wsg_frame_hdr_byte(&st, 0x81) == -WSG_R_FAIL_PROTO, "and again");
	CHECK(st.err == WSG_R_FAIL_PROTO, "err %u", st.err);
}

WSG_TEST(frame_payload_after_error_is_sticky)
{
	static const __u8 s[] = { 0x82, 0x83, 1, 2, 3, 4 };
	struct wsg_frame st = { .flags = WSG_FF_CLIENT };
	int r;

	for (size_t i = 0; i < sizeof(s); i++)
		wsg_frame_hdr_byte(&st, s[i]);
	REQUIRE(wsg_frame_hdr_byte(&st, 0x81) == -WSG_R_FAIL_PROTO, "payload byte fed as header");
	r = wsg_frame_payload(&st, 3);
	CHECK(r == -WSG_R_FAIL_PROTO && !wsg_frame_at_boundary(&st),
	      "KNOWN BUG in include/wsg_frame.h (reported, not fixed here): after -FAIL_PROTO, "
	      "wsg_frame_payload() returned %d and wsg_frame_at_boundary() is %d; errors are "
	      "documented as sticky for every later call", r, wsg_frame_at_boundary(&st));
}

/* Returns of wsg_frame_hdr_byte over one stream, as a string of M, H, E or -. */
static void hdr_rets(const char *bytes, size_t n, __u8 flags, char *out)
{
	struct wsg_frame st = { .flags = flags };

	for (size_t i = 0; i < n; i++) {
		int r = wsg_frame_hdr_byte(&st, (__u8)bytes[i]);

		out[i] = r < 0 ? '-' : "MHE"[r];
	}
	out[n] = 0;
}

WSG_TEST(frame_return_codes)
{
	static const struct {
		const char *bytes;
		size_t len;
		__u8 flags;
		const char *rets;
	} t[] = {
		{ "\x81\x85\x37\xfa\x21\x3d", 6, WSG_FF_CLIENT, "MMMMMH" },
		{ "\x81\x80\x37\xfa\x21\x3d\x89\x80\1\2\3\4", 12, WSG_FF_CLIENT, "MMMMMEMMMMME" },
		{ "\x81\x00\x8a\x00\x82\x01", 6, 0, "MEMEMH" },
		{ "\x82\x7e\x00\x7e", 4, 0, "MMMH" },
		{ "\x82\xff\0\0\0\0\0\1\0\0\1\2\3\4", 14, WSG_FF_CLIENT, "MMMMMMMMMMMMMH" },
		{ "\x81\xfe\x00\x7d\x81", 5, 0, "MMM--" },
	};
	char got[32];

	for (size_t i = 0; i < WSG_ARRAY_SIZE(t); i++) {
		hdr_rets(t[i].bytes, t[i].len, t[i].flags, got);
		CHECK(!strcmp(got, t[i].rets), "case %zu: %s, want %s", i, got, t[i].rets);
	}
}

static int feed_hdr(struct wsg_frame *st, const char *b, size_t n)
{
	int r = 0;

	for (size_t i = 0; i < n && r >= 0; i++)
		r = wsg_frame_hdr_byte(st, (__u8)b[i]);
	return r;
}

WSG_TEST(frame_at_boundary)
{
	struct wsg_frame st = { .flags = WSG_FF_CLIENT };

	CHECK(wsg_frame_at_boundary(&st), "fresh state");
	feed_hdr(&st, "\x81", 1);
	CHECK(!wsg_frame_at_boundary(&st), "after byte 0");
	feed_hdr(&st, "\x85\x37\xfa", 3);
	CHECK(!wsg_frame_at_boundary(&st), "inside the masking key");
	feed_hdr(&st, "\x21\x3d", 2);
	CHECK(!wsg_frame_at_boundary(&st), "header done, payload due");
	wsg_frame_payload(&st, 4);
	CHECK(!wsg_frame_at_boundary(&st), "inside the payload");
	REQUIRE(wsg_frame_payload(&st, 1) == WSG_FR_END, "frame end");
	CHECK(wsg_frame_at_boundary(&st), "after a final text frame");
	feed_hdr(&st, "\x89\x80\0\0\0\0", 6);
	CHECK(wsg_frame_at_boundary(&st), "after a ping outside a message");
	feed_hdr(&st, "\x02\xfe\x00", 3);
	CHECK(!wsg_frame_at_boundary(&st), "inside a 16-bit length");
	feed_hdr(&st, "\x7e\0\0\0\0", 5);
	wsg_frame_payload(&st, 126);
	CHECK(!wsg_frame_at_boundary(&st), "after a non-final binary frame");
	CHECK(st.state == WSG_FS_B0, "yet between frames");
	feed_hdr(&st, "\x8a\x80\0\0\0\0", 6);
	CHECK(!wsg_frame_at_boundary(&st), "after a pong inside a message");
	feed_hdr(&st, "\x00\x80\0\0\0\0", 6);
	CHECK(!wsg_frame_at_boundary(&st), "after an empty non-final continuation");
	feed_hdr(&st, "\x80\x81\0\0\0\0", 6);
	CHECK(!wsg_frame_at_boundary(&st), "inside the final continuation");
	wsg_frame_payload(&st, 1);
	CHECK(wsg_frame_at_boundary(&st), "after the final continuation");
	feed_hdr(&st, "\x88\x82\0\0\0\0", 6);
	wsg_frame_payload(&st, 2);
	CHECK(wsg_frame_at_boundary(&st), "after a close frame");
	CHECK(feed_hdr(&st, "\x80\x80", 2) == -WSG_R_VIOL_CONT, "continuation without message");
	CHECK(!wsg_frame_at_boundary(&st), "after an error");
}

WSG_TEST(frame_mask_byte)
{
	static const __u8 key[4] = { 0x37, 0xfa, 0x21, 0x3d };
	struct wsg_frame st = { .flags = WSG_FF_CLIENT }, sv = { 0 };

	feed_hdr(&st, "\x82\x8a\x37\xfa\x21\x3d", 6);
	for (int i = 0; i < 10; i++) {
		CHECK(wsg_frame_mask_byte(&st) == key[i & 3], "byte %d: %02x", i,
		      wsg_frame_mask_byte(&st));
		wsg_frame_payload(&st, 1);
	}
	feed_hdr(&st, "\x82\x89\xa1\xb2\xc3\xd4", 6);
	wsg_frame_payload(&st, 3);
	CHECK(wsg_frame_mask_byte(&st) == 0xd4, "after a 3-byte chunk: %02x",
	      wsg_frame_mask_byte(&st));
	wsg_frame_payload(&st, 5);
	CHECK(wsg_frame_mask_byte(&st) == 0xa1, "after 8 bytes: %02x", wsg_frame_mask_byte(&st));
	feed_hdr(&sv, "\x82\x05", 2);
	for (int i = 0; i < 5; i++) {
		CHECK(wsg_frame_mask_byte(&sv) == 0, "unmasked byte %d", i);
		wsg_frame_payload(&sv, 1);
	}
}

WSG_TEST(frame_flags)
{
	struct wsg_frame st = { .flags = WSG_FF_CLIENT | WSG_FF_RSV1_OK };

	feed_hdr(&st, "\x41\x80\0\0\0\0", 6);
	CHECK(st.flags & WSG_FF_MSG_COMPRESSED, "RSV1 on the first frame");
	feed_hdr(&st, "\x89\x80\0\0\0\0", 6);
	CHECK(st.flags & WSG_FF_MSG_COMPRESSED, "a ping leaves the message compressed");
	feed_hdr(&st, "\x80\x80\0\0\0\0", 6);
	CHECK(st.flags & WSG_FF_MSG_COMPRESSED, "the final continuation too");
	feed_hdr(&st, "\x82\x80\0\0\0\0", 6);
	CHECK(!(st.flags & WSG_FF_MSG_COMPRESSED), "a new plain message clears it");
	CHECK(st.flags == (WSG_FF_CLIENT | WSG_FF_RSV1_OK), "caller flags kept: %x", st.flags);
}

WSG_TEST(frame_fragment_count)
{
	struct wsg_frame st = { .flags = WSG_FF_CLIENT };

	feed_hdr(&st, "\x01\x80\0\0\0\0", 6);
	CHECK(st.frags == 1, "first frame: %u", st.frags);
	for (int i = 2; i <= 1000; i++) {
		if (i % 7 == 0)
			feed_hdr(&st, "\x89\x80\0\0\0\0", 6);
		REQUIRE(feed_hdr(&st, "\x00\x80\0\0\0\0", 6) == WSG_FR_END, "fragment %d", i);
		CHECK(st.frags == i, "fragment %d counted %u", i, st.frags);
	}
	feed_hdr(&st, "\x80\x80\0\0\0\0", 6);
	CHECK(st.frags == 0 && !st.msg_op && wsg_frame_at_boundary(&st), "message closed");
}

static __u64 rng_state = 0x9e3779b97f4a7c15ull;

static __u32 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (__u32)(rng_state >> 16);
}

/* A plausible frame, bent now and then: odd bits, lengths, encodings, masks. */
static size_t rand_frame(__u8 *p, int open)
{
	static const __u8 ops[] = { 0, 1, 2, 8, 9, 10, 0, 0, 1, 2, 3, 0xb };
	__u8 op = ops[rnd() % (open ? WSG_ARRAY_SIZE(ops) : WSG_ARRAY_SIZE(ops) - 3)];
	__u64 len = rnd() % 4 ? rnd() % 24 : rnd() % 300;
	int fin = op >= 8 || rnd() % 3, masked = rnd() % 16 != 0, ext;
	size_t n = 0;

	if (!open && op == 0 && rnd() % 4)
		op = 1 + rnd() % 2;
	ext = len > 125 ? (len > 65535 ? 8 : 2) : 0;
	if (rnd() % 20 == 0)
		ext = rnd() % 2 ? 2 : 8;
	p[n++] = fin << 7 | op | (rnd() % 12 == 0 ? (rnd() % 8) << 4 : 0);
	p[n++] = (masked ? 0x80 : 0) | (ext == 0 ? len : ext == 2 ? 126 : 127);
	if (rnd() % 40 == 0)
		len |= (__u64)(rnd() % 2) << 63;
	for (int i = ext - 1; i >= 0; i--)
		p[n++] = (__u8)(len >> (8 * i));
	len &= 0xffff;
	if (masked)
		for (int i = 0; i < 4; i++)
			p[n++] = rnd();
	for (__u64 i = 0; i < len; i++)
		p[n++] = rnd();
	return n;
}

WSG_TEST(frame_random_streams_vs_reference)
{
	static __u8 buf[16 * 1024];
	struct guard g;
	int mismatches = 0, errors = 0;

	REQUIRE(!guard_init(&g, sizeof(buf)), "guard pages: %m");
	for (int it = 0; it < 20000 && mismatches < 5; it++) {
		__u8 flags = rnd() % 4;
		size_t n = 0, nframes = 1 + rnd() % 12;
		char *want, *got;
		int open = 0;

		for (size_t f = 0; f < nframes && n < sizeof(buf) - 70000 / 8; f++) {
			size_t k = rand_frame(buf + n, open);
			__u8 op = buf[n] & 0x0f;

			if (op < WSG_OP_CLOSE && (op || open))
				open = !(buf[n] >> 7);
			n += k;
		}
		if (rnd() % 3 == 0 && n)
			n -= rnd() % n;
		if (rnd() % 50 == 0)
			for (size_t i = 0; i < n; i++)
				buf[i] = rnd();
		want = ws_ref_log(buf, n, flags);
		errors += strchr(want, '!') != NULL;
		got = run(&g, buf, n, flags, n ? rnd() % (n + 1) : 0, 0);
		if (strcmp(got, want) && ++mismatches)
			CHECK(0, "split run:\n#     got  %s\n#     want %s", got, want);
		free(got);
		got = run(&g, buf, n, flags, 0, 1 + rnd() % 20);
		if (strcmp(got, want) && ++mismatches)
			CHECK(0, "chunked run:\n#     got  %s\n#     want %s", got, want);
		free(got);
		free(want);
	}
	CHECK(errors > 1000 && errors < 19000, "%d of 20000 streams failed: a skewed generator",
	      errors);
	guard_free(&g);
}

WSG_TEST_MAIN
