# SPDX-License-Identifier: MIT
#
# The built drivers against Wine and the kernel's calling conventions:
# scripts/check-driver-abi, for each architecture in ARCH, checks that
# every import of xfer.sys is exported by Wine's ntoskrnl.exe/hal.dll of
# that architecture, and on x86 that every routine the kernel calls back
# is __stdcall.
#
# Target:
#   abi-check   build the drivers, run the checks
#
# This fragment leaves the including Makefile's default goal alone.

ABI_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

# The driver's sources, where the routines handed to the kernel are named.
ABI_SOURCES := $(wildcard driver/*.c driver/*.h driver/*/*.c)

abi-check: driver
	@status=0; for arch in $(ARCH); do \
	  scripts/check-driver-abi $$arch $(BUILD)/$$arch/xfer.sys \
	    $$(find $(BUILD)/$$arch/obj/driver -name '*.o' | LC_ALL=C sort) -- $(ABI_SOURCES) || status=1; \
	done; exit $$status

.PHONY: abi-check
CHECK_SUITES += abi-check

.DEFAULT_GOAL := $(ABI_SAVED_DEFAULT_GOAL)
