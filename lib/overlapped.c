/* SPDX-License-Identifier: MIT */
/*
 * libxfer: one request at a time, on a synchronous or an overlapped handle.
 *
 * Every call passes an OVERLAPPED, which carries the offset and is the
 * request's I/O status block. On a synchronous handle the request has ended
 * when the call returns. On an overlapped handle (FILE_FLAG_OVERLAPPED) it
 * may pend (ERROR_IO_PENDING) and is then waited for through an event: the
 * handle itself is no use to wait on, since another request on it (a
 * pending IOCTL_XFER_WAIT_CHANGE) may end first and signal it.
 *
 * The event is the calling thread's own, made once and reused: one per
 * request would cost two system calls each. A fiber-local slot's destructor
 * closes it when the thread ends.
 */
#include "xfer_lib.h"

static INIT_ONCE slot_once = INIT_ONCE_STATIC_INIT;
static DWORD slot = FLS_OUT_OF_INDEXES;

static VOID WINAPI close_event(PVOID event)
{
    if (event != NULL)
        CloseHandle(event);
}

static BOOL CALLBACK make_slot(PINIT_ONCE once, PVOID parameter, PVOID *context)
{
    (void)once;
    (void)parameter;
    (void)context;
    slot = FlsAlloc(close_event);
    return slot != FLS_OUT_OF_INDEXES;
}

static HANDLE thread_event(void)
{
    HANDLE event;

    if (!InitOnceExecuteOnce(&slot_once, make_slot, NULL, NULL))
        return NULL;
    event = FlsGetValue(slot);
    if (event != NULL)
        return event;
    /* Manual reset: the I/O manager resets it as each request starts. */
    event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (event != NULL && !FlsSetValue(slot, event)) {
        CloseHandle(event);
        event = NULL;
    }
    return event;
}

DWORD xfer__overlapped(OVERLAPPED *overlapped, uint64_t offset)
{
    ZeroMemory(overlapped, sizeof(*overlapped));
    overlapped->Offset = (DWORD)offset;
    overlapped->OffsetHigh = (DWORD)(offset >> 32);
    overlapped->hEvent = thread_event();
    return overlapped->hEvent != NULL ? ERROR_SUCCESS : GetLastError();
}

DWORD xfer__finish(HANDLE device, BOOL ok, OVERLAPPED *overlapped, DWORD *done)
{
    DWORD error;

    *done = 0;
    if (!ok && (error = GetLastError()) != ERROR_IO_PENDING)
        return error;
    /* Also when the call succeeded at once: the OVERLAPPED, not the
     * call's own count, is where an overlapped request's bytes are. */
    if (!GetOverlappedResult(device, overlapped, done, TRUE)) {
        error = GetLastError();
        *done = 0;
        return error;
    }
    return ERROR_SUCCESS;
}
