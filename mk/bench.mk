# SPDX-License-Identifier: MIT
#
# The transfer benchmark: every path of xfer.sys against the null driver
# (bench/null: the same devices and codes, every request completed at once),
# interleaved in one Wine session.
#
# Targets:
#   bench        build both drivers and xferctl, run scripts/bench: tables on
#                the terminal; JSON, CSV and plots in $(BUILD)/bench/transfer
#   bench-docs   the same, then rewrite the transfer section of
#                docs/benchmarks.md and its plots in docs/img/
#   bench-check  a short run of the same pipeline, as a test: both drivers
#                load, serve every path and unload; the output parses
#   abi-check-null  the null driver's imports and x86 calling conventions,
#                as abi-check does for xfer.sys
#
# Variables: BENCH_ARGS, more arguments for `xferctl bench`.
#
# This fragment leaves the including Makefile's default goal alone.

BENCH_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

BENCH_ARGS ?=

# xfernull.sys for each architecture. It shares xfer.sys's probe-and-copy
# helper for the callers' buffers, and with it that architecture's support
# code (driver/x86/: the SEH frame, 64-bit division).
null_srcs = bench/null/null.c driver/probe.c $(wildcard driver/$(1)/*.c driver/$(1)/*.S)
$(foreach a,$(ARCHS),$(eval $(call win_driver,$(a),$(BUILD)/$(a)/xfernull.sys,$(call null_srcs,$(a)))))

driver: $(foreach a,$(ARCH),$(BUILD)/$(a)/xfernull.sys)

bench: driver windows
	scripts/bench $(BENCH_ARGS)

bench-docs: driver windows
	scripts/bench --docs $(BENCH_ARGS)

bench-check: driver windows
	scripts/bench --smoke

abi-check-null: driver
	@status=0; for arch in $(ARCH); do \
	  scripts/check-driver-abi $$arch $(BUILD)/$$arch/xfernull.sys \
	    $(BUILD)/$$arch/obj/bench/null/null.o $(BUILD)/$$arch/obj/driver/probe.o \
	    -- bench/null/null.c driver/probe.c || status=1; \
	done; exit $$status

.PHONY: bench bench-docs bench-check abi-check-null
CHECK_SUITES += bench-check abi-check-null

.DEFAULT_GOAL := $(BENCH_SAVED_DEFAULT_GOAL)
