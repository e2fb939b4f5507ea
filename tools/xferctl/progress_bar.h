/* SPDX-License-Identifier: MIT */
/*
 * xferctl: the text of the progress bar. Portable C, no Windows header, so
 * that it is unit-tested natively (tests/unit/test_progress.c).
 */
#ifndef XFERCTL_PROGRESS_BAR_H
#define XFERCTL_PROGRESS_BAR_H

#include <stddef.h>
#include <stdint.h>

#define PROGRESS_WIDTH 30   /* characters between the brackets */

/* One line of progress into `line` (`size` bytes, at least 1): with a
 * known, non-zero total and done <= total, "LABEL [###...] NN%  DONE of
 * TOTAL  R MB/s"; else "LABEL  DONE  R MB/s". A done past the total (a
 * file that grew while it was read) is shown as of an unknown total:
 * never more than 100% or PROGRESS_WIDTH marks. Returns the length the
 * line has (cut to size - 1 if need be). */
size_t progress_format(char *line, size_t size, const char *label, uint64_t done, uint64_t total,
                       int total_known, double seconds);

#endif /* XFERCTL_PROGRESS_BAR_H */
