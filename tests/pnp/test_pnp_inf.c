/* SPDX-License-Identifier: MIT */
/*
 * The INF, not the driver's default, sets the store's limit: installed
 * from a copy of xfer.inf whose MaxSize line says 32 MiB, the driver's
 * limit is 32 MiB. Run with nothing installed; leaves nothing installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pnp.h"

#define ALT_DIR L"C:\\xfer\\alt"
/* xfer.inf's MaxSize bytes (64 MiB, little-endian) and 32 MiB's. */
#define INF_64_MIB "00,00,00,04,00,00,00,00"
#define INF_32_MIB "00,00,00,02,00,00,00,00"

/* C:\xfer\alt\xfer.inf (MaxSize 32 MiB) and xfer.sys beside it. */
static void write_alt_inf(void)
{
    char text[16384], *at;
    size_t length;
    FILE *file;

    file = _wfopen(PNP_INF, L"rb");
    ASSERT_TRUE(file != NULL);
    length = fread(text, 1, sizeof(text) - 1, file);
    fclose(file);
    text[length] = '\0';
    at = strstr(text, INF_64_MIB);
    ASSERT_TRUE(at != NULL);
    memcpy(at, INF_32_MIB, strlen(INF_32_MIB));

    ASSERT_TRUE(CreateDirectoryW(ALT_DIR, NULL) || GetLastError() == ERROR_ALREADY_EXISTS);
    ASSERT_TRUE(CopyFileW(L"C:\\xfer\\xfer.sys", ALT_DIR L"\\xfer.sys", FALSE));
    file = _wfopen(ALT_DIR L"\\xfer.inf", L"wb");
    ASSERT_TRUE(file != NULL);
    ASSERT_EQ(fwrite(text, 1, length, file), length);
    ASSERT_EQ(fclose(file), 0);
}

void test_pnp_inf_sets_max_size(void)
{
    struct xfer_info info;
    HANDLE device;
    DWORD error;

    write_alt_inf();
    UNIT_RETURN_IF_FAILED();
    ASSERT_EQ(xfer_pnp_install(ALT_DIR L"\\xfer.inf"), ERROR_SUCCESS);
    ASSERT_EQ(pnp_wait_interfaces(XFER_BUFFERED, 1), 1);
    ASSERT_EQ(pnp_open(XFER_BUFFERED, &device), ERROR_SUCCESS);
    error = xfer_get_info(device, &info);
    CloseHandle(device);
    ASSERT_EQ(error, ERROR_SUCCESS);
    ASSERT_EQ_U64(info.limit, 32ull * 1024 * 1024);
    ASSERT_EQ(xfer_pnp_uninstall(), ERROR_SUCCESS);
}
