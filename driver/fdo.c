/* SPDX-License-Identifier: MIT */
/*
 * The Plug and Play FDOs: one per root-enumerated device node that
 * xfer.inf installs, over the same driver-wide store as every other
 * device. The node's model (its hardware ID, Root\XferBuffered and so on)
 * says which transfer mechanism its FDO serves, and so the FDO's
 * buffering flag and the device interface class it registers.
 *
 * The FDO has no name: programs open it through its device interface,
 * which the PnP manager links to the PDO; opens and requests then reach
 * the top of the PDO's stack, this FDO.
 *
 * PASSIVE_LEVEL throughout.
 */
#include <initguid.h>
#include "xfer_driver.h"

static const struct {
    PCWSTR HardwareId;
    const GUID *Interface;
} XferModels[XferKindCount] = {
    [XferKindBuffered] = { XFER_HWID_BUFFERED, &GUID_DEVINTERFACE_XFER_BUFFERED },
    [XferKindDirect]   = { XFER_HWID_DIRECT, &GUID_DEVINTERFACE_XFER_DIRECT },
    [XferKindNeither]  = { XFER_HWID_NEITHER, &GUID_DEVINTERFACE_XFER_NEITHER },
};

/* The kind the node's first hardware ID names; STATUS_NO_SUCH_DEVICE for
 * a node that is none of ours. */
static NTSTATUS XferpKindOfNode(PDEVICE_OBJECT Pdo, XFER_DEVICE_KIND *Kind)
{
    WCHAR Ids[128];
    UNICODE_STRING First, Wanted;
    ULONG Length = 0;
    NTSTATUS Status;
    int Each;

    /* A REG_MULTI_SZ; room is kept for a terminator that the property
     * might lack when it was cut short. */
    RtlZeroMemory(Ids, sizeof(Ids));
    Status = IoGetDeviceProperty(Pdo, DevicePropertyHardwareID, sizeof(Ids) - sizeof(WCHAR),
                                 Ids, &Length);
    if (!NT_SUCCESS(Status))
        return Status;
    RtlInitUnicodeString(&First, Ids);
    for (Each = 0; Each < XferKindCount; Each++) {
        RtlInitUnicodeString(&Wanted, XferModels[Each].HardwareId);
        if (RtlEqualUnicodeString(&First, &Wanted, TRUE)) {
            *Kind = (XFER_DEVICE_KIND)Each;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_NO_SUCH_DEVICE;
}

NTSTATUS NTAPI XferAddDevice(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT Pdo)
{
    PXFER_CONTEXT Context = XferpDriverContext();
    PXFER_DEVICE_EXTENSION Extension;
    XFER_DEVICE_KIND Kind;
    PDEVICE_OBJECT Fdo;
    CHAR Applied[XFER_SDDL_TEXT];
    PCSTR Source;
    NTSTATUS Status;

    Status = XferpKindOfNode(Pdo, &Kind);
    if (!NT_SUCCESS(Status)) {
        XferpTraceDriver(Context, "AddDevice: not a device node of ours, status 0x%08lx", (ULONG)Status);
        return Status;
    }
    Status = IoCreateDevice(DriverObject, sizeof(XFER_DEVICE_EXTENSION), NULL, FILE_DEVICE_XFER,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &Fdo);
    if (!NT_SUCCESS(Status))
        return Status;
    Extension = Fdo->DeviceExtension;
    XferpInitializeExtension(Extension, Context, Kind);
    Fdo->Flags |= XferpBufferingFlag(Kind) | DO_POWER_PAGABLE;

    /* The default until the PnP manager applies the node's own Security
     * (xfer.inf sets the same one); no class override here: the node's
     * class is System, not ours. */
    Status = XferpSecureDevice(Fdo, FALSE, &Source, Applied, sizeof(Applied));
    XferpTrace(Extension, "Security: %s, status 0x%08lx", Source, (ULONG)Status);
    if (!NT_SUCCESS(Status))
        goto out_delete;
    XferpTrace(Extension, "Security is %s", Applied);

    Status = IoRegisterDeviceInterface(Pdo, XferModels[Kind].Interface, NULL,
                                       &Extension->InterfaceName);
    if (!NT_SUCCESS(Status))
        goto out_delete;
    Extension->LowerDevice = IoAttachDeviceToDeviceStack(Fdo, Pdo);
    if (Extension->LowerDevice == NULL) {
        Status = STATUS_NO_SUCH_DEVICE;
        goto out_free_name;
    }
    Fdo->Flags &= ~DO_DEVICE_INITIALIZING;

    XferpTrace(Extension, "AddDevice");
    /* The address for a debugger only: the ring is readable by anyone who
     * may open the device, and a kernel address helps an attack. */
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "xfer: FDO is %p\n", Fdo);
    XferpTrace(Extension, "Symbolic Link Name is %.*ls",
               (int)(Extension->InterfaceName.Length / sizeof(WCHAR)),
               Extension->InterfaceName.Buffer);
    return STATUS_SUCCESS;

out_free_name:
    RtlFreeUnicodeString(&Extension->InterfaceName);
out_delete:
    XferpTraceDriver(Context, "AddDevice: failed, status 0x%08lx", (ULONG)Status);
    IoDeleteDevice(Fdo);
    return Status;
}

/* Enables or disables the FDO's device interface; does nothing when it
 * is already so. */
VOID XferpSetInterface(PXFER_DEVICE_EXTENSION Extension, BOOLEAN Enable)
{
    NTSTATUS Status;

    if (Extension->InterfaceEnabled == Enable || Extension->InterfaceName.Buffer == NULL)
        return;
    Status = IoSetDeviceInterfaceState(&Extension->InterfaceName, Enable);
    if (NT_SUCCESS(Status))
        Extension->InterfaceEnabled = Enable;
    else
        XferpTrace(Extension, "Interface %s: failed, status 0x%08lx",
                   Enable ? "enable" : "disable", (ULONG)Status);
}

/* REMOVE_DEVICE's last step, once no request holds the device. */
VOID XferpDeleteFdo(PDEVICE_OBJECT Fdo)
{
    PXFER_DEVICE_EXTENSION Extension = Fdo->DeviceExtension;

    XferpSetInterface(Extension, FALSE);
    XferpTrace(Extension, "Remove: FDO detached and deleted");
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "xfer: FDO %p deleted\n", Fdo);
    IoDetachDevice(Extension->LowerDevice);
    Extension->LowerDevice = NULL;
    RtlFreeUnicodeString(&Extension->InterfaceName);
    IoDeleteDevice(Fdo);
}
