/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Portability shim for the headers in include/: the only place that knows whether it is
 * compiled by clang -target bpf (types from vmlinux.h, included first by every .bpf.c) or
 * by gcc for userspace (types from <linux/types.h>). Shared headers include nothing else.
 */
#ifndef WSG_TYPES_H
#define WSG_TYPES_H

#if defined(__bpf__)
/* vmlinux.h has been included by the .bpf.c before any shared header. */
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define WSG_INLINE static __always_inline
#else
#include <linux/types.h>
#define WSG_INLINE static inline
#endif

#define WSG_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define WSG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* WSG_TYPES_H */
