// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The benchmark's floor: an sk_msg program that passes every send unread. `make bench`
 * attaches it in place of wsg_msg (WSG_BENCH_FLOOR=1 in the daemon's environment) to
 * measure what sockmap membership, the sk_skb verdict and an sk_msg run cost by themselves.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("sk_msg")
int wsg_msg_floor(struct sk_msg_md *msg)
{
	return SK_PASS;
}
