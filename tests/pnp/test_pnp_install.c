/* SPDX-License-Identifier: MIT */
/*
 * Installing from xfer.inf: three root-enumerated nodes, each found
 * through its own device interface, serving the one store with its own
 * mechanism; MaxSize from the INF; no legacy \\.\Xfer* device; every
 * PnP request traced; each FDO secured, and no address in the trace. Run
 * first, in a prefix where nothing is installed.
 */
#include <string.h>
#include "pnp.h"
#include "trace_text.h"
#include "xfer/compat.h"

static void test_pnp_install_creates_three_nodes(void)
{
    unsigned nodes = 99;
    DWORD state;

    ASSERT_EQ(xfer_pnp_node_count(&nodes), ERROR_SUCCESS);
    ASSERT_EQ(nodes, 0);
    ASSERT_EQ(xfer_service_status(&state), ERROR_SERVICE_DOES_NOT_EXIST);

    ASSERT_EQ(xfer_pnp_install(PNP_INF), ERROR_SUCCESS);
    ASSERT_EQ(xfer_pnp_node_count(&nodes), ERROR_SUCCESS);
    ASSERT_EQ(nodes, 3);
    ASSERT_EQ(xfer_service_status(&state), ERROR_SUCCESS);
    ASSERT_EQ(state, SERVICE_RUNNING);
}

static void test_pnp_install_each_mechanism_has_its_interface(void)
{
    wchar_t paths[XFER_MECHANISM_COUNT][XFER_INTERFACE_PATH_MAX];
    HANDLE device;
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        ASSERT_EQ(pnp_wait_interfaces((xfer_mechanism)m, 1), 1);
        ASSERT_EQ(xfer_interface_path((xfer_mechanism)m, paths[m], XFER_INTERFACE_PATH_MAX),
                  ERROR_SUCCESS);
        ASSERT_EQ(xfer_open_path(paths[m], GENERIC_READ, &device), ERROR_SUCCESS);
        CloseHandle(device);
    }
    ASSERT_TRUE(_wcsicmp(paths[0], paths[1]) != 0);
    ASSERT_TRUE(_wcsicmp(paths[1], paths[2]) != 0);
    ASSERT_TRUE(_wcsicmp(paths[0], paths[2]) != 0);
}

static void test_pnp_install_makes_no_legacy_devices(void)
{
    HANDLE device;
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++)
        ASSERT_EQ(xfer_open_path(xfer_device_path((xfer_mechanism)m), GENERIC_READ, &device),
                  ERROR_FILE_NOT_FOUND);
}

static void test_pnp_install_max_size_from_the_inf(void)
{
    uint64_t max_size = 0;
    DWORD type = 0, size = sizeof(max_size), pnp = 0;
    struct xfer_info info;
    HANDLE device;

    ASSERT_EQ(xfer_reg_get_value(HKEY_LOCAL_MACHINE, L"System\\CurrentControlSet\\Services\\xfer\\Parameters",
                                 XFER_REG_MAX_SIZE, RRF_RT_ANY, &type, &max_size, &size),
              ERROR_SUCCESS);
    ASSERT_EQ(type, REG_QWORD);
    ASSERT_EQ_U64(max_size, XFER_DEFAULT_MAX_SIZE);   /* what xfer.inf says */
    size = sizeof(pnp);
    ASSERT_EQ(xfer_reg_get_value(HKEY_LOCAL_MACHINE, L"System\\CurrentControlSet\\Services\\xfer\\Parameters",
                                 L"PlugAndPlay", RRF_RT_REG_DWORD, NULL, &pnp, &size),
              ERROR_SUCCESS);
    ASSERT_EQ(pnp, 1);

    ASSERT_EQ(pnp_open(XFER_DIRECT, &device), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_info(device, &info), ERROR_SUCCESS);
    CloseHandle(device);
    ASSERT_EQ_U64(info.limit, max_size);
}

/* Each device's data goes its own way (a Direct write succeeds only with
 * an MDL, a Buffered one only with a system buffer) into the one store,
 * and is counted under its own device. */
static void test_pnp_install_three_mechanisms_one_store(void)
{
    HANDLE devices[XFER_MECHANISM_COUNT];
    struct xfer_stats stats;
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++)
        ASSERT_EQ(pnp_open((xfer_mechanism)m, &devices[m]), ERROR_SUCCESS);
    ASSERT_EQ(xfer_get_stats(devices[0], NULL, 1), ERROR_SUCCESS);
    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        int next = (m + 1) % XFER_MECHANISM_COUNT;

        ASSERT_EQ(pnp_round_trip(devices[m], devices[next], 70000u * (unsigned)m + 3, 5000,
                                 (unsigned)m + 1),
                  ERROR_SUCCESS);
    }
    ASSERT_EQ(xfer_get_stats(devices[0], &stats, 0), ERROR_SUCCESS);
    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        ASSERT_EQ_U64(stats.device[m][XFER_PATH_WRITE_FILE].bytes, 5000);
        ASSERT_EQ_U64(stats.device[m][XFER_PATH_READ_FILE].bytes, 5000);
        CloseHandle(devices[m]);
    }
}

struct seen {
    unsigned add[XFER_DEVICE_COUNT], start[XFER_DEVICE_COUNT], secured[XFER_DEVICE_COUNT];
    unsigned addresses;   /* records that hold what looks like a kernel address */
};

static void note(void *context, const struct xfer_trace_record *record)
{
    struct seen *seen = context;

    seen->addresses += e2e_text_has_address(record->text);
    if (record->device >= XFER_DEVICE_COUNT)
        return;
    /* The FDO's descriptor, as the driver read it back at AddDevice. */
    if (strcmp(record->text, "Security is D:P(A;;FA;;;SY)(A;;FA;;;BA)") == 0)
        seen->secured[record->device]++;
    if (strcmp(record->text, "AddDevice") == 0)
        seen->add[record->device]++;
    if (strcmp(record->text, "PnP IRP_MJ_PNP:IRP_MN_START_DEVICE") == 0)
        seen->start[record->device]++;
}

static void test_pnp_install_trace_shows_add_device_and_start(void)
{
    struct seen seen = {0};
    uint64_t after = 0;
    HANDLE device;
    int m;

    ASSERT_EQ(pnp_open(XFER_BUFFERED, &device), ERROR_SUCCESS);
    ASSERT_EQ(xfer_drain_trace(device, &after, note, &seen, NULL), ERROR_SUCCESS);
    CloseHandle(device);
    for (m = 0; m < XFER_DEVICE_COUNT; m++) {
        ASSERT_EQ(seen.add[m], 1);
        ASSERT_EQ(seen.start[m], 1);
        ASSERT_EQ(seen.secured[m], 1);
    }
    ASSERT_EQ(seen.addresses, 0);   /* the FDO's address went to the debugger only */
}

/* In this order: each step starts from where the one before left off. */
static const struct pnp_step steps[] = {
    { "test_pnp_install_creates_three_nodes", test_pnp_install_creates_three_nodes },
    { "test_pnp_install_each_mechanism_has_its_interface", test_pnp_install_each_mechanism_has_its_interface },
    { "test_pnp_install_makes_no_legacy_devices", test_pnp_install_makes_no_legacy_devices },
    { "test_pnp_install_max_size_from_the_inf", test_pnp_install_max_size_from_the_inf },
    { "test_pnp_install_three_mechanisms_one_store", test_pnp_install_three_mechanisms_one_store },
    { "test_pnp_install_trace_shows_add_device_and_start", test_pnp_install_trace_shows_add_device_and_start },
};
PNP_STEPS(steps)
