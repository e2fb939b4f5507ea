/* SPDX-License-Identifier: MIT */
/*
 *   xfer-need-api MODULE NAME
 *
 * Looks NAME up in MODULE through xfer_need_api (lib/compat.c), as the
 * programs look up Windows Vista's APIs: exit 0 when found; when not, the
 * one sentence and exit status 1 of a program started on a Windows that
 * lacks it. test_cli.sh runs it through `./xferctl exec`.
 */
#include <stdio.h>
#include "xfer/compat.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: xfer-need-api MODULE NAME\n");
        return 2;
    }
    return xfer_need_api(argv[1], argv[2]) != NULL ? 0 : 3;
}
