/* SPDX-License-Identifier: MIT */
/*
 * xfernull.sys: the transport floor for the benchmark. Three devices made
 * like xfer.sys's (same buffering flags, same device type, same IOCTL
 * codes), under names of their own so that both drivers can be loaded at
 * once, and a dispatch that completes every request at once with the
 * length asked for, storing nothing. What a request costs here is what
 * the I/O manager (or Wine) costs; xfer's cost is measured against it.
 *
 * Reads return bytes the driver never wrote. Where those bytes are the
 * caller's own (Direct: the caller's locked pages; Neither: the caller's
 * buffer) they are left as they are. Where they are a system buffer the
 * I/O manager copies back to the caller (Buffered ReadFile and
 * METHOD_BUFFERED output), they are zeroed: returning that pool as it was
 * allocated would hand kernel memory to user mode. All runs at
 * PASSIVE_LEVEL.
 */
#define __INTRINSIC_DEFINED_InterlockedBitTestAndSet
#define __INTRINSIC_DEFINED_InterlockedBitTestAndReset
#include <ntddk.h>
#include "xfer/ioctl.h"

#define NULL_DEVICE_COUNT 3

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

    if (Stack->MajorFunction == IRP_MJ_READ && (DeviceObject->Flags & DO_BUFFERED_IO) &&
        Length != 0)
        RtlZeroMemory(Irp->AssociatedIrp.SystemBuffer, Length);
    return NullComplete(Irp, STATUS_SUCCESS, Length);
}

static NTSTATUS NTAPI NullDispatchControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG Code = Stack->Parameters.DeviceIoControl.IoControlCode;
    ULONG OutputLength = Stack->Parameters.DeviceIoControl.OutputBufferLength;

    UNREFERENCED_PARAMETER(DeviceObject);
    switch (Code) {
    case IOCTL_XFER_READ_BUFFERED:
        if (OutputLength != 0)
            RtlZeroMemory(Irp->AssociatedIrp.SystemBuffer, OutputLength);
        return NullComplete(Irp, STATUS_SUCCESS, OutputLength);
    case IOCTL_XFER_READ_DIRECT:
    case IOCTL_XFER_READ_NEITHER:
        return NullComplete(Irp, STATUS_SUCCESS, OutputLength);
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
