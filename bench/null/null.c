/* SPDX-License-Identifier: MIT */
/*
 * xfernull.sys: the transport floor for the benchmark. Three devices made
 * like xfer.sys's (same buffering flags, same device type, same IOCTL
 * codes), under names of their own so that both drivers can be loaded at
 * once, and a dispatch that completes every request at once with the
 * length asked for, storing nothing. What a request costs here is what
 * the I/O manager (or Wine) costs; xfer's cost is measured against it.
 *
 * A read fills its output with zeros, through the buffer its mechanism
 * gives (the system buffer, the MDL's mapping, or the caller's address with
 * xfer's own probe-and-copy helper), for two reasons: producing the bytes
 * is the least work a read does, and a floor that skipped it would charge
 * to xfer the first touch of every output page (under Wine, a fresh copy
 * per request); and a system buffer handed back as allocated would give
 * kernel memory to user mode. Writes read nothing. PASSIVE_LEVEL.
 */
#include "xfer_driver.h"   /* for XferpCopyToUser (driver/probe.c) */

#define NULL_DEVICE_COUNT 3
#define NULL_ZEROS_LENGTH (64u * 1024)

static const UCHAR NullZeros[NULL_ZEROS_LENGTH];

static const struct {
    PCWSTR DeviceName, LinkName;
    ULONG BufferingFlag;
} NullDevices[NULL_DEVICE_COUNT] = {
    { L"\\Device\\XferNullBuffered", L"\\DosDevices\\XferNullBuffered", DO_BUFFERED_IO },
    { L"\\Device\\XferNullDirect", L"\\DosDevices\\XferNullDirect", DO_DIRECT_IO },
    { L"\\Device\\XferNullNeither", L"\\DosDevices\\XferNullNeither", 0 },
};

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD NullUnload;
static DRIVER_DISPATCH NullDispatchOpenClose;
static DRIVER_DISPATCH NullDispatchReadWrite;
static DRIVER_DISPATCH NullDispatchControl;

static NTSTATUS NullComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* Zeros `Length` bytes of a read's output, wherever the device's
 * mechanism put it. */
static NTSTATUS NullFill(PIRP Irp, ULONG Length, BOOLEAN Buffered)
{
    PUCHAR Address;
    ULONG Done, Piece;
    NTSTATUS Status = STATUS_SUCCESS;

    if (Length == 0)
        return STATUS_SUCCESS;
    if (Buffered) {
        RtlZeroMemory(Irp->AssociatedIrp.SystemBuffer, Length);
        return STATUS_SUCCESS;
    }
    if (Irp->MdlAddress != NULL) {
        Address = MmGetSystemAddressForMdlSafe(Irp->MdlAddress,
                                               NormalPagePriority | MdlMappingNoExecute);
        if (Address == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        RtlZeroMemory(Address, Length);
        return STATUS_SUCCESS;
    }
    Address = Irp->UserBuffer;
    for (Done = 0; Done < Length && NT_SUCCESS(Status); Done += Piece) {
        Piece = Length - Done < NULL_ZEROS_LENGTH ? Length - Done : NULL_ZEROS_LENGTH;
        Status = Irp->RequestorMode == KernelMode
                     ? (RtlZeroMemory(Address + Done, Piece), STATUS_SUCCESS)
                     : XferpCopyToUser(Address + Done, NullZeros, Piece);
    }
    return Status;
}

static NTSTATUS NTAPI NullDispatchOpenClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return NullComplete(Irp, STATUS_SUCCESS, 0);
}

static NTSTATUS NTAPI NullDispatchReadWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG Length = Stack->MajorFunction == IRP_MJ_READ ? Stack->Parameters.Read.Length
                                                       : Stack->Parameters.Write.Length;

    NTSTATUS Status = STATUS_SUCCESS;

    if (Stack->MajorFunction == IRP_MJ_READ)
        Status = NullFill(Irp, Length, (DeviceObject->Flags & DO_BUFFERED_IO) != 0);
    return NullComplete(Irp, Status, NT_SUCCESS(Status) ? Length : 0);
}

static NTSTATUS NTAPI NullDispatchControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG Code = Stack->Parameters.DeviceIoControl.IoControlCode;
    ULONG OutputLength = Stack->Parameters.DeviceIoControl.OutputBufferLength;

    NTSTATUS Status;

    switch (Code) {
    case IOCTL_XFER_READ_BUFFERED:
    case IOCTL_XFER_READ_DIRECT:
    case IOCTL_XFER_READ_NEITHER:
        Status = NullFill(Irp, OutputLength, Code == IOCTL_XFER_READ_BUFFERED);
        return NullComplete(Irp, Status, NT_SUCCESS(Status) ? OutputLength : 0);
    case IOCTL_XFER_WRITE_BUFFERED:
    case IOCTL_XFER_WRITE_DIRECT:
    case IOCTL_XFER_WRITE_NEITHER:
        return NullComplete(Irp, STATUS_SUCCESS, 0);   /* as xfer: a write returns nothing */
    case IOCTL_XFER_GET_SIZE:
        if (OutputLength < sizeof(uint64_t))
            return NullComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        *(uint64_t *)Irp->AssociatedIrp.SystemBuffer = 0;
        return NullComplete(Irp, STATUS_SUCCESS, sizeof(uint64_t));
    default:
        return NullComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static VOID NTAPI NullUnload(PDRIVER_OBJECT DriverObject)
{
    UNICODE_STRING LinkName;
    ULONG i;

    for (i = 0; i < NULL_DEVICE_COUNT; i++) {
        RtlInitUnicodeString(&LinkName, NullDevices[i].LinkName);
        IoDeleteSymbolicLink(&LinkName);
    }
    while (DriverObject->DeviceObject != NULL)
        IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING DeviceName, LinkName;
    PDEVICE_OBJECT Device;
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG i;

    UNREFERENCED_PARAMETER(RegistryPath);
    DriverObject->DriverUnload = NullUnload;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = NullDispatchOpenClose;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = NullDispatchOpenClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = NullDispatchOpenClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = NullDispatchReadWrite;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = NullDispatchReadWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = NullDispatchControl;

    for (i = 0; i < NULL_DEVICE_COUNT && NT_SUCCESS(Status); i++) {
        RtlInitUnicodeString(&DeviceName, NullDevices[i].DeviceName);
        RtlInitUnicodeString(&LinkName, NullDevices[i].LinkName);
        Status = IoCreateDevice(DriverObject, 0, &DeviceName, FILE_DEVICE_XFER,
                                FILE_DEVICE_SECURE_OPEN, FALSE, &Device);
        if (!NT_SUCCESS(Status))
            break;
        Device->Flags |= NullDevices[i].BufferingFlag;
        Status = IoCreateSymbolicLink(&LinkName, &DeviceName);
        if (!NT_SUCCESS(Status)) {
            IoDeleteDevice(Device);
            break;
        }
        Device->Flags &= ~DO_DEVICE_INITIALIZING;
    }
    if (!NT_SUCCESS(Status))
        NullUnload(DriverObject);   /* deletes what was made: links first */
    return Status;
}
