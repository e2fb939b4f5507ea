/* SPDX-License-Identifier: MIT */
/*
 * Bad lengths: every IOCTL code swept over input lengths 0..64 and output
 * lengths 0..64 (plus each fixed-size output, one byte short and one
 * over). For each (in, out) pair the exact outcome is known:
 *
 *   ZERO, REMOVE      in != 0: INVALID_PARAMETER; any output is ignored
 *   GET_SIZE          in != 0: INVALID_PARAMETER; out < 8: BUFFER_TOO_SMALL
 *   GET_BUFFER        in != 0 or out > size: INVALID_PARAMETER
 *   READ_*            in != 16: INVALID_PARAMETER; else min(out, what is left)
 *   WRITE_BUFFERED    in < 16 or out != 0: INVALID_PARAMETER; data = in - 16
 *   WRITE_DIRECT/NEITHER  in != 16: INVALID_PARAMETER; data = the out buffer
 *   SET_SIZE          in != 8: INVALID_PARAMETER; any output is ignored
 *   GET_INFO, GET_STATS   in != 0: INVALID_PARAMETER; out < the struct:
 *                     BUFFER_TOO_SMALL
 *   RESET_STATS       as GET_STATS, but out == 0 is allowed (no snapshot)
 *   READ_TRACE        in != 16: INVALID_PARAMETER; out with room for no
 *                     whole record (records there to read): BUFFER_TOO_SMALL
 *   unknown codes     INVALID_FUNCTION, whatever the lengths
 *
 * The input is looked at before the output. After every call: the exact
 * error; on a refusal nothing returned and the output untouched, on
 * success Information exact, never above the output length, and nothing
 * written past it; the store's size and generation (GET_INFO) unchanged
 * by a refusal and moved as expected by a success; and after each code's
 * sweep, the store's bytes equal to a model of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "e2e.h"
#include "unit.h"

#define MAX_IN 64u
#define SLACK 16u
#define STORE_SIZE 40u
#define OFFSET 10u   /* the transfer IOCTLs' header offset */
#define SEED 61u
#define STATS_SIZE ((DWORD)sizeof(struct xfer_stats))
#define INFO_SIZE ((DWORD)sizeof(struct xfer_info))
#define BATCH_SIZE ((DWORD)sizeof(struct xfer_trace_batch))
#define RECORD_SIZE ((DWORD)sizeof(struct xfer_trace_record))

enum kind {
    KIND_NO_DATA,         /* ZERO, REMOVE */
    KIND_GET_SIZE,
    KIND_GET_BUFFER,
    KIND_READ,
    KIND_WRITE_IN,        /* WRITE_BUFFERED: the data follows the header */
    KIND_WRITE_OUT,       /* WRITE_DIRECT, WRITE_NEITHER: the data is the out buffer */
    KIND_SET_SIZE,
    KIND_FIXED_OUT,       /* GET_INFO, GET_STATS: `size` bytes out */
    KIND_RESET,
    KIND_READ_TRACE,
    KIND_UNKNOWN,
};

struct code_case {
    const char *name;
    DWORD code;
    enum kind kind;
    DWORD size;   /* KIND_FIXED_OUT and KIND_RESET: the struct */
    char test_name[64];
};

static struct code_case cases[] = {
    { "zero", IOCTL_XFER_ZERO_BUFFER, KIND_NO_DATA, 0, "" },
    { "remove", IOCTL_XFER_REMOVE_BUFFER, KIND_NO_DATA, 0, "" },
    { "get_size", IOCTL_XFER_GET_SIZE, KIND_GET_SIZE, 0, "" },
    { "get_buffer", IOCTL_XFER_GET_BUFFER, KIND_GET_BUFFER, 0, "" },
    { "read_buffered", IOCTL_XFER_READ_BUFFERED, KIND_READ, 0, "" },
    { "read_direct", IOCTL_XFER_READ_DIRECT, KIND_READ, 0, "" },
    { "read_neither", IOCTL_XFER_READ_NEITHER, KIND_READ, 0, "" },
    { "write_buffered", IOCTL_XFER_WRITE_BUFFERED, KIND_WRITE_IN, 0, "" },
    { "write_direct", IOCTL_XFER_WRITE_DIRECT, KIND_WRITE_OUT, 0, "" },
    { "write_neither", IOCTL_XFER_WRITE_NEITHER, KIND_WRITE_OUT, 0, "" },
    { "set_size", IOCTL_XFER_SET_SIZE, KIND_SET_SIZE, 0, "" },
    { "get_info", IOCTL_XFER_GET_INFO, KIND_FIXED_OUT, INFO_SIZE, "" },
    { "get_stats", IOCTL_XFER_GET_STATS, KIND_FIXED_OUT, STATS_SIZE, "" },
    { "reset_stats", IOCTL_XFER_RESET_STATS, KIND_RESET, STATS_SIZE, "" },
    { "read_trace", IOCTL_XFER_READ_TRACE, KIND_READ_TRACE, 0, "" },
    { "unknown_buffered", XFER_CTL(0x8FF, METHOD_BUFFERED, FILE_ANY_ACCESS), KIND_UNKNOWN, 0, "" },
    { "unknown_neither", XFER_CTL(0x8FF, METHOD_NEITHER, FILE_ANY_ACCESS), KIND_UNKNOWN, 0, "" },
};

#define CASE_COUNT (sizeof(cases) / sizeof(cases[0]))

/* 0..64, then every fixed size one short, exact and one over. */
static const DWORD extra_outs[] = {
    INFO_SIZE - 1, INFO_SIZE, INFO_SIZE + 1,
    BATCH_SIZE + RECORD_SIZE - 1, BATCH_SIZE + RECORD_SIZE, BATCH_SIZE + 3 * RECORD_SIZE + 1,
    STATS_SIZE - 1, STATS_SIZE, STATS_SIZE + 1,
};
#define OUT_COUNT (MAX_IN + 1 + sizeof(extra_outs) / sizeof(extra_outs[0]))
#define MAX_OUT (STATS_SIZE + 1)
#define MODEL_SIZE (OFFSET + MAX_OUT + 1)

static DWORD out_length(size_t i)
{
    return i <= MAX_IN ? (DWORD)i : extra_outs[i - MAX_IN - 1];
}

struct outcome {
    DWORD error;
    DWORD returned;
    int generation;   /* its move on success; -1: not looked at */
};

static struct outcome refused(DWORD error)
{
    struct outcome o = { error, 0, 0 };
    return o;
}

static struct outcome succeeds(DWORD returned, int generation)
{
    struct outcome o = { ERROR_SUCCESS, returned, generation };
    return o;
}

/* What the driver must answer for (in, out) with the store at `size`. */
static struct outcome expect(const struct code_case *c, DWORD in, DWORD out, uint64_t size)
{
    uint64_t left = size > OFFSET ? size - OFFSET : 0;

    switch (c->kind) {
    case KIND_NO_DATA:
        return in != 0 ? refused(ERROR_INVALID_PARAMETER) : succeeds(0, -1);
    case KIND_GET_SIZE:
        if (in != 0)
            return refused(ERROR_INVALID_PARAMETER);
        return out < 8 ? refused(ERROR_INSUFFICIENT_BUFFER) : succeeds(8, 0);
    case KIND_GET_BUFFER:
        return in != 0 || out > size ? refused(ERROR_INVALID_PARAMETER) : succeeds(out, 0);
    case KIND_READ:
        if (in != sizeof(struct xfer_transfer_header))
            return refused(ERROR_INVALID_PARAMETER);
        return succeeds(left < out ? (DWORD)left : out, 0);
    case KIND_WRITE_IN:
        if (in < sizeof(struct xfer_transfer_header) || out != 0)
            return refused(ERROR_INVALID_PARAMETER);
        return succeeds(0, in > sizeof(struct xfer_transfer_header));
    case KIND_WRITE_OUT:
        if (in != sizeof(struct xfer_transfer_header))
            return refused(ERROR_INVALID_PARAMETER);
        return succeeds(0, out != 0);
    case KIND_SET_SIZE:
        return in != sizeof(struct xfer_set_size) ? refused(ERROR_INVALID_PARAMETER)
                                                  : succeeds(0, -1);
    case KIND_FIXED_OUT:
    case KIND_RESET:
        if (in != 0)
            return refused(ERROR_INVALID_PARAMETER);
        if (c->kind == KIND_RESET && out == 0)
            return succeeds(0, 0);
        return out < c->size ? refused(ERROR_INSUFFICIENT_BUFFER) : succeeds(c->size, 0);
    case KIND_READ_TRACE:
        if (in != sizeof(struct xfer_trace_read))
            return refused(ERROR_INVALID_PARAMETER);
        /* Read from the oldest record: the GET_INFO after every call
         * leaves records enough to fill any batch of this sweep, so an
         * output with no room for one is too small. */
        return out < BATCH_SIZE + RECORD_SIZE ? refused(ERROR_INSUFFICIENT_BUFFER)
                                : succeeds(BATCH_SIZE + (out - BATCH_SIZE) / RECORD_SIZE *
                                                            RECORD_SIZE, 0);
    default:
        return refused(ERROR_INVALID_FUNCTION);
    }
}

struct sweep {
    const struct code_case *c;
    HANDLE device;
    uint8_t in[MAX_IN];
    uint8_t *out;
    uint8_t model[MODEL_SIZE];
    uint64_t model_size;
    struct e2e_state state;
};

/* A successful call's output is right, and the model follows its change. */
static void check_success(struct sweep *s, DWORD in, DWORD out, DWORD returned)
{
    struct xfer_info info;
    uint64_t size;
    size_t end;

    switch (s->c->kind) {
    case KIND_GET_SIZE:
        memcpy(&size, s->out, sizeof(size));
        ASSERT_EQ_U64(size, s->model_size);
        break;
    case KIND_GET_BUFFER:
        ASSERT_MEM_EQ(s->out, s->model, out);
        break;
    case KIND_READ:
        ASSERT_MEM_EQ(s->out, s->model + OFFSET, returned);
        break;
    case KIND_FIXED_OUT:
        if (s->c->code == IOCTL_XFER_GET_INFO) {
            memcpy(&info, s->out, sizeof(info));
            ASSERT_EQ_U64(info.size, s->model_size);
            ASSERT_EQ_U64(info.generation, s->state.generation);
        }
        break;
    case KIND_WRITE_IN:
    case KIND_WRITE_OUT:
        /* The data: the input after the header, or the out buffer (which
         * holds the sentinel, and still must: the driver only reads it). */
        end = OFFSET + (s->c->kind == KIND_WRITE_IN ? in - sizeof(struct xfer_transfer_header) : out);
        if (s->c->kind == KIND_WRITE_IN)
            memcpy(s->model + OFFSET, s->in + sizeof(struct xfer_transfer_header), end - OFFSET);
        else
            memset(s->model + OFFSET, E2E_SENTINEL, end - OFFSET);
        if (end > OFFSET && end > s->model_size)
            s->model_size = end;
        break;
    case KIND_NO_DATA:
        if (s->c->code == IOCTL_XFER_REMOVE_BUFFER)
            s->model_size = 0;
        memset(s->model, 0, sizeof(s->model));   /* ZERO and REMOVE alike */
        break;
    default:
        break;
    }
}

static void sweep_one(struct sweep *s, DWORD in, DWORD out)
{
    struct outcome o = expect(s->c, in, out, s->model_size);
    struct e2e_state now;
    DWORD returned, error;

    memset(s->out, E2E_SENTINEL, (size_t)out + SLACK);
    error = e2e_ioctl(s->device, s->c->code, s->in, in, s->out, out, &returned);
    if (error != o.error) {
        unit_fail(__FILE__, __LINE__, "%s in %lu out %lu: error %lu, expected %lu", s->c->name,
                  (unsigned long)in, (unsigned long)out, (unsigned long)error,
                  (unsigned long)o.error);
        return;
    }
    if (error != ERROR_SUCCESS ? !e2e_returned_nothing(returned) : returned != o.returned) {
        unit_fail(__FILE__, __LINE__, "%s in %lu out %lu: returned %lu, expected %lu",
                  s->c->name, (unsigned long)in, (unsigned long)out, (unsigned long)returned,
                  (unsigned long)o.returned);
        return;
    }
    if (!e2e_untouched_from(s->out, (size_t)out + SLACK, error == ERROR_SUCCESS ? returned : 0)) {
        unit_fail(__FILE__, __LINE__, "%s in %lu out %lu: output written past %lu", s->c->name,
                  (unsigned long)in, (unsigned long)out,
                  (unsigned long)(error == ERROR_SUCCESS ? returned : 0));
        return;
    }
    if (error == ERROR_SUCCESS)
        check_success(s, in, out, returned);
    UNIT_RETURN_IF_FAILED();

    /* The store moved only as the request said; the driver still serves. */
    ASSERT_EQ(e2e_get_state(s->device, &now), ERROR_SUCCESS);
    if (now.size != s->model_size ||
        (o.generation >= 0 && now.generation != s->state.generation + (uint64_t)o.generation))
        unit_fail(__FILE__, __LINE__, "%s in %lu out %lu: size %llu generation +%lld, "
                  "expected %llu and +%d", s->c->name, (unsigned long)in, (unsigned long)out,
                  (unsigned long long)now.size, (long long)(now.generation - s->state.generation),
                  (unsigned long long)s->model_size, o.generation);
    s->state = now;
}

static void run_sweep(const void *arg)
{
    static struct sweep s;
    struct xfer_transfer_header header = { OFFSET, 0 };
    struct xfer_set_size set_size = { STORE_SIZE };
    uint8_t *bytes;
    uint64_t size;
    DWORD in;
    size_t i;

    memset(&s, 0, sizeof(s));
    s.c = arg;
    s.out = malloc(MAX_OUT + SLACK);
    ASSERT_TRUE(s.out != NULL);
    ASSERT_EQ(xfer_open((xfer_mechanism)((s.c - cases) % XFER_MECHANISM_COUNT),
                        GENERIC_READ | GENERIC_WRITE, &s.device), ERROR_SUCCESS);
    ASSERT_EQ(e2e_reset_store(s.device, s.model, STORE_SIZE, SEED), ERROR_SUCCESS);
    s.model_size = STORE_SIZE;
    ASSERT_EQ(e2e_get_state(s.device, &s.state), ERROR_SUCCESS);

    e2e_fill_pattern(s.in, sizeof(s.in), SEED + 1, 0);
    if (s.c->kind == KIND_READ || s.c->kind == KIND_WRITE_IN || s.c->kind == KIND_WRITE_OUT)
        memcpy(s.in, &header, sizeof(header));
    if (s.c->kind == KIND_SET_SIZE)
        memcpy(s.in, &set_size, sizeof(set_size));   /* a resize to the size it has */
    if (s.c->kind == KIND_READ_TRACE)
        memset(s.in, 0, sizeof(struct xfer_trace_read));   /* after 0: from the oldest */

    for (in = 0; in <= MAX_IN && !unit_failed(); in++)
        for (i = 0; i < OUT_COUNT && !unit_failed(); i++)
            sweep_one(&s, in, out_length(i));

    /* The bytes, once per sweep: exactly what the successes wrote. */
    if (!unit_failed()) {
        ASSERT_EQ(e2e_read_store(s.device, &bytes, &size), ERROR_SUCCESS);
        if (size != s.model_size || memcmp(bytes, s.model, (size_t)size) != 0)
            unit_fail(__FILE__, __LINE__, "%s: the store (%llu bytes) is not the model",
                      s.c->name, (unsigned long long)size);
        free(bytes);
    }
    CloseHandle(s.device);
    free(s.out);
}

__attribute__((constructor)) static void register_sweeps(void)
{
    size_t i;

    for (i = 0; i < CASE_COUNT; i++) {
        snprintf(cases[i].test_name, sizeof(cases[i].test_name), "test_bad_length_%s",
                 cases[i].name);
        unit_register_case(cases[i].test_name, run_sweep, &cases[i]);
    }
}
