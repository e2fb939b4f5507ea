/* SPDX-License-Identifier: MIT */
/*
 * What the portable store needs from the kernel: memory, a reader/writer
 * lock, and the one mapping of its status codes to NTSTATUS.
 */
#include "xfer_driver.h"

/*
 * Store memory is paged pool: it is touched only at PASSIVE_LEVEL (dispatch
 * routines of a top-level device, under an ERESOURCE, never under a spin
 * lock), so it need not be resident. Nothing here zeroes: the store zeroes
 * exactly what it needs.
 */
static void *XferpStoreAlloc(void *Ctx, size_t Bytes)
{
    PXFER_CONTEXT Context = Ctx;
    void *Block = ExAllocatePoolWithTag(PagedPool, Bytes, XFER_POOL_TAG);

    if (Block != NULL)
        XferpInterlockedAdd64(&Context->PoolBytes, (LONG64)Bytes);
    return Block;
}

static void XferpStoreFree(void *Ctx, void *Block, size_t Bytes)
{
    PXFER_CONTEXT Context = Ctx;

    XferpInterlockedAdd64(&Context->PoolBytes, -(LONG64)Bytes);
    ExFreePoolWithTag(Block, XFER_POOL_TAG);
}

VOID XferpInitializeAllocator(PXFER_CONTEXT Context, struct xfer_allocator *Allocator)
{
    Allocator->alloc = XferpStoreAlloc;
    Allocator->free = XferpStoreFree;
    Allocator->ctx = Context;
}

NTSTATUS XferpStatusFromStore(xfer_status Status)
{
    switch (Status) {
    case XFER_OK:            return STATUS_SUCCESS;
    case XFER_ERR_INVALID:   return STATUS_INVALID_PARAMETER;
    case XFER_ERR_FULL:      return STATUS_DISK_FULL;
    case XFER_ERR_NO_MEMORY: return STATUS_INSUFFICIENT_RESOURCES;
    }
    return STATUS_INTERNAL_ERROR;
}

/* The lock is an ERESOURCE: readers share it, writers own it alone, and
 * waiting for it sleeps instead of spinning. Normal kernel APCs are off
 * while it is held, so the holder cannot be suspended with it. PASSIVE or
 * APC_LEVEL. */
VOID XferpLockShared(PXFER_CONTEXT Context)
{
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(&Context->StoreLock, TRUE);
}

VOID XferpLockExclusive(PXFER_CONTEXT Context)
{
    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(&Context->StoreLock, TRUE);
}

VOID XferpUnlock(PXFER_CONTEXT Context)
{
    ExReleaseResourceLite(&Context->StoreLock);
    KeLeaveCriticalRegion();
}

/* The change is published while the store lock is still held, so waiters
 * learn of changes in the order they were made; the waiters it wakes are
 * completed after every lock is dropped. A call that failed left the
 * generation alone, and then nobody is woken. */
VOID XferpUnlockChanged(PXFER_CONTEXT Context, ULONG Kind, ULONG64 Offset, ULONG64 Length)
{
    struct xfer_change Change;
    LIST_ENTRY Ready;

    InitializeListHead(&Ready);
    /* The change was made under the lock; checked here, where every path
     * that changes the store publishes its change. */
    (VOID)XFER_VERIFY(XferpVfStoreLockHeld(TRUE),
                      "the store is changed only with its lock held exclusive");
    XferpTakeWaiters(Context, Kind, Offset, Length, &Ready, &Change);
    XferpUnlock(Context);
    XferpCompleteWaiters(Context, &Ready, &Change);
}
