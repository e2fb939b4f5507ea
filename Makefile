# SPDX-License-Identifier: MIT
# xfer: `make` builds everything, `make check` runs every test, `make demo`
# shows the driver at work. Each first makes sure the toolchain is installed.

BUILD ?= build
export BUILD

# --- Windows side: the driver and the programs that run under Wine --------
WIN_TARGET := --target=x86_64-w64-mingw32
WIN_CC     := clang $(WIN_TARGET)
DDK_INC    := /usr/share/mingw-w64/include/ddk
WARNINGS   := -Wall -Wextra -Wshadow -Wstrict-prototypes -Werror

WINBIN := $(BUILD)/x64

# -fms-extensions: __try/__except. POOL_TAGGING: keep the pool tags that
# mingw's headers would otherwise drop. -g: Wine's backtraces name our code.
DRIVER_CFLAGS := -fms-extensions -isystem $(DDK_INC) -DPOOL_TAGGING \
                 -D_KERNEL_MODE -g -O2 -std=gnu11 $(WARNINGS) -Wno-unused-parameter \
                 -Icore -Iinclude -Idriver
DRIVER_LDFLAGS := $(WIN_TARGET) -fuse-ld=lld -shared -nostdlib -nostartfiles \
                  -Wl,--subsystem,native -Wl,--entry,DriverEntry
DRIVER_LIBS := -lntoskrnl -lhal

DRIVER_SRCS := $(wildcard driver/*.c)
CORE_SRCS   := $(wildcard core/*.c)
DRIVER_OBJS := $(patsubst %.c,$(WINBIN)/obj/%.o,$(DRIVER_SRCS) $(CORE_SRCS))
DRIVER_HDRS := $(wildcard driver/*.h core/*.h include/xfer/*.h)

# User-mode programs need no SEH, and mingw's GCC links them with its own
# runtime (clang would need to be told where mingw's libgcc lives).
APP_CC      := x86_64-w64-mingw32-gcc
APP_CFLAGS  := -g -O2 -std=gnu11 $(WARNINGS) -DUNICODE -D_UNICODE -D__USE_MINGW_ANSI_STDIO=1 \
               -Iinclude -Itests/unit -Itests/e2e
APP_LDFLAGS := -static-libgcc
LIB_SRCS    := $(wildcard lib/*.c)

E2E_SRCS  := $(wildcard tests/e2e/*.c)
UNIT_RUNNER := tests/unit/unit_main.c
E2E_HDRS  := $(wildcard tests/e2e/*.h tests/unit/unit.h include/xfer/*.h)
E2E_EXE   := $(WINBIN)/xfer-e2e.exe
DEMO_EXE  := $(WINBIN)/xfer-wdm1.exe
XFERCTL_EXE := $(WINBIN)/xferctl.exe
DRIVER_SYS := $(WINBIN)/xfer.sys

.PHONY: all deps driver windows check demo clean e2e-check
all: deps driver windows native-build

deps:
	@scripts/setup-deps

driver: $(DRIVER_SYS)
windows: $(E2E_EXE) $(DEMO_EXE) $(XFERCTL_EXE)

$(WINBIN)/obj/%.o: %.c $(DRIVER_HDRS) | deps
	@mkdir -p $(dir $@)
	$(WIN_CC) $(DRIVER_CFLAGS) -c $< -o $@

$(DRIVER_SYS): $(DRIVER_OBJS)
	$(WIN_CC) $(DRIVER_LDFLAGS) $^ $(DRIVER_LIBS) -o $@

$(E2E_EXE): $(E2E_SRCS) $(UNIT_RUNNER) $(LIB_SRCS) $(E2E_HDRS) | deps
	@mkdir -p $(dir $@)
	$(APP_CC) $(APP_CFLAGS) $(APP_LDFLAGS) $(E2E_SRCS) $(UNIT_RUNNER) $(LIB_SRCS) -ladvapi32 -o $@

$(DEMO_EXE): tools/demo/wdm1_replay.c $(LIB_SRCS) include/xfer/*.h | deps
	@mkdir -p $(dir $@)
	$(APP_CC) $(APP_CFLAGS) $(APP_LDFLAGS) tools/demo/wdm1_replay.c $(LIB_SRCS) -ladvapi32 -o $@

$(XFERCTL_EXE): $(wildcard tools/xferctl/*.c tools/xferctl/*.h) $(LIB_SRCS) include/xfer/*.h | deps
	@mkdir -p $(dir $@)
	$(APP_CC) $(APP_CFLAGS) $(APP_LDFLAGS) $(wildcard tools/xferctl/*.c) $(LIB_SRCS) -ladvapi32 -o $@

# --- the checks --------------------------------------------------------------
# CHECK_SUITES lists make targets that each run one suite; fragments in mk/
# append theirs. Each suite's output is kept in $(CHECK_LOGS); scripts/tally
# adds up their "N passed, N failed" lines (a suite that printed none counts
# as one case) and prints the total as the last line.
CHECK_LOGS := $(BUILD)/check

e2e-check: $(DRIVER_SYS) $(E2E_EXE)
	scripts/wine-run --name e2e $(DRIVER_SYS) $(E2E_EXE)

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
CHECK_SUITES += e2e-check   # last: the slowest
