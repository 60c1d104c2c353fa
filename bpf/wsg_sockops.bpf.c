// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sockops on the protected cgroup: an outgoing connection to a protected backend port becomes
 * a tracked upstream socket (SOCKHASH entry, per-socket state, OPEN event); its close is
 * reported (CLOSE event) so the daemon frees what it keeps for it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "wsg_common.bpf.h"

static __always_inline int wsg_port_protected(__u16 port)
{
	for (int i = 0; i < WSG_MAX_PORTS; i++) {
		if (i >= wsg_cfg.nports)
			break;
		if (wsg_cfg.ports[i] == port)
			return 1;
	}
	return 0;
}

#define WSG_SKOPS(skops, field) WSG_CTX_LOAD(32, skops, struct bpf_sock_ops, field)

static __always_inline void wsg_tuple_fill(struct wsg_tuple *t, struct bpf_sock_ops *skops)
{
	t->family = skops->family;
	t->sport = skops->local_port;
	/* remote_port holds the network-order port in its upper half on little endian */
	t->dport = bpf_ntohl(skops->remote_port);
	if (t->family == AF_INET) {
		t->saddr[0] = WSG_SKOPS(skops, local_ip4);
		t->daddr[0] = WSG_SKOPS(skops, remote_ip4);
		return;
	}
	t->saddr[0] = WSG_SKOPS(skops, local_ip6[0]);
	t->saddr[1] = WSG_SKOPS(skops, local_ip6[1]);
	t->saddr[2] = WSG_SKOPS(skops, local_ip6[2]);
	t->saddr[3] = WSG_SKOPS(skops, local_ip6[3]);
	t->daddr[0] = WSG_SKOPS(skops, remote_ip6[0]);
	t->daddr[1] = WSG_SKOPS(skops, remote_ip6[1]);
	t->daddr[2] = WSG_SKOPS(skops, remote_ip6[2]);
	t->daddr[3] = WSG_SKOPS(skops, remote_ip6[3]);
}

static __always_inline void wsg_track(struct bpf_sock_ops *skops)
{
	struct bpf_sock *sk = skops->sk; /* read once: a second read is or-null again */
	struct wsg_event *e;
	struct wsg_conn *c;
	__u64 cookie;

	if (!sk || !wsg_port_protected(bpf_ntohl(skops->remote_port)))
		return;
	c = bpf_sk_storage_get(&wsg_conn, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!c) {
		wsg_count(WSG_R_FAIL_STORAGE);
		return;
	}
	cookie = bpf_get_socket_cookie(skops);
	c->cookie = cookie;
	c->mode = WSG_MODE_HTTP;
	c->frame.flags = WSG_FF_CLIENT | WSG_FF_RSV1_OK; /* RSV1 is held, the daemon judges it */
	wsg_tuple_fill(&c->tuple, skops);
	if (bpf_sock_hash_update(skops, &wsg_socks, &cookie, BPF_NOEXIST)) {
		/* untracked, its sends would pass unjudged: the daemon resets it (DROP event) */
		wsg_count(WSG_R_LIMIT_SOCKS);
		c->mode = WSG_MODE_DEAD;
		e = wsg_event_new(WSG_EV_DROP, WSG_R_LIMIT_SOCKS, cookie);
		if (e) {
			e->tuple = c->tuple;
			bpf_ringbuf_submit(e, 0);
		}
		return;
	}
	bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_STATE_CB_FLAG);
	wsg_count(WSG_R_CONN_OPEN);
	e = wsg_event_new(WSG_EV_OPEN, WSG_R_CONN_OPEN, cookie);
	if (!e)
		return;
	e->tuple = c->tuple;
	e->tgid = bpf_get_current_pid_tgid() >> 32;
	bpf_ringbuf_submit(e, 0);
}

static __always_inline void wsg_closed(struct bpf_sock_ops *skops)
{
	struct bpf_sock *sk = skops->sk;
	struct wsg_event *e;
	struct wsg_conn *c;

	if (!sk)
		return;
	c = bpf_sk_storage_get(&wsg_conn, sk, 0, 0);
	if (!c)
		return;
	wsg_count(WSG_R_CONN_CLOSE);
	bpf_map_delete_elem(&wsg_resp, &c->cookie);
	bpf_map_delete_elem(&wsg_rel, &c->cookie);
	e = wsg_event_new(WSG_EV_CLOSE, WSG_R_CONN_CLOSE, c->cookie);
	if (!e)
		return;
	e->tuple = c->tuple;
	e->seq = c->held;
	bpf_ringbuf_submit(e, 0);
}

SEC("sockops")
int wsg_sockops(struct bpf_sock_ops *skops)
{
	switch (skops->op) {
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
		wsg_track(skops);
		break;
	case BPF_SOCK_OPS_STATE_CB:
		if (skops->args[1] == BPF_TCP_CLOSE)
			wsg_closed(skops);
		break;
	}
	return 1;
}
