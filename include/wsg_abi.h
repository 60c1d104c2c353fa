/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The ABI between the kernel programs and the daemon: the start-up config, per-socket
 * state, the custody (hold) record header, the ring-buffer event, and map/pin names.
 * Every struct here is read by both compilers; sizes are asserted so a layout change that
 * one side does not see fails the build.
 */
#ifndef WSG_ABI_H
#define WSG_ABI_H

#include "wsg_types.h"
#include "wsg_reasons.h"
#include "wsg_frame.h"
#include "wsg_http.h"
#include "wsg_prefilter.h"

#define WSG_PIN_DIR "/sys/fs/bpf/wsguard"
#define WSG_MAX_PORTS 16
#define WSG_MAX_SOCKS 65536
#define WSG_EXCERPT_MAX 128
#define WSG_EVENT_VERSION 1
#define WSG_HOLD_MAGIC 0x48475357u /* "WSGH" in memory order */
#define WSG_REL_MAGIC 0x52475357u  /* "WSGR" in memory order */
#define WSG_ANS_MAGIC 0x41475357u  /* "WSGA": a release into the socket's ingress instead */
#define WSG_REL_CHUNK 16384	   /* payload bytes of one release send: one sk_msg run */

/* Defaults; the daemon may override them in struct wsg_cfg. */
#define WSG_DEF_HOLD_MAX (64u << 20)	/* custody backlog per connection (a stalled daemon) */
#define WSG_DEF_MEM_MAX (256ull << 20)	/* all the daemon holds and reassembles */
#define WSG_DEF_SCAN_MAX 16384		/* bytes of one send the kernel scans */
#define WSG_SCAN_LIMIT 32768		/* hard cap for scan_max (one linear page frag) */

/* wsg_socks key of the daemon's custody socket: no socket cookie is 0. */
#define WSG_HOLD_KEY 0ULL

/*
 * Read-only config, set by the daemon between open and load (rodata). A restarted daemon's
 * programs serve the sockets tracked after it started; sockets tracked before keep the
 * programs (and this config) they were inserted with, so whatever a new daemon must be able
 * to change for every socket lives in wsg_ctl instead.
 */
struct wsg_cfg {
	__u64 hold_max;			/* custody bound per connection, bytes */
	__u32 scan_max;			/* sends longer than this are held unscanned */
	__u32 nports;
	__u16 ports[WSG_MAX_PORTS];	/* protected backend ports, host order */
};
WSG_STATIC_ASSERT(sizeof(struct wsg_cfg) == 48, "wsg_cfg layout");

/* wsg_ctl (one entry): written by the running daemon, read by every program generation. */
struct wsg_ctl {
	__u32 daemon_tgid;		/* the running daemon, for listings */
	__u8 fail_open;			/* no daemon: pass what would be held, else drop */
	__u8 pad;
	__u16 gen;			/* daemon generation: each start on the pins adds one */
	__u32 tag;			/* random per daemon: hold headers carry magic ^ tag */
	__u32 pad2;
};
WSG_STATIC_ASSERT(sizeof(struct wsg_ctl) == 16, "wsg_ctl layout");

struct wsg_tuple {
	__u16 family;		/* AF_INET (2) or AF_INET6 (10) */
	__u16 sport;		/* local port, host order */
	__u16 dport;		/* remote port, host order */
	__u16 pad;
	__u32 saddr[4];		/* network order; IPv4 in [0] */
	__u32 daddr[4];
};
WSG_STATIC_ASSERT(sizeof(struct wsg_tuple) == 40, "wsg_tuple layout");

/*
 * What the stream of a tracked socket carries next. HTTP: requests, one after another
 * (keep-alive); each is judged by the daemon. UPGRADE: an upgrade request went out; the
 * backend's response status (wsg_resp, read on ingress) decides between WS (101) and HTTP.
 */
enum wsg_mode {
	WSG_MODE_HTTP,		/* HTTP requests */
	WSG_MODE_WS,		/* WebSocket frames */
	WSG_MODE_UPGRADE,	/* after an upgrade request, until its response status is known */
	WSG_MODE_DEAD,		/* dropped: every send fails */
};

/*
 * The send being scanned. It lives in wsg_conn, not on the BPF stack: constants kept on the
 * stack would make the verifier re-check the bpf_loop callback for every combination.
 */
struct wsg_scan_st {
	__u64 trig_left;	/* payload bytes of the triggering frame from the trigger on */
	__u32 pos;		/* next byte of the send to look at */
	__u32 size;		/* bytes in the send */
	__u32 verdict;		/* enum wsg_reason decided so far, NONE while clean */
	__u32 trig_i;		/* send offset of the prefilter trigger */
	__u32 trig_key;		/* masking key of the triggering frame, little endian */
	__u8 trig_moff;		/* mask index of the trigger byte */
	__u8 opcode;		/* opcode of the frame the verdict is about */
	__u8 pad[2];
};

enum wsg_blob_phase { WSG_BLOB_NONE, WSG_BLOB_WALK, WSG_BLOB_DECODE };

/*
 * A base64 token the kernel decodes (wsg_pf_blob_*); offsets are into the send. ref is the
 * byte that completed the run, mref its mask index; low is where the frame's payload starts,
 * end where it or the send ends (cut: the send's); cur is the walk's or the decoding's byte,
 * done the end of the token decoded last (a run before it is in that token: decoded once).
 */
struct wsg_blob_scan {
	struct wsg_pf_blob bl;
	__u32 ref;
	__u32 low;
	__u32 end;
	__u32 cur;
	__u32 done;
	__u8 mref;
	__u8 phase;		/* enum wsg_blob_phase */
	__u8 cut;
	__u8 first;		/* the token's first byte, as far as the walk got */
};

/* wsg_conn (SK_STORAGE): created by sockops, then written only by sk_msg (socket locked). */
struct wsg_conn {
	__u64 cookie;
	__u64 held;		/* bytes handed to the daemon so far (custody stream offset) */
	struct wsg_tuple tuple;
	struct wsg_frame frame;
	struct wsg_pf_state pf;
	struct wsg_blob_scan blob;
	struct wsg_http_scan http;
	struct wsg_scan_st scan;
	__u8 mode;		/* enum wsg_mode */
	__u8 resync;		/* held bytes were not parsed here: restart at catch-up */
	__u8 reason;		/* enum wsg_reason of the drop when mode is DEAD */
	__u8 lost;		/* fail open passed bytes unparsed: a daemon kills it on return */
	__u16 gen;		/* wsg_ctl.gen of the daemon its custody went to */
	__u8 pad[2];
};
WSG_STATIC_ASSERT(sizeof(struct wsg_conn) == 328, "wsg_conn layout");

/* wsg_rel (by cookie): written only by the daemon, after its release send returned. */
struct wsg_rel {
	__u64 released;		/* custody bytes delivered back to the socket */
	__u8 mode;		/* enum wsg_mode as the daemon parsed it (HTTP: not known yet) */
	__u8 profile;		/* enum wsg_pf_profile: how the daemon reads its messages */
	__u8 pad[6];
};
WSG_STATIC_ASSERT(sizeof(struct wsg_rel) == 16, "wsg_rel layout");

/* Header pushed in front of every chunk redirected into the daemon's custody socket. */
struct wsg_hold_hdr {
	__u32 magic;		/* WSG_HOLD_MAGIC ^ wsg_ctl.tag: bytes no sender can forge */
	__u32 len;		/* chunk bytes that follow this header */
	__u64 cookie;
	__u64 seq;		/* custody offset of the chunk's first byte */
	__u32 tgid;		/* the sending process, for pidfd_getfd */
	__u8 reason;		/* enum wsg_reason: why it was held */
	__u8 mode;		/* enum wsg_mode of the kernel's parser when it held the chunk */
	__u16 status;		/* wsg_resp status of the socket then (0: none seen) */
	__u64 released;		/* wsg_rel.released then (seq != released: earlier custody) */
};
WSG_STATIC_ASSERT(sizeof(struct wsg_hold_hdr) == 40, "wsg_hold_hdr layout");

/*
 * wsg_resp (by cookie): the status code of the backend's response to the last upgrade request.
 * The daemon arms it (status 0) right before it releases an upgrade request; the ingress
 * verdict program fills it from the first response bytes (1: not a status line).
 */
struct wsg_resp {
	__u16 status;
	__u16 pad[3];
};
WSG_STATIC_ASSERT(sizeof(struct wsg_resp) == 8, "wsg_resp layout");

/*
 * Header of a release: the daemon sends it with the approved bytes on its release socket;
 * wsg_msg pops it and redirects the bytes out through the target socket's egress.
 */
struct wsg_rel_hdr {
	__u32 magic;		/* WSG_REL_MAGIC, or WSG_ANS_MAGIC: as if the backend had sent it */
	__u32 len;		/* bytes that follow, at most WSG_REL_CHUNK */
	__u64 cookie;		/* the target socket */
};
WSG_STATIC_ASSERT(sizeof(struct wsg_rel_hdr) == 16, "wsg_rel_hdr layout");

enum wsg_event_type {
	WSG_EV_OPEN = 1,	/* sockops: an upstream socket is tracked */
	WSG_EV_CLOSE = 2,	/* sockops: it closed */
	WSG_EV_HOLD = 3,	/* sk_msg: a send went into custody */
	WSG_EV_DROP = 4,	/* sk_msg: the connection was dropped */
};

/* The one ring-buffer record (fixed size: bpf_ringbuf_reserve needs a constant). */
struct wsg_event {
	__u16 type;		/* enum wsg_event_type */
	__u16 size;		/* sizeof(struct wsg_event) */
	__u8 version;		/* WSG_EVENT_VERSION */
	__u8 reason;		/* enum wsg_reason */
	__u8 opcode;		/* HOLD/DROP: opcode of the frame in question */
	__u8 trig[2];		/* HOLD_PREFILTER: the trigger pair (folded) */
	__u8 pad[3];
	__u32 len;		/* HOLD: chunk length */
	__u32 tgid;		/* sending process (0 where unknown) */
	__u32 trig_off;		/* HOLD_PREFILTER: payload offset of the trigger */
	__u16 excerpt_len;
	__u16 pad2[3];
	__u64 cookie;
	__u64 ts_ns;		/* bpf_ktime_get_ns() */
	__u64 seq;		/* HOLD/DROP: custody offset */
	struct wsg_tuple tuple;
	__u8 excerpt[WSG_EXCERPT_MAX]; /* HOLD: unmasked payload from the trigger on */
};
WSG_STATIC_ASSERT(sizeof(struct wsg_event) == 224, "wsg_event layout");

#endif /* WSG_ABI_H */
