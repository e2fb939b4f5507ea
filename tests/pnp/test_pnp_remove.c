/* SPDX-License-Identifier: MIT */
/*
 * Removing a device while requests run on it: the removal finishes (no
 * hang), the requests on it end with an error, later opens fail, and the
 * other two devices serve on, over the same store. Then reinstalling, and
 * uninstalling, which leaves no service, no node and no driver file; and
 * an installation from an INF with another MaxSize. Run after
 * test_pnp_install's tests.
 */
#include <process.h>
#include <stdio.h>
#include <string.h>
#include "pnp.h"

#define WORKERS 3
#define WORKER_SPAN 65536u

struct worker {
    HANDLE device;
    unsigned index;
    volatile LONG *stop;
    unsigned long done;   /* round trips that succeeded */
    DWORD error;          /* the first failure, which ends the worker */
};

static unsigned __stdcall hammer(void *argument)
{
    struct worker *worker = argument;
    uint64_t offset = 4u * 1024 * 1024 + (uint64_t)worker->index * WORKER_SPAN;

    while (!InterlockedCompareExchange(worker->stop, 0, 0)) {
        DWORD error = pnp_round_trip(worker->device, worker->device, offset, 4096,
                                     (unsigned)worker->done + 1);

        if (error != ERROR_SUCCESS) {
            worker->error = error;
            break;
        }
        worker->done++;
    }
    return 0;
}

struct pending_wait {
    HANDLE device;   /* overlapped, through the interface */
    struct xfer_wait wait;
};

/* Starts an IOCTL_XFER_WAIT_CHANGE that pends until the store changes. */
static void start_wait(xfer_mechanism mechanism, struct pending_wait *pending)
{
    struct xfer_info info;

    ASSERT_EQ(xfer_open_overlapped(mechanism, GENERIC_READ, &pending->device), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_info(pending->device, &info), ERROR_SUCCESS);
    ASSERT_EQ(xfer_wait_start(pending->device, info.generation, &pending->wait), ERROR_IO_PENDING);
}

/* How a request on a removed device ends: the driver refuses it with
 * STATUS_DELETE_PENDING (ERROR_ACCESS_DENIED) from the moment removal
 * begins; once the device object is deleted, Windows still routes it to
 * the driver, which refuses it the same way, but Wine has no device to
 * send it to and fails it itself with ERROR_INVALID_FUNCTION. */
static int refused_as_removed(DWORD error)
{
    return error == ERROR_ACCESS_DENIED || error == ERROR_INVALID_FUNCTION;
}

static void test_pnp_remove_while_requests_run(void)
{
    wchar_t path[XFER_INTERFACE_PATH_MAX];
    /* Static: a failed assertion returns while the workers still run. */
    static struct worker workers[WORKERS];
    static volatile LONG stop;
    HANDLE threads[WORKERS], device, buffered, direct;
    unsigned char byte;
    unsigned nodes, w;
    DWORD wait, done, late;

    ASSERT_EQ(xfer_interface_path(XFER_NEITHER, path, XFER_INTERFACE_PATH_MAX), ERROR_SUCCESS);
    ASSERT_EQ(pnp_open(XFER_BUFFERED, &buffered), ERROR_SUCCESS);
    ASSERT_EQ(pnp_open(XFER_DIRECT, &direct), ERROR_SUCCESS);
    ASSERT_EQ(pnp_round_trip(buffered, direct, 0, 1000, 7), ERROR_SUCCESS);
    for (w = 0; w < WORKERS; w++) {
        memset(&workers[w], 0, sizeof(workers[w]));
        workers[w].index = w;
        workers[w].stop = &stop;
        ASSERT_EQ(xfer_open_path(path, GENERIC_READ | GENERIC_WRITE, &workers[w].device),
                  ERROR_SUCCESS);
    }
    for (w = 0; w < WORKERS; w++) {
        threads[w] = (HANDLE)_beginthreadex(NULL, 0, hammer, &workers[w], 0, NULL);
        ASSERT_TRUE(threads[w] != NULL);
    }
    /* Let every worker get requests through before the removal. */
    for (w = 0; w < WORKERS; w++)
        while (workers[w].done == 0 && workers[w].error == 0)
            Sleep(1);

    ASSERT_EQ(xfer_pnp_remove(XFER_NEITHER), ERROR_SUCCESS);
    ASSERT_EQ(pnp_wait_interfaces(XFER_NEITHER, 0), 0);
    /* The workers' handles are on a removed device: their requests fail
     * from now on, and each worker stops at its first failure. A worker
     * still going after a generous while is a hang. */
    wait = WaitForMultipleObjects(WORKERS, threads, TRUE, 60000);
    InterlockedExchange(&stop, 1);
    if (wait == WAIT_TIMEOUT)
        WaitForMultipleObjects(WORKERS, threads, TRUE, INFINITE);
    for (w = 0; w < WORKERS; w++)
        CloseHandle(threads[w]);
    ASSERT_TRUE(wait != WAIT_TIMEOUT);
    late = xfer_read_at(workers[0].device, 0, &byte, 1, &done);
    for (w = 0; w < WORKERS; w++) {
        printf("worker %u: %lu round trips, then error %lu\n", w, workers[w].done,
               workers[w].error);
        CloseHandle(workers[w].device);
    }
    for (w = 0; w < WORKERS; w++)
        ASSERT_TRUE(refused_as_removed(workers[w].error));
    ASSERT_TRUE(refused_as_removed(late));

    /* Later opens fail cleanly, by interface and by the old path. */
    ASSERT_EQ(pnp_open(XFER_NEITHER, &device), ERROR_FILE_NOT_FOUND);
    ASSERT_TRUE(xfer_open_path(path, GENERIC_READ, &device) != ERROR_SUCCESS);
    ASSERT_EQ(xfer_pnp_node_count(&nodes), ERROR_SUCCESS);
    ASSERT_EQ(nodes, 2);

    /* The other two serve on, on the handles they had and on new ones. */
    ASSERT_EQ(pnp_round_trip(direct, buffered, 100, 3000, 8), ERROR_SUCCESS);
    CloseHandle(buffered);
    CloseHandle(direct);
    ASSERT_EQ(pnp_open(XFER_BUFFERED, &buffered), ERROR_SUCCESS);
    ASSERT_EQ(pnp_open(XFER_DIRECT, &direct), ERROR_SUCCESS);
    ASSERT_EQ(pnp_round_trip(buffered, direct, 200000, 3000, 9), ERROR_SUCCESS);
    CloseHandle(buffered);
    CloseHandle(direct);
}

/* The store is the driver's, not a device's: what was written before the
 * Neither device went is there when it comes back. */
static void test_pnp_remove_reinstall_brings_the_device_back(void)
{
    unsigned char bytes[16], again[16];
    HANDLE buffered, neither;
    unsigned nodes;
    DWORD done;

    ASSERT_EQ(pnp_open(XFER_BUFFERED, &buffered), ERROR_SUCCESS);
    memcpy(bytes, "still here 0123", sizeof(bytes));
    ASSERT_EQ(xfer_write_at(buffered, 9000000, bytes, sizeof(bytes), &done), ERROR_SUCCESS);
    CloseHandle(buffered);

    ASSERT_EQ(xfer_pnp_install(PNP_INF), ERROR_SUCCESS);
    ASSERT_EQ(xfer_pnp_node_count(&nodes), ERROR_SUCCESS);
    ASSERT_EQ(nodes, 3);
    ASSERT_EQ(pnp_wait_interfaces(XFER_NEITHER, 1), 1);
    ASSERT_EQ(pnp_wait_interfaces(XFER_BUFFERED, 1), 1);
    ASSERT_EQ(pnp_open(XFER_NEITHER, &neither), ERROR_SUCCESS);
    ASSERT_EQ(xfer_read_at(neither, 9000000, again, sizeof(again), &done), ERROR_SUCCESS);
    CloseHandle(neither);
    ASSERT_EQ(done, sizeof(again));
    ASSERT_TRUE(memcmp(bytes, again, sizeof(bytes)) == 0);
}

/* A wait pending on a device that is removed ends (STATUS_CANCELLED): it
 * holds no remove lock, so the removal ends it rather than waiting for it.
 * A wait on another device stays, and sees the next change. */
static void test_pnp_remove_ends_the_device_waits(void)
{
    struct pending_wait removed, kept;
    struct xfer_change change;
    HANDLE buffered;
    DWORD done;

    start_wait(XFER_NEITHER, &removed);
    UNIT_RETURN_IF_FAILED();
    start_wait(XFER_BUFFERED, &kept);
    UNIT_RETURN_IF_FAILED();

    ASSERT_EQ(xfer_pnp_remove(XFER_NEITHER), ERROR_SUCCESS);
    ASSERT_EQ(xfer_wait_finish(removed.device, &removed.wait, 1, NULL), ERROR_OPERATION_ABORTED);
    CloseHandle(removed.device);

    ASSERT_EQ(xfer_wait_finish(kept.device, &kept.wait, 0, NULL), ERROR_IO_INCOMPLETE);
    ASSERT_EQ(pnp_open(XFER_BUFFERED, &buffered), ERROR_SUCCESS);
    ASSERT_EQ(xfer_write_at(buffered, 12345, "x", 1, &done), ERROR_SUCCESS);
    CloseHandle(buffered);
    ASSERT_EQ(xfer_wait_finish(kept.device, &kept.wait, 1, &change), ERROR_SUCCESS);
    ASSERT_EQ_U64(change.offset, 12345);
    ASSERT_EQ_U64(change.length, 1);
    CloseHandle(kept.device);
}

/* Waits cancelled by their caller while their device is removed. The
 * removal and the cancel race for each wait; whichever takes it, the wait
 * ends once, aborted, and the removal deletes the FDO only after a cancel
 * routine still completing one of its waits has finished. The Direct
 * device goes; Buffered serves on. */
#define RACED_WAITS 64

struct raced_waits {
    struct pending_wait waits[RACED_WAITS];
    unsigned cancelled;   /* waits the canceller found still pending */
};

/* Spreads the cancels over the removal's time, a millisecond apart. */
static unsigned __stdcall cancel_waits(void *argument)
{
    struct raced_waits *raced = argument;
    unsigned i;

    for (i = 0; i < RACED_WAITS; i++) {
        if (xfer_wait_cancel(raced->waits[i].device, &raced->waits[i].wait) == ERROR_SUCCESS)
            raced->cancelled++;
        Sleep(1);
    }
    return 0;
}

static void test_pnp_remove_while_waits_are_cancelled(void)
{
    /* Static: a failed assertion returns while the canceller still runs. */
    static struct raced_waits raced;
    HANDLE canceller, buffered;
    unsigned i, nodes;

    memset(&raced, 0, sizeof(raced));
    for (i = 0; i < RACED_WAITS; i++) {
        start_wait(XFER_DIRECT, &raced.waits[i]);
        UNIT_RETURN_IF_FAILED();
    }
    canceller = (HANDLE)_beginthreadex(NULL, 0, cancel_waits, &raced, 0, NULL);
    ASSERT_TRUE(canceller != NULL);
    ASSERT_EQ(xfer_pnp_remove(XFER_DIRECT), ERROR_SUCCESS);
    WaitForSingleObject(canceller, INFINITE);
    CloseHandle(canceller);
    printf("%u of %u waits cancelled by their caller, the rest by the removal\n",
           raced.cancelled, RACED_WAITS);
    for (i = 0; i < RACED_WAITS; i++) {
        ASSERT_EQ(xfer_wait_finish(raced.waits[i].device, &raced.waits[i].wait, 1, NULL),
                  ERROR_OPERATION_ABORTED);
        CloseHandle(raced.waits[i].device);
    }
    ASSERT_EQ(pnp_wait_interfaces(XFER_DIRECT, 0), 0);
    /* Buffered alone is left: Neither went in the test before. */
    ASSERT_EQ(xfer_pnp_node_count(&nodes), ERROR_SUCCESS);
    ASSERT_EQ(nodes, 1);
    ASSERT_EQ(pnp_open(XFER_BUFFERED, &buffered), ERROR_SUCCESS);
    ASSERT_EQ(pnp_round_trip(buffered, buffered, 300000, 2000, 10), ERROR_SUCCESS);
    CloseHandle(buffered);
}

static void test_pnp_remove_uninstall_leaves_nothing(void)
{
    wchar_t image[MAX_PATH];
    unsigned nodes = 99, count = 99;
    DWORD state;
    HANDLE device;
    int m;

    ASSERT_EQ(xfer_pnp_uninstall(), ERROR_SUCCESS);
    ASSERT_EQ(xfer_pnp_node_count(&nodes), ERROR_SUCCESS);
    ASSERT_EQ(nodes, 0);
    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        ASSERT_EQ(xfer_interface_count((xfer_mechanism)m, &count), ERROR_SUCCESS);
        ASSERT_EQ(count, 0);
        ASSERT_EQ(xfer_open((xfer_mechanism)m, GENERIC_READ, &device), ERROR_FILE_NOT_FOUND);
    }
    ASSERT_EQ(xfer_service_status(&state), ERROR_SERVICE_DOES_NOT_EXIST);
    ASSERT_TRUE(GetSystemDirectoryW(image, MAX_PATH) != 0);
    wcscat(image, L"\\drivers\\xfer.sys");
    ASSERT_TRUE(GetFileAttributesW(image) == INVALID_FILE_ATTRIBUTES);
    ASSERT_EQ(xfer_pnp_uninstall(), ERROR_SERVICE_DOES_NOT_EXIST);
}

/* In this order: each step starts from where the one before left off. */
static const struct pnp_step steps[] = {
    { "test_pnp_remove_while_requests_run", test_pnp_remove_while_requests_run },
    { "test_pnp_remove_reinstall_brings_the_device_back", test_pnp_remove_reinstall_brings_the_device_back },
    { "test_pnp_remove_ends_the_device_waits", test_pnp_remove_ends_the_device_waits },
    { "test_pnp_remove_while_waits_are_cancelled", test_pnp_remove_while_waits_are_cancelled },
    { "test_pnp_remove_uninstall_leaves_nothing", test_pnp_remove_uninstall_leaves_nothing },
    { "test_pnp_remove_then_inf_sets_max_size", test_pnp_inf_sets_max_size },
};
PNP_STEPS(steps)
