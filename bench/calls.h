/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * calls.h — the random-number and libm calls the kernel's floor is made of:
 * counted by bench/count_calls.c, replayed by bench/bench_kernel.c.
 */
#ifndef MNDSIM_BENCH_CALLS_H
#define MNDSIM_BENCH_CALLS_H

enum { C_SET, C_GAUSS, C_UNIFORM, C_EXPONENTIAL, C_EXP, C_LOG, C_LOG1P, C_POW, C_COUNT };

static const char *const call_names[C_COUNT] = {"gsl_rng_set", "gaussian", "uniform",
                                                "exponential", "exp", "log", "log1p", "pow"};

#endif
