/* SPDX-License-Identifier: MIT */
/*
 * The Wine/Windows differences the tests ask about (e2e_platform.h), and
 * xfer-e2e.exe --install: on a Windows test machine the suite installs and
 * starts the driver from the xfer.sys beside it, runs, then stops and
 * uninstalls it, leaving the machine as it found it. A machine that has
 * the service already is left alone: the run is refused, so that nothing
 * of someone else's installation is changed or removed.
 */
#include <stdio.h>
#include <string.h>
#include "e2e.h"
#include "e2e_platform.h"
#include "unit.h"

int e2e_negative_file_offset_reaches_driver(void)
{
    return e2e_is_wine();
}

static int installed_here;

static void print_error(const char *what, DWORD error)
{
    char message[256];

    xfer_error_message(error, message, sizeof(message));
    printf("xfer-e2e: %s: %s (error %lu)\n", what, message, (unsigned long)error);
}

DWORD e2e_install_driver(void)
{
    DWORD error = xfer_service_install(NULL, 0);

    if (error == ERROR_SERVICE_EXISTS) {
        printf("xfer-e2e: the xfer service is installed already; --install changes nothing "
               "it did not make: uninstall it first (xferctl uninstall), or run without "
               "--install\n");
        return error;
    }
    if (error != ERROR_SUCCESS) {
        print_error("cannot install xfer.sys from this program's directory", error);
        return error;
    }
    installed_here = 1;
    error = xfer_service_start();
    if (error != ERROR_SUCCESS) {
        print_error("installed, but the driver does not start", error);
        e2e_uninstall_driver();
        return error;
    }
    printf("xfer-e2e: installed and started the driver; it is removed after the run\n");
    return ERROR_SUCCESS;
}

DWORD e2e_uninstall_driver(void)
{
    DWORD error;

    if (!installed_here)
        return ERROR_SUCCESS;
    error = xfer_service_uninstall();
    if (error != ERROR_SUCCESS)
        print_error("cannot stop and uninstall the driver this run installed", error);
    else
        installed_here = 0;
    return error;
}

/* Takes --install out of argv; installs when it was there. */
static int before_run(int argc, char **argv)
{
    int i, kept = 1, install = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--install") == 0)
            install = 1;
        else
            argv[kept++] = argv[i];
    }
    argv[kept] = NULL;
    if (install && e2e_install_driver() != ERROR_SUCCESS)
        return -1;
    return kept;
}

static int after_run(int status)
{
    return e2e_uninstall_driver() == ERROR_SUCCESS ? status : 1;
}

__attribute__((constructor)) static void e2e_platform_register(void)
{
    unit_set_hooks(before_run, after_run);
}
