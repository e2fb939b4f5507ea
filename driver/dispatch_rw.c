/* SPDX-License-Identifier: MIT */
/*
 * IRP_MJ_READ and IRP_MJ_WRITE on all three devices. Each does four things:
 * take the offset and length from the stack location, find the caller's
 * buffer for this device's mechanism, run the shared transfer, and complete
 * the IRP once.
 *
 * The offset is the one in the IRP. For a synchronous handle without an
 * explicit offset the I/O manager fills in the handle's file position;
 * after the transfer the driver advances it, as a file system does, so
 * consecutive ReadFile calls walk the store.
 *
 * PASSIVE_LEVEL, in the caller's context (top-level driver).
 */
#include "xfer_driver.h"

static VOID XferpAdvanceFilePosition(PIO_STACK_LOCATION Stack, LONGLONG Offset, ULONG Done)
{
    PFILE_OBJECT FileObject = Stack->FileObject;

    if (FileObject != NULL && (FileObject->Flags & FO_SYNCHRONOUS_IO))
        FileObject->CurrentByteOffset.QuadPart = Offset + (LONGLONG)Done;
}

NTSTATUS NTAPI XferDispatchRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    LONGLONG Offset = Stack->Parameters.Read.ByteOffset.QuadPart;
    ULONG Length = Stack->Parameters.Read.Length;
    XFER_BUFFER Buffer;
    ULONG Done = 0;
    NTSTATUS Status;

    XferpTrace(Extension, "Read %lu bytes from offset %lld", Length, Offset);
    Status = XferpGetReadWriteBuffer(Extension, Irp, Length, TRUE, &Buffer);
    if (NT_SUCCESS(Status))
        Status = XferpTransferRead(Extension->Context, Offset, &Buffer, &Done);
    if (NT_SUCCESS(Status)) {
        XferpAdvanceFilePosition(Stack, Offset, Done);
        XferpTrace(Extension, "Read: %lu bytes returned", Done);
    } else {
        XferpTrace(Extension, "Read: failed, status 0x%08lx", (ULONG)Status);
    }
    return XferpFinishRequest(Extension, Irp, XFER_PATH_READ_FILE, Status, Done);
}

NTSTATUS NTAPI XferDispatchWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    LONGLONG Offset = Stack->Parameters.Write.ByteOffset.QuadPart;
    ULONG Length = Stack->Parameters.Write.Length;
    XFER_BUFFER Buffer;
    NTSTATUS Status;

    XferpTrace(Extension, "Write %lu bytes at offset %lld", Length, Offset);
    Status = XferpGetReadWriteBuffer(Extension, Irp, Length, FALSE, &Buffer);
    if (NT_SUCCESS(Status))
        Status = XferpTransferWrite(Extension->Context, Offset, &Buffer);
    if (NT_SUCCESS(Status)) {
        XferpAdvanceFilePosition(Stack, Offset, Length);
        XferpTrace(Extension, "Write: %lu bytes written", Length);
    } else {
        XferpTrace(Extension, "Write: failed, status 0x%08lx", (ULONG)Status);
    }
    return XferpFinishRequest(Extension, Irp, XFER_PATH_WRITE_FILE, Status, Length);
}
