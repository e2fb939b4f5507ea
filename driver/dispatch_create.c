/* SPDX-License-Identifier: MIT */
/*
 * IRP_MJ_CREATE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE. A handle carries no state of
 * its own yet: the store is shared by every handle and device.
 * All three run at PASSIVE_LEVEL and complete the IRP themselves.
 */
#include "xfer_driver.h"

NTSTATUS NTAPI XferDispatchCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = Stack->FileObject;

    /* The device has no namespace below it: \\.\XferBuffered\name is not
     * an object of ours, as it would not be on a device with no files. */
    if (FileObject != NULL && FileObject->FileName.Length != 0) {
        XferpTrace(Extension, "Create %.*ls refused: no such name",
                   (int)(FileObject->FileName.Length / sizeof(WCHAR)),
                   FileObject->FileName.Buffer);
        return XferpCompleteRequest(Irp, STATUS_OBJECT_NAME_NOT_FOUND, 0);
    }
    XferpTrace(Extension, "Create");
    return XferpCompleteRequest(Irp, STATUS_SUCCESS, FILE_OPENED);
}

NTSTATUS NTAPI XferDispatchCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    XferpTrace(DeviceObject->DeviceExtension, "Cleanup");
    return XferpCompleteRequest(Irp, STATUS_SUCCESS, 0);
}

NTSTATUS NTAPI XferDispatchClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    XferpTrace(DeviceObject->DeviceExtension, "Close");
    return XferpCompleteRequest(Irp, STATUS_SUCCESS, 0);
}
