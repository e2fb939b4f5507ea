/* SPDX-License-Identifier: MIT */
/*
 * The device class key's Security value: how an administrator widens or
 * narrows who may open xfer's control devices (docs/security.md). Shared
 * by the e2e tests of that override and the low resources suite, which
 * sets it to reach the driver's code that reads it.
 */
#ifndef XFER_TEST_CLASS_SECURITY_H
#define XFER_TEST_CLASS_SECURITY_H

#include <windows.h>

/* Sets the class key's Security value to the descriptor `sddl`; else,
 * with `raw`, to those `raw_size` bytes as they are (a malformed value);
 * else deletes it (no value is not an error). Returns a Win32 error. */
DWORD xfer_test_set_class_security(const wchar_t *sddl, const BYTE *raw, DWORD raw_size);

#endif
