# SPDX-License-Identifier: MIT
#
# xferctl end to end: tests/cli/test_cli.sh drives ./xferctl (the Windows
# CLI under Wine, with xfer.sys loaded in a private session under
# $(BUILD)/cli) through every subcommand.
#
# Target:
#   cli-check   build the driver and the Windows programs, run the test
#
# This fragment leaves the including Makefile's default goal alone.

CLI_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

cli-check: driver windows
	tests/cli/test_cli.sh

.PHONY: cli-check
CHECK_SUITES += cli-check

.DEFAULT_GOAL := $(CLI_SAVED_DEFAULT_GOAL)
