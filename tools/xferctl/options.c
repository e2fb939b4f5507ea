/* SPDX-License-Identifier: MIT */
/*
 * xferctl: options. Every option is --name VALUE or --name=VALUE; `--`
 * ends the options (for a FILE that begins with '-'). A command accepts
 * the options its table entry lists; any other is a usage error.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "xferctl.h"

enum value_kind { NO_VALUE, SIZE_VALUE, VIA_VALUE, TEXT_VALUE, LIST_VALUE, SECONDS_VALUE };

static const struct option {
    const char *name;
    unsigned flag;
    enum value_kind kind;
    const char *value;       /* in the help: "N" */
    const char *help;
} options[] = {
    { "--via", OPT_VIA, VIA_VALUE, "DEVICE",
      "the device: buffered (default), direct or neither" },
    { "--ioctl", OPT_IOCTL, NO_VALUE, NULL,
      "use the transfer IOCTL of that method instead of ReadFile/WriteFile" },
    { "--offset", OPT_OFFSET, SIZE_VALUE, "N", "the store offset to start at (default 0)" },
    { "--length", OPT_LENGTH, SIZE_VALUE, "N", "the number of bytes (see above for the default)" },
    { "--json", OPT_JSON, NO_VALUE, NULL, "print JSON on stdout" },
    { "--reset", OPT_RESET, NO_VALUE, NULL, "print the counters and zero them (RESET_STATS)" },
    { "--follow", OPT_FOLLOW, NO_VALUE, NULL,
      "keep printing new records, every 200 ms, until Ctrl+C" },
    { "--max-size", OPT_MAX_SIZE, SIZE_VALUE, "N",
      "the store's limit, Parameters\\MaxSize (default 64M)" },
    { "--force", OPT_FORCE, NO_VALUE, NULL,
      "when installed already, uninstall first (the store's contents are lost)" },
    { "--driver", OPT_DRIVER, TEXT_VALUE, "PATH",
      "the driver file to install (default: xfer.sys next to xferctl.exe);\n"
      "                    with --pnp, its INF (default: xfer.inf there)" },
    { "--pnp", OPT_PNP, NO_VALUE, NULL,
      "as Plug and Play devices, from the INF (see docs/install.md)" },
    { "--count", OPT_COUNT, SIZE_VALUE, "N", "requests per path and size, at most (default 256)" },
    { "--seconds", OPT_SECONDS, SECONDS_VALUE, "S",
      "seconds per path and size, at most (default 2; 0.5 works)" },
    { "--sizes", OPT_SIZES, LIST_VALUE, "LIST", "request sizes, comma-separated: 0,64,4K,1M" },
    { "--null", OPT_NULL, NO_VALUE, NULL,
      "also time the null driver, interleaved, and print xfer's cost as a ratio" },
    { "--rounds", OPT_ROUNDS, SIZE_VALUE, "N",
      "split each measurement into N alternating runs (default 1, with --null 5)" },
    { "--threads", OPT_THREADS, LIST_VALUE, "LIST",
      "also run 1 or more client threads at once: 1,2,4" },
    { "--changes", OPT_CHANGES, SIZE_VALUE, "N", "stop after N changes (default: at Ctrl+C)" },
};

#define OPTION_COUNT (sizeof(options) / sizeof(options[0]))

void cli_print_help(const struct command *command, FILE *out)
{
    size_t i;

    fprintf(out, "usage: xferctl %s%s%s%s\n\n%c%s.\n\n%s", command->name,
            command->options ? " [OPTIONS]" : "", command->args[0] ? " " : "", command->args,
            toupper((unsigned char)command->summary[0]), command->summary + 1, command->help);
    fprintf(out, "\noptions:\n");
    for (i = 0; i < OPTION_COUNT; i++) {
        char name[32];

        if (!(command->options & options[i].flag))
            continue;
        snprintf(name, sizeof(name), "%s%s%s", options[i].name, options[i].value ? " " : "",
                 options[i].value ? options[i].value : "");
        fprintf(out, "  %-18s%s\n", name, options[i].help);
    }
    fprintf(out, "  %-18s%s\n", "--help", "this help");
    if (command->options & (OPT_OFFSET | OPT_LENGTH | OPT_MAX_SIZE | OPT_SIZES))
        fprintf(out, "\nSizes are bytes, or 1024-based with a unit: 4K, 1M, 1G (also KiB, MiB,\n"
                     "GiB), or hexadecimal: 0x1000.\n");
}

static const struct option *find_option(const char *name, size_t length)
{
    size_t i;

    for (i = 0; i < OPTION_COUNT; i++)
        if (strlen(options[i].name) == length && strncmp(options[i].name, name, length) == 0)
            return &options[i];
    return NULL;
}

static int parse_via(struct cli *cli, const char *text)
{
    int m;

    for (m = 0; m < XFER_MECHANISM_COUNT; m++) {
        if (strcmp(text, xfer_mechanism_name((xfer_mechanism)m)) == 0) {
            cli->via = (xfer_mechanism)m;
            return XFERCTL_OK;
        }
    }
    return cli_usage(cli, "--via '%s': expected buffered, direct or neither", text);
}

/* "0,64,4K": sizes, in the order given. */
static int parse_list(struct cli *cli, const struct option *option, const char *text,
                      uint64_t *values, size_t *count)
{
    char item[64];
    const char *at = text, *why;
    size_t length;

    *count = 0;
    do {
        length = strcspn(at, ",");
        if (*count == XFERCTL_MAX_LIST)
            return cli_usage(cli, "%s: at most %d values", option->name, XFERCTL_MAX_LIST);
        if (length >= sizeof(item))
            return cli_usage(cli, "%s '%s': a value is too long", option->name, text);
        memcpy(item, at, length);
        item[length] = '\0';
        if (xferctl_parse_size(item, &values[*count], &why) != 0)
            return cli_usage(cli, "%s '%s': '%s': %s", option->name, text, item, why);
        ++*count;
        at += length;
    } while (*at++ == ',');
    return XFERCTL_OK;
}

static int parse_seconds(struct cli *cli, const char *text)
{
    char *end;
    double value = strtod(text, &end);

    if (end == text || *end != '\0' || !(value >= 0.001 && value <= 3600))
        return cli_usage(cli, "--seconds %s: must be from 0.001 to 3600", text);
    cli->seconds = value;
    return XFERCTL_OK;
}

static int set_list(struct cli *cli, const struct option *option, const char *text)
{
    size_t i;
    int result;

    if (option->flag == OPT_SIZES)
        return parse_list(cli, option, text, cli->sizes, &cli->size_count);
    result = parse_list(cli, option, text, cli->threads, &cli->thread_count);
    for (i = 0; i < cli->thread_count && result == XFERCTL_OK; i++)
        if (cli->threads[i] == 0 || cli->threads[i] > 64)
            result = cli_usage(cli, "--threads %s: from 1 to 64 threads", text);
    return result;
}

static int set_value(struct cli *cli, const struct option *option, const char *text)
{
    const char *why;
    uint64_t value;

    switch (option->kind) {
    case VIA_VALUE:
        return parse_via(cli, text);
    case LIST_VALUE:
        return set_list(cli, option, text);
    case SECONDS_VALUE:
        return parse_seconds(cli, text);
    case TEXT_VALUE:
        cli->driver = text;
        return XFERCTL_OK;
    case SIZE_VALUE:
        if (xferctl_parse_size(text, &value, &why) != 0)
            return cli_usage(cli, "%s '%s': %s", option->name, text, why);
        break;
    default:
        return XFERCTL_OK;
    }
    switch (option->flag) {
    case OPT_OFFSET:
        if (value > XFERCTL_MAX_OFFSET)
            return cli_usage(cli, "--offset %s: the store's offsets end at 2^63 - 1", text);
        cli->offset = value;
        break;
    case OPT_LENGTH:
        cli->length = value;
        break;
    case OPT_MAX_SIZE:
        if (value == 0 || value > XFERCTL_MAX_OFFSET)
            return cli_usage(cli, "--max-size %s: must be from 1 byte to 2^63 - 1", text);
        cli->max_size = value;
        break;
    case OPT_COUNT:
        if (value == 0 || value > 100000000)
            return cli_usage(cli, "--count %s: must be from 1 to 100000000", text);
        cli->count = value;
        break;
    case OPT_ROUNDS:
        if (value == 0 || value > 1000)
            return cli_usage(cli, "--rounds %s: must be from 1 to 1000", text);
        cli->rounds = value;
        break;
    case OPT_CHANGES:
        if (value == 0)
            return cli_usage(cli, "--changes %s: must be 1 or more", text);
        cli->changes = value;
        break;
    }
    return XFERCTL_OK;
}

int cli_parse(const struct command *command, int argc, char **argv, int first,
              struct cli *cli)
{
    int i, options_ended = 0, result;

    memset(cli, 0, sizeof(*cli));
    cli->command = command;
    cli->via = XFER_BUFFERED;
    for (i = first; i < argc; i++) {
        const char *arg = argv[i], *equals, *value = NULL;
        const struct option *option;
        size_t length;

        /* "-" alone, and "-1" (a bad size, not an option), are arguments. */
        if (options_ended || arg[0] != '-' || arg[1] == '\0' ||
            (arg[1] >= '0' && arg[1] <= '9')) {
            if (cli->arg_count >= command->max_args)
                return cli_usage(cli, "unexpected argument '%s'", arg);
            cli->args[cli->arg_count++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_ended = 1;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
            return -1;
        equals = strchr(arg, '=');
        length = equals != NULL ? (size_t)(equals - arg) : strlen(arg);
        option = find_option(arg, length);
        if (option == NULL || !(command->options & option->flag))
            return cli_usage(cli, "unknown option '%.*s'", (int)length, arg);
        if (cli->given & option->flag)
            return cli_usage(cli, "%s given twice", option->name);
        cli->given |= option->flag;
        if (option->kind == NO_VALUE) {
            if (equals != NULL)
                return cli_usage(cli, "%s takes no value", option->name);
            switch (option->flag) {
            case OPT_IOCTL: cli->ioctl = 1; break;
            case OPT_JSON: cli->json = 1; break;
            case OPT_RESET: cli->reset = 1; break;
            case OPT_FOLLOW: cli->follow = 1; break;
            case OPT_FORCE: cli->force = 1; break;
            case OPT_NULL: cli->null = 1; break;
            case OPT_PNP: cli->pnp = 1; break;
            }
            continue;
        }
        if (equals != NULL) {
            value = equals + 1;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            return cli_usage(cli, "%s needs a value (%s)", option->name, option->value);
        }
        result = set_value(cli, option, value);
        if (result != XFERCTL_OK)
            return result;
    }
    if (cli->arg_count < command->min_args)
        return cli_usage(cli, "missing %s", command->args);
    return XFERCTL_OK;
}
