/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every map and the start-up config of the kernel side, declared once. wsg_maps.bpf.c
 * defines them (WSG_MAPS_OWNER); the program files see extern declarations that the
 * static linker (bpftool gen object) resolves to the one definition.
 */
#ifndef WSG_MAPS_BPF_H
#define WSG_MAPS_BPF_H

#include "wsg_abi.h"

#ifdef WSG_MAPS_OWNER
#define WSG_DECL
#else
#define WSG_DECL extern
#endif

/* Protected upstream sockets by cookie, plus the daemon's custody socket at WSG_HOLD_KEY. */
WSG_DECL struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, WSG_MAX_SOCKS);
	__type(key, __u64);
	__type(value, __u64);
} wsg_socks SEC(".maps");

/* Per-socket parser and custody state; sockops creates it, sk_msg alone writes it after. */
WSG_DECL struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct wsg_conn);
} wsg_conn SEC(".maps");

/*
 * Custody bytes the daemon has released per socket, by cookie; written only by the daemon
 * (it has no descriptor of the socket, so not SK_STORAGE), deleted by sockops at close.
 */
WSG_DECL struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, WSG_MAX_SOCKS);
	__type(key, __u64);
	__type(value, struct wsg_rel);
} wsg_rel SEC(".maps");

/* Cookies the daemon blocked: any further send fails. Value: enum wsg_reason. */
WSG_DECL struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, WSG_MAX_SOCKS);
	__type(key, __u64);
	__type(value, __u32);
} wsg_blocked SEC(".maps");

/* Status of the backend's answer to the last upgrade request, by cookie (struct wsg_resp). */
WSG_DECL struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, WSG_MAX_SOCKS);
	__type(key, __u64);
	__type(value, struct wsg_resp);
} wsg_resp SEC(".maps");

/* Prefilter tables built by the daemon from the detectors' anchors (one entry). */
WSG_DECL struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wsg_pf_table);
} wsg_prefilter SEC(".maps");

/* Kernel counters indexed by enum wsg_reason. */
WSG_DECL struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, WSG_STATS_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} wsg_stats SEC(".maps");

/* Daemon counters indexed by enum wsg_reason (verdicts, kills); written only by the daemon. */
WSG_DECL struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, WSG_STATS_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} wsg_dstats SEC(".maps");

/* Hold, drop and lifecycle events (struct wsg_event) for the daemon. */
WSG_DECL struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} wsg_events SEC(".maps");

/* The running daemon's word to every program generation (struct wsg_ctl, one entry). */
WSG_DECL struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wsg_ctl);
} wsg_ctl SEC(".maps");

WSG_DECL const volatile struct wsg_cfg wsg_cfg;

#endif /* WSG_MAPS_BPF_H */
