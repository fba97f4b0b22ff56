/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_calibration.c — the default configs against the published figures of
 * ../shared/CALIBRATION.md ("Cohort", "Natural history", "Motor neurons").
 *
 * Each check runs the real pipeline: the config files loaded, the cohort
 * simulated and written to HDF5, the file read back (mnd_summary and
 * mnd_reader).  Fixed seeds; cohorts large enough that the Monte Carlo
 * error is small against the tolerance (the standard error is noted with
 * each check).  Subgroup targets (SOD1, PLS, flail) run a cohort of that
 * subgroup alone, from the same natural-history config.  The intervention
 * presets ("Interventions with randomized evidence") run twice with the same
 * seed, with and without the intervention: common random numbers make that a
 * trial without sampling noise between the arms' cohorts.  The edaravone row
 * (MCI186-19 placebo decline) is reported but not met: see
 * calibration::edaravone_mci186_19.
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
#include "mndsim/summary.h"
#include "mndsim/survival.h"

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(calibration, .init = setup, .timeout = 300);

/* Runs `config` with the overrides into a temporary file; returns its path
 * (caller frees and unlinks). */
static char *run(const char *config, const char *const *overrides, size_t n)
{
    mnd_params p;
    mnd_error err = {0};
    char *resolved = NULL;
    cr_assert_eq(mnd_config_load(config, overrides, n, &p, &resolved, &err), MND_OK, "%s", err.message);
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/mndsim-calibration-%d-%d.h5", (int)getpid(), rand());
    mnd_provenance prov = {"test", "test", 0, "test_calibration", config, "", resolved, 2};
    cr_assert_eq(mnd_run_to_file(&p, path, &prov, 2, NULL, NULL, &err), MND_OK, "%s", err.message);
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

/* Kaplan–Meier median of (t, e). */
static double km_median(const double *t, const int *e, size_t n)
{
    mnd_km km;
    cr_assert_eq(mnd_km_fit(t, e, n, &km, NULL), MND_OK);
    double m = mnd_km_median(&km);
    mnd_km_free(&km);
    return m;
}

/* Kaplan–Meier median of t_end - origin (origin column or 0) with `died`. */
static double median_survival(const char *path, const char *origin)
{
    int64_t n;
    double *t = column(path, "t_end", &n), *died = column(path, "died", &n);
    double *o = origin ? column(path, origin, &n) : NULL;
    int *e = malloc((size_t)n * sizeof *e);
    for (int64_t i = 0; i < n; i++) {
        t[i] -= o ? o[i] : 0.0;
        e[i] = died[i] > 0;
    }
    double m = km_median(t, e, (size_t)n);
    free(t);
    free(died);
    free(o);
    free(e);
    return m;
}

Test(calibration, population_cohort)
{
    const char *ov[] = {"simulation.n_patients=40000", "output.store=[\"time\",\"total\"]"};
    char *path = run("configs/default.cfg", ov, 2);
    int64_t n;
    double *age = column(path, "age_onset_years", &n), *male = column(path, "male", &n);
    double *onset = column(path, "onset_region", &n), *geno = column(path, "genotype", &n);
    double *pheno = column(path, "phenotype", &n), *delay = column(path, "t_diagnosis", &n);
    double sum_age = 0, males = 0, bulbar = 0, resp = 0, c9 = 0, sod1 = 0, farm = 0, fleg = 0;
    for (int64_t i = 0; i < n; i++) {
        sum_age += age[i];
        males += male[i];
        bulbar += onset[i] == 0;
        resp += onset[i] == 2;
        c9 += geno[i] == 1;
        sod1 += geno[i] == 2 || geno[i] == 3;
        farm += pheno[i] == 2;
        fleg += pheno[i] == 3;
    }
    double N = (double)n;
    printf("population cohort (configs/default.cfg, %lld patients):\n", (long long)n);
    /* SE of a share p: sqrt(p(1-p)/n) <= 0.0025 at n = 40000 */
    within("mean age at onset (years)", sum_age / N, 60, 65, "Chiò 2013; Traynor 1999");
    within("male : female", males / (N - males), 1.2, 1.5, "Logroscino 2010");
    within("bulbar onset share", bulbar / N, 0.25, 0.32, "Shoesmith; Pupillo 2014");
    within("respiratory onset share", resp / N, 0.01, 0.05, "Pupillo 2014");
    within("median diagnostic delay (months)", mnd_quantile(delay, (size_t)n, 0.5, NULL), 10, 13,
           "Falcão de Campos 2023; Paganoni 2014");
    within("C9orf72 share", c9 / N, 0.05, 0.08, "Byrne 2012; Majounie 2012");
    within("SOD1 share (about 2 %)", sod1 / N, 0.015, 0.025, "Reilich 2024");
    within("flail arm share (about 11 %)", farm / N, 0.09, 0.13, "Wijesekera 2009");
    within("flail leg share (about 6 %)", fleg / N, 0.045, 0.075, "Wijesekera 2009");

    mnd_summary s;
    mnd_error err = {0};
    cr_assert_eq(mnd_summary_from_file(path, &s, &err), MND_OK, "%s", err.message);
    within("median survival from onset (months)", s.median_survival_onset_months, 28, 36,
           "Chiò 2009; Zoccolella 2008");
    within("median survival from diagnosis (months)", s.median_survival_diagnosis_months, 16, 24,
           "Zoccolella 2008; Chiò 2009");
    within("1-year survival from diagnosis", s.survival_diagnosis[0], 0.65, 0.80,
           "Pupillo 2014; Wolf 2014");
    within("5-year survival from onset", s.survival_onset[1], 0.10, 0.22, "Olmsted County");

    double *dfs = column(path, "delta_fs", &n);
    within("ΔFS at first visit, 75th percentile (points/month)",
           mnd_quantile(dfs, (size_t)n, 0.75, NULL), 0.8, 1.3, "Alves 2024; Labra 2016");

    double *m50 = column(path, "t_m50", &n), *d50 = column(path, "t_d50", &n);
    double *mu = column(path, "mu_decline_percent_per_month", &n);
    for (int64_t i = 0; i < n; i++)
        d50[i] -= m50[i];
    within("D50 - M50, median (months)", mnd_quantile(d50, (size_t)n, 0.5, NULL), 8, 20,
           "Ebersbach 2023");
    double mu_sum = 0;
    int64_t mu_n = 0;
    for (int64_t i = 0; i < n; i++)
        if (isfinite(mu[i])) {
            mu_sum += mu[i];
            mu_n++;
        }
    within("motor-unit decline once affected (%/month)", mu_sum / (double)mu_n, 2, 4,
           "PMID 20715377; Neuwirth 2015");

    /* Spread: regions adjacent to the onset are reached before those two
     * regions away (Ravits 2009; Gromicho 2020). */
    mnd_reader *r = NULL;
    cr_assert_eq(mnd_reader_open(&r, path, &err), MND_OK, "%s", err.message);
    double *start = malloc((size_t)n * 4 * sizeof *start);
    cr_assert_eq(mnd_reader_read(r, "loss_start", 0, n, start, &err), MND_OK, "%s", err.message);
    mnd_reader_close(r);
    double adjacent = 0, far = 0;
    int64_t n_adj = 0, n_far = 0;
    for (int64_t i = 0; i < n; i++)
        for (int reg = 0; reg < 4; reg++) {
            int d = abs(reg - (int)onset[i]);
            double lag = start[i * 4 + reg] - start[i * 4 + (int)onset[i]];
            if (d == 1) {
                adjacent += lag;
                n_adj++;
            } else if (d == 2) {
                far += lag;
                n_far++;
            }
        }
    printf("  mean spread lag: adjacent %.1f, two regions away %.1f months\n", adjacent / (double)n_adj,
           far / (double)n_far);
    cr_expect(adjacent / (double)n_adj < far / (double)n_far);

    free(age); free(male); free(onset); free(geno); free(pheno); free(delay); free(dfs);
    free(m50); free(d50); free(mu); free(start);
    unlink(path);
    free(path);
}

/* The rated ALSFRS-R totals of a run file, [n][T] (-1 where there was no
 * visit), with at least visit + 1 visit slots; the caller frees them. */
static double *read_totals(const char *path, int64_t visit, int64_t *n, int64_t *T)
{
    mnd_reader *r = NULL;
    mnd_error err = {0};
    int rank;
    int64_t dims[3];
    cr_assert_eq(mnd_reader_open(&r, path, &err), MND_OK, "%s", err.message);
    cr_assert_eq(mnd_reader_shape(r, "alsfrs_total", &rank, dims, &err), MND_OK, "%s", err.message);
    *n = dims[0];
    *T = dims[1];
    cr_assert_gt(*T, visit);
    double *total = malloc((size_t)(*n * *T) * sizeof *total);
    cr_assert_eq(mnd_reader_read(r, "alsfrs_total", 0, *n, total, &err), MND_OK, "%s", err.message);
    mnd_reader_close(r);
    return total;
}

/* Share of the patients rated at visits 0 and `visit` whose rated ALSFRS-R
 * total at `visit` is not below the one at visit 0 (a plateau or reversal,
 * as Bedlack 2016 counts them in PRO-ACT), with its standard error. */
static double plateau_share(const char *path, int64_t visit, double *se)
{
    int64_t n, T, rated = 0, flat = 0;
    double *total = read_totals(path, visit, &n, &T);
    for (int64_t i = 0; i < n; i++) {
        if (total[i * T] < 0 || total[i * T + visit] < 0) /* no visit */
            continue;
        rated++;
        flat += total[i * T + visit] >= total[i * T];
    }
    free(total);
    double share = (double)flat / (double)rated;
    *se = sqrt(share * (1.0 - share) / (double)rated);
    return share;
}

Test(calibration, trial_like_cohort)
{
    const char *ov[] = {"simulation.n_patients=20000", "output.store=[\"time\",\"total\",\"fvc\"]"};
    char *path = run("configs/trial_like.cfg", ov, 2);
    mnd_summary s;
    mnd_error err = {0};
    cr_assert_eq(mnd_summary_from_file(path, &s, &err), MND_OK, "%s", err.message);
    printf("trial-like cohort (configs/trial_like.cfg, 20000 patients):\n");
    /* SD of individual slopes is about 0.7: SE of the mean about 0.005 */
    within("mean ALSFRS-R slope (points/month)", s.mean_alsfrs_slope, -1.15, -0.85, "Atassi 2014");
    within("mean FVC slope (% predicted/month)", s.mean_fvc_slope, -2.8, -1.7, "Atassi 2014");

    /* Plateaus: no decline over 6 / 12 / 18 months from the first trial
     * visit (Bedlack 2016 Neurology, PRO-ACT: 25 / 16 / 7 %, n = 3132 /
     * 2105 / 1218).  Reported, not checked: the phases of the natural clock
     * (neurons.phase_sd_log) raise them from 8 / 3 / 1 %, but the variation
     * they would need breaks the survival and motor-unit rows (README.md,
     * "Calibration").  SE about 0.005. */
    const double bedlack[3] = {0.25, 0.16, 0.07};
    for (int m = 0; m < 3; m++) {
        double se, share = plateau_share(path, 6 * (m + 1), &se);
        char what[64];
        snprintf(what, sizeof what, "no ALSFRS-R decline over %d months (share)", 6 * (m + 1));
        printf("  %-52s %9.3f  (%.2f)  Bedlack 2016: not met\n", what, share, bedlack[m]);
    }

    /* Death, tracheostomy or permanent NIV from enrolment: rising hazard. */
    int64_t n;
    double *enrol = column(path, "t_enrolment", &n), *rf = column(path, "t_respiratory_failure", &n);
    double *end = column(path, "t_end", &n), *died = column(path, "died", &n);
    int *e = malloc((size_t)n * sizeof *e);
    for (int64_t i = 0; i < n; i++) {
        e[i] = isfinite(rf[i]) || died[i] > 0;
        end[i] = (isfinite(rf[i]) ? rf[i] : end[i]) - enrol[i];
    }
    double shape, scale;
    cr_assert_eq(mnd_weibull_fit(end, e, (size_t)n, &shape, &scale, &err), MND_OK, "%s", err.message);
    within("Weibull shape, death/tracheostomy/permanent NIV", shape, 1.6, 2.5, "van Eijk 2019");
    free(enrol); free(rf); free(end); free(died); free(e);
    unlink(path);
    free(path);
}

/* A cohort of one subgroup: every patient has the genotype or phenotype. */
static double subgroup_median(const char *share_key, const char *shares, const char *follow_up)
{
    char set_share[160], set_follow[80];
    snprintf(set_share, sizeof set_share, "%s=%s", share_key, shares);
    snprintf(set_follow, sizeof set_follow, "simulation.follow_up_months=%s", follow_up);
    const char *ov[] = {"simulation.n_patients=4000", "output.store=[]", set_share, set_follow};
    char *path = run("configs/default.cfg", ov, 4);
    double m = median_survival(path, NULL);
    unlink(path);
    free(path);
    return m;
}

Test(calibration, subgroups)
{
    printf("subgroups (configs/default.cfg, 4000 patients each, survival from onset):\n");
    within("SOD1 A4V median survival (years)",
           subgroup_median("cohort.genotype_share", "[0.0,0.0,1.0,0.0,0.0]", "240") / 12, 0.8, 1.8,
           "Bali 2017");
    within("SOD1 other median survival (years)",
           subgroup_median("cohort.genotype_share", "[0.0,0.0,0.0,1.0,0.0]", "240") / 12, 5, 9,
           "Bali 2017");
    within("flail arm median survival (months)",
           subgroup_median("cohort.phenotype_share", "[0.0,0.0,1.0,0.0,0.0,0.0]", "240"), 46, 76,
           "Wijesekera 2009");
    within("flail leg median survival (months)",
           subgroup_median("cohort.phenotype_share", "[0.0,0.0,0.0,1.0,0.0,0.0]", "240"), 54, 84,
           "Wijesekera 2009");
    double pls = subgroup_median("cohort.phenotype_share", "[0.0,0.0,0.0,0.0,0.0,1.0]", "600");
    printf("  %-52s %9.3f  (> 15)  Lester 2025\n", "PLS median survival (years)", pls / 12);
    cr_expect(isnan(pls) || pls / 12 > 15, "PLS median survival %g years", pls / 12);
}

Test(calibration, pls_slope)
{
    const char *ov[] = {"simulation.n_patients=2000", "output.store=[\"time\",\"total\"]",
                        "cohort.phenotype_share=[0.0,0.0,0.0,0.0,0.0,1.0]",
                        "simulation.follow_up_months=36"};
    char *path = run("configs/default.cfg", ov, 4);
    mnd_summary s;
    mnd_error err = {0};
    cr_assert_eq(mnd_summary_from_file(path, &s, &err), MND_OK, "%s", err.message);
    within("PLS ALSFRS-R slope (points/year), about -1.9", 12 * s.mean_alsfrs_slope, -2.6, -1.2,
           "Lester 2025");
    unlink(path);
    free(path);
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

Test(calibration, riluzole)
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

/* Median survival from the start of NIV (taken from the NIV arm: the same
 * patients reach the NIV criteria at the same time in both arms) among the
 * patients with the given bulbar status at that time. */
static double median_from_niv(const char *path, const double *t_niv, const double *good,
                              int want_good, int64_t n)
{
    int64_t m;
    double *t = column(path, "t_end", &m), *died = column(path, "died", &m);
    cr_assert_eq(m, n);
    double *time = malloc((size_t)n * sizeof *time);
    int *event = malloc((size_t)n * sizeof *event);
    size_t k = 0;
    for (int64_t i = 0; i < n; i++)
        if (!isnan(t_niv[i]) && good[i] == want_good) {
            time[k] = t[i] - t_niv[i];
            event[k++] = died[i] > 0;
        }
    double med = km_median(time, event, k);
    free(t);
    free(died);
    free(time);
    free(event);
    return med;
}

Test(calibration, niv)
{
    const char *cfg = "tests/unit/configs/niv_population.cfg";
    const char *ov[] = {"simulation.n_patients=20000", "output.store=[\"time\"]",
                        "events.niv_uptake=0", "interventions.niv.enabled=false"};
    char *treated = run(cfg, ov, 3), *control = run(cfg, ov, 4);
    int64_t n;
    double *t_niv = column(treated, "t_niv", &n), *good = column(treated, "niv_good_bulbar", &n);
    double gain_good = median_from_niv(treated, t_niv, good, 1, n)
                       - median_from_niv(control, t_niv, good, 1, n);
    double gain_poor = median_from_niv(treated, t_niv, good, 0, n)
                       - median_from_niv(control, t_niv, good, 0, n);
    printf("NIV (configs/interventions/niv.cfg, population cohort, 20000 per arm):\n");
    within("median survival gain, good bulbar function (months)", gain_good, 5.0, 8.5,
           "Bourke 2006 (+205 days = 6.7 months)");
    within("median survival gain, poor bulbar function (months)", gain_poor, -1.0, 2.0,
           "Bourke 2006 (no clear gain)");
    unlink(treated);
    unlink(control);
    free(treated);
    free(control);
    free(t_niv);
    free(good);
}

/* Mean over patients with a visit at `visit` of the ALSFRS-R change from
 * visit 0, with its standard error; also the mean baseline total. */
typedef struct {
    double change, se, baseline;
    int64_t n;
} alsfrs_change;

static alsfrs_change change_at(const char *path, int64_t visit)
{
    int64_t n, T;
    double *total = read_totals(path, visit, &n, &T);
    alsfrs_change c = {0};
    double sum = 0, sum_sq = 0, base = 0;
    for (int64_t i = 0; i < n; i++) {
        base += total[i * T];
        if (total[i * T + visit] < 0) /* no visit: died or ended before it */
            continue;
        double d = total[i * T + visit] - total[i * T];
        sum += d;
        sum_sq += d * d;
        c.n++;
    }
    c.change = sum / (double)c.n;
    c.se = sqrt((sum_sq / (double)c.n - c.change * c.change) / (double)c.n);
    c.baseline = base / (double)n;
    free(total);
    return c;
}

/* The enriched edaravone trial MCI186-19 (Writing Group 2017 Lancet Neurol):
 * the cohort of configs/edaravone_mci186_19.cfg untreated (placebo) and
 * with the edaravone preset, the same patients in both arms.  Week 24 is
 * visit 6 (4-week cycles).
 *
 * Checked: the preset's relative effect.  Its loss-rate multiplier 0.67 is
 * set from the trial's relative difference, 2.49 / 7.50 = 0.33 less
 * decline; reserve and item thresholds make the ALSFRS-R response to a
 * slower loss non-linear, and the check holds it within 0.33 +- 0.08.
 *
 * Reported, not checked: the placebo decline (target 6-9 points) and the
 * absolute difference (2.49).  The model's placebo arm falls about 4.3
 * points: its selected patients match the trial before randomisation
 * (about 12 months from onset, ΔFS 0.47/month, lead-in decline about 1.7)
 * but decline about 0.8 point/month afterwards, as real-world patients who
 * meet these criteria do (Witzel 2022 JAMA Neurol: 0.97/month at ALSFRS-R
 * 39.5) and as the trial's own edaravone arm did (4.1 points in 24 weeks
 * and 4.0 in the next 24), not the 1.36 point/month of its placebo arm.
 * README.md, "Calibration", says why the row stays open. */
Test(calibration, edaravone_mci186_19)
{
    const char *ov[] = {"simulation.n_patients=20000", "output.store=[\"time\",\"total\"]"};
    char *placebo = run("configs/edaravone_mci186_19.cfg", ov, 2);
    char *treated = run("configs/edaravone_mci186_19_treated.cfg", ov, 2);
    alsfrs_change p = change_at(placebo, 6), t = change_at(treated, 6);
    int64_t n;
    double *enrol = column(placebo, "t_enrolment", &n);
    double months = 0;
    for (int64_t i = 0; i < n; i++)
        months += enrol[i];
    months /= (double)n;
    printf("edaravone, MCI186-19 cohort (configs/edaravone_mci186_19*.cfg, %lld per arm):\n",
           (long long)n);
    printf("  %-52s %9.3f  (41.8-41.9)  Writing Group 2017\n", "baseline ALSFRS-R", p.baseline);
    printf("  %-52s %9.3f  (12.7-13.6)  Writing Group 2017\n", "months from onset to randomisation",
           months);
    printf("  %-52s %9.3f  (48 - 41.85) / 13.2 = 0.47\n", "ΔFS at randomisation (points/month)",
           (48.0 - p.baseline) / months);
    /* SE of each mean change about 0.03, of the paired difference about 0.01 */
    printf("  %-52s %9.3f  [6, 9]  Writing Group 2017 (7.50): NOT MET\n",
           "placebo decline in 24 weeks (points)", -p.change);
    printf("  %-52s %9.3f  (5.01)  Writing Group 2017\n", "edaravone-arm decline in 24 weeks",
           -t.change);
    printf("  %-52s %9.3f  (2.49)  Writing Group 2017: not met\n", "difference (points)",
           t.change - p.change);
    within("relative difference (difference / placebo decline)", (t.change - p.change) / -p.change,
           0.25, 0.41, "Writing Group 2017 (2.49 / 7.50 = 0.33)");
    free(enrol);
    unlink(placebo);
    unlink(treated);
    free(placebo);
    free(treated);
}
