/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench_kernel.c — speed of the simulation kernel against the cost of its
 * random numbers and math alone, measured in the same run.
 *
 * Usage: bench_kernel [--set KEY=VALUE] CONFIG N_PATIENTS CALLS [TREATED_CONFIG]
 *
 * Kernel: mnd_sim_run with a sink that only counts the visits made
 * (patient-months with monthly visits), on 1 thread and on 2 threads.
 * Floor: exactly the random numbers and libm calls the kernel makes, as
 * counted by count_calls into the file CALLS (a binary of its own, whose
 * counting wrappers would otherwise slow the kernel timed here), replayed
 * alone: the same numbers of generator seedings, Gaussian, uniform and
 * exponential variates, exp, log, log1p and pow calls.  Everything else the
 * kernel does (item mapping, staging, root-finding bookkeeping, stores) is
 * its overhead over that floor.  Kernel and floor alternate and each
 * figure is the fastest of REPEATS, and ratios are taken within one run,
 * since this machine's clock speed varies by 20-40 % between runs.
 * Prints one "name value" line per figure (bench/run.py makes the table).
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include "mndsim/config.h"
#include "mndsim/rng.h"
#include "mndsim/sim.h"
#include "calls.h"
#include "load.h"

#define REPEATS 3

static mnd_status count_visits(const mnd_block *b, void *ctx, mnd_error *err)
{
    int64_t *visits = ctx;
    for (int64_t i = 0; i < b->n; i++)
        *visits += b->patients[i].n_visits;
    return MND_OK;
}

/* The floor: `count` of each call, shared among `threads`, on arguments in
 * the ranges the model uses, summed so the compiler cannot drop them: one
 * plain loop per kind of call, so that nothing but the calls is timed. */
static double floor_work(const mnd_params *p, const uint64_t count[C_COUNT], int threads)
{
    double total = 0.0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
    {
        gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
        double acc = 0.0;
#define FLOOR_LOOP(kind, expr)                                                                  \
    _Pragma("omp for schedule(static)") for (int64_t i = 0; i < (int64_t)count[kind]; i++)     \
    {                                                                                           \
        double x = (double)(i & 1023) * 0.001;                                                  \
        (void)x;                                                                                \
        acc += (expr);                                                                          \
    }
        FLOOR_LOOP(C_SET, (gsl_rng_set(r, mnd_rng_key(p->seed, MND_STREAM_COHORT, 0, (uint64_t)i, 0)), 0.0))
        FLOOR_LOOP(C_GAUSS, gsl_ran_gaussian_ziggurat(r, 1.0))
        FLOOR_LOOP(C_UNIFORM, gsl_rng_uniform(r))
        FLOOR_LOOP(C_EXPONENTIAL, gsl_ran_exponential(r, 1.0))
        FLOOR_LOOP(C_EXP, exp(-x))
        FLOOR_LOOP(C_LOG, log(1.0 + x))
        FLOOR_LOOP(C_LOG1P, log1p(x))
        FLOOR_LOOP(C_POW, pow(1.0 + x, 1.5))
#undef FLOOR_LOOP
        total += acc;
        gsl_rng_free(r);
    }
    return total;
}

/* Reads the counts that count_calls printed, in calls.h order. */
static int read_calls(const char *path, uint64_t count[C_COUNT])
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char name[32];
    unsigned long long n;
    int c = 0;
    while (c < C_COUNT && fscanf(f, "%31s %llu", name, &n) == 2 && strcmp(name, call_names[c]) == 0)
        count[c++] = n;
    fclose(f);
    return c == C_COUNT ? 0 : -1;
}

/* Seconds of the kernel on `threads` threads; its visits into *visits. */
static double time_kernel(const mnd_params *p, int threads, int64_t *visits)
{
    mnd_error err = {0};
    *visits = 0;
    double t0 = omp_get_wtime();
    if (mnd_sim_run(p, threads, count_visits, visits, NULL, NULL, &err) != MND_OK) {
        fprintf(stderr, "bench_kernel: %s\n", err.message);
        exit(2);
    }
    return omp_get_wtime() - t0;
}

static double time_floor(const mnd_params *p, const uint64_t count[C_COUNT], int threads)
{
    double t0 = omp_get_wtime();
    volatile double sink = floor_work(p, count, threads);
    (void)sink;
    return omp_get_wtime() - t0;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    uint64_t count[C_COUNT];
    const char *set = bench_take_set(&argc, &argv); /* for both configs */
    if (argc != 4 && argc != 5) {
        fprintf(stderr,
                "usage: bench_kernel [--set KEY=VALUE] CONFIG N_PATIENTS CALLS [TREATED_CONFIG]\n");
        return 1;
    }
    if (read_calls(argv[3], count) != 0) {
        fprintf(stderr, "bench_kernel: %s: not the output of count_calls\n", argv[3]);
        return 1;
    }
    mnd_params p = bench_load("bench_kernel", argv[1], argv[2], set);
    double kernel[2] = {INFINITY, INFINITY}, floor_s[2] = {INFINITY, INFINITY};
    int64_t visits = 0;
    for (int t = 1; t <= 2; t++)
        for (int r = 0; r < REPEATS; r++) {
            kernel[t - 1] = fmin(kernel[t - 1], time_kernel(&p, t, &visits));
            floor_s[t - 1] = fmin(floor_s[t - 1], time_floor(&p, count, t));
        }
    const double pm = (double)visits;
    printf("patients %lld\n", (long long)p.n_patients);
    printf("patient_months %lld\n", (long long)visits);
    printf("kernel_ns_1 %.1f\n", 1e9 * kernel[0] / pm);
    printf("floor_ns_1 %.1f\n", 1e9 * floor_s[0] / pm);
    printf("kernel_over_floor %.2f\n", kernel[0] / floor_s[0]);
    printf("kernel_ns_2 %.1f\n", 1e9 * kernel[1] / pm);
    printf("speedup_kernel %.2f\n", kernel[0] / kernel[1]);
    printf("speedup_floor %.2f\n", floor_s[0] / floor_s[1]);
    for (int c = 0; c < C_COUNT; c++)
        printf("calls_%s %.2f\n", call_names[c], (double)count[c] / pm);
    if (argc == 5) { /* the same cohort with interventions, 1 thread, same run */
        mnd_params q = bench_load("bench_kernel", argv[4], argv[2], set);
        double treated = INFINITY, untreated = INFINITY;
        int64_t tv = 0;
        for (int r = 0; r < REPEATS; r++) {
            treated = fmin(treated, time_kernel(&q, 1, &tv));
            untreated = fmin(untreated, time_kernel(&p, 1, &visits));
        }
        printf("treated_interventions %lld\n", (long long)q.n_interventions);
        printf("treated_ns_1 %.1f\n", 1e9 * treated / (double)tv);
        printf("treated_over_untreated %.2f\n", (treated / (double)tv) / (untreated / pm));
    }
    return 0;
}
