/* SPDX-License-Identifier: MIT */
/*
 * The verifier build's checks (verify.h): pool tracking, IRP accounting,
 * named rules, low resources simulation. Compiled into the verifier build
 * only; the normal build gets an empty object.
 *
 * State is the image's own (static), not the driver context's: it must
 * outlive the context, whose freeing it checks. Blocks are tracked under
 * a fast mutex (every allocation and free of the driver is at
 * PASSIVE_LEVEL, and a block may be paged); IRPs under a spin lock (a
 * cancel routine completes one at DISPATCH_LEVEL).
 */
#define XFER_VERIFY_IMPLEMENTATION
#include "xfer_driver.h"
#include "xfer/verify.h"

#if defined(XFER_VERIFIER)

#define XFER_VF_MAGIC 0x5846564Bu          /* live block */
#define XFER_VF_FREED 0x46524545u          /* freed block: a second free is caught */
#define XFER_VF_IRPS 512                   /* IRPs owned at once */
#define XFER_VF_RECENT 64                  /* IRPs last let go: to name a second completion */

/* Before every block the driver allocates; the caller's bytes follow,
 * aligned as the pool aligns them. */
typedef struct _XFER_VF_BLOCK {
    LIST_ENTRY Link;
    ULONG Magic;
    ULONG Tag;
    POOL_TYPE PoolType;
    SIZE_T Bytes;
    PCSTR Site;
    PVOID Owner;
} XFER_VF_BLOCK, *PXFER_VF_BLOCK;
#define XFER_VF_HEADER ((sizeof(XFER_VF_BLOCK) + MEMORY_ALLOCATION_ALIGNMENT - 1) & \
                        ~(SIZE_T)(MEMORY_ALLOCATION_ALIGNMENT - 1))

typedef struct _XFER_VF_IRP {
    PIRP Irp;
    UCHAR Major;
    UCHAR Minor;
    BOOLEAN RemoveLocked;
} XFER_VF_IRP;

static FAST_MUTEX XferVfPoolLock;
static LIST_ENTRY XferVfBlocks;
static ULONG64 XferVfBlockCount, XferVfByteCount;

static KSPIN_LOCK XferVfIrpLock;
static XFER_VF_IRP XferVfOwned[XFER_VF_IRPS];
static ULONG XferVfOwnedCount;
static XFER_VF_IRP XferVfRecent[XFER_VF_RECENT];
static ULONG XferVfRecentNext;

static volatile LONG XferVfFailAt, XferVfMet, XferVfInjected, XferVfReports;
static PCSTR volatile XferVfLastSite;

/* One report line: what scripts/wine-run looks for. */
#define XferpVfReport(...) \
    (InterlockedIncrement(&XferVfReports), \
     DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "xfer: VERIFIER: " __VA_ARGS__))

static const char *XferpVfPoolName(POOL_TYPE PoolType)
{
    switch (PoolType) {
    case NonPagedPool:   return "NonPagedPool";
    case NonPagedPoolNx: return "NonPagedPoolNx";
    case PagedPool:      return "PagedPool";
    default:             return "pool";
    }
}

/* A tag as its four characters ('Xfer' is stored low byte first). */
static VOID XferpVfTagText(ULONG Tag, char Text[5])
{
    ULONG i;

    for (i = 0; i < 4; i++) {
        char c = (char)((Tag >> (8 * i)) & 0xFF);
        Text[i] = (c >= 0x20 && c < 0x7F) ? c : '?';
    }
    Text[4] = '\0';
}

/* RtlQueryRegistryValues' call for the value: a REG_DWORD or REG_QWORD
 * (what the library writes); anything else is ignored. */
static NTSTATUS NTAPI XferpVfFailAtValue(PWSTR Name, ULONG Type, PVOID Data, ULONG Length,
                                         PVOID Context, PVOID EntryContext)
{
    ULONG64 Value = 0;

    UNREFERENCED_PARAMETER(Name);
    UNREFERENCED_PARAMETER(Context);
    if ((Type == REG_DWORD && Length == sizeof(ULONG)) ||
        (Type == REG_QWORD && Length == sizeof(ULONG64)))
        RtlCopyMemory(&Value, Data, Length);   /* little-endian: the low bytes first */
    *(PULONG)EntryContext = Value <= MAXLONG ? (ULONG)Value : 0;
    return STATUS_SUCCESS;
}

/* Parameters\VerifierFailAt; 0 when absent or unreadable. */
static ULONG XferpVfReadFailAt(PUNICODE_STRING RegistryPath)
{
    static const WCHAR Suffix[] = L"\\Parameters";
    RTL_QUERY_REGISTRY_TABLE Query[2];
    WCHAR Path[512];
    ULONG FailAt = 0, Chars = RegistryPath->Length / sizeof(WCHAR);

    if (Chars + RTL_NUMBER_OF(Suffix) > RTL_NUMBER_OF(Path))
        return 0;
    RtlCopyMemory(Path, RegistryPath->Buffer, Chars * sizeof(WCHAR));
    RtlCopyMemory(Path + Chars, Suffix, sizeof(Suffix));
    RtlZeroMemory(Query, sizeof(Query));
    /* mingw's headers have only the pointer type: assigning to it checks
     * the signature. */
    Query[0].QueryRoutine = XferpVfFailAtValue;
    Query[0].Name = (PWSTR)XFER_REG_VERIFIER_FAIL_AT;
    Query[0].EntryContext = &FailAt;
    Query[0].DefaultType = REG_NONE;   /* absent: the routine is not called */
    if (!NT_SUCCESS(RtlQueryRegistryValues(RTL_REGISTRY_ABSOLUTE, Path, Query, NULL, NULL)))
        return 0;
    return FailAt;
}

VOID XferpVfStart(PUNICODE_STRING RegistryPath)
{
    ULONG FailAt = XferpVfReadFailAt(RegistryPath);

    ExInitializeFastMutex(&XferVfPoolLock);
    InitializeListHead(&XferVfBlocks);
    XferVfBlockCount = XferVfByteCount = 0;
    KeInitializeSpinLock(&XferVfIrpLock);
    RtlZeroMemory(XferVfOwned, sizeof(XferVfOwned));
    RtlZeroMemory(XferVfRecent, sizeof(XferVfRecent));
    XferVfOwnedCount = XferVfRecentNext = 0;
    XferVfReports = 0;
    XferpVfArm(FailAt);
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
               "xfer: verifier: on (pool tracking, IRP accounting, rules%s)\n",
               FailAt != 0 ? ", a fault armed" : "");
}

/* --- low resources simulation --------------------------------------- */

VOID XferpVfArm(ULONG FailAt)
{
    InterlockedExchange(&XferVfMet, 0);
    InterlockedExchange(&XferVfInjected, 0);
    XferVfLastSite = NULL;
    InterlockedExchange(&XferVfFailAt, (LONG)FailAt);
}

BOOLEAN XferpVfInjectFault(PCSTR Site)
{
    LONG Met = InterlockedIncrement(&XferVfMet);

    if (Met != InterlockedCompareExchange(&XferVfFailAt, 0, 0))
        return FALSE;
    InterlockedIncrement(&XferVfInjected);
    XferVfLastSite = Site;
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
               "xfer: verifier: fault injected at %s (fault point %ld)\n", Site, Met);
    return TRUE;
}

/* --- pool tracking ---------------------------------------------------- */

PVOID XferpVfAllocatePool(POOL_TYPE PoolType, SIZE_T Bytes, ULONG Tag, PCSTR Site)
{
    PXFER_VF_BLOCK Block;

    if (XferpVfInjectFault(Site) || Bytes > (SIZE_T)-1 - XFER_VF_HEADER)
        return NULL;
    Block = ExAllocatePoolWithTag(PoolType, XFER_VF_HEADER + Bytes, Tag);
    if (Block == NULL)
        return NULL;
    Block->Magic = XFER_VF_MAGIC;
    Block->Tag = Tag;
    Block->PoolType = PoolType;
    Block->Bytes = Bytes;
    Block->Site = Site;
    Block->Owner = NULL;
    ExAcquireFastMutex(&XferVfPoolLock);
    InsertTailList(&XferVfBlocks, &Block->Link);
    XferVfBlockCount++;
    XferVfByteCount += Bytes;
    ExReleaseFastMutex(&XferVfPoolLock);
    return (PUCHAR)Block + XFER_VF_HEADER;
}

VOID XferpVfFreePool(PVOID Data, ULONG Tag, PCSTR Site)
{
    PXFER_VF_BLOCK Block = (PXFER_VF_BLOCK)((PUCHAR)Data - XFER_VF_HEADER);
    char Wanted[5], Given[5];

    if (Block->Magic != XFER_VF_MAGIC) {
        XferpVfReport("rule 'a block is freed once, and only a block of the driver's' "
                      "broken at %s: %p is %s\n", Site, Data,
                      Block->Magic == XFER_VF_FREED ? "already freed" : "not a block of ours");
        return;   /* refused: freeing it would corrupt the pool */
    }
    if (Block->Tag != Tag) {
        XferpVfTagText(Block->Tag, Wanted);
        XferpVfTagText(Tag, Given);
        XferpVfReport("rule 'a block is freed with the tag it was allocated with' broken at %s: "
                      "'%s' freed as '%s'\n", Site, Wanted, Given);
    }
    ExAcquireFastMutex(&XferVfPoolLock);
    RemoveEntryList(&Block->Link);
    XferVfBlockCount--;
    XferVfByteCount -= Block->Bytes;
    ExReleaseFastMutex(&XferVfPoolLock);
    Block->Magic = XFER_VF_FREED;
    ExFreePoolWithTag(Block, Block->Tag);
}

VOID XferpVfSetOwner(PVOID Data, PVOID Device)
{
    ((PXFER_VF_BLOCK)((PUCHAR)Data - XFER_VF_HEADER))->Owner = Device;
}

/* Reports the blocks still held of Owner (NULL: of anyone), one line each
 * (where it was allocated), then one per tag and pool type. Returns how
 * many. */
static ULONG XferpVfReportBlocks(PVOID Owner, PCSTR When)
{
    struct { ULONG Tag; POOL_TYPE PoolType; ULONG Blocks; ULONG64 Bytes; } Sums[8];
    ULONG SumCount = 0, Leaked = 0, i;
    PLIST_ENTRY Entry;
    char Tag[5];

    ExAcquireFastMutex(&XferVfPoolLock);
    for (Entry = XferVfBlocks.Flink; Entry != &XferVfBlocks; Entry = Entry->Flink) {
        PXFER_VF_BLOCK Block = CONTAINING_RECORD(Entry, XFER_VF_BLOCK, Link);

        if (Owner != NULL && Block->Owner != Owner)
            continue;
        Leaked++;
        XferpVfTagText(Block->Tag, Tag);
        XferpVfReport("pool: LEAK at %s: %lu bytes of tag '%s' (%s) allocated at %s\n", When,
                      (ULONG)Block->Bytes, Tag, XferpVfPoolName(Block->PoolType), Block->Site);
        for (i = 0; i < SumCount; i++)
            if (Sums[i].Tag == Block->Tag && Sums[i].PoolType == Block->PoolType)
                break;
        if (i == SumCount && SumCount < RTL_NUMBER_OF(Sums)) {
            Sums[i].Tag = Block->Tag;
            Sums[i].PoolType = Block->PoolType;
            Sums[i].Blocks = 0;
            Sums[i].Bytes = 0;
            SumCount++;
        }
        if (i < SumCount) {
            Sums[i].Blocks++;
            Sums[i].Bytes += Block->Bytes;
        }
    }
    ExReleaseFastMutex(&XferVfPoolLock);
    for (i = 0; i < SumCount; i++) {
        XferpVfTagText(Sums[i].Tag, Tag);
        XferpVfReport("pool: tag '%s' (%s) leaked %lu blocks, %llu bytes\n", Tag,
                      XferpVfPoolName(Sums[i].PoolType), Sums[i].Blocks,
                      (unsigned long long)Sums[i].Bytes);
    }
    return Leaked;
}

VOID XferpVfDeviceRemoved(PVOID Device)
{
    XferpVfReportBlocks(Device, "REMOVE_DEVICE");
}

/* --- IRP accounting ---------------------------------------------------- */

VOID XferpVfIrpIn(PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG Free = XFER_VF_IRPS, i;
    BOOLEAN Twice = FALSE;
    KIRQL Irql;

    KeAcquireSpinLock(&XferVfIrpLock, &Irql);
    for (i = 0; i < XFER_VF_IRPS; i++) {
        if (XferVfOwned[i].Irp == Irp)
            Twice = TRUE;
        else if (XferVfOwned[i].Irp == NULL && Free == XFER_VF_IRPS)
            Free = i;
    }
    if (!Twice && Free < XFER_VF_IRPS) {
        XferVfOwned[Free].Irp = Irp;
        XferVfOwned[Free].Major = Stack->MajorFunction;
        XferVfOwned[Free].Minor = Stack->MinorFunction;
        XferVfOwned[Free].RemoveLocked = FALSE;
        XferVfOwnedCount++;
    }
    KeReleaseSpinLock(&XferVfIrpLock, Irql);
    if (Twice)
        XferpVfReport("rule 'an IRP is received once' broken: IRP major 0x%02x minor 0x%02x "
                      "received while the driver owns it\n",
                      (ULONG)Stack->MajorFunction, (ULONG)Stack->MinorFunction);
    else if (Free == XFER_VF_IRPS)
        XferpVfReport("IRP accounting: more than %u IRPs owned at once\n", XFER_VF_IRPS);
}

/* Takes Irp out of the owned table. FALSE, and a report naming the IRP's
 * major and minor codes as last seen, when the driver does not own it:
 * the IRP may be freed already, so it is not looked at. */
static BOOLEAN XferpVfIrpOut(PIRP Irp, PCSTR How, PCSTR Site)
{
    UCHAR Major = 0xFF, Minor = 0xFF;
    BOOLEAN Owned = FALSE;
    ULONG i;
    KIRQL Irql;

    KeAcquireSpinLock(&XferVfIrpLock, &Irql);
    for (i = 0; i < XFER_VF_IRPS && !Owned; i++) {
        if (XferVfOwned[i].Irp != Irp)
            continue;
        Owned = TRUE;
        XferVfRecent[XferVfRecentNext] = XferVfOwned[i];
        XferVfRecentNext = (XferVfRecentNext + 1) % XFER_VF_RECENT;
        XferVfOwned[i].Irp = NULL;
        XferVfOwnedCount--;
    }
    for (i = 0; i < XFER_VF_RECENT && !Owned; i++) {
        if (XferVfRecent[i].Irp == Irp) {
            Major = XferVfRecent[i].Major;
            Minor = XferVfRecent[i].Minor;
        }
    }
    KeReleaseSpinLock(&XferVfIrpLock, Irql);
    if (!Owned)
        XferpVfReport("rule 'an IRP is completed or passed down exactly once' broken at %s: "
                      "IRP major 0x%02x minor 0x%02x %s again (or never received); refused\n",
                      Site, (ULONG)Major, (ULONG)Minor, How);
    return Owned;
}

static XFER_VF_IRP *XferpVfFindLocked(PIRP Irp)
{
    ULONG i;

    for (i = 0; i < XFER_VF_IRPS; i++)
        if (XferVfOwned[i].Irp == Irp)
            return &XferVfOwned[i];
    return NULL;
}

VOID XferpVfIrpRemoveLocked(PIRP Irp)
{
    XFER_VF_IRP *Entry;
    KIRQL Irql;

    KeAcquireSpinLock(&XferVfIrpLock, &Irql);
    Entry = XferpVfFindLocked(Irp);
    if (Entry != NULL)
        Entry->RemoveLocked = TRUE;
    KeReleaseSpinLock(&XferVfIrpLock, Irql);
}

BOOLEAN XferpVfIrpHoldsRemoveLock(PIRP Irp)
{
    XFER_VF_IRP *Entry;
    BOOLEAN Held;
    KIRQL Irql;

    KeAcquireSpinLock(&XferVfIrpLock, &Irql);
    Entry = XferpVfFindLocked(Irp);
    Held = Entry != NULL && Entry->RemoveLocked;
    KeReleaseSpinLock(&XferVfIrpLock, Irql);
    return Held;
}

VOID XferpVfCompleteRequest(PIRP Irp, CCHAR Boost, PCSTR Site)
{
    if (XferpVfIrpOut(Irp, "completed", Site))
        IofCompleteRequest(Irp, Boost);
}

NTSTATUS XferpVfCallDriver(PDEVICE_OBJECT Device, PIRP Irp, BOOLEAN Power, PCSTR Site)
{
    if (!XferpVfIrpOut(Irp, "passed down", Site))
        return STATUS_INVALID_DEVICE_REQUEST;
    return Power ? PoCallDriver(Device, Irp) : IofCallDriver(Device, Irp);
}

/* --- rules --------------------------------------------------------------- */

BOOLEAN XferpVfCheck(BOOLEAN Holds, PCSTR Rule, PCSTR Site)
{
    if (!Holds)
        XferpVfReport("rule '%s' broken at %s; the request fails\n", Rule, Site);
    return Holds;
}

BOOLEAN XferpVfIrqlAtMost(KIRQL Irql)
{
    return KeGetCurrentIrql() <= Irql;
}

BOOLEAN XferpVfStoreLockHeld(BOOLEAN Exclusive)
{
    PXFER_CONTEXT Context = XferpDriverContext();

    if (Context == NULL || !Context->StoreLockReady)
        return FALSE;
    return Exclusive ? ExIsResourceAcquiredExclusiveLite(&Context->StoreLock)
                     : ExIsResourceAcquiredSharedLite(&Context->StoreLock) != 0;
}

/* probe.c's ProbeForRead/ProbeForWrite: where user memory is touched. A
 * broken rule raises, as a failed probe does, so the request fails as one
 * that met a bad pointer; nothing is touched. */
VOID XferpVfProbe(PVOID Address, SIZE_T Length, ULONG Alignment, BOOLEAN Write, PCSTR Site)
{
    if (!XferpVfCheck(XferpVfIrqlAtMost(APC_LEVEL),
                      "user memory is touched at APC_LEVEL or below", Site) ||
        !XferpVfCheck(!XferpVfStoreLockHeld(FALSE),
                      "no driver lock is held while user memory is touched", Site))
        ExRaiseStatus(STATUS_ACCESS_VIOLATION);
    if (Write)
        ProbeForWrite(Address, Length, Alignment);
    else
        ProbeForRead(Address, Length, Alignment);
}

/* --- the other fault points ------------------------------------------- */

PVOID XferpVfMapMdl(PMDL Mdl, ULONG Priority, PCSTR Site)
{
    if (XferpVfInjectFault(Site))
        return NULL;
    return MmGetSystemAddressForMdlSafe(Mdl, Priority);
}

PMDL XferpVfAllocateMdl(PVOID Address, ULONG Length, BOOLEAN Secondary, BOOLEAN Charge,
                        PIRP Irp, PCSTR Site)
{
    if (XferpVfInjectFault(Site))
        return NULL;
    return IoAllocateMdl(Address, Length, Secondary, Charge, Irp);
}

NTSTATUS XferpVfCreateDevice(PDRIVER_OBJECT Driver, ULONG ExtensionSize, PUNICODE_STRING Name,
                             DEVICE_TYPE Type, ULONG Characteristics, BOOLEAN Exclusive,
                             PDEVICE_OBJECT *Device, PCSTR Site)
{
    if (XferpVfInjectFault(Site))
        return STATUS_INSUFFICIENT_RESOURCES;
    return IoCreateDevice(Driver, ExtensionSize, Name, Type, Characteristics, Exclusive, Device);
}

NTSTATUS XferpVfRegisterInterface(PDEVICE_OBJECT Pdo, const GUID *Class, PUNICODE_STRING Reference,
                                  PUNICODE_STRING Link, PCSTR Site)
{
    if (XferpVfInjectFault(Site))
        return STATUS_INSUFFICIENT_RESOURCES;
    return IoRegisterDeviceInterface(Pdo, Class, Reference, Link);
}

/* --- the end, and the control ------------------------------------------ */

VOID XferpVfStop(VOID)
{
    ULONG Leaked = XferpVfReportBlocks(NULL, "DriverUnload");
    ULONG i;

    for (i = 0; i < XFER_VF_IRPS; i++)
        if (XferVfOwned[i].Irp != NULL)
            XferpVfReport("IRP accounting: IRP major 0x%02x minor 0x%02x still owned at unload\n",
                          (ULONG)XferVfOwned[i].Major, (ULONG)XferVfOwned[i].Minor);
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
               "xfer: verifier: unload: %lu blocks leaked, %lu IRPs owned, %ld rules broken\n",
               Leaked, XferVfOwnedCount, XferVfReports);
}

#if defined(XFER_VERIFY_BREAK)
/* Test-only: each breaks its rule once, for the verifier to catch. */
static NTSTATUS XferpVfBreak(ULONG Op, PIRP Irp)
{
    UCHAR Bytes[8] = { 0 };
    NTSTATUS Status;

    switch (Op) {
    case XFER_VERIFY_BREAK_LEAK:
        return XferpVfAllocatePool(PagedPool, 100, 'kaeL', XFER_SITE) != NULL
                   ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
    case XFER_VERIFY_BREAK_DOUBLE_COMPLETION:
        XferpCompleteRequest(Irp, STATUS_SUCCESS, 0);
        /* The bug, through the check every other completion goes
         * through (this file calls the kernel's routines unchecked):
         * caught and refused. */
        XferpVfCompleteRequest(Irp, IO_NO_INCREMENT, XFER_SITE);
        return STATUS_PENDING;                     /* the IRP is not ours any more */
    case XFER_VERIFY_BREAK_PROBE_LOCKED:
        XferpLockShared(XferpDriverContext());
        Status = XferpCopyToUser(Irp->UserBuffer, Bytes, sizeof(Bytes));
        XferpUnlock(XferpDriverContext());
        return Status;
    default:
        return STATUS_INVALID_PARAMETER;
    }
}
#endif

NTSTATUS XferpVfIoctl(PVOID SystemBuffer, ULONG InputLength, ULONG OutputLength,
                      PIRP Irp, PULONG_PTR Information)
{
    struct xfer_verify_request Request;
    struct xfer_verify_state State;
    NTSTATUS Status = STATUS_SUCCESS;
    PCSTR Site;
    ULONG i;
    KIRQL Irql;

    if (InputLength != sizeof(Request))
        return STATUS_INVALID_PARAMETER;
    RtlCopyMemory(&Request, SystemBuffer, sizeof(Request));
    if (Request.op == XFER_VERIFY_ARM)
        XferpVfArm(Request.fail_at);
    else if (Request.op >= XFER_VERIFY_BREAK_LEAK)
#if defined(XFER_VERIFY_BREAK)
        Status = XferpVfBreak(Request.op, Irp);
#else
        Status = STATUS_INVALID_PARAMETER;
#endif
    else if (Request.op != XFER_VERIFY_QUERY || Request.fail_at != 0)
        Status = STATUS_INVALID_PARAMETER;
    if (Status == STATUS_PENDING || !NT_SUCCESS(Status))
        return Status;
    if (OutputLength < sizeof(State))
        return Request.op == XFER_VERIFY_QUERY ? STATUS_BUFFER_TOO_SMALL : STATUS_SUCCESS;

    RtlZeroMemory(&State, sizeof(State));
    State.fault_points = (uint32_t)InterlockedCompareExchange(&XferVfMet, 0, 0);
    State.faults = (uint32_t)InterlockedCompareExchange(&XferVfInjected, 0, 0);
    ExAcquireFastMutex(&XferVfPoolLock);
    State.pool_blocks = XferVfBlockCount;
    State.pool_bytes = XferVfByteCount;
    ExReleaseFastMutex(&XferVfPoolLock);
    KeAcquireSpinLock(&XferVfIrpLock, &Irql);
    State.irps_owned = XferVfOwnedCount;
    KeReleaseSpinLock(&XferVfIrpLock, Irql);
    State.reports = (uint32_t)InterlockedCompareExchange(&XferVfReports, 0, 0);
    Site = XferVfLastSite;
    for (i = 0; Site != NULL && Site[i] != '\0' && i < sizeof(State.fault_site) - 1; i++)
        State.fault_site[i] = Site[i];
    RtlCopyMemory(SystemBuffer, &State, sizeof(State));
    *Information = sizeof(State);
    return STATUS_SUCCESS;
}

#endif /* XFER_VERIFIER */
