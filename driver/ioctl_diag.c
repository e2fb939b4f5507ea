/* SPDX-License-Identifier: MIT */
/*
 * The IOCTLs that look at the driver rather than the store: GET_STATS,
 * RESET_STATS and READ_TRACE. METHOD_BUFFERED; GET_STATS and RESET_STATS
 * take no input, READ_TRACE a struct xfer_trace_read. Every byte of output
 * up to Information is written here. PASSIVE_LEVEL.
 */
#include "xfer_driver.h"

/* The snapshot goes straight into the system buffer (METHOD_BUFFERED: the
 * driver's own memory), which also keeps the 648-byte struct off the
 * kernel stack. A reset may come without an output buffer. */
static NTSTATUS XferpStats(PXFER_IOCTL_REQUEST Request, BOOLEAN Reset, PULONG_PTR Information)
{
    if (Request->InputLength != 0)
        return STATUS_INVALID_PARAMETER;
    if (Request->OutputLength >= sizeof(struct xfer_stats)) {
        XferpStatsSnapshot(Request->Context, Request->SystemBuffer, Reset);
        *Information = sizeof(struct xfer_stats);
        return STATUS_SUCCESS;
    }
    if (Reset && Request->OutputLength == 0) {
        XferpStatsSnapshot(Request->Context, NULL, TRUE);
        return STATUS_SUCCESS;
    }
    return STATUS_BUFFER_TOO_SMALL;
}

NTSTATUS XferpIoctlGetStats(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    return XferpStats(Request, FALSE, Information);
}

/* Needs write access: the I/O manager checks it against the code. */
NTSTATUS XferpIoctlResetStats(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    return XferpStats(Request, TRUE, Information);
}

/* The records after the caller's sequence number, as many whole ones as
 * the output holds; the ring is left as it was. Output with room for the
 * batch header but not for one record that is there to read is too small:
 * a reader that loops until a batch of 0 must not stop early. */
NTSTATUS XferpIoctlReadTrace(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    struct xfer_trace_read Input;
    struct xfer_trace_batch Batch;
    BOOLEAN Available;
    ULONG Capacity;

    if (Request->InputLength != sizeof(Input))
        return STATUS_INVALID_PARAMETER;
    RtlCopyMemory(&Input, Request->SystemBuffer, sizeof(Input));   /* before any output */
    if (Input.reserved != 0)
        return STATUS_INVALID_PARAMETER;
    if (Request->OutputLength < sizeof(Batch))
        return STATUS_BUFFER_TOO_SMALL;

    Capacity = (Request->OutputLength - sizeof(Batch)) / sizeof(struct xfer_trace_record);
    RtlZeroMemory(&Batch, sizeof(Batch));
    Batch.count = XferpTraceRead(Request->Context, Input.after,
                                 (struct xfer_trace_record *)((PUCHAR)Request->SystemBuffer +
                                                              sizeof(Batch)),
                                 Capacity, &Batch.dropped, &Available);
    if (Batch.count == 0 && Available)
        return STATUS_BUFFER_TOO_SMALL;
    RtlCopyMemory(Request->SystemBuffer, &Batch, sizeof(Batch));
    *Information = sizeof(Batch) + (ULONG_PTR)Batch.count * sizeof(struct xfer_trace_record);
    return STATUS_SUCCESS;
}
