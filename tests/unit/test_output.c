/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_output.c — unit tests of src/block.c and src/output_h5.c.
 *
 * A cohort of 2 replicates x 3 patients with T = 4 visits is filled by hand
 * with values that differ per row, visit, item and region (including NaN
 * event times and fill values past n_visits), written in two blocks of 3
 * rows (chunk 3, deflate 1), committed, and read back through the reader:
 * every column and trajectory must come back exactly.  Around that: the
 * temporary-file protocol (no final name before commit, no temporary file
 * after commit or discard, an existing temporary file is never clobbered),
 * store[] switches, the exact error messages, and a check through
 * xarray/h5netcdf that every axis has a named dimension.  A second cohort
 * has two interventions set in C (the config loader is tested elsewhere):
 * its exposure columns, adverse-event table (also when empty) and
 * parameter groups are read back the same way.  The test never includes
 * <hdf5.h>: only the library talks to HDF5.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gsl/gsl_version.h>

#include "../../src/config_table.h"
#include "mndsim/block.h"
#include "mndsim/output.h"

enum { N_PATIENTS = 3, N_REPLICATES = 2, ROWS = N_PATIENTS * N_REPLICATES, T = 4 };

static const char config_text[] = "simulation: { n_patients = 3L; };\n# Chiò 2015\n";

/* ---------------------------------------------------------------- helpers */

static char workdir[64];
static char out_path[128];
static char tmp_path[160];

static void make_workdir(void)
{
    snprintf(workdir, sizeof workdir, "/tmp/mndsim-test-output-XXXXXX");
    cr_assert_not_null(mkdtemp(workdir));
    snprintf(out_path, sizeof out_path, "%s/run.h5", workdir);
    snprintf(tmp_path, sizeof tmp_path, "%s.tmp.%ld", out_path, (long)getpid());
}

/* Number of entries of the work folder other than "." and "..". */
static int workdir_entries(void)
{
    DIR *d = opendir(workdir);
    struct dirent *e;
    int n = 0;
    cr_assert_not_null(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void remove_workdir(void)
{
    DIR *d = opendir(workdir);
    struct dirent *e;
    char path[400];
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", workdir, e->d_name);
        if (unlink(path) != 0)
            rmdir(path);
    }
    closedir(d);
    rmdir(workdir);
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

TestSuite(output, .init = make_workdir, .fini = remove_workdir);

static void test_params(mnd_params *p)
{
    memset(p, 0, sizeof *p);
    p->n_patients = N_PATIENTS;
    p->n_replicates = N_REPLICATES;
    p->seed = UINT64_C(0x7fffffffffffffff);
    p->follow_up_months = 3.0;
    p->visit_interval_months = 1.0;
    p->visit_origin = MND_ORIGIN_DIAGNOSIS;
    p->block_patients = N_PATIENTS;
    p->chunk_patients = 3;
    p->deflate_level = 1;
    for (int v = 0; v < MND_TRAJ_COUNT; v++)
        p->store[v] = true;
}

static const mnd_provenance test_prov = {
    .engine_version = "0.1.0-test",
    .git_commit = "0123456789abcdef0123456789abcdef01234567",
    .git_dirty = 1,
    .command_line = "mndsim run configs/test.cfg -o run.h5",
    .config_path = "configs/test.cfg",
    .overrides = "simulation.n_patients=3\nsimulation.seed=1",
    .config_text = config_text,
    .threads = 2,
};

/* Interventions of the cohort being filled: 0, or N_IV with adverse
 * events when `with_ae` (each test runs in its own process). */
enum { N_IV = 2 };
static int cohort_interventions;
static bool cohort_with_ae;

/* The hand-made exposure and adverse events of row g: every status, NaN
 * and +inf times, 0 to 2 events per patient from either intervention,
 * and a count of events past the cap in odd rows. */
static void fill_treatment(mnd_patient *pt, int64_t g)
{
    for (int j = 0; j < cohort_interventions; j++) {
        mnd_exposure *ex = &pt->exposure[j];
        ex->status = (mnd_exposure_status)((g + j) % MND_EXPOSURE_COUNT);
        const bool treated = ex->status == MND_EXPOSURE_TREATED;
        ex->n_doses = treated ? (int32_t)(j == 0 ? 0 : 1 + g) : 0;
        ex->t_start = treated ? 11.25 + (double)g : NAN;
        ex->t_stop = !treated ? NAN : j == 0 ? INFINITY : 15.5 + (double)g;
    }
    pt->n_ae = cohort_with_ae ? (int32_t)(g % 3) : 0;
    for (int a = 0; a < pt->n_ae; a++)
        pt->ae[a] = (mnd_adverse_event){
            .intervention = (int8_t)((g + a) % N_IV),
            .type = (int8_t)((g + 2 * a) % MND_AE_COUNT),
            .severity = (int8_t)((g + a) % MND_SEVERITY_COUNT),
            .outcome = (int8_t)(a % MND_OUTCOME_COUNT),
            .time = 12.0 + (double)g + 0.25 * a,
        };
    pt->n_ae_dropped = cohort_with_ae ? (int32_t)(g % 2 * (3 + g)) : 0;
}

/* The hand-made patient of global row g: every field depends on g, some
 * event times are NaN. */
static void fill_patient(mnd_patient *pt, int64_t g)
{
    memset(pt, 0, sizeof *pt);
    pt->cov.replicate = g / N_PATIENTS;
    pt->cov.patient_id = g % N_PATIENTS + INT64_C(5000000000); /* needs 64 bits */
    pt->cov.attempts = (int32_t)(1 + g);
    pt->cov.male = (int8_t)(g % 2);
    pt->cov.age_onset_years = 50.25 + (double)g / 3.0;
    pt->cov.phenotype = (mnd_phenotype)(g % MND_PHENOTYPE_COUNT);
    pt->cov.genotype = (mnd_genotype)(g % MND_GENOTYPE_COUNT);
    pt->cov.onset_region = (mnd_region)(g % MND_REGION_COUNT);
    pt->cov.rate_multiplier = 1.0 + 0.1 * (double)g;
    pt->cov.t_diagnosis = 10.5 + (double)g;
    pt->cov.t_enrolment = 12.0 + (double)g / 7.0;
    pt->cov.fvc_predicted_baseline = 101.0 - (double)g;
    for (int r = 0; r < MND_REGION_COUNT; r++) {
        pt->course.loss_start[r] = -1.5 + r + 0.1 * (double)g;
        pt->course.rate[r][MND_POOL_UMN] = 0.01 * (r + 1) + 0.001 * (double)g;
        pt->course.rate[r][MND_POOL_LMN] = 0.5 + 0.02 * (r + 1) + 0.001 * (double)g;
    }
    pt->ev.t_gastrostomy = g % 2 ? NAN : 20.0 + (double)g;
    pt->ev.t_niv = 25.5 + (double)g;
    pt->ev.t_respiratory_failure = g % 3 ? 33.0 + (double)g : NAN;
    pt->ev.t_tracheostomy = NAN;
    pt->ev.end_cause = (mnd_end_cause)(g % MND_END_COUNT);
    pt->ev.t_death = pt->ev.end_cause == MND_END_CENSORED ? NAN : 35.0 + (double)g;
    pt->ev.t_end = 35.0 + (double)g;
    pt->ev.death_ventilation = 0.3 + 0.01 * (double)g;
    pt->n_visits = (int32_t)(g % (T + 1)); /* 0..4, so row 0 has no visits */
    pt->delta_fs = pt->n_visits > 0 ? 0.5 + (double)g / 9.0 : NAN;
    pt->t_m50 = g % 2 ? 41.0 + (double)g : NAN;
    pt->t_d50 = 40.0 + (double)g;
    pt->mu_decline_percent_per_month = -1.5 * (double)g;
    fill_treatment(pt, g);
}

/* Expected item score of row g, visit t, item k (during a visit). */
static int8_t item_score(int64_t g, int t, int k) { return (int8_t)((g + t + k) % 5); }

static void fill_visits(mnd_visit_rows v, int64_t g, int n_visits)
{
    for (int t = 0; t < T; t++) {
        const bool seen = t < n_visits;
        int total = 0;
        for (int k = 0; k < MND_ITEM_COUNT; k++) {
            v.items[t * MND_ITEM_COUNT + k] = seen ? item_score(g, t, k) : -1;
            total += item_score(g, t, k);
        }
        v.time[t] = seen ? 0.5f + (float)t + (float)g / 3.0f : NAN;
        v.total[t] = (int8_t)(seen ? total : -1);
        v.fvc[t] = seen ? 90.1f - (float)t - (float)g : NAN;
        v.kings[t] = (int8_t)(seen ? 1 + (g + t) % 4 : -1);
        v.mitos[t] = (int8_t)(seen ? (g + t) % 5 : -1);
        for (int r = 0; r < MND_REGION_COUNT; r++) {
            v.umn[t * MND_REGION_COUNT + r] = seen ? 1.0f - 0.1f * (float)(r + t) : NAN;
            v.lmn[t * MND_REGION_COUNT + r] = seen ? 0.9f - 0.07f * (float)(r + t + g) : NAN;
        }
    }
}

static void fill_block(mnd_block *b, int64_t first_row, int64_t n)
{
    b->first_row = first_row;
    b->n = n;
    for (int64_t i = 0; i < n; i++) {
        fill_patient(&b->patients[i], first_row + i);
        fill_visits(mnd_block_rows(b, i), first_row + i, b->patients[i].n_visits);
    }
}

/* Writes the whole test cohort in two blocks of N_PATIENTS rows. */
static void write_cohort(mnd_output *o)
{
    mnd_block b;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_block_alloc(&b, N_PATIENTS, T, &err), MND_OK);
    for (int64_t row = 0; row < ROWS; row += N_PATIENTS) {
        fill_block(&b, row, N_PATIENTS);
        cr_assert_eq(mnd_output_write(o, &b, &err), MND_OK, "%s", err.message);
    }
    mnd_block_free(&b);
}

static void write_file(const mnd_params *p)
{
    mnd_output *o = NULL;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, out_path, p, &test_prov, &err), MND_OK, "%s", err.message);
    write_cohort(o);
    cr_assert_eq(mnd_output_commit(o, &err), MND_OK, "%s", err.message);
}

static bool same(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

/* The value the column `name` must hold for patient pt (region r). */
static double expected_column(const char *name, const mnd_patient *pt, int r)
{
    const struct {
        const char *name;
        double value;
    } columns[] = {
        {"replicate", (double)pt->cov.replicate},
        {"patient_id", (double)pt->cov.patient_id},
        {"attempts", pt->cov.attempts},
        {"male", pt->cov.male},
        {"age_onset_years", pt->cov.age_onset_years},
        {"phenotype", pt->cov.phenotype},
        {"genotype", pt->cov.genotype},
        {"onset_region", pt->cov.onset_region},
        {"rate_multiplier", pt->cov.rate_multiplier},
        {"t_diagnosis", pt->cov.t_diagnosis},
        {"t_enrolment", pt->cov.t_enrolment},
        {"fvc_predicted_baseline", pt->cov.fvc_predicted_baseline},
        {"t_gastrostomy", pt->ev.t_gastrostomy},
        {"t_niv", pt->ev.t_niv},
        {"t_respiratory_failure", pt->ev.t_respiratory_failure},
        {"t_tracheostomy", pt->ev.t_tracheostomy},
        {"t_death", pt->ev.t_death},
        {"t_end", pt->ev.t_end},
        {"died", pt->ev.end_cause != MND_END_CENSORED},
        {"end_cause", pt->ev.end_cause},
        {"death_ventilation", pt->ev.death_ventilation},
        {"n_visits", pt->n_visits},
        {"delta_fs", pt->delta_fs},
        {"t_m50", pt->t_m50},
        {"t_d50", pt->t_d50},
        {"mu_decline_percent_per_month", pt->mu_decline_percent_per_month},
        {"loss_start", pt->course.loss_start[r]},
        {"lmn_rate", pt->course.rate[r][MND_POOL_LMN]},
        {"umn_rate", pt->course.rate[r][MND_POOL_UMN]},
    };
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
        if (strcmp(columns[i].name, name) == 0)
            return columns[i].value;
    cr_assert_fail("no expected value for column %s", name);
    return NAN;
}

static const char *const one_d_columns[] = {
    "replicate", "patient_id", "attempts", "male", "age_onset_years", "phenotype",
    "genotype", "onset_region", "rate_multiplier", "t_diagnosis", "t_enrolment",
    "fvc_predicted_baseline", "t_gastrostomy", "t_niv", "t_respiratory_failure",
    "t_tracheostomy", "t_death", "t_end", "died", "end_cause", "death_ventilation",
    "n_visits", "delta_fs", "t_m50", "t_d50", "mu_decline_percent_per_month",
};
static const char *const region_columns[] = {"loss_start", "lmn_rate", "umn_rate"};

static void expect_shape(const mnd_reader *r, const char *name, int rank, int64_t d0,
                         int64_t d1, int64_t d2)
{
    int got_rank = 0;
    int64_t dims[3] = {0, 0, 0};
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_reader_shape(r, name, &got_rank, dims, &err), MND_OK, "%s", err.message);
    cr_expect_eq(got_rank, rank, "%s: rank %d", name, got_rank);
    cr_expect(dims[0] == d0 && dims[1] == d1 && dims[2] == d2,
              "%s: shape %lld x %lld x %lld", name, (long long)dims[0], (long long)dims[1],
              (long long)dims[2]);
}

static void expect_attr(const mnd_reader *r, const char *name, const char *value)
{
    char *got = NULL;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_reader_attr(r, name, &got, &err), MND_OK, "%s", err.message);
    cr_expect_str_eq(got, value, "attribute %s", name);
    free(got);
}

/* ------------------------------------------------------------------ block */

Test(block, rows_point_into_patient_major_arrays)
{
    mnd_block b;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_block_alloc(&b, 5, 7, &err), MND_OK);
    cr_expect_eq(b.capacity, 5);
    cr_expect_eq(b.max_visits, 7);
    cr_expect_eq(b.n, 0);
    cr_expect_eq(b.first_row, 0);
    mnd_visit_rows v = mnd_block_rows(&b, 3);
    cr_expect_eq(v.time, b.time + 3 * 7);
    cr_expect_eq(v.items, b.items + 3 * 7 * MND_ITEM_COUNT);
    cr_expect_eq(v.total, b.total + 3 * 7);
    cr_expect_eq(v.fvc, b.fvc + 3 * 7);
    cr_expect_eq(v.kings, b.kings + 3 * 7);
    cr_expect_eq(v.mitos, b.mitos + 3 * 7);
    cr_expect_eq(v.umn, b.umn + 3 * 7 * MND_REGION_COUNT);
    cr_expect_eq(v.lmn, b.lmn + 3 * 7 * MND_REGION_COUNT);
    /* the last patient's last slot is inside the allocation (ASan checks) */
    v = mnd_block_rows(&b, 4);
    v.items[7 * MND_ITEM_COUNT - 1] = 4;
    v.lmn[7 * MND_REGION_COUNT - 1] = 0.5f;
    mnd_block_free(&b);
    cr_expect_null(b.patients);
    cr_expect_null(b.items);
    mnd_block_free(&b); /* freeing twice is safe */
}

Test(block, free_is_safe_on_a_zeroed_block)
{
    mnd_block b;
    memset(&b, 0, sizeof b);
    mnd_block_free(&b);
    mnd_block_free(NULL);
}

Test(block, impossible_size_is_out_of_memory)
{
    mnd_block b;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_block_alloc(&b, INT64_C(1) << 40, INT64_C(1) << 30, &err), MND_ERR_NOMEM);
    cr_expect_str_eq(err.message,
                     "out of memory allocating a block of 1099511627776 patients x 1073741824 "
                     "visits");
    cr_expect_null(b.patients);
    cr_expect_null(b.time);
}

/* ----------------------------------------------------------------- output */

Test(output, round_trip_every_column_and_trajectory)
{
    mnd_params p;
    mnd_output *o = NULL;
    mnd_reader *r = NULL;
    mnd_error err;
    double got[ROWS * T * MND_ITEM_COUNT];
    mnd_patient ref[ROWS];

    test_params(&p);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, out_path, &p, &test_prov, &err), MND_OK, "%s", err.message);
    cr_expect(exists(tmp_path), "the temporary file is created first");
    cr_expect_not(exists(out_path), "no final name before commit");
    write_cohort(o);
    cr_expect_not(exists(out_path), "no final name before commit");
    cr_assert_eq(mnd_output_commit(o, &err), MND_OK, "%s", err.message);
    cr_expect(exists(out_path));
    cr_expect_not(exists(tmp_path), "the temporary file is renamed");
    cr_expect_eq(workdir_entries(), 1);

    for (int g = 0; g < ROWS; g++)
        fill_patient(&ref[g], g);
    cr_assert_eq(mnd_reader_open(&r, out_path, &err), MND_OK, "%s", err.message);

    /* coordinates */
    const struct {
        const char *name;
        int64_t n;
        double first;
    } coords[] = {{"patient", ROWS, 0}, {"visit", T, 0}, {"item", MND_ITEM_COUNT, 1},
                  {"region", MND_REGION_COUNT, 0}};
    for (size_t c = 0; c < 4; c++) {
        expect_shape(r, coords[c].name, 1, coords[c].n, 1, 1);
        cr_assert_eq(mnd_reader_read(r, coords[c].name, 0, coords[c].n, got, &err), MND_OK,
                     "%s", err.message);
        for (int64_t i = 0; i < coords[c].n; i++)
            cr_expect_eq(got[i], coords[c].first + (double)i, "%s[%lld]", coords[c].name,
                         (long long)i);
    }

    /* per-patient columns, read whole and as a slice across the blocks */
    for (size_t c = 0; c < sizeof one_d_columns / sizeof one_d_columns[0]; c++) {
        const char *name = one_d_columns[c];
        expect_shape(r, name, 1, ROWS, 1, 1);
        cr_assert_eq(mnd_reader_read(r, name, 0, ROWS, got, &err), MND_OK, "%s", err.message);
        for (int g = 0; g < ROWS; g++)
            cr_expect(same(got[g], expected_column(name, &ref[g], 0)), "%s[%d] = %.17g", name,
                      g, got[g]);
        cr_assert_eq(mnd_reader_read(r, name, 2, 2, got, &err), MND_OK, "%s", err.message);
        cr_expect(same(got[0], expected_column(name, &ref[2], 0)), "%s slice", name);
        cr_expect(same(got[1], expected_column(name, &ref[3], 0)), "%s slice", name);
    }
    for (size_t c = 0; c < sizeof region_columns / sizeof region_columns[0]; c++) {
        const char *name = region_columns[c];
        expect_shape(r, name, 2, ROWS, MND_REGION_COUNT, 1);
        cr_assert_eq(mnd_reader_read(r, name, 0, ROWS, got, &err), MND_OK, "%s", err.message);
        for (int g = 0; g < ROWS; g++)
            for (int k = 0; k < MND_REGION_COUNT; k++)
                cr_expect(same(got[g * MND_REGION_COUNT + k], expected_column(name, &ref[g], k)),
                          "%s[%d][%d]", name, g, k);
    }
    cr_expect_not(mnd_reader_has(r, "no_such_column"));

    /* trajectories: the reference rows of each patient, converted to double */
    mnd_block want;
    cr_assert_eq(mnd_block_alloc(&want, ROWS, T, &err), MND_OK);
    fill_block(&want, 0, ROWS);
    const struct {
        const char *name;
        int k;
    } traj[] = {{"visit_time", 1}, {"alsfrs_items", MND_ITEM_COUNT}, {"alsfrs_total", 1},
                {"fvc", 1},        {"kings_stage", 1},              {"mitos_stage", 1},
                {"umn_fraction", MND_REGION_COUNT}, {"lmn_fraction", MND_REGION_COUNT}};
    for (size_t v = 0; v < sizeof traj / sizeof traj[0]; v++) {
        const char *name = traj[v].name;
        const int k = traj[v].k;
        cr_assert(mnd_reader_has(r, name), "%s stored", name);
        expect_shape(r, name, k > 1 ? 3 : 2, ROWS, T, k);
        cr_assert_eq(mnd_reader_read(r, name, 0, ROWS, got, &err), MND_OK, "%s", err.message);
        for (int64_t i = 0; i < (int64_t)ROWS * T * k; i++) {
            double w = 0;
            switch (v) {
            case 0: w = want.time[i]; break;
            case 1: w = want.items[i]; break;
            case 2: w = want.total[i]; break;
            case 3: w = want.fvc[i]; break;
            case 4: w = want.kings[i]; break;
            case 5: w = want.mitos[i]; break;
            case 6: w = want.umn[i]; break;
            case 7: w = want.lmn[i]; break;
            }
            cr_expect(same(got[i], w), "%s[%lld] = %.9g, want %.9g", name, (long long)i, got[i],
                      w);
        }
    }
    /* spot checks that fill values survive: row 0 has no visits */
    cr_assert_eq(mnd_reader_read(r, "alsfrs_total", 0, 1, got, &err), MND_OK);
    cr_expect_eq(got[0], -1.0);
    cr_assert_eq(mnd_reader_read(r, "fvc", 0, 1, got, &err), MND_OK);
    cr_expect(isnan(got[3]));
    mnd_block_free(&want);

    /* provenance */
    expect_attr(r, "title", "mndsim natural-history run");
    expect_attr(r, "engine_name", "mndsim");
    expect_attr(r, "engine_version", "0.1.0-test");
    expect_attr(r, "git_commit", test_prov.git_commit);
    expect_attr(r, "git_dirty", "1");
    expect_attr(r, "command_line", test_prov.command_line);
    expect_attr(r, "config_path", "configs/test.cfg");
    expect_attr(r, "overrides", test_prov.overrides);
    expect_attr(r, "gsl_version", GSL_VERSION);
    expect_attr(r, "rng_algorithm", "xoshiro256++ seeded by SplitMix64 of (seed, purpose, "
                                    "replicate, patient, attempt)");
    expect_attr(r, "master_seed", "9223372036854775807");
    expect_attr(r, "master_seed_hex", "0x7fffffffffffffff");
    expect_attr(r, "n_patients", "3");
    expect_attr(r, "n_replicates", "2");
    expect_attr(r, "n_threads", "2");
    expect_attr(r, "n_ranks", "1");
    expect_attr(r, "max_visits", "4");
    expect_attr(r, "visit_interval_months", "1");
    expect_attr(r, "follow_up_months", "3");
    expect_attr(r, "visit_origin", "diagnosis");
    char *text = NULL;
    cr_assert_eq(mnd_reader_attr(r, "created_utc", &text, &err), MND_OK);
    cr_expect_eq(strlen(text), strlen("2026-11-23T10:00:00Z"), "%s", text);
    cr_expect_eq(text[10], 'T');
    cr_expect_eq(text[19], 'Z');
    free(text);
    cr_assert_eq(mnd_reader_attr(r, "hdf5_version", &text, &err), MND_OK);
    cr_expect_eq(strncmp(text, "1.", 2), 0, "%s", text);
    free(text);
    cr_assert_eq(mnd_reader_attr(r, "libc_version", &text, &err), MND_OK);
    cr_expect_gt(strlen(text), 0);
    free(text);
    cr_assert_eq(mnd_reader_config_text(r, &text, &err), MND_OK, "%s", err.message);
    cr_expect_str_eq(text, config_text);
    free(text);
    mnd_reader_close(r);
}

Test(output, netcdf_dimensions_seen_by_xarray)
{
    mnd_params p;
    char command[4096];
    test_params(&p);
    write_file(&p);
    snprintf(command, sizeof command,
             "/usr/bin/python3 -c '\n"
             "import h5py, xarray\n"
             "f = \"%s\"\n"
             "ds = xarray.open_dataset(f, engine=\"h5netcdf\")\n"
             "assert ds[\"alsfrs_items\"].dims == (\"patient\", \"visit\", \"item\")\n"
             "assert ds[\"umn_fraction\"].dims == (\"patient\", \"visit\", \"region\")\n"
             "assert ds[\"fvc\"].dims == (\"patient\", \"visit\")\n"
             "assert ds[\"t_death\"].dims == (\"patient\",)\n"
             "assert ds[\"loss_start\"].dims == (\"patient\", \"region\")\n"
             "assert set(ds.dims) == {\"patient\", \"visit\", \"item\", \"region\"}\n"
             "assert list(ds[\"item\"].values) == list(range(1, 13))\n"
             "names = ds[\"item\"].attrs[\"item_names\"].split()\n"
             "assert names[0] == \"speech\" and names[11] == \"respiratory_insufficiency\"\n"
             "desc = ds[\"visit\"].attrs[\"description\"]\n"
             "assert desc == \"visit number from the visit origin\"\n"
             "assert ds[\"t_death\"].attrs[\"units\"] == \"month\"\n"
             "assert ds[\"phenotype\"].attrs[\"flag_meanings\"].split()[0] == \"classic\"\n"
             "assert ds.attrs[\"engine_name\"] == \"mndsim\"\n"
             "assert ds[\"config_text\"].dims == ()\n"
             "raw = xarray.open_dataset(f, engine=\"h5netcdf\", mask_and_scale=False)\n"
             "assert raw[\"alsfrs_items\"].dtype == \"int8\"\n"
             "assert int(raw[\"alsfrs_total\"][0, 0]) == -1\n"
             "h = h5py.File(f, \"r\")\n"
             "assert h[\"alsfrs_items\"].dims[2][0].name == \"/item\"\n"
             "assert h[\"alsfrs_items\"].attrs[\"_FillValue\"].dtype == \"int8\"\n"
             "assert h[\"alsfrs_items\"].chunks == (3, 4, 12)\n"
             "assert h[\"alsfrs_items\"].compression == \"gzip\"\n"
             "'",
             out_path);
    int status = system(command);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "python3/xarray check failed (status %d)", status);
}

Test(output, unstored_trajectories_are_absent)
{
    mnd_params p;
    mnd_reader *r = NULL;
    mnd_error err;
    test_params(&p);
    p.store[MND_TRAJ_FVC] = false;
    p.store[MND_TRAJ_NEURONS] = false;
    p.deflate_level = 0;
    write_file(&p);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_reader_open(&r, out_path, &err), MND_OK, "%s", err.message);
    cr_expect_not(mnd_reader_has(r, "fvc"));
    cr_expect_not(mnd_reader_has(r, "umn_fraction"));
    cr_expect_not(mnd_reader_has(r, "lmn_fraction"));
    cr_expect(mnd_reader_has(r, "alsfrs_items"));
    cr_expect(mnd_reader_has(r, "visit_time"));
    cr_expect(mnd_reader_has(r, "t_death"));
    mnd_reader_close(r);
}

Test(output, discard_leaves_nothing)
{
    mnd_params p;
    mnd_output *o = NULL;
    mnd_block b;
    mnd_error err;
    test_params(&p);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, out_path, &p, &test_prov, &err), MND_OK, "%s", err.message);
    cr_assert_eq(mnd_block_alloc(&b, N_PATIENTS, T, &err), MND_OK);
    fill_block(&b, 0, N_PATIENTS);
    cr_assert_eq(mnd_output_write(o, &b, &err), MND_OK, "%s", err.message);
    mnd_block_free(&b);
    cr_expect(exists(tmp_path));
    mnd_output_discard(o);
    cr_expect_eq(workdir_entries(), 0);
    mnd_output_discard(NULL);
}

Test(output, missing_folder_is_an_io_error_naming_the_path)
{
    mnd_params p;
    mnd_output *o = (mnd_output *)&p; /* must be reset to NULL */
    mnd_error err;
    char path[256], expected[700];
    test_params(&p);
    snprintf(path, sizeof path, "%s/missing/run.h5", workdir);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, path, &p, &test_prov, &err), MND_ERR_IO);
    cr_expect_null(o);
    snprintf(expected, sizeof expected,
             "%s: cannot write into folder '%s/missing': No such file or directory", path,
             workdir);
    cr_expect_str_eq(err.message, expected);
    cr_expect_eq(workdir_entries(), 0);
}

/* A folder under the final name would only be found by the rename at
 * commit, after the whole run: open refuses it and creates nothing. */
Test(output, folder_as_path_is_an_io_error_before_any_file)
{
    mnd_params p;
    mnd_output *o = (mnd_output *)&p; /* must be reset to NULL */
    mnd_error err;
    char expected[400];
    test_params(&p);
    cr_assert_eq(mkdir(out_path, 0755), 0);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, out_path, &p, &test_prov, &err), MND_ERR_IO);
    cr_expect_null(o);
    snprintf(expected, sizeof expected, "%s: cannot write the result over a folder: Is a directory",
             out_path);
    cr_expect_str_eq(err.message, expected);
    cr_expect_not(exists(tmp_path), "a temporary file was created");
    cr_expect_eq(workdir_entries(), 1);
    rmdir(out_path);
}

Test(output, folder_of_path_that_is_a_file_is_an_io_error)
{
    mnd_params p;
    mnd_output *o = NULL;
    mnd_error err;
    char path[256], expected[700];
    FILE *f = fopen(out_path, "w");
    cr_assert_not_null(f);
    fclose(f);
    test_params(&p);
    snprintf(path, sizeof path, "%s/inner.h5", out_path);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, path, &p, &test_prov, &err), MND_ERR_IO);
    snprintf(expected, sizeof expected, "%s: cannot write into folder '%s': Not a directory",
             path, out_path);
    cr_expect_str_eq(err.message, expected);
    cr_expect_eq(workdir_entries(), 1);
}

/* Root may write into any folder: the check is then HDF5's own. */
Test(output, read_only_folder_is_an_io_error)
{
    mnd_params p;
    mnd_output *o = NULL;
    mnd_error err;
    char folder[160], path[256], expected[700];
    if (geteuid() == 0) {
        remove_workdir(); /* .fini does not run for a skipped test */
        cr_skip_test("root may write into a read-only folder (tests/e2e runs it as nobody)");
    }
    snprintf(folder, sizeof folder, "%s/ro", workdir);
    cr_assert_eq(mkdir(folder, 0555), 0);
    snprintf(path, sizeof path, "%s/run.h5", folder);
    test_params(&p);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, path, &p, &test_prov, &err), MND_ERR_IO);
    snprintf(expected, sizeof expected, "%s: cannot write into folder '%s': Permission denied",
             path, folder);
    cr_expect_str_eq(err.message, expected);
    rmdir(folder);
}

Test(output, existing_temporary_file_is_not_clobbered)
{
    mnd_params p;
    mnd_output *o = NULL;
    mnd_error err;
    char expected[400], content[16] = "";
    FILE *f = fopen(tmp_path, "w");
    cr_assert_not_null(f);
    fputs("keep", f);
    fclose(f);
    test_params(&p);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, out_path, &p, &test_prov, &err), MND_ERR_IO);
    snprintf(expected, sizeof expected, "%s: cannot create the temporary file '%s' (HDF5: ",
             out_path, tmp_path);
    cr_expect_eq(strncmp(err.message, expected, strlen(expected)), 0, "%s", err.message);
    f = fopen(tmp_path, "r");
    cr_assert_not_null(f, "the other file was removed");
    cr_expect_not_null(fgets(content, sizeof content, f));
    fclose(f);
    cr_expect_str_eq(content, "keep");
    cr_expect_not(exists(out_path));
}

Test(output, commit_replaces_an_existing_file)
{
    mnd_params p;
    mnd_reader *r = NULL;
    mnd_error err;
    FILE *f = fopen(out_path, "w");
    cr_assert_not_null(f);
    fputs("an old run", f);
    fclose(f);
    test_params(&p);
    write_file(&p);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_reader_open(&r, out_path, &err), MND_OK, "%s", err.message);
    mnd_reader_close(r);
    cr_expect_eq(workdir_entries(), 1);
}

Test(output, commit_of_an_incomplete_file_fails_and_removes_it)
{
    mnd_params p;
    mnd_output *o = NULL;
    mnd_block b;
    mnd_error err;
    char expected[300];
    test_params(&p);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, out_path, &p, &test_prov, &err), MND_OK, "%s", err.message);
    cr_assert_eq(mnd_block_alloc(&b, N_PATIENTS, T, &err), MND_OK);
    fill_block(&b, 0, N_PATIENTS);
    cr_assert_eq(mnd_output_write(o, &b, &err), MND_OK, "%s", err.message);
    mnd_block_free(&b);
    cr_assert_eq(mnd_output_commit(o, &err), MND_ERR_INTERNAL);
    snprintf(expected, sizeof expected, "%s: only 3 of 6 rows were written", out_path);
    cr_expect_str_eq(err.message, expected);
    cr_expect_eq(workdir_entries(), 0);
}

Test(output, blocks_out_of_order_are_rejected)
{
    mnd_params p;
    mnd_output *o = NULL;
    mnd_block b;
    mnd_error err;
    char expected[400];
    test_params(&p);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, out_path, &p, &test_prov, &err), MND_OK, "%s", err.message);
    cr_assert_eq(mnd_block_alloc(&b, N_PATIENTS, T, &err), MND_OK);
    fill_block(&b, 3, N_PATIENTS);
    cr_assert_eq(mnd_output_write(o, &b, &err), MND_ERR_INTERNAL);
    snprintf(expected, sizeof expected,
             "%s: block of 3 patients x 4 visits at row 3 does not fit: expected row 0 of 6 "
             "with 4 visits",
             out_path);
    cr_expect_str_eq(err.message, expected);
    mnd_block_free(&b);
    mnd_output_discard(o);
    cr_expect_eq(workdir_entries(), 0);
}

Test(output, reader_errors_name_the_file_and_dataset)
{
    mnd_params p;
    mnd_reader *r = NULL;
    mnd_error err;
    char expected[400], *text = NULL;
    double got[ROWS];
    test_params(&p);
    write_file(&p);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_reader_open(&r, out_path, &err), MND_OK, "%s", err.message);

    cr_expect_eq(mnd_reader_read(r, "nope", 0, 1, got, &err), MND_ERR_IO);
    snprintf(expected, sizeof expected, "%s: no dataset 'nope'", out_path);
    cr_expect_str_eq(err.message, expected);

    cr_expect_eq(mnd_reader_read(r, "t_death", 4, 3, got, &err), MND_ERR_IO);
    snprintf(expected, sizeof expected,
             "%s: dataset 't_death' has 6 rows; cannot read 3 rows from row 4", out_path);
    cr_expect_str_eq(err.message, expected);

    cr_expect_eq(mnd_reader_read(r, "config_text", 0, 1, got, &err), MND_ERR_IO);
    snprintf(expected, sizeof expected, "%s: dataset 'config_text' has rank 0; expected 1 to 3",
             out_path);
    cr_expect_str_eq(err.message, expected);

    cr_expect_eq(mnd_reader_attr(r, "no_attribute", &text, &err), MND_ERR_IO);
    cr_expect_null(text);
    snprintf(expected, sizeof expected, "%s: no root attribute 'no_attribute'", out_path);
    cr_expect_str_eq(err.message, expected);
    mnd_reader_close(r);

    char missing[200];
    snprintf(missing, sizeof missing, "%s/none.h5", workdir);
    cr_expect_eq(mnd_reader_open(&r, missing, &err), MND_ERR_IO);
    cr_expect_null(r);
    snprintf(expected, sizeof expected, "%s: cannot open the file for reading", missing);
    cr_expect_eq(strncmp(err.message, expected, strlen(expected)), 0, "%s", err.message);
}

/* ---------------------------------------------------------- interventions */

/* Two interventions whose keys differ from each other and from zero, and
 * shared tables with recognisable values; the cohort gets exposures and,
 * with `with_ae`, 6 adverse events (rows 1, 2, 4, 5: 1, 2, 1, 2). */
static void iv_params(mnd_params *p, bool with_ae)
{
    test_params(p);
    cohort_interventions = N_IV;
    cohort_with_ae = with_ae;
    p->n_interventions = N_IV;
    for (int j = 0; j < N_IV; j++) {
        mnd_intervention *iv = &p->interventions[j];
        iv->enabled = true;
        iv->start_anchor = j == 0 ? MND_ANCHOR_DIAGNOSIS : MND_ANCHOR_KINGS_STAGE;
        iv->start_delay_months = 1.5 * j;
        iv->start_stage = 2;
        iv->schedule = j == 0 ? MND_SCHEDULE_CONTINUOUS : MND_SCHEDULE_DOSES;
        iv->n_doses = j == 0 ? 1 : 3;
        iv->dose_interval_months = j == 0 ? 1 : 6;
        iv->max_age_years = 130;
        iv->max_kings_stage = 3;
        iv->uptake = 0.9;
        iv->adherence = 0.8;
        iv->loss_rate_multiplier = j == 0 ? 0.75 : 1;
        iv->rate_component = j == 0 ? MND_COMPONENT_NON_CELL_AUTONOMOUS : MND_COMPONENT_ALL;
        iv->neurotrophic_half_life_months = 1;
        iv->graft_half_life_months = 12;
        iv->death_hazard_ratio = j == 0 ? 0.9 : 1;
        iv->placebo_half_life_months = 3;
        iv->cells_per_dose_millions = j == 0 ? 0 : 10;
        iv->route = j == 0 ? MND_ROUTE_ORAL : MND_ROUTE_INTRATHECAL;
        iv->target_region = MND_REGION_LUMBAR;
        iv->cell_source = j == 0 ? MND_CELLS_NONE : MND_CELLS_NSC;
    }
    snprintf(p->interventions[0].name, MND_INTERVENTION_NAME_MAX, "riluzole");
    snprintf(p->interventions[1].name, MND_INTERVENTION_NAME_MAX, "nsc_graft");
    p->interventions[0].genotypes[MND_GENOTYPE_SPORADIC] = true;
    p->interventions[0].genotypes[MND_GENOTYPE_C9ORF72] = true;
    for (int k = 0; k < MND_PHENOTYPE_COUNT; k++)
        p->interventions[0].phenotypes[k] = true; /* interventions[1]: none */
    for (int r = 0; r < MND_REGION_COUNT; r++)
        p->delivery.cell_fraction[MND_ROUTE_INTRATHECAL][r] = 0.05 * (r + 1);
    p->delivery.cells_ae_per_dose[MND_AE_TUMOUR - MND_AE_ROUTE_COUNT][MND_CELLS_NSC] = 0.001;
    for (int a = 0; a < MND_AE_COUNT; a++)
        p->delivery.ae_latency_months[a] = 0.5 + a;
    p->delivery.death_weibull_shape = 2;
}

static void expect_object_attr(const mnd_reader *r, const char *object, const char *name,
                               const char *value)
{
    char *got = NULL;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_reader_object_attr(r, object, name, &got, &err), MND_OK, "%s",
                 err.message);
    cr_expect_str_eq(got, value, "%s: attribute %s", object, name);
    free(got);
}

static bool object_has_attr(const mnd_reader *r, const char *object, const char *name)
{
    char *got = NULL;
    mnd_error err;
    mnd_error_clear(&err);
    mnd_status st = mnd_reader_object_attr(r, object, name, &got, &err);
    free(got);
    return st == MND_OK;
}

/* Runs tests/unit's Python check `code` with argv[1] = the output file and
 * argv[2] = `arg`; the check asserts. */
static void python_check(const char *code, const char *arg)
{
    char script[160], command[512];
    snprintf(script, sizeof script, "%s/check.py", workdir);
    FILE *f = fopen(script, "w");
    cr_assert_not_null(f);
    fputs(code, f);
    fclose(f);
    snprintf(command, sizeof command, "/usr/bin/python3 %s %s %s", script, out_path, arg);
    int status = system(command);
    unlink(script);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "python3 check failed (status %d)", status);
}

Test(output, interventions_round_trip)
{
    mnd_params p;
    mnd_reader *r = NULL;
    mnd_error err;
    double got[ROWS * N_IV];
    mnd_patient ref[ROWS];

    iv_params(&p, true);
    write_file(&p);
    for (int g = 0; g < ROWS; g++)
        fill_patient(&ref[g], g);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_reader_open(&r, out_path, &err), MND_OK, "%s", err.message);

    /* exposure: (patient, intervention), NaN unless treated, +inf kept */
    expect_shape(r, "intervention", 1, N_IV, 1, 1);
    const char *const exposure[] = {"exposure_status", "exposure_doses", "exposure_start",
                                    "exposure_stop"};
    for (size_t c = 0; c < 4; c++) {
        expect_shape(r, exposure[c], 2, ROWS, N_IV, 1);
        cr_assert_eq(mnd_reader_read(r, exposure[c], 0, ROWS, got, &err), MND_OK, "%s",
                     err.message);
        for (int g = 0; g < ROWS; g++) {
            for (int j = 0; j < N_IV; j++) {
                const mnd_exposure *ex = &ref[g].exposure[j];
                const double want[] = {ex->status, ex->n_doses, ex->t_start, ex->t_stop};
                cr_expect(same(got[g * N_IV + j], want[c]), "%s[%d][%d] = %g, want %g",
                          exposure[c], g, j, got[g * N_IV + j], want[c]);
            }
        }
    }
    cr_assert_eq(mnd_reader_read(r, "exposure_stop", 0, ROWS, got, &err), MND_OK);
    cr_expect(isinf(got[3 * N_IV + 0]) && got[3 * N_IV + 0] > 0, "row 3 treated for life");
    expect_object_attr(r, "exposure_status", "flag_meanings",
                       "not_reached ineligible declined treated");
    expect_object_attr(r, "exposure_status", "flag_values", "0 1 2 3");
    expect_object_attr(r, "exposure_start", "units", "month");
    expect_object_attr(r, "exposure_doses", "units", "1");
    cr_expect_not(object_has_attr(r, "exposure_doses", "_FillValue"));
    expect_object_attr(r, "exposure_stop", "_FillValue", "nan");
    expect_object_attr(r, "intervention", "_Netcdf4Dimid", "4");

    /* events past the per-patient cap: a (patient) count */
    expect_shape(r, "adverse_events_dropped", 1, ROWS, 1, 1);
    cr_assert_eq(mnd_reader_read(r, "adverse_events_dropped", 0, ROWS, got, &err), MND_OK, "%s",
                 err.message);
    for (int g = 0; g < ROWS; g++)
        cr_expect_eq(got[g], ref[g].n_ae_dropped, "adverse_events_dropped[%d] = %g, want %d", g,
                     got[g], (int)ref[g].n_ae_dropped);
    cr_expect_gt(got[1], 0);
    expect_object_attr(r, "adverse_events_dropped", "units", "1");
    cr_expect_not(object_has_attr(r, "adverse_events_dropped", "_FillValue"));

    /* adverse events: rows in order, within a row in the order drawn */
    enum { N_EVENTS = 6 };
    double ae[7][N_EVENTS];
    const char *const columns[] = {"row", "intervention_index", "type", "severity", "outcome",
                                   "time", "event"};
    char name[64];
    for (size_t c = 0; c < sizeof columns / sizeof columns[0]; c++) {
        snprintf(name, sizeof name, "adverse_events/%s", columns[c]);
        expect_shape(r, name, 1, N_EVENTS, 1, 1);
        cr_assert_eq(mnd_reader_read(r, name, 0, N_EVENTS, ae[c], &err), MND_OK, "%s",
                     err.message);
    }
    int k = 0;
    for (int g = 0; g < ROWS; g++) {
        for (int a = 0; a < ref[g].n_ae; a++, k++) {
            const mnd_adverse_event *e = &ref[g].ae[a];
            const double want[] = {g, e->intervention, e->type, e->severity, e->outcome, e->time,
                                   k};
            for (size_t c = 0; c < sizeof columns / sizeof columns[0]; c++)
                cr_expect_eq(ae[c][k], want[c], "event %d: %s = %g, want %g", k, columns[c],
                             ae[c][k], want[c]);
        }
    }
    cr_expect_eq(k, N_EVENTS);
    expect_object_attr(r, "adverse_events/intervention_index", "flag_meanings",
                       "riluzole nsc_graft");
    expect_object_attr(r, "adverse_events/type", "flag_meanings",
                       "headache meningitis neurological surgical tumour ectopic rejection");
    expect_object_attr(r, "adverse_events/severity", "flag_meanings", "mild moderate serious");
    expect_object_attr(r, "adverse_events/outcome", "flag_meanings",
                       "recovered graft_lost fatal");
    expect_object_attr(r, "adverse_events/time", "units", "month");
    expect_object_attr(r, "adverse_events/event", "_Netcdf4Dimid", "5");

    /* parameters: every key of the option tables, named as in the config */
    for (size_t i = 0; i < mnd_intervention_option_count; i++) {
        cr_expect(object_has_attr(r, "interventions/riluzole", mnd_intervention_options[i].path),
                  "riluzole: %s", mnd_intervention_options[i].path);
        cr_expect(object_has_attr(r, "interventions/nsc_graft", mnd_intervention_options[i].path),
                  "nsc_graft: %s", mnd_intervention_options[i].path);
    }
    int shared = 0;
    for (size_t i = 0; i < mnd_option_count; i++) {
        const char *path = mnd_options[i].path;
        if (strncmp(path, "delivery.", 9) != 0 && strncmp(path, "adverse_events.", 15) != 0)
            continue;
        shared++;
        cr_expect(object_has_attr(r, "interventions", path), "interventions: %s", path);
    }
    cr_expect_geq(shared, 10);
    expect_object_attr(r, "interventions/riluzole", "enabled", "1");
    expect_object_attr(r, "interventions/riluzole", "start_anchor", "diagnosis");
    expect_object_attr(r, "interventions/riluzole", "schedule", "continuous");
    expect_object_attr(r, "interventions/riluzole", "n_doses", "1");
    expect_object_attr(r, "interventions/riluzole", "loss_rate_multiplier", "0.75");
    expect_object_attr(r, "interventions/riluzole", "rate_component", "non_cell_autonomous");
    expect_object_attr(r, "interventions/riluzole", "genotypes", "sporadic c9orf72");
    expect_object_attr(r, "interventions/riluzole", "phenotypes",
                       "classic pbp flail_arm flail_leg pma pls");
    expect_object_attr(r, "interventions/riluzole", "death_hazard_ratio", "0.90000000000000002");
    expect_object_attr(r, "interventions/nsc_graft", "start_anchor", "kings_stage");
    expect_object_attr(r, "interventions/nsc_graft", "schedule", "doses");
    expect_object_attr(r, "interventions/nsc_graft", "n_doses", "3");
    expect_object_attr(r, "interventions/nsc_graft", "dose_interval_months", "6");
    expect_object_attr(r, "interventions/nsc_graft", "phenotypes", "");
    expect_object_attr(r, "interventions/nsc_graft", "route", "intrathecal");
    expect_object_attr(r, "interventions/nsc_graft", "cell_source", "nsc");
    expect_object_attr(r, "interventions/nsc_graft", "target_region", "lumbar");
    expect_object_attr(r, "interventions", "delivery.intrathecal_cell_fraction",
                       "0.050000000000000003 0.10000000000000001 0.15000000000000002 "
                       "0.20000000000000001");
    expect_object_attr(r, "interventions", "delivery.intrathecal_cell_fraction.labels",
                       "bulbar cervical thoracic lumbar");
    expect_object_attr(r, "interventions", "adverse_events.tumour_per_dose",
                       "0 0 0 0 0.001 0 0");
    expect_object_attr(r, "interventions", "adverse_events.tumour_per_dose.labels",
                       "none bm_msc uc_msc adipose nsc esc ipsc");
    expect_object_attr(r, "interventions", "adverse_events.latency_months.labels",
                       "headache meningitis neurological surgical tumour ectopic rejection");
    expect_object_attr(r, "interventions", "delivery.death_weibull_shape", "2");
    mnd_reader_close(r);
}

Test(output, runs_without_interventions_have_no_intervention_objects)
{
    mnd_params p;
    mnd_reader *r = NULL;
    mnd_error err;
    char *text = NULL;
    test_params(&p);
    write_file(&p);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_reader_open(&r, out_path, &err), MND_OK, "%s", err.message);
    const char *const absent[] = {"intervention", "exposure_status", "exposure_doses",
                                  "exposure_start", "exposure_stop", "adverse_events_dropped",
                                  "adverse_events/row", "adverse_events/event"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        cr_expect_not(mnd_reader_has(r, absent[i]), "%s", absent[i]);
    cr_expect_eq(mnd_reader_object_attr(r, "interventions", "description", &text, &err),
                 MND_ERR_IO);
    cr_expect_null(text);
    char expected[300];
    snprintf(expected, sizeof expected, "%s: no object 'interventions'", out_path);
    cr_expect_str_eq(err.message, expected);
    cr_expect_eq(mnd_reader_object_attr(r, "t_death", "flag_meanings", &text, &err), MND_ERR_IO);
    snprintf(expected, sizeof expected, "%s: no attribute 'flag_meanings' of 't_death'",
             out_path);
    cr_expect_str_eq(err.message, expected);
    mnd_reader_close(r);
}

Test(output, empty_adverse_event_table_has_length_zero)
{
    mnd_params p;
    mnd_reader *r = NULL;
    mnd_error err;
    double none[1] = {42};
    iv_params(&p, false);
    write_file(&p);
    mnd_error_clear(&err);
    cr_assert_eq(mnd_reader_open(&r, out_path, &err), MND_OK, "%s", err.message);
    expect_shape(r, "adverse_events/event", 1, 0, 1, 1);
    expect_shape(r, "adverse_events/row", 1, 0, 1, 1);
    expect_shape(r, "adverse_events/time", 1, 0, 1, 1);
    cr_expect_eq(mnd_reader_read(r, "adverse_events/time", 0, 0, none, &err), MND_OK, "%s",
                 err.message);
    cr_expect_eq(none[0], 42);
    expect_shape(r, "exposure_status", 2, ROWS, N_IV, 1);
    mnd_reader_close(r);
}

/* xarray (h5netcdf) sees the named dimensions, the names as the
 * coordinate, the groups and a zero-length event dimension; h5py sees the
 * layout documented in docs/hdf5-schema.md. */
static const char xarray_interventions_check[] =
    "import sys, h5py, numpy as np, xarray as xr\n"
    "f, n_events = sys.argv[1], int(sys.argv[2])\n"
    "ds = xr.open_dataset(f, engine='h5netcdf')\n"
    "for v in ('exposure_status', 'exposure_doses', 'exposure_start', 'exposure_stop'):\n"
    "    assert ds[v].dims == ('patient', 'intervention'), v\n"
    "assert list(ds['intervention'].values) == ['riluzole', 'nsc_graft']\n"
    "assert ds['exposure_status'].dtype == np.int8 and ds['exposure_doses'].dtype == np.int32\n"
    "stop = ds['exposure_stop'].sel(intervention='riluzole').values\n"
    "assert np.isposinf(stop).sum() == 1 and np.isnan(stop).sum() == 5\n"
    "ae = xr.open_dataset(f, engine='h5netcdf', group='adverse_events')\n"
    "assert dict(ae.sizes) == {'event': n_events}\n"
    "for v in ('row', 'intervention_index', 'type', 'severity', 'outcome', 'time'):\n"
    "    assert ae[v].dims == ('event',), v\n"
    "assert ae['row'].dtype == np.int64 and ae['type'].dtype == np.int8\n"
    "assert ae['time'].dtype == np.float64\n"
    "assert ae['intervention_index'].attrs['flag_meanings'] == 'riluzole nsc_graft'\n"
    "if n_events:\n"
    "    assert list(ae['row'].values) == [1, 2, 2, 4, 5, 5]\n"
    "iv = xr.open_dataset(f, engine='h5netcdf', group='interventions/riluzole')\n"
    "assert iv.attrs['loss_rate_multiplier'] == 0.75 and iv.attrs['schedule'] == 'continuous'\n"
    "sh = xr.open_dataset(f, engine='h5netcdf', group='interventions')\n"
    "assert list(sh.attrs['delivery.intrathecal_cell_fraction']) == [0.05, 0.1, 0.15000000000000002, 0.2]\n"
    "h = h5py.File(f, 'r')\n"
    "assert list(h['interventions']) == ['riluzole', 'nsc_graft']\n"
    "assert h['adverse_events/row'].maxshape == (None,)\n"
    "assert h['adverse_events/row'].chunks == (4096,)\n"
    "assert h['exposure_status'].chunks == (6, 2) and h['exposure_status'].shuffle\n"
    "assert h['exposure_status'].compression == 'gzip'\n"
    "assert h['exposure_status'].dims[1][0].name == '/intervention'\n"
    "assert h['adverse_events/type'].dims[0][0].name == '/adverse_events/event'\n"
    "assert h['intervention'].attrs['_Netcdf4Dimid'] == 4\n"
    "assert h['adverse_events/event'].attrs['_Netcdf4Dimid'] == 5\n"
    "order = []\n"
    "h.id.links.iterate(lambda n: order.append(n.decode()), idx_type=h5py.h5.INDEX_CRT_ORDER)\n"
    "assert order[4] == 'intervention', order\n"
    "assert order[-3:] == ['adverse_events', 'interventions', 'config_text'], order\n"
    "assert list(h['adverse_events']) == ['event', 'row', 'intervention_index', 'type',\n"
    "                                      'severity', 'outcome', 'time']\n";

Test(output, interventions_seen_by_xarray)
{
    mnd_params p;
    iv_params(&p, true);
    write_file(&p);
    python_check(xarray_interventions_check, "6");
}

Test(output, empty_adverse_event_table_seen_by_xarray)
{
    mnd_params p;
    iv_params(&p, false);
    write_file(&p);
    python_check(xarray_interventions_check, "0");
}

Test(output, adverse_events_must_fit_the_interventions)
{
    mnd_params p;
    mnd_output *o = NULL;
    mnd_block b;
    mnd_error err;
    char expected[300];

    test_params(&p); /* no interventions, but the cohort has adverse events */
    cohort_interventions = 0;
    cohort_with_ae = true;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, out_path, &p, &test_prov, &err), MND_OK, "%s", err.message);
    cr_assert_eq(mnd_block_alloc(&b, N_PATIENTS, T, &err), MND_OK);
    fill_block(&b, 0, N_PATIENTS);
    cr_expect_eq(mnd_output_write(o, &b, &err), MND_ERR_INTERNAL);
    snprintf(expected, sizeof expected,
             "%s: row 1: 1 adverse events do not fit a run with 0 interventions", out_path);
    cr_expect_str_eq(err.message, expected);
    mnd_output_discard(o);

    iv_params(&p, true);
    cr_assert_eq(mnd_output_open(&o, out_path, &p, &test_prov, &err), MND_OK, "%s", err.message);
    fill_block(&b, 0, N_PATIENTS);
    b.patients[2].ae[1].intervention = N_IV;
    cr_expect_eq(mnd_output_write(o, &b, &err), MND_ERR_INTERNAL);
    snprintf(expected, sizeof expected,
             "%s: row 2: 2 adverse events do not fit a run with 2 interventions", out_path);
    cr_expect_str_eq(err.message, expected);
    fill_block(&b, 0, N_PATIENTS);
    b.patients[0].n_ae = MND_MAX_AE_PER_PATIENT + 1;
    cr_expect_eq(mnd_output_write(o, &b, &err), MND_ERR_INTERNAL);
    snprintf(expected, sizeof expected,
             "%s: row 0: 17 adverse events do not fit a run with 2 interventions", out_path);
    cr_expect_str_eq(err.message, expected);
    mnd_output_discard(o);
    mnd_block_free(&b);
    cr_expect_eq(workdir_entries(), 0);
}

Test(output, invalid_intervention_name_is_an_internal_error)
{
    mnd_params p;
    mnd_output *o = NULL;
    mnd_error err;
    char expected[300];
    iv_params(&p, false);
    snprintf(p.interventions[1].name, MND_INTERVENTION_NAME_MAX, "a/b");
    mnd_error_clear(&err);
    cr_assert_eq(mnd_output_open(&o, out_path, &p, &test_prov, &err), MND_ERR_INTERNAL);
    snprintf(expected, sizeof expected, "%s: intervention 1 has no valid name", out_path);
    cr_expect_str_eq(err.message, expected);
    cr_expect_eq(workdir_entries(), 0);
}
