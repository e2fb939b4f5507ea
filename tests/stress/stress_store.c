/* SPDX-License-Identifier: MIT */
/*
 * Concurrency stress test of the store under the driver's locking
 * discipline (tests/stress/store_lock.h), built with ThreadSanitizer.
 *
 * THREADS threads share one store and a fixed set of RANGES ranges, each
 * RANGE_CHUNKS chunks long and starting on a chunk boundary (some across a
 * leaf's or a level-2 node's edge). Each thread loops, until a deadline,
 * over random operations:
 *   - write a whole range, every 4-byte word of it the writer's stamp
 *     (thread id << 24 | sequence number), under the exclusive lock;
 *   - read a whole range under the shared lock: it must come back entirely
 *     zero or entirely one stamp, of a thread that had begun that write;
 *   - size and info under the shared lock (generation never goes back);
 *   - set_size (never below the last range's end), zero and remove under
 *     the exclusive lock;
 *   - the limit and check_read/check_write with no lock, as the driver does.
 * Size only ever is 0, a range's end or at least the last range's end, so a
 * read returns all of its range or nothing. The ranges are checked once more
 * at the end, and the store must account for exactly what it holds.
 *
 *   stress_store [--seconds S]       run every case, S seconds each
 *                                    (default 3, or $STRESS_SECONDS)
 *   stress_store --unlocked-reads    the control: readers skip the lock;
 *                                    ThreadSanitizer must report a race
 *
 * Prints "PASS name" or "FAIL name: why" per case, then "N passed, N failed".
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_lock.h"
#include "xfer_store.h"

#define THREADS 8
#define RANGES 8
#define RANGE_CHUNKS 3u
#define LIMIT ((uint64_t)1 << 31)
#define SEQ_MASK 0xFFFFFFu

/* First chunk of each range: edges of leaves (512 chunks) and of a
 * level-2 node (262144 chunks) fall inside some of them. */
static const uint64_t range_chunk[RANGES] = { 0, 7, 509, 1000, 1534, 2046,
                                              262142, 300000 };

struct shared {
    struct xfer_store store;
    struct store_lock lock;
    uint64_t live_bytes;       /* allocator's count; exclusive lock */
    uint64_t start[RANGES];
    size_t range_len;
    uint64_t end;              /* end of the last range */
    int unlocked_reads;        /* the control: readers take no lock */
    struct timespec deadline;
    _Atomic uint32_t begun[THREADS];   /* stamps each thread has begun */
    _Atomic int failed;
    char why[256];             /* first failure; written once */
};

struct worker {
    struct shared *sh;
    pthread_t thread;
    uint32_t id;               /* 1..THREADS: 0 is no stamp */
    uint64_t rng;
    uint8_t *buf;
    uint64_t reads, stamped, writes, others;
};

static void *stress_alloc(void *ctx, size_t bytes)
{
    struct shared *sh = ctx;
    void *block = malloc(bytes);

    if (block != NULL)
        sh->live_bytes += bytes;
    return block;
}

static void stress_free(void *ctx, void *block, size_t bytes)
{
    struct shared *sh = ctx;

    sh->live_bytes -= bytes;
    free(block);
}

static void fail(struct shared *sh, const char *fmt, unsigned long long a,
                 unsigned long long b)
{
    int expected = 0;

    if (atomic_compare_exchange_strong(&sh->failed, &expected, 1))
        snprintf(sh->why, sizeof(sh->why), fmt, a, b);
}

static uint64_t next_random(struct worker *w)
{
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    return w->rng;
}

static int past(const struct timespec *deadline)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline->tv_sec ||
           (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

static uint32_t word_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* 0 when buf is all zeros or all one stamp that its writer had begun. */
static int check_range(struct shared *sh, const uint8_t *buf, int range)
{
    uint32_t stamp = word_at(buf), id = stamp >> 24;
    size_t i;

    for (i = 4; i < sh->range_len; i += 4) {
        if (word_at(buf + i) != stamp) {
            fail(sh, "range %llu torn at byte %llu", (unsigned long long)range,
                 (unsigned long long)i);
            return -1;
        }
    }
    if (stamp == 0)
        return 0;
    if (id < 1 || id > THREADS || (stamp & SEQ_MASK) == 0 ||
        (stamp & SEQ_MASK) > atomic_load(&sh->begun[id - 1])) {
        fail(sh, "range %llu holds a stamp never written: 0x%llx",
             (unsigned long long)range, (unsigned long long)stamp);
        return -1;
    }
    return 1;
}

static void do_read(struct worker *w, int range)
{
    struct shared *sh = w->sh;
    size_t done = 0;
    xfer_status st;
    int stamped;

    if (!sh->unlocked_reads)
        store_lock_shared(&sh->lock);
    st = xfer_store_read(&sh->store, sh->start[range], w->buf, sh->range_len, &done);
    if (!sh->unlocked_reads)
        store_lock_release(&sh->lock);
    w->reads++;
    if (st != XFER_OK || (done != 0 && done != sh->range_len)) {
        fail(sh, "read returned %llu, %llu bytes", (unsigned long long)st,
             (unsigned long long)done);
        return;
    }
    stamped = done != 0 ? check_range(sh, w->buf, range) : 0;
    w->stamped += stamped > 0;
}

static void do_write(struct worker *w, int range)
{
    struct shared *sh = w->sh;
    uint32_t seq = (atomic_load(&sh->begun[w->id - 1]) + 1u) & SEQ_MASK;
    uint32_t stamp = w->id << 24 | (seq != 0 ? seq : 1u);
    xfer_status st;
    size_t i;

    /* Published before the write, so any reader that sees it finds it. */
    atomic_store(&sh->begun[w->id - 1], stamp & SEQ_MASK);
    for (i = 0; i < sh->range_len; i += 4) {
        w->buf[i] = (uint8_t)stamp;
        w->buf[i + 1] = (uint8_t)(stamp >> 8);
        w->buf[i + 2] = (uint8_t)(stamp >> 16);
        w->buf[i + 3] = (uint8_t)(stamp >> 24);
    }
    store_lock_exclusive(&sh->lock);
    st = xfer_store_write(&sh->store, sh->start[range], w->buf, sh->range_len);
    store_lock_release(&sh->lock);
    w->writes++;
    if (st != XFER_OK)
        fail(sh, "write of range %llu: status %llu", (unsigned long long)range,
             (unsigned long long)st);
}

static void do_other(struct worker *w, uint64_t r, uint64_t *last_generation)
{
    struct shared *sh = w->sh;
    struct xfer_store_info info;
    uint64_t size;

    w->others++;
    if (r < 50) {
        store_lock_shared(&sh->lock);
        size = xfer_store_size(&sh->store);
        xfer_store_get_info(&sh->store, &info);
        store_lock_release(&sh->lock);
        if (info.size != size || info.generation < *last_generation)
            fail(sh, "info: size %llu, generation %llu",
                 (unsigned long long)info.size, (unsigned long long)info.generation);
        *last_generation = info.generation;
        return;
    }
    store_lock_exclusive(&sh->lock);
    if (r < 80) {
        if (xfer_store_set_size(&sh->store, sh->end + next_random(w) % 100000u) != XFER_OK)
            fail(sh, "set_size failed", 0, 0);
    } else if (r < 95) {
        xfer_store_zero(&sh->store);
    } else {
        xfer_store_remove(&sh->store);
    }
    store_lock_release(&sh->lock);
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    uint64_t last_generation = 0, n;

    for (n = 0; atomic_load(&sh->failed) == 0; n++) {
        uint64_t r = next_random(w) % 1000u;
        int range = (int)(next_random(w) % RANGES);

        if ((n & 63u) == 0 && past(&sh->deadline))
            break;
        /* What the driver asks before it takes the lock. */
        if (xfer_store_limit(&sh->store) != LIMIT ||
            xfer_store_check_write(&sh->store, sh->start[range], sh->range_len) != XFER_OK ||
            xfer_store_check_read(&sh->store, sh->start[range], sh->range_len) != XFER_OK)
            fail(sh, "unlocked checks refuse range %llu", (unsigned long long)range, 0);
        if (r < 550)
            do_read(w, range);
        else if (r < 900 || sh->unlocked_reads)
            do_write(w, range);
        else
            do_other(w, r - 900u, &last_generation);
    }
    return NULL;
}

/* Runs one case; returns 1 when it passed. */
static int run_case(uint32_t shift, double seconds, int unlocked_reads)
{
    static struct shared sh;
    struct worker workers[THREADS];
    struct xfer_allocator alloc = { stress_alloc, stress_free, &sh };
    uint64_t reads = 0, stamped = 0, writes = 0, others = 0;
    int i, ok;

    memset(&sh, 0, sizeof(sh));
    sh.unlocked_reads = unlocked_reads;
    sh.range_len = (size_t)RANGE_CHUNKS << shift;
    for (i = 0; i < RANGES; i++)
        sh.start[i] = range_chunk[i] << shift;
    sh.end = sh.start[RANGES - 1] + sh.range_len;
    if (xfer_store_init(&sh.store, &alloc, LIMIT, shift) != XFER_OK)
        abort();
    store_lock_init(&sh.lock);
    clock_gettime(CLOCK_MONOTONIC, &sh.deadline);
    sh.deadline.tv_sec += (time_t)seconds;
    sh.deadline.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
    if (sh.deadline.tv_nsec >= 1000000000L) {
        sh.deadline.tv_sec++;
        sh.deadline.tv_nsec -= 1000000000L;
    }
    for (i = 0; i < THREADS; i++) {
        workers[i] = (struct worker){ .sh = &sh, .id = (uint32_t)i + 1u,
                                      .rng = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1),
                                      .buf = malloc(sh.range_len) };
        if (workers[i].buf == NULL ||
            pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0)
            abort();
    }
    for (i = 0; i < THREADS; i++) {
        pthread_join(workers[i].thread, NULL);
        reads += workers[i].reads;
        stamped += workers[i].stamped;
        writes += workers[i].writes;
        others += workers[i].others;
    }
    /* Alone now: every range whole, memory accounted for, then freed. */
    for (i = 0; i < RANGES && atomic_load(&sh.failed) == 0; i++) {
        size_t done = 0;

        if (xfer_store_read(&sh.store, sh.start[i], workers[0].buf, sh.range_len,
                            &done) != XFER_OK)
            fail(&sh, "final read of range %llu", (unsigned long long)i, 0);
        else if (done != 0)
            (void)check_range(&sh, workers[0].buf, i);
    }
    if (sh.store.bytes_allocated != sh.live_bytes)
        fail(&sh, "bytes_allocated %llu, allocator holds %llu",
             (unsigned long long)sh.store.bytes_allocated,
             (unsigned long long)sh.live_bytes);
    xfer_store_destroy(&sh.store);
    if (sh.live_bytes != 0)
        fail(&sh, "%llu bytes leaked", (unsigned long long)sh.live_bytes, 0);
    if (stamped == 0 || writes == 0)
        fail(&sh, "no read saw a write (%llu reads, %llu writes)",
             (unsigned long long)reads, (unsigned long long)writes);
    store_lock_destroy(&sh.lock);
    for (i = 0; i < THREADS; i++)
        free(workers[i].buf);

    ok = atomic_load(&sh.failed) == 0;
    printf("%s stress_chunk_shift_%u%s: %d threads, %.1f s: %llu reads (%llu of a "
           "stamp), %llu writes, %llu size/info/set_size/zero/remove%s%s\n",
           ok ? "PASS" : "FAIL", shift, unlocked_reads ? "_unlocked_reads" : "",
           THREADS, seconds, (unsigned long long)reads, (unsigned long long)stamped,
           (unsigned long long)writes, (unsigned long long)others,
           ok ? "" : ": ", ok ? "" : sh.why);
    fflush(stdout);
    return ok;
}

int main(int argc, char **argv)
{
    const char *env = getenv("STRESS_SECONDS");
    double seconds = env != NULL ? atof(env) : 3.0;
    int unlocked = 0, passed = 0, failed = 0, i;
    static const uint32_t shifts[] = { 12, 4 };

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--unlocked-reads") == 0)
            unlocked = 1;
        else {
            fprintf(stderr, "usage: %s [--seconds S] [--unlocked-reads]\n", argv[0]);
            return 2;
        }
    }
    if (seconds <= 0)
        seconds = 3.0;
    if (unlocked)
        return run_case(12, seconds, 1) ? 0 : 1;
    for (i = 0; i < (int)(sizeof(shifts) / sizeof(shifts[0])); i++) {
        if (run_case(shifts[i], seconds, 0))
            passed++;
        else
            failed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
