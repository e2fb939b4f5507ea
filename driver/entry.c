/* SPDX-License-Identifier: MIT */
/*
 * DriverEntry and DriverUnload: read the parameters, set up the store and
 * the three devices; undo all of it, in reverse, at unload.
 */
#include "xfer_driver.h"

static PXFER_CONTEXT XferGlobalContext;   /* owned by DriverEntry/Unload only */

/* Reads Parameters\MaxSize (REG_QWORD, or REG_DWORD for convenience) under
 * the service key. Missing: the default. Present with another type or a
 * value past the largest offset: STATUS_INVALID_PARAMETER, so that a
 * misconfigured limit stops the start instead of being silently ignored.
 * PASSIVE_LEVEL. */
static NTSTATUS XferpReadMaxSize(PUNICODE_STRING RegistryPath, PULONG64 MaxSize)
{
    UNICODE_STRING ParametersName = RTL_CONSTANT_STRING(L"Parameters");
    UNICODE_STRING ValueName = RTL_CONSTANT_STRING(XFER_REG_MAX_SIZE);
    OBJECT_ATTRIBUTES Attributes;
    HANDLE ServiceKey, ParametersKey;
    UCHAR Raw[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG64)];
    PKEY_VALUE_PARTIAL_INFORMATION Value = (PKEY_VALUE_PARTIAL_INFORMATION)Raw;
    ULONG ResultLength;
    NTSTATUS Status;

    *MaxSize = XFER_DEFAULT_MAX_SIZE;

    InitializeObjectAttributes(&Attributes, RegistryPath,
                               OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    Status = ZwOpenKey(&ServiceKey, KEY_READ, &Attributes);
    if (!NT_SUCCESS(Status))
        return STATUS_SUCCESS;   /* no key to read: defaults */

    InitializeObjectAttributes(&Attributes, &ParametersName,
                               OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, ServiceKey, NULL);
    Status = ZwOpenKey(&ParametersKey, KEY_READ, &Attributes);
    ZwClose(ServiceKey);
    if (!NT_SUCCESS(Status))
        return STATUS_SUCCESS;

    Status = ZwQueryValueKey(ParametersKey, &ValueName, KeyValuePartialInformation,
                             Value, sizeof(Raw), &ResultLength);
    ZwClose(ParametersKey);
    if (Status == STATUS_OBJECT_NAME_NOT_FOUND)
        return STATUS_SUCCESS;
    if (!NT_SUCCESS(Status))
        return STATUS_INVALID_PARAMETER;   /* e.g. a value too long for a QWORD */

    if (Value->Type == REG_QWORD && Value->DataLength == sizeof(ULONG64)) {
        RtlCopyMemory(MaxSize, Value->Data, sizeof(ULONG64));
    } else if (Value->Type == REG_DWORD && Value->DataLength == sizeof(ULONG)) {
        ULONG Small;
        RtlCopyMemory(&Small, Value->Data, sizeof(ULONG));
        *MaxSize = Small;
    } else {
        return STATUS_INVALID_PARAMETER;
    }
    return *MaxSize <= XFER_OFFSET_MAX ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

/* Frees what DriverEntry built; safe on a partly built context. */
static VOID XferpFreeContext(PXFER_CONTEXT Context)
{
    LONG64 Leaked;

    XferpDeleteDevices(Context);
    xfer_store_destroy(&Context->Store);
    Leaked = Context->PoolBytes;
    if (Leaked != 0)
        XferpTraceDriver(Context, "DriverUnload: LEAK: %lld bytes of store memory still allocated",
                         (long long)Leaked);
    if (Context->StoreLockReady)
        ExDeleteResourceLite(&Context->StoreLock);
    ExFreePoolWithTag(Context, XFER_POOL_TAG);
}

/* PASSIVE_LEVEL. Every request has completed before the I/O manager calls
 * this (no handle is open), so nothing can race the teardown. */
static VOID NTAPI XferDriverUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    XferpTraceDriver(XferGlobalContext, "DriverUnload: freeing %llu bytes of store memory",
                     (unsigned long long)XferGlobalContext->PoolBytes);
    XferpFreeContext(XferGlobalContext);
    XferGlobalContext = NULL;
    XferpTraceDriver(NULL, "DriverUnload: done");
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    struct xfer_allocator Allocator;
    PXFER_CONTEXT Context;
    ULONG64 MaxSize;
    NTSTATUS Status;

    Status = XferpReadMaxSize(RegistryPath, &MaxSize);
    if (!NT_SUCCESS(Status)) {
        XferpTraceDriver(NULL, "DriverEntry: invalid Parameters\\MaxSize: 0x%08lx", (ULONG)Status);
        return Status;
    }

    Context = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*Context), XFER_POOL_TAG);
    if (Context == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlZeroMemory(Context, sizeof(*Context));
    XferpTraceStart(Context);

    XferpInitializeAllocator(Context, &Allocator);
    if (xfer_store_init(&Context->Store, &Allocator, MaxSize, XFER_CHUNK_SHIFT_DEFAULT) != XFER_OK) {
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
                     (unsigned long long)MaxSize, (ULONG)(1ul << XFER_CHUNK_SHIFT_DEFAULT));
    return STATUS_SUCCESS;

out_free_context:
    XferpTraceDriver(NULL, "DriverEntry: failed 0x%08lx", (ULONG)Status);
    XferpFreeContext(Context);
    return Status;
}
