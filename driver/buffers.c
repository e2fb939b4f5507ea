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
 *
 * DeviceWrites says which way the data goes: TRUE when the driver writes
 * the buffer (a read request), FALSE when it only reads it (a write).
 */
#include "xfer_driver.h"

/* ntifs.h's, which a device driver does not include. */
NTKERNELAPI PEPROCESS NTAPI IoGetRequestorProcess(PIRP Irp);

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

/* The source of a write is mapped read-only: the driver has no business
 * writing the caller's pages, and a bug that tried would fault instead of
 * changing them. */
NTSTATUS XferpBufferFromMdl(PMDL Mdl, ULONG Length, BOOLEAN DeviceWrites, PXFER_BUFFER Buffer)
{
    ULONG Priority = NormalPagePriority | MdlMappingNoExecute;
    PVOID Address;

    XferpEmptyBuffer(Buffer);
    if (Length == 0)
        return STATUS_SUCCESS;
    if (Mdl == NULL || MmGetMdlByteCount(Mdl) < Length)
        return STATUS_INVALID_USER_BUFFER;
    if (!DeviceWrites)
        Priority |= MdlMappingNoWrite;
    Address = MmGetSystemAddressForMdlSafe(Mdl, Priority);
    if (Address == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Buffer->Address = Address;
    Buffer->Length = Length;
    return STATUS_SUCCESS;
}

/* A user-mode pointer means something only in its sender's address space.
 * A top-level driver's dispatch routine runs in the sender's thread; one
 * below a filter that queued the IRP to a worker would not, and would probe
 * and copy another process's memory. So Neither I/O from user mode is
 * served only where the sender's process is the current one. (Under Wine
 * the requestor and the current process are both the driver host, whose
 * heap holds the copies Wine hands the driver: the check passes there.) */
NTSTATUS XferpCheckRequestorContext(PIRP Irp)
{
    PEPROCESS Requestor = IoGetRequestorProcess(Irp);

    if (Requestor == NULL || Requestor != IoGetCurrentProcess())
        return STATUS_INVALID_DEVICE_REQUEST;
    return STATUS_SUCCESS;
}

/* A pointer that came from the requestor as is. A kernel-mode requestor
 * passes a kernel address it vouches for. A user-mode one's whole declared
 * range is checked here, before the request goes any further: a bad one
 * is refused with STATUS_ACCESS_VIOLATION whether or not any byte would
 * move (a read past the end copies nothing, yet its buffer is as bad), and
 * before any allocation is sized by its length. Only probe.c touches it. */
NTSTATUS XferpBufferFromCaller(PIRP Irp, PVOID Address, ULONG Length, BOOLEAN DeviceWrites,
                               PXFER_BUFFER Buffer)
{
    NTSTATUS Status;

    XferpEmptyBuffer(Buffer);
    if (Length == 0)
        return STATUS_SUCCESS;
    if (Irp->RequestorMode == UserMode) {
        Status = XferpCheckRequestorContext(Irp);
        if (!NT_SUCCESS(Status))
            return Status;
        if (Address == NULL)
            return STATUS_ACCESS_VIOLATION;
        Status = XferpProbeUser(Address, Length, DeviceWrites);
        if (!NT_SUCCESS(Status))
            return Status;
    } else if (Address == NULL) {
        return STATUS_INVALID_USER_BUFFER;
    }
    Buffer->Address = Address;
    Buffer->Length = Length;
    Buffer->IsUserAddress = (Irp->RequestorMode == UserMode);
    return STATUS_SUCCESS;
}

NTSTATUS XferpGetReadWriteBuffer(PXFER_DEVICE_EXTENSION Extension, PIRP Irp, ULONG Length,
                                 BOOLEAN DeviceWrites, PXFER_BUFFER Buffer)
{
    switch (Extension->Kind) {
    case XferKindBuffered:
        return XferpBufferFromSystem(Irp->AssociatedIrp.SystemBuffer, Length, Buffer);
    case XferKindDirect:
        return XferpBufferFromMdl(Irp->MdlAddress, Length, DeviceWrites, Buffer);
    case XferKindNeither:
        return XferpBufferFromCaller(Irp, Irp->UserBuffer, Length, DeviceWrites, Buffer);
    default:
        return STATUS_INVALID_DEVICE_REQUEST;
    }
}
