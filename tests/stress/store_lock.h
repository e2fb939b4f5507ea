/* SPDX-License-Identifier: MIT */
/*
 * The driver's locking discipline around the store, on pthreads.
 *
 * driver/store_glue.c guards the one store with an ERESOURCE: shared for
 * xfer_store_read, xfer_store_size and xfer_store_get_info, exclusive for
 * every call that changes the store (write, set_size, zero, remove); the
 * limit and the check_read/check_write answers are read with no lock. A
 * pthread rwlock has the same shape: many readers or one writer.
 */
#ifndef STORE_LOCK_H
#define STORE_LOCK_H

#include <pthread.h>

struct store_lock {
    pthread_rwlock_t rw;
};

void store_lock_init(struct store_lock *lock);
void store_lock_destroy(struct store_lock *lock);
void store_lock_shared(struct store_lock *lock);     /* XferpLockShared */
void store_lock_exclusive(struct store_lock *lock);  /* XferpLockExclusive */
void store_lock_release(struct store_lock *lock);    /* XferpUnlock */

#endif /* STORE_LOCK_H */
