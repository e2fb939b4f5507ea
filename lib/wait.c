/* SPDX-License-Identifier: MIT */
/*
 * libxfer: IOCTL_XFER_WAIT_CHANGE, waited for at once or in the background.
 */
#include "xfer/compat.h"
#include "xfer_lib.h"

/* A well-formed answer: exactly the struct, of a kind the ABI names. */
static DWORD check_change(DWORD returned, const struct xfer_change *change)
{
    if (returned != sizeof(*change) || change->kind < XFER_CHANGE_WRITE ||
        change->kind > XFER_CHANGE_MANY)
        return ERROR_INVALID_DATA;
    return ERROR_SUCCESS;
}

DWORD xfer_wait_change(HANDLE device, uint64_t generation, struct xfer_change *change)
{
    struct xfer_wait_change in = { generation, 0 };
    DWORD returned;
    DWORD error = xfer_control(device, IOCTL_XFER_WAIT_CHANGE, &in, sizeof(in), change,
                               sizeof(*change), &returned);

    return error == ERROR_SUCCESS ? check_change(returned, change) : error;
}

DWORD xfer_wait_start(HANDLE device, uint64_t generation, struct xfer_wait *wait)
{
    DWORD error;

    ZeroMemory(wait, sizeof(*wait));
    wait->in.generation = generation;
    /* An event of its own: the wait outlives the calls made meanwhile on
     * this thread, which use the thread's event. */
    wait->overlapped.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (wait->overlapped.hEvent == NULL)
        return GetLastError();
    if (DeviceIoControl(device, IOCTL_XFER_WAIT_CHANGE, &wait->in, sizeof(wait->in),
                        &wait->out, sizeof(wait->out), NULL, &wait->overlapped))
        return ERROR_SUCCESS;
    if (GetLastError() == ERROR_IO_PENDING)
        return ERROR_IO_PENDING;
    /* Refused at once: nothing is in flight, the wait is over. */
    error = GetLastError();
    CloseHandle(wait->overlapped.hEvent);
    wait->overlapped.hEvent = NULL;
    return error;
}

DWORD xfer_wait_finish(HANDLE device, struct xfer_wait *wait, int block,
                       struct xfer_change *change)
{
    DWORD returned = 0, error = ERROR_SUCCESS;

    if (wait->overlapped.hEvent == NULL)
        return ERROR_INVALID_HANDLE;   /* not started, or finished already */
    if (!GetOverlappedResult(device, &wait->overlapped, &returned, block ? TRUE : FALSE))
        error = GetLastError();
    if (error == ERROR_IO_INCOMPLETE)
        return error;   /* still pending: ask again */
    CloseHandle(wait->overlapped.hEvent);
    wait->overlapped.hEvent = NULL;
    if (error != ERROR_SUCCESS)
        return error;
    error = check_change(returned, &wait->out);
    if (error == ERROR_SUCCESS && change != NULL)
        *change = wait->out;
    return error;
}

DWORD xfer_wait_cancel(HANDLE device, struct xfer_wait *wait)
{
    if (xfer_cancel_io_ex(device, &wait->overlapped))
        return ERROR_SUCCESS;
    /* ERROR_NOT_FOUND: it ended already; xfer_wait_finish tells how. */
    return GetLastError();
}
