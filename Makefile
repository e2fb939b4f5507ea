# SPDX-License-Identifier: MIT
# xfer: `make` builds everything, `make check` runs every test, `make demo`
# shows the driver at work. Each first makes sure the toolchain is installed.

BUILD ?= build
export BUILD

# A quiet build: one short line per file ("CC driver/transfer.c (x64)");
# `make V=1` prints the full commands instead, `make -s` nothing. A recipe
# line reads $(call quiet,WHAT,NAME)command; $(Q)command prints nothing
# unless V=1.
V ?= 0
ifeq ($(V),1)
Q :=
quiet =
else
Q := @
ifneq ($(findstring s,$(firstword x$(MAKEFLAGS))),)
quiet = @
else
quiet = @printf '  %-6s %s\n' '$(1)' '$(2)';
endif
endif
# `make` alone builds everything; the rule templates below come first.
.DEFAULT_GOAL := all

# --- Windows side: the driver and the programs that run under Wine --------
# Every Windows binary is built for each architecture in ARCH (default: both),
# side by side: build/x64/ and build/x86/. `make ARCH=x86` builds one. The
# rules are written once, as templates instantiated per architecture below.
ARCHS := x64 x86
ARCH  ?= $(ARCHS)
# An ARCH in the environment that is not ours (say x86_64, from another
# build system) is ignored; on the command line it is an error.
ifeq ($(origin ARCH),environment)
ifneq ($(filter-out $(ARCHS),$(ARCH)),)
ARCH := $(ARCHS)
endif
endif
$(foreach a,$(ARCH),$(if $(filter $(a),$(ARCHS)),,$(error ARCH=$(a): must be among $(ARCHS))))

WIN_TRIPLE.x64 := x86_64-w64-mingw32
WIN_TRIPLE.x86 := i686-w64-mingw32
# The driver's entry point as the linker sees it. On x86 the name carries
# its stdcall decoration: the link fails unless DriverEntry is NTAPI with
# 8 bytes of arguments, as the kernel calls it.
DRIVER_ENTRY.x64 := DriverEntry
DRIVER_ENTRY.x86 := _DriverEntry@8

DDK_INC    := /usr/share/mingw-w64/include/ddk
WARNINGS   := -Wall -Wextra -Wshadow -Wstrict-prototypes -Werror

# x64 names, kept for the scripts and fragments that run the x64 build.
WINBIN := $(BUILD)/x64

# -fms-extensions: __try/__except (x64; x86 uses driver/x86/guard.S).
# POOL_TAGGING: keep the pool tags that mingw's headers would otherwise drop.
# -gcodeview: symbols the Windows way, in a PDB beside the image (the .sys
# carries no DWARF), as WinDbg reads them.
DRIVER_CFLAGS := -fms-extensions -isystem $(DDK_INC) -DPOOL_TAGGING \
                 -D_KERNEL_MODE -g -gcodeview -O2 -std=gnu11 $(WARNINGS) -Wno-unused-parameter \
                 -Icore -Iinclude -Idriver
# i686 clang writes DWARF call-frame information (.debug_frame) beside the
# CodeView of any object built with -g; a debugger of Windows reads none of
# it, and the .sys carries no DWARF.
DRIVER_STRIP_DWARF := llvm-objcopy --remove-section=.debug_frame
# x86 kernel code may not touch the x87/MMX/SSE state, which the kernel
# does not save for it (KeSaveFloatingPointState would be needed): general
# registers only. The ABI check disassembles the x86 driver to prove it.
# x64 kernel code may use SSE (the kernel saves XMM state for it).
DRIVER_ARCH_CFLAGS.x64 :=
DRIVER_ARCH_CFLAGS.x86 := -mgeneral-regs-only
# The image header says what the driver needs: Windows 10 (10.0) or later,
# as OS and subsystem version.
WIN_VERSION := 10.0
WIN_VERSION_LINK := -Wl,--major-os-version=10,--minor-os-version=0
DRIVER_LINK := -fuse-ld=lld -shared -nostdlib -nostartfiles -Wl,--subsystem,native:$(WIN_VERSION) \
               $(WIN_VERSION_LINK)
DRIVER_LIBS := -lntoskrnl -lhal
# The x64 compiler and link flags, for fragments that build an x64 driver by
# hand; win_driver below builds one for every architecture.
WIN_CC := clang --target=$(WIN_TRIPLE.x64)
DRIVER_LDFLAGS := --target=$(WIN_TRIPLE.x64) $(DRIVER_LINK) -Wl,--entry,$(DRIVER_ENTRY.x64)

# Sources for every architecture, plus driver/<arch>/ for one.
driver_srcs = $(wildcard driver/*.c core/*.c driver/$(1)/*.c driver/$(1)/*.S)
DRIVER_HDRS := $(wildcard driver/*.h core/*.h include/xfer/*.h)

# User-mode programs need no SEH. clang builds them, for their PDBs, against
# mingw's runtime: its libgcc lives where mingw's GCC says (asked only when
# a program is linked).
# clang checks mingw's C99 printf formats as `printf` and knows no
# `gnu_printf`: the name mingw's <stdio.h> itself gives it under clang
# (__MINGW_PRINTF_FORMAT).
APP_CFLAGS  := -g -gcodeview -O2 -std=gnu11 $(WARNINGS) -DUNICODE -D_UNICODE -D__USE_MINGW_ANSI_STDIO=1 \
               -Dgnu_printf=printf -Iinclude -Itests/unit -Itests/e2e -Itests/pnp
# The programs' headers declare the oldest Windows that lld lets them name
# (XP on x86, Server 2003 on x64), not 10.0: there the loader starts them,
# and an API they lack is named in one sentence (lib/compat.c) instead of
# the loader's dialog. They need Vista; xfer supports Windows 10 and later.
APP_VERSION.x64 := 5.2
APP_VERSION.x86 := 5.1
app_version_link = -Wl,--subsystem,console:$(APP_VERSION.$(1)) \
  -Wl,--major-os-version=5,--minor-os-version=$(lastword $(subst ., ,$(APP_VERSION.$(1))))
APP_LDFLAGS := -fuse-ld=lld -static-libgcc
mingw_libgcc_dir = $(dir $(shell $(WIN_TRIPLE.$(1))-gcc -print-libgcc-file-name))

# An image names its PDB without a directory (no path of the build machine
# in what ships): debuggers look the name and GUID up on their symbol path.
PDB_NAME_ONLY := -Wl,--Xlink=-pdbaltpath:%_PDB%

# After every link: the PE checksum (lld leaves it 0), written by a small
# native tool of ours and checked in `make check` by pefile.
HOST_CC     ?= clang
PE_CHECKSUM := $(BUILD)/tools/pe-checksum
$(PE_CHECKSUM): tools/pe-checksum/pe_checksum.c
	@mkdir -p $(@D)
	$(call quiet,HOSTCC,$@)$(HOST_CC) -std=c11 -O2 $(WARNINGS) -Wconversion $< -o $@
LIB_SRCS    := $(wildcard lib/*.c)

E2E_SRCS  := $(wildcard tests/e2e/*.c) tests/unit/unit_main.c
E2E_HDRS  := $(wildcard tests/e2e/*.h tests/unit/unit.h include/xfer/*.h)
XFERCTL_SRCS := $(wildcard tools/xferctl/*.c)
XFERCTL_HDRS := $(wildcard tools/xferctl/*.h include/xfer/*.h)

# driver_cc ARCH[, FLAGS]: the recipe line that compiles $< into $@, an
# object of a driver for ARCH (with FLAGS more); driver_as ARCH: the same
# for assembly. For fragments that build a variant of a driver too.
driver_cc = $(call quiet,CC,$< ($(1)))clang --target=$(WIN_TRIPLE.$(1)) $(DRIVER_CFLAGS) \
  $(DRIVER_ARCH_CFLAGS.$(1)) $(2) -c $< -o $@ && $(DRIVER_STRIP_DWARF) $@
# No -g: the assembler can only write DWARF, which the .sys must not carry;
# the PDB still names these routines (as public symbols).
driver_as = $(call quiet,AS,$< ($(1)))clang --target=$(WIN_TRIPLE.$(1)) -Werror -c $< -o $@

# win_driver ARCH, OUTPUT.sys, SOURCES[, OBJDIR]: the objects of SOURCES
# (.c or .S) under OBJDIR (default $(BUILD)/ARCH/obj/), linked into a
# kernel driver. Objects of one source are shared between the drivers of
# one architecture; a variant built with other flags has an OBJDIR of its
# own. Its symbols go to OUTPUT.pdb, made by the same link.
define win_driver
$(2): $(patsubst %,$(or $(4),$(BUILD)/$(1)/obj)/%.o,$(basename $(3))) $(PE_CHECKSUM)
	$$(call quiet,LD,$$@)clang --target=$$(WIN_TRIPLE.$(1)) $$(DRIVER_LINK) \
	  -Wl,--entry,$$(DRIVER_ENTRY.$(1)) -Wl,--pdb=$$(basename $$@).pdb $$(PDB_NAME_ONLY) \
	  $$(filter %.o,$$^) $$(DRIVER_LIBS) -o $$@ && $$(PE_CHECKSUM) $$@
$(basename $(2)).pdb: $(2) ;
endef

# win_program ARCH, OUTPUT.exe, SOURCES, HEADERS: a console program of
# SOURCES and libxfer, with OUTPUT.pdb.
define win_program
$(2): $(3) $(LIB_SRCS) $(4) $(PE_CHECKSUM) | deps
	@mkdir -p $$(dir $$@)
	$$(call quiet,CCLD,$$@)clang --target=$$(WIN_TRIPLE.$(1)) $$(APP_CFLAGS) $$(APP_LDFLAGS) \
	  $$(call app_version_link,$(1)) -L$$(call mingw_libgcc_dir,$(1)) -Wl,--pdb=$$(basename $$@).pdb $$(PDB_NAME_ONLY) \
	  $(3) $$(LIB_SRCS) -ladvapi32 -lsetupapi -lnewdev -o $$@ && $$(PE_CHECKSUM) $$@
$(basename $(2)).pdb: $(2) ;
endef

# win_arch ARCH: everything of one architecture.
define win_arch
$(BUILD)/$(1)/obj/%.o: %.c $$(DRIVER_HDRS) | deps
	@mkdir -p $$(dir $$@)
	$$(call driver_cc,$(1))
$(BUILD)/$(1)/obj/%.o: %.S | deps
	@mkdir -p $$(dir $$@)
	$$(call driver_as,$(1))
$(call win_driver,$(1),$(BUILD)/$(1)/xfer.sys,$(call driver_srcs,$(1)))
$(call win_program,$(1),$(BUILD)/$(1)/xfer-e2e.exe,$(E2E_SRCS),$(E2E_HDRS))
$(call win_program,$(1),$(BUILD)/$(1)/xfer-wdm1.exe,tools/demo/wdm1_replay.c,include/xfer/*.h)
$(call win_program,$(1),$(BUILD)/$(1)/xferctl.exe,$(XFERCTL_SRCS),$(XFERCTL_HDRS))
endef
$(foreach a,$(ARCHS),$(eval $(call win_arch,$(a))))

DRIVER_SYS  := $(WINBIN)/xfer.sys
E2E_EXE     := $(WINBIN)/xfer-e2e.exe
DEMO_EXE    := $(WINBIN)/xfer-wdm1.exe
XFERCTL_EXE := $(WINBIN)/xferctl.exe

.PHONY: all deps driver windows check demo clean e2e-check e2e-check-x86
all: deps driver windows native-build

deps:
	@scripts/setup-deps

driver: $(foreach a,$(ARCH),$(BUILD)/$(a)/xfer.sys)
windows: $(foreach a,$(ARCH),$(foreach p,xfer-e2e xfer-wdm1 xferctl,$(BUILD)/$(a)/$(p).exe))

# --- the checks --------------------------------------------------------------
# CHECK_SUITES lists make targets that each run one suite; fragments in mk/
# append theirs. Each suite's output is kept in $(CHECK_LOGS); scripts/tally
# adds up their "N passed, N failed" lines (a suite that printed none counts
# as one case) and prints the total as the last line.
CHECK_LOGS := $(BUILD)/check

e2e-check: $(DRIVER_SYS) $(E2E_EXE)
	scripts/wine-run --timeout 900 --name e2e $(DRIVER_SYS) $(E2E_EXE)
	@# test_lifecycle_security cannot read the debugger's output: the refusal's line is looked for here.
	@grep -q 'xfer: DriverEntry: MaxSize [0-9]* is above the ceiling' $(BUILD)/wine/logs/e2e.driver.log || \
	  { echo "FAILED: no 'MaxSize ... above the ceiling' line in $(BUILD)/wine/logs/e2e.driver.log"; exit 1; }

# The same suite against the x86 build, in a 32-bit Wine prefix.
# Skipped, and said so, on a machine whose kernel runs no 32-bit programs.
e2e-check-x86: $(BUILD)/x86/xfer.sys $(BUILD)/x86/xfer-e2e.exe
	if scripts/runs-here x86 $@; then scripts/wine-run --arch x86 --timeout 900 --name e2e-x86 $^ && \
	  grep -q 'xfer: DriverEntry: MaxSize [0-9]* is above the ceiling' $(BUILD)/wine/logs/e2e-x86.driver.log; fi

check: all
	@rm -rf $(CHECK_LOGS); mkdir -p $(CHECK_LOGS)
	@for suite in $(CHECK_SUITES); do \
	  scripts/run-suite $(CHECK_LOGS)/$$suite.log $(MAKE) --no-print-directory $$suite; \
	done
	@scripts/tally $(CHECK_LOGS)/*.log

demo: all
	@BUILD=$(BUILD) scripts/demo

clean:
	rm -rf $(BUILD)

include $(sort $(wildcard mk/*.mk))
CHECK_SUITES += e2e-check e2e-check-x86   # last: the slowest

# `make -j` from nothing: no compiler runs before `deps` has installed the
# toolchain. The Windows rules above say so themselves; these are the
# natively built programs, the fragments' included.
$(PE_CHECKSUM) $(NATIVE_UNIT) $(NATIVE_FS_X64) $(NATIVE_FS_X86) $(FUZZ_OBJS) \
  $(STRESS_BIN) $(BENCH_BIN): | deps
