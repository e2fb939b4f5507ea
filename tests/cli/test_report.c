/* SPDX-License-Identifier: MIT */
/*
 * xferctl's messages (tools/xferctl/report.c), tested as a Windows program
 * of their own (xferctl-report-tests.exe, run by test_cli.sh through
 * `./xferctl exec`): an error code with no system message is named once,
 * and a write to a pipe nobody reads is told apart from other failures,
 * which the C runtime hides (EINVAL, GetLastError 0).
 */
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <string.h>
#include "unit.h"
#include "../../tools/xferctl/xferctl.h"

TEST(test_report_status_names_an_unknown_code_once)
{
    char text[320];

    cli_status(0x2000FFFFu, text, sizeof(text));
    ASSERT_TRUE(strcmp(text, "Win32 error 536936447") == 0);
    cli_status(ERROR_ACCESS_DENIED, text, sizeof(text));
    ASSERT_TRUE(strstr(text, "Win32 error") == strrchr(text, '(') + 1);
    ASSERT_TRUE(strcmp(strrchr(text, '('), "(Win32 error 5)") == 0);
}

/* A C stream on the write end of a pipe whose read end is closed. */
static FILE *orphaned_pipe(void)
{
    HANDLE reader, writer;
    int fd;

    if (!CreatePipe(&reader, &writer, NULL, 4096))
        return NULL;
    CloseHandle(reader);
    fd = _open_osfhandle((intptr_t)writer, _O_BINARY);
    return fd < 0 ? NULL : _fdopen(fd, "wb");
}

TEST(test_report_reader_gone_from_a_pipe)
{
    static char data[65536];
    FILE *out = orphaned_pipe();

    ASSERT_TRUE(out != NULL);
    ASSERT_TRUE(fwrite(data, 1, sizeof(data), out) != sizeof(data) || fflush(out) != 0);
    ASSERT_TRUE(cli_reader_gone(out));
    fclose(out);
}

TEST(test_report_a_full_file_is_no_reader_gone)
{
    char name[MAX_PATH], folder[MAX_PATH];
    FILE *out;

    /* A file opened for reading only: every write fails, on a disk file. */
    ASSERT_TRUE(GetTempPathA(sizeof(folder), folder) != 0);
    snprintf(name, sizeof(name), "%sxferctl-report-%lu.tmp", folder,
             (unsigned long)GetCurrentProcessId());
    out = fopen(name, "wb");
    ASSERT_TRUE(out != NULL);
    fclose(out);
    out = fopen(name, "rb");
    ASSERT_TRUE(out != NULL);
    ASSERT_TRUE(fputc('x', out) == EOF || fflush(out) != 0);
    ASSERT_TRUE(!cli_reader_gone(out));
    fclose(out);
    remove(name);
}
