/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench_kernel.c — speed of the simulation kernel against the cost of its
 * random numbers and math alone, measured in the same run.
 *
 * Usage: bench_kernel CONFIG N_PATIENTS
 *
 * Kernel: mnd_sim_run with a sink that only counts the visits made
 * (patient-months with monthly visits), on 1 thread and on 2 threads.
 * Floor: exactly the random numbers and libm calls the kernel made, counted
 * during the 1-thread kernel run (the bench is linked with
 * -Wl,--wrap=exp,... so every call from libmndsim goes through a counting
 * wrapper; the wrappers' own cost is charged to the kernel), then replayed
 * alone: the same numbers of generator seedings, Gaussian, uniform and
 * exponential variates, exp, log, log1p and pow calls.  Everything else the
 * kernel does (item mapping, staging, root-finding bookkeeping, stores) is
 * its overhead over that floor.  Ratios are taken within one run, since this
 * machine's clock speed varies by 20-40 % between runs.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include "mndsim/config.h"
#include "mndsim/rng.h"
#include "mndsim/sim.h"

static mnd_status count_visits(const mnd_block *b, void *ctx, mnd_error *err)
{
    int64_t *visits = ctx;
    for (int64_t i = 0; i < b->n; i++)
        *visits += b->patients[i].n_visits;
    return MND_OK;
}

/* Calls counted by the --wrap wrappers, per thread. */
enum { C_SET, C_GAUSS, C_UNIFORM, C_EXPONENTIAL, C_EXP, C_LOG, C_LOG1P, C_POW, C_COUNT };
static const char *const call_names[C_COUNT] = {"gsl_rng_set", "gaussian", "uniform",
                                                "exponential", "exp", "log", "log1p", "pow"};
static _Thread_local uint64_t calls[C_COUNT];

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

/* The floor: `count` of each call, shared among `threads`, on arguments in
 * the ranges the model uses, summed so the compiler cannot drop them.
 * Calls the real functions directly (no counting wrapper). */
static double floor_work(const mnd_params *p, const uint64_t count[C_COUNT], int threads)
{
    double total = 0.0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
    {
        gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
        double acc = 0.0;
        for (int c = 0; c < C_COUNT; c++) {
            int64_t n = (int64_t)count[c];
#pragma omp for schedule(static)
            for (int64_t i = 0; i < n; i++) {
                double x = (double)(i & 1023) * 0.001;
                switch (c) {
                case C_SET:
                    __real_gsl_rng_set(r, mnd_rng_key(p->seed, MND_STREAM_COHORT, 0, (uint64_t)i, 0));
                    break;
                case C_GAUSS:
                    acc += __real_gsl_ran_gaussian_ziggurat(r, 1.0);
                    break;
                case C_UNIFORM:
                    acc += __real_gsl_rng_uniform(r);
                    break;
                case C_EXPONENTIAL:
                    acc += __real_gsl_ran_exponential(r, 1.0);
                    break;
                case C_EXP:
                    acc += __real_exp(-x);
                    break;
                case C_LOG:
                    acc += __real_log(1.0 + x);
                    break;
                case C_LOG1P:
                    acc += __real_log1p(x);
                    break;
                default:
                    acc += __real_pow(1.0 + x, 1.5);
                }
            }
        }
        total += acc;
        gsl_rng_free(r);
    }
    return total;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: bench_kernel CONFIG N_PATIENTS [TREATED_CONFIG]\n");
        return 1;
    }
    char set_n[64];
    snprintf(set_n, sizeof set_n, "simulation.n_patients=%sL", argv[2]);
    const char *overrides[] = {set_n, "simulation.n_replicates=1"};
    mnd_params p;
    mnd_error err = {0};
    if (mnd_config_load(argv[1], overrides, 2, &p, NULL, &err) != MND_OK) {
        fprintf(stderr, "bench_kernel: %s\n", err.message);
        return 1;
    }
    int64_t n = p.n_patients, visits = 0;
    double kernel_s[2], floor_s[2];
    uint64_t count[C_COUNT];
    for (int t = 1; t <= 2; t++) {
        visits = 0;
        for (int c = 0; c < C_COUNT; c++)
            calls[c] = 0;
        double t0 = omp_get_wtime();
        if (mnd_sim_run(&p, t, count_visits, &visits, NULL, NULL, &err) != MND_OK) {
            fprintf(stderr, "bench_kernel: %s\n", err.message);
            return 2;
        }
        kernel_s[t - 1] = omp_get_wtime() - t0;
        if (t == 1) /* one thread: every call ran on this thread */
            for (int c = 0; c < C_COUNT; c++)
                count[c] = calls[c];
        t0 = omp_get_wtime();
        volatile double sink = floor_work(&p, count, t);
        (void)sink;
        floor_s[t - 1] = omp_get_wtime() - t0;
    }
    double ns1 = 1e9 * kernel_s[0] / (double)visits, fl1 = 1e9 * floor_s[0] / (double)visits;
    printf("patients                      %lld\n", (long long)n);
    printf("patient-months (visits)       %lld\n", (long long)visits);
    printf("kernel, 1 thread              %.1f ns/patient-month  (%.2f M patient-months/s/core)\n",
           ns1, 1e3 / ns1);
    printf("floor,  1 thread              %.1f ns/patient-month  (its random numbers and libm calls alone)\n", fl1);
    printf("calls per patient-month      ");
    for (int c = 0; c < C_COUNT; c++)
        printf(" %s %.2f", call_names[c], (double)count[c] / (double)visits);
    printf("\n");
    printf("kernel / floor                %.2f\n", ns1 / fl1);
    printf("kernel, 2 threads             %.1f ns/patient-month wall\n",
           1e9 * kernel_s[1] / (double)visits);
    printf("speed-up 1 -> 2 threads       %.2f (floor: %.2f)\n", kernel_s[0] / kernel_s[1],
           floor_s[0] / floor_s[1]);
    if (argc == 4) { /* the same cohort with interventions, 1 thread, same run */
        mnd_params q;
        if (mnd_config_load(argv[3], overrides, 2, &q, NULL, &err) != MND_OK) {
            fprintf(stderr, "bench_kernel: %s\n", err.message);
            return 1;
        }
        int64_t tv = 0;
        double t0 = omp_get_wtime();
        if (mnd_sim_run(&q, 1, count_visits, &tv, NULL, NULL, &err) != MND_OK) {
            fprintf(stderr, "bench_kernel: %s\n", err.message);
            return 2;
        }
        double nst = 1e9 * (omp_get_wtime() - t0) / (double)tv;
        printf("kernel with %lld interventions  %.1f ns/patient-month, 1 thread (%s)\n",
               (long long)q.n_interventions, nst, argv[3]);
        printf("treated / untreated kernel    %.2f\n", nst / ns1);
    }
    return 0;
}
