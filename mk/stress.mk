# SPDX-License-Identifier: MIT
#
# Concurrency stress test of the store core under the driver's locking
# discipline (a pthread rwlock standing in for the ERESOURCE), built with
# ThreadSanitizer. See tests/stress/stress_store.c.
#
# Targets:
#   stress-build   build $(BUILD)/stress/stress_store
#   stress-check   run every case for STRESS_SECONDS (default 3) each, and
#                  the controls showing that a broken discipline is caught
#
# This fragment leaves the including Makefile's default goal alone.

STRESS_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

BUILD ?= build
STRESS_CC ?= clang
STRESS_SECONDS ?= 3
STRESS_DIR := $(BUILD)/stress
STRESS_BIN := $(STRESS_DIR)/stress_store
STRESS_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 \
                 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion \
                 -Werror -fsanitize=thread -Icore -Itests/stress
STRESS_SRCS := $(wildcard tests/stress/*.c core/*.c)
STRESS_HDRS := $(wildcard tests/stress/*.h core/*.h)

$(STRESS_BIN): $(STRESS_SRCS) $(STRESS_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CCLD,$@)$(STRESS_CC) $(STRESS_CFLAGS) $(STRESS_SRCS) -o $@ -pthread

stress-build: $(STRESS_BIN)

stress-check: $(STRESS_BIN)
	@tests/stress/check $(STRESS_BIN) $(STRESS_DIR)/check $(STRESS_SECONDS)

.PHONY: stress-build stress-check
CHECK_SUITES += stress-check

.DEFAULT_GOAL := $(STRESS_SAVED_DEFAULT_GOAL)
