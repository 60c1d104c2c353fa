/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's hands on the proxy's sockets: find a socket by cookie in its owner process
 * (pidfd_getfd, SO_COOKIE checked), send approved custody bytes back into it, record the
 * progress in wsg_rel, and kill a socket with SOCK_DESTROY (RST) keyed by cookie and tuple.
 */
#ifndef WSG_REINJECT_H
#define WSG_REINJECT_H

#include "conn.h"

/*
 * Send buf[0..releasable) of c into the proxy's socket, non-blocking. Returns bytes sent
 * (consumed from c and recorded in rel_fd), or -EAGAIN with c->dup left open for the caller
 * to wait on EPOLLOUT, or another -errno. Closes the duplicate when everything went out.
 */
long wsg_reinject(struct wsg_conn_d *c, int rel_fd);
/* SO_COOKIE of a socket (0 on error). */
__u64 wsg_fd_cookie(int fd);
/* Close c's duplicate socket, if any. */
void wsg_reinject_close(struct wsg_conn_d *c);
/* RST the socket: SOCK_DESTROY over sock_diag. 0 or -errno. */
int wsg_kill(struct wsg_conn_d *c);
/* getsockname/getpeername of the proxy socket into c->tuple (when sockops' was missed). */
int wsg_conn_tuple_from_fd(struct wsg_conn_d *c);
/* Text form "addr:port" of the tuple's source or destination. */
void wsg_tuple_str(const struct wsg_tuple *t, int dst, char *buf, size_t len);

#endif /* WSG_REINJECT_H */
