/* SPDX-License-Identifier: MIT */
/*
 * xferctl: a progress bar on stderr for large transfers, only when stderr
 * is a terminal: nothing lands in a redirected log.
 */
#include <io.h>
#include <string.h>
#include "progress_bar.h"
#include "xferctl.h"

#define PROGRESS_THRESHOLD (4ull * 1024 * 1024)   /* smaller transfers show none */
#define PROGRESS_REDRAW_MS 100

int cli_stderr_is_terminal(void)
{
    HANDLE handle = GetStdHandle(STD_ERROR_HANDLE);
    DWORD mode;

    if (handle != NULL && handle != INVALID_HANDLE_VALUE && GetConsoleMode(handle, &mode))
        return 1;
    return _isatty(_fileno(stderr)) != 0;
}

/* The performance counter, not GetTickCount64: that is Windows Vista's. */
static uint64_t now_ms(void)
{
    LARGE_INTEGER now, frequency;

    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&frequency);
    return (uint64_t)(now.QuadPart / frequency.QuadPart) * 1000 +
           (uint64_t)(now.QuadPart % frequency.QuadPart) * 1000 / (uint64_t)frequency.QuadPart;
}

void progress_begin(struct progress *progress, const char *label, uint64_t total,
                    int total_known)
{
    memset(progress, 0, sizeof(*progress));
    progress->label = label;
    progress->total = total;
    progress->total_known = total_known;
    /* An unknown total may turn out large: decide when it passes the mark. */
    progress->enabled = (!total_known || total > PROGRESS_THRESHOLD) && cli_stderr_is_terminal();
    progress->start_ms = progress->last_ms = now_ms();
}

static void draw(struct progress *progress, uint64_t now)
{
    char line[160];
    size_t used = progress_format(line, sizeof(line), progress->label, progress->done,
                                  progress->total, progress->total_known,
                                  (double)(now - progress->start_ms) / 1000.0);

    /* Pad over a longer previous line; no escape sequences, for old consoles. */
    fprintf(stderr, "\r%-*s", used < 78 ? 78 : (int)used, line);
    fflush(stderr);
    progress->drawn = 1;
    progress->last_ms = now;
}

void progress_update(struct progress *progress, uint64_t done)
{
    uint64_t now;

    progress->done = done;
    /* A file that grew while it was read: its size was no total after all. */
    if (progress->total_known && done > progress->total)
        progress->total_known = 0;
    if (!progress->enabled || (!progress->total_known && done <= PROGRESS_THRESHOLD))
        return;
    now = now_ms();
    if (progress->drawn && now - progress->last_ms < PROGRESS_REDRAW_MS)
        return;
    draw(progress, now);
}

void progress_end(struct progress *progress)
{
    if (!progress->enabled || !progress->drawn)
        return;
    draw(progress, now_ms());
    fputc('\n', stderr);
    fflush(stderr);
    progress->enabled = 0;
}
