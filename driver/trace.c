/* SPDX-License-Identifier: MIT */
/*
 * The driver's trace: one line per request and one per result, in the
 * words of the book's Listing 7.1 ("Read 4 bytes from offset 0",
 * "Read: 4 bytes returned").
 *
 * Each line goes to two places: the trace ring that READ_TRACE reads (a
 * fixed array of records: no allocation per record; when it is full the
 * oldest record is overwritten), and the kernel debugger through
 * DbgPrintEx (component IHVDRIVER, INFO level: silent on Windows unless the
 * debug filter asks for it), prefixed by the device.
 *
 * Anyone with read access reads the ring, so a record holds no kernel
 * address and no caller's raw input: no %p in any format here (the build
 * checks it, scripts/check-trace-formats). Reading leaves the ring as it
 * was, so that one reader cannot erase what another has not read yet.
 *
 * A line is formatted into a fixed record on the stack and truncated there,
 * so it never grows past what a debugger (or Wine's relay of it) accepts.
 * The ring's spin lock covers only the ring's fields and one record copy.
 * IRQL <= DISPATCH_LEVEL.
 */
#include <stdarg.h>
#include "xfer_driver.h"

int __cdecl _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args);

static const char *const XferDevicePrefixes[XferKindCount] = {
    [XferKindBuffered] = "[Buffered] ",
    [XferKindDirect] = "[Direct] ",
    [XferKindNeither] = "[Neither] ",
};

VOID XferpTraceStart(PXFER_CONTEXT Context)
{
    KeInitializeSpinLock(&Context->Trace.Lock);
    Context->Trace.NextSequence = 1;
    Context->Trace.Start = KeQueryPerformanceCounter(&Context->Trace.Frequency);
}

/* 100 ns units since XferpTraceStart, without overflowing the multiply. */
static UINT64 XferpTraceTime(XFER_TRACE_RING *Ring)
{
    UINT64 Ticks = (UINT64)(KeQueryPerformanceCounter(NULL).QuadPart - Ring->Start.QuadPart);
    UINT64 Frequency = (UINT64)Ring->Frequency.QuadPart;

    if (Frequency == 0)
        return 0;
    return Ticks / Frequency * 10000000ull + Ticks % Frequency * 10000000ull / Frequency;
}

static VOID XferpTraceRecord(PXFER_CONTEXT Context, struct xfer_trace_record *Record)
{
    XFER_TRACE_RING *Ring = &Context->Trace;
    ULONG Slot;
    KIRQL OldIrql;

    KeAcquireSpinLock(&Ring->Lock, &OldIrql);
    Record->sequence = Ring->NextSequence++;
    if (Ring->Count == XFER_TRACE_CAPACITY) {
        Ring->Head = (Ring->Head + 1) % XFER_TRACE_CAPACITY;   /* the oldest goes */
        Ring->Count--;
    }
    Slot = (Ring->Head + Ring->Count) % XFER_TRACE_CAPACITY;
    Ring->Records[Slot] = *Record;
    Ring->Count++;
    KeReleaseSpinLock(&Ring->Lock, OldIrql);
}

static VOID XferpTraceV(PXFER_CONTEXT Context, ULONG Device, PCSTR Format, va_list Args)
{
    struct xfer_trace_record Record;
    PCSTR Prefix = Device < XferKindCount ? XferDevicePrefixes[Device] : "";
    int Written;

    RtlZeroMemory(&Record, sizeof(Record));   /* READ_TRACE copies all of it out */
    Written = _vsnprintf(Record.text, sizeof(Record.text) - 1, Format, Args);
    if (Written < 0 || (size_t)Written >= sizeof(Record.text) - 1)
        Record.text[sizeof(Record.text) - 1] = '\0';   /* cut: not terminated */
    Record.device = Device;

    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "xfer: %s%s\n", Prefix, Record.text);
    if (Context != NULL) {
        Record.time_100ns = XferpTraceTime(&Context->Trace);
        XferpTraceRecord(Context, &Record);
    }
}

VOID XferpTrace(PXFER_DEVICE_EXTENSION Extension, PCSTR Format, ...)
{
    va_list Args;

    va_start(Args, Format);
    XferpTraceV(Extension->Context, (ULONG)Extension->Kind, Format, Args);
    va_end(Args);
}

/* Context may be NULL (before the driver-wide state exists): debugger only. */
VOID XferpTraceDriver(PXFER_CONTEXT Context, PCSTR Format, ...)
{
    va_list Args;

    va_start(Args, Format);
    XferpTraceV(Context, XFER_TRACE_DEVICE_DRIVER, Format, Args);
    va_end(Args);
}

ULONG XferpTraceRead(PXFER_CONTEXT Context, ULONG64 After, struct xfer_trace_record *Records,
                     ULONG Capacity, PULONG64 Dropped, PBOOLEAN Available)
{
    XFER_TRACE_RING *Ring = &Context->Trace;
    ULONG64 Newest, Oldest, First;
    ULONG Taken = 0;
    KIRQL OldIrql;

    /* Records is system memory (the request's system buffer), never a
     * caller's pointer: it may be written under the spin lock. */
    KeAcquireSpinLock(&Ring->Lock, &OldIrql);
    Newest = Ring->NextSequence - 1;
    Oldest = Ring->NextSequence - Ring->Count;
    if (After > Newest)
        After = 0;   /* a sequence of an earlier run of the driver */
    First = After + 1 > Oldest ? After + 1 : Oldest;
    *Dropped = First - (After + 1);
    *Available = (First <= Newest);
    for (; First + Taken <= Newest && Taken < Capacity; Taken++) {
        ULONG Slot = (ULONG)((Ring->Head + (First - Oldest) + Taken) % XFER_TRACE_CAPACITY);

        Records[Taken] = Ring->Records[Slot];
    }
    KeReleaseSpinLock(&Ring->Lock, OldIrql);
    return Taken;
}
