/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RFC 6455 frame vectors for include/wsg_frame.h, each with the event log the parser must
 * produce, plus what turns a byte stream into that log: the driver over the real parser
 * (ws_log_*), an independent whole-buffer reference model (ws_ref_log) and the generator
 * for large frames. Shared by tests/unit/test_frame.c and tests/fuzz/fuzz_frame.c.
 *
 * Log: frames joined by "; ", each "OP fin|more [z] [#FRAG] len=N PAYLOAD" where z marks a
 * compressed message and #FRAG numbers data frames within their message (both only on data
 * frames); PAYLOAD is the unmasked payload quoted, \xNN for all but printable ASCII other
 * than "\;!?, up to WS_SHOW_MAX bytes, else fnv=<FNV-1a 32 of it>, or got=N for a frame the
 * stream cut short. The log closes with "end" (message boundary), "open" (between frames of
 * a fragmented message), "partial" (inside a frame) or "!REASON@OFFSET" (the stream offset
 * of the byte that failed). "?what" marks a broken parser invariant; no expected log has one.
 */
#ifndef WS_FRAMES_H
#define WS_FRAMES_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wsg_frame.h"

#define WS_SHOW_MAX 40

/* A frame built at run time: header, then pattern bytes ws_pat(i), masked with key. */
struct ws_gen {
	__u8 b0;		/* FIN, RSV, opcode; 0: no generated frame */
	__u8 ext;		/* length field: 0 (7-bit), 2 (16-bit) or 8 (64-bit) bytes */
	__u8 masked;
	__u8 key[4];
	__u32 plen;
};

struct ws_vec {
	const char *name;
	__u8 flags;		/* WSG_FF_CLIENT, WSG_FF_RSV1_OK */
	const char *bytes;	/* the stream, after the generated frame if there is one */
	size_t len;
	const char *expect;
	struct ws_gen gen;
};

#define WS_VEC(n, f, b, e, ...) \
	{ .name = n, .flags = f, .bytes = b, .len = sizeof(b) - 1, .expect = e, __VA_ARGS__ }
#define WS_GEN(b0_, ext_, plen_, masked_, ...) \
	.gen = { .b0 = b0_, .ext = ext_, .plen = plen_, .masked = masked_, .key = __VA_ARGS__ }
#define C WSG_FF_CLIENT
#define R WSG_FF_RSV1_OK

static const struct ws_vec ws_frame_vecs[] = {
	/* RFC 6455 5.7 and RFC 7692 7.2.3 examples */
	WS_VEC("rfc_text_unmasked", 0,
	       "\x81\x05" "Hello",
	       "text fin #1 len=5 \"Hello\"; end"),
	WS_VEC("rfc_text_masked", C,
	       "\x81\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58",
	       "text fin #1 len=5 \"Hello\"; end"),
	WS_VEC("rfc_fragments_unmasked", 0,
	       "\x01\x03" "Hel" "\x80\x02" "lo",
	       "text more #1 len=3 \"Hel\"; cont fin #2 len=2 \"lo\"; end"),
	WS_VEC("rfc_ping_unmasked", 0,
	       "\x89\x05" "Hello",
	       "ping fin len=5 \"Hello\"; end"),
	WS_VEC("rfc_pong_masked", C,
	       "\x8a\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58",
	       "pong fin len=5 \"Hello\"; end"),
	WS_VEC("rfc_deflate_unmasked", R,
	       "\xc1\x07" "\xf2\x48\xcd\xc9\xc9\x07\x00",
	       "text fin z #1 len=7 \"\\xf2H\\xcd\\xc9\\xc9\\x07\\x00\"; end"),
	WS_VEC("rfc_deflate_fragments", R,
	       "\x41\x03" "\xf2\x48\xcd" "\x80\x04" "\xc9\xc9\x07\x00",
	       "text more z #1 len=3 \"\\xf2H\\xcd\"; cont fin z #2 len=4 "
	       "\"\\xc9\\xc9\\x07\\x00\"; end"),
	WS_VEC("server_masked_allowed", 0,
	       "\x81\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58",
	       "text fin #1 len=5 \"Hello\"; end"),
	WS_VEC("empty_stream", C,
	       "",
	       "end"),
	/* payload sizes; WS_GEN frames come before the literal bytes */
	WS_VEC("masked_text_0", C,
	       "\x81\x80" "\x37\xfa\x21\x3d",
	       "text fin #1 len=0 \"\"; end"),
	WS_VEC("masked_binary_0", C,
	       "\x82\x80" "\xa1\xb2\xc3\xd4",
	       "bin fin #1 len=0 \"\"; end"),
	WS_VEC("masked_text_1", C,
	       "\x81\x81" "\xa1\xb2\xc3\xd4" "\xe0",
	       "text fin #1 len=1 \"A\"; end"),
	WS_VEC("masked_binary_1", C,
	       "\x82\x81" "\xa1\xb2\xc3\xd4" "\xa1",
	       "bin fin #1 len=1 \"\\x00\"; end"),
	WS_VEC("masked_text_40", C,
	       "\x81\xa8" "\x37\xfa\x21\x3d"
	       "\x63\x92\x44\x1d\x46\x8f\x48\x5e\x5c\xda\x43\x4f\x58\x8d\x4f\x1d"
	       "\x51\x95\x59\x1d\x5d\x8f\x4c\x4d\x44\xda\x4e\x4b\x52\x88\x01\x49"
	       "\x5f\x9f\x01\x51\x56\x80\x58\x1d",
	       "text fin #1 len=40 \"The quick brown fox jumps over the lazy \"; end"),
	WS_VEC("masked_text_41", C,
	       "\x81\xa9" "\x37\xfa\x21\x3d"
	       "\x63\x92\x44\x1d\x46\x8f\x48\x5e\x5c\xda\x43\x4f\x58\x8d\x4f\x1d"
	       "\x51\x95\x59\x1d\x5d\x8f\x4c\x4d\x44\xda\x4e\x4b\x52\x88\x01\x49"
	       "\x5f\x9f\x01\x51\x56\x80\x58\x1d\x53",
	       "text fin #1 len=41 fnv=082ee4c2; end"),
	WS_VEC("masked_zero_key", C,
	       "\x82\x85" "\x00\x00\x00\x00" "\x01\x02\x03\x04\x05",
	       "bin fin #1 len=5 \"\\x01\\x02\\x03\\x04\\x05\"; end"),
	WS_VEC("masked_text_125", C,
	       "",
	       "text fin #1 len=125 fnv=35b9f6e3; end",
	       WS_GEN(0x81, 0, 125, 1, { 0x37, 0xfa, 0x21, 0x3d })),
	WS_VEC("masked_binary_125", C,
	       "",
	       "bin fin #1 len=125 fnv=35b9f6e3; end",
	       WS_GEN(0x82, 0, 125, 1, { 0xa1, 0xb2, 0xc3, 0xd4 })),
	WS_VEC("masked_text_126", C,
	       "",
	       "text fin #1 len=126 fnv=53bf7040; end",
	       WS_GEN(0x81, 2, 126, 1, { 0x37, 0xfa, 0x21, 0x3d })),
	WS_VEC("masked_binary_126", C,
	       "",
	       "bin fin #1 len=126 fnv=53bf7040; end",
	       WS_GEN(0x82, 2, 126, 1, { 0xa1, 0xb2, 0xc3, 0xd4 })),
	WS_VEC("masked_text_65535", C,
	       "",
	       "text fin #1 len=65535 fnv=c55bb627; end",
	       WS_GEN(0x81, 2, 65535, 1, { 0x37, 0xfa, 0x21, 0x3d })),
	WS_VEC("masked_binary_65535", C,
	       "",
	       "bin fin #1 len=65535 fnv=c55bb627; end",
	       WS_GEN(0x82, 2, 65535, 1, { 0xa1, 0xb2, 0xc3, 0xd4 })),
	WS_VEC("masked_text_65536", C,
	       "",
	       "text fin #1 len=65536 fnv=f65ff1c5; end",
	       WS_GEN(0x81, 8, 65536, 1, { 0x37, 0xfa, 0x21, 0x3d })),
	WS_VEC("masked_binary_65536", C,
	       "",
	       "bin fin #1 len=65536 fnv=f65ff1c5; end",
	       WS_GEN(0x82, 8, 65536, 1, { 0xa1, 0xb2, 0xc3, 0xd4 })),
	WS_VEC("unmasked_binary_256_server", 0,
	       "",
	       "bin fin #1 len=256 fnv=7d7620c5; end",
	       WS_GEN(0x82, 2, 256, 0, { 0 })),
	WS_VEC("ping_125", C,
	       "",
	       "ping fin len=125 fnv=35b9f6e3; end",
	       WS_GEN(0x89, 0, 125, 1, { 0x37, 0xfa, 0x21, 0x3d })),
	WS_VEC("big_then_close", C,
	       "\x88\x80" "\x37\xfa\x21\x3d",
	       "bin fin #1 len=65536 fnv=f65ff1c5; close fin len=0 \"\"; end",
	       WS_GEN(0x82, 8, 65536, 1, { 0xa1, 0xb2, 0xc3, 0xd4 })),
	WS_VEC("big_fragment_then_cont", C,
	       "\x80\x81" "\xa1\xb2\xc3\xd4" "\x80",
	       "text more #1 len=65535 fnv=c55bb627; cont fin #2 len=1 \"\\x21\"; end",
	       WS_GEN(0x01, 2, 65535, 1, { 0x37, 0xfa, 0x21, 0x3d })),
	/* length encodings */
	WS_VEC("len16_nonmin_0", C,
	       "\x81\xfe\x00\x00" "\x37\xfa\x21\x3d",
	       "!VIOL_LEN_NONMIN@3"),
	WS_VEC("len16_nonmin_125", C,
	       "\x82\xfe\x00\x7d" "\x37\xfa\x21\x3d",
	       "!VIOL_LEN_NONMIN@3"),
	WS_VEC("len16_nonmin_server", 0,
	       "\x82\x7e\x00\x05" "Hello",
	       "!VIOL_LEN_NONMIN@3"),
	WS_VEC("len64_nonmin_0", C,
	       "\x81\xff\x00\x00\x00\x00\x00\x00\x00\x00",
	       "!VIOL_LEN_NONMIN@9"),
	WS_VEC("len64_nonmin_125", C,
	       "\x81\xff\x00\x00\x00\x00\x00\x00\x00\x7d",
	       "!VIOL_LEN_NONMIN@9"),
	WS_VEC("len64_nonmin_126", C,
	       "\x82\xff\x00\x00\x00\x00\x00\x00\x00\x7e",
	       "!VIOL_LEN_NONMIN@9"),
	WS_VEC("len64_nonmin_65535", C,
	       "\x82\xff\x00\x00\x00\x00\x00\x00\xff\xff",
	       "!VIOL_LEN_NONMIN@9"),
	WS_VEC("len64_msb", C,
	       "\x82\xff\x80\x00\x00\x00\x00\x00\x00\x00",
	       "!VIOL_LEN64@9"),
	WS_VEC("len64_msb_small", C,
	       "\x82\xff\x80\x00\x00\x00\x00\x00\x00\x05",
	       "!VIOL_LEN64@9"),
	WS_VEC("len64_all_ones", C,
	       "\x81\xff\xff\xff\xff\xff\xff\xff\xff\xff",
	       "!VIOL_LEN64@9"),
	WS_VEC("len64_max_truncated", C,
	       "\x82\xff\x7f\xff\xff\xff\xff\xff\xff\xff" "\xa1\xb2\xc3\xd4" "\x10\x20\x30",
	       "bin fin #1 len=9223372036854775807 got=3; partial"),
	WS_VEC("len64_4g_truncated", C,
	       "\x82\xff\x00\x00\x00\x01\x00\x00\x00\x00" "\xa1\xb2\xc3\xd4",
	       "bin fin #1 len=4294967296 got=0; partial"),
	WS_VEC("len16_nonmin_after_frame", C,
	       "\x81\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58" "\x81\xfe\x00\x05",
	       "text fin #1 len=5 \"Hello\"; !VIOL_LEN_NONMIN@14"),
	/* masking */
	WS_VEC("unmasked_client_text", C,
	       "\x81\x05" "Hello",
	       "!VIOL_UNMASKED@1"),
	WS_VEC("unmasked_client_ping", C,
	       "\x89\x00",
	       "!VIOL_UNMASKED@1"),
	WS_VEC("unmasked_client_second", C,
	       "\x81\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58" "\x82\x01" "x",
	       "text fin #1 len=5 \"Hello\"; !VIOL_UNMASKED@12"),
	/* reserved bits */
	WS_VEC("rsv2", C,
	       "\xa1\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58",
	       "!VIOL_RSV@1"),
	WS_VEC("rsv3", C,
	       "\x91\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58",
	       "!VIOL_RSV@1"),
	WS_VEC("rsv2_rsv1_ok", C | R,
	       "\xa1\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58",
	       "!VIOL_RSV@1"),
	WS_VEC("rsv3_rsv1_ok", C | R,
	       "\x92\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58",
	       "!VIOL_RSV@1"),
	WS_VEC("rsv123_rsv1_ok", C | R,
	       "\xf1\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58",
	       "!VIOL_RSV@1"),
	WS_VEC("rsv3_ping", C,
	       "\x99\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_RSV@1"),
	WS_VEC("rsv2_continuation", C,
	       "\x01\x83" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d" "\xa0\x82" "\xa1\xb2\xc3\xd4"
	       "\xcd\xdd",
	       "text more #1 len=3 \"Hel\"; !VIOL_RSV@10"),
	WS_VEC("rsv1_not_negotiated", C,
	       "\xc1\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58",
	       "!VIOL_RSV@1"),
	WS_VEC("rsv1_not_negotiated_server", 0,
	       "\xc1\x07" "\xf2\x48\xcd\xc9\xc9\x07\x00",
	       "!VIOL_RSV@1"),
	WS_VEC("rsv1_negotiated", C | R,
	       "\xc1\x87" "\xa1\xb2\xc3\xd4" "\x53\xfa\x0e\x1d\x68\xb5\xc3",
	       "text fin z #1 len=7 \"\\xf2H\\xcd\\xc9\\xc9\\x07\\x00\"; end"),
	WS_VEC("rsv1_negotiated_binary", C | R,
	       "\xc2\x87" "\x37\xfa\x21\x3d" "\xc5\xb2\xec\xf4\xfe\xfd\x21",
	       "bin fin z #1 len=7 \"\\xf2H\\xcd\\xc9\\xc9\\x07\\x00\"; end"),
	WS_VEC("rsv1_continuation", C | R,
	       "\x41\x83" "\x37\xfa\x21\x3d" "\xc5\xb2\xec" "\xc0\x84" "\xa1\xb2\xc3\xd4"
	       "\x68\x7b\xc4\xd4",
	       "text more z #1 len=3 \"\\xf2H\\xcd\"; !VIOL_RSV@10"),
	WS_VEC("rsv1_continuation_plain_msg", C | R,
	       "\x01\x83" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d" "\xc0\x82" "\xa1\xb2\xc3\xd4"
	       "\xcd\xdd",
	       "text more #1 len=3 \"Hel\"; !VIOL_RSV@10"),
	WS_VEC("rsv1_ping", C | R,
	       "\xc9\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_RSV@1"),
	WS_VEC("rsv1_close", C | R,
	       "\xc8\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_RSV@1"),
	WS_VEC("rsv1_then_plain", C | R,
	       "\xc1\x87" "\x37\xfa\x21\x3d" "\xc5\xb2\xec\xf4\xfe\xfd\x21" "\x81\x85"
	       "\xa1\xb2\xc3\xd4" "\xe9\xd7\xaf\xb8\xce",
	       "text fin z #1 len=7 \"\\xf2H\\xcd\\xc9\\xc9\\x07\\x00\"; text fin #1 len=5 "
	       "\"Hello\"; end"),
	WS_VEC("rsv1_fragments_with_ping", C | R,
	       "\x41\x83" "\x37\xfa\x21\x3d" "\xc5\xb2\xec" "\x89\x81" "\xa1\xb2\xc3\xd4" "\xd1"
	       "\x80\x84" "\x37\xfa\x21\x3d" "\xfe\x33\x26\x3d",
	       "text more z #1 len=3 \"\\xf2H\\xcd\"; ping fin len=1 \"p\"; cont fin z #2 "
	       "len=4 \"\\xc9\\xc9\\x07\\x00\"; end"),
	/* opcodes */
	WS_VEC("opcode_3", C,
	       "\x83\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("opcode_4", C,
	       "\x84\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("opcode_5", C,
	       "\x85\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("opcode_6", C,
	       "\x86\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("opcode_7", C,
	       "\x87\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("opcode_b", C,
	       "\x8b\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("opcode_c", C,
	       "\x8c\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("opcode_d", C,
	       "\x8d\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("opcode_e", C,
	       "\x8e\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("opcode_f", C,
	       "\x8f\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("opcode_3_nofin", C,
	       "\x03\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("opcode_b_in_message", C,
	       "\x01\x83" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d" "\x8b\x80" "\xa1\xb2\xc3\xd4",
	       "text more #1 len=3 \"Hel\"; !VIOL_OPCODE@10"),
	/* control frames */
	WS_VEC("ping_fragmented", C,
	       "\x09\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_CTRL_FRAG@1"),
	WS_VEC("pong_fragmented", C,
	       "\x0a\x81" "\x37\xfa\x21\x3d" "\x4f",
	       "!VIOL_CTRL_FRAG@1"),
	WS_VEC("close_fragmented", C,
	       "\x08\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_CTRL_FRAG@1"),
	WS_VEC("ping_126", C,
	       "\x89\xfe\x00\x7e" "\x37\xfa\x21\x3d",
	       "!VIOL_CTRL_LEN@1"),
	WS_VEC("ping_len64", C,
	       "\x89\xff\x00\x00\x00\x00\x00\x00\x00\x7e",
	       "!VIOL_CTRL_LEN@1"),
	WS_VEC("close_126", C,
	       "\x88\xfe\x00\x7e" "\x37\xfa\x21\x3d",
	       "!VIOL_CTRL_LEN@1"),
	WS_VEC("pong_126_server", 0,
	       "\x8a\xfe\x00\x7e",
	       "!VIOL_CTRL_LEN@1"),
	WS_VEC("close_empty", C,
	       "\x88\x80" "\x37\xfa\x21\x3d",
	       "close fin len=0 \"\"; end"),
	WS_VEC("close_code_reason", C,
	       "\x88\x85" "\xa1\xb2\xc3\xd4" "\xa2\x5a\xa1\xad\xc4",
	       "close fin len=5 \"\\x03\\xe8bye\"; end"),
	WS_VEC("close_in_fragment", C,
	       "\x01\x81" "\x37\xfa\x21\x3d" "\x56" "\x88\x82" "\xa1\xb2\xc3\xd4" "\xa2\x5b",
	       "text more #1 len=1 \"a\"; close fin len=2 \"\\x03\\xe9\"; open"),
	/* message sequencing */
	WS_VEC("cont_without_message", C,
	       "\x80\x81" "\x37\xfa\x21\x3d" "\x4f",
	       "!VIOL_CONT@1"),
	WS_VEC("cont_nofin_without_message", C,
	       "\x00\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_CONT@1"),
	WS_VEC("cont_after_final", C,
	       "\x81\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58" "\x80\x81" "\xa1\xb2\xc3\xd4"
	       "\xd9",
	       "text fin #1 len=5 \"Hello\"; !VIOL_CONT@12"),
	WS_VEC("cont_after_ping", C,
	       "\x89\x80" "\x37\xfa\x21\x3d" "\x80\x81" "\xa1\xb2\xc3\xd4" "\xd9",
	       "ping fin len=0 \"\"; !VIOL_CONT@7"),
	WS_VEC("text_while_fragmented", C,
	       "\x01\x83" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d" "\x81\x82" "\xa1\xb2\xc3\xd4"
	       "\xcd\xdd",
	       "text more #1 len=3 \"Hel\"; !VIOL_NOCONT@10"),
	WS_VEC("binary_while_fragmented", C,
	       "\x01\x83" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d" "\x02\x82" "\xa1\xb2\xc3\xd4"
	       "\xcd\xdd",
	       "text more #1 len=3 \"Hel\"; !VIOL_NOCONT@10"),
	WS_VEC("text_while_fragmented_after_ping", C,
	       "\x02\x81" "\x37\xfa\x21\x3d" "\x37" "\x89\x80" "\xa1\xb2\xc3\xd4" "\x81\x81"
	       "\x37\xfa\x21\x3d" "\x4f",
	       "bin more #1 len=1 \"\\x00\"; ping fin len=0 \"\"; !VIOL_NOCONT@14"),
	WS_VEC("fragments_interleaved", C,
	       "\x01\x83" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d" "\x89\x84" "\xa1\xb2\xc3\xd4"
	       "\xd1\xdb\xad\xb3" "\x00\x81" "\x37\xfa\x21\x3d" "\x5b" "\x8a\x80"
	       "\xa1\xb2\xc3\xd4" "\x80\x81" "\x37\xfa\x21\x3d" "\x58",
	       "text more #1 len=3 \"Hel\"; ping fin len=4 \"ping\"; cont more #2 len=1 "
	       "\"l\"; pong fin len=0 \"\"; cont fin #3 len=1 \"o\"; end"),
	WS_VEC("fragments_binary_five", C,
	       "\x02\x81" "\x37\xfa\x21\x3d" "\x36" "\x00\x81" "\xa1\xb2\xc3\xd4" "\xa3"
	       "\x00\x80" "\x37\xfa\x21\x3d" "\x00\x82" "\xa1\xb2\xc3\xd4" "\xa2\xb6" "\x80\x81"
	       "\x37\xfa\x21\x3d" "\x32",
	       "bin more #1 len=1 \"\\x01\"; cont more #2 len=1 \"\\x02\"; cont more #3 "
	       "len=0 \"\"; cont more #4 len=2 \"\\x03\\x04\"; cont fin #5 len=1 \"\\x05\"; end"),
	WS_VEC("fragments_empty", C,
	       "\x01\x80" "\x37\xfa\x21\x3d" "\x80\x80" "\xa1\xb2\xc3\xd4",
	       "text more #1 len=0 \"\"; cont fin #2 len=0 \"\"; end"),
	WS_VEC("fragments_two_messages", C,
	       "\x01\x81" "\x37\xfa\x21\x3d" "\x56" "\x80\x81" "\xa1\xb2\xc3\xd4" "\xc3"
	       "\x02\x81" "\x37\xfa\x21\x3d" "\x54" "\x80\x81" "\xa1\xb2\xc3\xd4" "\xc5",
	       "text more #1 len=1 \"a\"; cont fin #2 len=1 \"b\"; bin more #1 len=1 \"c\"; "
	       "cont fin #2 len=1 \"d\"; end"),
	WS_VEC("back_to_back", C,
	       "\x81\x85" "\x37\xfa\x21\x3d" "\x7f\x9f\x4d\x51\x58" "\x82\x83" "\xa1\xb2\xc3\xd4"
	       "\xa1\xb3\xc1" "\x89\x80" "\x37\xfa\x21\x3d" "\x8a\x81" "\xa1\xb2\xc3\xd4" "\xd9"
	       "\x01\x82" "\x37\xfa\x21\x3d" "\x56\x98" "\x80\x81" "\xa1\xb2\xc3\xd4" "\xc2"
	       "\x88\x82" "\x37\xfa\x21\x3d" "\x34\x12",
	       "text fin #1 len=5 \"Hello\"; bin fin #1 len=3 \"\\x00\\x01\\x02\"; ping fin "
	       "len=0 \"\"; pong fin len=1 \"x\"; text more #1 len=2 \"ab\"; cont fin #2 "
	       "len=1 \"c\"; close fin len=2 \"\\x03\\xe8\"; end"),
	WS_VEC("back_to_back_server", 0,
	       "\x81\x05" "Hello" "\x89\x00" "\x82\x01" "\xff",
	       "text fin #1 len=5 \"Hello\"; ping fin len=0 \"\"; bin fin #1 len=1 "
	       "\"\\xff\"; end"),
	/* truncated streams */
	WS_VEC("truncated_b0", C,
	       "\x81",
	       "partial"),
	WS_VEC("truncated_key", C,
	       "\x81\x85\x37\xfa",
	       "partial"),
	WS_VEC("truncated_len16", C,
	       "\x82\xfe\x01",
	       "partial"),
	WS_VEC("truncated_len64", C,
	       "\x82\xff\x00\x00\x00",
	       "partial"),
	WS_VEC("truncated_payload", C,
	       "\x81\x85" "\x37\xfa\x21\x3d" "\x7f\x9f",
	       "text fin #1 len=5 got=2; partial"),
	WS_VEC("open_message", C,
	       "\x01\x81" "\x37\xfa\x21\x3d" "\x56",
	       "text more #1 len=1 \"a\"; open"),
	/* several violations in one header: which reason wins is fixed */
	WS_VEC("precedence_rsv2_unmasked", C,
	       "\xa1\x05" "Hello",
	       "!VIOL_RSV@1"),
	WS_VEC("precedence_unmasked_opcode", C,
	       "\x83\x00",
	       "!VIOL_UNMASKED@1"),
	WS_VEC("precedence_opcode_fragmented", C,
	       "\x0b\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_OPCODE@1"),
	WS_VEC("precedence_ctrl_frag_len", 0,
	       "\x09\xfe\x00\x7e",
	       "!VIOL_CTRL_FRAG@1"),
	WS_VEC("precedence_cont_rsv1", C | R,
	       "\xc0\x80" "\x37\xfa\x21\x3d",
	       "!VIOL_CONT@1"),
};

#undef C
#undef R

static inline __u8 ws_pat(__u64 i)
{
	return (__u8)(i * 31 + (i >> 9));
}

/* The vector's whole stream in a malloc'd buffer. */
static inline __u8 *ws_vec_build(const struct ws_vec *v, size_t *len)
{
	const struct ws_gen *g = &v->gen;
	size_t n = 0, plen = g->b0 ? g->plen : 0;
	__u8 *p = malloc(14 + plen + v->len + 1);

	if (!p)
		abort();
	if (g->b0) {
		p[n++] = g->b0;
		if (g->ext == 0) {
			p[n++] = (g->masked ? 0x80 : 0) | plen;
		} else {
			p[n++] = (g->masked ? 0x80 : 0) | (g->ext == 2 ? 126 : 127);
			for (int i = g->ext - 1; i >= 0; i--)
				p[n++] = (__u8)((__u64)plen >> (8 * i));
		}
		if (g->masked) {
			memcpy(p + n, g->key, 4);
			n += 4;
		}
		for (size_t i = 0; i < plen; i++)
			p[n++] = ws_pat(i) ^ (g->masked ? g->key[i & 3] : 0);
	}
	memcpy(p + n, v->bytes, v->len);
	*len = n + v->len;
	return p;
}

struct ws_str {
	char *s;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3)))
static inline void ws_str_add(struct ws_str *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!o->s) {
		o->cap = 256;
		o->s = malloc(o->cap);
		if (!o->s)
			abort();
	}
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(o->s + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if (o->len + n < o->cap)
			break;
		o->cap = 2 * (o->len + n + 64);
		o->s = realloc(o->s, o->cap);
		if (!o->s)
			abort();
	}
	o->len += n;
}

/* Start a new log item. */
static inline void ws_str_item(struct ws_str *o)
{
	if (o->len)
		ws_str_add(o, "; ");
}

static inline const char *ws_reason_name(int reason)
{
#define WS_REASON_NAME(name, text, kind) #name,
	static const char *const names[] = { WSG_REASONS(WS_REASON_NAME) };
#undef WS_REASON_NAME

	if (reason <= 0 || reason >= (int)WSG_ARRAY_SIZE(names))
		return "?reason";
	return names[reason];
}

static inline __u32 ws_fnv(__u32 h, __u8 b)
{
	return (h ^ b) * 0x01000193u;
}

#define WS_FNV_INIT 0x811c9dc5u

static inline void ws_fmt_frame(char *buf, size_t size, __u8 hdr0, int compressed,
				unsigned int frag, __u64 len)
{
	static const char *const ops[16] = {
		"cont", "text", "bin", "op3", "op4", "op5", "op6", "op7",
		"close", "ping", "pong", "opb", "opc", "opd", "ope", "opf",
	};
	__u8 op = hdr0 & 0x0f;
	char fr[16] = "";

	if (op < WSG_OP_CLOSE)
		snprintf(fr, sizeof(fr), " #%u", frag);
	snprintf(buf, size, "%s %s%s%s len=%llu", ops[op], hdr0 & 0x80 ? "fin" : "more",
		 op < WSG_OP_CLOSE && compressed ? " z" : "", fr, (unsigned long long)len);
}

static inline void ws_fmt_payload(struct ws_str *o, const __u8 *show, __u64 len, __u32 fnv)
{
	if (len > WS_SHOW_MAX) {
		ws_str_add(o, " fnv=%08x", fnv);
		return;
	}
	ws_str_add(o, " \"");
	for (__u64 i = 0; i < len; i++) {
		__u8 c = show[i];

		if (c >= 0x20 && c < 0x7f && !strchr("\"\\;!?", c))
			ws_str_add(o, "%c", c);
		else
			ws_str_add(o, "\\x%02x", c);
	}
	ws_str_add(o, "\"");
}

/* The real parser, fed the way the BPF program and the daemon feed it. */
struct ws_log {
	struct wsg_frame st;
	struct ws_str out;
	__u64 off;		/* stream bytes consumed */
	__u64 got;		/* payload bytes of the current frame so far */
	__u64 err_off;
	__u32 fnv;
	int err;		/* -reason once the parser failed */
	int bad;		/* an invariant broke (already logged) */
	__u8 show[WS_SHOW_MAX];
	char cur[96];		/* the current frame, formatted at its header */
};

static inline void ws_log_init(struct ws_log *l, __u8 flags)
{
	memset(l, 0, sizeof(*l));
	l->st.flags = flags;
}

static inline void ws_log_bad(struct ws_log *l, const char *what)
{
	if (l->bad++)
		return;
	ws_str_item(&l->out);
	ws_str_add(&l->out, "?%s", what);
}

static inline void ws_log_invariants(struct ws_log *l)
{
	const struct wsg_frame *st = &l->st;

	if (st->err)
		return;
	if (st->state > WSG_FS_PAYLOAD)
		ws_log_bad(l, "state");
	if (st->state == WSG_FS_PAYLOAD && (!st->remaining || st->remaining > st->len ||
					    st->moff != ((st->len - st->remaining) & 3)))
		ws_log_bad(l, "payload-accounting");
	if ((st->state == WSG_FS_EXTLEN && (!st->need || st->need > 8)) ||
	    (st->state == WSG_FS_MASK && (!st->need || st->need > 4)))
		ws_log_bad(l, "need");
	if (st->msg_op > WSG_OP_BINARY || !st->msg_op != !st->frags)
		ws_log_bad(l, "message");
	if (wsg_frame_at_boundary(st) && (st->state != WSG_FS_B0 || st->msg_op))
		ws_log_bad(l, "boundary");
}

static inline void ws_log_frame_end(struct ws_log *l)
{
	ws_str_item(&l->out);
	ws_str_add(&l->out, "%s", l->cur);
	ws_fmt_payload(&l->out, l->show, l->st.len, l->fnv);
}

/*
 * A final empty data frame has closed its message by the time the call returns, so its
 * fragment number is read off the state before that call.
 */
static inline void ws_log_header(struct ws_log *l, int r, const struct wsg_frame *before)
{
	const struct wsg_frame *st = &l->st;
	unsigned int frag = st->frags;

	if (r == WSG_FR_END && wsg_frame_fin(st) && wsg_frame_opcode(st) < WSG_OP_CLOSE)
		frag = before->state != WSG_FS_B1 ? before->frags :
		       wsg_frame_opcode(st) == WSG_OP_CONT ? before->frags + 1u : 1u;
	ws_fmt_frame(l->cur, sizeof(l->cur), st->hdr0, !!(st->flags & WSG_FF_MSG_COMPRESSED),
		     frag, st->len);
	l->got = 0;
	l->fnv = WS_FNV_INIT;
	if (r == WSG_FR_HDR && (st->state != WSG_FS_PAYLOAD || !st->len))
		ws_log_bad(l, "hdr-ret");
	if (r == WSG_FR_END) {
		if (st->state != WSG_FS_B0 || st->len)
			ws_log_bad(l, "end-ret");
		ws_log_frame_end(l);
	}
}

/* After a failure every header byte must give the same error and change nothing. */
static inline void ws_log_after_error(struct ws_log *l, const __u8 *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct wsg_frame before = l->st;

		if (!wsg_frame_in_header(&l->st) || wsg_frame_at_boundary(&l->st) ||
		    wsg_frame_hdr_byte(&l->st, p[i]) != l->err ||
		    memcmp(&before, &l->st, sizeof(before))) {
			ws_log_bad(l, "sticky");
			return;
		}
	}
}

static inline void ws_log_payload(struct ws_log *l, const __u8 *p, __u64 k)
{
	struct wsg_frame sh = l->st;
	int r, r1 = WSG_FR_MORE;

	for (__u64 i = 0; i < k; i++) {
		__u8 b = p[i] ^ wsg_frame_mask_byte(&sh);

		if (l->got < WS_SHOW_MAX)
			l->show[l->got] = b;
		l->got++;
		l->fnv = ws_fnv(l->fnv, b);
		r1 = wsg_frame_payload(&sh, 1);
		if (r1 != (i + 1 == l->st.remaining ? WSG_FR_END : WSG_FR_MORE))
			ws_log_bad(l, "payload-ret");
	}
	r = wsg_frame_payload(&l->st, k);
	if (r != r1 || memcmp(&sh, &l->st, sizeof(sh)))
		ws_log_bad(l, "chunked-payload");
	if (r == WSG_FR_END)
		ws_log_frame_end(l);
}

static inline void ws_log_feed(struct ws_log *l, const __u8 *p, size_t n)
{
	while (n) {
		__u64 k;
		int r;

		if (l->err) {
			ws_log_after_error(l, p, n);
			return;
		}
		if (wsg_frame_in_header(&l->st)) {
			struct wsg_frame before = l->st;

			r = wsg_frame_hdr_byte(&l->st, *p);
			p++;
			n--;
			l->off++;
			if (r < 0) {
				l->err = r;
				l->err_off = l->off - 1;
				if (l->st.err != -r)
					ws_log_bad(l, "err-field");
			} else if (r != WSG_FR_MORE) {
				ws_log_header(l, r, &before);
			} else if (!wsg_frame_in_header(&l->st)) {
				ws_log_bad(l, "more-ret");
			}
			ws_log_invariants(l);
			continue;
		}
		k = n < l->st.remaining ? n : l->st.remaining;
		ws_log_payload(l, p, k);
		p += k;
		n -= k;
		l->off += k;
		ws_log_invariants(l);
	}
}

/* Close the log; returns it (the caller frees it). */
static inline char *ws_log_finish(struct ws_log *l)
{
	struct ws_str *o = &l->out;

	ws_str_item(o);
	if (l->err)
		ws_str_add(o, "!%s@%llu", ws_reason_name(-l->err), (unsigned long long)l->err_off);
	else if (l->st.state == WSG_FS_PAYLOAD)
		ws_str_add(o, "%s got=%llu; partial", l->cur, (unsigned long long)l->got);
	else if (l->st.state != WSG_FS_B0)
		ws_str_add(o, "partial");
	else
		ws_str_add(o, l->st.msg_op ? "open" : "end");
	return o->s;
}

/*
 * Reference model: RFC 6455 section 5 (and RFC 7692 for RSV1) read off a whole buffer, frame
 * by frame. When one header breaks several rules the reason is the parser's: RSV2/3, then
 * masking, then the opcode class rules in RFC order, then the length encoding.
 */
static inline char *ws_ref_log(const __u8 *p, size_t n, __u8 flags)
{
	struct ws_str o = { 0 };
	unsigned int frags = 0;
	int open = 0, compressed = 0, reason;
	size_t i = 0, at;

	for (;;) {
		__u8 b0, b1, op, rsv, key[4] = { 0 };
		size_t hl;
		__u64 len, avail, show;
		__u32 fnv = WS_FNV_INIT;
		__u8 buf[WS_SHOW_MAX];
		char desc[96];
		int fin, masked;

		if (i == n) {
			ws_str_item(&o);
			ws_str_add(&o, open ? "open" : "end");
			return o.s;
		}
		if (n - i < 2)
			goto partial;
		b0 = p[i];
		b1 = p[i + 1];
		fin = b0 >> 7;
		rsv = (b0 >> 4) & 7;
		op = b0 & 15;
		masked = b1 >> 7;
		len = b1 & 127;
		at = i + 1;
		if (rsv & 3) {
			reason = WSG_R_VIOL_RSV;
			goto fail;
		}
		if ((flags & WSG_FF_CLIENT) && !masked) {
			reason = WSG_R_VIOL_UNMASKED;
			goto fail;
		}
		if (op >= 8) {
			reason = op > 10 ? WSG_R_VIOL_OPCODE : !fin ? WSG_R_VIOL_CTRL_FRAG :
				 len > 125 ? WSG_R_VIOL_CTRL_LEN : rsv ? WSG_R_VIOL_RSV : 0;
		} else if (op == 0) {
			reason = !open ? WSG_R_VIOL_CONT : rsv ? WSG_R_VIOL_RSV : 0;
			frags++;
		} else {
			reason = op > 2 ? WSG_R_VIOL_OPCODE : open ? WSG_R_VIOL_NOCONT :
				 rsv && !(flags & WSG_FF_RSV1_OK) ? WSG_R_VIOL_RSV : 0;
			open = 1;
			frags = 1;
			compressed = rsv != 0;
		}
		if (reason)
			goto fail;
		hl = 2;
		if (len == 126 || len == 127) {
			size_t ext = len == 126 ? 2 : 8;

			if (n - i < 2 + ext)
				goto partial;
			len = 0;
			for (size_t j = 0; j < ext; j++)
				len = len << 8 | p[i + 2 + j];
			hl += ext;
			at = i + hl - 1;
			if (ext == 8 && (len >> 63)) {
				reason = WSG_R_VIOL_LEN64;
				goto fail;
			}
			if (len < (ext == 2 ? 126u : 65536u)) {
				reason = WSG_R_VIOL_LEN_NONMIN;
				goto fail;
			}
		}
		if (masked) {
			if (n - i < hl + 4)
				goto partial;
			memcpy(key, p + i + hl, 4);
			hl += 4;
		}
		ws_fmt_frame(desc, sizeof(desc), b0, compressed, frags, len);
		avail = n - i - hl;
		ws_str_item(&o);
		if (avail < len) {
			ws_str_add(&o, "%s got=%llu; partial", desc, (unsigned long long)avail);
			return o.s;
		}
		show = len < WS_SHOW_MAX ? len : WS_SHOW_MAX;
		for (__u64 j = 0; j < len; j++) {
			__u8 b = p[i + hl + j] ^ key[j % 4];

			if (j < show)
				buf[j] = b;
			fnv = ws_fnv(fnv, b);
		}
		ws_str_add(&o, "%s", desc);
		ws_fmt_payload(&o, buf, len, fnv);
		i += hl + len;
		if (op < 8 && fin) {
			open = 0;
			frags = 0;
		}
	}
partial:
	ws_str_item(&o);
	ws_str_add(&o, "partial");
	return o.s;
fail:
	ws_str_item(&o);
	ws_str_add(&o, "!%s@%zu", ws_reason_name(reason), at);
	return o.s;
}

#endif /* WS_FRAMES_H */
