/* SPDX-License-Identifier: MIT */
#include "store_lock.h"

#include <stdio.h>
#include <stdlib.h>

/* A lock call that fails leaves the discipline broken: stop at once. */
static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "store_lock: %s failed (%d)\n", what, rc);
        abort();
    }
}

void store_lock_init(struct store_lock *lock)
{
    must(pthread_rwlock_init(&lock->rw, NULL), "init");
}

void store_lock_destroy(struct store_lock *lock)
{
    must(pthread_rwlock_destroy(&lock->rw), "destroy");
}

void store_lock_shared(struct store_lock *lock)
{
    must(pthread_rwlock_rdlock(&lock->rw), "shared acquire");
}

void store_lock_exclusive(struct store_lock *lock)
{
    must(pthread_rwlock_wrlock(&lock->rw), "exclusive acquire");
}

void store_lock_release(struct store_lock *lock)
{
    must(pthread_rwlock_unlock(&lock->rw), "release");
}
