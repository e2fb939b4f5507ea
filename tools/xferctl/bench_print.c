/* SPDX-License-Identifier: MIT */
/*
 * xferctl bench: the results as a table (one block per request size, the
 * null driver's columns and xfer's cost ratio beside xfer's when it ran)
 * or as JSON.
 */
#include "bench.h"

/* xfer's median latency over the null driver's: what xfer adds. */
#define BENCH_TARGET_RATIO 1.05

static const struct bench_stats *stats_of(const struct bench_report *report, int target,
                                          size_t path, size_t size)
{
    return &report->stats[(size_t)target * bench_path_count + path][size];
}

static double ratio_of(const struct bench_report *report, size_t path, size_t size)
{
    const struct bench_stats *xfer = stats_of(report, BENCH_XFER, path, size);
    const struct bench_stats *floor = stats_of(report, BENCH_NULL, path, size);

    return floor->us_p50 > 0 ? xfer->us_p50 / floor->us_p50 : 0;
}

/* The same for the fastest requests: what is left when the noise is not. */
static double min_ratio_of(const struct bench_report *report, size_t path, size_t size)
{
    const struct bench_stats *xfer = stats_of(report, BENCH_XFER, path, size);
    const struct bench_stats *floor = stats_of(report, BENCH_NULL, path, size);

    return floor->us_min > 0 ? xfer->us_min / floor->us_min : 0;
}

static void print_row(const struct bench_report *report, size_t path, size_t size)
{
    int target;

    printf("%-21s %-9s", bench_paths[path].name, xfer_mechanism_name(bench_paths[path].device));
    for (target = 0; target < report->plan->targets; target++) {
        const struct bench_stats *s = stats_of(report, target, path, size);

        printf(" %8llu %9.1f %9.1f %9.1f %9.1f", (unsigned long long)s->requests, s->us_min,
               s->us_p50, s->us_p99, s->mb_per_s);
    }
    if (report->plan->targets > 1)
        printf(" %6.3f", ratio_of(report, path, size));
    printf("\n");
}

static void print_header(const struct bench_report *report, const char *title)
{
    int target;

    printf("\n%s\n%-31s", title, "");
    for (target = 0; target < report->plan->targets; target++)
        printf(" %-48s", target == BENCH_XFER ? "xfer.sys" : "null driver (the floor)");
    printf("\n%-21s %-9s", "path", "device");
    for (target = 0; target < report->plan->targets; target++)
        printf(" %8s %9s %9s %9s %9s", "requests", "min us", "median us", "p99 us", "MB/s");
    printf("%s\n", report->plan->targets > 1 ? "  ratio" : "");
}

/* How many measurements met the target ratio, and the worst. */
static void print_verdict(const struct bench_report *report)
{
    size_t path, size, met = 0, total = 0, worst_path = 0, worst_size = 0;
    double worst = 0, ratio;
    char text[32];

    for (path = 0; path < bench_path_count; path++) {
        for (size = 0; size < report->plan->size_count; size++) {
            if (bench_paths[path].kind == BENCH_GET_SIZE && size > 0)
                break;
            ratio = ratio_of(report, path, size);
            total++;
            met += ratio <= BENCH_TARGET_RATIO;
            if (ratio > worst) {
                worst = ratio;
                worst_path = path;
                worst_size = size;
            }
        }
    }
    printf("\nratio: xfer's median latency over the null driver's. Within %.2f on %zu of "
           "%zu; the highest %.3f (%s on %s, %s).\n",
           BENCH_TARGET_RATIO, met, total, worst, bench_paths[worst_path].name,
           xfer_mechanism_name(bench_paths[worst_path].device),
           bench_paths[worst_path].kind == BENCH_GET_SIZE
               ? "8 bytes"
               : xferctl_format_size(report->plan->sizes[worst_size], text, sizeof(text)));
}

static void print_concurrency(const struct bench_report *report)
{
    const struct bench_plan *plan = report->plan;
    size_t p, t;
    int target;
    char text[32];

    printf("\n%s requests from several client threads at once: aggregate MB/s\n",
           xferctl_format_size(plan->thread_length, text, sizeof(text)));
    printf("%-21s %-9s", "path", "device");
    for (target = 0; target < plan->targets; target++)
        for (t = 0; t < plan->thread_count; t++)
            printf(" %4s %2llu thr", target == BENCH_XFER ? "xfer" : "null",
                   (unsigned long long)plan->threads[t]);
    printf("\n");
    for (p = 0; p < report->concurrent_path_count; p++) {
        printf("%-21s %-9s", report->concurrent_paths[p]->name,
               xfer_mechanism_name(report->concurrent_paths[p]->device));
        for (target = 0; target < plan->targets; target++)
            for (t = 0; t < plan->thread_count; t++)
                printf(" %11.1f",
                       report->concurrent[((size_t)target * report->concurrent_path_count + p) *
                                              plan->thread_count + t].mb_per_s);
        printf("\n");
    }
}

void bench_print_table(const struct bench_report *report)
{
    const struct bench_plan *plan = report->plan;
    size_t path, size;
    char text[32], title[96];

    printf("%s: %llu round%s of at most %llu requests and %.3g s per path and size\n",
           plan->targets > 1 ? "xfer.sys and the null driver, interleaved" : "xfer.sys",
           (unsigned long long)plan->rounds, plan->rounds == 1 ? "" : "s",
           (unsigned long long)plan->count, plan->seconds);
    print_header(report, "The smallest request: IOCTL_XFER_GET_SIZE (an 8-byte answer)");
    print_row(report, 0, 0);
    for (size = 0; size < plan->size_count; size++) {
        snprintf(title, sizeof(title), "%s requests",
                 xferctl_format_size(plan->sizes[size], text, sizeof(text)));
        print_header(report, title);
        for (path = 0; path < bench_path_count; path++)
            if (bench_paths[path].kind != BENCH_GET_SIZE)
                print_row(report, path, size);
    }
    if (plan->targets > 1)
        print_verdict(report);
    if (plan->thread_count > 0)
        print_concurrency(report);
}

static void print_json_stats(const struct bench_report *report, int target, size_t path,
                             size_t size, int *first)
{
    const struct bench_stats *s = stats_of(report, target, path, size);
    int get_size = bench_paths[path].kind == BENCH_GET_SIZE;

    printf("%s\n  {\"target\": \"%s\", \"path\": \"%s\", \"device\": \"%s\", \"length\": %llu, "
           "\"requests\": %llu, \"bytes\": %llu, \"seconds\": %.6f, \"mb_per_s\": %.3f, "
           "\"us_min\": %.3f, \"us_mean\": %.3f, \"us_p50\": %.3f, \"us_p99\": %.3f",
           *first ? "" : ",", target == BENCH_XFER ? "xfer" : "null", bench_paths[path].name,
           xfer_mechanism_name(bench_paths[path].device),
           (unsigned long long)(get_size ? BENCH_GET_SIZE_LENGTH : report->plan->sizes[size]),
           (unsigned long long)s->requests, (unsigned long long)s->bytes, s->seconds,
           s->mb_per_s, s->us_min, s->us_mean, s->us_p50, s->us_p99);
    if (target == BENCH_XFER && report->plan->targets > 1)
        printf(", \"ratio_p50\": %.4f, \"ratio_min\": %.4f", ratio_of(report, path, size),
               min_ratio_of(report, path, size));
    printf("}");
    *first = 0;
}

void bench_print_json(const struct bench_report *report)
{
    const struct bench_plan *plan = report->plan;
    size_t path, size, p, t;
    int target, first = 1;

    printf("{\"rounds\": %llu, \"count\": %llu, \"seconds\": %.3f, \"offset\": %llu, "
           "\"null\": %s, \"sizes\": [",
           (unsigned long long)plan->rounds, (unsigned long long)plan->count, plan->seconds,
           (unsigned long long)plan->offset, plan->targets > 1 ? "true" : "false");
    for (size = 0; size < plan->size_count; size++)
        printf("%s%llu", size ? ", " : "", (unsigned long long)plan->sizes[size]);
    printf("], \"results\": [");
    for (target = 0; target < plan->targets; target++)
        for (path = 0; path < bench_path_count; path++)
            for (size = 0; size < plan->size_count; size++)
                if (bench_paths[path].kind != BENCH_GET_SIZE || size == 0)
                    print_json_stats(report, target, path, size, &first);
    printf("\n], \"concurrency\": [");
    first = 1;
    for (target = 0; target < plan->targets; target++)
        for (p = 0; p < report->concurrent_path_count; p++)
            for (t = 0; t < plan->thread_count; t++) {
                const struct bench_concurrent *c =
                    &report->concurrent[((size_t)target * report->concurrent_path_count + p) *
                                            plan->thread_count + t];

                printf("%s\n  {\"target\": \"%s\", \"path\": \"%s\", \"device\": \"%s\", "
                       "\"length\": %lu, \"threads\": %llu, \"requests\": %llu, "
                       "\"bytes\": %llu, \"seconds\": %.6f, \"mb_per_s\": %.3f}",
                       first ? "" : ",", target == BENCH_XFER ? "xfer" : "null",
                       report->concurrent_paths[p]->name,
                       xfer_mechanism_name(report->concurrent_paths[p]->device),
                       (unsigned long)plan->thread_length, (unsigned long long)c->threads,
                       (unsigned long long)c->requests, (unsigned long long)c->bytes,
                       c->seconds, c->mb_per_s);
                first = 0;
            }
    printf("\n]}\n");
}
