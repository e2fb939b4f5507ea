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
#include "xfer/compat.h"
#include "xfer_lib.h"

/* Fiber-local storage is Windows Vista's (Server 2003's on x64): looked up. */
typedef DWORD (WINAPI *fls_alloc_fn)(PFLS_CALLBACK_FUNCTION);
typedef PVOID (WINAPI *fls_get_value_fn)(DWORD);
typedef BOOL (WINAPI *fls_set_value_fn)(DWORD, PVOID);
static fls_alloc_fn fls_alloc;
static fls_get_value_fn fls_get_value;
static fls_set_value_fn fls_set_value;

/* 0: no slot yet, 1: a thread is making it, 2: made. An interlocked once
 * (InitOnceExecuteOnce is Vista's too); a failed try lets the next retry. */
static volatile LONG slot_state;
static DWORD slot = FLS_OUT_OF_INDEXES;

static VOID WINAPI close_event(PVOID event)
{
    if (event != NULL)
        CloseHandle(event);
}

static BOOL make_slot(void)
{
    for (;;) {
        LONG state = InterlockedCompareExchange(&slot_state, 1, 0);

        if (state == 2)
            return TRUE;
        if (state == 0)
            break;
        Sleep(0);   /* another thread is making it */
    }
    fls_alloc = (fls_alloc_fn)(void *)xfer_need_api("kernel32.dll", "FlsAlloc");
    fls_get_value = (fls_get_value_fn)(void *)xfer_need_api("kernel32.dll", "FlsGetValue");
    fls_set_value = (fls_set_value_fn)(void *)xfer_need_api("kernel32.dll", "FlsSetValue");
    slot = fls_alloc(close_event);
    /* A full barrier: the pointers and the slot are seen before state 2. */
    InterlockedExchange(&slot_state, slot != FLS_OUT_OF_INDEXES ? 2 : 0);
    return slot != FLS_OUT_OF_INDEXES;
}

static HANDLE thread_event(void)
{
    HANDLE event;

    if (!make_slot())
        return NULL;
    event = fls_get_value(slot);
    if (event != NULL)
        return event;
    /* Manual reset: the I/O manager resets it as each request starts. */
    event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (event != NULL && !fls_set_value(slot, event)) {
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
