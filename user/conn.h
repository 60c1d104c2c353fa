/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's view of one protected connection: the custody bytes the kernel handed over,
 * parsed as the stream goes: HTTP requests one by one (stream_http.c), the upgrade answer,
 * then WebSocket frames with the kernel's parser, message reassembly (unmasking, fragments,
 * permessage-deflate), and the verdict per message. It decides how many custody bytes may go
 * back to the proxy (whole judged requests and messages only) and whether to block; it does
 * no I/O itself (daemon.c and release.c do).
 */
#ifndef WSG_CONN_H
#define WSG_CONN_H

#include <stddef.h>
#include <zlib.h>
#include "wsg_abi.h"
#include "decode_polling.h"
#include "http_req.h"
#include "inspect.h"

#define WSG_MSG_MAX (1u << 20)		/* largest message the daemon judges */
#define WSG_FRAGS_MAX 1024		/* frames per message */
#define WSG_INFLATE_RATIO 100		/* inflated bytes per compressed byte */

struct wsg_handshake {
	char path[512];
	char protocol[128];
	char extensions[256];
	char origin[256];
	int upgrade;			/* Upgrade: websocket */
};

/*
 * A Socket.IO binary packet (type 5 or 6) being reassembled, as socket.io-parser's
 * BinaryReconstructor does: the text packet announced `expect` more attachments, which the
 * next binary messages are. While any is expected, nothing from the packet on is releasable,
 * so the kernel holds every later send and the attachments all reach the daemon.
 */
struct wsg_sio_event {
	unsigned expect;		/* attachments still expected; 0: no packet open */
	unsigned next;			/* index of the next attachment in its packet */
	size_t bytes;			/* attachment bytes of the open packet so far */
	unsigned char eio;		/* Engine.IO protocol (EIO=3 or 4 in the path), 0 unknown */
	/*
	 * 1 once the daemon judged a Socket.IO text packet and has seen every message since:
	 * the kernel passes messages the daemon never sees whenever custody runs empty, so a
	 * binary message then may belong to a packet announced on the fast path.
	 */
	unsigned char synced;
};

struct wsg_conn_d {
	__u64 cookie;
	struct wsg_tuple tuple;
	int have_tuple;
	__u8 mode;			/* enum wsg_mode */
	int seen;			/* custody known from offset 0 (OPEN) or from adoption */
	int listed;			/* custody.c: found by the last reconcile */
	int dead;
	long closed_at;			/* monotonic ms of the socket's close, 0 while open */
	long kill_at;			/* refused request answered: RST at this time if still open */
	struct wsg_http_parser *hp;	/* HTTP mode: the request being parsed */
	enum wsg_transport tr;		/* transport of the last request */
	__u64 up_end;			/* UPGRADE: custody offset right after the upgrade request */
	__u64 hdr_seq;			/* custody header of the latest chunk: its offset ... */
	__u16 hdr_status;		/* ... and the upgrade answer the kernel had seen then */
	__u16 answer;			/* offline replay: the answer to assume (101), else 0 */
	int arm;			/* arm wsg_resp before releasing (an upgrade request) */
	struct wsg_frame frame;
	struct wsg_handshake hs;
	enum wsg_framework fw;
	/* custody bytes: buf[0] is custody offset `released`; buf lies in base[0..cap) */
	__u64 recv_off;			/* custody bytes received (next expected seq) */
	__u64 released;			/* custody bytes delivered back */
	unsigned char *base, *buf;
	size_t len, cap;
	size_t parsed;			/* bytes of buf run through the parsers */
	size_t releasable;		/* bytes of buf judged: may go back to the proxy */
	/* the data message being reassembled (unmasked, still compressed if RSV1) */
	unsigned char *msg;
	size_t msg_len, msg_cap;
	__u8 msg_opcode;		/* WSG_OP_TEXT or WSG_OP_BINARY */
	z_stream *z;
	int pmd;			/* permessage-deflate offered in the handshake */
	struct wsg_sio_event sio;	/* fw WSG_FW_SOCKETIO: binary packet in progress */
	struct wsg_conn_d *next;	/* hash chain */
	struct wsg_conn_d *dirty_next;	/* daemon.c: flush list of a custody batch ... */
	int dirty;
	struct wsg_conn_d *wait_next;	/* ... and of releases waiting for room in the socket */
	int waiting;
	size_t mem;			/* daemon.c: wsg_conn_mem() as last counted in the budget */
};

/* What the daemon must do after feeding custody bytes. */
struct wsg_verdict {
	int block;			/* 1: kill the connection */
	enum wsg_reason reason;
	struct wsg_finding finding;	/* for DETECT */
	int handshake_done;		/* the request was just parsed: log it */
	int resp_forget;		/* an upgrade was refused: clear wsg_resp */
	enum wsg_transport tr;		/* the transport the finding or messages came by */
	unsigned messages;		/* messages allowed by this feed */
};

struct wsg_conn_d *wsg_conn_new(__u64 cookie);
void wsg_conn_free(struct wsg_conn_d *c);
/* Bytes the daemon holds for c: its buffers, inflate state, request parser. */
size_t wsg_conn_mem(const struct wsg_conn_d *c);
/* Free what c holds and forget its stream (a dead connection's entry stays as a tombstone). */
void wsg_conn_shrink(struct wsg_conn_d *c);
/* A custody header: the offset of the chunk that follows and what the kernel knew then. */
void wsg_conn_chunk(struct wsg_conn_d *c, const struct wsg_hold_hdr *h);
/* Append custody bytes; returns 0 or -ENOMEM. */
int wsg_conn_append(struct wsg_conn_d *c, const void *p, size_t n);
/* Parse and judge what was appended. Fills *v; never fails on hostile input. */
void wsg_conn_process(struct wsg_conn_d *c, struct wsg_verdict *v);
/* n bytes of buf went back to the proxy. */
void wsg_conn_consume(struct wsg_conn_d *c, size_t n);

/*
 * Judge one complete message; used by the daemon and by `wsguard scan`. On a Socket.IO
 * connection it also follows binary packets and their attachments across messages (see
 * struct wsg_sio_event); a connection without a framework becomes Socket.IO at its first
 * binary packet ("451-[...]").
 */
int wsg_judge_message(struct wsg_conn_d *c, int opcode, int compressed, const unsigned char *p,
		      size_t n, struct wsg_verdict *v);
int wsg_utf8_valid(const unsigned char *p, size_t n);
void wsg_verdict_block(struct wsg_verdict *v, enum wsg_reason reason);

/* Grow *buf to hold need bytes (doubling from 4 KiB); 0 or -ENOMEM. */
int wsg_buf_grow(unsigned char **buf, size_t *cap, size_t need);

/* stream_ws.c: after an upgrade request, the answer decides WS or HTTP (or blocks). */
void wsg_stream_answer(struct wsg_conn_d *c, struct wsg_verdict *v);
/* stream_ws.c: frames until more bytes are needed or a block. */
void wsg_stream_ws(struct wsg_conn_d *c, struct wsg_verdict *v);

/*
 * sio_conn.c: a text or binary message of a Socket.IO connection, with its binary packets
 * followed across messages. 1: blocked (*v set), 0: allowed, -1: not theirs (inspect the
 * message on its own).
 */
int wsg_sio_text(struct wsg_conn_d *c, const unsigned char *p, size_t n, struct wsg_verdict *v);
int wsg_sio_binary(struct wsg_conn_d *c, const unsigned char *p, size_t n, struct wsg_verdict *v);

/* stream_http.c: HTTP mode. Parse, route and judge requests until more bytes are needed, a
 * block, or an upgrade request (mode UPGRADE). */
void wsg_stream_http(struct wsg_conn_d *c, struct wsg_verdict *v);
/* The decoder for a connection's messages from its upgrade request. */
enum wsg_framework wsg_fw_from_handshake(const struct wsg_handshake *hs);

/* Cookie-keyed table of connections. */
struct wsg_conn_d *wsg_conns_get(__u64 cookie, int create);
void wsg_conns_del(__u64 cookie);
void wsg_conns_each(void (*fn)(struct wsg_conn_d *c, void *arg), void *arg);

#endif /* WSG_CONN_H */
