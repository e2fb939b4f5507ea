/* SPDX-License-Identifier: MIT */
/*
 * The driver's parameters, read once at DriverEntry from the service key's
 * Parameters subkey:
 *   MaxSize   REG_QWORD (or REG_DWORD): the store's limit in bytes.
 *   SelfTest  REG_DWORD: non-zero runs selftest.c at start.
 *   PlugAndPlay  REG_DWORD, set by xfer.inf: non-zero makes the driver
 *             serve its PnP device nodes only (no legacy devices).
 * A missing key or value means the default. A value of the wrong type or
 * out of range fails the start with STATUS_INVALID_PARAMETER, so that a
 * misconfiguration is loud instead of silently ignored. MaxSize's range
 * ends at XFER_MAX_SIZE_CEILING (ioctl.h), per architecture: the store is
 * paged pool charged to no process, and a limit past what the machine's
 * pool can give would let any user who may write exhaust it; a higher
 * value is refused with a debugger line that says so. PASSIVE_LEVEL.
 */
#include "xfer_driver.h"

/* Reads a REG_DWORD or REG_QWORD value. STATUS_OBJECT_NAME_NOT_FOUND when
 * it is absent. */
static NTSTATUS XferpQueryNumber(HANDLE Key, PCWSTR Name, PULONG64 Number)
{
    UNICODE_STRING ValueName;
    UCHAR Raw[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG64)];
    PKEY_VALUE_PARTIAL_INFORMATION Value = (PKEY_VALUE_PARTIAL_INFORMATION)Raw;
    ULONG ResultLength;
    NTSTATUS Status;

    RtlInitUnicodeString(&ValueName, Name);
    Status = ZwQueryValueKey(Key, &ValueName, KeyValuePartialInformation, Value, sizeof(Raw),
                             &ResultLength);
    if (Status == STATUS_OBJECT_NAME_NOT_FOUND)
        return Status;
    if (!NT_SUCCESS(Status))
        return STATUS_INVALID_PARAMETER;   /* e.g. longer than a QWORD */

    if (Value->Type == REG_QWORD && Value->DataLength == sizeof(ULONG64)) {
        RtlCopyMemory(Number, Value->Data, sizeof(ULONG64));
    } else if (Value->Type == REG_DWORD && Value->DataLength == sizeof(ULONG)) {
        ULONG Small;
        RtlCopyMemory(&Small, Value->Data, sizeof(ULONG));
        *Number = Small;
    } else {
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS XferpOpenParameters(PUNICODE_STRING RegistryPath, PHANDLE ParametersKey)
{
    UNICODE_STRING ParametersName = RTL_CONSTANT_STRING(L"Parameters");
    OBJECT_ATTRIBUTES Attributes;
    HANDLE ServiceKey;
    NTSTATUS Status;

    InitializeObjectAttributes(&Attributes, RegistryPath,
                               OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    Status = ZwOpenKey(&ServiceKey, KEY_READ, &Attributes);
    if (!NT_SUCCESS(Status))
        return Status;
    InitializeObjectAttributes(&Attributes, &ParametersName,
                               OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, ServiceKey, NULL);
    Status = ZwOpenKey(ParametersKey, KEY_READ, &Attributes);
    ZwClose(ServiceKey);
    return Status;
}

NTSTATUS XferpReadParameters(PUNICODE_STRING RegistryPath, PXFER_PARAMETERS Parameters)
{
    HANDLE Key;
    ULONG64 Number;
    NTSTATUS Status;

    Parameters->MaxSize = XFER_DEFAULT_MAX_SIZE;
    Parameters->SelfTest = FALSE;
    Parameters->PlugAndPlay = FALSE;
    if (!NT_SUCCESS(XferpOpenParameters(RegistryPath, &Key)))
        return STATUS_SUCCESS;   /* no Parameters key: all defaults */

    Status = XferpQueryNumber(Key, XFER_REG_MAX_SIZE, &Number);
    if (NT_SUCCESS(Status)) {
        if (Number > XFER_MAX_SIZE_CEILING) {
            XferpTraceDriver(NULL, "DriverEntry: MaxSize %llu is above the ceiling of %llu bytes "
                             "for this architecture: not starting",
                             (unsigned long long)Number, (unsigned long long)XFER_MAX_SIZE_CEILING);
            Status = STATUS_INVALID_PARAMETER;
        } else {
            Parameters->MaxSize = Number;
        }
    }
    if (NT_SUCCESS(Status) || Status == STATUS_OBJECT_NAME_NOT_FOUND) {
        Status = XferpQueryNumber(Key, XFER_REG_SELF_TEST, &Number);
        if (NT_SUCCESS(Status))
            Parameters->SelfTest = (Number != 0);
    }
    if (NT_SUCCESS(Status) || Status == STATUS_OBJECT_NAME_NOT_FOUND) {
        Status = XferpQueryNumber(Key, XFER_REG_PLUG_AND_PLAY, &Number);
        if (NT_SUCCESS(Status))
            Parameters->PlugAndPlay = (Number != 0);
    }
    ZwClose(Key);
    return Status == STATUS_OBJECT_NAME_NOT_FOUND ? STATUS_SUCCESS : Status;
}
