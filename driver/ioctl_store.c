/* SPDX-License-Identifier: MIT */
/*
 * The IOCTLs that act on the store as a whole: Wdm1's ZERO, REMOVE,
 * GET_SIZE and GET_BUFFER, and SET_SIZE and GET_INFO. Each change wakes
 * the WAIT_CHANGE waiters as it releases the store lock (the range it
 * reports is the one the change touched). All METHOD_BUFFERED:
 * input and output share one system buffer of max(in, out) bytes, so each
 * handler reads its whole input before it writes any output.
 *
 * None of them takes input but SET_SIZE: a request that brings some anyway
 * is malformed (STATUS_INVALID_PARAMETER). Output a code does not produce
 * is ignored. PASSIVE_LEVEL.
 */
#include "xfer_driver.h"

NTSTATUS XferpIoctlZero(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    UNREFERENCED_PARAMETER(Information);
    if (Request->InputLength != 0)
        return STATUS_INVALID_PARAMETER;
    XferpLockExclusive(Request->Context);
    xfer_store_zero(&Request->Context->Store);
    XferpUnlockChanged(Request->Context, XFER_CHANGE_ZERO, 0,
                       xfer_store_size(&Request->Context->Store));
    return STATUS_SUCCESS;
}

NTSTATUS XferpIoctlRemove(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    UINT64 OldSize;

    UNREFERENCED_PARAMETER(Information);
    if (Request->InputLength != 0)
        return STATUS_INVALID_PARAMETER;
    XferpLockExclusive(Request->Context);
    OldSize = xfer_store_size(&Request->Context->Store);
    xfer_store_remove(&Request->Context->Store);
    XferpUnlockChanged(Request->Context, XFER_CHANGE_REMOVE, 0, OldSize);
    return STATUS_SUCCESS;
}

NTSTATUS XferpIoctlGetSize(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    UINT64 Size;

    if (Request->InputLength != 0)
        return STATUS_INVALID_PARAMETER;
    if (Request->OutputLength < sizeof(Size))
        return STATUS_BUFFER_TOO_SMALL;
    XferpLockShared(Request->Context);
    Size = xfer_store_size(&Request->Context->Store);
    XferpUnlock(Request->Context);
    RtlCopyMemory(Request->SystemBuffer, &Size, sizeof(Size));
    *Information = sizeof(Size);
    return STATUS_SUCCESS;
}

/* Wdm1's semantics: the output length is the request, and asking for more
 * than the store holds is an error rather than a short read. */
NTSTATUS XferpIoctlGetBuffer(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    NTSTATUS Status = STATUS_SUCCESS;
    size_t Done = 0;   /* the core's type: SIZE_T is unsigned long, size_t unsigned int on x86 */

    if (Request->InputLength != 0)
        return STATUS_INVALID_PARAMETER;
    XferpLockShared(Request->Context);
    if (Request->OutputLength > xfer_store_size(&Request->Context->Store))
        Status = STATUS_INVALID_PARAMETER;
    else if (Request->OutputLength != 0)
        Status = XferpStatusFromStore(xfer_store_read(&Request->Context->Store, 0,
                                                      Request->SystemBuffer,
                                                      Request->OutputLength, &Done));
    XferpUnlock(Request->Context);
    if (NT_SUCCESS(Status))
        *Information = Done;
    return Status;
}

NTSTATUS XferpIoctlSetSize(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    struct xfer_set_size Input;
    xfer_status Result;
    UINT64 OldSize, Low, High;

    UNREFERENCED_PARAMETER(Information);
    if (Request->InputLength != sizeof(Input))
        return STATUS_INVALID_PARAMETER;
    RtlCopyMemory(&Input, Request->SystemBuffer, sizeof(Input));
    XferpLockExclusive(Request->Context);
    OldSize = xfer_store_size(&Request->Context->Store);
    Result = xfer_store_set_size(&Request->Context->Store, Input.size);
    /* The bytes cut off, or added as zeros: between the two sizes. */
    Low = OldSize < Input.size ? OldSize : Input.size;
    High = OldSize < Input.size ? Input.size : OldSize;
    XferpUnlockChanged(Request->Context, XFER_CHANGE_RESIZE, Low, High - Low);
    return XferpStatusFromStore(Result);
}

NTSTATUS XferpIoctlGetInfo(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    struct xfer_store_info Store;
    struct xfer_info Info;

    if (Request->InputLength != 0)
        return STATUS_INVALID_PARAMETER;
    if (Request->OutputLength < sizeof(Info))
        return STATUS_BUFFER_TOO_SMALL;
    XferpLockShared(Request->Context);
    xfer_store_get_info(&Request->Context->Store, &Store);
    XferpUnlock(Request->Context);

    RtlZeroMemory(&Info, sizeof(Info));
    Info.version = XFER_INTERFACE_VERSION;
    Info.chunk_size = Store.chunk_size;
    Info.size = Store.size;
    Info.limit = Store.limit;
    Info.bytes_allocated = Store.bytes_allocated;
    Info.generation = Store.generation;
    Info.pending_waiters = XferpPendingWaiters(Request->Context);
    Info.open_handles = XferpOpenHandles(Request->Context);
    RtlCopyMemory(Request->SystemBuffer, &Info, sizeof(Info));
    *Information = sizeof(Info);
    return STATUS_SUCCESS;
}
