/* SPDX-License-Identifier: MIT */
/*
 * A start-time proof that probe.c's exception handling works on the
 * platform the driver runs on. Enabled by Parameters\SelfTest.
 *
 * It reserves (without committing) a page of user address space in the
 * current process, so any access to it faults, and asks probe.c to copy
 * from and to it. Each copy must come back with STATUS_ACCESS_VIOLATION
 * instead of taking the host down. The results go to the trace, where the
 * test suite reads them. This matters under Wine, which hands the driver
 * copies of every caller buffer: no request from a client can make the
 * handler run there. PASSIVE_LEVEL, in DriverEntry.
 */
#include "xfer_driver.h"

NTSYSAPI NTSTATUS NTAPI ZwAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                                ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                                                ULONG AllocationType, ULONG Protect);
NTSYSAPI NTSTATUS NTAPI ZwFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                            PSIZE_T RegionSize, ULONG FreeType);

VOID XferpRunSelfTest(PXFER_CONTEXT Context)
{
    PVOID Reserved = NULL;
    SIZE_T Size = PAGE_SIZE;
    UCHAR Bytes[16] = { 0 };
    NTSTATUS Status;

    Status = ZwAllocateVirtualMemory(ZwCurrentProcess(), &Reserved, 0, &Size, MEM_RESERVE,
                                     PAGE_NOACCESS);
    if (!NT_SUCCESS(Status)) {
        XferpTraceDriver(Context, "SelfTest: could not reserve a page: 0x%08lx", (ULONG)Status);
        return;
    }
    Status = XferpCopyFromUser(Bytes, Reserved, sizeof(Bytes));
    XferpTraceDriver(Context, "SelfTest: copy from an unmapped user page: status 0x%08lx",
                     (ULONG)Status);
    Status = XferpCopyToUser(Reserved, Bytes, sizeof(Bytes));
    XferpTraceDriver(Context, "SelfTest: copy to an unmapped user page: status 0x%08lx",
                     (ULONG)Status);
    Size = 0;
    ZwFreeVirtualMemory(ZwCurrentProcess(), &Reserved, &Size, MEM_RELEASE);
}
