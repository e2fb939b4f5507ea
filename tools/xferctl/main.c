/* SPDX-License-Identifier: MIT */
/*
 * xferctl: the command table, the list of commands, and dispatch.
 */
#include <fcntl.h>
#include <io.h>
#include <string.h>
#include "xferctl.h"

#define TRANSFER_OPTIONS (OPT_VIA | OPT_IOCTL | OPT_OFFSET | OPT_LENGTH)

static const struct command commands[] = {
    { "install", "", 0, 0, OPT_MAX_SIZE | OPT_FORCE | OPT_DRIVER | OPT_PNP,
      "copy xfer.sys into the system and create the service \"xfer\"",
      "Copies the driver (by default xfer.sys next to xferctl.exe) to\n"
      "%SystemRoot%\\System32\\drivers\\xfer.sys and creates the kernel service\n"
      "\"xfer\" (demand start). Does not start it: run `xferctl start`.\n"
      "Needs administrator rights.\n"
      "\n"
      "With --pnp, installs the driver from its INF (xfer.inf) instead, as three\n"
      "root-enumerated Plug and Play devices, one per mechanism, which start at\n"
      "once and are found through their device interfaces. The INF sets the\n"
      "store's limit (edit its MaxSize line to change it).\n"
      "\n"
      "examples:\n"
      "  xferctl install\n"
      "  xferctl install --force --max-size 1G     reinstall with a 1 GiB limit\n"
      "  xferctl install --pnp                     from xfer.inf next to xferctl.exe\n",
      cmd_install },
    { "uninstall", "", 0, 0, OPT_PNP,
      "stop the driver, delete the service and the driver file",
      "Stops the driver if it runs (the store's contents are lost), deletes\n"
      "the service \"xfer\" and %SystemRoot%\\System32\\drivers\\xfer.sys.\n"
      "With --pnp, removes the three Plug and Play devices first.\n",
      cmd_uninstall },
    { "start", "", 0, 0, 0, "start the driver (with an empty store)",
      "Starts the installed driver and waits until it runs. The store starts\n"
      "empty, its limit read from the service's Parameters\\MaxSize.\n",
      cmd_start },
    { "stop", "", 0, 0, 0, "stop the driver (the store's contents are lost)",
      "Stops the driver and waits until it is unloaded: the store is freed.\n"
      "While programs have its devices open, Windows would keep it loaded (the\n"
      "stop pending) until they close them: stop then refuses, saying how many\n"
      "handles are open, and exits 1. So do uninstall and install --force.\n",
      cmd_stop },
    { "status", "", 0, 0, 0, "is the driver installed? running? the store's size",
      "Says whether the service \"xfer\" is installed and running, and when it\n"
      "runs, the store's size and limit. Exit code 0 whatever the state.\n",
      cmd_status },
    { "info", "", 0, 0, OPT_VIA | OPT_JSON, "the store's size, limit, memory held, generation",
      "Prints IOCTL_XFER_GET_INFO: the interface version, the chunk size, the\n"
      "store's size and limit (MaxSize), the memory it holds, its generation\n"
      "(which moves on every change of the store), how many IOCTL_XFER_WAIT_CHANGE\n"
      "requests pend (`xferctl watch` has one) and how many handles are open on\n"
      "the driver's devices (info's own included).\n",
      cmd_info },
    { "stats", "", 0, 0, OPT_VIA | OPT_JSON | OPT_RESET, "request counters per device and path",
      "Prints IOCTL_XFER_GET_STATS as a table: for each device and each path\n"
      "(ReadFile, WriteFile, the six transfer IOCTLs, other IOCTLs) the requests\n"
      "completed, the bytes moved and the requests that failed. Rows that are\n"
      "all zero are left out of the table (not out of --json).\n",
      cmd_stats },
    { "trace", "", 0, 0, OPT_VIA | OPT_FOLLOW, "the driver's trace of recent requests",
      "Prints the driver's trace ring (the last 1024 records), one line per\n"
      "record: seconds since the driver started, the device, the text. Reading\n"
      "leaves the ring as it was; --follow then prints each new record.\n",
      cmd_trace },
    { "write", "", 0, 0, TRANSFER_OPTIONS, "write stdin into the store",
      "Writes the bytes of stdin (to its end, or at most --length bytes) into\n"
      "the store at --offset, in requests of 1 MiB. Each request is all or\n"
      "nothing; if one fails, the bytes stored before it are reported.\n"
      "\n"
      "examples:\n"
      "  echo hello | xferctl write\n"
      "  xferctl write --via direct --offset 4096 < file\n"
      "  xferctl write --via neither --ioctl --length 1M < file\n",
      cmd_write },
    { "read", "", 0, 0, TRANSFER_OPTIONS, "read from the store to stdout",
      "Writes --length bytes of the store from --offset to stdout (default:\n"
      "up to the end of the store). A read past the end stops at the end.\n"
      "\n"
      "examples:\n"
      "  xferctl read --length 5\n"
      "  xferctl read --via neither --offset 4096 --length 1M > out\n",
      cmd_read },
    { "load", "FILE", 1, 1, TRANSFER_OPTIONS, "write a file into the store",
      "Writes the contents of FILE (or at most --length bytes of it) into the\n"
      "store at --offset.\n"
      "\n"
      "example:\n"
      "  xferctl load --via direct --ioctl data.bin\n",
      cmd_load },
    { "dump", "FILE", 1, 1, TRANSFER_OPTIONS, "read the store into a file",
      "Writes the store from --offset (default: all of it; --length: that many\n"
      "bytes at most) into FILE, replacing it.\n"
      "\n"
      "example:\n"
      "  xferctl dump --via neither store.bin\n",
      cmd_dump },
    { "zero", "", 0, 0, OPT_VIA, "make every byte zero (the size is kept)",
      "Sends IOCTL_XFER_ZERO_BUFFER: every byte reads as zero, the size stays,\n"
      "the store's memory is freed.\n",
      cmd_zero },
    { "remove", "", 0, 0, OPT_VIA, "free the store (its size becomes 0)",
      "Sends IOCTL_XFER_REMOVE_BUFFER: the store is freed, its size becomes 0.\n",
      cmd_remove },
    { "resize", "N", 1, 1, OPT_VIA, "truncate or extend the store to N bytes",
      "Sends IOCTL_XFER_SET_SIZE: truncates the store to N bytes, or extends it\n"
      "with zeros (which take no memory). N may not pass the store's limit.\n"
      "\n"
      "example:\n"
      "  xferctl resize 1M\n",
      cmd_resize },
    { "bench", "", 0, 0,
      OPT_LENGTH | OPT_SIZES | OPT_COUNT | OPT_SECONDS | OPT_ROUNDS | OPT_NULL | OPT_THREADS |
          OPT_OFFSET | OPT_JSON,
      "latency and throughput of every transfer path",
      "Times GET_SIZE, ReadFile and WriteFile on each device, and each transfer\n"
      "IOCTL: at most --count requests (default 256) and --seconds (default 2)\n"
      "per path and request size (--length, default 64K, or --sizes). Prints\n"
      "microseconds per request (min, median, 99th percentile) and MB/s\n"
      "(10^6 bytes a second).\n"
      "With --null, the same requests go to the null driver (xfernull.sys, which\n"
      "completes them at once) in alternating runs, and each row gets xfer's\n"
      "cost as a ratio: xfer's median over the null driver's.\n"
      "With --threads, ReadFile and WriteFile on each device also run from that\n"
      "many client threads at once (--length bytes each), for aggregate MB/s.\n"
      "It overwrites 4 MiB (or the largest size) of the store from --offset.\n",
      cmd_bench },
    { "watch", "", 0, 0, OPT_VIA | OPT_JSON | OPT_CHANGES, "print each change of the store as it happens",
      "Leaves an IOCTL_XFER_WAIT_CHANGE pending in the driver and prints each\n"
      "change of the store as it completes: its generation, what changed (the\n"
      "bytes of a write, a zero, a remove, a resize) and the store's size.\n"
      "When several changes came too fast to tell apart, says so. Runs until\n"
      "Ctrl+C, which cancels the pending request and exits 0, or until\n"
      "--changes changes were printed. --json prints one object a line:\n"
      "{\"generation\", \"kind\", \"offset\", \"length\", \"size\"}.\n"
      "\n"
      "example:\n"
      "  xferctl watch --via direct\n",
      cmd_watch },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
    size_t i;

    for (i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_commands(FILE *out)
{
    size_t i;

    fprintf(out, "usage: xferctl COMMAND [OPTIONS]\n"
                 "\n"
                 "The command line of xfer.sys, a memory-backed byte store reached through\n"
                 "\\\\.\\XferBuffered, \\\\.\\XferDirect and \\\\.\\XferNeither.\n"
                 "\n"
                 "commands:\n");
    for (i = 0; i < COMMAND_COUNT; i++) {
        char name[32];

        snprintf(name, sizeof(name), "%s%s%s", commands[i].name, commands[i].args[0] ? " " : "",
                 commands[i].args);
        fprintf(out, "  %-12s%s\n", name, commands[i].summary);
    }
    fprintf(out, "\n"
                 "`xferctl COMMAND --help` tells more about one. Sizes take K, M, G\n"
                 "(1024-based): 4K, 1M. Exit code: 0 success, 1 failure, 2 bad usage.\n");
}

/* Under Wine, the output goes to a Linux terminal, pipe or file: keep its
 * line ends Unix ones rather than the C runtime's CRLF. */
static void unix_line_ends_under_wine(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");

    if (ntdll != NULL && GetProcAddress(ntdll, "wine_get_version") != NULL) {
        _setmode(_fileno(stdout), _O_BINARY);
        _setmode(_fileno(stderr), _O_BINARY);
    }
}

int main(int argc, char **argv)
{
    const struct command *command;
    struct cli cli;
    int result;

    unix_line_ends_under_wine();
    /* Whole lines to the console, not one write per character: every
     * message ends with fflush(stderr). */
    setvbuf(stderr, NULL, _IOFBF, 4096);
    setvbuf(stdout, NULL, _IOFBF, 65536);
    if (argc < 2) {
        print_commands(stderr);
        return XFERCTL_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_commands(stdout);
        return XFERCTL_OK;
    }
    if (strcmp(argv[1], "help") == 0) {
        if (argc < 3) {
            print_commands(stdout);
            return XFERCTL_OK;
        }
        command = find_command(argv[2]);
        if (command == NULL) {
            cli_message("unknown command '%s': see `xferctl --help`", argv[2]);
            return XFERCTL_USAGE;
        }
        cli_print_help(command, stdout);
        return XFERCTL_OK;
    }
    command = find_command(argv[1]);
    if (command == NULL) {
        if (argv[1][0] == '-')
            cli_message("expected a command before '%s': see `xferctl --help`", argv[1]);
        else
            cli_message("unknown command '%s': see `xferctl --help`", argv[1]);
        return XFERCTL_USAGE;
    }
    result = cli_parse(command, argc, argv, 2, &cli);
    if (result < 0) {
        cli_print_help(command, stdout);
        return XFERCTL_OK;
    }
    if (result != XFERCTL_OK)
        return result;
    result = command->run(&cli);
    if (fflush(stdout) != 0 && result == XFERCTL_OK)
        result = cli_output_failed(stdout, "stdout");
    return result;
}
