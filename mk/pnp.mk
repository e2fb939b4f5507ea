# SPDX-License-Identifier: MIT
#
# Plug and Play: xfer.sys installed from xfer.inf as three root-enumerated
# devices. tests/pnp/check runs the suite in a fresh Wine prefix of its own
# (install, the e2e data tests through the PnP devices, removal while
# requests run, reinstall, uninstall) for each architecture.
#
# Targets:
#   pnp-check       the suite for x64
#   pnp-check-x86   the same for x86, in a 32-bit prefix
#
# This fragment leaves the including Makefile's default goal alone.

PNP_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

PNP_SRCS := $(wildcard tests/pnp/*.c) tests/unit/unit_main.c
PNP_HDRS := $(wildcard tests/pnp/*.h tests/unit/unit.h include/xfer/*.h)

# build/ARCH/xfer.inf beside the driver, and the test program.
define pnp_arch
$(BUILD)/$(1)/xfer.inf: driver/xfer.inf
	@mkdir -p $$(@D)
	$$(call quiet,CP,$$@)cp $$< $$@
$(call win_program,$(1),$(BUILD)/$(1)/xfer-pnp.exe,$(PNP_SRCS) ,$(PNP_HDRS))
endef
$(foreach a,$(ARCHS),$(eval $(call pnp_arch,$(a))))

driver: $(foreach a,$(ARCH),$(BUILD)/$(a)/xfer.inf)
windows: $(foreach a,$(ARCH),$(BUILD)/$(a)/xfer-pnp.exe)

pnp-check: $(foreach f,xfer.sys xfer.inf xfer-pnp.exe xfer-e2e.exe xferctl.exe,$(BUILD)/x64/$(f))
	tests/pnp/check --arch x64

pnp-check-x86: $(foreach f,xfer.sys xfer.inf xfer-pnp.exe xfer-e2e.exe xferctl.exe,$(BUILD)/x86/$(f))
	if scripts/runs-here x86 $@; then tests/pnp/check --arch x86; fi

.PHONY: pnp-check pnp-check-x86
CHECK_SUITES += pnp-check pnp-check-x86

.DEFAULT_GOAL := $(PNP_SAVED_DEFAULT_GOAL)
