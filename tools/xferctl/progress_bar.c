/* SPDX-License-Identifier: MIT */
/*
 * xferctl: the text of the progress bar (progress_bar.h).
 */
#include <stdio.h>
#include <string.h>
#include "progress_bar.h"
#include "size.h"

size_t progress_format(char *line, size_t size, const char *label, uint64_t done, uint64_t total,
                       int total_known, double seconds)
{
    char done_text[32], total_text[32], bar[PROGRESS_WIDTH + 1];
    double rate = seconds > 0 ? (double)done / seconds / 1e6 : 0;
    size_t filled;
    int used;

    xferctl_format_size(done, done_text, sizeof(done_text));
    if (total_known && total != 0 && done <= total) {
        /* In floating point: done * 100 may not fit 64 bits. done <= total
         * keeps the fraction within [0, 1]. */
        double part = (double)done / (double)total;

        filled = (size_t)(part * PROGRESS_WIDTH);
        if (filled > PROGRESS_WIDTH)
            filled = PROGRESS_WIDTH;
        memset(bar, '#', filled);
        memset(bar + filled, '.', PROGRESS_WIDTH - filled);
        bar[PROGRESS_WIDTH] = '\0';
        xferctl_format_size(total, total_text, sizeof(total_text));
        used = snprintf(line, size, "%s [%s] %3u%%  %s of %s  %.0f MB/s", label, bar,
                        (unsigned)(part * 100), done_text, total_text, rate);
    } else {
        used = snprintf(line, size, "%s  %s  %.0f MB/s", label, done_text, rate);
    }
    if (used < 0)
        return 0;
    return (size_t)used < size ? (size_t)used : size - 1;
}
