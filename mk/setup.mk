# SPDX-License-Identifier: MIT
#
# The setup's handling of real mirrors (scripts/setup-lib.sh), tested
# against a fake apt-get: no network, nothing installed.
#
# Targets:
#   setup-check     tests/setup/test_setup_deps.sh
#
# This fragment leaves the including Makefile's default goal alone.

SETUP_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

setup-check:
	tests/setup/test_setup_deps.sh

.PHONY: setup-check
CHECK_SUITES += setup-check

.DEFAULT_GOAL := $(SETUP_SAVED_DEFAULT_GOAL)
