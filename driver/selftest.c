/* SPDX-License-Identifier: MIT */
/*
 * A start-time proof that probe.c's exception handling works on the
 * platform the driver runs on. Enabled by Parameters\SelfTest.
 *
 * It reserves (without committing) a page of user address space in the
 * current process, so any access to it faults, and asks probe.c to copy
 * from and to it. Each copy must come back with STATUS_ACCESS_VIOLATION
 * instead of taking the host down. Then it commits the page and copies to
 * and from it, which must succeed and round-trip the bytes. On x86, where
 * probe.c's handler is a frame of our own on the fs:[0] chain, it also
 * faults under a frame that passes the exception on (which must be unwound
 * once) and checks that the chain's head is the same after every copy,
 * faulting or not. The results go to the trace, where the test suite reads them. This matters under Wine, which hands the driver
 * copies of every caller buffer: no request from a client can make the
 * handler run there. PASSIVE_LEVEL, in DriverEntry.
 */
#include "xfer_driver.h"

NTSYSAPI NTSTATUS NTAPI ZwAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                                ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                                                ULONG AllocationType, ULONG Protect);
NTSYSAPI NTSTATUS NTAPI ZwFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                            PSIZE_T RegionSize, ULONG FreeType);

/* The head of the x86 exception registration chain (NT_TIB.ExceptionList,
 * fs:[0]); x64 has no such chain, and always reports 0. */
static ULONG_PTR XferpExceptionList(VOID)
{
#if defined(_WIN64)
    return 0;
#else
    return __readfsdword(0);
#endif
}

/* A copy to and from the page once it is committed: both succeed and the
 * bytes come back. */
static NTSTATUS XferpSelfTestRoundTrip(PVOID Page)
{
    UCHAR Out[16], Back[16] = { 0 };
    NTSTATUS Status;
    ULONG i;

    for (i = 0; i < sizeof(Out); i++)
        Out[i] = (UCHAR)(0xA5 ^ i);
    Status = XferpCopyToUser(Page, Out, sizeof(Out));
    if (NT_SUCCESS(Status))
        Status = XferpCopyFromUser(Back, Page, sizeof(Back));
    if (NT_SUCCESS(Status) && RtlCompareMemory(Out, Back, sizeof(Out)) != sizeof(Out))
        Status = STATUS_DATA_ERROR;
    return Status;
}

#if !defined(_WIN64)
/* x86/selftest_frame.S */
XFER_GUARDED_ROUTINE XferpSelfTestPassingFrame;

/* x86: a fault under a frame of its own that passes the exception on must
 * still come back as STATUS_ACCESS_VIOLATION, and that frame's handler
 * must have been called once to unwind (guard.S's RtlUnwind). */
static VOID XferpSelfTestUnwind(PXFER_CONTEXT Context, PVOID Unmapped)
{
    volatile LONG Unwound = 0;
    NTSTATUS Status;

    Status = XferpCallGuarded(XferpSelfTestPassingFrame, (PVOID)&Unwound, Unmapped, sizeof(ULONG));
    XferpTraceDriver(Context, "SelfTest: fault under a frame that passes it on: status 0x%08lx, "
                     "that frame unwound %ld time(s)", (ULONG)Status, (LONG)Unwound);
}
#endif

VOID XferpRunSelfTest(PXFER_CONTEXT Context)
{
    PVOID Reserved = NULL;
    SIZE_T Size = PAGE_SIZE;
    UCHAR Bytes[16] = { 0 };
    ULONG_PTR ExceptionList = XferpExceptionList();
    BOOLEAN ListIntact = TRUE;
    NTSTATUS Status;

    Status = ZwAllocateVirtualMemory(ZwCurrentProcess(), &Reserved, 0, &Size, MEM_RESERVE,
                                     PAGE_NOACCESS);
    if (!NT_SUCCESS(Status)) {
        XferpTraceDriver(Context, "SelfTest: could not reserve a page: 0x%08lx", (ULONG)Status);
        return;
    }
#if !defined(_WIN64)
    XferpSelfTestUnwind(Context, Reserved);
    ListIntact &= XferpExceptionList() == ExceptionList;
#endif
    Status = XferpCopyFromUser(Bytes, Reserved, sizeof(Bytes));
    ListIntact &= XferpExceptionList() == ExceptionList;
    XferpTraceDriver(Context, "SelfTest: copy from an unmapped user page: status 0x%08lx",
                     (ULONG)Status);
    Status = XferpCopyToUser(Reserved, Bytes, sizeof(Bytes));
    ListIntact &= XferpExceptionList() == ExceptionList;
    XferpTraceDriver(Context, "SelfTest: copy to an unmapped user page: status 0x%08lx",
                     (ULONG)Status);

    Status = ZwAllocateVirtualMemory(ZwCurrentProcess(), &Reserved, 0, &Size, MEM_COMMIT,
                                     PAGE_READWRITE);
    if (NT_SUCCESS(Status))
        Status = XferpSelfTestRoundTrip(Reserved);
    ListIntact &= XferpExceptionList() == ExceptionList;
    XferpTraceDriver(Context, "SelfTest: copy to and from a committed user page: status 0x%08lx",
                     (ULONG)Status);
    XferpTraceDriver(Context, "SelfTest: exception list %s",
                     ListIntact ? "as before every copy" : "CHANGED by a copy");
    Size = 0;
    ZwFreeVirtualMemory(ZwCurrentProcess(), &Reserved, &Size, MEM_RELEASE);
}
