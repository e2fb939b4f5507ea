/* SPDX-License-Identifier: MIT */
/*
 * libxfer's private helpers, shared between its files.
 */
#ifndef XFER_LIB_H
#define XFER_LIB_H

#include "xfer/xfer.h"

/* Prepares *overlapped for one request by the calling thread: zeroed, the
 * offset set, and the thread's own event (made on first use, closed when
 * the thread ends). 0 or a Win32 error. */
DWORD xfer__overlapped(OVERLAPPED *overlapped, uint64_t offset);

/* Ends a request started with an OVERLAPPED from xfer__overlapped: `ok` is
 * what ReadFile/WriteFile/DeviceIoControl returned. When the request pends
 * (an overlapped handle) waits for it; *done gets the bytes moved, 0 on
 * error. 0 or the request's Win32 error. */
DWORD xfer__finish(HANDLE device, BOOL ok, OVERLAPPED *overlapped, DWORD *done);

#endif /* XFER_LIB_H */
