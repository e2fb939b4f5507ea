/* SPDX-License-Identifier: MIT */
/*
 * How pending waits end when their handle or the driver ends.
 *
 * On Windows, IRP_MJ_CLEANUP comes when the last handle to a file object
 * closes, and the driver must complete that file object's pending requests
 * then (CLOSE waits for them). Wine sends no CLEANUP and sends CLOSE even
 * while requests pend. So both call one teardown, which marks the handle
 * record (under Waiters.Lock, so a wait racing it is refused rather than
 * queued for a handle that is gone) and cancels its waits; a second call
 * finds the mark and has nothing left to do.
 *
 * Handle records are nonpaged: they are read under a spin lock.
 */
#include "xfer_driver.h"

NTSTATUS XferpOpenHandle(PXFER_DEVICE_EXTENSION Extension, PFILE_OBJECT FileObject)
{
    XFER_WAITERS *Waiters = &Extension->Context->Waiters;
    PXFER_HANDLE Handle;
    NTSTATUS Status = STATUS_SUCCESS;
    KIRQL Irql;

    if (FileObject == NULL)
        return STATUS_SUCCESS;   /* nothing to track, nor to wait on */
    Handle = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*Handle), XFER_POOL_TAG);
    if (Handle == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlZeroMemory(Handle, sizeof(*Handle));
    XferpVfSetOwner(Handle, Extension);   /* the verifier build: must be gone at REMOVE_DEVICE */
    Handle->FileObject = FileObject;
    Handle->Device = Extension;

    KeAcquireSpinLock(&Waiters->Lock, &Irql);
    if (Waiters->Stopping) {
        Status = STATUS_DELETE_PENDING;
    } else {
        InsertTailList(&Waiters->Handles, &Handle->Link);
        FileObject->FsContext = Handle;
    }
    KeReleaseSpinLock(&Waiters->Lock, Irql);
    if (!NT_SUCCESS(Status))
        ExFreePoolWithTag(Handle, XFER_POOL_TAG);
    return Status;
}

VOID XferpTearDownHandle(PXFER_CONTEXT Context, PFILE_OBJECT FileObject)
{
    XFER_WAITERS *Waiters = &Context->Waiters;
    PXFER_HANDLE Handle;
    LIST_ENTRY Ready;
    KIRQL Irql;

    if (FileObject == NULL)
        return;
    InitializeListHead(&Ready);
    /* The record is read under the lock: DriverUnload may free it. */
    KeAcquireSpinLock(&Waiters->Lock, &Irql);
    Handle = FileObject->FsContext;
    if (Handle != NULL && !Handle->TornDown) {
        Handle->TornDown = TRUE;
        XferpTakeIrpsLocked(Waiters, FileObject, &Ready);
    }
    KeReleaseSpinLock(&Waiters->Lock, Irql);
    XferpCompleteWaiters(Context, &Ready, NULL);
}

/*
 * An FDO's removal (pnp.c), PASSIVE_LEVEL: every handle open on the device
 * is torn down as CLEANUP would, so its pending waits complete now, with
 * STATUS_CANCELLED, and no new wait is queued on it; a pending wait holds
 * no remove lock, and would otherwise outlive the device. The records
 * themselves go at REMOVE_DEVICE (XferpForgetHandles), before the FDO is
 * deleted.
 */
VOID XferpTearDownDevice(PXFER_DEVICE_EXTENSION Extension)
{
    XFER_WAITERS *Waiters = &Extension->Context->Waiters;
    PLIST_ENTRY Entry;
    LIST_ENTRY Ready;
    ULONG Handles = 0;
    KIRQL Irql;

    InitializeListHead(&Ready);
    KeAcquireSpinLock(&Waiters->Lock, &Irql);
    for (Entry = Waiters->Handles.Flink; Entry != &Waiters->Handles; Entry = Entry->Flink) {
        PXFER_HANDLE Handle = CONTAINING_RECORD(Entry, XFER_HANDLE, Link);

        if (Handle->Device != Extension || Handle->TornDown)
            continue;
        Handle->TornDown = TRUE;
        XferpTakeIrpsLocked(Waiters, Handle->FileObject, &Ready);
        Handles++;
    }
    KeReleaseSpinLock(&Waiters->Lock, Irql);
    if (Handles != 0)
        XferpTrace(Extension, "Remove: %lu handles torn down", Handles);
    XferpCompleteWaiters(Extension->Context, &Ready, NULL);
}

/*
 * Forgets the handle records of one device (Extension), or of every device
 * (NULL): each record is unlinked, its file object's FsContext cleared,
 * and the record freed. Returns how many went. PASSIVE_LEVEL.
 *
 * A record must not outlive its device under Wine: once the device is
 * deleted, Wine sends no CLOSE for its file objects and frees them when
 * their handles close (IRP_CALL_FREE), so a record left behind would point
 * at freed memory. At REMOVE_DEVICE, before the FDO is deleted, every one
 * of its file objects is still alive: a handle closed before then had its
 * CLOSE run, which CLOSE always does, and took its record away. On
 * Windows CLOSE still comes to the removed device later, and finds no
 * record (FsContext NULL), which it takes as nothing to do.
 */
ULONG XferpForgetHandles(PXFER_CONTEXT Context, PXFER_DEVICE_EXTENSION Extension)
{
    XFER_WAITERS *Waiters = &Context->Waiters;
    PLIST_ENTRY Entry, Next;
    LIST_ENTRY Gone;
    ULONG Forgotten = 0;
    KIRQL Irql;

    InitializeListHead(&Gone);
    KeAcquireSpinLock(&Waiters->Lock, &Irql);
    for (Entry = Waiters->Handles.Flink; Entry != &Waiters->Handles; Entry = Next) {
        PXFER_HANDLE Handle = CONTAINING_RECORD(Entry, XFER_HANDLE, Link);

        Next = Entry->Flink;
        if (Extension != NULL && Handle->Device != Extension)
            continue;
        Handle->FileObject->FsContext = NULL;
        RemoveEntryList(Entry);
        InsertTailList(&Gone, Entry);
    }
    KeReleaseSpinLock(&Waiters->Lock, Irql);
    while (!IsListEmpty(&Gone)) {
        ExFreePoolWithTag(CONTAINING_RECORD(RemoveHeadList(&Gone), XFER_HANDLE, Link),
                          XFER_POOL_TAG);
        Forgotten++;
    }
    return Forgotten;
}

ULONG XferpOpenHandles(PXFER_CONTEXT Context)
{
    XFER_WAITERS *Waiters = &Context->Waiters;
    PLIST_ENTRY Entry;
    ULONG Count = 0;
    KIRQL Irql;

    KeAcquireSpinLock(&Waiters->Lock, &Irql);
    for (Entry = Waiters->Handles.Flink; Entry != &Waiters->Handles; Entry = Entry->Flink)
        Count++;
    KeReleaseSpinLock(&Waiters->Lock, Irql);
    return Count;
}

VOID XferpCloseHandle(PXFER_CONTEXT Context, PFILE_OBJECT FileObject)
{
    XFER_WAITERS *Waiters = &Context->Waiters;
    PXFER_HANDLE Handle;
    KIRQL Irql;

    if (FileObject == NULL)
        return;
    XferpTearDownHandle(Context, FileObject);
    /* A wait of this handle that is being cancelled right now may still be
     * on the list: its cancel routine unlinks it and never looks at the
     * handle record. */
    KeAcquireSpinLock(&Waiters->Lock, &Irql);
    Handle = FileObject->FsContext;
    if (Handle != NULL) {
        RemoveEntryList(&Handle->Link);
        FileObject->FsContext = NULL;
    }
    KeReleaseSpinLock(&Waiters->Lock, Irql);
    if (Handle != NULL)
        ExFreePoolWithTag(Handle, XFER_POOL_TAG);
}

/*
 * DriverUnload, PASSIVE_LEVEL. On Windows the I/O manager unloads a legacy
 * driver only once no file object is open, so every wait has ended by
 * CLEANUP already; Wine calls DriverUnload (on a thread of its own) while
 * handles are open and waits pend, so the driver ends them itself: every
 * waiter completes with STATUS_CANCELLED before anything is freed, and a
 * cancel routine already running is waited for, since it still uses the
 * context. What no driver can close on its own is the last instructions of
 * that routine after it signals: the I/O manager's unload rules cover them
 * on Windows.
 */
VOID XferpStopWaiters(PXFER_CONTEXT Context)
{
    XFER_WAITERS *Waiters = &Context->Waiters;
    LIST_ENTRY Ready;
    ULONG Handles;
    KIRQL Irql;

    InitializeListHead(&Ready);
    KeAcquireSpinLock(&Waiters->Lock, &Irql);
    Waiters->Stopping = TRUE;
    XferpTakeIrpsLocked(Waiters, NULL, &Ready);
    KeReleaseSpinLock(&Waiters->Lock, Irql);
    XferpCompleteWaiters(Context, &Ready, NULL);

    /* Drops the bias XferpWaitersStart set: from here the completer that
     * takes the count to 0 wakes this wait. */
    if (InterlockedDecrement(&Waiters->Outstanding) != 0) {
        XferpTraceDriver(Context, "DriverUnload: waiting for cancel routines to finish");
        KeWaitForSingleObject(&Waiters->Drained, Executive, KernelMode, FALSE, NULL);
    }

    /* Handles still open on a device that is not removed (under Wine
     * only): no CLOSE will reach this driver for them, so their records go
     * now. Those of removed devices went with their devices. */
    Handles = XferpForgetHandles(Context, NULL);
    if (Handles != 0)
        XferpTraceDriver(Context, "DriverUnload: %lu handles still open", Handles);
}
