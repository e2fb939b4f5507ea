/* SPDX-License-Identifier: MIT */
/*
 * The three device objects, one per ReadFile/WriteFile transfer mechanism.
 * A device object has exactly one buffering flag, so the mechanism is a
 * property of the device, not of the request.
 */
#include "xfer_driver.h"

typedef struct _XFER_DEVICE_SPEC {
    PCWSTR DeviceName;
    PCWSTR LinkName;
    ULONG BufferingFlag;
    PCSTR Name;
} XFER_DEVICE_SPEC;

static const XFER_DEVICE_SPEC XferDeviceSpecs[XferKindCount] = {
    [XferKindBuffered] = { L"\\Device\\XferBuffered", L"\\DosDevices\\XferBuffered",
                           DO_BUFFERED_IO, "Buffered" },
    [XferKindDirect]   = { L"\\Device\\XferDirect", L"\\DosDevices\\XferDirect",
                           DO_DIRECT_IO, "Direct" },
    [XferKindNeither]  = { L"\\Device\\XferNeither", L"\\DosDevices\\XferNeither",
                           0, "Neither" },
};

PCSTR XferpKindName(XFER_DEVICE_KIND Kind)
{
    return Kind < XferKindCount ? XferDeviceSpecs[Kind].Name : "?";
}

ULONG XferpBufferingFlag(XFER_DEVICE_KIND Kind)
{
    return XferDeviceSpecs[Kind].BufferingFlag;
}

VOID XferpInitializeExtension(PXFER_DEVICE_EXTENSION Extension, PXFER_CONTEXT Context,
                              XFER_DEVICE_KIND Kind)
{
    RtlZeroMemory(Extension, sizeof(*Extension));
    Extension->Context = Context;
    Extension->Kind = Kind;
    IoInitializeRemoveLock(&Extension->RemoveLock, XFER_POOL_TAG, 0, 0);
    Extension->WaitsHeld = 1;
    KeInitializeEvent(&Extension->WaitsDone, NotificationEvent, FALSE);
}

static NTSTATUS XferpCreateDevice(PDRIVER_OBJECT DriverObject, PXFER_CONTEXT Context,
                                  XFER_DEVICE_KIND Kind)
{
    const XFER_DEVICE_SPEC *Spec = &XferDeviceSpecs[Kind];
    UNICODE_STRING DeviceName, LinkName;
    PDEVICE_OBJECT Device;
    PXFER_DEVICE_EXTENSION Extension;
    CHAR Applied[XFER_SDDL_TEXT];
    PCSTR Source;
    NTSTATUS Status;

    RtlInitUnicodeString(&DeviceName, Spec->DeviceName);
    RtlInitUnicodeString(&LinkName, Spec->LinkName);

    /* FILE_DEVICE_SECURE_OPEN: the device's security also guards opens of
     * names below it (\\.\XferBuffered\anything). */
    Status = IoCreateDevice(DriverObject, sizeof(XFER_DEVICE_EXTENSION), &DeviceName,
                            FILE_DEVICE_XFER, FILE_DEVICE_SECURE_OPEN, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;

    Extension = Device->DeviceExtension;
    XferpInitializeExtension(Extension, Context, Kind);
    Device->Flags |= Spec->BufferingFlag;

    /* Before the link exists, so no one opens it with the I/O manager's
     * default descriptor (Everyone may read and write). */
    Status = XferpSecureDevice(Device, TRUE, &Source, Applied, sizeof(Applied));
    XferpTraceDriver(Context, "Security of %s: %s, status 0x%08lx", Spec->Name, Source,
                     (ULONG)Status);
    if (NT_SUCCESS(Status))
        XferpTraceDriver(Context, "Security of %s is %s", Spec->Name, Applied);
    if (!NT_SUCCESS(Status)) {
        IoDeleteDevice(Device);
        return Status;
    }

    Status = IoCreateSymbolicLink(&LinkName, &DeviceName);
    if (!NT_SUCCESS(Status)) {
        IoDeleteDevice(Device);
        return Status;
    }

    Context->Devices[Kind] = Device;
    Device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

NTSTATUS XferpCreateDevices(PDRIVER_OBJECT DriverObject, PXFER_CONTEXT Context)
{
    NTSTATUS Status;
    int Kind;

    for (Kind = 0; Kind < XferKindCount; Kind++) {
        Status = XferpCreateDevice(DriverObject, Context, (XFER_DEVICE_KIND)Kind);
        if (!NT_SUCCESS(Status)) {
            XferpDeleteDevices(Context);
            return Status;
        }
    }
    return STATUS_SUCCESS;
}

/* Deletes whichever devices exist; safe to call more than once. */
VOID XferpDeleteDevices(PXFER_CONTEXT Context)
{
    UNICODE_STRING LinkName;
    int Kind;

    for (Kind = 0; Kind < XferKindCount; Kind++) {
        if (Context->Devices[Kind] == NULL)
            continue;
        RtlInitUnicodeString(&LinkName, XferDeviceSpecs[Kind].LinkName);
        IoDeleteSymbolicLink(&LinkName);
        IoDeleteDevice(Context->Devices[Kind]);
        Context->Devices[Kind] = NULL;
    }
}
