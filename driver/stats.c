/* SPDX-License-Identifier: MIT */
/*
 * Request counters, device x path. Each counter is updated and read with
 * interlocked operations, so totals are exact however many requests run at
 * once. Any IRQL.
 */
#include "xfer_driver.h"

VOID XferpCountRequest(PXFER_DEVICE_EXTENSION Extension, enum xfer_path Path,
                       NTSTATUS Status, ULONG_PTR Information)
{
    XFER_STATS *Stats = &Extension->Context->Stats;
    ULONG Device = (ULONG)Extension->Kind;

    XferpInterlockedAdd64(&Stats->Requests[Device][Path], 1);
    if (NT_SUCCESS(Status))
        XferpInterlockedAdd64(&Stats->Bytes[Device][Path], (LONG64)Information);
    else
        XferpInterlockedAdd64(&Stats->Errors[Device][Path], 1);
}

static UINT64 XferpTakeCounter(volatile LONG64 *Counter, BOOLEAN Reset)
{
    return (UINT64)(Reset ? XferpInterlockedExchange64(Counter, 0)
                          : XferpInterlockedRead64(Counter));
}

VOID XferpStatsSnapshot(PXFER_CONTEXT Context, struct xfer_stats *Snapshot, BOOLEAN Reset)
{
    XFER_STATS *Stats = &Context->Stats;
    ULONG Device, Path;

    for (Device = 0; Device < XFER_DEVICE_COUNT; Device++) {
        for (Path = 0; Path < XFER_PATH_COUNT; Path++) {
            struct xfer_counter Counter;

            Counter.requests = XferpTakeCounter(&Stats->Requests[Device][Path], Reset);
            Counter.bytes = XferpTakeCounter(&Stats->Bytes[Device][Path], Reset);
            Counter.errors = XferpTakeCounter(&Stats->Errors[Device][Path], Reset);
            if (Snapshot != NULL)
                Snapshot->device[Device][Path] = Counter;
        }
    }
}
