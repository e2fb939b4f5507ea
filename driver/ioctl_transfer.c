/* SPDX-License-Identifier: MIT */
/*
 * The six transfer IOCTLs: read and write through METHOD_BUFFERED,
 * METHOD_IN/OUT_DIRECT and METHOD_NEITHER. Each captures its header, finds
 * its data buffer where its method puts it, and then runs the same
 * transfer path as ReadFile/WriteFile (transfer.c), so the offset, limit,
 * zero-length and all-or-nothing rules are shared, not repeated.
 *
 * Where the I/O manager puts things, by method:
 *   BUFFERED    header (and WRITE's data after it) in the system buffer;
 *               READ's data is written back into that same buffer, so the
 *               header is captured first.
 *   IN_DIRECT   header in the system buffer; data (DeviceIoControl's second
 *   OUT_DIRECT  buffer) locked and described by Irp->MdlAddress; no MDL
 *               when that buffer's length is 0.
 *   NEITHER     header at Type3InputBuffer and data at Irp->UserBuffer, both
 *               the caller's own pointers: touched only by probe.c.
 * PASSIVE_LEVEL, in the caller's context.
 */
#include "xfer_driver.h"

/* Captures the header once, whole, before anything else is read or
 * written, and checks it. *Offset is the store offset as a LONGLONG: an
 * offset past 2^63 - 1 turns negative and the transfer refuses it. */
static NTSTATUS XferpCaptureHeader(PXFER_IOCTL_REQUEST Request, ULONG Method, BOOLEAN IsWrite,
                                   PLONGLONG Offset)
{
    struct xfer_transfer_header Header;
    BOOLEAN DataFollows = (Method == METHOD_BUFFERED && IsWrite);
    NTSTATUS Status = STATUS_SUCCESS;

    if (DataFollows ? Request->InputLength < sizeof(Header)
                    : Request->InputLength != sizeof(Header))
        return STATUS_INVALID_PARAMETER;

    if (Method != METHOD_NEITHER)
        RtlCopyMemory(&Header, Request->SystemBuffer, sizeof(Header));
    else if (Request->Irp->RequestorMode == UserMode)   /* in its sender's context */
        Status = XferpCopyFromUser(&Header, Request->Type3InputBuffer, sizeof(Header));
    else if (Request->Type3InputBuffer != NULL)
        RtlCopyMemory(&Header, Request->Type3InputBuffer, sizeof(Header));
    else
        Status = STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(Status))
        return Status;

    if (Header.reserved != 0)
        return STATUS_INVALID_PARAMETER;
    *Offset = (LONGLONG)Header.offset;
    return STATUS_SUCCESS;
}

static NTSTATUS XferpLocateData(PXFER_IOCTL_REQUEST Request, ULONG Method, BOOLEAN IsWrite,
                                PXFER_BUFFER Data)
{
    switch (Method) {
    case METHOD_BUFFERED:
        if (!IsWrite)
            return XferpBufferFromSystem(Request->SystemBuffer, Request->OutputLength, Data);
        /* The data is the input after the header; there is no output. */
        if (Request->OutputLength != 0)
            return STATUS_INVALID_PARAMETER;
        return XferpBufferFromSystem((PUCHAR)Request->SystemBuffer +
                                         sizeof(struct xfer_transfer_header),
                                     Request->InputLength - sizeof(struct xfer_transfer_header),
                                     Data);
    case METHOD_IN_DIRECT:
    case METHOD_OUT_DIRECT:
        return XferpBufferFromMdl(Request->Irp->MdlAddress, Request->OutputLength, !IsWrite,
                                  Data);
    default:
        return XferpBufferFromCaller(Request->Irp, Request->Irp->UserBuffer,
                                     Request->OutputLength, !IsWrite, Data);
    }
}

static NTSTATUS XferpIoctlTransfer(PXFER_IOCTL_REQUEST Request, ULONG Method, BOOLEAN IsWrite,
                                   PULONG_PTR Information)
{
    XFER_BUFFER Data;
    LONGLONG Offset;
    ULONG Done;
    NTSTATUS Status = STATUS_SUCCESS;

    /* Neither I/O's header and data are the sender's pointers: nothing of
     * them is looked at outside the sender's context (buffers.c). */
    if (Method == METHOD_NEITHER && Request->Irp->RequestorMode == UserMode)
        Status = XferpCheckRequestorContext(Request->Irp);
    if (NT_SUCCESS(Status))
        Status = XferpCaptureHeader(Request, Method, IsWrite, &Offset);
    if (NT_SUCCESS(Status))
        Status = XferpLocateData(Request, Method, IsWrite, &Data);
    if (!NT_SUCCESS(Status))
        return Status;

    if (IsWrite)
        return XferpTransferWrite(Request->Context, Offset, &Data);   /* no output */
    Status = XferpTransferRead(Request->Context, Offset, &Data, &Done);
    if (NT_SUCCESS(Status))
        *Information = Done;
    return Status;
}

NTSTATUS XferpIoctlReadBuffered(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    return XferpIoctlTransfer(Request, METHOD_BUFFERED, FALSE, Information);
}

NTSTATUS XferpIoctlReadDirect(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    return XferpIoctlTransfer(Request, METHOD_OUT_DIRECT, FALSE, Information);
}

NTSTATUS XferpIoctlReadNeither(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    return XferpIoctlTransfer(Request, METHOD_NEITHER, FALSE, Information);
}

NTSTATUS XferpIoctlWriteBuffered(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    return XferpIoctlTransfer(Request, METHOD_BUFFERED, TRUE, Information);
}

NTSTATUS XferpIoctlWriteDirect(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    return XferpIoctlTransfer(Request, METHOD_IN_DIRECT, TRUE, Information);
}

NTSTATUS XferpIoctlWriteNeither(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    return XferpIoctlTransfer(Request, METHOD_NEITHER, TRUE, Information);
}
