# SPDX-License-Identifier: MIT
#
# xferctl end to end: tests/cli/test_cli.sh drives ./xferctl (the Windows
# CLI under Wine, with xfer.sys loaded in a private session under
# $(BUILD)/cli) through every subcommand.
#
# Target:
#   cli-check   build the driver and the Windows programs, run the test
#
# Until the Linux wrapper ./xferctl is part of the repository, the suite
# says so and counts nothing (a work tree's uncommitted copy is not used).
#
# This fragment leaves the including Makefile's default goal alone.

CLI_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

cli-check: driver windows
	@if [ ! -d .git ] || git ls-files --error-unmatch xferctl >/dev/null 2>&1; then \
	  tests/cli/test_cli.sh; \
	else \
	  echo "SKIP cli-check: ./xferctl, the Linux wrapper, is not committed yet"; \
	  echo "0 passed, 0 failed"; \
	fi

.PHONY: cli-check
CHECK_SUITES += cli-check

.DEFAULT_GOAL := $(CLI_SAVED_DEFAULT_GOAL)
