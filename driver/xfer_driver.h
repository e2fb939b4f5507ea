/* SPDX-License-Identifier: MIT */
/*
 * xfer.sys internals shared between the driver's files. WDM glue only: the
 * store itself lives in core/ and knows nothing of IRPs.
 */
#ifndef XFER_DRIVER_H
#define XFER_DRIVER_H

/* mingw-w64 defines these two intrinsics twice, in intrin-impl.h (extern
 * inline) and in wdm.h (static inline); clang merges the two into a global
 * definition in every object, which then collide at link time. Keep only
 * the DDK's static one. */
#define __INTRINSIC_DEFINED_InterlockedBitTestAndSet
#define __INTRINSIC_DEFINED_InterlockedBitTestAndReset
#include <ntddk.h>
#include "xfer_store.h"
#include "xfer/ioctl.h"
#include "xfer/pnp.h"
#include "verify.h"   /* the verifier build's checks; nothing without -DXFER_VERIFIER */

#define XFER_POOL_TAG ((ULONG)'X' | ((ULONG)'f' << 8) | ((ULONG)'e' << 16) | ((ULONG)'r' << 24))

#ifndef MdlMappingNoExecute
#define MdlMappingNoExecute 0x40000000   /* not in every DDK header set */
#endif
#ifndef MdlMappingNoWrite
#define MdlMappingNoWrite 0x80000000     /* Windows 8 and later */
#endif

/* The transfer mechanism a device object was created with. */
typedef enum _XFER_DEVICE_KIND {
    XferKindBuffered = 0,
    XferKindDirect,
    XferKindNeither,
    XferKindCount
} XFER_DEVICE_KIND;

/* The ABI (stats, trace records) numbers devices as the kinds are numbered. */
C_ASSERT(XferKindCount == XFER_DEVICE_COUNT);
/* The ABI's layouts, as docs/interface.md gives them, on every target. */
C_ASSERT(sizeof(struct xfer_transfer_header) == 16);
C_ASSERT(sizeof(struct xfer_info) == 72);
C_ASSERT(sizeof(struct xfer_stats) == 648);
C_ASSERT(sizeof(struct xfer_trace_batch) == 16);
C_ASSERT(sizeof(struct xfer_trace_record) == 128);
C_ASSERT(sizeof(struct xfer_trace_read) == 16);
C_ASSERT(sizeof(struct xfer_wait_change) == 16);
C_ASSERT(sizeof(struct xfer_change) == 40);

/* 64-bit counters, updated and read with interlocked operations. On x86
 * these DDK headers have only the compare-exchange intrinsic (cmpxchg8b);
 * the rest are built from it, as the WDK builds them for x86. */
#if defined(_WIN64)
#define XferpInterlockedAdd64(Target, Value) InterlockedExchangeAdd64((Target), (Value))
#define XferpInterlockedExchange64(Target, Value) InterlockedExchange64((Target), (Value))
#define XferpInterlockedRead64(Target) InterlockedCompareExchange64((Target), 0, 0)
#else
#define XferpInterlockedRead64(Target) _InterlockedCompareExchange64((Target), 0, 0)

/* Returns the old value. The first read may tear; the exchange then fails
 * and the loop retries with the value it returned, which is whole. */
static __inline LONG64 XferpInterlockedAdd64(volatile LONG64 *Target, LONG64 Value)
{
    LONG64 Old = *Target, Seen;

    while ((Seen = _InterlockedCompareExchange64(Target, Old + Value, Old)) != Old)
        Old = Seen;
    return Old;
}

static __inline LONG64 XferpInterlockedExchange64(volatile LONG64 *Target, LONG64 Value)
{
    LONG64 Old = *Target, Seen;

    while ((Seen = _InterlockedCompareExchange64(Target, Value, Old)) != Old)
        Old = Seen;
    return Old;
}
#endif

/* The trace ring: the last XFER_TRACE_CAPACITY records (ioctl.h), oldest
 * first from Head; reading leaves them there. Records are formatted
 * outside the lock and copied in whole; the lock is a spin lock because a
 * record may one day come from a DPC, and it covers nothing but these
 * fields and record copies (never caller memory, never an allocation). */
typedef struct _XFER_TRACE_RING {
    KSPIN_LOCK Lock;
    ULONG Head;
    ULONG Count;
    ULONG64 NextSequence;          /* of the next record; the newest is one less */
    LARGE_INTEGER Start;           /* performance counter at DriverEntry */
    LARGE_INTEGER Frequency;
    struct xfer_trace_record Records[XFER_TRACE_CAPACITY];
} XFER_TRACE_RING;

/* Request counters, device x path, updated with interlocked operations
 * when a request completes. */
typedef struct _XFER_STATS {
    volatile LONG64 Requests[XFER_DEVICE_COUNT][XFER_PATH_COUNT];
    volatile LONG64 Bytes[XFER_DEVICE_COUNT][XFER_PATH_COUNT];
    volatile LONG64 Errors[XFER_DEVICE_COUNT][XFER_PATH_COUNT];
} XFER_STATS;

/*
 * The pending IOCTL_XFER_WAIT_CHANGE requests (waiters.c) and the open
 * handles they belong to. Lock is a spin lock because cancel routines run
 * at DISPATCH_LEVEL; it covers these fields only, never an allocation,
 * caller memory or an IRP's completion.
 */
typedef struct _XFER_WAITERS {
    KSPIN_LOCK Lock;
    LIST_ENTRY Irps;          /* pending waits, linked by Irp->Tail.Overlay.ListEntry */
    LIST_ENTRY Handles;       /* XFER_HANDLE of every open file object */
    ULONG Pending;            /* IRPs on Irps: GET_INFO's pending_waiters */
    BOOLEAN Stopping;         /* DriverUnload began: no new waits, no new handles */
    struct xfer_change Last;  /* the latest change; Last.generation is the store's */
    volatile LONG Outstanding;/* waits taken in and not yet completed */
    KEVENT Drained;           /* set when Outstanding, biased by 1 until unload, drops to 0 */
} XFER_WAITERS;

/* One per open file object, at FileObject->FsContext. */
typedef struct _XFER_HANDLE {
    LIST_ENTRY Link;          /* on XFER_WAITERS.Handles */
    PFILE_OBJECT FileObject;
    struct _XFER_DEVICE_EXTENSION *Device;   /* the device it was opened on */
    BOOLEAN TornDown;         /* CLEANUP or CLOSE ran: its waits ended, no new ones */
    ULONG Waits;              /* its IRPs on XFER_WAITERS.Irps: at most XFER_MAX_WAITS_PER_HANDLE */
} XFER_HANDLE, *PXFER_HANDLE;

/*
 * Driver-wide state: the one store every device and handle shares.
 * Nonpaged: it holds the ERESOURCE and the spin locks. Readers hold
 * StoreLock shared, anything that changes the store holds it exclusive; no
 * caller memory is ever touched while it is owned, and the one spin lock
 * taken under it is Waiters.Lock, to publish a change (never the other way
 * round: nothing under Waiters.Lock waits for StoreLock).
 */
/* A bounce buffer (bounce.c): its capacity, then the bytes. */
typedef struct _XFER_BOUNCE {
    SIZE_T Capacity;
    DECLSPEC_ALIGN(16) UCHAR Data[];
} XFER_BOUNCE, *PXFER_BOUNCE;

typedef struct _XFER_CONTEXT {
    ERESOURCE StoreLock;
    struct xfer_store Store;
    volatile LONG64 PoolBytes;      /* store memory now allocated: 0 at unload */
    PDEVICE_OBJECT Devices[XferKindCount];
    BOOLEAN StoreLockReady;
    XFER_STATS Stats;
    XFER_TRACE_RING Trace;
    PXFER_BOUNCE SpareBounce;       /* bounce.c: kept between requests, or NULL */
    XFER_WAITERS Waiters;
} XFER_CONTEXT, *PXFER_CONTEXT;

/*
 * Every device object's extension: a legacy control device (\\.\Xfer*,
 * device.c) or a Plug and Play FDO (fdo.c). Both serve the one
 * driver-wide store. Every request holds RemoveLock while it is dispatched
 * (gate.c); an FDO's REMOVE_DEVICE waits for them with
 * IoReleaseRemoveLockAndWait before it deletes the device.
 */
typedef struct _XFER_DEVICE_EXTENSION {
    PXFER_CONTEXT Context;
    XFER_DEVICE_KIND Kind;
    IO_REMOVE_LOCK RemoveLock;
    PDEVICE_OBJECT LowerDevice;     /* the PDO's stack below an FDO; NULL: legacy */
    UNICODE_STRING InterfaceName;   /* an FDO's device interface (empty if none) */
    BOOLEAN InterfaceEnabled;
    volatile LONG Removing;         /* SURPRISE_REMOVAL or REMOVE_DEVICE has begun */
    volatile LONG RemoveQueried;    /* QUERY_REMOVE accepted, no CANCEL_REMOVE yet */
    /* 1 for the device itself, dropped at REMOVE_DEVICE, plus one per wait
     * queued on it and not yet completed: REMOVE_DEVICE deletes the FDO
     * only once this reaches 0 (WaitsDone), after a cancel routine that
     * took one of its waits has finished with it (waiters.c). */
    volatile LONG WaitsHeld;
    KEVENT WaitsDone;
} XFER_DEVICE_EXTENSION, *PXFER_DEVICE_EXTENSION;

/*
 * A caller's data buffer as one dispatch routine resolved it. IsUserAddress
 * says Address is a user-mode pointer (Neither I/O from a user-mode caller)
 * that only probe.c may touch; otherwise it is a system address.
 */
typedef struct _XFER_BUFFER {
    PVOID Address;
    ULONG Length;
    BOOLEAN IsUserAddress;
} XFER_BUFFER, *PXFER_BUFFER;

/* bounce.c: a buffer of at least Length bytes, or NULL; give it back with
 * XferpBouncePut. XferpBounceDrain frees the one kept (at unload). A read
 * through a bounce buffer goes in pieces of at most XFER_BOUNCE_PIECE. */
#define XFER_BOUNCE_PIECE (1024u * 1024u)
PXFER_BOUNCE XferpBounceGet(PXFER_CONTEXT Context, SIZE_T Length);
VOID XferpBouncePut(PXFER_CONTEXT Context, PXFER_BOUNCE Bounce);
VOID XferpBounceDrain(PXFER_CONTEXT Context);

/* entry.c */
DRIVER_INITIALIZE DriverEntry;
/* The driver-wide state, for AddDevice: set from DriverEntry to unload. */
PXFER_CONTEXT XferpDriverContext(VOID);

/* params.c */
typedef struct _XFER_PARAMETERS {
    ULONG64 MaxSize;
    BOOLEAN SelfTest;
    BOOLEAN PlugAndPlay;   /* installed from xfer.inf: no legacy devices */
} XFER_PARAMETERS, *PXFER_PARAMETERS;
NTSTATUS XferpReadParameters(PUNICODE_STRING RegistryPath, PXFER_PARAMETERS Parameters);

/* selftest.c */
VOID XferpRunSelfTest(PXFER_CONTEXT Context);

/* device.c: creation and deletion of the three device objects. */
NTSTATUS XferpCreateDevices(PDRIVER_OBJECT DriverObject, PXFER_CONTEXT Context);
VOID XferpDeleteDevices(PXFER_CONTEXT Context);
PCSTR XferpKindName(XFER_DEVICE_KIND Kind);
ULONG XferpBufferingFlag(XFER_DEVICE_KIND Kind);
/* Every device's extension starts here: zeroed, its kind, its remove lock. */
VOID XferpInitializeExtension(PXFER_DEVICE_EXTENSION Extension, PXFER_CONTEXT Context,
                              XFER_DEVICE_KIND Kind);

/* security.c: gives Device its security descriptor: the class key's
 * Security value when ClassOverride and there is one, else SYSTEM and
 * Administrators only. *Source names which, and Applied (AppliedSize
 * bytes) gets the DACL read back from the device, as SDDL, for the trace.
 * A failure must fail the device's creation: a device left with the
 * default descriptor would be open to everyone. PASSIVE_LEVEL. */
#define XFER_SDDL_TEXT 64
NTSTATUS XferpSecureDevice(PDEVICE_OBJECT Device, BOOLEAN ClassOverride, PCSTR *Source,
                           PCHAR Applied, SIZE_T AppliedSize);

/* gate.c: the dispatch routine of every request major: takes the device's
 * remove lock (refusing with STATUS_DELETE_PENDING once removal has begun)
 * and calls the major's own routine below. */
DRIVER_DISPATCH XferDispatchGuarded;
/* Whether the device takes new requests: not once removal has begun. */
BOOLEAN XferpDeviceGone(PXFER_DEVICE_EXTENSION Extension);

/* fdo.c: the Plug and Play FDOs. */
DRIVER_ADD_DEVICE XferAddDevice;
VOID XferpSetInterface(PXFER_DEVICE_EXTENSION Extension, BOOLEAN Enable);
/* Disables the interface, detaches, frees and deletes: REMOVE_DEVICE's
 * last step, once no request holds the device. */
VOID XferpDeleteFdo(PDEVICE_OBJECT Fdo);

/* pnp.c */
DRIVER_DISPATCH XferDispatchPnp;

/* pnp_stack.c: passing requests to the PDO's stack below an FDO. */
DRIVER_DISPATCH XferDispatchPower;
DRIVER_DISPATCH XferDispatchSystemControl;
/* Passes Irp down and returns what the lower driver returned; the caller
 * must not touch Irp afterwards. */
NTSTATUS XferpPassDown(PXFER_DEVICE_EXTENSION Extension, PIRP Irp);
/* Sends Irp down and waits until the lower drivers completed it; the IRP
 * is ours again afterwards, to complete. PASSIVE_LEVEL. Waits only for
 * drivers below, never for another request of ours. */
NTSTATUS XferpForwardAndWait(PXFER_DEVICE_EXTENSION Extension, PIRP Irp);
/* Completes Irp with the status and information it already has (a PnP,
 * power or WMI request the FDO has nothing to add to). */
NTSTATUS XferpCompleteAsIs(PIRP Irp);

/* dispatch_create.c */
DRIVER_DISPATCH XferDispatchCreate;
DRIVER_DISPATCH XferDispatchCleanup;
DRIVER_DISPATCH XferDispatchClose;

/* dispatch_rw.c */
DRIVER_DISPATCH XferDispatchRead;
DRIVER_DISPATCH XferDispatchWrite;

/* dispatch_ioctl.c */
DRIVER_DISPATCH XferDispatchDeviceControl;

/* buffers.c: XFER_BUFFERs for each way a request can carry data. A zero
 * Length gives an empty buffer without looking at the pointer or MDL.
 * DeviceWrites: the driver writes the buffer (a read request). */
NTSTATUS XferpGetReadWriteBuffer(PXFER_DEVICE_EXTENSION Extension, PIRP Irp, ULONG Length,
                                 BOOLEAN DeviceWrites, PXFER_BUFFER Buffer);
NTSTATUS XferpBufferFromSystem(PVOID Address, ULONG Length, PXFER_BUFFER Buffer);
NTSTATUS XferpBufferFromMdl(PMDL Mdl, ULONG Length, BOOLEAN DeviceWrites, PXFER_BUFFER Buffer);
/* Neither I/O: a user-mode caller's pointer is accepted only in its
 * sender's context (else STATUS_INVALID_DEVICE_REQUEST) and once its whole
 * range has been probed (else STATUS_ACCESS_VIOLATION). */
NTSTATUS XferpBufferFromCaller(PIRP Irp, PVOID Address, ULONG Length, BOOLEAN DeviceWrites,
                               PXFER_BUFFER Buffer);
NTSTATUS XferpCheckRequestorContext(PIRP Irp);

/* locked.c: a large user-mode buffer's pages locked and mapped, or FALSE
 * (too small, or it could not be done: nothing is then left locked or
 * mapped, and the caller takes the bounce path). */
typedef struct _XFER_LOCKED {
    PMDL Mdl;
    PVOID Address;   /* the pages' system mapping */
} XFER_LOCKED, *PXFER_LOCKED;
BOOLEAN XferpLockUserBuffer(const XFER_BUFFER *Buffer, BOOLEAN DeviceWrites,
                            PXFER_LOCKED Locked);
VOID XferpUnlockUserBuffer(PXFER_LOCKED Locked);

/* transfer.c: the one read path and the one write path of every request. */
NTSTATUS XferpTransferRead(PXFER_CONTEXT Context, LONGLONG Offset,
                           PXFER_BUFFER Buffer, PULONG BytesRead);
NTSTATUS XferpTransferWrite(PXFER_CONTEXT Context, LONGLONG Offset,
                            PXFER_BUFFER Buffer);

/* probe.c: the only code that touches a user-mode address. */
NTSTATUS XferpCopyFromUser(PVOID Destination, const VOID *UserSource, SIZE_T Length);
NTSTATUS XferpCopyToUser(PVOID UserDestination, const VOID *Source, SIZE_T Length);
/* The whole range probed for the access (DeviceWrites: for writing). */
NTSTATUS XferpProbeUser(PVOID UserAddress, SIZE_T Length, BOOLEAN DeviceWrites);
/* MmProbeAndLockPages(Mdl, UserMode, ...) with its exception caught. */
NTSTATUS XferpLockUserPages(PMDL Mdl, BOOLEAN DeviceWrites);
#if !defined(_WIN64)
/* x86/guard.S: calls Routine(Destination, Source, Length) under an x86
 * exception frame; STATUS_SUCCESS when it returns, STATUS_ACCESS_VIOLATION
 * when any exception is raised inside it. */
typedef VOID __cdecl XFER_GUARDED_ROUTINE(PVOID Destination, const VOID *Source, SIZE_T Length);
NTSTATUS __cdecl XferpCallGuarded(XFER_GUARDED_ROUTINE *Routine, PVOID Destination,
                                  const VOID *Source, SIZE_T Length);
#endif

/* store_glue.c: the store's allocator, lock and status mapping. */
VOID XferpInitializeAllocator(PXFER_CONTEXT Context, struct xfer_allocator *Allocator);
NTSTATUS XferpStatusFromStore(xfer_status Status);
VOID XferpLockShared(PXFER_CONTEXT Context);
VOID XferpLockExclusive(PXFER_CONTEXT Context);
VOID XferpUnlock(PXFER_CONTEXT Context);
/* Releases the store lock, held exclusive around a call that may have
 * changed the store, and wakes the waiters when it did: the change is
 * [Offset, Offset + Length) of Kind (enum xfer_change_kind). PASSIVE_LEVEL. */
VOID XferpUnlockChanged(PXFER_CONTEXT Context, ULONG Kind, ULONG64 Offset, ULONG64 Length);

/* waiters.c: IOCTL_XFER_WAIT_CHANGE's pending requests, their cancellation,
 * and the per-handle and driver-wide teardown that ends them. */
VOID XferpWaitersStart(PXFER_CONTEXT Context);
/* With the store lock held exclusive: when the store's generation moved,
 * records the change in *Change and moves every waiter it can take to
 * Ready (an initialised list). DISPATCH_LEVEL or below. */
VOID XferpTakeWaiters(PXFER_CONTEXT Context, ULONG Kind, ULONG64 Offset, ULONG64 Length,
                      PLIST_ENTRY Ready, struct xfer_change *Change);
/* Completes every IRP on Ready, with *Change (NULL: STATUS_CANCELLED). No
 * lock held. <= DISPATCH_LEVEL. */
VOID XferpCompleteWaiters(PXFER_CONTEXT Context, PLIST_ENTRY Ready,
                          const struct xfer_change *Change);
ULONG XferpPendingWaiters(PXFER_CONTEXT Context);
/* teardown.c: the handle records there are, on all devices: GET_INFO's
 * open_handles (what keeps a legacy driver loaded on Windows). */
ULONG XferpOpenHandles(PXFER_CONTEXT Context);
/* With Waiters.Lock held: moves to Ready every queued IRP of FileObject
 * (NULL: of every file object) whose cancel routine can still be taken. */
VOID XferpTakeIrpsLocked(XFER_WAITERS *Waiters, PFILE_OBJECT FileObject, PLIST_ENTRY Ready);

/* teardown.c: the ends of handles and of the driver. CREATE puts a
 * handle record at FileObject->FsContext. CLEANUP (Windows) and CLOSE
 * (Wine sends only CLOSE, possibly while the handle's waits pend) end the
 * handle's waits, once however often called; CLOSE then frees the record.
 * PASSIVE_LEVEL. */
NTSTATUS XferpOpenHandle(PXFER_DEVICE_EXTENSION Extension, PFILE_OBJECT FileObject);
VOID XferpTearDownHandle(PXFER_CONTEXT Context, PFILE_OBJECT FileObject);
VOID XferpCloseHandle(PXFER_CONTEXT Context, PFILE_OBJECT FileObject);
/* An FDO's removal: tears down every handle open on it (its waits end with
 * STATUS_CANCELLED, no new ones are queued). */
VOID XferpTearDownDevice(PXFER_DEVICE_EXTENSION Extension);
/* Frees the handle records of one device (NULL: of all), clearing their
 * FsContext: at REMOVE_DEVICE, before the FDO goes, and at DriverUnload.
 * Returns how many. */
ULONG XferpForgetHandles(PXFER_CONTEXT Context, PXFER_DEVICE_EXTENSION Extension);
/* DriverUnload: completes every waiter with STATUS_CANCELLED, waits for
 * cancel routines still running, frees the handle records left. */
VOID XferpStopWaiters(PXFER_CONTEXT Context);

/* trace.c: one line per request and per result, Listing 7.1 style, to the
 * trace ring and to DbgPrintEx. Any IRQL <= DISPATCH_LEVEL. */
VOID XferpTraceStart(PXFER_CONTEXT Context);
VOID XferpTrace(PXFER_DEVICE_EXTENSION Extension, PCSTR Format, ...);
VOID XferpTraceDriver(PXFER_CONTEXT Context, PCSTR Format, ...);
/* Copies the records after sequence After into Records (Capacity at most),
 * oldest first, leaving the ring as it was; returns how many, and in
 * *Dropped how many records after After were overwritten before this
 * read. *Available: whether any record follows After at all. */
ULONG XferpTraceRead(PXFER_CONTEXT Context, ULONG64 After, struct xfer_trace_record *Records,
                     ULONG Capacity, PULONG64 Dropped, PBOOLEAN Available);

/* stats.c */
VOID XferpCountRequest(PXFER_DEVICE_EXTENSION Extension, enum xfer_path Path,
                       NTSTATUS Status, ULONG_PTR Information);
/* Copies the counters into Snapshot (may be NULL); with Reset, zeroes each
 * as it is read (an increment lands either in the snapshot or after the
 * reset). */
VOID XferpStatsSnapshot(PXFER_CONTEXT Context, struct xfer_stats *Snapshot, BOOLEAN Reset);

/* request.c: the only places an IRP is completed. Information is forced to
 * 0 on an error status. XferpFinishRequest also counts the request. Each
 * returns the status it completed with. */
NTSTATUS XferpCompleteRequest(PIRP Irp, NTSTATUS Status, ULONG_PTR Information);
NTSTATUS XferpFinishRequest(PXFER_DEVICE_EXTENSION Extension, PIRP Irp, enum xfer_path Path,
                            NTSTATUS Status, ULONG_PTR Information);

/* ioctl_*.c: the handlers of IRP_MJ_DEVICE_CONTROL, one per code. */
typedef struct _XFER_IOCTL_REQUEST {
    PXFER_DEVICE_EXTENSION Extension;
    PXFER_CONTEXT Context;
    PIRP Irp;
    PVOID SystemBuffer;      /* METHOD_BUFFERED/DIRECT: the input (and buffered output) */
    PVOID Type3InputBuffer;  /* METHOD_NEITHER: the caller's input pointer */
    ULONG InputLength;
    ULONG OutputLength;
} XFER_IOCTL_REQUEST, *PXFER_IOCTL_REQUEST;

/* Returns a status; sets *Information only on success, never above the
 * output length, and only after writing every byte up to it. */
typedef NTSTATUS XFER_IOCTL_HANDLER(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information);

XFER_IOCTL_HANDLER XferpIoctlZero, XferpIoctlRemove, XferpIoctlGetSize, XferpIoctlGetBuffer;
XFER_IOCTL_HANDLER XferpIoctlSetSize, XferpIoctlGetInfo;
XFER_IOCTL_HANDLER XferpIoctlReadBuffered, XferpIoctlReadDirect, XferpIoctlReadNeither;
XFER_IOCTL_HANDLER XferpIoctlWriteBuffered, XferpIoctlWriteDirect, XferpIoctlWriteNeither;
XFER_IOCTL_HANDLER XferpIoctlGetStats, XferpIoctlResetStats, XferpIoctlReadTrace;
/* May return STATUS_PENDING: the IRP is then marked pending and belongs to
 * waiters.c, which completes it; the dispatch routine must not touch it. */
XFER_IOCTL_HANDLER XferpIoctlWaitChange;

#endif /* XFER_DRIVER_H */
