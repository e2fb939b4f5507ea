/* SPDX-License-Identifier: MIT */
/*
 * Asks the test-only verifier build (-DXFER_VERIFY_BREAK) to break one
 * rule, named on the command line: leak, double-completion or
 * probe-locked. tests/verify/check-breaks runs it and looks for the
 * verifier's report in the driver log. Prints what the request returned;
 * exits 0 when the driver answered the way the broken rule makes it.
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "xfer/xfer.h"
#include "xfer/verify.h"

int main(int argc, char **argv)
{
    static const struct { const char *name; uint32_t op; DWORD expected; } breaks[] = {
        { "leak", XFER_VERIFY_BREAK_LEAK, ERROR_SUCCESS },
        /* Completed once with success; the second completion is refused. */
        { "double-completion", XFER_VERIFY_BREAK_DOUBLE_COMPLETION, ERROR_SUCCESS },
        /* The rule fails the request as a bad pointer would. */
        { "probe-locked", XFER_VERIFY_BREAK_PROBE_LOCKED, ERROR_NOACCESS },
    };
    struct xfer_verify_request request = { 0, 0 };
    unsigned char out[96];
    HANDLE h;
    DWORD error;
    size_t i;

    for (i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++)
        if (argc == 2 && strcmp(argv[1], breaks[i].name) == 0)
            break;
    if (i == sizeof(breaks) / sizeof(breaks[0])) {
        fprintf(stderr, "usage: xfer-breaks leak|double-completion|probe-locked\n");
        return 2;
    }
    error = xfer_open(XFER_BUFFERED, GENERIC_READ | GENERIC_WRITE, &h);
    if (error != ERROR_SUCCESS) {
        printf("open: error %lu\n", (unsigned long)error);
        return 1;
    }
    request.op = breaks[i].op;
    error = xfer_control(h, IOCTL_XFER_VERIFY, &request, sizeof(request), out, sizeof(out), NULL);
    printf("%s: error %lu (expected %lu)\n", breaks[i].name, (unsigned long)error,
           (unsigned long)breaks[i].expected);
    CloseHandle(h);
    return error == breaks[i].expected ? 0 : 1;
}
