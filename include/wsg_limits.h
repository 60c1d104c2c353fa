/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Decoding bounds: how much structure the daemon decodes in one message before it blocks it
 * with a "decode" rule (user/inspect.c). The kernel prefilter mirrors them
 * (wsg_prefilter.h, WSG_PF_UNITS_MAX), so a message past a bound is never fast-pathed.
 */
#ifndef WSG_LIMITS_H
#define WSG_LIMITS_H

#define WSG_JSON_MAX_DEPTH 32		/* JSON or MessagePack nesting */
#define WSG_JSON_MAX_NODES 10000	/* JSON or MessagePack values, STOMP headers */
#define WSG_RECORDS_MAX 1000		/* SignalR records or STOMP frames */
#define WSG_GQL_MAX_LITERALS 1000	/* string literals of one GraphQL document */
#define WSG_SIO_MAX_ATTACHMENTS 10	/* attachments one binary Socket.IO packet announces */

#endif /* WSG_LIMITS_H */
