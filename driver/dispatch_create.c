/* SPDX-License-Identifier: MIT */
/*
 * IRP_MJ_CREATE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE. The store is shared by every
 * handle and device; a handle's own state is only what ends its pending
 * waits (teardown.c). All three run at PASSIVE_LEVEL and complete the IRP
 * themselves.
 */
#include "xfer_driver.h"

NTSTATUS NTAPI XferDispatchCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT FileObject = Stack->FileObject;
    NTSTATUS Status;

    /* The device has no namespace below it: \\.\XferBuffered\name is not
     * an object of ours, as it would not be on a device with no files. */
    if (FileObject != NULL && FileObject->FileName.Length != 0) {
        /* The name is the caller's raw input: only its length is told
         * (the trace is readable by others). */
        XferpTrace(Extension, "Create of a name below the device (%lu characters) refused",
                   (ULONG)(FileObject->FileName.Length / sizeof(WCHAR)));
        return XferpCompleteRequest(Irp, STATUS_OBJECT_NAME_NOT_FOUND, 0);
    }
    Status = XferpOpenHandle(Extension, FileObject);
    if (!NT_SUCCESS(Status)) {
        XferpTrace(Extension, "Create: failed, status 0x%08lx", (ULONG)Status);
        return XferpCompleteRequest(Irp, Status, 0);
    }
    XferpTrace(Extension, "Create");
    return XferpCompleteRequest(Irp, STATUS_SUCCESS, FILE_OPENED);
}

/* The last handle to the file object closed: its pending waits end now. */
NTSTATUS NTAPI XferDispatchCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;

    XferpTrace(Extension, "Cleanup");
    XferpTearDownHandle(Extension->Context, IoGetCurrentIrpStackLocation(Irp)->FileObject);
    return XferpCompleteRequest(Irp, STATUS_SUCCESS, 0);
}

/* Also ends the waits: Wine sends CLOSE without CLEANUP. */
NTSTATUS NTAPI XferDispatchClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;

    XferpTrace(Extension, "Close");
    XferpCloseHandle(Extension->Context, IoGetCurrentIrpStackLocation(Irp)->FileObject);
    return XferpCompleteRequest(Irp, STATUS_SUCCESS, 0);
}
