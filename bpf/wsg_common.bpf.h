/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* BPF-only helpers shared by the programs: counters, events, constants vmlinux.h lacks. */
#ifndef WSG_COMMON_BPF_H
#define WSG_COMMON_BPF_H

#include "wsg_maps.bpf.h"

#define AF_INET 2
#define AF_INET6 10

/*
 * Context loads at a fixed offset. Where two paths load neighbouring ctx fields, clang merges
 * them into one load from ctx+reg, which the verifier rejects ("dereference of modified ctx
 * ptr"); an asm load keeps each access a constant offset.
 */
#define WSG_CTX_LOAD(width, ctx, type, field)                                            \
	({                                                                               \
		__u##width v_;                                                           \
		asm volatile("%0 = *(u" #width " *)(%1 + %2)"                           \
			     : "=r"(v_)                                                  \
			     : "r"(ctx), "i"(__builtin_offsetof(type, field)));          \
		v_;                                                                      \
	})

static __always_inline void wsg_count(__u32 reason)
{
	__u64 *v = bpf_map_lookup_elem(&wsg_stats, &reason);

	if (v)
		(*v)++;
}

/* Reserve an event with the common fields filled; NULL (counted) when the ring is full. */
static __always_inline struct wsg_event *wsg_event_new(__u16 type, __u8 reason, __u64 cookie)
{
	struct wsg_event *e = bpf_ringbuf_reserve(&wsg_events, sizeof(*e), 0);

	if (!e) {
		wsg_count(WSG_R_FAIL_RINGBUF);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->type = type;
	e->size = sizeof(*e);
	e->version = WSG_EVENT_VERSION;
	e->reason = reason;
	e->cookie = cookie;
	e->ts_ns = bpf_ktime_get_ns();
	return e;
}

#endif /* WSG_COMMON_BPF_H */
