/* SPDX-License-Identifier: MIT */
/*
 * The only code in xfer.sys that touches a user-mode address.
 *
 * XferpProbeUser checks a caller's whole declared range before anything
 * else is done with the request (buffers.c), so that a bad pointer is
 * refused the same way whatever the store holds and before any allocation
 * is sized by its length. XferpLockUserPages locks a caller's pages
 * (locked.c), which MmProbeAndLockPages reports by raising.
 *
 * Each copy probes the range (ProbeForRead/ProbeForWrite raise if it is not
 * wholly in user space) and copies it in one pass, under __try/__except, in
 * the caller's thread context (a top-level driver's dispatch routine runs
 * in it). A fault or a failed probe becomes STATUS_ACCESS_VIOLATION; the
 * kernel-side buffer is then the only thing that may hold partial data, and
 * callers discard it.
 *
 * The probing and copying live in noinline callees, not in the __try bodies:
 * with clang's mingw SEH a fault is caught when it is raised inside a called
 * function, while a faulting instruction placed directly in the __try body
 * is not covered. The status is set in the __except body rather than taken
 * from GetExceptionCode() there, which Wine's __C_specific_handler leaves 0.
 *
 * On x86, where clang cannot compile __try for mingw targets, the same
 * callees run under x86/guard.S's XferpCallGuarded, a hand-built frame-based
 * handler with the same outcome: the callee's return, or
 * STATUS_ACCESS_VIOLATION for any exception raised inside it.
 *
 * PASSIVE_LEVEL or APC_LEVEL (user memory may page in), in the requestor's
 * context. Holds no lock.
 */
#include "xfer_driver.h"

static __declspec(noinline) VOID __cdecl XferpProbeAndCopyIn(PVOID Destination,
                                                             const VOID *UserSource,
                                                             SIZE_T Length)
{
    ProbeForRead((PVOID)UserSource, Length, 1);
    RtlCopyMemory(Destination, UserSource, Length);
}

static __declspec(noinline) VOID __cdecl XferpProbeAndCopyOut(PVOID UserDestination,
                                                              const VOID *Source, SIZE_T Length)
{
    ProbeForWrite(UserDestination, Length, 1);
    RtlCopyMemory(UserDestination, Source, Length);
}

static __declspec(noinline) VOID __cdecl XferpProbeIn(PVOID Unused, const VOID *UserSource,
                                                      SIZE_T Length)
{
    ProbeForRead((PVOID)UserSource, Length, 1);
}

static __declspec(noinline) VOID __cdecl XferpProbeOut(PVOID UserDestination,
                                                       const VOID *Unused, SIZE_T Length)
{
    ProbeForWrite(UserDestination, Length, 1);
}

/* MmProbeAndLockPages raises, rather than returns, when a page cannot be
 * had for this access: the Mdl is the first argument, the access the
 * third. */
static __declspec(noinline) VOID __cdecl XferpLockPages(PVOID Mdl, const VOID *Unused,
                                                        SIZE_T Operation)
{
    MmProbeAndLockPages((PMDL)Mdl, UserMode, (LOCK_OPERATION)Operation);
}

#if defined(_WIN64)

typedef VOID __cdecl XFER_GUARDED_ROUTINE(PVOID Destination, const VOID *Source, SIZE_T Length);

/* The x64 twin of x86/guard.S's XferpCallGuarded. */
static NTSTATUS XferpCallGuarded(XFER_GUARDED_ROUTINE *Routine, PVOID Destination,
                                 const VOID *Source, SIZE_T Length)
{
    NTSTATUS Status = STATUS_SUCCESS;

    __try {
        Routine(Destination, Source, Length);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = STATUS_ACCESS_VIOLATION;
    }
    return Status;
}

#endif

NTSTATUS XferpCopyFromUser(PVOID Destination, const VOID *UserSource, SIZE_T Length)
{
    return XferpCallGuarded(XferpProbeAndCopyIn, Destination, UserSource, Length);
}

NTSTATUS XferpCopyToUser(PVOID UserDestination, const VOID *Source, SIZE_T Length)
{
    return XferpCallGuarded(XferpProbeAndCopyOut, UserDestination, Source, Length);
}

NTSTATUS XferpProbeUser(PVOID UserAddress, SIZE_T Length, BOOLEAN DeviceWrites)
{
    if (DeviceWrites)
        return XferpCallGuarded(XferpProbeOut, UserAddress, NULL, Length);
    return XferpCallGuarded(XferpProbeIn, NULL, UserAddress, Length);
}

NTSTATUS XferpLockUserPages(PMDL Mdl, BOOLEAN DeviceWrites)
{
    return XferpCallGuarded(XferpLockPages, Mdl, NULL,
                            DeviceWrites ? IoWriteAccess : IoReadAccess);
}
