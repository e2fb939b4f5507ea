# SPDX-License-Identifier: MIT
#
# Differential fuzzing of the store core with libFuzzer: tests/fuzz/
# fuzz_store.c runs decoded operation sequences against the store and the
# flat-array model of tests/unit/byte_model.c, under ASan and UBSan.
#
# Targets:
#   fuzz-build   build $(BUILD)/fuzz/fuzz_store
#   fuzz         fuzz for FUZZ_SECONDS (default 60) from the checked-in
#                corpus, keeping what it learns in $(BUILD)/fuzz/corpus;
#                a crash input lands in $(BUILD)/fuzz/artifacts/ (add it to
#                tests/fuzz/regressions/ once the bug is fixed)
#   fuzz-check   replay tests/fuzz/corpus and tests/fuzz/regressions, then
#                fuzz for FUZZ_CHECK_SECONDS (default 10); one case each
#
# The store and the decoder carry the fuzzer's coverage instrumentation; the
# model and the test allocator do not (their loops would only slow it down).
# This fragment leaves the including Makefile's default goal alone.

FUZZ_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

BUILD ?= build
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 10
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_BIN := $(FUZZ_DIR)/fuzz_store
FUZZ_WARNINGS := -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
                 -Wsign-conversion -Werror
FUZZ_CFLAGS := -std=c11 -g -O1 $(FUZZ_WARNINGS) -fno-sanitize-recover=all \
               -Icore -Itests/unit
FUZZ_SAN := -fsanitize=address,undefined
FUZZ_TRACED := tests/fuzz/fuzz_store.c $(wildcard core/*.c)
FUZZ_PLAIN := tests/unit/byte_model.c tests/unit/fail_alloc.c
FUZZ_HDRS := $(wildcard core/*.h tests/unit/*.h)
FUZZ_OBJS := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_TRACED) $(FUZZ_PLAIN))
# libFuzzer flags shared by both runs.
FUZZ_RUN_FLAGS := -max_len=2048 -timeout=20 -rss_limit_mb=2048 \
                  -artifact_prefix=$(FUZZ_DIR)/artifacts/

$(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_TRACED)): $(FUZZ_DIR)/obj/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC,$< (fuzz))$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN),fuzzer-no-link -c $< -o $@

$(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_PLAIN)): $(FUZZ_DIR)/obj/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC,$< (fuzz))$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -c $< -o $@

$(FUZZ_BIN): $(FUZZ_OBJS)
	$(call quiet,LD,$@)$(FUZZ_CC) $(FUZZ_SAN),fuzzer $^ -o $@

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	$(FUZZ_BIN) $(FUZZ_RUN_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
	  -print_final_stats=1 $(FUZZ_DIR)/corpus tests/fuzz/corpus tests/fuzz/regressions

fuzz-check: $(FUZZ_BIN)
	@mkdir -p $(FUZZ_DIR)/artifacts
	@tests/fuzz/check $(FUZZ_BIN) $(FUZZ_DIR)/check $(FUZZ_CHECK_SECONDS) $(FUZZ_RUN_FLAGS)

.PHONY: fuzz-build fuzz fuzz-check
CHECK_SUITES += fuzz-check

.DEFAULT_GOAL := $(FUZZ_SAVED_DEFAULT_GOAL)
