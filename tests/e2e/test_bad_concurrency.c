/* SPDX-License-Identifier: MIT */
/*
 * Concurrency: requests from several threads, each on its own handle, on
 * different devices and through different paths, see each other whole.
 *  - Writers fill one range (across a chunk boundary) with one stamp per
 *    write; every read of the range returns a single stamp.
 *  - A thread empties, refills, truncates and extends the store while
 *    others read it: every read sees one of the states the store went
 *    through, never a mixture.
 * (Counters under concurrency: test_ioctl_stats_exact_under_concurrency.)
 */
#include <stdlib.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define RANGE_OFFSET (E2E_CHUNK - 3000u)
#define RANGE_LENGTH 6000u
#define ROUNDS 300
#define RESIZE_LENGTH 70000u   /* past one chunk; half of it ends mid-chunk */

/* Thread results: 0, or what went wrong. */
#define BAD_OPEN 1
#define BAD_ERROR 2
#define BAD_MIXTURE 3
#define BAD_SIZE 4

/* Round i of a thread, with its handle and a buffer of its own: 0 or a
 * BAD_ result. */
struct actor;
typedef DWORD (*actor_round)(const struct actor *a, HANDLE h, int i, uint8_t *buffer);

struct actor {
    int id;
    int writer;   /* writers run ROUNDS rounds; the others, until they are done */
    xfer_mechanism device;
    volatile LONG *writers_left;
    actor_round round;
    size_t buffer_size;
};

static int uniform(const uint8_t *bytes, size_t length, uint8_t value)
{
    size_t i;

    for (i = 0; i < length; i++)
        if (bytes[i] != value)
            return 0;
    return 1;
}

static DWORD WINAPI run_actor(void *arg)
{
    struct actor *a = arg;
    uint8_t *buffer = malloc(a->buffer_size);
    DWORD result = BAD_OPEN;
    HANDLE h;
    int i;

    if (buffer != NULL && xfer_open(a->device, GENERIC_READ | GENERIC_WRITE, &h) == 0) {
        result = 0;
        for (i = 0; result == 0 && (a->writer ? i < ROUNDS : *a->writers_left > 0); i++)
            result = a->round(a, h, i, buffer);
        CloseHandle(h);
    }
    if (a->writer)
        InterlockedDecrement(a->writers_left);   /* whatever happened: the readers stop */
    free(buffer);
    return result;
}

/* Starts `count` actors, the first `writers` of them writers, on devices
 * in turn; 0 when every one of them saw what it should. */
static DWORD run_actors(int count, int writers, actor_round round, size_t buffer_size)
{
    struct actor actors[4];
    volatile LONG writers_left = writers;
    int t;

    for (t = 0; t < count; t++) {
        actors[t].id = t;
        actors[t].writer = t < writers;
        actors[t].device = (xfer_mechanism)(t % XFER_MECHANISM_COUNT);
        actors[t].writers_left = &writers_left;
        actors[t].round = round;
        actors[t].buffer_size = buffer_size;
    }
    return e2e_run_threads((unsigned)count, run_actor, actors, sizeof(actors[0]));
}

/* Writers stamp the range whole, through every path in turn; readers
 * find one stamp in it. */
static DWORD stamp_round(const struct actor *a, HANDLE h, int i, uint8_t *buffer)
{
    enum e2e_path path = (enum e2e_path)((i + a->id) % E2E_PATH_COUNT);
    DWORD done;

    if (a->writer) {
        memset(buffer, (a->id << 6) | (i % 63 + 1), RANGE_LENGTH);
        return e2e_write_via(h, path, RANGE_OFFSET, buffer, RANGE_LENGTH) ? BAD_ERROR : 0;
    }
    if (e2e_read_via(h, path, RANGE_OFFSET, buffer, RANGE_LENGTH, &done) != ERROR_SUCCESS ||
        done != RANGE_LENGTH)
        return BAD_ERROR;
    return uniform(buffer, RANGE_LENGTH, buffer[0]) ? 0 : BAD_MIXTURE;
}

TEST(test_bad_concurrency_reads_see_whole_writes)
{
    static uint8_t initial[RANGE_LENGTH];
    HANDLE h;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
    memset(initial, 0xEE, sizeof(initial));
    ASSERT_EQ(e2e_write_via(h, E2E_PATH_FILE, RANGE_OFFSET, initial, sizeof(initial)), 0);
    ASSERT_EQ(run_actors(4, 2, stamp_round, RANGE_LENGTH), 0);
    CloseHandle(h);
}

/* One round of the resizer: empty, refill with a stamp, cut in half,
 * extend again with zeros. */
static DWORD resize_round(HANDLE h, enum e2e_path path, uint8_t stamp, uint8_t *buffer)
{
    DWORD error = xfer_remove(h);

    memset(buffer, stamp, RESIZE_LENGTH);
    if (error == ERROR_SUCCESS)
        error = e2e_write_via(h, path, 0, buffer, RESIZE_LENGTH);
    if (error == ERROR_SUCCESS)
        error = xfer_set_size(h, RESIZE_LENGTH / 2);
    if (error == ERROR_SUCCESS)
        error = xfer_set_size(h, RESIZE_LENGTH);
    return error;
}

/* What a reader may see: nothing; the first half stamped; or the whole
 * length, first half stamped and second half all that stamp or all zero. */
static DWORD check_snapshot(const uint8_t *bytes, DWORD done)
{
    const DWORD half = RESIZE_LENGTH / 2;

    if (done != 0 && done != half && done != RESIZE_LENGTH)
        return BAD_SIZE;
    if (done == 0)
        return 0;
    if (bytes[0] == 0 || !uniform(bytes, half, bytes[0]))
        return BAD_MIXTURE;
    if (done == RESIZE_LENGTH && !uniform(bytes + half, half, bytes[0]) &&
        !uniform(bytes + half, half, 0))
        return BAD_MIXTURE;
    return 0;
}

/* The resizer goes round; readers read the whole length or ask the size. */
static DWORD resize_round_or_read(const struct actor *a, HANDLE h, int i, uint8_t *buffer)
{
    enum e2e_path path = (enum e2e_path)((i + a->id) % E2E_PATH_COUNT);
    uint64_t size;
    DWORD done;

    if (a->writer)
        return resize_round(h, path, (uint8_t)(i % 255 + 1), buffer) ? BAD_ERROR : 0;
    if (i % 4 == 3) {
        if (xfer_get_size(h, &size) != ERROR_SUCCESS)
            return BAD_ERROR;
        return size == 0 || size == RESIZE_LENGTH / 2 || size == RESIZE_LENGTH ? 0 : BAD_SIZE;
    }
    if (e2e_read_via(h, path, 0, buffer, RESIZE_LENGTH, &done) != ERROR_SUCCESS)
        return BAD_ERROR;
    return check_snapshot(buffer, done);
}

TEST(test_bad_concurrency_resize_and_remove_racing_reads)
{
    HANDLE h;

    /* The readers may run before the resizer's first round: start them
     * from one of the states they accept. */
    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &h), ERROR_SUCCESS);
    ASSERT_EQ(xfer_remove(h), ERROR_SUCCESS);
    CloseHandle(h);
    ASSERT_EQ(run_actors(3, 1, resize_round_or_read, RESIZE_LENGTH), 0);
}
