/* SPDX-License-Identifier: MIT */
/*
 * The low resources suite's walks of the start with the device class's
 * Security value set, and of AddDevice (lowres.h). The fault points of
 * AddDevice are met only by a Plug and Play install, so the plain
 * service makes way for the devices of xfer.inf, installed from the
 * verifier build; a node is removed and installed again with the fault
 * armed through another device, which stays.
 */
#include <stdio.h>
#include <string.h>
#include "xfer/xfer.h"
#include "lowres.h"
#include "pnp.h"
#include "class_security.h"
#include <setupapi.h>
#include "xfer/pnp.h"   /* before initguid.h: libxfer holds its GUIDs */
#include <devpropdef.h>
#include <initguid.h>   /* DEVPKEY_Device_ProblemCode's storage (selectany) */
#include <devpkey.h>

#define PROBLEM_FAILED_ADD 31u   /* cfgmgr32.h's CM_PROB_FAILED_ADD */

/* --- DriverEntry with the device class's Security value --------------- */

/* Each control device's start then reads the value into pool: one fault
 * point more per device than without it. */
void lowres_walk_class_security(unsigned without)
{
    char detail[80];
    unsigned with;

    lowres_check(xfer_test_set_class_security(L"D:P(A;;GA;;;SY)(A;;GA;;;BA)", NULL, 0) == ERROR_SUCCESS,
                 "sets the class Security value", "DriverEntry, class Security set", 0, NULL);
    with = lowres_walk_driver_entry("DriverEntry, class Security set");
    snprintf(detail, sizeof(detail), "%u with the value, %u without", with, without);
    lowres_check(with == without + XFER_MECHANISM_COUNT, "reads the value once per control device",
                 "DriverEntry, class Security set", 0, detail);
    lowres_check(xfer_test_set_class_security(NULL, NULL, 0) == ERROR_SUCCESS &&
                 xfer_service_stop() == ERROR_SUCCESS && xfer_service_start() == ERROR_SUCCESS,
                 "starts again with the value deleted", "DriverEntry, class Security set", 0, NULL);
}

/* --- Plug and Play: AddDevice ----------------------------------------- */

static const wchar_t *inf_path;   /* xfer.inf, beside the verifier build */

static int started(xfer_mechanism m)
{
    unsigned count = 0;

    return xfer_interface_count(m, &count) == ERROR_SUCCESS && count == 1;
}

/* Installs the Neither device's node (removed before) with the fail_at-th
 * fault point from now failed (0: none), through `lowres_control`, a handle on
 * another device that stays open. AddDevice and the start run on the PnP
 * manager's thread: waits until a fault was injected or the device has
 * started. The state is the verifier's then; the fault is disarmed. */
static DWORD add_neither(uint32_t fail_at, struct xfer_verify_state *state)
{
    DWORD error;
    int tries;

    memset(state, 0, sizeof(*state));
    if (lowres_verify(XFER_VERIFY_ARM, fail_at, NULL) != ERROR_SUCCESS)
        return ERROR_GEN_FAILURE;
    error = xfer_pnp_install(inf_path);
    for (tries = 0; tries < 200; tries++) {
        if (lowres_verify(XFER_VERIFY_QUERY, 0, state) != ERROR_SUCCESS ||
            state->faults != 0 || started(XFER_NEITHER))
            break;
        Sleep(100);
    }
    lowres_verify(XFER_VERIFY_ARM, 0, NULL);
    return error;
}

/* The Neither device serves: bytes in through it, out through `lowres_control`. */
static DWORD neither_serves(void)
{
    HANDLE neither;
    DWORD error = pnp_open(XFER_NEITHER, &neither);

    if (error == ERROR_SUCCESS) {
        lowres_round++;
        error = pnp_round_trip(neither, lowres_control, 1000 + 512u * (lowres_round % 8), 3000,
                               lowres_round);
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

/* A removal (SURPRISE_REMOVAL, REMOVE_DEVICE) with a fault armed: it
 * meets no fault point today; one added there fails this until the suite
 * walks it. The node is installed again after. */
static void check_removal_has_no_fault_point(void)
{
    static const char name[] = "Plug and Play removal";
    struct xfer_verify_state state;
    DWORD removed, again;

    memset(&state, 0, sizeof(state));
    removed = lowres_verify(XFER_VERIFY_ARM, 1, NULL);
    if (removed == ERROR_SUCCESS)
        removed = remove_neither();
    if (lowres_verify(XFER_VERIFY_QUERY, 0, &state) != ERROR_SUCCESS)
        state.fault_points = 1;
    lowres_verify(XFER_VERIFY_ARM, 0, NULL);
    lowres_check(removed == ERROR_SUCCESS && state.fault_points == 0,
                 "meets no fault point", name, 1, state.fault_site);
    printf("%s: %lu fault points\n", name, (unsigned long)state.fault_points);
    again = add_neither(0, &state);
    if (again == ERROR_SUCCESS)
        again = started(XFER_NEITHER) ? neither_serves() : ERROR_DEVICE_NOT_AVAILABLE;
    lowres_check(again == ERROR_SUCCESS, "the node installed again serves", name, 1, NULL);
}

/* AddDevice of a root-enumerated node, each fault point failed in turn:
 * the node gets no device, the store and the driver's pool are as they
 * were, and the node installed again without the fault serves. The last
 * step, with a fault armed past AddDevice's, walks the start too
 * (START_DEVICE meets none). */
static void walk_add_device(void)
{
    static const char name[] = "AddDevice (a Plug and Play node installed)";
    struct xfer_verify_state state;
    char detail[160], site[sizeof(state.fault_site)];
    unsigned k;

    for (k = 1; k < 20; k++) {
        DWORD installed, again;

        if (remove_neither() != ERROR_SUCCESS || lowres_before() != ERROR_SUCCESS) {
            lowres_check(0, "could not remove the node or take the store's state", name, k, NULL);
            return;
        }
        installed = add_neither(k, &state);
        if (state.faults == 0) {
            snprintf(detail, sizeof(detail), "error %lu", (unsigned long)installed);
            lowres_check(installed == ERROR_SUCCESS && started(XFER_NEITHER),
                         "installs with no fault", name, k, detail);
            again = neither_serves();
            snprintf(detail, sizeof(detail), "error %lu", (unsigned long)again);
            lowres_check(again == ERROR_SUCCESS, "the device serves", name, k, detail);
            printf("%s: %u fault points\n", name, k - 1);
            return;
        }
        lowres_points++;
        /* How the failure shows: Windows marks the node (problem
         * CM_PROB_FAILED_ADD); Wine only logs AddDevice's status, which
         * tests/verify/check reads, and reports the installation done. */
        snprintf(detail, sizeof(detail), "error %lu at %s", (unsigned long)installed,
                 state.fault_site);
        if (lowres_under_wine) {
            lowres_check(installed == ERROR_SUCCESS, "the installation itself goes on (Wine)",
                         name, k, detail);
        } else {
            ULONG problem = 0;
            DWORD error = neither_problem(&problem);

            snprintf(detail, sizeof(detail), "error %lu, problem %lu at %s", (unsigned long)error,
                     (unsigned long)problem, state.fault_site);
            lowres_check(error == ERROR_SUCCESS && problem == PROBLEM_FAILED_ADD,
                         "the node shows CM_PROB_FAILED_ADD", name, k, detail);
        }
        lowres_check(strncmp(state.fault_site, "driver/fdo.c:", 13) == 0,
                     "the fault is AddDevice's", name, k, detail);
        lowres_check(!started(XFER_NEITHER), "the node has no started device", name, k, detail);
        if (!lowres_check_unchanged(name, k, state.fault_site))
            return;
        /* The node stays, with no device: removed and installed again. */
        memcpy(site, state.fault_site, sizeof(site));
        again = remove_neither();
        if (again == ERROR_SUCCESS)
            again = add_neither(0, &state);
        if (again == ERROR_SUCCESS)
            again = started(XFER_NEITHER) ? neither_serves() : ERROR_DEVICE_NOT_AVAILABLE;
        snprintf(detail, sizeof(detail), "error %lu", (unsigned long)again);
        lowres_check(again == ERROR_SUCCESS, "the node installed again, with no fault, serves",
                     name, k, detail);
        printf("ok: %s: fault point %u at %s\n", name, k, site);
    }
    lowres_check(0, "ends", name, k, NULL);
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
void lowres_walk_plug_and_play(const wchar_t *inf)
{
    static const char name[] = "Plug and Play";
    const char *step;
    char detail[80];
    wchar_t driver[MAX_PATH];
    wchar_t *slash;
    DWORD error;
    int m;

    inf_path = inf;
    if (wcslen(inf_path) >= MAX_PATH) {
        lowres_check(0, "has the INF's path", name, 0, NULL);
        return;
    }
    wcscpy(driver, inf_path);
    slash = wcsrchr(driver, L'\\');
    if (slash == NULL || (size_t)(slash + 1 - driver) + wcslen(L"xfer.sys") >= MAX_PATH) {
        lowres_check(0, "has the INF's folder", name, 0, NULL);
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
        error = pnp_open(XFER_BUFFERED, &lowres_control);
    }
    /* Something in the store to keep unchanged. */
    if (error == ERROR_SUCCESS) {
        step = "write";
        error = neither_serves();
    }
    snprintf(detail, sizeof(detail), "%s: error %lu", step, (unsigned long)error);
    lowres_check(error == ERROR_SUCCESS, "installs the devices", name, 0, detail);
    if (error == ERROR_SUCCESS) {
        walk_add_device();
        check_removal_has_no_fault_point();
    }
    if (lowres_control != INVALID_HANDLE_VALUE && lowres_control != NULL)
        CloseHandle(lowres_control);
    lowres_control = NULL;
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
    lowres_check(error == ERROR_SUCCESS,
                 "uninstalls the devices and starts the plain service again", name, 0, detail);
}
