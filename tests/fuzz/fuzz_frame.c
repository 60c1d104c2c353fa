// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for include/wsg_frame.h: the input (after two control bytes choosing the
 * flags, a split point and a chunk size) is parsed whole, in two pieces and in fixed chunks,
 * each piece in its own exact-size heap block so ASan sees any read past it. The three logs
 * must be equal, free of broken invariants, and equal to the reference model's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "vectors/ws_frames.h"

static char *fuzz_run(const __u8 *p, size_t n, __u8 flags, size_t split, size_t chunk)
{
	struct ws_log l;
	size_t off = 0;

	ws_log_init(&l, flags);
	while (off < n) {
		size_t k = chunk ? chunk : (off < split ? split : n) - off;
		__u8 *piece;

		if (k > n - off)
			k = n - off;
		piece = malloc(k);
		if (!piece)
			abort();
		memcpy(piece, p + off, k);
		ws_log_feed(&l, piece, k);
		free(piece);
		off += k;
	}
	return ws_log_finish(&l);
}

static void fuzz_fail(const char *what, const char *a, const char *b)
{
	fprintf(stderr, "fuzz_frame: %s\n  %s\n  %s\n", what, a, b);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const __u8 *p = data + 2;
	size_t n, split, chunk;
	char *whole, *two, *chunked, *ref;
	__u8 flags;

	if (size < 2)
		return 0;
	n = size - 2;
	flags = data[0] & (WSG_FF_CLIENT | WSG_FF_RSV1_OK);
	chunk = 1 + (data[0] >> 2);
	split = n * data[1] / 255;
	whole = fuzz_run(p, n, flags, n, 0);
	two = fuzz_run(p, n, flags, split, 0);
	chunked = fuzz_run(p, n, flags, 0, chunk);
	ref = ws_ref_log(p, n, flags);
	if (strchr(whole, '?'))
		fuzz_fail("parser invariant broken", whole, "");
	if (strcmp(whole, two))
		fuzz_fail("whole and two-piece logs differ", whole, two);
	if (strcmp(whole, chunked))
		fuzz_fail("whole and chunked logs differ", whole, chunked);
	if (strcmp(whole, ref))
		fuzz_fail("parser and reference model differ", whole, ref);
	free(whole);
	free(two);
	free(chunked);
	free(ref);
	return 0;
}
