/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's view of one protected connection: the custody bytes the kernel handed over,
 * the same HTTP scan and frame parser the kernel runs, message reassembly (unmasking,
 * fragments, permessage-deflate), and the verdict per message. It decides how many custody
 * bytes may go back to the proxy (whole judged messages only) and whether to block; it does
 * no I/O itself (daemon.c and reinject.c do).
 */
#ifndef WSG_CONN_H
#define WSG_CONN_H

#include <stddef.h>
#include <zlib.h>
#include "wsg_abi.h"
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

struct wsg_conn_d {
	__u64 cookie;
	__u32 tgid;			/* process owning the proxy socket (from custody) */
	int fdnum;			/* fd number of the socket in tgid, -1 until found */
	int pidfd;
	int dup;			/* open duplicate while a re-injection waits, else -1 */
	struct wsg_tuple tuple;
	int have_tuple;
	__u8 mode;			/* enum wsg_mode */
	int dead;
	long closed_at;			/* monotonic ms of the socket's close, 0 while open */
	struct wsg_http_scan http;
	struct wsg_frame frame;
	struct wsg_handshake hs;
	enum wsg_framework fw;
	/* custody bytes: buf[0] is custody offset `released` */
	__u64 recv_off;			/* custody bytes received (next expected seq) */
	__u64 released;			/* custody bytes delivered back */
	unsigned char *buf;
	size_t len, cap;
	size_t parsed;			/* bytes of buf run through the parsers */
	size_t releasable;		/* bytes of buf judged: may go back to the proxy */
	/* the data message being reassembled (unmasked, still compressed if RSV1) */
	unsigned char *msg;
	size_t msg_len, msg_cap;
	__u8 msg_opcode;		/* WSG_OP_TEXT or WSG_OP_BINARY */
	z_stream *z;
	int pmd;			/* permessage-deflate offered in the handshake */
	struct wsg_conn_d *next;	/* hash chain */
};

/* What the daemon must do after feeding custody bytes. */
struct wsg_verdict {
	int block;			/* 1: kill the connection */
	enum wsg_reason reason;
	struct wsg_finding finding;	/* for DETECT */
	int handshake_done;		/* the request was just parsed: log it */
	unsigned messages;		/* messages allowed by this feed */
};

struct wsg_conn_d *wsg_conn_new(__u64 cookie);
void wsg_conn_free(struct wsg_conn_d *c);
/* Append custody bytes; returns 0 or -ENOMEM. */
int wsg_conn_append(struct wsg_conn_d *c, const void *p, size_t n);
/* Parse and judge what was appended. Fills *v; never fails on hostile input. */
void wsg_conn_process(struct wsg_conn_d *c, struct wsg_verdict *v);
/* n bytes of buf went back to the proxy. */
void wsg_conn_consume(struct wsg_conn_d *c, size_t n);

/* Judge one complete message; used by the daemon and by `wsguard scan`. */
int wsg_judge_message(struct wsg_conn_d *c, int opcode, int compressed, const unsigned char *p,
		      size_t n, struct wsg_verdict *v);
int wsg_utf8_valid(const unsigned char *p, size_t n);

/* Cookie-keyed table of connections. */
struct wsg_conn_d *wsg_conns_get(__u64 cookie, int create);
void wsg_conns_del(__u64 cookie);
void wsg_conns_each(void (*fn)(struct wsg_conn_d *c, void *arg), void *arg);

#endif /* WSG_CONN_H */
