// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one definition of every wsguard map and of the rodata config; no programs here. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#define WSG_MAPS_OWNER
#include "wsg_maps.bpf.h"

const volatile struct wsg_cfg wsg_cfg = {
	.hold_max = WSG_DEF_HOLD_MAX,
	.scan_max = WSG_DEF_SCAN_MAX,
};

char LICENSE[] SEC("license") = "Dual BSD/GPL";
