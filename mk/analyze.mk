# SPDX-License-Identifier: MIT
#
# Static analysis: the Clang static analyzer over driver/, core/, lib/ and
# tools/ for both architectures, and the role types of every routine the
# driver hands to the kernel (scripts/check-role-types). Zero reports is
# the only pass; a false positive is suppressed at its line with a comment
# saying why.
#
# The driver is analyzed as it is built (DRIVER_CFLAGS) and once more with
# its verifier switch (-DXFER_VERIFIER), whose checks are code of their
# own. lib/ and tools/ are analyzed with the flags they are built with,
# through clang for the same mingw target (they are built with mingw's GCC,
# which has no analyzer of this kind).
#
# Target:
#   analyze-check   every file, each architecture; one case per file
#
# This fragment leaves the including Makefile's default goal alone.

ANALYZE_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

ANALYZE_DRIVER_SRCS := $(wildcard driver/*.c core/*.c)
ANALYZE_APP_SRCS := $(wildcard lib/*.c tools/xferctl/*.c tools/demo/*.c)

analyze-check: | deps
	@status=0; for arch in x64 x86; do \
	  case $$arch in x64) t=$(WIN_TRIPLE.x64) ;; x86) t=$(WIN_TRIPLE.x86) ;; esac; \
	  scripts/analyze $$t $(BUILD)/analyze/$$arch/driver -- $(DRIVER_CFLAGS) -- \
	    $(ANALYZE_DRIVER_SRCS) || status=1; \
	  scripts/analyze $$t $(BUILD)/analyze/$$arch/verify -- $(DRIVER_CFLAGS) -DXFER_VERIFIER -- \
	    $(ANALYZE_DRIVER_SRCS) || status=1; \
	  scripts/analyze $$t $(BUILD)/analyze/$$arch/app -- $(APP_CFLAGS) -- \
	    $(ANALYZE_APP_SRCS) || status=1; \
	done; \
	scripts/check-role-types $(wildcard driver/*.c driver/*.h) || status=1; \
	exit $$status

.PHONY: analyze-check
CHECK_SUITES += analyze-check

.DEFAULT_GOAL := $(ANALYZE_SAVED_DEFAULT_GOAL)
