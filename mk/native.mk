# SPDX-License-Identifier: MIT
#
# Native (host) builds of the portable core: unit tests under the
# sanitizers, and a freestanding compile for the Windows targets proving the
# core needs nothing but memcpy/memset/memmove from its environment.
#
# Include from the top-level Makefile or run standalone from the repository
# root:   make -f mk/native.mk native-check core-freestanding
#
# Targets:
#   native-build        build $(BUILD)/native/unit_tests
#   native-check        build and run the unit tests
#   core-freestanding   compile core/*.c for x86_64 and i686 mingw targets
#                       with -ffreestanding, check undefined symbols, and
#                       link them with -nostdlib
#
# This fragment leaves the including Makefile's default goal alone. A
# Makefile that sets BUILD must do so before including it.

NATIVE_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

BUILD ?= build

NATIVE_CC ?= $(if $(shell command -v clang 2>/dev/null),clang,gcc)
NATIVE_WARNINGS := -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
                   -Wsign-conversion -Werror
NATIVE_CFLAGS ?= -std=c11 -g -O1 $(NATIVE_WARNINGS) \
                 -fsanitize=address,undefined -fno-sanitize-recover=all \
                 -Icore -Iinclude

NATIVE_CORE_SRCS := $(wildcard core/*.c)
NATIVE_CORE_HDRS := $(wildcard core/*.h)
NATIVE_TEST_SRCS := $(wildcard tests/unit/*.c)
NATIVE_TEST_HDRS := $(wildcard tests/unit/*.h)
NATIVE_UNIT := $(BUILD)/native/unit_tests

$(NATIVE_UNIT): $(NATIVE_CORE_SRCS) $(NATIVE_TEST_SRCS) \
                $(NATIVE_CORE_HDRS) $(NATIVE_TEST_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CCLD,$@)$(NATIVE_CC) $(NATIVE_CFLAGS) -o $@ $(NATIVE_CORE_SRCS) $(NATIVE_TEST_SRCS)

native-build: $(NATIVE_UNIT)

native-check: $(NATIVE_UNIT)
	$(NATIVE_UNIT)

# ---- freestanding core ----

NATIVE_FS_CC ?= clang
NATIVE_NM ?= $(if $(shell command -v llvm-nm 2>/dev/null),llvm-nm,nm)
NATIVE_FS_CFLAGS := -std=c11 -O2 -ffreestanding $(NATIVE_WARNINGS) -Icore
# What a freestanding environment (and the kernel) supplies. i686 COFF
# symbols carry a leading underscore.
NATIVE_FS_ALLOWED := memcpy memset memmove _memcpy _memset _memmove

NATIVE_FS_X64 := $(patsubst core/%.c,$(BUILD)/freestanding/x86_64/%.o,\
                   $(NATIVE_CORE_SRCS))
NATIVE_FS_X86 := $(patsubst core/%.c,$(BUILD)/freestanding/i686/%.o,\
                   $(NATIVE_CORE_SRCS))

$(BUILD)/freestanding/x86_64/%.o: core/%.c $(NATIVE_CORE_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC,$< (freestanding x86_64))$(NATIVE_FS_CC) --target=x86_64-w64-mingw32 $(NATIVE_FS_CFLAGS) -c $< -o $@

$(BUILD)/freestanding/i686/%.o: core/%.c $(NATIVE_CORE_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC,$< (freestanding i686))$(NATIVE_FS_CC) --target=i686-w64-mingw32 $(NATIVE_FS_CFLAGS) -c $< -o $@

# Checks the undefined symbols of one target's objects taken together
# (references between core files do not count): all must be allowed.
# $(1): target name, also the directory under $(BUILD)/freestanding;
# $(2): its objects.
native_fs_check = \
	dir=$(BUILD)/freestanding/$(1); \
	$(NATIVE_NM) --defined-only $(2) | awk 'NF >= 3 { print $$3 }' \
	  | LC_ALL=C sort -u > $$dir/defined.txt; \
	$(NATIVE_NM) -u $(2) | awk 'NF == 2 && $$1 == "U" { print $$2 }' \
	  | LC_ALL=C sort -u > $$dir/undefined.txt; \
	ext=$$(echo $$(LC_ALL=C comm -23 $$dir/undefined.txt $$dir/defined.txt)); \
	echo "$(1): undefined symbols: $${ext:-none}"; \
	for sym in $$ext; do \
	  case " $(NATIVE_FS_ALLOWED) " in \
	    *" $$sym "*) ;; \
	    *) echo "$(1): not allowed in core: $$sym"; exit 1 ;; \
	  esac; \
	done

# The same objects linked with -nostdlib, with no library at all, into a DLL
# beside tests/freestanding/kernel_mem.c, which defines only what the kernel
# exports for them (memcpy, memset, memmove): the linker refuses anything
# else the core might reach for.
NATIVE_FS_STUB := tests/freestanding/kernel_mem.c
NATIVE_FS_LDFLAGS := -fuse-ld=lld -nostdlib -shared \
                     -Wl,--entry,xfer_freestanding_entry -Wl,--export-all-symbols

$(BUILD)/freestanding/x86_64/stub/kernel_mem.o: $(NATIVE_FS_STUB)
	@mkdir -p $(@D)
	$(call quiet,CC,$< (freestanding x86_64))$(NATIVE_FS_CC) --target=x86_64-w64-mingw32 $(NATIVE_FS_CFLAGS) -fno-builtin -c $< -o $@

$(BUILD)/freestanding/i686/stub/kernel_mem.o: $(NATIVE_FS_STUB)
	@mkdir -p $(@D)
	$(call quiet,CC,$< (freestanding i686))$(NATIVE_FS_CC) --target=i686-w64-mingw32 $(NATIVE_FS_CFLAGS) -fno-builtin -c $< -o $@

$(BUILD)/freestanding/x86_64/xfer_core.dll: $(NATIVE_FS_X64) $(BUILD)/freestanding/x86_64/stub/kernel_mem.o
	$(call quiet,LD,$@)$(NATIVE_FS_CC) --target=x86_64-w64-mingw32 $(NATIVE_FS_LDFLAGS) $^ -o $@

$(BUILD)/freestanding/i686/xfer_core.dll: $(NATIVE_FS_X86) $(BUILD)/freestanding/i686/stub/kernel_mem.o
	$(call quiet,LD,$@)$(NATIVE_FS_CC) --target=i686-w64-mingw32 $(NATIVE_FS_LDFLAGS) $^ -o $@

core-freestanding: $(NATIVE_FS_X64) $(NATIVE_FS_X86) \
                   $(BUILD)/freestanding/x86_64/xfer_core.dll \
                   $(BUILD)/freestanding/i686/xfer_core.dll
	@$(call native_fs_check,x86_64,$(NATIVE_FS_X64))
	@$(call native_fs_check,i686,$(NATIVE_FS_X86))
	@echo "x86_64, i686: linked with -nostdlib against memcpy, memset, memmove only"
	@echo "core-freestanding: OK"

.PHONY: native-build native-check core-freestanding
CHECK_SUITES += native-check core-freestanding

.DEFAULT_GOAL := $(NATIVE_SAVED_DEFAULT_GOAL)
