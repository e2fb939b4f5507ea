# SPDX-License-Identifier: MIT
#
# The verifier build: the same sources as xfer.sys with one switch,
# -DXFER_VERIFIER (driver/verify.h), as $(BUILD)/ARCH/verify/xfer.sys; and
# test-only builds that break a rule on purpose (-DXFER_VERIFY_BREAK), as
# $(BUILD)/ARCH/verify-break/xfer.sys, to show each check catches it.
#
# Targets:
#   verify-driver     both builds, for each architecture in ARCH
#   verify-check      the e2e suite against the verifier build (x64); the
#                     run fails on any report of the verifier in the
#                     driver log (scripts/wine-run)
#   verify-check-x86  the same for x86, where 32-bit programs run
#   lowres-check      the low resources suite (tests/verify/check): every
#                     fault point of a representative set of requests, of
#                     DriverEntry (with and without the class Security
#                     value) and of AddDevice (a Plug and Play install)
#                     failed in turn, and its coverage of the fault points
#                     in driver/
#   lowres-check-x86  the same for x86
#   verify-abi-check  scripts/check-driver-abi on the verifier build: its
#                     own imports exported by Wine, x86 callbacks __stdcall
#   verify-breaks-check  each check shown to fail: the test-only build
#                     leaks a block, completes a request twice, touches
#                     user memory under the store lock, and each run must
#                     fail on the right report (tests/verify/check-breaks)
#
# This fragment leaves the including Makefile's default goal alone.

VERIFY_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

# verify_variant ARCH, DIR, FLAGS: a driver of the usual sources built
# with FLAGS, as $(BUILD)/ARCH/DIR/xfer.sys; its objects apart, compiled
# and linked by the normal build's own recipes (PDB, checksum, versions).
define verify_variant
$(BUILD)/$(1)/$(2)/obj/%.o: %.c $$(DRIVER_HDRS) include/xfer/verify.h | deps
	@mkdir -p $$(dir $$@)
	$$(call driver_cc,$(1),$(3))
$(BUILD)/$(1)/$(2)/obj/%.o: %.S | deps
	@mkdir -p $$(dir $$@)
	$$(call driver_as,$(1))
$(call win_driver,$(1),$(BUILD)/$(1)/$(2)/xfer.sys,$(call driver_srcs,$(1)),$(BUILD)/$(1)/$(2)/obj)
endef
$(foreach a,$(ARCHS),$(eval $(call verify_variant,$(a),verify,-DXFER_VERIFIER)))
$(foreach a,$(ARCHS),$(eval $(call verify_variant,$(a),verify-break,-DXFER_VERIFIER -DXFER_VERIFY_BREAK)))

# The low resources suite also installs the verifier build as Plug and
# Play devices (AddDevice's fault points): xfer.inf beside it.
define verify_inf
$(BUILD)/$(1)/verify/xfer.inf: driver/xfer.inf
	@mkdir -p $$(@D)
	$$(call quiet,CP,$$@)cp $$< $$@
endef
$(foreach a,$(ARCHS),$(eval $(call verify_inf,$(a))))

$(foreach a,$(ARCHS),$(eval $(call win_program,$(a),$(BUILD)/$(a)/xfer-lowres.exe,tests/verify/lowres.c tests/verify/lowres_pnp.c tests/pnp/pnp.c tests/e2e/class_security.c,include/xfer/verify.h include/xfer/xfer.h tests/verify/lowres.h tests/pnp/pnp.h tests/e2e/class_security.h)))
$(foreach a,$(ARCHS),$(eval $(call win_program,$(a),$(BUILD)/$(a)/xfer-breaks.exe,tests/verify/breaks.c,include/xfer/verify.h include/xfer/xfer.h)))

verify-driver: $(foreach a,$(ARCH),$(BUILD)/$(a)/verify/xfer.sys $(BUILD)/$(a)/verify-break/xfer.sys)

verify-check: $(BUILD)/x64/verify/xfer.sys $(E2E_EXE)
	scripts/wine-run --timeout 900 --name verify-e2e $(BUILD)/x64/verify/xfer.sys $(E2E_EXE)

verify-check-x86: $(BUILD)/x86/verify/xfer.sys $(BUILD)/x86/xfer-e2e.exe
	if scripts/runs-here x86 $@; then scripts/wine-run --timeout 900 --arch x86 --name verify-e2e-x86 $^; fi

lowres-check: $(BUILD)/x64/verify/xfer.sys $(BUILD)/x64/xfer-lowres.exe $(BUILD)/x64/verify/xfer.inf
	tests/verify/check x64 $(wordlist 1,2,$^)

lowres-check-x86: $(BUILD)/x86/verify/xfer.sys $(BUILD)/x86/xfer-lowres.exe $(BUILD)/x86/verify/xfer.inf
	if scripts/runs-here x86 $@; then tests/verify/check x86 $(wordlist 1,2,$^); fi

verify-abi-check: $(foreach a,$(ARCH),$(BUILD)/$(a)/verify/xfer.sys)
	@status=0; for arch in $(ARCH); do \
	  scripts/check-driver-abi $$arch $(BUILD)/$$arch/verify/xfer.sys \
	    $$(find $(BUILD)/$$arch/verify/obj/driver -name '*.o' | LC_ALL=C sort) -- $(ABI_SOURCES) || status=1; \
	done; exit $$status

verify-breaks-check: $(BUILD)/x64/verify-break/xfer.sys $(BUILD)/x64/xfer-breaks.exe
	tests/verify/check-breaks x64 $^

.PHONY: verify-driver verify-check verify-check-x86 lowres-check lowres-check-x86 verify-abi-check verify-breaks-check
CHECK_SUITES += verify-abi-check verify-breaks-check lowres-check lowres-check-x86 verify-check verify-check-x86

.DEFAULT_GOAL := $(VERIFY_SAVED_DEFAULT_GOAL)
