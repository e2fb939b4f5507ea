/* SPDX-License-Identifier: MIT */
/*
 * xferctl: sizes and offsets on the command line. Portable C, no Windows
 * header, so that the parser is unit-tested natively (tests/unit).
 */
#ifndef XFERCTL_SIZE_H
#define XFERCTL_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* Parses a size: decimal digits ("4096") or hexadecimal ("0x1000"),
 * decimal optionally followed by a binary (1024-based) unit, case
 * insensitive: K, KiB, M, MiB, G, GiB, T, TiB, or B for bytes ("4K",
 * "1MiB", "64k"). No sign, no spaces, no fraction. 0 on success; -1 with
 * *why set to the reason (a static string) otherwise: empty, not a number,
 * an unknown unit, or a value past 2^64 - 1. */
int xferctl_parse_size(const char *text, uint64_t *value, const char **why);

/* "64 MiB", "4 KiB", "1.5 GiB", "1000 bytes": a human-readable size (exact
 * when it is a whole number of the unit). Returns `buffer`. */
char *xferctl_format_size(uint64_t value, char *buffer, size_t size);

#endif /* XFERCTL_SIZE_H */
