/* SPDX-License-Identifier: MIT */
/*
 * Pending waits whose owner goes away: a process killed while it waits, a
 * process that exits with waits pending, and the driver stopped with waits
 * pending on open handles (DriverUnload ends every one with
 * STATUS_CANCELLED before it frees anything). Each time the pending count
 * returns to 0 and the driver serves.
 *
 * The waiting process is this very program, started again with
 * CHILD_ARGUMENT: it then waits (on each device), says so on stdout, and
 * either sleeps until killed or exits at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define CHILD_ARGUMENT L"--e2e-wait-child"
#define CHILD_WAITS XFER_MECHANISM_COUNT

/* Child mode: runs before the test runner's main sees the command line. */
static void child_wait(int exit_at_once)
{
    static struct xfer_wait waits[CHILD_WAITS];
    struct xfer_info info;
    HANDLE h;
    int m;

    for (m = 0; m < CHILD_WAITS; m++) {
        if (xfer_open_overlapped((xfer_mechanism)m, GENERIC_READ, &h) != ERROR_SUCCESS ||
            xfer_get_info(h, &info) != ERROR_SUCCESS ||
            xfer_wait_start(h, info.generation, &waits[m]) != ERROR_IO_PENDING)
            ExitProcess(2);
    }
    if (exit_at_once)
        ExitProcess(0);   /* with every wait pending and every handle open */
    Sleep(INFINITE);
}

__attribute__((constructor)) static void maybe_child(void)
{
    const wchar_t *line = GetCommandLineW();
    const wchar_t *at = wcsstr(line, CHILD_ARGUMENT);

    if (at != NULL)
        child_wait(wcsstr(at, L" exit") != NULL);
}

static int start_child(const wchar_t *mode, PROCESS_INFORMATION *child)
{
    wchar_t self[MAX_PATH], line[MAX_PATH * 2];
    STARTUPINFOW startup;

    if (GetModuleFileNameW(NULL, self, MAX_PATH) == 0)
        return 0;
    swprintf(line, sizeof(line) / sizeof(line[0]), L"\"%ls\" %ls %ls", self, CHILD_ARGUMENT,
             mode);
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    return CreateProcessW(self, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, child);
}

TEST(test_wait_exit_child_killed)
{
    PROCESS_INFORMATION child;
    HANDLE h;

    ASSERT_EQ(xfer_open(XFER_BUFFERED, GENERIC_READ, &h), 0);
    ASSERT_EQ(e2e_wait_pending(h, 0), 0);
    ASSERT_TRUE(start_child(L"sleep", &child));
    /* Every wait of the child reached the driver (or the child failed). */
    if (e2e_wait_pending(h, CHILD_WAITS) != ERROR_SUCCESS)
        unit_fail(__FILE__, __LINE__, "the child's %d waits never pended", CHILD_WAITS);
    TerminateProcess(child.hProcess, 9);
    WaitForSingleObject(child.hProcess, INFINITE);
    CloseHandle(child.hProcess);
    CloseHandle(child.hThread);
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ(e2e_wait_pending(h, 0), 0);
    CloseHandle(h);
    e2e_check_no_waiters();
}

TEST(test_wait_exit_child_exits_while_waiting)
{
    PROCESS_INFORMATION child;
    DWORD code = 1;
    HANDLE h;

    ASSERT_EQ(xfer_open(XFER_DIRECT, GENERIC_READ, &h), 0);
    ASSERT_TRUE(start_child(L"exit", &child));
    WaitForSingleObject(child.hProcess, INFINITE);
    GetExitCodeProcess(child.hProcess, &code);
    CloseHandle(child.hProcess);
    CloseHandle(child.hThread);
    ASSERT_EQ(code, 0);   /* its waits all pended before it exited */
    ASSERT_EQ(e2e_wait_pending(h, 0), 0);
    CloseHandle(h);
    e2e_check_no_waiters();
}

/* Waits until the service says it stopped: 0, or ERROR_TIMEOUT after 20 s. */
static DWORD service_stopped(void)
{
    DWORD state = 0;
    int i;

    for (i = 0; i < 200; i++) {
        if (xfer_service_status(&state) == ERROR_SUCCESS && state == SERVICE_STOPPED)
            return ERROR_SUCCESS;
        Sleep(100);
    }
    return ERROR_TIMEOUT;
}

/* Stopping the driver with handles open. Windows does not unload a driver
 * whose device objects are referenced: the stop stays pending (the service
 * library reports an error, never success), the waits go on, and
 * DriverUnload runs once the last handle has closed. Wine calls
 * DriverUnload at once, which ends every wait with ERROR_OPERATION_ABORTED
 * (STATUS_CANCELLED) while the handles are still open. Either way, the
 * driver started again serves, waits included. */
TEST(test_wait_exit_driver_stopped)
{
    struct xfer_wait waits[2 * XFER_MECHANISM_COUNT];
    HANDLE handles[XFER_MECHANISM_COUNT];
    struct xfer_info info;
    DWORD error;
    int m, i;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++)
        ASSERT_EQ(xfer_open_overlapped((xfer_mechanism)m, GENERIC_READ, &handles[m]), 0);
    ASSERT_EQ(xfer_get_info(handles[0], &info), 0);
    for (i = 0; i < 2 * XFER_MECHANISM_COUNT; i++)
        ASSERT_EQ(xfer_wait_start(handles[i % XFER_MECHANISM_COUNT], info.generation, &waits[i]),
                  ERROR_IO_PENDING);
    ASSERT_EQ(e2e_wait_pending(handles[0], 2 * XFER_MECHANISM_COUNT), 0);

    error = xfer_service_stop();
    if (e2e_is_wine()) {
        /* Wine: DriverUnload ran with the handles open and ended the waits. */
        ASSERT_EQ(error, ERROR_SUCCESS);
    } else {
        /* Windows: the driver stays until its handles close; so do the waits. */
        ASSERT_TRUE(error != ERROR_SUCCESS);
        ASSERT_EQ(e2e_wait_pending(handles[0], 2 * XFER_MECHANISM_COUNT), 0);
        for (i = 0; i < 2 * XFER_MECHANISM_COUNT; i++)
            ASSERT_EQ(xfer_wait_cancel(handles[i % XFER_MECHANISM_COUNT], &waits[i]),
                      ERROR_SUCCESS);
    }
    for (i = 0; i < 2 * XFER_MECHANISM_COUNT; i++)
        ASSERT_EQ(xfer_wait_finish(handles[i % XFER_MECHANISM_COUNT], &waits[i], 1, NULL),
                  ERROR_OPERATION_ABORTED);
    for (m = 0; m < XFER_MECHANISM_COUNT; m++)
        CloseHandle(handles[m]);
    /* On Windows the pending stop completes now, the last handle closed. */
    ASSERT_EQ(service_stopped(), ERROR_SUCCESS);

    ASSERT_EQ(xfer_service_start(), ERROR_SUCCESS);
    e2e_check_no_waiters();
}
