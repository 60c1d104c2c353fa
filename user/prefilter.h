/* SPDX-License-Identifier: GPL-2.0-only */
/* Builds the kernel prefilter tables (include/wsg_prefilter.h) from the detectors' anchors. */
#ifndef WSG_PREFILTER_BUILD_H
#define WSG_PREFILTER_BUILD_H

#include <stddef.h>
#include "inspect.h"
#include "wsg_prefilter.h"

/* Fill *t from wsg_inspect_anchors() and wsg_inspect_escapes(); wsg_inspect_init first. */
void wsg_pf_build(struct wsg_pf_table *t);

/*
 * Run the prefilter over one text message payload as the kernel would; 1 when it would
 * hold. _as: binary (a binary message) selects the structure weights of MessagePack, and
 * profile is the connection's (wsg_pf_profile_of its framework).
 */
int wsg_pf_message(const struct wsg_pf_table *t, const unsigned char *p, size_t len);
int wsg_pf_message_as(const struct wsg_pf_table *t, const unsigned char *p, size_t len,
		      int binary, enum wsg_pf_profile profile);

/* The profile the kernel reads a connection with whose messages the daemon decodes as fw. */
enum wsg_pf_profile wsg_pf_profile_of(enum wsg_framework fw);

/* The framework a daemon that adopts a connection reads it as, from the profile it had. */
enum wsg_framework wsg_pf_profile_fw(enum wsg_pf_profile profile);

#endif /* WSG_PREFILTER_BUILD_H */
