# SPDX-License-Identifier: GPL-2.0-only
# wsguard build: BPF objects -> one linked object -> skeleton -> the wsguard binary; test tiers.
# `make` builds, `make check` runs every tier (what .ci/run calls), `make demo` runs the demo.

CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= gcc
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
OUT := build
VMLINUX := vmlinux/$(ARCH)/vmlinux.h


BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	-Iinclude -Ibpf -I$(dir $(VMLINUX))
WARN := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS ?= -g -O2
CFLAGS += $(WARN) -std=gnu11 -MMD -MP -D_GNU_SOURCE -Iinclude -Iuser -I$(OUT)
LDLIBS += -lbpf -lcjson -lhs -lelf -lz -lm
ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

# wsg_maps defines every map: it goes first, so the linked object's .maps section starts with
# its definitions (the static linker mislays externs resolved from a later object).
BPF_SRCS := bpf/wsg_maps.bpf.c $(filter-out bpf/wsg_maps.bpf.c,$(wildcard bpf/*.bpf.c))
BPF_TMPS := $(patsubst bpf/%.bpf.c,$(OUT)/bpf/%.tmp.bpf.o,$(BPF_SRCS))
USER_SRCS := $(wildcard user/*.c)
USER_OBJS := $(patsubst user/%.c,$(OUT)/user/%.o,$(USER_SRCS))
LIB_OBJS := $(filter-out $(OUT)/user/main.o,$(USER_OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/unit/%,$(UNIT_SRCS))
BPFT_SRCS := $(wildcard tests/bpf/test_*.c)
BPFT_BINS := $(patsubst tests/bpf/%.c,$(OUT)/tests/bpf/%,$(BPFT_SRCS))
TLIB_OBJS := $(patsubst tests/lib/%.c,$(OUT)/tests/lib/%.o,$(wildcard tests/lib/*.c))
E2E_TESTS := $(wildcard tests/e2e/test_*.sh)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(OUT)/fuzz/%,$(FUZZ_SRCS))
FUZZ_SECS ?= 60
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-std=gnu11 -D_GNU_SOURCE -Iinclude -Iuser -I$(OUT) -Itests

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all clean test test-unit test-bpf test-e2e check check-run demo fuzz bench fuzz vmlinux deps \
	format format-check headers

all: $(OUT)/wsguard

$(OUT) $(OUT)/bpf $(OUT)/user $(OUT)/tests/unit $(OUT)/tests/bpf $(OUT)/tests/lib:
	$(Q)mkdir -p $@

$(OUT)/bpf/%.tmp.bpf.o: bpf/%.bpf.c $(wildcard include/*.h bpf/*.bpf.h) $(VMLINUX) | $(OUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/wsguard.bpf.o: $(BPF_TMPS)
	$(call msg,LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(OUT)/wsguard.skel.h: $(OUT)/wsguard.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name wsguard_bpf > $@

$(OUT)/user/%.o: user/%.c $(OUT)/wsguard.skel.h | $(OUT)/user
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUT)/wsguard: $(USER_OBJS)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(OUT)/tests/lib/%.o: tests/lib/%.c $(OUT)/wsguard.skel.h | $(OUT)/tests/lib
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/lib -c $< -o $@

$(OUT)/tests/unit/%: tests/unit/%.c $(LIB_OBJS) $(TLIB_OBJS) | $(OUT)/tests/unit
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/lib -Itests $(LDFLAGS) $< $(LIB_OBJS) $(TLIB_OBJS) $(LDLIBS) -o $@

# The comparison with ModSecurity + OWASP CRS runs the real libmodsecurity in process.
$(OUT)/tests/unit/test_vs_crs: LDLIBS += -lmodsecurity

$(OUT)/tests/bpf/%: tests/bpf/%.c $(LIB_OBJS) $(TLIB_OBJS) | $(OUT)/tests/bpf
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/lib -Itests $(LDFLAGS) $< $(LIB_OBJS) $(TLIB_OBJS) $(LDLIBS) -o $@

$(OUT)/tests/bench/%: tests/bench/%.c $(LIB_OBJS) $(TLIB_OBJS)
	$(call msg,BENCH,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests/lib -Itests $(LDFLAGS) $< $(LIB_OBJS) $(TLIB_OBJS) $(LDLIBS) -lpthread -o $@

# The load generator and echo backend of the nginx benchmark: standalone (libc, pthread).
$(OUT)/bench/%: tests/bench/%.c
	$(call msg,BENCH,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -g $(WARN) -std=gnu11 -D_GNU_SOURCE $< -lpthread -o $@

# Header-only targets need no daemon sources.
FUZZ_HDR_BINS := $(OUT)/fuzz/fuzz_frame
$(FUZZ_HDR_BINS): $(OUT)/fuzz/%: tests/fuzz/%.c $(wildcard include/*.h tests/vectors/*.h)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(WARN) $< -o $@

# The built-in rules file is linked into rules.o (.incbin).
$(OUT)/user/rules.o: rules/wsguard.rules.json

# libFuzzer targets: each links every daemon source but main.c, built with clang + sanitizers.
$(OUT)/fuzz/%: tests/fuzz/%.c $(filter-out user/main.c,$(USER_SRCS)) $(OUT)/wsguard.skel.h \
		rules/wsguard.rules.json
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $< $(filter-out user/main.c,$(USER_SRCS)) $(LDLIBS) -o $@

# Every shared header must compile alone with both compilers.
headers:
	$(Q)for h in include/*.h; do \
		$(CC) -fsyntax-only -Wall -Wextra -Werror -Iinclude -x c $$h || exit 1; \
		printf '#include "vmlinux.h"\n#include "%s"\n' $$(basename $$h) | \
		$(CLANG) -target bpf -fsyntax-only -Werror -Iinclude -I$(dir $(VMLINUX)) -x c - || exit 1; \
	done

test-unit: $(UNIT_BINS)
	$(Q)tests/run.sh $(UNIT_BINS)

test-bpf: $(OUT)/wsguard $(BPFT_BINS)
	$(Q)tests/run.sh $(BPFT_BINS)

test-e2e: $(OUT)/wsguard
	$(Q)tests/run.sh $(E2E_TESTS)

test: test-unit

# Everything CI runs; one closing "N passed, N failed" line for all tiers. deps first, in its
# own make, so a fresh machine gets its packages before anything is compiled.
check: deps
	$(Q)$(MAKE) --no-print-directory check-run

check-run: headers $(OUT)/wsguard $(UNIT_BINS) $(BPFT_BINS) $(FUZZ_BINS)
	$(Q)FUZZ_SECS=10 tests/run.sh $(UNIT_BINS) $(BPFT_BINS) tests/fuzz/run.sh $(E2E_TESTS)

deps:
	$(Q)scripts/deps.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory $(OUT)/wsguard
	$(Q)tests/e2e/demo.sh

# Each fuzz target for FUZZ_SECS seconds (default 60; `make check` runs a short smoke pass).
fuzz: $(FUZZ_BINS)
	$(Q)FUZZ_SECS=$(FUZZ_SECS) tests/run.sh tests/fuzz/run.sh

# Ratios against a baseline measured in the same run; nothing is asserted.
bench: $(OUT)/wsguard $(OUT)/tests/bench/bench_scan $(OUT)/tests/bench/bench_datapath \
		$(OUT)/tests/bench/bench_memory $(OUT)/bench/ws_load $(OUT)/bench/ws_echo
	$(Q)$(OUT)/tests/bench/bench_scan
	$(Q)$(OUT)/tests/bench/bench_datapath
	$(Q)$(OUT)/tests/bench/bench_memory
	$(Q)tests/bench/bench_conns.sh
	$(Q)tests/bench/bench_nginx.sh

vmlinux:
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $(VMLINUX).tmp
	$(Q){ echo "/* Generated by 'make vmlinux' (bpftool btf dump) from Linux $$(uname -r); CO-RE relocates it. */"; \
		cat $(VMLINUX).tmp; } > $(VMLINUX) && rm -f $(VMLINUX).tmp

format:
	$(Q)clang-format -i $(wildcard include/*.h bpf/*.c bpf/*.h user/*.c user/*.h)

clean:
	$(Q)rm -rf $(OUT)

-include $(wildcard $(OUT)/user/*.d $(OUT)/tests/*/*.d)
