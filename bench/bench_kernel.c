/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench_kernel.c — speed of the simulation kernel against the cost of its
 * random numbers and math alone, measured in the same run.
 *
 * Usage: bench_kernel CONFIG N_PATIENTS
 *
 * Kernel: mnd_sim_run with a sink that only counts the visits made
 * (patient-months with monthly visits), on 1 thread and on 2 threads.
 * Floor: for the same patients and visits, only the random numbers and libm
 * calls the model needs: per visit the 12 Gaussian draws (11 items, FVC)
 * and the 8 exponentials of the pool fractions, per patient the 4 stream
 * seedings and the ~20 baseline, course and event draws.  Everything else
 * the kernel does (root finding of event times, item mapping, staging,
 * stores) is overhead over that floor.  Ratios are taken within one run,
 * since this machine's clock speed varies by 20-40 % between runs.
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

typedef struct {
    int64_t visits;
    int64_t *per_patient; /* n_visits by row, for the floor */
} counter;

static mnd_status count_visits(const mnd_block *b, void *ctx, mnd_error *err)
{
    counter *c = ctx;
    for (int64_t i = 0; i < b->n; i++) {
        c->visits += b->patients[i].n_visits;
        c->per_patient[b->first_row + i] = b->patients[i].n_visits;
    }
    return MND_OK;
}

/* The floor: the same random numbers and exponentials, summed so the
 * compiler cannot drop them. */
static double floor_work(const mnd_params *p, const int64_t *visits, int64_t n, int threads)
{
    double total = 0.0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
    {
        gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
#pragma omp for schedule(dynamic, 16)
        for (int64_t i = 0; i < n; i++) {
            double acc = 0.0;
            for (int s = 0; s < 4; s++)
                gsl_rng_set(r, mnd_rng_key(p->seed, (mnd_stream)s, 0, (uint64_t)i, 0));
            for (int d = 0; d < 20; d++)
                acc += gsl_rng_uniform(r);
            for (int64_t j = 0; j < visits[i]; j++) {
                for (int g = 0; g < 12; g++)
                    acc += gsl_ran_gaussian_ziggurat(r, 1.0);
                for (int e = 0; e < 8; e++)
                    acc += exp(-0.01 * (double)(j + e));
            }
            total += acc;
        }
        gsl_rng_free(r);
    }
    return total;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc != 3) {
        fprintf(stderr, "usage: bench_kernel CONFIG N_PATIENTS\n");
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
    int64_t n = p.n_patients;
    counter c = {0, calloc((size_t)n, sizeof(int64_t))};
    if (!c.per_patient)
        return 2;

    double kernel_s[2], floor_s[2];
    int64_t visits = 0;
    for (int t = 1; t <= 2; t++) {
        c.visits = 0;
        double t0 = omp_get_wtime();
        if (mnd_sim_run(&p, t, count_visits, &c, NULL, NULL, &err) != MND_OK) {
            fprintf(stderr, "bench_kernel: %s\n", err.message);
            return 2;
        }
        kernel_s[t - 1] = omp_get_wtime() - t0;
        visits = c.visits;
        t0 = omp_get_wtime();
        volatile double sink = floor_work(&p, c.per_patient, n, t);
        (void)sink;
        floor_s[t - 1] = omp_get_wtime() - t0;
    }
    double ns1 = 1e9 * kernel_s[0] / (double)visits, fl1 = 1e9 * floor_s[0] / (double)visits;
    printf("patients                      %lld\n", (long long)n);
    printf("patient-months (visits)       %lld\n", (long long)visits);
    printf("kernel, 1 thread              %.1f ns/patient-month  (%.2f M patient-months/s/core)\n",
           ns1, 1e3 / ns1);
    printf("floor,  1 thread              %.1f ns/patient-month  (random numbers and exp alone)\n", fl1);
    printf("kernel / floor                %.2f\n", ns1 / fl1);
    printf("kernel, 2 threads             %.1f ns/patient-month wall\n",
           1e9 * kernel_s[1] / (double)visits);
    printf("speed-up 1 -> 2 threads       %.2f (floor: %.2f)\n", kernel_s[0] / kernel_s[1],
           floor_s[0] / floor_s[1]);
    free(c.per_patient);
    return 0;
}
