/* SPDX-License-Identifier: MIT */
/*
 *   bench_store [--out DIR] [--wdm1-max-mib N] [--quick]
 *
 * Runs the store core's benchmark in one process: throughput of reads and
 * writes against memcpy, growth against Wdm1's algorithm, memory use.
 * Writes DIR/results.md (tables, for docs/benchmarks.md), and
 * DIR/throughput.dat and DIR/growth.dat (for bench/core/plot.gp). Progress
 * goes to stdout. Wdm1's quadratic growth runs up to N MiB (default 16);
 * past that its times are extrapolated, and marked so. Asserts nothing
 * about time: it reports which targets were met.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

double bench_median(double *values, size_t n)
{
    qsort(values, n, sizeof(*values), compare_double);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

void *bench_alloc_buffer(size_t bytes)
{
    void *p = NULL;

    if (posix_memalign(&p, 64, bytes) != 0) {
        fprintf(stderr, "bench_store: out of memory (%zu bytes)\n", bytes);
        exit(1);
    }
    memset(p, 0x5A, bytes);   /* fault every page in before timing */
    return p;
}


const char *bench_target(struct bench_out *out, int met)
{
    out->targets++;
    out->targets_met += met != 0;
    return met ? "yes" : "**no**";
}

static FILE *open_in(const char *dir, const char *name)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    return f;
}

int main(int argc, char **argv)
{
    struct bench_out out;
    const char *dir = ".";
    int i;

    memset(&out, 0, sizeof(out));
    out.wdm1_max_mib = 16;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--wdm1-max-mib") == 0 && i + 1 < argc)
            out.wdm1_max_mib = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--quick") == 0)
            out.quick = 1;
        else {
            fprintf(stderr, "usage: %s [--out DIR] [--wdm1-max-mib N] [--quick]\n",
                    argv[0]);
            return 2;
        }
    }
    out.md = open_in(dir, "results.md");
    out.throughput_dat = open_in(dir, "throughput.dat");
    out.growth_dat = open_in(dir, "growth.dat");

    bench_throughput(&out);
    bench_growth(&out);
    bench_memory(&out);

    fprintf(out.md, "\n**Targets met: %d of %d.**\n", out.targets_met, out.targets);
    printf("targets met: %d of %d\n", out.targets_met, out.targets);
    fclose(out.md);
    fclose(out.throughput_dat);
    fclose(out.growth_dat);
    return 0;
}
