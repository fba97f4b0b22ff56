/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * count_calls.c — how many random numbers and libm calls the kernel makes.
 *
 * Usage: count_calls [--set KEY=VALUE] CONFIG N_PATIENTS > CALLS
 *
 * Runs the kernel (mnd_sim_run, no output) on one thread, linked with
 * -Wl,--wrap=exp,... so that every call from libmndsim goes through a
 * counting wrapper, and prints one line per call: its name and count
 * (calls.h).  bench_kernel replays these counts as the kernel's floor; it
 * times the kernel itself in a binary without wrappers, so their cost is
 * not charged to the kernel.
 */
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include "mndsim/config.h"
#include "mndsim/sim.h"
#include "calls.h"
#include "load.h"

static uint64_t calls[C_COUNT]; /* one thread: no races */

void __real_gsl_rng_set(const gsl_rng *r, unsigned long s);
double __real_gsl_ran_gaussian_ziggurat(const gsl_rng *r, double sigma);
double __real_gsl_rng_uniform(const gsl_rng *r);
double __real_gsl_ran_exponential(const gsl_rng *r, double mu);
double __real_exp(double x);
double __real_log(double x);
double __real_log1p(double x);
double __real_pow(double x, double y);
void __wrap_gsl_rng_set(const gsl_rng *r, unsigned long s);
double __wrap_gsl_ran_gaussian_ziggurat(const gsl_rng *r, double sigma);
double __wrap_gsl_rng_uniform(const gsl_rng *r);
double __wrap_gsl_ran_exponential(const gsl_rng *r, double mu);
double __wrap_exp(double x);
double __wrap_log(double x);
double __wrap_log1p(double x);
double __wrap_pow(double x, double y);

void __wrap_gsl_rng_set(const gsl_rng *r, unsigned long s) { calls[C_SET]++; __real_gsl_rng_set(r, s); }
double __wrap_gsl_ran_gaussian_ziggurat(const gsl_rng *r, double sigma)
{
    calls[C_GAUSS]++;
    return __real_gsl_ran_gaussian_ziggurat(r, sigma);
}
double __wrap_gsl_rng_uniform(const gsl_rng *r) { calls[C_UNIFORM]++; return __real_gsl_rng_uniform(r); }
double __wrap_gsl_ran_exponential(const gsl_rng *r, double mu)
{
    calls[C_EXPONENTIAL]++;
    return __real_gsl_ran_exponential(r, mu);
}
double __wrap_exp(double x) { calls[C_EXP]++; return __real_exp(x); }
double __wrap_log(double x) { calls[C_LOG]++; return __real_log(x); }
double __wrap_log1p(double x) { calls[C_LOG1P]++; return __real_log1p(x); }
double __wrap_pow(double x, double y) { calls[C_POW]++; return __real_pow(x, y); }

static mnd_status ignore_block(const mnd_block *b, void *ctx, mnd_error *err) { return MND_OK; }

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    const char *set = bench_take_set(&argc, &argv);
    if (argc != 3) {
        fprintf(stderr, "usage: count_calls [--set KEY=VALUE] CONFIG N_PATIENTS\n");
        return 1;
    }
    mnd_params p = bench_load("count_calls", argv[1], argv[2], set);
    mnd_error err = {0};
    if (mnd_sim_run(&p, 1, ignore_block, NULL, NULL, NULL, &err) != MND_OK) {
        fprintf(stderr, "count_calls: %s\n", err.message);
        return 1;
    }
    for (int c = 0; c < C_COUNT; c++)
        printf("%s %llu\n", call_names[c], (unsigned long long)calls[c]);
    return 0;
}
