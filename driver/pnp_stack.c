/* SPDX-License-Identifier: MIT */
/*
 * An FDO and the stack below it: passing requests down to the PDO, and
 * the majors the FDO has nothing of its own to do with (IRP_MJ_POWER,
 * IRP_MJ_SYSTEM_CONTROL), which go down as they came.
 *
 * A legacy control device has no stack below it: such a request, which
 * the I/O manager never sends one, is completed with the status it came
 * with.
 */
#include "xfer_driver.h"

static IO_COMPLETION_ROUTINE XferpSignalCompletion;

NTSTATUS XferpPassDown(PXFER_DEVICE_EXTENSION Extension, PIRP Irp)
{
    IoSkipCurrentIrpStackLocation(Irp);
    return IoCallDriver(Extension->LowerDevice, Irp);
}

/* Any IRQL <= DISPATCH_LEVEL. Stops the completion so that the IRP is
 * the FDO's again; XferpForwardAndWait completes it. */
static NTSTATUS NTAPI XferpSignalCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    XferpVfIrpIn(Irp);   /* passed down, and ours again */
    KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* The one place a dispatch routine of this driver waits: for the drivers
 * below to finish with a PnP request, never for another request of ours.
 * PnP requests come on the PnP manager's thread, so this blocks no reads
 * or writes (under Wine, whose root PDO completes at once, it does not
 * even block). */
NTSTATUS XferpForwardAndWait(PXFER_DEVICE_EXTENSION Extension, PIRP Irp)
{
    KEVENT Done;
    NTSTATUS Status;

    KeInitializeEvent(&Done, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, XferpSignalCompletion, &Done, TRUE, TRUE, TRUE);
    Status = IoCallDriver(Extension->LowerDevice, Irp);
    if (Status == STATUS_PENDING) {
        KeWaitForSingleObject(&Done, Executive, KernelMode, FALSE, NULL);
        Status = Irp->IoStatus.Status;
    }
    return Status;
}

NTSTATUS XferpCompleteAsIs(PIRP Irp)
{
    NTSTATUS Status = Irp->IoStatus.Status;

    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* IRP_MJ_POWER. The FDO keeps no power state of its own: every power
 * request goes down. PoStartNextPowerIrp before the IRP leaves us, as
 * Windows before Vista requires (a no-op since). */
NTSTATUS NTAPI XferDispatchPower(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;
    NTSTATUS Status;

    XferpVfIrpIn(Irp);
    PoStartNextPowerIrp(Irp);
    if (Extension->LowerDevice == NULL)
        return XferpCompleteAsIs(Irp);
    Status = IoAcquireRemoveLock(&Extension->RemoveLock, Irp);
    if (!NT_SUCCESS(Status))
        return XferpCompleteRequest(Irp, STATUS_DELETE_PENDING, 0);
    IoSkipCurrentIrpStackLocation(Irp);
    Status = PoCallDriver(Extension->LowerDevice, Irp);
    IoReleaseRemoveLock(&Extension->RemoveLock, Irp);
    return Status;
}

/* IRP_MJ_SYSTEM_CONTROL (WMI): the driver registers no WMI provider, so
 * every such request belongs to a driver below. */
NTSTATUS NTAPI XferDispatchSystemControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;
    NTSTATUS Status;

    XferpVfIrpIn(Irp);
    if (Extension->LowerDevice == NULL)
        return XferpCompleteAsIs(Irp);
    Status = IoAcquireRemoveLock(&Extension->RemoveLock, Irp);
    if (!NT_SUCCESS(Status))
        return XferpCompleteRequest(Irp, STATUS_DELETE_PENDING, 0);
    Status = XferpPassDown(Extension, Irp);
    IoReleaseRemoveLock(&Extension->RemoveLock, Irp);
    return Status;
}
