# SPDX-License-Identifier: MIT
#
# No kernel address in the trace: scripts/check-trace-formats reads every
# call of XferpTrace/XferpTraceDriver in the driver's sources and fails on
# a %p (the ring is readable by anyone who may open a device). Every
# driver's link waits for it, so a %p fails the build.
#
# Target:
#   trace-format-check   the check on the sources, and on
#                        tests/trace-formats/leaks.c, whose every kind of
#                        leak it must report
#
# This fragment leaves the including Makefile's default goal alone.

TRACE_FORMATS_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

TRACE_FORMAT_SOURCES := $(wildcard driver/*.c driver/*/*.c)
TRACE_FORMATS_OK := $(BUILD)/trace-formats.ok

$(TRACE_FORMATS_OK): scripts/check-trace-formats $(TRACE_FORMAT_SOURCES)
	@mkdir -p $(dir $@)
	@log=$@.$$$$.log; scripts/check-trace-formats $(TRACE_FORMAT_SOURCES) >$$log || \
	  { cat $$log; rm -f $$log; exit 1; }; mv -f $$log $@

$(foreach a,$(ARCHS),$(BUILD)/$(a)/xfer.sys): $(TRACE_FORMATS_OK)

trace-format-check:
	@scripts/check-trace-formats $(TRACE_FORMAT_SOURCES)
	@out=$$(scripts/check-trace-formats tests/trace-formats/leaks.c) && \
	  { echo "FAILED: tests/trace-formats/leaks.c passed the check"; echo "0 passed, 1 failed"; exit 1; }; \
	  n=$$(printf '%s\n' "$$out" | grep -c '^FAILED: .*leaks.c:'); \
	  if [ "$$n" = 4 ]; then echo "ok: all 4 leaks in tests/trace-formats/leaks.c reported"; echo "1 passed, 0 failed"; \
	  else printf '%s\n' "$$out"; echo "FAILED: $$n of 4 leaks reported"; echo "0 passed, 1 failed"; exit 1; fi

.PHONY: trace-format-check
CHECK_SUITES += trace-format-check

.DEFAULT_GOAL := $(TRACE_FORMATS_SAVED_DEFAULT_GOAL)
