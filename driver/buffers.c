/* SPDX-License-Identifier: MIT */
/*
 * Where the caller's data is. Three ways, shared by ReadFile/WriteFile and
 * the transfer IOCTLs:
 *  - a system buffer the I/O manager allocated and copies to or from the
 *    caller (Buffered I/O, METHOD_BUFFERED);
 *  - an MDL describing the caller's locked pages, which the driver maps
 *    into system space (Direct I/O, METHOD_IN/OUT_DIRECT). A zero-length
 *    buffer has no MDL;
 *  - the caller's own pointer (Neither I/O, METHOD_NEITHER), valid only in
 *    the caller's context and only inside __try (probe.c).
 * A zero Length always gives an empty buffer: nothing is looked at.
 */
#include "xfer_driver.h"

static VOID XferpEmptyBuffer(PXFER_BUFFER Buffer)
{
    Buffer->Address = NULL;
    Buffer->Length = 0;
    Buffer->IsUserAddress = FALSE;
}

NTSTATUS XferpBufferFromSystem(PVOID Address, ULONG Length, PXFER_BUFFER Buffer)
{
    XferpEmptyBuffer(Buffer);
    if (Length == 0)
        return STATUS_SUCCESS;
    if (Address == NULL)
        return STATUS_INVALID_USER_BUFFER;
    Buffer->Address = Address;
    Buffer->Length = Length;
    return STATUS_SUCCESS;
}

NTSTATUS XferpBufferFromMdl(PMDL Mdl, ULONG Length, PXFER_BUFFER Buffer)
{
    PVOID Address;

    XferpEmptyBuffer(Buffer);
    if (Length == 0)
        return STATUS_SUCCESS;
    if (Mdl == NULL || MmGetMdlByteCount(Mdl) < Length)
        return STATUS_INVALID_USER_BUFFER;
    Address = MmGetSystemAddressForMdlSafe(Mdl, NormalPagePriority | MdlMappingNoExecute);
    if (Address == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Buffer->Address = Address;
    Buffer->Length = Length;
    return STATUS_SUCCESS;
}

/* A pointer that came from the requestor as is. A kernel-mode requestor
 * passes a kernel address it vouches for; a user-mode one, an address only
 * probe.c may touch. */
NTSTATUS XferpBufferFromCaller(PIRP Irp, PVOID Address, ULONG Length, PXFER_BUFFER Buffer)
{
    XferpEmptyBuffer(Buffer);
    if (Length == 0)
        return STATUS_SUCCESS;
    if (Address == NULL)
        return Irp->RequestorMode == UserMode ? STATUS_ACCESS_VIOLATION
                                              : STATUS_INVALID_USER_BUFFER;
    Buffer->Address = Address;
    Buffer->Length = Length;
    Buffer->IsUserAddress = (Irp->RequestorMode == UserMode);
    return STATUS_SUCCESS;
}

NTSTATUS XferpGetReadWriteBuffer(PXFER_DEVICE_EXTENSION Extension, PIRP Irp,
                                 ULONG Length, PXFER_BUFFER Buffer)
{
    switch (Extension->Kind) {
    case XferKindBuffered:
        return XferpBufferFromSystem(Irp->AssociatedIrp.SystemBuffer, Length, Buffer);
    case XferKindDirect:
        return XferpBufferFromMdl(Irp->MdlAddress, Length, Buffer);
    case XferKindNeither:
        return XferpBufferFromCaller(Irp, Irp->UserBuffer, Length, Buffer);
    default:
        return STATUS_INVALID_DEVICE_REQUEST;
    }
}
