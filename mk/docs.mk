# SPDX-License-Identifier: MIT
#
# The documentation, checked against the code (tests/docs/check): ioctl.h
# compiles on its own (C and C++, narrow and wide, user and kernel mode,
# x64 and x86); docs/interface.md's struct tables match the header; README
# lists every file of driver/; docs/client.md's example client builds with
# the page's own build lines and, run against the driver under Wine,
# prints what the page shows.
#
# Target:
#   docs-check   build the x64 driver, run the checks
#
# This fragment leaves the including Makefile's default goal alone.

DOCS_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

docs-check: $(foreach f,xfer.sys xfer.inf xferctl.exe,$(BUILD)/x64/$(f)) | deps
	tests/docs/check

.PHONY: docs-check
CHECK_SUITES += docs-check

.DEFAULT_GOAL := $(DOCS_SAVED_DEFAULT_GOAL)
