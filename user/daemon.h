/* SPDX-License-Identifier: GPL-2.0-only */
/* `wsguard run`: the protecting daemon (load, attach, serve custody and events, detach). */
#ifndef WSG_DAEMON_H
#define WSG_DAEMON_H

#include "loader.h"

/* Runs until SIGINT/SIGTERM; returns 0 after a clean detach, or -errno. */
int wsg_daemon_run(const struct wsg_run_opts *o);

#endif /* WSG_DAEMON_H */
