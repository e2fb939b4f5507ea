/* SPDX-License-Identifier: MIT */
/*
 * The verifier build (-DXFER_VERIFIER): Driver Verifier's pool tracking,
 * I/O verification and low resources simulation, built into the driver,
 * so that every run under Wine (which has no Driver Verifier) is also a
 * verifier run. docs/design.md, "The verifier build", says how to use it.
 *
 * It works as Driver Verifier does, by standing between the driver and
 * the kernel routines it calls: with the switch on, this header replaces
 * the driver's calls of the routines below with verify.c's, which count,
 * check and can be told to fail, and then call the real routine. The
 * driver's sources stay as they are, and a new call of one of these
 * routines anywhere in driver/ is verified (and can be failed) without a
 * line more. Without the switch nothing here exists.
 *
 * A rule broken is reported by one DbgPrintEx line starting
 * "xfer: VERIFIER: " with the rule, the file and line, and what broke it;
 * scripts/wine-run fails the run on any such line.
 */
#ifndef XFER_VERIFY_H
#define XFER_VERIFY_H

#if defined(XFER_VERIFIER)

/* "driver/bounce.c:38": where a fault point is, as the site list the
 * low-resources suite generates from the sources names it. */
#define XFER_VERIFY_STR2(x) #x
#define XFER_VERIFY_STR(x) XFER_VERIFY_STR2(x)
#define XFER_SITE (__FILE__ ":" XFER_VERIFY_STR(__LINE__))

/* DriverEntry, first: a fresh state, and the fault Parameters\
 * VerifierFailAt arms (xfer/verify.h), if any. */
VOID XferpVfStart(PUNICODE_STRING RegistryPath);
/* DriverUnload, last: reports every block and IRP still held. */
VOID XferpVfStop(VOID);
/* An FDO's REMOVE_DEVICE, once its handles are gone: reports blocks that
 * still belong to the device (XferpVfSetOwner). */
VOID XferpVfDeviceRemoved(PVOID Device);
/* Marks Block (from the pool) as belonging to Device. */
VOID XferpVfSetOwner(PVOID Block, PVOID Device);

/* Low resources simulation: the FailAt-th fault point met from now on
 * fails (0 disarms). Every fault point counts. */
VOID XferpVfArm(ULONG FailAt);
BOOLEAN XferpVfInjectFault(PCSTR Site);

/* IRP accounting: Irp enters the driver (a dispatch routine) and leaves
 * it (completed or passed down). Out returns FALSE for an IRP the driver
 * does not own (completed twice, or never received): the caller must
 * then leave it alone. */
VOID XferpVfIrpIn(PIRP Irp);
VOID XferpVfIrpRemoveLocked(PIRP Irp);
BOOLEAN XferpVfIrpHoldsRemoveLock(PIRP Irp);

/* A rule checked where it applies. FALSE (and a report) when Holds is
 * false; the caller then fails the request. */
BOOLEAN XferpVfCheck(BOOLEAN Holds, PCSTR Rule, PCSTR Site);
#define XFER_VERIFY(Holds, Rule) XferpVfCheck((BOOLEAN)((Holds) != 0), (Rule), XFER_SITE)
/* At PASSIVE_LEVEL (a dispatch routine), or at most APC_LEVEL. */
BOOLEAN XferpVfIrqlAtMost(KIRQL Irql);
/* Whether the current thread holds the store lock (shared or not). */
BOOLEAN XferpVfStoreLockHeld(BOOLEAN Exclusive);

/* The verifier's answer to IOCTL_XFER_VERIFY (dispatch_ioctl.c). */
NTSTATUS XferpVfIoctl(PVOID SystemBuffer, ULONG InputLength, ULONG OutputLength,
                      PIRP Irp, PULONG_PTR Information);

/* The routines verify.c stands in for. */
PVOID XferpVfAllocatePool(POOL_TYPE PoolType, SIZE_T Bytes, ULONG Tag, PCSTR Site);
VOID XferpVfFreePool(PVOID Block, ULONG Tag, PCSTR Site);
PVOID XferpVfMapMdl(PMDL Mdl, ULONG Priority, PCSTR Site);
PMDL XferpVfAllocateMdl(PVOID Address, ULONG Length, BOOLEAN Secondary, BOOLEAN Charge,
                        PIRP Irp, PCSTR Site);
NTSTATUS XferpVfCreateDevice(PDRIVER_OBJECT Driver, ULONG ExtensionSize, PUNICODE_STRING Name,
                             DEVICE_TYPE Type, ULONG Characteristics, BOOLEAN Exclusive,
                             PDEVICE_OBJECT *Device, PCSTR Site);
NTSTATUS XferpVfRegisterInterface(PDEVICE_OBJECT Pdo, const GUID *Class, PUNICODE_STRING Reference,
                                  PUNICODE_STRING Link, PCSTR Site);
VOID XferpVfCompleteRequest(PIRP Irp, CCHAR Boost, PCSTR Site);
NTSTATUS XferpVfCallDriver(PDEVICE_OBJECT Device, PIRP Irp, BOOLEAN Power, PCSTR Site);
VOID XferpVfProbe(PVOID Address, SIZE_T Length, ULONG Alignment, BOOLEAN Write, PCSTR Site);

#if !defined(XFER_VERIFY_IMPLEMENTATION)
#undef ExAllocatePoolWithTag
#define ExAllocatePoolWithTag(Type, Bytes, Tag) XferpVfAllocatePool((Type), (Bytes), (Tag), XFER_SITE)
#undef ExFreePoolWithTag
#define ExFreePoolWithTag(Block, Tag) XferpVfFreePool((Block), (Tag), XFER_SITE)
#undef MmGetSystemAddressForMdlSafe
#define MmGetSystemAddressForMdlSafe(Mdl, Priority) XferpVfMapMdl((Mdl), (Priority), XFER_SITE)
#undef IoAllocateMdl
#define IoAllocateMdl(Address, Length, Secondary, Charge, Irp) \
    XferpVfAllocateMdl((Address), (Length), (Secondary), (Charge), (Irp), XFER_SITE)
#undef IoCreateDevice
#define IoCreateDevice(Driver, Size, Name, Type, Chars, Exclusive, Device) \
    XferpVfCreateDevice((Driver), (Size), (Name), (Type), (Chars), (Exclusive), (Device), XFER_SITE)
#undef IoRegisterDeviceInterface
#define IoRegisterDeviceInterface(Pdo, Class, Reference, Link) \
    XferpVfRegisterInterface((Pdo), (Class), (Reference), (Link), XFER_SITE)
#undef IoCompleteRequest
#define IoCompleteRequest(Irp, Boost) XferpVfCompleteRequest((Irp), (Boost), XFER_SITE)
#undef IoCallDriver
#define IoCallDriver(Device, Irp) XferpVfCallDriver((Device), (Irp), FALSE, XFER_SITE)
#undef PoCallDriver
#define PoCallDriver(Device, Irp) XferpVfCallDriver((Device), (Irp), TRUE, XFER_SITE)
#undef ProbeForRead
#define ProbeForRead(Address, Length, Alignment) \
    XferpVfProbe((PVOID)(Address), (Length), (Alignment), FALSE, XFER_SITE)
#undef ProbeForWrite
#define ProbeForWrite(Address, Length, Alignment) \
    XferpVfProbe((Address), (Length), (Alignment), TRUE, XFER_SITE)
#endif

#else   /* !XFER_VERIFIER: nothing is checked, everything compiles away */

#define XFER_VERIFY(Holds, Rule) ((BOOLEAN)TRUE)
#define XferpVfStart(RegistryPath) ((VOID)(RegistryPath))
#define XferpVfStop() ((VOID)0)
#define XferpVfDeviceRemoved(Device) ((VOID)(Device))
#define XferpVfSetOwner(Block, Device) ((VOID)(Block), (VOID)(Device))
#define XferpVfIrpIn(Irp) ((VOID)(Irp))
#define XferpVfIrpRemoveLocked(Irp) ((VOID)(Irp))
#define XferpVfIrpHoldsRemoveLock(Irp) ((BOOLEAN)TRUE)
#define XferpVfIrqlAtMost(Irql) ((BOOLEAN)TRUE)
#define XferpVfStoreLockHeld(Exclusive) ((BOOLEAN)FALSE)

#endif /* XFER_VERIFIER */
#endif /* XFER_VERIFY_H */
