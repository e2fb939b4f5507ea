/* SPDX-License-Identifier: MIT */
/*
 * IRP_MJ_DEVICE_CONTROL. The dispatch compares the whole 32-bit code (so a
 * code rebuilt with another method or access is unknown), runs the code's
 * own small handler, and completes the IRP at one point.
 *
 * The Wdm1 set is METHOD_BUFFERED: input and output share one system
 * buffer of max(in, out) bytes, so a handler reads its input before it
 * writes output. Handlers return a status and set *Information only on
 * success; Information never exceeds the output length.
 *
 * PASSIVE_LEVEL, in the caller's context.
 */
#include "xfer_driver.h"

typedef struct _XFER_IOCTL_REQUEST {
    PXFER_CONTEXT Context;
    PVOID SystemBuffer;
    ULONG InputLength;
    ULONG OutputLength;
} XFER_IOCTL_REQUEST, *PXFER_IOCTL_REQUEST;

static NTSTATUS XferpIoctlZero(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    UNREFERENCED_PARAMETER(Information);
    XferpLockExclusive(Request->Context);
    xfer_store_zero(&Request->Context->Store);
    XferpUnlock(Request->Context);
    return STATUS_SUCCESS;
}

static NTSTATUS XferpIoctlRemove(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    UNREFERENCED_PARAMETER(Information);
    XferpLockExclusive(Request->Context);
    xfer_store_remove(&Request->Context->Store);
    XferpUnlock(Request->Context);
    return STATUS_SUCCESS;
}

static NTSTATUS XferpIoctlGetSize(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    UINT64 Size;

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
static NTSTATUS XferpIoctlGetBuffer(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    NTSTATUS Status = STATUS_SUCCESS;
    SIZE_T Done = 0;

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

NTSTATUS NTAPI XferDispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG Code = Stack->Parameters.DeviceIoControl.IoControlCode;
    XFER_IOCTL_REQUEST Request;
    ULONG_PTR Information = 0;
    NTSTATUS Status;

    Request.Context = Extension->Context;
    Request.SystemBuffer = Irp->AssociatedIrp.SystemBuffer;
    Request.InputLength = Stack->Parameters.DeviceIoControl.InputBufferLength;
    Request.OutputLength = Stack->Parameters.DeviceIoControl.OutputBufferLength;

    XferpTrace(Extension, "DeviceIoControl: Control code 0x%08lX InputLength %lu OutputLength %lu",
               Code, Request.InputLength, Request.OutputLength);

    switch (Code) {
    case IOCTL_XFER_ZERO_BUFFER:   Status = XferpIoctlZero(&Request, &Information); break;
    case IOCTL_XFER_REMOVE_BUFFER: Status = XferpIoctlRemove(&Request, &Information); break;
    case IOCTL_XFER_GET_SIZE:      Status = XferpIoctlGetSize(&Request, &Information); break;
    case IOCTL_XFER_GET_BUFFER:    Status = XferpIoctlGetBuffer(&Request, &Information); break;
    default:                       Status = STATUS_INVALID_DEVICE_REQUEST; break;
    }

    if (NT_SUCCESS(Status))
        XferpTrace(Extension, "DeviceIoControl: %lu bytes written", (ULONG)Information);
    else
        XferpTrace(Extension, "DeviceIoControl: failed, status 0x%08lx", (ULONG)Status);
    return XferpCompleteRequest(Irp, Status, Information);
}
