/* SPDX-License-Identifier: MIT */
/*
 * The low resources suite's shared parts (lowres.c): its results, the
 * verifier's control, and the checks every walk makes after a failure.
 * lowres_pnp.c walks the start with the class Security value and
 * AddDevice with them.
 */
#ifndef XFER_LOWRES_H
#define XFER_LOWRES_H

#include <windows.h>
#include "xfer/verify.h"

extern HANDLE lowres_control;   /* a device of the driver, read and write */
extern int lowres_under_wine;
extern unsigned lowres_points;  /* fault points failed so far */
extern unsigned lowres_round;   /* bumped by each request that writes new bytes */

/* One check of fault point k of `request`; a failed one is printed. */
void lowres_check(int ok, const char *what, const char *request, unsigned k, const char *detail);
/* IOCTL_XFER_VERIFY through lowres_control; `state` may be NULL. */
DWORD lowres_verify(uint32_t op, uint32_t fail_at, struct xfer_verify_state *state);
/* Takes the store's state (size, generation, bytes) and the driver's
 * pool before a request. */
DWORD lowres_before(void);
/* After the request that met fault point k: the store is as
 * lowres_before saw it, and the driver holds no more pool. 0 when the
 * state could not be taken (and a failure checked). */
int lowres_check_unchanged(const char *request, unsigned k, const char *site);
/* Walks DriverEntry's fault points by restarts of the service; returns
 * how many a start meets. */
unsigned lowres_walk_driver_entry(const char *name);

/* lowres_pnp.c: DriverEntry with the device class's Security value set
 * (`without`: the fault points of a start without it); then, with the
 * plain service stopped, AddDevice through a Plug and Play install from
 * `inf_path` (xfer.inf beside the verifier build); the plain service is
 * installed and started again after. */
void lowres_walk_class_security(unsigned without);
void lowres_walk_plug_and_play(const wchar_t *inf_path);

#endif /* XFER_LOWRES_H */
