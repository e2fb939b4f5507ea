/* SPDX-License-Identifier: MIT */
/*
 * IRP_MJ_PNP on an FDO. Every PnP request is traced, in the words of the
 * book's Listing 7.1 ("PnP IRP_MJ_PNP:IRP_MN_START_DEVICE"), and holds the
 * device's remove lock while it is handled here.
 *
 *   START_DEVICE      the drivers below first (forwarded and waited for),
 *                     then the device interface is enabled
 *   QUERY_REMOVE      accepted; new opens are refused until CANCEL_REMOVE
 *                     or the removal
 *   CANCEL_REMOVE     the drivers below first, then opens are taken again
 *   SURPRISE_REMOVAL  new requests are refused, the interface disabled, the
 *                     device's pending requests completed
 *   REMOVE_DEVICE     the same, then waits for the requests still running
 *                     (IoReleaseRemoveLockAndWait), passes the request
 *                     down, detaches and deletes the FDO
 *   QUERY_STOP, STOP, CANCEL_STOP
 *                     succeeded and passed down (no resources to give up)
 *   anything else     down the stack as it came
 *
 * PnP requests arrive on the PnP manager's thread at PASSIVE_LEVEL; none
 * is ever left pending (the FDO waits for the drivers below itself).
 */
#include "xfer_driver.h"

static const char *const XferPnpNames[] = {
    "IRP_MN_START_DEVICE", "IRP_MN_QUERY_REMOVE_DEVICE", "IRP_MN_REMOVE_DEVICE",
    "IRP_MN_CANCEL_REMOVE_DEVICE", "IRP_MN_STOP_DEVICE", "IRP_MN_QUERY_STOP_DEVICE",
    "IRP_MN_CANCEL_STOP_DEVICE", "IRP_MN_QUERY_DEVICE_RELATIONS", "IRP_MN_QUERY_INTERFACE",
    "IRP_MN_QUERY_CAPABILITIES", "IRP_MN_QUERY_RESOURCES",
    "IRP_MN_QUERY_RESOURCE_REQUIREMENTS", "IRP_MN_QUERY_DEVICE_TEXT",
    "IRP_MN_FILTER_RESOURCE_REQUIREMENTS", "(0x0e)", "IRP_MN_READ_CONFIG",
    "IRP_MN_WRITE_CONFIG", "IRP_MN_EJECT", "IRP_MN_SET_LOCK", "IRP_MN_QUERY_ID",
    "IRP_MN_QUERY_PNP_DEVICE_STATE", "IRP_MN_QUERY_BUS_INFORMATION",
    "IRP_MN_DEVICE_USAGE_NOTIFICATION", "IRP_MN_SURPRISE_REMOVAL",
};

static VOID XferpTracePnp(PXFER_DEVICE_EXTENSION Extension, UCHAR Minor)
{
    if (Minor < RTL_NUMBER_OF(XferPnpNames))
        XferpTrace(Extension, "PnP IRP_MJ_PNP:%s", XferPnpNames[Minor]);
    else
        XferpTrace(Extension, "PnP IRP_MJ_PNP:(0x%02x)", (ULONG)Minor);
}

/* Removal has begun: refuse new requests, take the interface away, and
 * end the device's pending requests, which hold no remove lock and would
 * otherwise outlive the device. */
static VOID XferpBeginRemoval(PXFER_DEVICE_EXTENSION Extension)
{
    InterlockedExchange(&Extension->Removing, 1);
    XferpSetInterface(Extension, FALSE);
    XferpTearDownDevice(Extension);
}

static NTSTATUS XferpStartDevice(PXFER_DEVICE_EXTENSION Extension, PIRP Irp)
{
    NTSTATUS Status = XferpForwardAndWait(Extension, Irp);

    if (NT_SUCCESS(Status))
        XferpSetInterface(Extension, TRUE);
    XferpTrace(Extension, "Start: status 0x%08lx", (ULONG)Status);
    Irp->IoStatus.Status = Status;
    return XferpCompleteAsIs(Irp);
}

static NTSTATUS XferpCancelRemove(PXFER_DEVICE_EXTENSION Extension, PIRP Irp)
{
    NTSTATUS Status = XferpForwardAndWait(Extension, Irp);

    /* A driver below that does not know the request leaves it
     * STATUS_NOT_SUPPORTED; the cancel is ours to honour all the same. */
    if (Status == STATUS_NOT_SUPPORTED)
        Status = STATUS_SUCCESS;
    InterlockedExchange(&Extension->RemoveQueried, 0);
    Irp->IoStatus.Status = Status;
    return XferpCompleteAsIs(Irp);
}

/* Returns with the device deleted: its remove lock is gone with it. */
static NTSTATUS XferpRemoveDevice(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;
    NTSTATUS Status;
    ULONG Handles;

    XferpBeginRemoval(Extension);
    /* Releases this request's hold and waits until no other holds it; from
     * here on every acquire fails. */
    IoReleaseRemoveLockAndWait(&Extension->RemoveLock, Irp);
    /* A request already past the gate when removal began may have opened
     * a handle or queued a wait before it returned: end those too. */
    XferpTearDownDevice(Extension);
    Handles = XferpForgetHandles(Extension->Context, Extension);
    if (Handles != 0)
        XferpTrace(Extension, "Remove: %lu handle records released", Handles);
    XferpVfDeviceRemoved(Extension);   /* the verifier build: nothing of the device is left */
    /* A cancel routine that took one of the device's waits before the
     * teardowns could (CancelIo racing the removal) may still be
     * completing it, on this device: let it finish. Nothing else can be
     * holding: the teardowns completed every other wait, and no new one
     * gets past the gate. */
    if (InterlockedDecrement(&Extension->WaitsHeld) != 0) {
        XferpTrace(Extension, "Remove: waiting for a cancelled wait to complete");
        KeWaitForSingleObject(&Extension->WaitsDone, Executive, KernelMode, FALSE, NULL);
    }
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Status = XferpPassDown(Extension, Irp);
    XferpDeleteFdo(DeviceObject);
    return Status;
}

NTSTATUS NTAPI XferDispatchPnp(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;
    UCHAR Minor = IoGetCurrentIrpStackLocation(Irp)->MinorFunction;
    NTSTATUS Status;

    XferpVfIrpIn(Irp);
    XferpTracePnp(Extension, Minor);
    if (!XFER_VERIFY(XferpVfIrqlAtMost(PASSIVE_LEVEL), "dispatch routines run at PASSIVE_LEVEL"))
        return XferpCompleteRequest(Irp, STATUS_INTERNAL_ERROR, 0);
    if (Extension->LowerDevice == NULL)
        return XferpCompleteAsIs(Irp);   /* a control device: no stack, nothing to say */
    Status = IoAcquireRemoveLock(&Extension->RemoveLock, Irp);
    if (!NT_SUCCESS(Status))
        return XferpCompleteRequest(Irp, STATUS_DELETE_PENDING, 0);

    switch (Minor) {
    case IRP_MN_START_DEVICE:
        Status = XferpStartDevice(Extension, Irp);
        break;
    case IRP_MN_QUERY_REMOVE_DEVICE:
        InterlockedExchange(&Extension->RemoveQueried, 1);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        Status = XferpPassDown(Extension, Irp);
        break;
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        Status = XferpCancelRemove(Extension, Irp);
        break;
    case IRP_MN_SURPRISE_REMOVAL:
        XferpBeginRemoval(Extension);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        Status = XferpPassDown(Extension, Irp);
        break;
    case IRP_MN_REMOVE_DEVICE:
        return XferpRemoveDevice(DeviceObject, Irp);
    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_STOP_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
        /* The FDO holds no hardware resources: a rebalance may stop and
         * restart it at will. A function driver says so by setting the
         * status before passing the request down; left as the PnP
         * manager's STATUS_NOT_SUPPORTED, it would veto the rebalance. */
        Irp->IoStatus.Status = STATUS_SUCCESS;
        Status = XferpPassDown(Extension, Irp);
        break;
    default:
        Status = XferpPassDown(Extension, Irp);
        break;
    }
    IoReleaseRemoveLock(&Extension->RemoveLock, Irp);
    return Status;
}
