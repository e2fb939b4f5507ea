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
#
# Variables: BENCH_ARGS, more arguments for `xferctl bench`.
#
# This fragment leaves the including Makefile's default goal alone.

BENCH_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

NULL_SYS := $(WINBIN)/xfernull.sys
BENCH_ARGS ?=

# It shares xfer.sys's probe-and-copy helper for the callers' buffers.
$(NULL_SYS): $(WINBIN)/obj/bench/null/null.o $(WINBIN)/obj/driver/probe.o
	$(WIN_CC) $(DRIVER_LDFLAGS) $^ $(DRIVER_LIBS) -o $@

driver: $(NULL_SYS)

bench: driver windows
	scripts/bench $(BENCH_ARGS)

bench-docs: driver windows
	scripts/bench --docs $(BENCH_ARGS)

bench-check: driver windows
	scripts/bench --smoke

.PHONY: bench bench-docs bench-check
CHECK_SUITES += bench-check

.DEFAULT_GOAL := $(BENCH_SAVED_DEFAULT_GOAL)
