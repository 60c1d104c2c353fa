/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel side lifecycle: open the skeleton, set the rodata config, create the custody
 * socket, load (reusing the maps pinned under WSG_PIN_DIR when a daemon ran before), fill the
 * prefilter and control maps, attach sockops (a pinned cgroup link), sk_msg and sk_skb (to
 * wsg_socks). Everything stays pinned, so the datapath outlives the daemon; a full stop
 * (SIGTERM) detaches and unpins all of it.
 */
#ifndef WSG_LOADER_H
#define WSG_LOADER_H

#include <linux/types.h>
#include "wsg_abi.h"

struct wsguard_bpf;
struct bpf_link;

struct wsg_run_opts {
	const char *cgroup;		/* cgroup v2 directory of the proxy */
	__u16 ports[WSG_MAX_PORTS];	/* protected backend ports */
	int nports;
	__u64 hold_max;
	__u32 scan_max;
	int fail_open;			/* --fail open: no daemon means pass, not drop */
	__u64 mem_max;			/* --mem-max: all the daemon holds and reassembles */
	const char *pin_dir;		/* NULL: WSG_PIN_DIR */
};

struct wsg_loader {
	struct wsguard_bpf *skel;
	struct bpf_link *sockops_link;
	int cgroup_fd;
	int socks_fd;			/* wsg_socks, where sk_msg/sk_skb are attached */
	int msg_attached, skb_attached;
	struct bpf_program *msg_prog;	/* attached to wsg_socks: wsg_msg (or the bench floor) */
	int hold_fd;			/* custody socket: the kernel redirects held sends here */
	int hold_peer_fd;		/* its connected peer, kept open, never used */
	int rel_fd;			/* release socket: approved bytes go back through it */
	int rel_peer_fd;		/* its peer: gets only releases for closed sockets */
	char pin_dir[256];
	int pin_lock;			/* flock on the pin directory: one daemon per directory */
	int pinned;
	int adopted;			/* pins of an earlier daemon were reused */
	int keep;			/* stop leaves the pins and attachments as found */
	__u16 gen;			/* this daemon's generation (wsg_ctl.gen) */
	__u32 tag;			/* this daemon's hold-header tag (wsg_ctl.tag) */
};

/* Returns 0, or -errno after logging what failed on what; undoes partial work itself. */
int wsg_loader_start(struct wsg_loader *l, const struct wsg_run_opts *o);
void wsg_loader_stop(struct wsg_loader *l);
/*
 * Replace the custody socket (its stream can no longer be trusted): later holds go to a new
 * one; what was queued in the old one is dropped with it. 0 or -errno.
 */
int wsg_loader_renew_custody(struct wsg_loader *l);
/* Detach the programs only (maps and custody socket stay); part of stop, idempotent. */
void wsg_loader_detach(struct wsg_loader *l);

/* Find the cgroup v2 mount point from /proc/self/mounts; 0 or -ENOENT. */
int wsg_cgroup2_root(char *buf, size_t len);
/* Mount bpffs at /sys/fs/bpf when nothing is there; 0 or -errno. */
int wsg_bpffs_ensure(void);

#endif /* WSG_LOADER_H */
