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

#define XFER_POOL_TAG ((ULONG)'X' | ((ULONG)'f' << 8) | ((ULONG)'e' << 16) | ((ULONG)'r' << 24))

#ifndef MdlMappingNoExecute
#define MdlMappingNoExecute 0x40000000   /* not in every DDK header set */
#endif

/* The transfer mechanism a device object was created with. */
typedef enum _XFER_DEVICE_KIND {
    XferKindBuffered = 0,
    XferKindDirect,
    XferKindNeither,
    XferKindCount
} XFER_DEVICE_KIND;

/*
 * Driver-wide state: the one store every device and handle shares.
 * Nonpaged: it holds the ERESOURCE. Readers hold StoreLock shared, anything
 * that changes the store holds it exclusive; no caller memory is ever
 * touched and no spin lock is ever held while it is owned.
 */
typedef struct _XFER_CONTEXT {
    ERESOURCE StoreLock;
    struct xfer_store Store;
    volatile LONG64 PoolBytes;      /* store memory now allocated: 0 at unload */
    PDEVICE_OBJECT Devices[XferKindCount];
    BOOLEAN StoreLockReady;
} XFER_CONTEXT, *PXFER_CONTEXT;

typedef struct _XFER_DEVICE_EXTENSION {
    PXFER_CONTEXT Context;
    XFER_DEVICE_KIND Kind;
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

/* entry.c */
DRIVER_INITIALIZE DriverEntry;

/* device.c: creation and deletion of the three device objects. */
NTSTATUS XferpCreateDevices(PDRIVER_OBJECT DriverObject, PXFER_CONTEXT Context);
VOID XferpDeleteDevices(PXFER_CONTEXT Context);
PCSTR XferpKindName(XFER_DEVICE_KIND Kind);

/* dispatch_create.c */
DRIVER_DISPATCH XferDispatchCreate;
DRIVER_DISPATCH XferDispatchCleanup;
DRIVER_DISPATCH XferDispatchClose;

/* dispatch_rw.c */
DRIVER_DISPATCH XferDispatchRead;
DRIVER_DISPATCH XferDispatchWrite;

/* dispatch_ioctl.c */
DRIVER_DISPATCH XferDispatchDeviceControl;

/* buffers.c: the caller's buffer of a READ/WRITE IRP for each mechanism. */
NTSTATUS XferpGetReadWriteBuffer(PXFER_DEVICE_EXTENSION Extension, PIRP Irp,
                                 ULONG Length, PXFER_BUFFER Buffer);

/* transfer.c: the one read path and the one write path of every request. */
NTSTATUS XferpTransferRead(PXFER_CONTEXT Context, LONGLONG Offset,
                           PXFER_BUFFER Buffer, PULONG BytesRead);
NTSTATUS XferpTransferWrite(PXFER_CONTEXT Context, LONGLONG Offset,
                            PXFER_BUFFER Buffer);

/* probe.c: the only code that touches a user-mode address. */
NTSTATUS XferpCopyFromUser(PVOID Destination, const VOID *UserSource, SIZE_T Length);
NTSTATUS XferpCopyToUser(PVOID UserDestination, const VOID *Source, SIZE_T Length);

/* store_glue.c: the store's allocator, lock and status mapping. */
VOID XferpInitializeAllocator(PXFER_CONTEXT Context, struct xfer_allocator *Allocator);
NTSTATUS XferpStatusFromStore(xfer_status Status);
VOID XferpLockShared(PXFER_CONTEXT Context);
VOID XferpLockExclusive(PXFER_CONTEXT Context);
VOID XferpUnlock(PXFER_CONTEXT Context);

/* trace.c: one line per request and per result, Listing 7.1 style. */
VOID XferpTrace(PXFER_DEVICE_EXTENSION Extension, PCSTR Format, ...);
VOID XferpTraceDriver(PCSTR Format, ...);

/* Completes the IRP once and returns the status it completed with. */
NTSTATUS XferpCompleteRequest(PIRP Irp, NTSTATUS Status, ULONG_PTR Information);

#endif /* XFER_DRIVER_H */
