/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Normalisation of one decoded string before detection: URL (%XX, %uXXXX, overlong UTF-8),
 * JavaScript (\uXXXX, \xXX) and HTML entity decoding to a fixpoint of at most three rounds,
 * removal of NULs that decoding produced, ASCII lowercase.
 */
#ifndef WSG_NORMALIZE_H
#define WSG_NORMALIZE_H

#include <stddef.h>

/* The raw bytes that start a decoding step below; NUL-terminated. */
#define WSG_NORM_ESCAPES "\\%&"

#define WSG_NORM_ROUNDS 3

/*
 * Normalise in[0..len) into out, which must hold len + 1 bytes (no step ever grows the
 * text); out is NUL-terminated, the length is returned. Every byte of the result is either
 * the ASCII-lowercased byte at the same place in the input or was produced by a decoding step
 * that started at an escape byte; no literal input byte is ever dropped, so an ASCII string
 * in the output that does not come from an escape is literally (case-folded) in the input.
 */
size_t wsg_normalize(const char *in, size_t len, char *out);

/* 1 if in[0..len) holds any escape byte (normalisation then may change more than case). */
int wsg_norm_has_escape(const char *in, size_t len);

/* ASCII lowercase copy; out holds len + 1 bytes. */
size_t wsg_norm_lower(const char *in, size_t len, char *out);

/* One decoding round without case folding; returns the output length (<= len). */
size_t wsg_norm_round(const char *in, size_t len, char *out);

/* Encode code point cp as UTF-8 into out (4 bytes room); returns the byte count. */
size_t wsg_utf8_put(unsigned int cp, char *out);

#endif /* WSG_NORMALIZE_H */
