# SPDX-License-Identifier: MIT
#
# xferctl end to end: tests/cli/test_cli.sh drives ./xferctl (the Windows
# CLI under Wine, with xfer.sys loaded in a private session under
# $(BUILD)/cli) through every subcommand.
#
# Targets:
#   cli-check       build the driver and the Windows programs (and
#                   xferctl-report-tests.exe: tests/cli/test_report.c;
#                   xfer-need-api.exe: tests/cli/need_api.c),
#                   run the test
#   cli-check-x86   the same against the x86 build (xferctl.exe and xfer.sys)
#
# This fragment leaves the including Makefile's default goal alone.

CLI_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

# xferctl's messages as a Windows program of their own, run by the test
# through `./xferctl exec`.
CLI_REPORT_SRCS := tests/cli/test_report.c tests/unit/unit_main.c tools/xferctl/report.c \
                   tools/xferctl/size.c
$(foreach a,$(ARCHS),$(eval $(call win_program,$(a),$(BUILD)/$(a)/xferctl-report-tests.exe,\
  $(CLI_REPORT_SRCS),$(XFERCTL_HDRS) tests/unit/unit.h)))

# xfer_need_api (lib/compat.c) alone, asked for an API that exists and one
# that does not.
$(foreach a,$(ARCHS),$(eval $(call win_program,$(a),$(BUILD)/$(a)/xfer-need-api.exe,\
  tests/cli/need_api.c,include/xfer/compat.h)))

cli-check: driver windows $(BUILD)/x64/xferctl-report-tests.exe $(BUILD)/x64/xfer-need-api.exe
	tests/cli/test_cli.sh

# The same through the x86 build, in a 32-bit session. Not in `make check`
# yet: it passes, but in one run out of about twenty one x86 read after a
# Neither IOCTL load came back with a different checksum, and it has not
# been reproduced since; the test now keeps such output for a look.
cli-check-x86: driver windows $(BUILD)/x86/xferctl-report-tests.exe $(BUILD)/x86/xfer-need-api.exe
	if scripts/runs-here x86 $@; then XFER_ARCH=x86 tests/cli/test_cli.sh; fi

.PHONY: cli-check cli-check-x86
CHECK_SUITES += cli-check

.DEFAULT_GOAL := $(CLI_SAVED_DEFAULT_GOAL)
