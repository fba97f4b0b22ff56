/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_sim.c — unit tests of the patient loop (src/sim.c): a patient is a
 * pure function of (params, seed, replicate, patient); a run gives the same
 * bytes on 1 and 2 threads; simulated patients satisfy the model's
 * invariants; selection accepts only patients who meet the criteria and
 * fails cleanly when they cannot be met, naming the lowest failing patient
 * whatever the number of threads.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include "mndsim/config.h"
#include "mndsim/disease.h"
#include "mndsim/rng.h"
#include "mndsim/sim.h"
#include "patient_rows.h"

static void suite_init(void) { gsl_set_error_handler_off(); }

TestSuite(sim, .init = suite_init);

/* --------------------------------------------------------------- helpers */

/* Everything a run hands to the sink, gathered in row order. */
/* Whether two courses hold the same values: every byte but the phase
 * arrays past n_phases, which mnd_patient_simulate leaves as they were
 * (nothing reads them). */
static bool same_course(const mnd_course *a, const mnd_course *b)
{
    const size_t from = offsetof(mnd_course, phase_start);
    const size_t to = offsetof(mnd_course, phase_clock) + sizeof a->phase_clock;
    const size_t n = (size_t)a->n_phases;
    return memcmp(a, b, from) == 0 && memcmp((const char *)a + to, (const char *)b + to,
                                             sizeof *a - to) == 0
           && memcmp(a->phase_start, b->phase_start, (n + 1) * sizeof(double)) == 0
           && memcmp(a->phase_speed, b->phase_speed, n * sizeof(double)) == 0
           && memcmp(a->phase_clock, b->phase_clock, (n + 1) * sizeof(double)) == 0;
}

/* Whether two patient records hold the same values (same_course). */
static bool same_record(const mnd_patient *a, const mnd_patient *b)
{
    const size_t from = offsetof(mnd_patient, course), to = from + sizeof a->course;
    return memcmp(a, b, from) == 0 && same_course(&a->course, &b->course)
           && memcmp((const char *)a + to, (const char *)b + to, sizeof *a - to) == 0;
}

typedef struct {
    int64_t rows, T, next_row, blocks;
    mnd_patient *patients;
    float *time, *fvc, *umn, *lmn;
    int8_t *items, *total, *kings, *mitos;
    int64_t progress_calls, progress_done;
} collected;

static void collected_alloc(collected *c, const mnd_params *p)
{
    memset(c, 0, sizeof *c);
    c->rows = p->n_patients * p->n_replicates;
    c->T = mnd_params_max_visits(p);
    size_t n = (size_t)c->rows, nt = n * (size_t)c->T;
    c->patients = calloc(n, sizeof *c->patients);
    c->time = calloc(nt, sizeof(float));
    c->fvc = calloc(nt, sizeof(float));
    c->umn = calloc(nt * MND_REGION_COUNT, sizeof(float));
    c->lmn = calloc(nt * MND_REGION_COUNT, sizeof(float));
    c->items = calloc(nt * MND_ITEM_COUNT, 1);
    c->total = calloc(nt, 1);
    c->kings = calloc(nt, 1);
    c->mitos = calloc(nt, 1);
    cr_assert(c->patients && c->time && c->fvc && c->umn && c->lmn && c->items && c->total
              && c->kings && c->mitos);
}

static void collected_free(collected *c)
{
    free(c->patients);
    free(c->time);
    free(c->fvc);
    free(c->umn);
    free(c->lmn);
    free(c->items);
    free(c->total);
    free(c->kings);
    free(c->mitos);
}

static mnd_status collect(const mnd_block *b, void *ctx, mnd_error *err)
{
    collected *c = ctx;
    cr_assert_eq(b->first_row, c->next_row, "blocks out of order");
    cr_assert_eq(b->max_visits, c->T);
    cr_assert(b->n > 0 && b->n <= b->capacity && b->first_row + b->n <= c->rows);
    size_t f = (size_t)b->first_row, n = (size_t)b->n, T = (size_t)c->T;
    memcpy(c->patients + f, b->patients, n * sizeof *b->patients);
    memcpy(c->time + f * T, b->time, n * T * sizeof(float));
    memcpy(c->fvc + f * T, b->fvc, n * T * sizeof(float));
    memcpy(c->umn + f * T * MND_REGION_COUNT, b->umn, n * T * MND_REGION_COUNT * sizeof(float));
    memcpy(c->lmn + f * T * MND_REGION_COUNT, b->lmn, n * T * MND_REGION_COUNT * sizeof(float));
    memcpy(c->items + f * T * MND_ITEM_COUNT, b->items, n * T * MND_ITEM_COUNT);
    memcpy(c->total + f * T, b->total, n * T);
    memcpy(c->kings + f * T, b->kings, n * T);
    memcpy(c->mitos + f * T, b->mitos, n * T);
    c->next_row += b->n;
    c->blocks++;
    return MND_OK;
}

static int progress(int64_t done, int64_t total, void *ctx)
{
    collected *c = ctx;
    cr_assert_eq(total, c->rows);
    cr_assert_gt(done, c->progress_done);
    cr_assert_leq(done, total);
    c->progress_done = done;
    c->progress_calls++;
    return 0; /* go on */
}

static void run(const mnd_params *p, int threads, collected *c)
{
    mnd_error err;
    mnd_error_clear(&err);
    collected_alloc(c, p);
    mnd_status st = mnd_sim_run(p, threads, collect, c, progress, c, &err);
    cr_assert_eq(st, MND_OK, "%s", err.message);
    cr_assert_eq(c->next_row, c->rows, "not every row was delivered");
    cr_assert_eq(c->progress_done, c->rows);
    cr_assert_eq(c->progress_calls, c->blocks);
}

static mnd_params small_params(int64_t n_patients)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.n_patients = n_patients;
    return p;
}

/* ---------------------------------------------------------------- purity */

Test(sim, patient_is_a_pure_function)
{
    mnd_params p = small_params(100);
    mnd_workspace w1 = workspace(), w2 = workspace();
    rows_buf ra = rows_alloc(&p), rb = rows_alloc(&p), rc = rows_alloc(&p);
    mnd_patient a, b, c;
    mnd_error err;

    for (int64_t id = 0; id < 20; id++) {
        cr_assert_eq(mnd_patient_simulate(&w1, &p, 1, id, &a, ra.rows, &err), MND_OK);
        /* the same twice, on the same workspace */
        cr_assert_eq(mnd_patient_simulate(&w1, &p, 1, id, &b, rb.rows, &err), MND_OK);
        cr_assert_eq(memcmp(&a, &b, sizeof a), 0, "patient %lld differs when repeated", (long long)id);
        cr_assert(rows_equal(&ra, &rb));
        /* another patient in between, and a different workspace */
        cr_assert_eq(mnd_patient_simulate(&w1, &p, 0, id + 1000, &c, rc.rows, &err), MND_OK);
        cr_assert_eq(mnd_patient_simulate(&w2, &p, 7, id + 3, &c, rc.rows, &err), MND_OK);
        cr_assert_eq(mnd_patient_simulate(&w2, &p, 1, id, &b, rb.rows, &err), MND_OK);
        cr_assert_eq(memcmp(&a, &b, sizeof a), 0, "patient %lld depends on history", (long long)id);
        cr_assert(rows_equal(&ra, &rb));
        cr_assert_eq(a.cov.replicate, 1);
        cr_assert_eq(a.cov.patient_id, id);
    }
    rows_free(&ra);
    rows_free(&rb);
    rows_free(&rc);
    mnd_workspace_free(&w1);
    mnd_workspace_free(&w2);
    mnd_workspace_free(&w1); /* safe twice */
}

Test(sim, patients_differ)
{
    mnd_params p = small_params(100);
    mnd_workspace w = workspace();
    rows_buf ra = rows_alloc(&p), rb = rows_alloc(&p);
    mnd_patient a, b;
    for (int64_t id = 0; id < 20; id++) {
        cr_assert_eq(mnd_patient_simulate(&w, &p, 0, id, &a, ra.rows, NULL), MND_OK);
        cr_assert_eq(mnd_patient_simulate(&w, &p, 0, id + 1, &b, rb.rows, NULL), MND_OK);
        cr_assert_neq(a.cov.age_onset_years, b.cov.age_onset_years, "patients %lld and %lld",
                      (long long)id, (long long)id + 1);
        cr_assert_neq(a.cov.rate_multiplier, b.cov.rate_multiplier);
        /* other replicate, same id */
        cr_assert_eq(mnd_patient_simulate(&w, &p, 1, id, &b, rb.rows, NULL), MND_OK);
        cr_assert_neq(a.cov.age_onset_years, b.cov.age_onset_years);
        /* other master seed */
        mnd_params q = p;
        q.seed = p.seed + 1;
        cr_assert_eq(mnd_patient_simulate(&w, &q, 0, id, &b, rb.rows, NULL), MND_OK);
        cr_assert_neq(a.cov.age_onset_years, b.cov.age_onset_years);
    }
    rows_free(&ra);
    rows_free(&rb);
    mnd_workspace_free(&w);
}

/* Each purpose has its own stream: the covariates are those of the cohort
 * stream with the accepted attempt, whatever the other purposes do. */
Test(sim, covariates_come_from_the_cohort_stream)
{
    mnd_params p = small_params(100);
    p.select = true; /* some patients need several attempts */
    p.enrolment_delay_mean_months = 2.0;
    mnd_workspace w = workspace();
    rows_buf rb = rows_alloc(&p);
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    int redrawn = 0;
    for (int64_t id = 0; id < 200; id++) {
        mnd_patient pt;
        cr_assert_eq(mnd_patient_simulate(&w, &p, 2, id, &pt, rb.rows, NULL), MND_OK);
        cr_assert_geq(pt.cov.attempts, 1);
        redrawn += pt.cov.attempts > 1;
        mnd_covariates c;
        memset(&c, 0, sizeof c);
        gsl_rng_set(r, mnd_rng_key(p.seed, MND_STREAM_COHORT, 2, (uint64_t)id,
                                   (uint64_t)pt.cov.attempts - 1));
        mnd_cohort_sample(r, &p, &c);
        cr_assert_eq(c.age_onset_years, pt.cov.age_onset_years);
        cr_assert_eq(c.t_diagnosis, pt.cov.t_diagnosis);
        cr_assert_eq(c.rate_multiplier, pt.cov.rate_multiplier);
        mnd_course k;
        gsl_rng_set(r, mnd_rng_key(p.seed, MND_STREAM_NEURONS, 2, (uint64_t)id,
                                   (uint64_t)pt.cov.attempts - 1));
        mnd_course_sample(r, &p, &c, &k);
        cr_assert(same_course(&k, &pt.course));
    }
    cr_assert_gt(redrawn, 0, "selection never redrew a patient");
    gsl_rng_free(r);
    rows_free(&rb);
    mnd_workspace_free(&w);
}

/* ------------------------------------------------------------ whole runs */

static void assert_runs_identical(const collected *a, const collected *b)
{
    size_t n = (size_t)a->rows, nt = n * (size_t)a->T;
    cr_assert_eq(a->rows, b->rows);
    for (size_t i = 0; i < n; i++)
        cr_assert(same_record(&a->patients[i], &b->patients[i]), "row %zu differs", i);
    cr_assert_eq(memcmp(a->time, b->time, nt * sizeof(float)), 0);
    cr_assert_eq(memcmp(a->fvc, b->fvc, nt * sizeof(float)), 0);
    cr_assert_eq(memcmp(a->umn, b->umn, nt * MND_REGION_COUNT * sizeof(float)), 0);
    cr_assert_eq(memcmp(a->lmn, b->lmn, nt * MND_REGION_COUNT * sizeof(float)), 0);
    cr_assert_eq(memcmp(a->items, b->items, nt * MND_ITEM_COUNT), 0);
    cr_assert_eq(memcmp(a->total, b->total, nt), 0);
    cr_assert_eq(memcmp(a->kings, b->kings, nt), 0);
    cr_assert_eq(memcmp(a->mitos, b->mitos, nt), 0);
}

Test(sim, one_and_two_threads_identical)
{
    mnd_params p = small_params(1000);
    p.n_replicates = 2;
    p.block_patients = 300; /* rounded up to 512 with chunks of 256: 4 blocks */
    collected one, two;
    run(&p, 1, &one);
    run(&p, 2, &two);
    cr_assert_eq(one.blocks, 4);
    cr_assert_eq(two.blocks, 4);
    assert_runs_identical(&one, &two);

    /* and the rows are the patients simulated one by one */
    mnd_workspace w = workspace();
    rows_buf rb = rows_alloc(&p);
    static const int64_t rows[] = {0, 1, 511, 512, 999, 1000, 1999};
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        int64_t row = rows[k];
        mnd_patient pt;
        cr_assert_eq(mnd_patient_simulate(&w, &p, row / 1000, row % 1000, &pt, rb.rows, NULL),
                     MND_OK);
        cr_assert(same_record(&pt, &one.patients[row]), "row %lld", (long long)row);
        size_t T = (size_t)one.T, o = (size_t)row * T;
        cr_assert_eq(memcmp(rb.rows.time, one.time + o, T * sizeof(float)), 0);
        cr_assert_eq(memcmp(rb.rows.items, one.items + o * MND_ITEM_COUNT, T * MND_ITEM_COUNT), 0);
        cr_assert_eq(memcmp(rb.rows.lmn, one.lmn + o * MND_REGION_COUNT,
                            T * MND_REGION_COUNT * sizeof(float)), 0);
    }
    rows_free(&rb);
    mnd_workspace_free(&w);
    collected_free(&one);
    collected_free(&two);
}

/* Invariants of one simulated patient and its visit rows. */
static void check_patient(const mnd_params *p, const mnd_patient *pt, int64_t T, const float *time,
                          const int8_t *items, const int8_t *total, const float *fvc,
                          const int8_t *kings, const int8_t *mitos, const float *umn,
                          const float *lmn, int64_t row)
{
    const mnd_covariates *c = &pt->cov;
    const mnd_events *ev = &pt->ev;
    long long r = (long long)row;
    cr_assert_geq(c->attempts, 1, "row %lld", r);
    cr_assert(c->t_diagnosis >= 0.0 && c->t_diagnosis <= ev->t_end,
              "row %lld: onset 0, diagnosis %g, end %g", r, c->t_diagnosis, ev->t_end);
    cr_assert_geq(c->t_enrolment, c->t_diagnosis, "row %lld", r);
    cr_assert(isnan(ev->t_death) || ev->t_death == ev->t_end, "row %lld", r);
    cr_assert_eq(isnan(ev->t_death), ev->end_cause == MND_END_CENSORED, "row %lld", r);
    cr_assert(pt->n_visits >= 1 && pt->n_visits <= T, "row %lld: %d visits", r, pt->n_visits);
    double origin = p->visit_origin == MND_ORIGIN_ONSET       ? 0.0
                    : p->visit_origin == MND_ORIGIN_ENROLMENT ? c->t_enrolment
                                                              : c->t_diagnosis;
    cr_assert(isnan(pt->t_m50) || (pt->t_m50 >= 0 && pt->t_m50 <= ev->t_end));
    cr_assert(isnan(pt->t_d50) || (pt->t_d50 >= 0 && pt->t_d50 <= ev->t_end));

    for (int64_t j = 0; j < T; j++) {
        const int8_t *it = items + j * MND_ITEM_COUNT;
        const float *u = umn + j * MND_REGION_COUNT, *l = lmn + j * MND_REGION_COUNT;
        if (j < pt->n_visits) {
            cr_assert(!isnan(time[j]) && !isnan(fvc[j]), "row %lld visit %lld: NaN", r,
                      (long long)j);
            /* the scheduled time in double, stored as float */
            double t = origin + (double)j * p->visit_interval_months;
            cr_assert_eq(time[j], (float)t, "row %lld visit %lld at %g, scheduled %g", r,
                         (long long)j, time[j], t);
            cr_assert(t <= ev->t_end && !(t >= ev->t_death),
                      "row %lld visit %lld at %.9g, end %.9g", r, (long long)j, t, ev->t_end);
            int sum = 0;
            for (int i = 0; i < MND_ITEM_COUNT; i++) {
                cr_assert(it[i] >= 0 && it[i] <= 4, "row %lld visit %lld item %d = %d", r,
                          (long long)j, i + 1, it[i]);
                sum += it[i];
            }
            cr_assert_eq(total[j], sum, "row %lld visit %lld: total", r, (long long)j);
            cr_assert(fvc[j] >= 0.0f && isfinite(fvc[j]));
            cr_assert(kings[j] >= 1 && kings[j] <= 4, "kings %d", kings[j]);
            cr_assert_eq(mitos[j], mnd_mitos_stage(it));
            for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                cr_assert(u[reg] > 0.0f && u[reg] <= 1.0f && l[reg] > 0.0f && l[reg] <= 1.0f,
                          "row %lld visit %lld: fractions %g %g", r, (long long)j, u[reg], l[reg]);
        } else {
            cr_assert(isnan(time[j]) && isnan(fvc[j]), "row %lld slot %lld not filled", r,
                      (long long)j);
            cr_assert(total[j] == -1 && kings[j] == -1 && mitos[j] == -1);
            for (int i = 0; i < MND_ITEM_COUNT; i++)
                cr_assert_eq(it[i], -1);
            for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                cr_assert(isnan(u[reg]) && isnan(l[reg]));
        }
    }
    /* the next scheduled visit would be after the end or at/after death */
    if (pt->n_visits < T) {
        double next = origin + pt->n_visits * p->visit_interval_months;
        cr_assert(next > ev->t_end || next >= ev->t_death, "row %lld: visits stop early at %d", r,
                  pt->n_visits);
    }
    if (time[0] > 0)
        cr_assert_float_eq(pt->delta_fs, (48.0 - total[0]) / time[0], 1e-4 * (1 + pt->delta_fs));
    else
        cr_assert(isnan(pt->delta_fs));
}

static void check_run(const mnd_params *p, const collected *c)
{
    size_t T = (size_t)c->T;
    for (int64_t row = 0; row < c->rows; row++) {
        size_t o = (size_t)row * T;
        const mnd_patient *pt = &c->patients[row];
        cr_assert_eq(pt->cov.replicate, row / p->n_patients);
        cr_assert_eq(pt->cov.patient_id, row % p->n_patients);
        check_patient(p, pt, c->T, c->time + o, c->items + o * MND_ITEM_COUNT, c->total + o,
                      c->fvc + o, c->kings + o, c->mitos + o, c->umn + o * MND_REGION_COUNT,
                      c->lmn + o * MND_REGION_COUNT, row);
    }
}

Test(sim, invariants_visit_origin_diagnosis)
{
    mnd_params p = small_params(3000);
    cr_assert_eq(p.visit_origin, MND_ORIGIN_DIAGNOSIS);
    collected c;
    run(&p, 2, &c);
    check_run(&p, &c);
    int short_ = 0;
    for (int64_t row = 0; row < c.rows; row++) {
        const mnd_patient *pt = &c.patients[row];
        cr_assert_eq(c.time[row * c.T], (float)pt->cov.t_diagnosis, "first visit at diagnosis");
        cr_assert_leq(pt->ev.t_end, pt->cov.t_diagnosis + p.follow_up_months);
        short_ += pt->n_visits < c.T;
    }
    cr_assert_gt(short_, 0);
    collected_free(&c);
}

Test(sim, invariants_visit_origin_onset)
{
    mnd_params p = small_params(1000);
    p.visit_origin = MND_ORIGIN_ONSET;
    p.follow_up_months = 60.0;
    p.visit_interval_months = 3.0;
    collected c;
    run(&p, 2, &c);
    cr_assert_eq(c.T, 21);
    check_run(&p, &c);
    for (int64_t row = 0; row < c.rows; row++) {
        cr_assert_eq(c.time[row * c.T], 0.0f);
        cr_assert(isnan(c.patients[row].delta_fs));
        cr_assert_leq(c.patients[row].ev.t_end, 60.0);
    }
    collected_free(&c);
}

/* ------------------------------------------------------------- selection */

/* The screening ratings of an accepted patient, redrawn from its screening
 * stream as the selection drew them: the rated items and measured FVC at
 * the screening visit, then the rated total at enrolment (with a lead-in). */
typedef struct {
    int8_t items[MND_ITEM_COUNT];
    int total, total_enrolment;
    double fvc;
} screening;

static int rated(gsl_rng *r, const mnd_params *p, const mnd_patient *pt, double t,
                 const mnd_pool_state *s, int8_t items[MND_ITEM_COUNT])
{
    double e[MND_ITEM_COUNT];
    mnd_items_expected(p, s, &pt->ev, t, e);
    mnd_items_measure(r, p, e, items);
    int total = 0;
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        total += items[i];
    return total;
}

static screening redraw_screening(const mnd_params *p, const mnd_patient *pt)
{
    const mnd_covariates *c = &pt->cov;
    screening sc;
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_rng_set(r, mnd_rng_key(p->seed, MND_STREAM_SCREENING, (uint64_t)c->replicate,
                               (uint64_t)c->patient_id, (uint64_t)(c->attempts - 1)));
    double t = c->t_enrolment - p->select_lead_in_months;
    mnd_pool_state s;
    mnd_pool_state_at(p, &pt->course, t, &s);
    sc.total = rated(r, p, pt, t, &s, sc.items);
    sc.fvc = mnd_fvc_expected(p, c->fvc_predicted_baseline, s.ventilation)
             * (1.0 + gsl_ran_gaussian_ziggurat(r, p->fvc_noise_cv));
    int8_t later[MND_ITEM_COUNT];
    mnd_pool_state_at(p, &pt->course, c->t_enrolment, &s);
    sc.total_enrolment = rated(r, p, pt, c->t_enrolment, &s, later);
    gsl_rng_free(r);
    return sc;
}

/* The criteria hold at the screening visit (lead_in_months before
 * enrolment, after diagnosis), on the ratings the selection drew. */
static void check_selected(const mnd_params *p, const mnd_patient *pt, long long row)
{
    const mnd_covariates *c = &pt->cov;
    double t = c->t_enrolment - p->select_lead_in_months;
    cr_assert_geq(c->attempts, 1);
    cr_assert_leq(c->attempts, p->select_max_attempts);
    cr_assert_geq(t, c->t_diagnosis, "row %lld: screened before diagnosis", row);
    cr_assert_gt(pt->ev.t_end, c->t_enrolment, "row %lld: not alive at enrolment", row);
    cr_assert_leq(t, p->select_max_duration_months, "row %lld: duration %g", row, t);
    double age = c->age_onset_years + t / 12.0;
    cr_assert(age >= p->select_min_age_years && age <= p->select_max_age_years,
              "row %lld: age %g at screening", row, age);
    mnd_pool_state s;
    mnd_pool_state_at(p, &pt->course, t, &s);
    int regions = 0;
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        regions += fmin(s.fraction[reg][MND_POOL_UMN], s.fraction[reg][MND_POOL_LMN])
                   < p->select_sign_fraction;
    cr_assert_geq(regions, p->select_min_regions, "row %lld: %d regions", row, regions);
    screening sc = redraw_screening(p, pt);
    cr_assert_geq(sc.fvc, p->select_min_fvc_percent, "row %lld: FVC %g at screening", row, sc.fvc);
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        cr_assert_geq(sc.items[i], p->select_min_item, "row %lld item %d", row, i + 1);
    if (p->select_lead_in_months > 0) {
        int decline = sc.total - sc.total_enrolment;
        cr_assert(decline >= p->select_lead_in_min_decline
                      && decline <= p->select_lead_in_max_decline,
                  "row %lld: lead-in decline %d", row, decline);
    }
}

Test(sim, selection_criteria_hold)
{
    mnd_params p = small_params(1500);
    p.select = true;
    p.enrolment_delay_mean_months = 2.0;
    p.select_min_fvc_percent = 80.0;
    p.select_min_age_years = 30.0;
    p.select_max_age_years = 75.0;
    p.select_max_duration_months = 24.0;
    p.select_min_item = 2;
    p.visit_origin = MND_ORIGIN_ENROLMENT;
    p.follow_up_months = 12.0;
    collected c;
    run(&p, 2, &c);
    check_run(&p, &c);
    int redrawn = 0, max_attempts = 0;
    for (int64_t row = 0; row < c.rows; row++) {
        const mnd_patient *pt = &c.patients[row];
        check_selected(&p, pt, (long long)row);
        cr_assert_eq(c.time[row * c.T], (float)pt->cov.t_enrolment, "first visit at enrolment");
        redrawn += pt->cov.attempts > 1;
        if (pt->cov.attempts > max_attempts)
            max_attempts = pt->cov.attempts;
    }
    cr_assert_gt(redrawn, c.rows / 4, "the criteria should reject many draws (%d redrawn)",
                 redrawn);
    cr_assert_gt(max_attempts, 2);
    collected_free(&c);
}

Test(sim, impossible_selection_fails)
{
    mnd_params p = small_params(50);
    p.select = true;
    p.select_min_fvc_percent = 200.0;
    p.select_max_attempts = 3;
    mnd_workspace w = workspace();
    rows_buf rb = rows_alloc(&p);
    mnd_patient pt;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_patient_simulate(&w, &p, 0, 7, &pt, rb.rows, &err), MND_ERR_CONFIG);
    cr_assert_eq(err.code, MND_ERR_CONFIG);
    cr_assert_str_eq(err.message, "patient 7 of replicate 0: no draw met the selection criteria "
                                  "in 3 attempts (selection.max_attempts); the criteria may be "
                                  "impossible");
    rows_free(&rb);
    mnd_workspace_free(&w);

    /* through a run, on two threads: the error comes back, no block is sunk */
    collected c;
    collected_alloc(&c, &p);
    mnd_error_clear(&err);
    mnd_status st = mnd_sim_run(&p, 2, collect, &c, progress, &c, &err);
    cr_assert_eq(st, MND_ERR_CONFIG);
    cr_assert_eq(err.code, MND_ERR_CONFIG);
    cr_assert_not_null(strstr(err.message, "selection.max_attempts"), "message: %s", err.message);
    cr_assert_eq(c.blocks, 0);
    collected_free(&c);
}

/* A lead-in moves enrolment lead_in_months after the screening visit,
 * where the other criteria are judged; the decline between the two rated
 * visits (their own stream) must lie in the band: a narrow band rejects
 * draws that wide bounds accept, and every accepted patient's redrawn
 * decline lies in it. */
Test(sim, lead_in_selection)
{
    mnd_params p = small_params(400);
    p.select = true;
    p.enrolment_delay_mean_months = 2.0;
    p.select_max_duration_months = 24.0;
    p.select_min_item = 2;
    p.select_min_fvc_percent = 80.0;
    p.visit_origin = MND_ORIGIN_ENROLMENT;
    p.follow_up_months = 6.0;
    p.select_lead_in_months = 3.0;
    p.select_lead_in_min_decline = -48.0;
    p.select_lead_in_max_decline = 48.0;
    collected wide, band;
    run(&p, 2, &wide);
    check_run(&p, &wide);
    for (int64_t row = 0; row < wide.rows; row++) {
        const mnd_patient *pt = &wide.patients[row];
        check_selected(&p, pt, (long long)row);
        cr_assert_eq(wide.time[row * wide.T], (float)pt->cov.t_enrolment, "visit 0 at enrolment");
        cr_assert(isfinite(pt->lead_in_decline), "the lead-in decline is recorded");
    }
    p.select_lead_in_min_decline = 2.0;
    p.select_lead_in_max_decline = 5.0;
    run(&p, 2, &band);
    check_run(&p, &band);
    int redrawn = 0;
    for (int64_t row = 0; row < band.rows; row++) {
        check_selected(&p, &band.patients[row], (long long)row);
        cr_assert(band.patients[row].lead_in_decline >= 2.0
                  && band.patients[row].lead_in_decline <= 5.0, "recorded decline in the band");
        redrawn += band.patients[row].cov.attempts > wide.patients[row].cov.attempts;
    }
    cr_assert_gt(redrawn, band.rows / 4, "the band should reject draws (%d redrawn)", redrawn);
    collected_free(&wide);
    collected_free(&band);
}

/* A sink for runs that must fail before their first block. */
static mnd_status no_block_expected(const mnd_block *b, void *ctx, mnd_error *err)
{
    cr_assert_fail("block at row %lld sunk although a patient failed", (long long)b->first_row);
    return MND_OK;
}

/* When several threads fail at once, the run reports the lowest failing
 * row, whatever the number of threads and however the rows were shared
 * out.  Every thread count below adds threads the run has not used yet:
 * a new thread may take the first rows before the old ones, which is when
 * reporting "the first failure of the lowest-numbered thread" went wrong
 * (patient 16 or 32 instead of 0, about one run in three). */
Test(sim, lowest_failing_row_is_reported)
{
    mnd_params p = small_params(300);
    p.select = true;
    p.select_min_fvc_percent = 200.0;
    p.select_max_attempts = 5;
    mnd_error err;
    for (int threads = 1; threads <= 32; threads++) {
        mnd_error_clear(&err);
        cr_assert_eq(mnd_sim_run(&p, threads, no_block_expected, NULL, NULL, NULL, &err),
                     MND_ERR_CONFIG);
        cr_assert_str_eq(err.message,
                         "patient 0 of replicate 0: no draw met the selection criteria in 5 "
                         "attempts (selection.max_attempts); the criteria may be impossible",
                         "%d threads", threads);
    }
}

/* The same when failures are sparse: with one draw allowed and no
 * criteria, a patient fails when its draw dies before diagnosis (about one
 * in six).  The reference is the first failure of a serial loop. */
Test(sim, lowest_failing_row_is_reported_sparse)
{
    mnd_params p = small_params(2000);
    p.select_max_attempts = 1;
    mnd_workspace w = workspace();
    rows_buf rb = rows_alloc(&p);
    mnd_patient pt;
    mnd_error expected, err;
    int64_t lowest = -1, failures = 0;
    mnd_error_clear(&expected);
    for (int64_t id = 0; id < p.n_patients; id++) {
        mnd_error_clear(&err);
        if (mnd_patient_simulate(&w, &p, 0, id, &pt, rb.rows, &err) != MND_OK) {
            if (lowest < 0) {
                lowest = id;
                expected = err;
            }
            failures++;
        }
    }
    rows_free(&rb);
    mnd_workspace_free(&w);
    cr_assert_gt(lowest, 0, "the first patient should not fail");
    cr_assert_gt(failures, 100);

    for (int threads = 1; threads <= 8; threads++) {
        for (int repeat = 0; repeat < 3; repeat++) {
            mnd_error_clear(&err);
            cr_assert_eq(mnd_sim_run(&p, threads, no_block_expected, NULL, NULL, NULL, &err),
                         MND_ERR_CONFIG);
            cr_assert_str_eq(err.message, expected.message, "%d threads", threads);
        }
    }
}

/* A sink error stops the run and is returned as is. */
static mnd_status failing_sink(const mnd_block *b, void *ctx, mnd_error *err)
{
    int *calls = ctx;
    (*calls)++;
    return mnd_error_set(err, MND_ERR_IO, "out.h5", 0, "disk full");
}

Test(sim, sink_error_stops_the_run)
{
    mnd_params p = small_params(600);
    p.block_patients = 256;
    int calls = 0;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_sim_run(&p, 2, failing_sink, &calls, NULL, NULL, &err), MND_ERR_IO);
    cr_assert_eq(calls, 1);
    cr_assert_str_eq(err.message, "out.h5: disk full");
}

/* A progress callback that returns nonzero cancels the run after the
 * block it was told about. */
static int cancel_after_first(int64_t done, int64_t total, void *ctx)
{
    int *calls = ctx;
    (*calls)++;
    return 1;
}

Test(sim, progress_cancels_the_run)
{
    mnd_params p = small_params(600);
    p.block_patients = 256;
    collected c;
    collected_alloc(&c, &p);
    int calls = 0;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_sim_run(&p, 2, collect, &c, cancel_after_first, &calls, &err),
                 MND_ERR_CANCELLED);
    cr_assert_eq(calls, 1);
    cr_assert_eq(c.blocks, 1, "the block before the cancel is delivered");
    cr_assert_str_eq(err.message, "run cancelled after 256 of 600 rows");
    collected_free(&c);
}
