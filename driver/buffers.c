/* SPDX-License-Identifier: MIT */
/*
 * Where the caller's data is, for each transfer mechanism. What the I/O
 * manager did before the driver sees a READ/WRITE IRP:
 *  - Buffered: allocated a system buffer of Length bytes at
 *    Irp->AssociatedIrp.SystemBuffer, filled from the caller for a write; for
 *    a read it copies Information bytes back at completion.
 *  - Direct: probed and locked the caller's pages and described them with
 *    Irp->MdlAddress; the driver maps them into system space. A zero-length
 *    request has no MDL.
 *  - Neither: nothing. Irp->UserBuffer is the caller's own pointer, valid
 *    only in the caller's context and only inside __try (probe.c).
 * Length is never 0 here: zero-length requests finish before any buffer is
 * looked at.
 */
#include "xfer_driver.h"

static NTSTATUS XferpMapMdl(PMDL Mdl, ULONG Length, PXFER_BUFFER Buffer)
{
    PVOID Address;

    if (Mdl == NULL || MmGetMdlByteCount(Mdl) < Length)
        return STATUS_INVALID_USER_BUFFER;
    Address = MmGetSystemAddressForMdlSafe(Mdl, NormalPagePriority | MdlMappingNoExecute);
    if (Address == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Buffer->Address = Address;
    Buffer->Length = Length;
    Buffer->IsUserAddress = FALSE;
    return STATUS_SUCCESS;
}

NTSTATUS XferpGetReadWriteBuffer(PXFER_DEVICE_EXTENSION Extension, PIRP Irp,
                                 ULONG Length, PXFER_BUFFER Buffer)
{
    switch (Extension->Kind) {
    case XferKindBuffered:
        if (Irp->AssociatedIrp.SystemBuffer == NULL)
            return STATUS_INVALID_USER_BUFFER;
        Buffer->Address = Irp->AssociatedIrp.SystemBuffer;
        Buffer->Length = Length;
        Buffer->IsUserAddress = FALSE;
        return STATUS_SUCCESS;

    case XferKindDirect:
        return XferpMapMdl(Irp->MdlAddress, Length, Buffer);

    case XferKindNeither:
        if (Irp->UserBuffer == NULL)
            return STATUS_INVALID_USER_BUFFER;
        Buffer->Address = Irp->UserBuffer;
        Buffer->Length = Length;
        /* A kernel-mode sender passes a kernel address it vouches for. */
        Buffer->IsUserAddress = (Irp->RequestorMode == UserMode);
        return STATUS_SUCCESS;

    default:
        return STATUS_INVALID_DEVICE_REQUEST;
    }
}
