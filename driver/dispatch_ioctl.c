/* SPDX-License-Identifier: MIT */
/*
 * IRP_MJ_DEVICE_CONTROL. The dispatch looks the whole 32-bit code up in a
 * table (so the same function rebuilt with another method or access is an
 * unknown code), runs the code's own handler, traces, and completes the IRP
 * at one point, unless the handler queued it (WAIT_CHANGE, waiters.c).
 * Handlers live in ioctl_store.c, ioctl_transfer.c, ioctl_diag.c and
 * waiters.c.
 *
 * PASSIVE_LEVEL, in the caller's context (top-level driver).
 */
#include "xfer_driver.h"
#include "xfer/verify.h"

#if defined(XFER_VERIFIER)
/* The verifier build's control (verify.c); no other build knows the code. */
static NTSTATUS XferpIoctlVerify(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    return XferpVfIoctl(Request->SystemBuffer, Request->InputLength, Request->OutputLength,
                        Request->Irp, Information);
}
#endif

typedef struct _XFER_IOCTL_ENTRY {
    ULONG Code;
    XFER_IOCTL_HANDLER *Handler;
    enum xfer_path Path;
} XFER_IOCTL_ENTRY;

static const XFER_IOCTL_ENTRY XferIoctls[] = {
    { IOCTL_XFER_ZERO_BUFFER,   XferpIoctlZero,          XFER_PATH_IOCTL_CONTROL },
    { IOCTL_XFER_REMOVE_BUFFER, XferpIoctlRemove,        XFER_PATH_IOCTL_CONTROL },
    { IOCTL_XFER_GET_SIZE,      XferpIoctlGetSize,       XFER_PATH_IOCTL_CONTROL },
    { IOCTL_XFER_GET_BUFFER,    XferpIoctlGetBuffer,     XFER_PATH_IOCTL_CONTROL },
    { IOCTL_XFER_READ_BUFFERED, XferpIoctlReadBuffered,  XFER_PATH_IOCTL_READ_BUFFERED },
    { IOCTL_XFER_READ_DIRECT,   XferpIoctlReadDirect,    XFER_PATH_IOCTL_READ_DIRECT },
    { IOCTL_XFER_READ_NEITHER,  XferpIoctlReadNeither,   XFER_PATH_IOCTL_READ_NEITHER },
    { IOCTL_XFER_WRITE_BUFFERED, XferpIoctlWriteBuffered, XFER_PATH_IOCTL_WRITE_BUFFERED },
    { IOCTL_XFER_WRITE_DIRECT,  XferpIoctlWriteDirect,   XFER_PATH_IOCTL_WRITE_DIRECT },
    { IOCTL_XFER_WRITE_NEITHER, XferpIoctlWriteNeither,  XFER_PATH_IOCTL_WRITE_NEITHER },
    { IOCTL_XFER_SET_SIZE,      XferpIoctlSetSize,       XFER_PATH_IOCTL_CONTROL },
    { IOCTL_XFER_GET_INFO,      XferpIoctlGetInfo,       XFER_PATH_IOCTL_CONTROL },
    { IOCTL_XFER_GET_STATS,     XferpIoctlGetStats,      XFER_PATH_IOCTL_CONTROL },
    { IOCTL_XFER_RESET_STATS,   XferpIoctlResetStats,    XFER_PATH_IOCTL_CONTROL },
    { IOCTL_XFER_READ_TRACE,    XferpIoctlReadTrace,     XFER_PATH_IOCTL_CONTROL },
    { IOCTL_XFER_WAIT_CHANGE,   XferpIoctlWaitChange,    XFER_PATH_IOCTL_CONTROL },
#if defined(XFER_VERIFIER)
    { IOCTL_XFER_VERIFY,        XferpIoctlVerify,        XFER_PATH_IOCTL_CONTROL },
#endif
};

static const XFER_IOCTL_ENTRY *XferpFindIoctl(ULONG Code)
{
    ULONG i;

    for (i = 0; i < RTL_NUMBER_OF(XferIoctls); i++)
        if (XferIoctls[i].Code == Code)
            return &XferIoctls[i];
    return NULL;
}

NTSTATUS NTAPI XferDispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG Code = Stack->Parameters.DeviceIoControl.IoControlCode;
    const XFER_IOCTL_ENTRY *Entry = XferpFindIoctl(Code);
    /* Draining the trace is not itself traced: it would refill the ring
     * with its own lines. */
    BOOLEAN Traced = (Code != IOCTL_XFER_READ_TRACE);
    XFER_IOCTL_REQUEST Request;
    ULONG_PTR Information = 0;
    NTSTATUS Status;

    Request.Extension = Extension;
    Request.Context = Extension->Context;
    Request.Irp = Irp;
    Request.SystemBuffer = Irp->AssociatedIrp.SystemBuffer;
    Request.Type3InputBuffer = Stack->Parameters.DeviceIoControl.Type3InputBuffer;
    Request.InputLength = Stack->Parameters.DeviceIoControl.InputBufferLength;
    Request.OutputLength = Stack->Parameters.DeviceIoControl.OutputBufferLength;

    if (Traced)
        XferpTrace(Extension, "DeviceIoControl: Control code 0x%08lX InputLength %lu OutputLength %lu",
                   Code, Request.InputLength, Request.OutputLength);

    Status = Entry != NULL ? Entry->Handler(&Request, &Information)
                           : STATUS_INVALID_DEVICE_REQUEST;
    if (Status == STATUS_PENDING) {
        /* The IRP was queued and may already be completed: not ours to
         * touch. Whoever completes it traces and counts it. */
        XferpTrace(Extension, "DeviceIoControl: pending");
        return STATUS_PENDING;
    }
    if (NT_SUCCESS(Status) && Information > Request.OutputLength) {
        /* A handler broke its contract: never let the I/O manager copy
         * more than the caller's buffer holds. */
        Information = 0;
        Status = STATUS_INTERNAL_ERROR;
    }

    if (Traced && NT_SUCCESS(Status))
        XferpTrace(Extension, "DeviceIoControl: %lu bytes written", (ULONG)Information);
    else if (Traced)
        XferpTrace(Extension, "DeviceIoControl: failed, status 0x%08lx", (ULONG)Status);
    return XferpFinishRequest(Extension, Irp, Entry != NULL ? Entry->Path : XFER_PATH_IOCTL_CONTROL,
                              Status, Information);
}
