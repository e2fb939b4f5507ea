/* SPDX-License-Identifier: MIT */
/*
 * The pending IOCTL_XFER_WAIT_CHANGE requests: queued, woken by a change,
 * cancelled, ended with their handle or with the driver. The inverted call.
 *
 * Who owns a queued IRP is decided by one atomic exchange of its cancel
 * routine (IoSetCancelRoutine), never by a flag:
 *   - the waker (a change, a handle's teardown, DriverUnload) holds
 *     Waiters.Lock, swaps the routine for NULL, and takes the IRP off the
 *     list only if it got the routine back; an IRP whose routine is gone is
 *     being cancelled and is left on the list for the cancel routine;
 *   - the cancel routine, called by IoCancelIrp after that routine was
 *     swapped out, takes Waiters.Lock and unlinks the IRP, which is
 *     therefore still on the list.
 * So each IRP is unlinked once, by its owner, and completed once. IRPs are
 * completed only after Waiters.Lock is dropped (moved to a local list
 * first): completion may run other code and must not run at the raised
 * IRQL of a lock that the cancel routine also takes.
 *
 * Nothing here blocks a dispatch routine: under Wine one thread dispatches
 * every request, so a dispatch that waited for another request would wait
 * forever. Only DriverUnload waits, for cancel routines already running.
 */
#include "xfer_driver.h"

static DRIVER_CANCEL XferpCancelWait;

/* With Waiters.Lock held: Irp has just been unlinked from Waiters.Irps.
 * Its handle's record may already be gone (CLOSE of a handle whose wait
 * is being cancelled, or REMOVE_DEVICE), and then there is nothing to
 * count down; the file object itself lives as long as the IRP. */
static VOID XferpWaitUnlinked(XFER_WAITERS *Waiters, PIRP Irp)
{
    PXFER_HANDLE Handle = IoGetCurrentIrpStackLocation(Irp)->FileObject->FsContext;

    Waiters->Pending--;
    if (Handle != NULL)
        Handle->Waits--;
}

VOID XferpWaitersStart(PXFER_CONTEXT Context)
{
    XFER_WAITERS *Waiters = &Context->Waiters;

    KeInitializeSpinLock(&Waiters->Lock);
    InitializeListHead(&Waiters->Irps);
    InitializeListHead(&Waiters->Handles);
    KeInitializeEvent(&Waiters->Drained, NotificationEvent, FALSE);
    Waiters->Outstanding = 1;   /* the bias that DriverUnload drops */
}

VOID XferpTakeIrpsLocked(XFER_WAITERS *Waiters, PFILE_OBJECT FileObject, PLIST_ENTRY Ready)
{
    PLIST_ENTRY Entry, Next;

    for (Entry = Waiters->Irps.Flink; Entry != &Waiters->Irps; Entry = Next) {
        PIRP Irp = CONTAINING_RECORD(Entry, IRP, Tail.Overlay.ListEntry);

        Next = Entry->Flink;
        if (FileObject != NULL && IoGetCurrentIrpStackLocation(Irp)->FileObject != FileObject)
            continue;
        if (IoSetCancelRoutine(Irp, NULL) == NULL)
            continue;   /* being cancelled: the cancel routine unlinks it */
        RemoveEntryList(Entry);
        InsertTailList(Ready, Entry);
        XferpWaitUnlinked(Waiters, Irp);
    }
}

/* The answer to a wait from generation Seen when the store is past it. */
static VOID XferpChangeSince(const XFER_WAITERS *Waiters, ULONG64 Seen, struct xfer_change *Change)
{
    *Change = Waiters->Last;
    if (Seen + 1 == Waiters->Last.generation)
        return;   /* exactly one change since: the last one */
    Change->offset = 0;
    Change->length = 0;
    Change->kind = XFER_CHANGE_MANY;
}

/* Queues Irp unless it can be answered at once. Returns STATUS_PENDING
 * (Irp marked pending and queued: hands off), STATUS_SUCCESS (*Change
 * filled), or an error status; the caller completes the last two. */
static NTSTATUS XferpQueueWait(PXFER_IOCTL_REQUEST Request, ULONG64 Seen,
                               struct xfer_change *Change)
{
    XFER_WAITERS *Waiters = &Request->Context->Waiters;
    PIRP Irp = Request->Irp;
    PFILE_OBJECT FileObject = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    PXFER_HANDLE Handle;
    NTSTATUS Status;
    KIRQL Irql;

    /* Whoever completes the IRP traces and counts it on its device. */
    Irp->Tail.Overlay.DriverContext[0] = Request->Extension;
    KeAcquireSpinLock(&Waiters->Lock, &Irql);
    /* Read under the lock: teardown.c changes and frees records under it. */
    Handle = FileObject != NULL ? FileObject->FsContext : NULL;
    if (Handle == NULL) {
        Status = STATUS_INVALID_DEVICE_REQUEST;   /* no file object of ours to end it with */
    } else if (Waiters->Stopping || Handle->TornDown) {
        Status = STATUS_CANCELLED;
    } else if (Seen != Waiters->Last.generation) {
        XferpChangeSince(Waiters, Seen, Change);
        Status = STATUS_SUCCESS;
    } else if (Handle->Waits >= XFER_MAX_WAITS_PER_HANDLE) {
        /* Each pending wait holds an IRP and its buffer in nonpaged pool:
         * one handle may not hold them without bound. */
        Status = STATUS_QUOTA_EXCEEDED;
    } else {
        IoSetCancelRoutine(Irp, XferpCancelWait);
        if (Irp->Cancel && IoSetCancelRoutine(Irp, NULL) != NULL) {
            /* Cancelled before the routine was set, and still ours. */
            Status = STATUS_CANCELLED;
        } else {
            /* If the routine is already gone, IoCancelIrp is calling it:
             * it waits for this lock and then unlinks the IRP. */
            IoMarkIrpPending(Irp);
            InsertTailList(&Waiters->Irps, &Irp->Tail.Overlay.ListEntry);
            Waiters->Pending++;
            Handle->Waits++;
            InterlockedIncrement(&Waiters->Outstanding);
            InterlockedIncrement(&Request->Extension->WaitsHeld);
            Status = STATUS_PENDING;
        }
    }
    KeReleaseSpinLock(&Waiters->Lock, Irql);
    return Status;
}

/* IRP_MJ_DEVICE_CONTROL's handler. PASSIVE_LEVEL. METHOD_BUFFERED: the
 * input is captured before anything is written to the shared buffer. */
NTSTATUS XferpIoctlWaitChange(PXFER_IOCTL_REQUEST Request, PULONG_PTR Information)
{
    struct xfer_wait_change Input;
    struct xfer_change Change;
    NTSTATUS Status;

    if (Request->InputLength != sizeof(Input))
        return STATUS_INVALID_PARAMETER;
    RtlCopyMemory(&Input, Request->SystemBuffer, sizeof(Input));
    if (Input.reserved != 0)
        return STATUS_INVALID_PARAMETER;
    if (Request->OutputLength < sizeof(Change))
        return STATUS_BUFFER_TOO_SMALL;

    Status = XferpQueueWait(Request, Input.generation, &Change);
    if (Status == STATUS_SUCCESS) {
        RtlCopyMemory(Request->SystemBuffer, &Change, sizeof(Change));
        *Information = sizeof(Change);
    }
    return Status;
}

VOID XferpTakeWaiters(PXFER_CONTEXT Context, ULONG Kind, ULONG64 Offset, ULONG64 Length,
                      PLIST_ENTRY Ready, struct xfer_change *Change)
{
    XFER_WAITERS *Waiters = &Context->Waiters;
    struct xfer_store_info Info;
    KIRQL Irql;

    /* The store lock is held exclusive: the generation and size are those
     * this change left, and no other change can publish meanwhile, so the
     * waiters see changes in the order the store made them. */
    xfer_store_get_info(&Context->Store, &Info);
    RtlZeroMemory(Change, sizeof(*Change));
    KeAcquireSpinLock(&Waiters->Lock, &Irql);
    if (Info.generation != Waiters->Last.generation) {
        Change->generation = Info.generation;
        Change->offset = Offset;
        Change->length = Length;
        Change->size = Info.size;
        Change->kind = Kind;
        Waiters->Last = *Change;
        XferpTakeIrpsLocked(Waiters, NULL, Ready);
    }
    KeReleaseSpinLock(&Waiters->Lock, Irql);
}

VOID XferpCompleteWaiters(PXFER_CONTEXT Context, PLIST_ENTRY Ready,
                          const struct xfer_change *Change)
{
    XFER_WAITERS *Waiters = &Context->Waiters;

    while (!IsListEmpty(Ready)) {
        PIRP Irp = CONTAINING_RECORD(RemoveHeadList(Ready), IRP, Tail.Overlay.ListEntry);
        PXFER_DEVICE_EXTENSION Extension = Irp->Tail.Overlay.DriverContext[0];
        NTSTATUS Status = Change != NULL ? STATUS_SUCCESS : STATUS_CANCELLED;
        ULONG_PTR Information = Change != NULL ? sizeof(*Change) : 0;

        /* Every use of the device and of the driver's data comes first:
         * once the two holds below are dropped, REMOVE_DEVICE may delete
         * the device and DriverUnload free the context. The completion
         * touches the IRP alone, and is the last thing done with it. */
        if (Change != NULL) {
            RtlCopyMemory(Irp->AssociatedIrp.SystemBuffer, Change, sizeof(*Change));
            XferpTrace(Extension, "WaitChange: generation %llu, kind %lu, %llu bytes at offset %llu",
                       (unsigned long long)Change->generation, (ULONG)Change->kind,
                       (unsigned long long)Change->length, (unsigned long long)Change->offset);
        } else {
            XferpTrace(Extension, "WaitChange: cancelled");
        }
        XferpCountRequest(Extension, XFER_PATH_IOCTL_CONTROL, Status, Information);
        /* The device's hold first: the context outlives the device. */
        if (InterlockedDecrement(&Extension->WaitsHeld) == 0)
            KeSetEvent(&Extension->WaitsDone, IO_NO_INCREMENT, FALSE);
        /* Outstanding carries a bias of 1 that DriverUnload drops
         * (XferpStopWaiters): it reaches 0 only once unload has begun, and
         * then exactly one completer sees it and wakes unload. Nothing of
         * Waiters is read after the decrement. */
        if (InterlockedDecrement(&Waiters->Outstanding) == 0)
            KeSetEvent(&Waiters->Drained, IO_NO_INCREMENT, FALSE);
        XferpCompleteRequest(Irp, Status, Information);
    }
}

/* Called by IoCancelIrp at DISPATCH_LEVEL with the cancel spin lock held,
 * after it took this routine out of the IRP: the IRP is ours alone and
 * still on the list. The cancel spin lock is released first, so that it is
 * never held together with Waiters.Lock. */
static VOID NTAPI XferpCancelWait(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PXFER_DEVICE_EXTENSION Extension = Irp->Tail.Overlay.DriverContext[0];
    XFER_WAITERS *Waiters = &Extension->Context->Waiters;
    LIST_ENTRY Ready;
    KIRQL Irql;

    UNREFERENCED_PARAMETER(DeviceObject);
    IoReleaseCancelSpinLock(Irp->CancelIrql);
    KeAcquireSpinLock(&Waiters->Lock, &Irql);
    RemoveEntryList(&Irp->Tail.Overlay.ListEntry);
    XferpWaitUnlinked(Waiters, Irp);
    KeReleaseSpinLock(&Waiters->Lock, Irql);

    InitializeListHead(&Ready);
    InsertTailList(&Ready, &Irp->Tail.Overlay.ListEntry);
    XferpCompleteWaiters(Extension->Context, &Ready, NULL);
}

ULONG XferpPendingWaiters(PXFER_CONTEXT Context)
{
    XFER_WAITERS *Waiters = &Context->Waiters;
    ULONG Pending;
    KIRQL Irql;

    KeAcquireSpinLock(&Waiters->Lock, &Irql);
    Pending = Waiters->Pending;
    KeReleaseSpinLock(&Waiters->Lock, Irql);
    return Pending;
}
