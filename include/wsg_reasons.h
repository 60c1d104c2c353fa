/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every reason wsguard counts: why a send passed, why it was held, why a connection was
 * dropped, why an internal step failed. One X-macro list expanded into enum wsg_reason for
 * both compilers and into the name table in userspace, so nothing is kept in sync by hand.
 * The numeric values index wsg_stats (kernel) and wsg_vstats (daemon); append, never reorder.
 */
#ifndef WSG_REASONS_H
#define WSG_REASONS_H

/* X(name, "text", kind) with kind: PASS, HOLD, DROP (connection killed), FAIL (internal) */
#define WSG_REASONS(X)                                                                  \
	X(NONE, "none", PASS)                                                           \
	X(PASS_CLEAN, "pass_clean", PASS)                 /* prefilter saw nothing */   \
	X(PASS_DAEMON, "pass_daemon", PASS)               /* daemon's own re-inject */  \
	X(PASS_HTTP, "pass_http", PASS)                   /* plain HTTP connection */   \
	X(HOLD_PREFILTER, "hold_prefilter", HOLD)         /* a trigger byte/bigram */   \
	X(HOLD_HANDSHAKE, "hold_handshake", HOLD)         /* the upgrade request */     \
	X(HOLD_CUSTODY, "hold_custody", HOLD)             /* earlier bytes still held */ \
	X(HOLD_PARTIAL, "hold_partial", HOLD)             /* send ends inside a frame */ \
	X(HOLD_FRAGMENT, "hold_fragment", HOLD)           /* fragmented message */      \
	X(HOLD_COMPRESSED, "hold_compressed", HOLD)       /* RSV1: permessage-deflate */ \
	X(HOLD_UNSCANNED, "hold_unscanned", HOLD)         /* larger than the scan window */ \
	X(VIOL_UNMASKED, "unmasked_client_frame", DROP)                                  \
	X(VIOL_RSV, "reserved_bits", DROP)                                               \
	X(VIOL_OPCODE, "reserved_opcode", DROP)                                          \
	X(VIOL_CTRL_FRAG, "fragmented_control_frame", DROP)                              \
	X(VIOL_CTRL_LEN, "oversized_control_frame", DROP)                                \
	X(VIOL_LEN64, "length_msb_set", DROP)                                            \
	X(VIOL_LEN_NONMIN, "non_minimal_length", DROP)                                   \
	X(VIOL_CONT, "unexpected_continuation", DROP)                                    \
	X(VIOL_NOCONT, "expected_continuation", DROP)                                    \
	X(VIOL_HTTP, "bad_handshake", DROP)                                              \
	X(VIOL_UTF8, "invalid_utf8", DROP)                                               \
	X(LIMIT_HOLD, "hold_limit", DROP)                 /* custody bound per conn */  \
	X(LIMIT_MESSAGE, "message_too_big", DROP)                                        \
	X(LIMIT_FRAGMENTS, "too_many_fragments", DROP)                                   \
	X(LIMIT_INFLATE, "inflate_limit", DROP)                                          \
	X(BAD_DEFLATE, "bad_deflate", DROP)                                              \
	X(BLOCKED, "blocked", DROP)                       /* cookie in wsg_blocked */   \
	X(DETECT, "attack_detected", DROP)                /* daemon verdict: block */   \
	X(DAEMON_GONE, "daemon_gone", DROP)               /* failure policy */          \
	X(FAIL_STORAGE, "fail_storage", FAIL)                                            \
	X(FAIL_PULL, "fail_pull", FAIL)                                                  \
	X(FAIL_PUSH, "fail_push", FAIL)                                                  \
	X(FAIL_REDIRECT, "fail_redirect", FAIL)                                          \
	X(FAIL_RINGBUF, "fail_ringbuf", FAIL)                                            \
	X(FAIL_REINJECT, "fail_reinject", FAIL)                                          \
	X(FAIL_KILL, "fail_kill", FAIL)                                                  \
	X(FAIL_PROTO, "fail_proto", FAIL)                 /* daemon saw a bad record */ \
	X(CONN_OPEN, "conn_open", PASS)                   /* lifecycle counters */      \
	X(CONN_CLOSE, "conn_close", PASS)                                                \
	X(DAEMON_STOP, "daemon_stopped", DROP)            /* custody left at shutdown */ \
	X(VIOL_SIO_COUNT, "sio_attachment_count", DROP)   /* count vs placeholders */    \
	X(VIOL_SIO_UNEXPECTED, "sio_unexpected_binary", DROP) /* no packet expects it */ \
	X(VIOL_SIO_INTERRUPTED, "sio_plaintext_in_binary", DROP) /* attachments due */   \
	X(LIMIT_SIO_ATTACH, "sio_attachments_too_big", DROP) /* one packet's bytes */ \
	X(HOLD_HTTP, "hold_http", HOLD)                   /* every HTTP request */       \
	X(HOLD_UPGRADE, "hold_upgrade", HOLD)             /* upgrade answer not seen */  \
	X(PASS_FAIL_OPEN, "pass_fail_open", PASS)         /* no daemon, --fail open */   \
	X(BAD_REQUEST, "bad_request", DROP)               /* HTTP framing the daemon refuses */ \
	X(CUSTODY_LOST, "custody_lost", DROP)             /* held bytes died with a daemon */ \
	X(LOST_SYNC, "lost_sync", DROP)                   /* passed unparsed while no daemon */ \
	X(LIMIT_MEM, "memory_limit", DROP)                /* daemon memory budget */     \
	X(UPGRADE_UNANSWERED, "upgrade_unanswered", DROP) /* bytes before the 101 */ \
	X(LIMIT_SOCKS, "too_many_connections", DROP)      /* wsg_socks is full */

#define WSG_REASON_ENUM(name, text, kind) WSG_R_##name,
enum wsg_reason { WSG_REASONS(WSG_REASON_ENUM) WSG_R__COUNT };
#undef WSG_REASON_ENUM

enum wsg_reason_kind { WSG_RK_PASS, WSG_RK_HOLD, WSG_RK_DROP, WSG_RK_FAIL };

#define WSG_STATS_SLOTS 64 /* wsg_stats entries; >= WSG_R__COUNT */

#endif /* WSG_REASONS_H */
