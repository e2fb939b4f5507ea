/* SPDX-License-Identifier: MIT */
/*
 * Large Neither transfers with one copy: the caller's pages locked and
 * mapped into system space, as the I/O manager does for Direct I/O.
 *
 * Below XFER_LOCK_THRESHOLD a user-mode Neither buffer goes through a
 * bounce buffer (transfer.c): a second copy of a few KiB costs less than
 * building, locking and mapping an MDL (on a real kernel a 4 KiB Direct
 * request cost 1.9 times a Buffered one, all of it the mapping). From the
 * threshold up the second copy costs more than the mapping (at 1 MiB a
 * Neither request through the bounce buffer cost what a Buffered one did,
 * 1.6 times a Direct one), so the pages are locked here, outside the store
 * lock (locking may fault pages in, and raises on a bad page), and the
 * store copies straight to or from their system mapping under its lock,
 * where nothing can fault. docs/design.md gives the figures.
 *
 * Any failure (no MDL, a page that cannot be locked for this access, no
 * system address space to map) undoes what was done and returns FALSE, and
 * the request takes the bounce path, which probes and copies under __try
 * and refuses a bad pointer with STATUS_ACCESS_VIOLATION. Wine 8's
 * MmProbeAndLockPages does nothing and its MmMapLockedPagesSpecifyCache
 * returns NULL, so there every large request comes here, fails to map,
 * unlocks, frees the MDL and is served by the bounce path.
 *
 * PASSIVE_LEVEL, in the requestor's context (buffers.c checked it). Holds
 * no lock.
 */
#include "xfer_driver.h"

#define XFER_LOCK_THRESHOLD (64u * 1024u)

BOOLEAN XferpLockUserBuffer(const XFER_BUFFER *Buffer, BOOLEAN DeviceWrites,
                            PXFER_LOCKED Locked)
{
    ULONG Priority = NormalPagePriority | MdlMappingNoExecute;
    PMDL Mdl;

    Locked->Mdl = NULL;
    Locked->Address = NULL;
    if (!Buffer->IsUserAddress || Buffer->Length < XFER_LOCK_THRESHOLD)
        return FALSE;
    Mdl = IoAllocateMdl(Buffer->Address, Buffer->Length, FALSE, FALSE, NULL);
    if (Mdl == NULL)
        return FALSE;
    if (!NT_SUCCESS(XferpLockUserPages(Mdl, DeviceWrites)))
        goto out_free;
    /* The source of a write is mapped read-only, as buffers.c maps an MDL. */
    if (!DeviceWrites)
        Priority |= MdlMappingNoWrite;
    Locked->Address = MmGetSystemAddressForMdlSafe(Mdl, Priority);
    if (Locked->Address == NULL)
        goto out_unlock;
    Locked->Mdl = Mdl;
    return TRUE;

out_unlock:
    MmUnlockPages(Mdl);
out_free:
    IoFreeMdl(Mdl);
    return FALSE;
}

VOID XferpUnlockUserBuffer(PXFER_LOCKED Locked)
{
    MmUnlockPages(Locked->Mdl);   /* also removes the system mapping */
    IoFreeMdl(Locked->Mdl);
    Locked->Mdl = NULL;
    Locked->Address = NULL;
}
