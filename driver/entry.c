/* SPDX-License-Identifier: MIT */
/*
 * DriverEntry and DriverUnload: read the parameters, set up the store and
 * the three devices; undo all of it, in reverse, at unload.
 */
#include "xfer_driver.h"

static PXFER_CONTEXT XferGlobalContext;   /* set by DriverEntry, cleared by DriverUnload */
/* Its role type makes a signature that is not an unload routine's a
 * compile error. */
static DRIVER_UNLOAD XferDriverUnload;

PXFER_CONTEXT XferpDriverContext(VOID)
{
    return XferGlobalContext;
}

/* Frees what DriverEntry built; safe on a partly built context. */
static VOID XferpFreeContext(PXFER_CONTEXT Context)
{
    LONG64 Leaked;

    XferpDeleteDevices(Context);
    XferpBounceDrain(Context);
    xfer_store_destroy(&Context->Store);
    Leaked = Context->PoolBytes;
    if (Leaked != 0)
        XferpTraceDriver(Context, "DriverUnload: LEAK: %lld bytes of store memory still allocated",
                         (long long)Leaked);
    if (Context->StoreLockReady)
        ExDeleteResourceLite(&Context->StoreLock);
    ExFreePoolWithTag(Context, XFER_POOL_TAG);
}

/* PASSIVE_LEVEL. On Windows no handle is open when the I/O manager calls
 * this, so no request is pending, and every FDO has been removed (a PnP
 * driver is unloaded after its last device's REMOVE_DEVICE); Wine calls it
 * with handles open, so the pending waits are ended first, before anything
 * is freed. */
static VOID NTAPI XferDriverUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    XferpStopWaiters(XferGlobalContext);
    XferpTraceDriver(XferGlobalContext, "DriverUnload: freeing %llu bytes of store memory",
                     (unsigned long long)XferGlobalContext->PoolBytes);
    XferpFreeContext(XferGlobalContext);
    XferGlobalContext = NULL;
    XferpVfStop();   /* the verifier build: every block freed, every IRP let go */
    XferpTraceDriver(NULL, "DriverUnload: done");
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    struct xfer_allocator Allocator;
    XFER_PARAMETERS Parameters;
    PXFER_CONTEXT Context;
    NTSTATUS Status;

    XferpVfStart(RegistryPath);   /* the verifier build: before anything is allocated */
    Status = XferpReadParameters(RegistryPath, &Parameters);
    if (!NT_SUCCESS(Status)) {
        XferpTraceDriver(NULL, "DriverEntry: invalid Parameters: 0x%08lx", (ULONG)Status);
        return Status;
    }

    Context = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*Context), XFER_POOL_TAG);
    if (Context == NULL) {
        XferpVfStop();
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    RtlZeroMemory(Context, sizeof(*Context));
    XferpTraceStart(Context);
    XferpWaitersStart(Context);

    XferpInitializeAllocator(Context, &Allocator);
    if (xfer_store_init(&Context->Store, &Allocator, Parameters.MaxSize, XFER_CHUNK_SHIFT_DEFAULT) != XFER_OK) {
        Status = STATUS_INVALID_PARAMETER;
        goto out_free_context;
    }
    Status = ExInitializeResourceLite(&Context->StoreLock);
    if (!NT_SUCCESS(Status))
        goto out_free_context;
    Context->StoreLockReady = TRUE;

    /* Every request major goes through the remove lock (gate.c). */
    DriverObject->MajorFunction[IRP_MJ_CREATE] = XferDispatchGuarded;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = XferDispatchGuarded;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = XferDispatchGuarded;
    DriverObject->MajorFunction[IRP_MJ_READ] = XferDispatchGuarded;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = XferDispatchGuarded;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = XferDispatchGuarded;
    DriverObject->MajorFunction[IRP_MJ_PNP] = XferDispatchPnp;
    DriverObject->MajorFunction[IRP_MJ_POWER] = XferDispatchPower;
    DriverObject->MajorFunction[IRP_MJ_SYSTEM_CONTROL] = XferDispatchSystemControl;
    DriverObject->DriverExtension->AddDevice = XferAddDevice;
    DriverObject->DriverUnload = XferDriverUnload;

    /* Installed from xfer.inf, the driver serves the device nodes the PnP
     * manager hands to AddDevice; started as a plain service, it makes the
     * three \\.\Xfer* control devices itself. */
    if (!Parameters.PlugAndPlay) {
        Status = XferpCreateDevices(DriverObject, Context);
        if (!NT_SUCCESS(Status))
            goto out_free_context;
    }

    XferGlobalContext = Context;
    XferpTraceDriver(Context, "DriverEntry: store limit %llu bytes, chunk %lu bytes",
                     (unsigned long long)Parameters.MaxSize, (ULONG)(1ul << XFER_CHUNK_SHIFT_DEFAULT));
    XferpTraceDriver(Context, "DriverEntry: %s",
                     Parameters.PlugAndPlay ? "Plug and Play: devices come through AddDevice"
                                            : "plain service: the devices XferBuffered, XferDirect, XferNeither");
    if (Parameters.SelfTest)
        XferpRunSelfTest(Context);
    return STATUS_SUCCESS;

out_free_context:
    XferpTraceDriver(NULL, "DriverEntry: failed 0x%08lx", (ULONG)Status);
    XferpFreeContext(Context);
    XferpVfStop();   /* DriverUnload never runs after a failed DriverEntry */
    return Status;
}
