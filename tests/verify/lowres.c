/* SPDX-License-Identifier: MIT */
/*
 * Low resources simulation against the verifier build (driver/verify.h):
 * for each request of a representative set, every fault point it meets
 * is failed in turn (IOCTL_XFER_VERIFY's ARM: the N-th fault point from
 * now fails), and for each N:
 *   - the request fails with STATUS_INSUFFICIENT_RESOURCES
 *     (ERROR_NO_SYSTEM_RESOURCES);
 *   - the store is exactly as before: size, generation and bytes;
 *   - nothing leaks: the driver holds no more pool than before;
 *   - the same request, with no fault, then succeeds.
 * DriverEntry is walked the same way through Parameters\VerifierFailAt and
 * restarts of the service: each start that meets the fault fails, and the
 * next start with none succeeds; then again with the device class's
 * Security value set, which the start reads into pool (security.c).
 * Last, the plain service makes way for the Plug and Play devices
 * (xfer.inf, whose path is the program's argument, beside the verifier
 * build), and AddDevice is walked through the installation of a device
 * node, the fault armed from a device already installed. The driver logs
 * the site of every fault it injects; tests/verify/check compares those
 * with the fault points in the sources.
 *
 *   xfer-lowres.exe INF-PATH
 *
 * Prints one line per fault point and "N passed, N failed".
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "xfer/xfer.h"
#include "xfer/verify.h"
#include "pnp.h"
#include <sddl.h>   /* after windows.h */
#include <setupapi.h>
#include "xfer/pnp.h"   /* before initguid.h: libxfer holds its GUIDs */
#include <devpropdef.h>
#include <initguid.h>   /* DEVPKEY_Device_ProblemCode's storage (selectany) */
#include <devpkey.h>

#define PROBLEM_FAILED_ADD 31u   /* cfgmgr32.h's CM_PROB_FAILED_ADD */

#define STORE_MAX (256u * 1024u)   /* the requests keep the store below this */

static HANDLE control;                          /* \\.\XferBuffered, read and write */
static HANDLE waiter;                           /* \\.\XferBuffered, overlapped */
static int under_wine;
static HANDLE devices[XFER_MECHANISM_COUNT];    /* one per device, read and write */
static unsigned passed, failed, points;
static unsigned char data[16384], back[16384];
/* From 64 KiB up a Neither transfer locks the caller's pages (locked.c). */
static unsigned char large[64 * 1024];
static unsigned round_no;

static void check(int ok, const char *what, const char *request, unsigned k, const char *detail)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAILED: %s, fault point %u: %s%s%s\n", request, k, what,
               detail ? ": " : "", detail ? detail : "");
    }
}

static DWORD verify(uint32_t op, uint32_t fail_at, struct xfer_verify_state *state)
{
    struct xfer_verify_request request = { op, fail_at };
    struct xfer_verify_state ignored;

    return xfer_control(control, IOCTL_XFER_VERIFY, &request, sizeof(request),
                        state ? state : &ignored, sizeof(ignored), NULL);
}

struct snapshot {
    struct xfer_info info;
    struct xfer_verify_state verifier;
    DWORD length;
    unsigned char bytes[STORE_MAX];
};
static struct snapshot before, after;

static DWORD snap(struct snapshot *s)
{
    DWORD error = xfer_get_info(control, &s->info);

    if (error == ERROR_SUCCESS && s->info.size > STORE_MAX)
        error = ERROR_BUFFER_OVERFLOW;
    if (error == ERROR_SUCCESS)
        error = xfer_get_buffer(control, s->bytes, (DWORD)s->info.size, &s->length);
    if (error == ERROR_SUCCESS)
        error = verify(XFER_VERIFY_QUERY, 0, &s->verifier);
    return error;
}

/* --- the representative requests ------------------------------------ */
/* Each changes the store when it succeeds (new bytes each round), so an
 * unchanged store after a failure says something. */

static void fill(void)
{
    size_t i;

    round_no++;
    for (i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 7 + round_no);
}

static DWORD open_close(xfer_mechanism m)
{
    HANDLE h;
    DWORD error = xfer_open(m, GENERIC_READ | GENERIC_WRITE, &h);

    if (error == ERROR_SUCCESS)
        CloseHandle(h);
    return error;
}
static DWORD open_close_buffered(void) { return open_close(XFER_BUFFERED); }
static DWORD open_close_direct(void) { return open_close(XFER_DIRECT); }
static DWORD open_close_neither(void) { return open_close(XFER_NEITHER); }

/* Past the end, into chunks not yet allocated: the store allocates. */
static DWORD write_file(xfer_mechanism m)
{
    DWORD done;
    uint64_t offset = 4096u * (round_no % 16) + 100000u;

    fill();
    return xfer_write_at(devices[m], offset, data, sizeof(data), &done);
}
static DWORD write_buffered(void) { return write_file(XFER_BUFFERED); }
static DWORD write_direct(void) { return write_file(XFER_DIRECT); }
static DWORD write_neither(void) { return write_file(XFER_NEITHER); }

/* A large Neither write: its pages locked and mapped, or, when that
 * fails, the bounce buffer: a fault in the locking is absorbed. */
static DWORD write_neither_large(void)
{
    DWORD done;

    fill();
    memcpy(large, data, sizeof(data));
    return xfer_write_at(devices[XFER_NEITHER], 0, large, sizeof(large), &done);
}

static DWORD read_neither_large(void)
{
    DWORD done;

    return xfer_read_at(devices[XFER_NEITHER], 0, large, sizeof(large), &done);
}

static DWORD read_file(xfer_mechanism m)
{
    DWORD done;

    return xfer_read_at(devices[m], 0, back, sizeof(back), &done);
}
static DWORD read_buffered(void) { return read_file(XFER_BUFFERED); }
static DWORD read_direct(void) { return read_file(XFER_DIRECT); }
static DWORD read_neither(void) { return read_file(XFER_NEITHER); }

static DWORD ioctl_write(xfer_mechanism method)
{
    fill();
    return xfer_ioctl_write(control, method, 60000u + 512u * (round_no % 8), data, 3000);
}
static DWORD ioctl_write_buffered(void) { return ioctl_write(XFER_BUFFERED); }
static DWORD ioctl_write_direct(void) { return ioctl_write(XFER_DIRECT); }
static DWORD ioctl_write_neither(void) { return ioctl_write(XFER_NEITHER); }

static DWORD ioctl_read(xfer_mechanism method)
{
    DWORD done;

    return xfer_ioctl_read(control, method, 0, back, sizeof(back), &done);
}
static DWORD ioctl_read_buffered(void) { return ioctl_read(XFER_BUFFERED); }
static DWORD ioctl_read_direct(void) { return ioctl_read(XFER_DIRECT); }
static DWORD ioctl_read_neither(void) { return ioctl_read(XFER_NEITHER); }

static DWORD set_size_grow(void)
{
    uint64_t size;
    DWORD error = xfer_get_size(control, &size);

    if (error == ERROR_SUCCESS)
        error = xfer_set_size(control, size + 8192 > STORE_MAX ? 4096 : size + 8192);
    return error;
}
static DWORD zero(void) { return xfer_zero(control); }
static DWORD remove_store(void) { return xfer_remove(control); }

/* A wait that pends, then its cancellation (on a handle opened before:
 * the walk is of the wait's own fault points). */
static DWORD wait_cancel(void)
{
    struct xfer_info info;
    struct xfer_wait wait;
    DWORD error = xfer_get_info(control, &info);

    if (error == ERROR_SUCCESS)
        error = xfer_wait_start(waiter, info.generation, &wait);
    if (error == ERROR_IO_PENDING) {
        xfer_wait_cancel(waiter, &wait);
        error = xfer_wait_finish(waiter, &wait, 1, NULL);
        if (error == ERROR_OPERATION_ABORTED)
            error = ERROR_SUCCESS;
    }
    /* The wait changes nothing: a write keeps the walk's store check
     * meaningful. */
    return error == ERROR_SUCCESS ? write_buffered() : error;
}

static const struct request {
    const char *name;
    DWORD (*run)(void);
} requests[] = {
    { "create/close Buffered", open_close_buffered },
    { "create/close Direct", open_close_direct },
    { "create/close Neither", open_close_neither },
    { "WriteFile Buffered", write_buffered },
    { "WriteFile Direct", write_direct },
    { "WriteFile Neither", write_neither },
    { "WriteFile Neither, 64 KiB", write_neither_large },
    { "ReadFile Neither, 64 KiB", read_neither_large },
    { "ReadFile Buffered", read_buffered },
    { "ReadFile Direct", read_direct },
    { "ReadFile Neither", read_neither },
    { "IOCTL write METHOD_BUFFERED", ioctl_write_buffered },
    { "IOCTL write METHOD_IN_DIRECT", ioctl_write_direct },
    { "IOCTL write METHOD_NEITHER", ioctl_write_neither },
    { "IOCTL read METHOD_BUFFERED", ioctl_read_buffered },
    { "IOCTL read METHOD_OUT_DIRECT", ioctl_read_direct },
    { "IOCTL read METHOD_NEITHER", ioctl_read_neither },
    { "SET_SIZE", set_size_grow },
    { "ZERO_BUFFER", zero },
    { "REMOVE_BUFFER", remove_store },
    { "WAIT_CHANGE and its cancellation", wait_cancel },
};

/* Walks every fault point of one request. */
static void walk(const struct request *r)
{
    struct xfer_verify_state state;
    char detail[160];
    unsigned k;

    for (k = 1; k < 1000; k++) {
        DWORD error, again;

        if (snap(&before) != ERROR_SUCCESS || verify(XFER_VERIFY_ARM, k, NULL) != ERROR_SUCCESS) {
            check(0, "could not take the store's state or arm the fault", r->name, k, NULL);
            return;
        }
        error = r->run();
        if (verify(XFER_VERIFY_QUERY, 0, &state) != ERROR_SUCCESS ||
            verify(XFER_VERIFY_ARM, 0, NULL) != ERROR_SUCCESS) {
            check(0, "the verifier did not answer", r->name, k, NULL);
            return;
        }
        if (state.faults == 0) {
            snprintf(detail, sizeof(detail), "error %lu", (unsigned long)error);
            check(error == ERROR_SUCCESS, "succeeds with no fault", r->name, k, detail);
            printf("%s: %u fault points\n", r->name, k - 1);
            return;
        }
        points++;
        snprintf(detail, sizeof(detail), "error %lu at %s", (unsigned long)error, state.fault_site);
        if (error == ERROR_SUCCESS && strncmp(state.fault_site, "driver/locked.c:", 16) == 0) {
            /* Documented (locked.c): a large Neither request whose pages
             * cannot be locked or mapped takes the bounce path. */
            check(1, "", r->name, k, NULL);
            again = r->run();
            snprintf(detail, sizeof(detail), "error %lu", (unsigned long)again);
            check(again == ERROR_SUCCESS, "the next request, with no fault, succeeds", r->name, k, detail);
            printf("ok: %s: fault point %u at %s: absorbed, the bounce path served it\n", r->name, k,
                   state.fault_site);
            continue;
        }
        if (error == ERROR_SUCCESS && under_wine && strncmp(r->name, "create/close", 12) == 0) {
            /* Wine 8 gives the caller a handle even when the driver fails
             * the CREATE; Windows fails CreateFile with the status. */
            printf("note: %s: Wine opened the handle although the driver failed its CREATE\n",
                   r->name);
        } else {
            check(error == ERROR_NO_SYSTEM_RESOURCES, "fails with STATUS_INSUFFICIENT_RESOURCES",
                  r->name, k, detail);
        }
        if (snap(&after) != ERROR_SUCCESS) {
            check(0, "could not take the store's state after", r->name, k, NULL);
            return;
        }
        check(after.info.size == before.info.size && after.info.generation == before.info.generation &&
              after.length == before.length && memcmp(after.bytes, before.bytes, after.length) == 0,
              "leaves the store as it was (size, generation, bytes)", r->name, k, state.fault_site);
        snprintf(detail, sizeof(detail), "%llu blocks, %llu bytes before; %llu, %llu after",
                 (unsigned long long)before.verifier.pool_blocks,
                 (unsigned long long)before.verifier.pool_bytes,
                 (unsigned long long)after.verifier.pool_blocks,
                 (unsigned long long)after.verifier.pool_bytes);
        check(after.verifier.pool_blocks <= before.verifier.pool_blocks &&
              after.verifier.pool_bytes <= before.verifier.pool_bytes,
              "leaks nothing", r->name, k, detail);
        again = r->run();
        snprintf(detail, sizeof(detail), "error %lu", (unsigned long)again);
        check(again == ERROR_SUCCESS, "the next request, with no fault, succeeds", r->name, k, detail);
        printf("ok: %s: fault point %u at %s\n", r->name, k, state.fault_site);
    }
    check(0, "ends", r->name, k, NULL);
}

/* DriverEntry: a start that meets the fault fails, and the next without
 * one succeeds. Leaks of a failed start are reported by the driver
 * itself (its DriverEntry checks the pool before it returns). Returns
 * how many fault points a start meets. */
static unsigned walk_driver_entry(const char *name)
{
    char detail[80];
    unsigned k;

    for (k = 1; k < 100; k++) {
        DWORD started, restarted;

        xfer_service_stop();
        xfer_service_set_parameter(XFER_REG_VERIFIER_FAIL_AT, k);
        started = xfer_service_start();
        xfer_service_set_parameter(XFER_REG_VERIFIER_FAIL_AT, 0);
        if (started == ERROR_SUCCESS) {
            /* Fewer fault points than k: it started, with the fault still
             * armed for whatever comes next; start again without it. */
            xfer_service_stop();
            restarted = xfer_service_start();
            snprintf(detail, sizeof(detail), "error %lu", (unsigned long)restarted);
            check(restarted == ERROR_SUCCESS, "starts with no fault", name, k, detail);
            printf("%s: %u fault points\n", name, k - 1);
            return k - 1;
        }
        points++;
        snprintf(detail, sizeof(detail), "error %lu", (unsigned long)started);
        check(started == ERROR_NO_SYSTEM_RESOURCES, "fails to start with STATUS_INSUFFICIENT_RESOURCES",
              name, k, detail);
        xfer_service_stop();
        restarted = xfer_service_start();
        snprintf(detail, sizeof(detail), "error %lu", (unsigned long)restarted);
        check(restarted == ERROR_SUCCESS, "the next start, with no fault, succeeds",
              name, k, detail);
        printf("ok: %s: fault point %u: the start failed (error %lu)\n", name, k,
               (unsigned long)started);
    }
    check(0, "ends", name, k, NULL);
    return 0;
}

/* --- DriverEntry with the device class's Security value --------------- */

#define CLASS_PROPERTIES L"SYSTEM\\CurrentControlSet\\Control\\Class\\" XFER_DEVICE_CLASS_GUID \
                         L"\\Properties"

/* Sets the class key's Security value to the descriptor `sddl`, or
 * deletes it (NULL). */
static DWORD set_class_security(const wchar_t *sddl)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    ULONG size = 0;
    LSTATUS error;
    HKEY key;

    error = RegCreateKeyExW(HKEY_LOCAL_MACHINE, CLASS_PROPERTIES, 0, NULL, 0, KEY_SET_VALUE, NULL,
                            &key, NULL);
    if (error != ERROR_SUCCESS)
        return (DWORD)error;
    if (sddl == NULL) {
        error = RegDeleteValueW(key, L"Security");
    } else if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd,
                                                                     &size)) {
        error = (LSTATUS)GetLastError();
    } else {
        error = RegSetValueExW(key, L"Security", 0, REG_BINARY, sd, size);
        LocalFree(sd);
    }
    RegCloseKey(key);
    return (DWORD)error;
}

/* Each control device's start then reads the value into pool: one fault
 * point more per device than without it. */
static void walk_driver_entry_with_class_security(unsigned without)
{
    char detail[80];
    unsigned with;

    check(set_class_security(L"D:P(A;;GA;;;SY)(A;;GA;;;BA)") == ERROR_SUCCESS,
          "sets the class Security value", "DriverEntry, class Security set", 0, NULL);
    with = walk_driver_entry("DriverEntry, class Security set");
    snprintf(detail, sizeof(detail), "%u with the value, %u without", with, without);
    check(with == without + XFER_MECHANISM_COUNT, "reads the value once per control device",
          "DriverEntry, class Security set", 0, detail);
    check(set_class_security(NULL) == ERROR_SUCCESS && xfer_service_stop() == ERROR_SUCCESS &&
          xfer_service_start() == ERROR_SUCCESS,
          "starts again with the value deleted", "DriverEntry, class Security set", 0, NULL);
}

/* --- Plug and Play: AddDevice ----------------------------------------- */

static const wchar_t *inf_path;   /* xfer.inf, beside the verifier build */
static wchar_t inf_arg[MAX_PATH];

static int started(xfer_mechanism m)
{
    unsigned count = 0;

    return xfer_interface_count(m, &count) == ERROR_SUCCESS && count == 1;
}

/* Installs the Neither device's node (removed before) with the fail_at-th
 * fault point from now failed (0: none), through `control`, a handle on
 * another device that stays open. AddDevice and the start run on the PnP
 * manager's thread: waits until a fault was injected or the device has
 * started. The state is the verifier's then; the fault is disarmed. */
static DWORD add_neither(uint32_t fail_at, struct xfer_verify_state *state)
{
    DWORD error;
    int tries;

    memset(state, 0, sizeof(*state));
    if (verify(XFER_VERIFY_ARM, fail_at, NULL) != ERROR_SUCCESS)
        return ERROR_GEN_FAILURE;
    error = xfer_pnp_install(inf_path);
    for (tries = 0; tries < 200; tries++) {
        if (verify(XFER_VERIFY_QUERY, 0, state) != ERROR_SUCCESS ||
            state->faults != 0 || started(XFER_NEITHER))
            break;
        Sleep(100);
    }
    verify(XFER_VERIFY_ARM, 0, NULL);
    return error;
}

/* The Neither device serves: bytes in through it, out through `control`. */
static DWORD neither_serves(void)
{
    HANDLE neither;
    DWORD error = pnp_open(XFER_NEITHER, &neither);

    if (error == ERROR_SUCCESS) {
        round_no++;
        error = pnp_round_trip(neither, control, 1000 + 512u * (round_no % 8), 3000, round_no);
        CloseHandle(neither);
    }
    return error;
}

/* Windows: the problem code of the Neither node, as Device Manager
 * shows it (0: none). */
static DWORD neither_problem(ULONG *problem)
{
    SP_DEVINFO_DATA node = { .cbSize = sizeof(node) };
    HDEVINFO set = SetupDiGetClassDevsW(NULL, L"ROOT", NULL, DIGCF_ALLCLASSES);
    DWORD index, error = ERROR_FILE_NOT_FOUND;
    wchar_t ids[256];
    DEVPROPTYPE type;

    *problem = 0;
    if (set == INVALID_HANDLE_VALUE)
        return GetLastError();
    for (index = 0; SetupDiEnumDeviceInfo(set, index, &node); index++) {
        memset(ids, 0, sizeof(ids));
        if (!SetupDiGetDeviceRegistryPropertyW(set, &node, SPDRP_HARDWAREID, NULL, (BYTE *)ids,
                                               sizeof(ids) - sizeof(wchar_t), NULL) ||
            _wcsicmp(ids, XFER_HWID_NEITHER) != 0)
            continue;
        error = SetupDiGetDevicePropertyW(set, &node, &DEVPKEY_Device_ProblemCode, &type,
                                          (BYTE *)problem, sizeof(*problem), NULL, 0)
                    ? ERROR_SUCCESS : GetLastError();
        break;
    }
    SetupDiDestroyDeviceInfoList(set);
    return error;
}

static DWORD remove_neither(void)
{
    DWORD error = xfer_pnp_remove(XFER_NEITHER);

    return error == ERROR_SUCCESS && pnp_wait_interfaces(XFER_NEITHER, 0) != 0 ? ERROR_BUSY : error;
}

/* AddDevice of a root-enumerated node, each fault point failed in turn:
 * the node gets no device, the store and the driver's pool are as they
 * were, and the node installed again without the fault serves. */
static void walk_add_device(void)
{
    static const char name[] = "AddDevice (a Plug and Play node installed)";
    struct xfer_verify_state state;
    char detail[160], site[sizeof(state.fault_site)];
    unsigned k;

    for (k = 1; k < 20; k++) {
        DWORD installed, again;

        if (remove_neither() != ERROR_SUCCESS || snap(&before) != ERROR_SUCCESS) {
            check(0, "could not remove the node or take the store's state", name, k, NULL);
            return;
        }
        installed = add_neither(k, &state);
        if (state.faults == 0) {
            snprintf(detail, sizeof(detail), "error %lu", (unsigned long)installed);
            check(installed == ERROR_SUCCESS && started(XFER_NEITHER), "installs with no fault",
                  name, k, detail);
            snprintf(detail, sizeof(detail), "error %lu", (unsigned long)neither_serves());
            check(strcmp(detail, "error 0") == 0, "the device serves", name, k, detail);
            printf("%s: %u fault points\n", name, k - 1);
            return;
        }
        points++;
        /* How the failure shows: Windows marks the node (problem
         * CM_PROB_FAILED_ADD); Wine only logs AddDevice's status, which
         * tests/verify/check reads, and reports the installation done. */
        snprintf(detail, sizeof(detail), "error %lu at %s", (unsigned long)installed, state.fault_site);
        if (under_wine) {
            check(installed == ERROR_SUCCESS, "the installation itself goes on (Wine)", name, k,
                  detail);
        } else {
            ULONG problem = 0;
            DWORD error = neither_problem(&problem);

            snprintf(detail, sizeof(detail), "error %lu, problem %lu at %s", (unsigned long)error,
                     (unsigned long)problem, state.fault_site);
            check(error == ERROR_SUCCESS && problem == PROBLEM_FAILED_ADD,
                  "the node shows CM_PROB_FAILED_ADD", name, k, detail);
        }
        check(strncmp(state.fault_site, "driver/fdo.c:", 13) == 0, "the fault is AddDevice's",
              name, k, detail);
        check(!started(XFER_NEITHER), "the node has no started device", name, k, detail);
        if (snap(&after) != ERROR_SUCCESS) {
            check(0, "could not take the store's state after", name, k, NULL);
            return;
        }
        check(after.info.size == before.info.size && after.info.generation == before.info.generation &&
              after.length == before.length && memcmp(after.bytes, before.bytes, after.length) == 0,
              "leaves the store as it was (size, generation, bytes)", name, k, state.fault_site);
        snprintf(detail, sizeof(detail), "%llu blocks, %llu bytes before; %llu, %llu after",
                 (unsigned long long)before.verifier.pool_blocks,
                 (unsigned long long)before.verifier.pool_bytes,
                 (unsigned long long)after.verifier.pool_blocks,
                 (unsigned long long)after.verifier.pool_bytes);
        check(after.verifier.pool_blocks <= before.verifier.pool_blocks &&
              after.verifier.pool_bytes <= before.verifier.pool_bytes,
              "leaks nothing", name, k, detail);
        /* The node stays, with no device: removed and installed again. */
        memcpy(site, state.fault_site, sizeof(site));
        again = remove_neither();
        if (again == ERROR_SUCCESS)
            again = add_neither(0, &state);
        if (again == ERROR_SUCCESS)
            again = started(XFER_NEITHER) ? neither_serves() : ERROR_DEVICE_NOT_AVAILABLE;
        snprintf(detail, sizeof(detail), "error %lu", (unsigned long)again);
        check(again == ERROR_SUCCESS, "the node installed again, with no fault, serves", name, k,
              detail);
        printf("ok: %s: fault point %u at %s\n", name, k, site);
    }
    check(0, "ends", name, k, NULL);
}

/* Waits (up to about 10 s) until the service is gone: the service
 * manager deletes a service marked for deletion only once its driver host
 * has let it go, and installing it again before then fails. */
static DWORD service_gone(void)
{
    DWORD state, error = ERROR_SUCCESS;
    int tries;

    for (tries = 0; tries < 100; tries++) {
        error = xfer_service_status(&state);
        if (error == ERROR_SERVICE_DOES_NOT_EXIST)
            return ERROR_SUCCESS;
        Sleep(100);
    }
    return error == ERROR_SUCCESS ? ERROR_SERVICE_EXISTS : error;
}

/* The plain service makes way for the Plug and Play devices of the same
 * build, and comes back after them (the run's end stops it). */
static void walk_plug_and_play(void)
{
    static const char name[] = "Plug and Play";
    const char *step;
    char detail[80];
    wchar_t driver[MAX_PATH];
    wchar_t *slash;
    DWORD error;
    int m;

    if (wcslen(inf_path) >= MAX_PATH) {
        check(0, "has the INF's path", name, 0, NULL);
        return;
    }
    wcscpy(driver, inf_path);
    slash = wcsrchr(driver, L'\\');
    if (slash == NULL || (size_t)(slash + 1 - driver) + wcslen(L"xfer.sys") >= MAX_PATH) {
        check(0, "has the INF's folder", name, 0, NULL);
        return;
    }
    wcscpy(slash + 1, L"xfer.sys");

    step = "uninstall the service";
    error = xfer_service_uninstall();
    if (error == ERROR_SUCCESS)
        error = service_gone();
    if (error == ERROR_SUCCESS) {
        step = "install from the INF";
        error = xfer_pnp_install(inf_path);
    }
    for (m = 0; m < XFER_MECHANISM_COUNT && error == ERROR_SUCCESS; m++) {
        step = "wait for the devices";
        if (pnp_wait_interfaces((xfer_mechanism)m, 1) != 1)
            error = ERROR_DEVICE_NOT_AVAILABLE;
    }
    if (error == ERROR_SUCCESS) {
        step = "open";
        error = pnp_open(XFER_BUFFERED, &control);
    }
    /* Something in the store to keep unchanged. */
    if (error == ERROR_SUCCESS) {
        step = "write";
        error = neither_serves();
    }
    snprintf(detail, sizeof(detail), "%s: error %lu", step, (unsigned long)error);
    check(error == ERROR_SUCCESS, "installs the devices", name, 0, detail);
    if (error == ERROR_SUCCESS)
        walk_add_device();
    if (control != INVALID_HANDLE_VALUE && control != NULL)
        CloseHandle(control);
    control = NULL;
    step = "uninstall the devices";
    error = xfer_pnp_uninstall();
    if (error == ERROR_SUCCESS)
        error = service_gone();
    if (error == ERROR_SUCCESS) {
        step = "install the service";
        error = xfer_service_install(driver, 0);
    }
    if (error == ERROR_SUCCESS) {
        step = "start the service";
        error = xfer_service_start();
    }
    snprintf(detail, sizeof(detail), "%s: error %lu", step, (unsigned long)error);
    check(error == ERROR_SUCCESS, "uninstalls the devices and starts the plain service again",
          name, 0, detail);
}

int main(int argc, char **argv)
{
    struct xfer_verify_state state;
    unsigned without;
    size_t i;
    int m;

    setvbuf(stdout, NULL, _IONBF, 0);
    under_wine = GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != NULL;
    if (argc != 2) {
        printf("usage: xfer-lowres.exe INF-PATH\n");
        return 2;
    }
    if (MultiByteToWideChar(CP_ACP, 0, argv[1], -1, inf_arg, MAX_PATH) == 0) {
        printf("FAILED: the INF's path is too long\n");
        return 2;
    }
    inf_path = inf_arg;
    without = walk_driver_entry("DriverEntry");
    walk_driver_entry_with_class_security(without);
    if (xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &control) != ERROR_SUCCESS ||
        verify(XFER_VERIFY_QUERY, 0, &state) != ERROR_SUCCESS) {
        printf("FAILED: no verifier build of the driver answers IOCTL_XFER_VERIFY\n");
        printf("%u passed, %u failed\n", passed, failed + 1);
        return 1;
    }
    for (m = 0; m < XFER_MECHANISM_COUNT; m++)
        if (xfer_open((xfer_mechanism)m, GENERIC_READ | GENERIC_WRITE, &devices[m]) != ERROR_SUCCESS)
            check(0, "opens", "setup", 0, xfer_mechanism_name((xfer_mechanism)m));
    if (xfer_open_overlapped(XFER_BUFFERED, GENERIC_READ, &waiter) != ERROR_SUCCESS)
        check(0, "opens", "setup", 0, "overlapped");
    /* Something in the store to read and to keep unchanged. */
    write_buffered();
    for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
        walk(&requests[i]);
    for (m = 0; m < XFER_MECHANISM_COUNT; m++)
        CloseHandle(devices[m]);
    CloseHandle(waiter);
    CloseHandle(control);
    walk_plug_and_play();
    printf("low resources: %u fault points failed in turn over %u kinds of request, DriverEntry "
           "and AddDevice\n",
           points, (unsigned)(sizeof(requests) / sizeof(requests[0])));
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
