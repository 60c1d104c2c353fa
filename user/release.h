/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's hands on the proxy's sockets, without any of their descriptors: approved
 * custody bytes go back through the daemon's release socket (wsg_msg pops the wsg_rel_hdr
 * and redirects them out through the target's egress), progress is recorded in wsg_rel by
 * cookie, and a socket is killed with SOCK_DESTROY (RST) keyed by cookie and 4-tuple. No
 * ptrace rights over the proxy, no /proc walk: the cost per connection is constant.
 */
#ifndef WSG_RELEASE_H
#define WSG_RELEASE_H

#include "conn.h"

/*
 * Send buf[0..releasable) of c back into its socket, in WSG_REL_CHUNK pieces, non-blocking.
 * Returns the bytes released (consumed from c, recorded in rel_map), -EAGAIN when the
 * socket's send buffer is full (nothing released: try again later), or another -errno.
 * Stops early, returning what went, when the socket filled up mid-way.
 */
long wsg_release(struct wsg_conn_d *c, int sock, int rel_map);
/*
 * Put resp into c's socket as if the backend had sent it (at most WSG_REL_CHUNK bytes): the
 * proxy reads it as the answer to the request it is waiting on. 0 or -errno.
 */
int wsg_answer(struct wsg_conn_d *c, int sock, const char *resp, size_t n);
/* SO_COOKIE of a socket (0 on error). */
__u64 wsg_fd_cookie(int fd);
/* RST the socket: SOCK_DESTROY over sock_diag. 0 or -errno (-ENOENT: no tuple known). */
int wsg_kill(struct wsg_conn_d *c);
/*
 * Every TCP socket that has wsg_conn storage (conn_map: its fd), as sock_diag dumps it, to
 * fn: how a daemon that takes over the pins finds the sockets tracked before it started.
 * 0 or -errno.
 */
int wsg_tracked_each(int conn_map, void (*fn)(void *ctx, const struct wsg_conn *c), void *ctx);
/* Text form "addr:port" of the tuple's source or destination. */
void wsg_tuple_str(const struct wsg_tuple *t, int dst, char *buf, size_t len);

#endif /* WSG_RELEASE_H */
