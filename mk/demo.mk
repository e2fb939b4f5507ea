# SPDX-License-Identifier: MIT
#
# The tour of `make demo`, run as a test: it compares every read with what
# was written, checks the Wdm1Test results and that DriverUnload finished,
# and fails otherwise. It runs in a session of its own, so a `make demo`
# at the same time is not disturbed.
#
# Target:
#   demo-check   build the driver and the Windows programs, run the tour
#
# This fragment leaves the including Makefile's default goal alone.

DEMO_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

demo-check: driver windows
	BUILD=$(BUILD) XFER_SESSION=$(BUILD)/demo-check scripts/demo

.PHONY: demo-check
CHECK_SUITES += demo-check

.DEFAULT_GOAL := $(DEMO_SAVED_DEFAULT_GOAL)
