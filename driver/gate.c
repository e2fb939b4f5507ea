/* SPDX-License-Identifier: MIT */
/*
 * The remove lock around every request. Each request major the driver
 * serves (CREATE, CLEANUP, CLOSE, READ, WRITE, DEVICE_CONTROL) is
 * dispatched here first: the request holds its device's remove lock while
 * its own routine runs, so that an FDO's REMOVE_DEVICE, which waits with
 * IoReleaseRemoveLockAndWait, deletes the device only after every request
 * that got in has left it.
 *
 * Once removal has begun (SURPRISE_REMOVAL or REMOVE_DEVICE seen), a new
 * request is completed with STATUS_DELETE_PENDING without running, and so
 * is a CREATE between an accepted QUERY_REMOVE and its CANCEL_REMOVE.
 * CLEANUP and CLOSE always run: a handle's teardown must happen whatever
 * the device's state.
 *
 * A request that its routine leaves pending does not keep the lock: the
 * lock is released when the routine returns. Removal completes such
 * requests itself (pnp.c) before and after it waits, so none is left
 * behind on a deleted device.
 *
 * PASSIVE_LEVEL, in the caller's context.
 */
#include "xfer_driver.h"

BOOLEAN XferpDeviceGone(PXFER_DEVICE_EXTENSION Extension)
{
    return InterlockedCompareExchange(&Extension->Removing, 0, 0) != 0;
}

/* Whether a request of this major may run on a device in removal. */
static BOOLEAN XferpRunsWhenGone(UCHAR Major)
{
    return Major == IRP_MJ_CLEANUP || Major == IRP_MJ_CLOSE;
}

static NTSTATUS XferpDispatchMajor(PDEVICE_OBJECT DeviceObject, PIRP Irp, UCHAR Major)
{
    /* The verifier build checks the rule this file keeps. */
    if (!XFER_VERIFY(XferpVfIrpHoldsRemoveLock(Irp) || XferpRunsWhenGone(Major),
                     "every dispatched request but CLEANUP and CLOSE holds its device's remove lock"))
        return XferpCompleteRequest(Irp, STATUS_INTERNAL_ERROR, 0);
    switch (Major) {
    case IRP_MJ_CREATE:
        return XferDispatchCreate(DeviceObject, Irp);
    case IRP_MJ_CLEANUP:
        return XferDispatchCleanup(DeviceObject, Irp);
    case IRP_MJ_CLOSE:
        return XferDispatchClose(DeviceObject, Irp);
    case IRP_MJ_READ:
        return XferDispatchRead(DeviceObject, Irp);
    case IRP_MJ_WRITE:
        return XferDispatchWrite(DeviceObject, Irp);
    case IRP_MJ_DEVICE_CONTROL:
        return XferDispatchDeviceControl(DeviceObject, Irp);
    default:
        return XferpCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

NTSTATUS NTAPI XferDispatchGuarded(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;
    UCHAR Major = IoGetCurrentIrpStackLocation(Irp)->MajorFunction;
    BOOLEAN Locked, Refused;
    NTSTATUS Status;

    XferpVfIrpIn(Irp);
    if (!XFER_VERIFY(XferpVfIrqlAtMost(PASSIVE_LEVEL), "dispatch routines run at PASSIVE_LEVEL"))
        return XferpCompleteRequest(Irp, STATUS_INTERNAL_ERROR, 0);
    Locked = NT_SUCCESS(IoAcquireRemoveLock(&Extension->RemoveLock, Irp));
    if (Locked)
        XferpVfIrpRemoveLocked(Irp);
    Refused = !Locked || XferpDeviceGone(Extension) ||
              (Major == IRP_MJ_CREATE && InterlockedCompareExchange(&Extension->RemoveQueried, 0, 0));

    if (Refused && !XferpRunsWhenGone(Major)) {
        XferpTrace(Extension, "Request 0x%02x refused: the device is being removed", (ULONG)Major);
        Status = XferpCompleteRequest(Irp, STATUS_DELETE_PENDING, 0);
    } else {
        Status = XferpDispatchMajor(DeviceObject, Irp, Major);
    }
    /* The IRP may be completed and gone by now: it is only the lock's tag. */
    if (Locked)
        IoReleaseRemoveLock(&Extension->RemoveLock, Irp);
    return Status;
}
