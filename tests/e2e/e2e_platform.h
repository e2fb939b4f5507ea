/* SPDX-License-Identifier: MIT */
/*
 * Where Wine and Windows differ in what the driver is shown, each as a
 * predicate that says why, so a test accepts exactly Windows' behaviour
 * when not under Wine and exactly Wine's under Wine (as Wine's own tests
 * use todo_wine and broken()). docs/wine.md lists them all.
 *
 * And the suite's own installation of the driver on a Windows test
 * machine (xfer-e2e.exe --install).
 */
#ifndef XFER_E2E_PLATFORM_H
#define XFER_E2E_PLATFORM_H

#include <windows.h>

/* A ReadFile/WriteFile at a negative offset other than -2
 * (FILE_USE_FILE_POINTER_POSITION): Windows' I/O manager refuses it with
 * STATUS_INVALID_PARAMETER itself, so the driver never sees, counts or
 * traces it; Wine passes it on, and the driver refuses it the same way.
 * The caller's error is ERROR_INVALID_PARAMETER on both. */
int e2e_negative_file_offset_reaches_driver(void);

/* --install: installs the driver from the xfer.sys beside this program
 * and starts it, unless the service exists already (then it is left
 * alone). 0 or a Win32 error; prints what it did. */
DWORD e2e_install_driver(void);
/* Undoes what e2e_install_driver did, and only that: stops the driver and
 * removes the service and the file it installed. 0 or a Win32 error. */
DWORD e2e_uninstall_driver(void);

#endif /* XFER_E2E_PLATFORM_H */
