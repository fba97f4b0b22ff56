/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_intervention_calibration.c — the intervention presets against the
 * randomized evidence of ../shared/CALIBRATION.md ("Interventions with
 * randomized evidence").
 *
 * Each check runs the real pipeline (config files with their @include of a
 * preset, simulation, HDF5 written and read back) twice with the same seed:
 * once with the intervention and once with it switched off.  With common
 * random numbers the two runs hold the same patients, so the comparison is
 * a randomized trial without between-arm sampling noise in the cohort;
 * the estimates still carry the Monte Carlo error of the events.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include "mndsim/config.h"
#include "mndsim/output.h"
#include "mndsim/run.h"
#include "mndsim/stats.h"
#include "mndsim/survival.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(intervention_calibration, .init = setup, .timeout = 300);

static char *run(const char *config, const char *const *overrides, size_t n)
{
    mnd_params p;
    mnd_error err = {0};
    char *resolved = NULL;
    cr_assert_eq(mnd_config_load(config, overrides, n, &p, &resolved, &err), MND_OK, "%s",
                 err.message);
    char *path = malloc(80);
    snprintf(path, 80, "/tmp/mndsim-ivcal-%d-%d.h5", (int)getpid(), rand());
    mnd_provenance prov = {"test", "test", 0, "test_intervention_calibration", config, "",
                           resolved, 2};
    cr_assert_eq(mnd_run_to_file(&p, path, &prov, 2, NULL, NULL, &err), MND_OK, "%s",
                 err.message);
    free(resolved);
    return path;
}

static double *column(const char *path, const char *name, int64_t *n)
{
    mnd_reader *r = NULL;
    mnd_error err = {0};
    int rank;
    int64_t dims[3];
    cr_assert_eq(mnd_reader_open(&r, path, &err), MND_OK, "%s", err.message);
    cr_assert_eq(mnd_reader_shape(r, name, &rank, dims, &err), MND_OK, "%s", err.message);
    double *v = malloc((size_t)dims[0] * sizeof *v);
    cr_assert_eq(mnd_reader_read(r, name, 0, dims[0], v, &err), MND_OK, "%s", err.message);
    mnd_reader_close(r);
    *n = dims[0];
    return v;
}

static void within(const char *what, double value, double lo, double hi, const char *source)
{
    printf("  %-52s %9.3f  [%g, %g]  %s\n", what, value, lo, hi, source);
    cr_expect(value >= lo && value <= hi, "%s = %g, outside [%g, %g] (%s)", what, value, lo, hi,
              source);
}

/* Tracheostomy-free survival from enrolment (the riluzole trials' endpoint):
 * time and event of each patient of the file, appended at *at. */
static void tracheostomy_free(const char *path, double *time, int *event, size_t *at)
{
    int64_t n;
    double *e = column(path, "t_enrolment", &n), *t = column(path, "t_end", &n);
    double *died = column(path, "died", &n), *tr = column(path, "t_tracheostomy", &n);
    for (int64_t i = 0; i < n; i++, (*at)++) {
        bool trach = !isnan(tr[i]);
        time[*at] = (trach ? tr[i] : t[i]) - e[i];
        event[*at] = trach || died[i] > 0;
    }
    free(e);
    free(t);
    free(died);
    free(tr);
}

static double km_median(const double *t, const int *e, size_t n)
{
    mnd_km km;
    cr_assert_eq(mnd_km_fit(t, e, n, &km, NULL), MND_OK);
    double m = mnd_km_median(&km);
    mnd_km_free(&km);
    return m;
}

Test(intervention_calibration, riluzole)
{
    enum { N = 20000 };
    const char *cfg = "tests/unit/configs/riluzole_trial.cfg";
    const char *ov[] = {"simulation.n_patients=20000", "simulation.follow_up_months=96",
                        "output.store=[\"time\"]", "interventions.riluzole.start_anchor=enrolment",
                        "interventions.riluzole.enabled=false"};
    char *treated = run(cfg, ov, 4), *control = run(cfg, ov, 5);
    double *time = malloc(2 * N * sizeof *time), *arm = malloc(2 * N * sizeof *arm);
    int *event = malloc(2 * N * sizeof *event);
    size_t n = 0;
    tracheostomy_free(control, time, event, &n);
    tracheostomy_free(treated, time, event, &n);
    cr_assert_eq(n, 2 * N);
    double gain = km_median(time + N, event + N, N) - km_median(time, event, N);

    /* the trials' hazard ratio: 18 months of follow-up from enrolment */
    for (size_t i = 0; i < n; i++) {
        arm[i] = i >= N;
        if (time[i] > 18.0) {
            time[i] = 18.0;
            event[i] = 0;
        }
    }
    mnd_cox fit;
    mnd_error err = {0};
    cr_assert_eq(mnd_cox_fit(time, event, arm, 1, NULL, n, NULL, &fit, &err), MND_OK, "%s",
                 err.message);
    printf("riluzole (configs/interventions/riluzole.cfg, trial-like cohort, %d per arm):\n", N);
    /* SE of log HR about 0.016 (about 15000 events) */
    within("hazard ratio, tracheostomy-free survival, 18 mo", fit.hr[0], 0.78, 0.90,
           "Miller 2012 Cochrane (0.84; accept 0.75-0.92)");
    within("median tracheostomy-free survival gain (months)", gain, 2.0, 3.0,
           "Miller 2012 Cochrane (+2 to +3)");
    unlink(treated);
    unlink(control);
    free(treated);
    free(control);
    free(time);
    free(arm);
    free(event);
}
