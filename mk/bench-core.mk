# SPDX-License-Identifier: MIT
#
# The store core's benchmark: throughput against memcpy, growth against
# Wdm1's reallocate-and-copy, memory use. Native, -O2, no sanitizers, one
# process. Not part of `make check`: it asserts no time, it reports.
#
# Targets:
#   bench-core   build and run bench/core, leaving data and plots in
#                $(BUILD)/bench/core, then rewrite the store-core section of
#                docs/benchmarks.md and its plots in docs/img/
#
# Variables: WDM1_MAX_MIB (default 64), the largest size Wdm1's quadratic
# growth is run at (64 takes about a minute, each doubling four times as
# long; past it, times are extrapolated); BENCH_FLAGS, more flags for
# bench_store (--quick: fewer repetitions, a smoke run).
#
# This fragment leaves the including Makefile's default goal alone.

BENCH_CORE_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

BUILD ?= build
BENCH_CC ?= clang
WDM1_MAX_MIB ?= 64
BENCH_FLAGS ?=
BENCH_DIR := $(BUILD)/bench/core
BENCH_BIN := $(BENCH_DIR)/bench_store
BENCH_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
                -Wsign-conversion -Werror -Icore
BENCH_SRCS := $(wildcard bench/core/*.c core/*.c)
BENCH_HDRS := $(wildcard bench/core/*.h core/*.h)

$(BENCH_BIN): $(BENCH_SRCS) $(BENCH_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CCLD,$@)$(BENCH_CC) $(BENCH_CFLAGS) $(BENCH_SRCS) -o $@ -lm

bench-core: $(BENCH_BIN) | deps
	$(BENCH_BIN) --out $(BENCH_DIR) --wdm1-max-mib $(WDM1_MAX_MIB) $(BENCH_FLAGS)
	BENCH_CC=$(BENCH_CC) bench/core/report $(BENCH_DIR) docs/benchmarks.md docs/img
	@cat $(BENCH_DIR)/results.md

.PHONY: bench-core

.DEFAULT_GOAL := $(BENCH_CORE_SAVED_DEFAULT_GOAL)
