/* SPDX-License-Identifier: MIT */
/*
 * Who may open a device: the security descriptor of every device object
 * the driver creates. By default SYSTEM and Administrators only, with full
 * access, and a protected DACL (nothing inherited): the descriptor that
 * IoCreateDeviceSecure gives for SDDL_DEVOBJ_SYS_ALL_ADM_ALL,
 * "D:P(A;;GA;;;SY)(A;;GA;;;BA)", with GENERIC_ALL mapped for files as the
 * I/O manager maps it (FILE_ALL_ACCESS).
 *
 * As with IoCreateDeviceSecure, an administrator may replace it for the
 * control devices through their device class's registry key,
 * HKLM\SYSTEM\CurrentControlSet\Control\Class\{XFER_DEVICE_CLASS_GUID}\
 * Properties, value Security (REG_BINARY, a self-relative descriptor),
 * read when the driver starts (one that is malformed, or has no DACL,
 * fails the start rather than leave the devices open). Plug and Play FDOs
 * get the same default
 * here; the PnP manager then applies the device node's Security property
 * (xfer.inf sets the same descriptor), which an administrator may change.
 *
 * IoCreateDeviceSecure itself is not used: it lives in a WDK static
 * library that mingw-w64 lacks, and Wine ignores its descriptor. The
 * descriptor is applied as that library applies it, through a kernel
 * handle to the device object and ZwSetSecurityObject.
 *
 * PASSIVE_LEVEL.
 */
/* ntifs.h declares the security routines and types; it includes ntddk.h,
 * which xfer_driver.h then finds already read. The intrinsics are kept out
 * as xfer_driver.h explains. */
#define __INTRINSIC_DEFINED_InterlockedBitTestAndSet
#define __INTRINSIC_DEFINED_InterlockedBitTestAndReset
#include <ntifs.h>
#include "xfer_driver.h"

/* A SID with room for two sub-authorities: S-1-5-18 and S-1-5-32-544. */
typedef struct _XFER_SID2 {
    UCHAR Revision;
    UCHAR SubAuthorityCount;
    SID_IDENTIFIER_AUTHORITY Authority;
    ULONG SubAuthority[2];
} XFER_SID2;

/* The default descriptor, absolute, built on the caller's stack. */
typedef struct _XFER_DEFAULT_SECURITY {
    SECURITY_DESCRIPTOR Descriptor;
    XFER_SID2 System;
    XFER_SID2 Administrators;
    /* An ACL header and two ACEs, each a header, a mask and its SID. */
    ULONG Acl[(sizeof(ACL) + 2 * (sizeof(ACCESS_ALLOWED_ACE) + sizeof(XFER_SID2))) / sizeof(ULONG)];
} XFER_DEFAULT_SECURITY;

static NTSTATUS XferpInitializeSid(XFER_SID2 *Sid, UCHAR Count, ULONG First, ULONG Second)
{
    SID_IDENTIFIER_AUTHORITY NtAuthority = SECURITY_NT_AUTHORITY;
    NTSTATUS Status;

    Status = RtlInitializeSid(Sid, &NtAuthority, Count);
    if (!NT_SUCCESS(Status))
        return Status;
    *RtlSubAuthoritySid(Sid, 0) = First;
    if (Count > 1)
        *RtlSubAuthoritySid(Sid, 1) = Second;
    return STATUS_SUCCESS;
}

static NTSTATUS XferpBuildDefaultSecurity(XFER_DEFAULT_SECURITY *Security)
{
    PACL Acl = (PACL)Security->Acl;
    NTSTATUS Status;

    RtlZeroMemory(Security, sizeof(*Security));
    Status = XferpInitializeSid(&Security->System, 1, SECURITY_LOCAL_SYSTEM_RID, 0);
    if (NT_SUCCESS(Status))
        Status = XferpInitializeSid(&Security->Administrators, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                    DOMAIN_ALIAS_RID_ADMINS);
    if (NT_SUCCESS(Status))
        Status = RtlCreateAcl(Acl, sizeof(Security->Acl), ACL_REVISION);
    if (NT_SUCCESS(Status))
        Status = RtlAddAccessAllowedAce(Acl, ACL_REVISION, FILE_ALL_ACCESS, &Security->System);
    if (NT_SUCCESS(Status))
        Status = RtlAddAccessAllowedAce(Acl, ACL_REVISION, FILE_ALL_ACCESS,
                                        &Security->Administrators);
    if (NT_SUCCESS(Status))
        Status = RtlCreateSecurityDescriptor(&Security->Descriptor, SECURITY_DESCRIPTOR_REVISION);
    if (NT_SUCCESS(Status))
        Status = RtlSetDaclSecurityDescriptor(&Security->Descriptor, TRUE, Acl, FALSE);
    if (NT_SUCCESS(Status))
        Security->Descriptor.Control |= SE_DACL_PROTECTED;   /* "D:P": nothing inherited */
    return Status;
}

/* A self-relative descriptor with a DACL inside it. A descriptor without
 * one (a NULL DACL) would let everyone in: widening is spelt out in ACEs,
 * never left to a missing DACL. Checked here as well as by
 * RtlValidRelativeSecurityDescriptor, which some platforms (Wine) check
 * loosely. */
static BOOLEAN XferpUsableDescriptor(PKEY_VALUE_PARTIAL_INFORMATION Value)
{
    PISECURITY_DESCRIPTOR_RELATIVE Descriptor = (PISECURITY_DESCRIPTOR_RELATIVE)Value->Data;

    if (Value->DataLength < sizeof(*Descriptor) ||
        Descriptor->Revision != SECURITY_DESCRIPTOR_REVISION ||
        !(Descriptor->Control & SE_SELF_RELATIVE) || !(Descriptor->Control & SE_DACL_PRESENT) ||
        Descriptor->Dacl < sizeof(*Descriptor) ||
        Descriptor->Dacl > Value->DataLength - sizeof(ACL))
        return FALSE;
    return RtlValidRelativeSecurityDescriptor(Value->Data, Value->DataLength, 0);
}

/* The class key's Security value, in pool (free with ExFreePoolWithTag),
 * or NULL: absent. A value that is not a valid self-relative descriptor
 * is an error: the administrator meant something, and the driver will not
 * guess what. */
static NTSTATUS XferpReadClassSecurity(PKEY_VALUE_PARTIAL_INFORMATION *Value)
{
    UNICODE_STRING KeyName = RTL_CONSTANT_STRING(
        L"\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Class\\"
        XFER_DEVICE_CLASS_GUID L"\\Properties");
    UNICODE_STRING ValueName = RTL_CONSTANT_STRING(L"Security");
    OBJECT_ATTRIBUTES Attributes;
    PKEY_VALUE_PARTIAL_INFORMATION Buffer = NULL;
    ULONG Length = 0;
    HANDLE Key;
    NTSTATUS Status;

    *Value = NULL;
    InitializeObjectAttributes(&Attributes, &KeyName, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
                               NULL, NULL);
    if (!NT_SUCCESS(ZwOpenKey(&Key, KEY_READ, &Attributes)))
        return STATUS_SUCCESS;   /* no class key: the default */
    Status = ZwQueryValueKey(Key, &ValueName, KeyValuePartialInformation, NULL, 0, &Length);
    if (Status == STATUS_OBJECT_NAME_NOT_FOUND) {
        Status = STATUS_SUCCESS;
        goto out_close;
    }
    if (Length == 0 || Length > 64 * 1024) {
        Status = STATUS_INVALID_SECURITY_DESCR;
        goto out_close;
    }
    Buffer = ExAllocatePoolWithTag(PagedPool, Length, XFER_POOL_TAG);
    if (Buffer == NULL) {
        Status = STATUS_INSUFFICIENT_RESOURCES;
        goto out_close;
    }
    Status = ZwQueryValueKey(Key, &ValueName, KeyValuePartialInformation, Buffer, Length, &Length);
    if (NT_SUCCESS(Status) && (Buffer->Type != REG_BINARY || !XferpUsableDescriptor(Buffer)))
        Status = STATUS_INVALID_SECURITY_DESCR;
    if (NT_SUCCESS(Status))
        *Value = Buffer;
    else
        ExFreePoolWithTag(Buffer, XFER_POOL_TAG);
out_close:
    ZwClose(Key);
    return Status;
}

int __cdecl _snprintf(char *Buffer, size_t Count, const char *Format, ...);

/* Appends to Text (NUL-terminated, Size bytes) what _snprintf makes; a
 * text cut short ends in "...". */
#define XferpAppend(Text, Size, ...)                                                      \
    do {                                                                                  \
        size_t Used_ = strlen(Text);                                                      \
        int Wrote_ = _snprintf((Text) + Used_, (Size) - Used_, __VA_ARGS__);              \
        if (Wrote_ < 0 || (size_t)Wrote_ >= (Size) - Used_)                               \
            RtlCopyMemory((Text) + (Size) - 4, "...", 4);                                 \
    } while (0)

/* SY, BA, or the SID written out (authority and sub-authorities). */
static VOID XferpDescribeSid(PSID Sid, PCHAR Text, SIZE_T Size)
{
    XFER_SID2 System, Administrators;
    PISID Raw = Sid;
    UCHAR Each;

    if (NT_SUCCESS(XferpInitializeSid(&System, 1, SECURITY_LOCAL_SYSTEM_RID, 0)) &&
        RtlEqualSid(Sid, &System)) {
        XferpAppend(Text, Size, "SY");
        return;
    }
    if (NT_SUCCESS(XferpInitializeSid(&Administrators, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                      DOMAIN_ALIAS_RID_ADMINS)) &&
        RtlEqualSid(Sid, &Administrators)) {
        XferpAppend(Text, Size, "BA");
        return;
    }
    XferpAppend(Text, Size, "S-1-%u", (unsigned)Raw->IdentifierAuthority.Value[5]);
    for (Each = 0; Each < Raw->SubAuthorityCount; Each++)
        XferpAppend(Text, Size, "-%lu", Raw->SubAuthority[Each]);
}

/* The DACL the object now has, read back from it, in SDDL: what the
 * trace reports, so that a test can see what took effect where the
 * platform cannot show a device's descriptor to a program (Wine). */
static VOID XferpDescribeSecurity(HANDLE Handle, PCHAR Text, SIZE_T Size)
{
    ULONG Raw[256];   /* a descriptor of ours fits easily; a bigger one is cut */
    PISECURITY_DESCRIPTOR_RELATIVE Descriptor = (PISECURITY_DESCRIPTOR_RELATIVE)Raw;
    ULONG Length = 0, Index;
    PACL Dacl;

    Text[0] = '\0';
    if (!NT_SUCCESS(ZwQuerySecurityObject(Handle, DACL_SECURITY_INFORMATION, Descriptor,
                                          sizeof(Raw), &Length))) {
        XferpAppend(Text, Size, "(cannot be read back)");
        return;
    }
    if (!(Descriptor->Control & SE_DACL_PRESENT) || Descriptor->Dacl == 0) {
        XferpAppend(Text, Size, "D:NO_ACCESS_CONTROL");
        return;
    }
    Dacl = (PACL)((PUCHAR)Descriptor + Descriptor->Dacl);
    XferpAppend(Text, Size, "D:%s", (Descriptor->Control & SE_DACL_PROTECTED) ? "P" : "");
    for (Index = 0; Index < Dacl->AceCount; Index++) {
        PACCESS_ALLOWED_ACE Ace;

        if (!NT_SUCCESS(RtlGetAce(Dacl, Index, (PVOID *)&Ace)))
            break;
        if (Ace->Header.AceType != ACCESS_ALLOWED_ACE_TYPE) {
            XferpAppend(Text, Size, "(type %u)", (unsigned)Ace->Header.AceType);
            continue;
        }
        if (Ace->Mask == FILE_ALL_ACCESS)
            XferpAppend(Text, Size, "(A;;FA;;;");
        else if (Ace->Mask == GENERIC_ALL)
            XferpAppend(Text, Size, "(A;;GA;;;");
        else
            XferpAppend(Text, Size, "(A;;0x%08lx;;;", Ace->Mask);
        XferpDescribeSid(&Ace->SidStart, Text, Size);
        XferpAppend(Text, Size, ")");
    }
}

static NTSTATUS XferpApplySecurity(PDEVICE_OBJECT Device, PSECURITY_DESCRIPTOR Descriptor,
                                   PCHAR Applied, SIZE_T AppliedSize)
{
    HANDLE Handle;
    NTSTATUS Status;

    Status = ObOpenObjectByPointer(Device, OBJ_KERNEL_HANDLE, NULL, WRITE_DAC | READ_CONTROL,
                                   NULL, KernelMode, &Handle);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ZwSetSecurityObject(Handle, DACL_SECURITY_INFORMATION, Descriptor);
    if (NT_SUCCESS(Status))
        XferpDescribeSecurity(Handle, Applied, AppliedSize);
    ZwClose(Handle);
    return Status;
}

NTSTATUS XferpSecureDevice(PDEVICE_OBJECT Device, BOOLEAN ClassOverride, PCSTR *Source,
                           PCHAR Applied, SIZE_T AppliedSize)
{
    XFER_DEFAULT_SECURITY Default;
    PKEY_VALUE_PARTIAL_INFORMATION Override = NULL;
    NTSTATUS Status;

    Applied[0] = '\0';
    *Source = "default: SYSTEM and Administrators only";
    if (ClassOverride) {
        Status = XferpReadClassSecurity(&Override);
        if (!NT_SUCCESS(Status)) {
            *Source = "the device class's Security value, which is not a valid descriptor";
            return Status;
        }
    }
    if (Override != NULL) {
        *Source = "the device class's Security value";
        Status = XferpApplySecurity(Device, (PSECURITY_DESCRIPTOR)Override->Data, Applied,
                                    AppliedSize);
        ExFreePoolWithTag(Override, XFER_POOL_TAG);
        return Status;
    }
    Status = XferpBuildDefaultSecurity(&Default);
    if (NT_SUCCESS(Status))
        Status = XferpApplySecurity(Device, &Default.Descriptor, Applied, AppliedSize);
    return Status;
}
