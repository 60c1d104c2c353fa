/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Deep inspection of one complete WebSocket message: framework decode (Engine.IO/Socket.IO,
 * SignalR, STOMP, GraphQL over WebSocket, JSON-RPC, JSON, MessagePack, plain text), a walk
 * over every string leaf and object key, normalisation, and the detectors (XSS, SQL
 * injection, command injection, path traversal). No BPF, no root, no global mutable state
 * after wsg_inspect_init(); safe on hostile input (bounded everywhere).
 */
#ifndef WSG_INSPECT_H
#define WSG_INSPECT_H

#include <stddef.h>

enum wsg_framework {
	WSG_FW_AUTO = 0,	/* guess from the message */
	WSG_FW_SOCKETIO,	/* Engine.IO v3/v4 packet carrying Socket.IO */
	WSG_FW_JSON,		/* a JSON document */
	WSG_FW_TEXT,		/* plain text */
	WSG_FW_SIGNALR,		/* SignalR hub protocol: JSON records + 0x1E (text frames) or
				 * varint-prefixed MessagePack records (binary frames) */
	WSG_FW_STOMP,		/* STOMP 1.0-1.2 frames */
	WSG_FW_GRAPHQL,		/* graphql-transport-ws / graphql-ws (JSON + query literals) */
	WSG_FW_JSONRPC,		/* JSON-RPC 2.0, single or batch */
};

struct wsg_finding {
	const char *rule;	/* stable rule id, e.g. "xss-010"; static storage */
	const char *cls;	/* attack class: "xss", "sqli", "rce", "lfi", "decode" */
	const char *desc;	/* one-line human description; static storage */
	char where[128];	/* JSON path of the leaf ("$[1].text", "$" for plain text) */
	char excerpt[128];	/* printable, bounded excerpt of the normalised text matched */
};

/*
 * Loads the built-in rules unless a set is active (rules.h); cheap once loaded, so callers may
 * repeat it. Returns 0 or -errno.
 */
int wsg_inspect_init(void);
void wsg_inspect_fini(void);

/*
 * Inspect one complete, unmasked, already-inflated message. is_text: WebSocket opcode was
 * text. Returns 1 to block (*f filled), 0 to allow. Hostile structure (depth, node count,
 * output size) is a block with cls "decode", never a crash.
 */
int wsg_inspect(enum wsg_framework fw, int is_text, const char *msg, size_t len,
		struct wsg_finding *f);

/*
 * Soundness contract with the kernel prefilter (include/wsg_prefilter.h): every rule fires
 * only when at least one of these anchors occurs, ASCII case-insensitively, in the normalised
 * text it examined, with the line break it needs (need[i], WSG_PF_BRK_*: a line anchor, see
 * detect.h). Anchors are printable ASCII and non-empty; whatever normalisation produces
 * that is not literally in the raw message comes from an escape (wsg_inspect_escapes).
 */
void wsg_inspect_anchors(const char *const **anchors, const unsigned char **need, size_t *n);

/*
 * Escape introducers: raw byte sequences (one or two ASCII bytes, matched ASCII
 * case-insensitively) at least one of which is in the raw message whenever normalisation
 * produced text that is not literally there: "\\u", "\\x", "%", "&", and "\\c" (the STOMP
 * header escape for ':', decoded in STOMP header values). JSON's other escapes
 * (\\" \\\\ \\/) leave their character in the raw bytes, so they need no entry.
 */
void wsg_inspect_escapes(const char *const **escapes, size_t *n);

/*
 * Protocol markers the daemon must see although no rule fires on them alone: the
 * "_placeholder" of a Socket.IO binary event, whose announcing packet starts the attachment
 * tracking of the connection (conn.c). Printable ASCII, matched like anchors.
 */
void wsg_inspect_triggers(const char *const **triggers, size_t *n);

#endif /* WSG_INSPECT_H */
