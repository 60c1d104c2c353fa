/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The custody path in the daemon (custody.c): held chunks in, judged bytes released in order,
 * blocked connections killed, the memory budget kept. daemon.c owns the event loop and calls
 * in here when the custody socket, the release socket's peer or the retry timer is ready.
 */
#ifndef WSG_CUSTODY_H
#define WSG_CUSTODY_H

#include <stddef.h>
#include "conn.h"
#include "log.h"

struct ring_buffer;

struct wsg_custody {
	int hold_fd;			/* custody socket: held chunks behind wsg_hold_hdr */
	int rel_sock;			/* release socket (wsg_release) */
	int rel_peer;			/* its peer: releases for closed sockets end here */
	int rel_fd, blocked_fd, dstats_fd, resp_fd; /* wsg_rel, wsg_blocked, wsg_dstats, wsg_resp */
	struct ring_buffer *rb;		/* drained before a socket is adopted */
	int conn_map;			/* wsg_conn: sockets listed through sock_diag */
	__u32 tag;			/* hold headers carry WSG_HOLD_MAGIC ^ tag */
	int (*renew)(void *ctx);	/* a new custody socket into hold_fd: 0 or -errno */
	void *renew_ctx;
	size_t mem_max;			/* --mem-max */
	size_t mem_used, mem_peak;	/* sum of wsg_conn_mem() over every connection */
	/* private: the custody record being read, and the work lists */
	struct wsg_hold_hdr hdr;
	size_t hdr_have;
	size_t body_left;
	struct wsg_conn_d *cur;
	struct wsg_conn_d *dirty;	/* judged in this batch, released after it */
	struct wsg_conn_d *waiting;	/* releases the socket had no room for */
	int corrupt;			/* the custody stream broke: renew before reading on */
	struct wsg_rel_hdr peer_hdr;	/* the release record being read off the peer */
	size_t peer_have, peer_left;
	int peer_lost;
};

/* Read, judge and release everything the custody socket has. */
void wsg_custody_read(struct wsg_custody *cu);
/* Retry the releases that found a full socket (the loop polls again soon while any wait). */
void wsg_custody_retry(struct wsg_custody *cu);
/* Discard what reached the release socket's peer. */
void wsg_custody_drain_peer(struct wsg_custody *cu);
/* Count a reason in wsg_dstats. */
void wsg_custody_count(struct wsg_custody *cu, __u32 reason);
/* Kill a connection the daemon cannot serve (not a verdict on traffic): count, log, RST. */
void wsg_custody_kill(struct wsg_custody *cu, struct wsg_conn_d *c, __u32 reason);
/* The socket closed: keep a tombstone for custody still queued behind its CLOSE event. */
void wsg_custody_closed(struct wsg_custody *cu, struct wsg_conn_d *c);
void wsg_custody_forget(struct wsg_custody *cu, struct wsg_conn_d *c);
/* The kernel dropped c (its DROP event): nothing of it is judged or released any more. */
void wsg_custody_dropped(struct wsg_custody *cu, struct wsg_conn_d *c);
/*
 * Compare the connection table with the tracked sockets (sock_diag): entries whose CLOSE
 * event the ring lost become tombstones, entries without a tuple get one. Run now and then.
 */
void wsg_custody_reconcile(struct wsg_custody *cu);
/* Forget closed sockets whose late custody had time to arrive. */
void wsg_custody_reap(struct wsg_custody *cu);
/* At shutdown: custody not yet back in its socket can never be delivered in order: kill. */
void wsg_custody_stop(struct wsg_custody *cu);
/*
 * A daemon that took over the pins: find the sockets tracked before it started. Those whose
 * custody went to a daemon that died (held but never released) or that --fail open passed
 * unparsed are killed, counted and logged now; the others are adopted at their next hold.
 * gen: this daemon's wsg_ctl generation. Returns how many tracked sockets were alive.
 */
unsigned wsg_custody_adopt(struct wsg_custody *cu, __u16 gen);
/* Forget every connection. */
void wsg_custody_fini(struct wsg_custody *cu);

/* Begin an event line with the connection's cookie and, when known, its addresses. */
void wsg_ev_conn(struct wsg_ev *e, const char *event, struct wsg_conn_d *c, __u64 cookie);

#endif /* WSG_CUSTODY_H */
