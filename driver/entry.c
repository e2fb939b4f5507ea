/* SPDX-License-Identifier: MIT */
/*
 * DriverEntry and DriverUnload: read the parameters, set up the store and
 * the three devices; undo all of it, in reverse, at unload.
 */
#include "xfer_driver.h"

static PXFER_CONTEXT XferGlobalContext;   /* owned by DriverEntry/Unload only */

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
 * this, so no request is pending; Wine calls it with handles open, so the
 * pending waits are ended first, before anything is freed. */
static VOID NTAPI XferDriverUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    XferpStopWaiters(XferGlobalContext);
    XferpTraceDriver(XferGlobalContext, "DriverUnload: freeing %llu bytes of store memory",
                     (unsigned long long)XferGlobalContext->PoolBytes);
    XferpFreeContext(XferGlobalContext);
    XferGlobalContext = NULL;
    XferpTraceDriver(NULL, "DriverUnload: done");
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    struct xfer_allocator Allocator;
    XFER_PARAMETERS Parameters;
    PXFER_CONTEXT Context;
    NTSTATUS Status;

    Status = XferpReadParameters(RegistryPath, &Parameters);
    if (!NT_SUCCESS(Status)) {
        XferpTraceDriver(NULL, "DriverEntry: invalid Parameters: 0x%08lx", (ULONG)Status);
        return Status;
    }

    Context = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*Context), XFER_POOL_TAG);
    if (Context == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
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

    DriverObject->MajorFunction[IRP_MJ_CREATE] = XferDispatchCreate;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = XferDispatchClose;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = XferDispatchCleanup;
    DriverObject->MajorFunction[IRP_MJ_READ] = XferDispatchRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = XferDispatchWrite;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = XferDispatchDeviceControl;
    DriverObject->DriverUnload = XferDriverUnload;

    Status = XferpCreateDevices(DriverObject, Context);
    if (!NT_SUCCESS(Status))
        goto out_free_context;

    XferGlobalContext = Context;
    XferpTraceDriver(Context, "DriverEntry: store limit %llu bytes, chunk %lu bytes",
                     (unsigned long long)Parameters.MaxSize, (ULONG)(1ul << XFER_CHUNK_SHIFT_DEFAULT));
    if (Parameters.SelfTest)
        XferpRunSelfTest(Context);
    return STATUS_SUCCESS;

out_free_context:
    XferpTraceDriver(NULL, "DriverEntry: failed 0x%08lx", (ULONG)Status);
    XferpFreeContext(Context);
    return Status;
}
