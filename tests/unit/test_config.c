/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_config.c — unit tests of configuration loading (src/config.c), the
 * @include expansion (src/config_source.c), the option table
 * (src/config_table.c) and status records (src/status.c).
 *
 * Run from the repository root (as `make unit` does): the fixtures are
 * found through relative paths under tests/configs/, and error messages
 * name them exactly as given.  Include trees are written by the tests
 * themselves to fresh folders under /tmp.  Every error path is checked
 * with its exact message and status, because the message is the user
 * interface.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../../src/config_source.h"
#include "../../src/config_table.h"
#include "mndsim/config.h"
#include "mndsim/status.h"

#define CFG "tests/configs/"

/* Loads `path` with overrides, without the resolved text. */
static mnd_status load(const char *path, const char *const *ov, size_t n, mnd_params *p,
                       mnd_error *err)
{
    return mnd_config_load(path, ov, n, p, NULL, err);
}

/* Asserts that loading fails with `code` and exactly `message`, and that
 * neither the parameters nor *resolved were touched. */
static void expect_error(const char *path, const char *const *ov, size_t n, mnd_status code,
                         const char *message)
{
    mnd_params p, before;
    mnd_error err;
    static char sentinel[] = "untouched";
    char *resolved = sentinel;

    memset(&p, 0x5a, sizeof p);
    memcpy(&before, &p, sizeof p);
    mnd_status st = mnd_config_load(path, ov, n, &p, &resolved, &err);
    cr_assert_eq(st, code, "status %d (%s), expected %d", st, err.message, code);
    cr_assert_eq(err.code, code);
    cr_assert_str_eq(err.message, message);
    cr_assert_null(resolved, "*resolved must be NULL after a failure");
    cr_assert(memcmp(&p, &before, sizeof p) == 0, "params changed by a failed load");
}

static void expect_config_error(const char *path, const char *message)
{
    expect_error(path, NULL, 0, MND_ERR_CONFIG, message);
}

static void expect_override_error(const char *override, const char *message)
{
    const char *ov[] = {override};
    expect_error(CFG "empty.cfg", ov, 1, MND_ERR_CONFIG, message);
}

/* Writes `text` to a fresh temporary file and returns its malloc'd path. */
static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/mndsim-test-config-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    cr_assert(fputs(text, f) >= 0);
    cr_assert_eq(fclose(f), 0);
    return path;
}

/* ------------------------------------------------------------------ status */

Test(status, names_and_exit_codes)
{
    cr_assert_str_eq(mnd_status_name(MND_OK), "ok");
    cr_assert_str_eq(mnd_status_name(MND_ERR_CONFIG), "configuration error");
    cr_assert_str_eq(mnd_status_name(MND_ERR_IO), "input/output error");
    cr_assert_str_eq(mnd_status_name((mnd_status)99), "unknown status");
    cr_assert_eq(mnd_status_exit_code(MND_OK), 0);
    cr_assert_eq(mnd_status_exit_code(MND_ERR_USAGE), 1);
    cr_assert_eq(mnd_status_exit_code(MND_ERR_CONFIG), 1);
    cr_assert_eq(mnd_status_exit_code(MND_ERR_IO), 2);
    cr_assert_eq(mnd_status_exit_code(MND_ERR_NOMEM), 2);
    cr_assert_eq(mnd_status_exit_code((mnd_status)-1), 2);
}

Test(status, error_set_formats_location)
{
    mnd_error err;

    cr_assert_eq(mnd_error_set(&err, MND_ERR_CONFIG, "a.cfg", 12, "x must be %d", 3),
                 MND_ERR_CONFIG);
    cr_assert_eq(err.code, MND_ERR_CONFIG);
    cr_assert_str_eq(err.message, "a.cfg:12: x must be 3");
    mnd_error_set(&err, MND_ERR_IO, "a.cfg", 0, "gone");
    cr_assert_str_eq(err.message, "a.cfg: gone");
    mnd_error_set(&err, MND_ERR_NOMEM, NULL, 7, "plain");
    cr_assert_str_eq(err.message, "plain");
    mnd_error_clear(&err);
    cr_assert_eq(err.code, MND_OK);
    cr_assert_str_eq(err.message, "");
    cr_assert_eq(mnd_error_set(NULL, MND_ERR_IO, NULL, 0, "ignored"), MND_ERR_IO);
    mnd_error_clear(NULL);
}

Test(status, long_messages_are_truncated)
{
    mnd_error err;
    char big[3000];

    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    mnd_error_set(&err, MND_ERR_CONFIG, "f.cfg", 1, "%s", big);
    cr_assert_eq(strlen(err.message), sizeof err.message - 1);
    cr_assert(strncmp(err.message, "f.cfg:1: xxx", 12) == 0);
}

/* ------------------------------------------------------------------- table */

static bool bound_ok(const mnd_option *o, double x)
{
    if (o->lo.kind == MND_BOUND_CLOSED && !(x >= o->lo.value))
        return false;
    if (o->lo.kind == MND_BOUND_OPEN && !(x > o->lo.value))
        return false;
    if (o->hi.kind == MND_BOUND_CLOSED && !(x <= o->hi.value))
        return false;
    if (o->hi.kind == MND_BOUND_OPEN && !(x < o->hi.value))
        return false;
    return true;
}

Test(table, rows_are_well_formed)
{
    for (size_t i = 0; i < mnd_option_count; i++) {
        const mnd_option *o = &mnd_options[i];
        const char *dot = strchr(o->path, '.');
        bool section_known = false;

        cr_assert_not_null(dot, "%s: no section", o->path);
        for (size_t s = 0; s < mnd_section_count; s++)
            if (strlen(mnd_sections[s].name) == (size_t)(dot - o->path) &&
                strncmp(mnd_sections[s].name, o->path, (size_t)(dot - o->path)) == 0)
                section_known = true;
        cr_assert(section_known, "%s: unknown section", o->path);
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(o->path, mnd_options[j].path, "duplicate row %s", o->path);
        cr_assert(o->unit && *o->unit, "%s: no unit", o->path);
        cr_assert(o->meaning && *o->meaning, "%s: no meaning", o->path);
        cr_assert(o->source && *o->source, "%s: no source", o->path);
        cr_assert_null(strchr(o->meaning, '|'), "%s: '|' breaks the Markdown table", o->path);
        cr_assert_null(strchr(o->source, '|'), "%s: '|' breaks the Markdown table", o->path);

        switch (o->type) {
        case MND_OPT_INT:
        case MND_OPT_SEED:
            cr_assert_eq(o->size, sizeof(int64_t), "%s", o->path);
            cr_assert(bound_ok(o, (double)o->def_int), "%s: default out of range", o->path);
            break;
        case MND_OPT_REAL:
            cr_assert_eq(o->size, sizeof(double), "%s", o->path);
            cr_assert(bound_ok(o, o->def_real), "%s: default out of range", o->path);
            break;
        case MND_OPT_BOOL: cr_assert_eq(o->size, sizeof(bool), "%s", o->path); break;
        case MND_OPT_ENUM:
            cr_assert_eq(o->size, sizeof(int), "%s: enums are stored as int", o->path);
            cr_assert(o->def_int >= 0 && (size_t)o->def_int < o->n_names, "%s", o->path);
            break;
        case MND_OPT_REALS:
            cr_assert_eq(o->size % sizeof(double), 0, "%s", o->path);
            cr_assert_eq(o->def_n * sizeof(double), o->size, "%s: default length", o->path);
            cr_assert_eq(o->n_names, o->def_n, "%s: one label per element", o->path);
            for (size_t k = 0; k < o->def_n; k++)
                cr_assert(bound_ok(o, o->def_reals[k]), "%s[%zu]: default out of range",
                          o->path, k);
            break;
        case MND_OPT_NAMESET:
            cr_assert_eq(o->size, o->n_names * sizeof(bool), "%s", o->path);
            break;
        case MND_OPT_NAME:
            cr_assert_geq(o->size, 2, "%s: room for a name", o->path);
            cr_assert_null(o->names, "%s", o->path);
            break;
        }
        if (o->below != NULL) {
            const mnd_option *other = NULL;
            for (size_t j = 0; j < mnd_option_count; j++)
                if (strcmp(mnd_options[j].path, o->below) == 0)
                    other = &mnd_options[j];
            cr_assert_not_null(other, "%s: below unknown key %s", o->path, o->below);
            cr_assert(other->type == o->type && other->size == o->size, "%s", o->path);
        }
        cr_assert(!o->sum_to_one || o->type == MND_OPT_REALS, "%s", o->path);
    }
}

/* Every field of mnd_params has exactly one row: the rows' byte ranges do
 * not overlap, and what they leave uncovered is only alignment padding
 * (gaps shorter than the 8-byte alignment of the widest fields). */
/* Every byte of a struct of `size` bytes belongs to exactly one of the
 * rows, but for `owned` (already marked 1 by the caller) and padding of
 * less than 8 bytes. */
static void check_covers(const mnd_option *rows, size_t n, unsigned char *owned, size_t size,
                         const char *what)
{
    for (size_t i = 0; i < n; i++) {
        const mnd_option *o = &rows[i];
        cr_assert_leq(o->offset + o->size, size, "%s", o->path);
        for (size_t b = o->offset; b < o->offset + o->size; b++) {
            cr_assert_eq(owned[b], 0, "%s overlaps another row", o->path);
            owned[b] = 1;
        }
    }
    for (size_t b = 0; b < size;) {
        size_t gap = 0;
        while (b + gap < size && owned[b + gap] == 0)
            gap++;
        cr_assert_lt(gap, 8, "bytes %zu..%zu of %s have no row", b, b + gap, what);
        b += gap ? gap : 1;
    }
}

Test(table, covers_every_field_once)
{
    unsigned char owner[sizeof(mnd_params)];

    memset(owner, 0, sizeof owner);
    /* the interventions are filled from their own table (next test) */
    memset(owner + offsetof(mnd_params, n_interventions), 1,
           offsetof(mnd_params, delivery) - offsetof(mnd_params, n_interventions));
    /* set by a study for its arms, never by the config */
    memset(owner + offsetof(mnd_params, pro_follow_up_months), 1, sizeof(double));
    /* and the studies from theirs */
    memset(owner + offsetof(mnd_params, n_studies), 1,
           sizeof(int64_t) + sizeof(((mnd_params *)0)->studies));
    check_covers(mnd_options, mnd_option_count, owner, sizeof owner, "mnd_params");
}

Test(table, study_rows_cover_every_field_once)
{
    unsigned char owner[sizeof(mnd_study)];

    memset(owner, 0, sizeof owner);
    memset(owner + offsetof(mnd_study, name), 1, MND_STUDY_NAME_MAX); /* the group name */
    check_covers(mnd_study_options, mnd_study_option_count, owner, sizeof owner, "mnd_study");
}

Test(table, intervention_rows_cover_every_field_once)
{
    unsigned char owner[sizeof(mnd_intervention)];

    memset(owner, 0, sizeof owner);
    memset(owner + offsetof(mnd_intervention, name), 1, MND_INTERVENTION_NAME_MAX); /* the group name */
    check_covers(mnd_intervention_options, mnd_intervention_option_count, owner, sizeof owner,
                 "mnd_intervention");
}

/* ---------------------------------------------------------------- defaults */

Test(defaults, documented_values)
{
    mnd_params p;

    mnd_config_defaults(&p);
    cr_assert_eq(p.n_patients, 10000);
    cr_assert_eq(p.n_replicates, 1);
    cr_assert_eq(p.seed, 20261123u);
    cr_assert(p.follow_up_months == 120.0);
    cr_assert(p.visit_interval_months == 1.0);
    cr_assert_eq(p.visit_origin, MND_ORIGIN_DIAGNOSIS);
    cr_assert_eq(p.block_patients, 512);
    cr_assert(p.male_share == 0.57);
    cr_assert(p.phenotype_share[MND_PHENOTYPE_FLAIL_ARM] == 0.10);
    cr_assert(p.classic_onset_share[MND_REGION_THORACIC] == 0.04);
    cr_assert(p.genotype_share[MND_GENOTYPE_SPORADIC] == 0.887);
    cr_assert(p.rate_delay_correlation == -0.5);
    cr_assert(!p.select);
    cr_assert_eq(p.select_min_regions, 2);
    cr_assert(p.select_sign_fraction == 0.8);
    cr_assert_eq(p.select_max_attempts, 1000);
    cr_assert(p.lmn_rate_phenotype[MND_PHENOTYPE_PLS] == 0.0);
    cr_assert(p.rate_genotype[MND_GENOTYPE_SOD1_A4V] == 3.0);
    cr_assert(p.item_lo[MND_ITEM_SPEECH] == 0.15);
    cr_assert(p.item_hi[MND_ITEM_RESPIRATORY_INSUFFICIENCY] == 0.60);
    cr_assert(p.gompertz_a_male_per_year == 3.5e-5);
    for (int v = 0; v < MND_TRAJ_COUNT; v++)
        cr_assert(p.store[v], "store[%s]", mnd_traj_names[v]);
    cr_assert_eq(p.chunk_patients, 256);
    cr_assert_eq(p.deflate_level, 1);
}

Test(defaults, empty_file_gives_defaults)
{
    mnd_params p, d;
    mnd_error err;

    mnd_config_defaults(&d);
    memset(&p, 0x5a, sizeof p);
    cr_assert_eq(load(CFG "empty.cfg", NULL, 0, &p, &err), MND_OK, "%s", err.message);
    cr_assert_eq(err.code, MND_OK);
    cr_assert(memcmp(&p, &d, sizeof p) == 0);
}

Test(defaults, null_error_record_is_allowed)
{
    mnd_params p;

    cr_assert_eq(mnd_config_load(CFG "empty.cfg", NULL, 0, &p, NULL, NULL), MND_OK);
    cr_assert_eq(mnd_config_load(CFG "bad/syntax.cfg", NULL, 0, &p, NULL, NULL),
                 MND_ERR_CONFIG);
}

/* ------------------------------------------------------------- valid files */

Test(load, full_file)
{
    mnd_params p;
    mnd_error err;

    cr_assert_eq(load(CFG "full.cfg", NULL, 0, &p, &err), MND_OK, "%s", err.message);
    cr_assert_eq(p.n_patients, INT64_C(3000000000)); /* L suffix */
    cr_assert_eq(p.n_replicates, 3);
    cr_assert_eq(p.seed, UINT64_C(9000000000000000000));
    cr_assert(p.follow_up_months == 60.0); /* integer literal for a real */
    cr_assert(p.visit_interval_months == 3.0);
    cr_assert_eq(p.visit_origin, MND_ORIGIN_ENROLMENT);
    cr_assert_eq(p.block_patients, 512);
    cr_assert(p.age_onset_mean_years == 58.5);
    cr_assert(p.age_onset_sd_years == 9.0);
    cr_assert(p.age_onset_min_years == 30.0 && p.age_onset_max_years == 80.0);
    cr_assert(p.male_share == 0.6);
    cr_assert(p.phenotype_share[MND_PHENOTYPE_PBP] == 0.1);
    cr_assert(p.classic_onset_share[MND_REGION_LUMBAR] == 0.5);
    cr_assert(p.genotype_share[MND_GENOTYPE_SPORADIC] == 1.0); /* integer array */
    cr_assert(p.genotype_share[MND_GENOTYPE_C9ORF72] == 0.0);
    cr_assert(p.diagnostic_delay_median_months == 12.5);
    cr_assert(p.diagnostic_delay_sd_log == 0.7);
    cr_assert(p.rate_sd_log == 0.5);
    cr_assert(p.rate_delay_correlation == -0.25);
    cr_assert(p.rate_age_per_decade == 0.2);
    cr_assert(p.enrolment_delay_mean_months == 2.0);
    cr_assert(p.select);
    cr_assert(p.select_max_duration_months == 36.0);
    cr_assert_eq(p.select_min_regions, 1);
    cr_assert(p.select_sign_fraction == 0.9);
    cr_assert(p.select_min_age_years == 20.0 && p.select_max_age_years == 75.0);
    cr_assert(p.select_min_fvc_percent == 80.0);
    cr_assert_eq(p.select_min_item, 2);
    cr_assert_eq(p.select_max_attempts, 5000);
    cr_assert(p.lmn_loss_rate_per_month == 0.04);
    cr_assert(p.umn_loss_rate_ratio == 0.7);
    cr_assert(p.non_cell_autonomous_share == 0.25);
    cr_assert(p.reserve_fraction == 0.6 && p.floor_fraction == 0.2);
    cr_assert(p.umn_function_weight == 0.4);
    cr_assert(p.spread_delay_months == 6.0 && p.spread_sd_log == 0.4);
    cr_assert(p.lmn_rate_phenotype[MND_PHENOTYPE_PBP] == 1.5); /* mixed list */
    cr_assert(p.lmn_rate_phenotype[MND_PHENOTYPE_CLASSIC] == 1.0);
    cr_assert(p.umn_rate_phenotype[MND_PHENOTYPE_PLS] == 0.125);
    cr_assert(p.spread_delay_phenotype[MND_PHENOTYPE_PLS] == 2.5);
    cr_assert(p.rate_genotype[MND_GENOTYPE_C9ORF72] == 1.25);
    cr_assert(p.item_lo[MND_ITEM_WALKING] == 0.1);
    cr_assert(p.item_hi[MND_ITEM_RESPIRATORY_INSUFFICIENCY] == 0.5);
    cr_assert(p.item_noise_sd == 0.5);
    cr_assert(p.fvc_baseline_mean_percent == 98.0 && p.fvc_baseline_sd_percent == 10.0);
    cr_assert(p.fvc_floor_fraction == 0.05 && p.fvc_noise_cv == 0.05);
    cr_assert(p.bulbar_ventilation_weight == 0.25);
    cr_assert(p.gastrostomy_uptake == 0.7);
    cr_assert(p.gastrostomy_item_threshold == 2.0);
    cr_assert(p.gastrostomy_mortality_30d == 0.03);
    cr_assert(p.niv_uptake == 0.8 && p.niv_fvc_threshold_percent == 60.0);
    cr_assert(p.niv_gain_good_bulbar_months == 7.0 && p.niv_gain_poor_bulbar_months == 0.0);
    cr_assert(p.niv_good_bulbar_threshold == 0.4);
    cr_assert(p.tracheostomy_share == 0.1);
    cr_assert(p.tracheostomy_survival_median_months == 24.0);
    cr_assert(p.death_ventilation_mean == 0.2 && p.death_ventilation_sd == 0.0);
    cr_assert(p.gompertz_rate_per_year == 0.1);
    cr_assert(p.gompertz_a_male_per_year == 3e-5 && p.gompertz_a_female_per_year == 1.5e-5);
    cr_assert(!p.store[MND_TRAJ_TIME] && !p.store[MND_TRAJ_ITEMS]);
    cr_assert(p.store[MND_TRAJ_TOTAL] && p.store[MND_TRAJ_FVC]);
    cr_assert(!p.store[MND_TRAJ_KINGS] && !p.store[MND_TRAJ_MITOS] && !p.store[MND_TRAJ_NEURONS]);
    cr_assert_eq(p.chunk_patients, 1024);
    cr_assert_eq(p.deflate_level, 4);
}

/* Loads `path` with overrides, writes the resolved text to a file, loads
 * that, and checks both parameter sets are byte-identical. */
static void check_round_trip(const char *path, const char *const *ov, size_t n)
{
    mnd_params a, b;
    mnd_error err;
    char *text = NULL, *text2 = NULL, *tmp;

    cr_assert_eq(mnd_config_load(path, ov, n, &a, &text, &err), MND_OK, "%s", err.message);
    cr_assert_not_null(text);
    tmp = write_temp(text);
    cr_assert_eq(mnd_config_load(tmp, NULL, 0, &b, &text2, &err), MND_OK, "%s\n%s",
                 err.message, text);
    cr_assert(memcmp(&a, &b, sizeof a) == 0, "resolved text does not reproduce %s", path);
    unlink(tmp);
    free(tmp);
    free(text);
    free(text2);
}

Test(resolved, round_trips)
{
    const char *ov[] = {"simulation.seed=4294967296L", "output.store=[]",
                        "cohort.male_share=0.1"};

    check_round_trip(CFG "empty.cfg", NULL, 0);
    check_round_trip(CFG "full.cfg", NULL, 0);
    check_round_trip(CFG "full.cfg", ov, 3);
    check_round_trip(CFG "include/main.cfg", NULL, 0);
}

Test(resolved, content)
{
    const char *ov[] = {"simulation.n_replicates=7"};
    mnd_params p;
    mnd_error err;
    char *text = NULL;

    cr_assert_eq(mnd_config_load(CFG "full.cfg", ov, 1, &p, &text, &err), MND_OK);
    cr_assert_not_null(strstr(text, "\nsimulation = {\n"));
    cr_assert_not_null(strstr(text, "  n_patients = 3000000000L;  # tests/configs/full.cfg:6\n"));
    cr_assert_not_null(strstr(text, "  n_replicates = 7;  # --set simulation.n_replicates=7\n"));
    cr_assert_not_null(strstr(text, "  seed = 9000000000000000000L;"));
    cr_assert_not_null(strstr(text, "  follow_up_months = 60.0;"));
    cr_assert_not_null(strstr(text, "  visit_origin = \"enrolment\";"));
    cr_assert_not_null(strstr(text, "  genotype_share = [1.0, 0.0, 0.0, 0.0, 0.0];"));
    cr_assert_not_null(strstr(text, "  gompertz_a_male_per_year = 3e-05;"));
    cr_assert_not_null(strstr(text, "  enabled = true;"));
    cr_assert_not_null(strstr(text, "  store = [\"total\", \"fvc\"];"));
    cr_assert_not_null(strstr(text, "  block_patients = 512;"));
    free(text);

    cr_assert_eq(mnd_config_load(CFG "empty.cfg", NULL, 0, &p, &text, &err), MND_OK);
    cr_assert_not_null(strstr(text, "  n_patients = 10000;  # default\n"));
    free(text);
}

/* ---------------------------------------------------------------- includes */

Test(include, relative_to_main_file_from_another_directory)
{
    char root[PATH_MAX], abs[PATH_MAX + 64];
    mnd_params p;
    mnd_error err;

    cr_assert_not_null(getcwd(root, sizeof root));
    snprintf(abs, sizeof abs, "%s/" CFG "include/main.cfg", root);

    /* relative path, from a directory below the included file's */
    cr_assert_eq(chdir(CFG "include/sub"), 0);
    cr_assert_eq(load("../main.cfg", NULL, 0, &p, &err), MND_OK, "%s", err.message);
    cr_assert_eq(p.n_patients, 250);
    cr_assert(p.male_share == 0.5);
    cr_assert(p.age_onset_mean_years == 61.0);

    /* absolute path, from the file-system root */
    cr_assert_eq(chdir("/"), 0);
    memset(&p, 0, sizeof p);
    cr_assert_eq(load(abs, NULL, 0, &p, &err), MND_OK, "%s", err.message);
    cr_assert(p.male_share == 0.5);
    cr_assert_eq(chdir(root), 0);
}

Test(include, syntax_error_in_included_file)
{
    expect_config_error(CFG "include/broken.cfg",
                        "tests/configs/include/sub/broken.cfg:3: syntax error");
}

Test(include, value_error_in_included_file_names_that_file)
{
    expect_config_error(CFG "include/bad_value.cfg",
                        "tests/configs/include/sub/bad_value.cfg:2: "
                        "cohort.male_share must be <= 1 (got 1.5)");
}

Test(include, missing_included_file)
{
    expect_config_error(CFG "include/missing.cfg",
                        "tests/configs/include/missing.cfg:4: cannot open include file "
                        "'tests/configs/include/sub/nonexistent.cfg': No such file or directory");
}

/* ---------------------------------------------------- includes: file trees */
/* These tests build their files in a fresh folder under /tmp and run from
 * it (each Criterion test is its own process), so that messages name short
 * relative paths. */

/* One file of a temporary tree. */
typedef struct {
    const char *path; /* relative to the tree's root; folders are made as needed */
    const char *text;
} tree_file;

/* Writes `len` bytes of `text` to `path`, making its folders. */
static void put_file(const char *path, const char *text, size_t len)
{
    char dir[PATH_MAX];
    FILE *f;

    snprintf(dir, sizeof dir, "%s", path);
    for (char *c = strchr(dir + 1, '/'); c != NULL; c = strchr(c + 1, '/')) {
        *c = '\0';
        cr_assert(mkdir(dir, 0700) == 0 || errno == EEXIST, "mkdir %s", dir);
        *c = '/';
    }
    f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(text, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static void put_text(const char *path, const char *text)
{
    put_file(path, text, strlen(text));
}

/* Makes a fresh folder holding `files`, changes into it and returns its
 * malloc'd path. */
static char *make_tree(const tree_file *files, size_t n)
{
    char *root = strdup("/tmp/mndsim-test-include-XXXXXX");

    cr_assert_not_null(root);
    cr_assert_not_null(mkdtemp(root));
    cr_assert_eq(chdir(root), 0);
    for (size_t i = 0; i < n; i++)
        put_text(files[i].path, files[i].text);
    return root;
}

/* Deletes `path` and, when it is a folder, everything in it. */
static void remove_all(const char *path)
{
    struct stat sb;
    DIR *d;
    struct dirent *e;

    cr_assert_eq(lstat(path, &sb), 0, "%s", path);
    if (S_ISDIR(sb.st_mode)) {
        d = opendir(path);
        cr_assert_not_null(d, "%s", path);
        while ((e = readdir(d)) != NULL) {
            char child[PATH_MAX];
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            remove_all(child);
        }
        cr_assert_eq(closedir(d), 0);
    }
    cr_assert_eq(remove(path), 0, "%s", path);
}

/* Leaves and deletes the tree made by make_tree, and frees `root`. */
static void remove_tree(char *root)
{
    cr_assert_eq(chdir("/"), 0);
    remove_all(root);
    free(root);
}

#define N_FILES(files) (sizeof(files) / sizeof(files)[0])

/* Includes three levels deep, each relative to the including file, across
 * folders.  b/two.cfg is a decoy: it is where "b/two.cfg" in a/one.cfg
 * would land if it were resolved from the main file's folder. */
static const tree_file nested_tree[] = {
    {"main.cfg", "# includes at depth 1, 2 and 3\n"
                 "@include \"a/one.cfg\"\n"
                 "simulation = {\n"
                 "  n_patients = 100;\n"
                 "};\n"},
    {"a/one.cfg", "# included by ../main.cfg\n"
                  "@include \"b/two.cfg\"   # a comment after the directive\n"},
    {"a/b/two.cfg", "cohort = {\n"
                    "  male_share = 0.25;\n"
                    "};\n"
                    "\t @include \"../../c/three.cfg\"\n"},
    {"c/three.cfg", "function = {\n"
                    "  item_noise_sd = 0.75;\n"
                    "};\n"},
    {"b/two.cfg", "cohort = {\n"
                  "  male_share = 0.9;\n"
                  "};\n"},
};

static void check_nested_values(const char *path)
{
    mnd_params p;
    mnd_error err;

    memset(&p, 0, sizeof p);
    cr_assert_eq(load(path, NULL, 0, &p, &err), MND_OK, "%s: %s", path, err.message);
    cr_assert_eq(p.n_patients, 100);
    cr_assert(p.male_share == 0.25, "male_share %g: the decoy was read", p.male_share);
    cr_assert(p.item_noise_sd == 0.75);
}

Test(include, nested_relative_to_including_file)
{
    char *root = make_tree(nested_tree, N_FILES(nested_tree));
    char abs[PATH_MAX + 16];

    check_nested_values("main.cfg");
    /* from a folder of its own, and from a folder below the file */
    cr_assert_eq(chdir("c"), 0);
    check_nested_values("../main.cfg");
    cr_assert_eq(chdir(".."), 0);
    cr_assert_eq(chdir("a/b"), 0);
    check_nested_values("../../main.cfg");
    /* by absolute path, from the file-system root */
    snprintf(abs, sizeof abs, "%s/main.cfg", root);
    cr_assert_eq(chdir("/"), 0);
    check_nested_values(abs);
    remove_tree(root);
}

Test(include, resolved_text_names_each_file_and_line)
{
    char *root = make_tree(nested_tree, N_FILES(nested_tree));
    mnd_params p;
    mnd_error err;
    char *text = NULL;

    cr_assert_eq(chdir("c"), 0);
    cr_assert_eq(mnd_config_load("../main.cfg", NULL, 0, &p, &text, &err), MND_OK, "%s",
                 err.message);
    cr_assert_not_null(strstr(text, "  n_patients = 100;  # ../main.cfg:4\n"), "%s", text);
    cr_assert_not_null(strstr(text, "  male_share = 0.25;  # ../a/b/two.cfg:2\n"), "%s", text);
    cr_assert_not_null(strstr(text, "  item_noise_sd = 0.75;  # ../a/b/../../c/three.cfg:2\n"),
                       "%s", text);
    free(text);
    remove_tree(root);
}

Test(include, value_error_in_nested_file_names_that_file_and_line)
{
    tree_file files[N_FILES(nested_tree)];
    char *root;

    memcpy(files, nested_tree, sizeof files);
    files[3].text = "function = {\n"
                    "  item_noise_sd = -0.5;\n"
                    "};\n";
    root = make_tree(files, N_FILES(files));
    expect_config_error("main.cfg", "a/b/../../c/three.cfg:2: "
                                    "function.item_noise_sd must be >= 0 (got -0.5)");
    cr_assert_eq(chdir("a"), 0);
    expect_config_error("../main.cfg", "../a/b/../../c/three.cfg:2: "
                                       "function.item_noise_sd must be >= 0 (got -0.5)");
    remove_tree(root);
}

/* Lines that follow an include map back to the including file. */
Test(include, error_after_an_include_names_the_including_file)
{
    tree_file files[N_FILES(nested_tree)];
    char *root;

    memcpy(files, nested_tree, sizeof files);
    files[0].text = "@include \"a/one.cfg\"\n"
                    "\n"
                    "simulation = {\n"
                    "  n_patients = 0;\n"
                    "};\n";
    root = make_tree(files, N_FILES(files));
    expect_config_error("main.cfg", "main.cfg:4: simulation.n_patients must be >= 1 (got 0)");
    put_text("a/one.cfg", "@include \"b/two.cfg\"\nselection = {\n  enabled = 1;\n};\n");
    expect_config_error("main.cfg", "a/one.cfg:3: selection.enabled must be true or false "
                                    "(got integer)");
    remove_tree(root);
}

Test(include, syntax_error_in_nested_file)
{
    tree_file files[N_FILES(nested_tree)];
    char *root;

    memcpy(files, nested_tree, sizeof files);
    files[2].text = "cohort = {\n"
                    "  male_share = 0.25;\n"
                    "  age_onset_sd_years = ;\n"
                    "};\n";
    root = make_tree(files, N_FILES(files));
    expect_config_error("main.cfg", "a/b/two.cfg:3: syntax error");
    remove_tree(root);
}

/* A syntax error at the end of the input belongs to the main file, after
 * its last line. */
Test(include, syntax_error_at_end_of_input)
{
    static const tree_file files[] = {
        {"main.cfg", "simulation = {\n@include \"part.cfg\"\n"},
        {"part.cfg", "n_patients = 5;\n"},
    };
    char *root = make_tree(files, N_FILES(files));

    expect_config_error("main.cfg", "main.cfg:3: syntax error");
    remove_tree(root);
}

/* An array may span files; each element is located in its own. */
Test(include, array_elements_across_files)
{
    static const tree_file files[] = {
        {"main.cfg", "neurons = {\n"
                     "  rate_genotype = [1.0, 1.0,\n"
                     "@include \"sub/tail.cfg\"\n"
                     "  ];\n"
                     "};\n"},
        {"sub/tail.cfg", "# the last three elements\n"
                         "  -3.0, 1.0, 1.0\n"},
    };
    char *root = make_tree(files, N_FILES(files));

    expect_config_error("main.cfg", "sub/tail.cfg:2: "
                                    "neurons.rate_genotype[sod1_a4v] must be >= 0 (got -3)");
    remove_tree(root);
}

Test(include, absolute_include_path)
{
    static const tree_file files[] = {
        {"sub/part.cfg", "cohort = {\n  male_share = 2.0;\n};\n"},
    };
    char *root = make_tree(files, N_FILES(files));
    char text[PATH_MAX + 64], message[PATH_MAX + 128];

    snprintf(text, sizeof text, "@include \"%s/sub/part.cfg\"\n", root);
    put_text("dir/main.cfg", text);
    snprintf(message, sizeof message,
             "%s/sub/part.cfg:2: cohort.male_share must be <= 1 (got 2)", root);
    expect_config_error("dir/main.cfg", message);
    remove_tree(root);
}

Test(include, escapes_in_the_path)
{
    static const tree_file files[] = {
        {"main.cfg", "@include \"we\\\"ird\\\\name.cfg\"\n"},
        {"we\"ird\\name.cfg", "cohort = {\n  male_share = 2.0;\n};\n"},
    };
    char *root = make_tree(files, N_FILES(files));

    expect_config_error("main.cfg",
                        "we\"ird\\name.cfg:2: cohort.male_share must be <= 1 (got 2)");
    remove_tree(root);
}

/* Directives are recognised where libconfig recognises them: not in a block
 * comment or a string, even at the start of a line; and comment markers
 * inside line comments start nothing (see also scanner_states). */
Test(include, directive_in_comment_or_string_is_text)
{
    static const tree_file files[] = {
        {"t/main.cfg", "/* a block comment\n"
                       "@include \"missing.cfg\"\n"
                       "*/\n"
                       "# a line comment with /* in it\n"
                       "// another with \"\n"
                       "@include \"part.cfg\"\n"
                       "@include \"more.cfg\"\n"},
        {"t/part.cfg", "cohort = {\n  male_share = 0.25;\n};\n"},
        {"t/more.cfg", "function = {\n"
                       "  item_noise_sd = 0.75; /* a comment over\n"
                       "@include \"missing.cfg\"\n"
                       "  two lines */\n"
                       "};\n"},
    };
    static const tree_file in_string[] = {
        {"main.cfg", "simulation = {\n"
                     "  visit_origin = \"onset\\\" # \n"
                     "@include \";\n"
                     "};\n"},
    };
    char *root = make_tree(files, N_FILES(files));
    mnd_params p;
    mnd_error err;

    /* from outside t/, so that a directive left to libconfig would fail */
    cr_assert_eq(load("t/main.cfg", NULL, 0, &p, &err), MND_OK, "%s", err.message);
    cr_assert(p.male_share == 0.25, "part.cfg was not included");
    cr_assert(p.item_noise_sd == 0.75);
    remove_tree(root);

    /* the string runs over two lines: libconfig reads the enum value
     * 'onset" # \n@include ' */
    root = make_tree(in_string, N_FILES(in_string));
    expect_config_error("main.cfg", "main.cfg:2: simulation.visit_origin must be one of "
                                    "\"onset\", \"diagnosis\", \"enrolment\" "
                                    "(got \"onset\" # \n@include \")");
    remove_tree(root);
}

/* libconfig reads what follows a directive on its line after the included
 * text, never as the start of a line: a second directive there is a
 * syntax error, not an include. */
Test(include, text_after_a_directive)
{
    static const tree_file files[] = {
        {"main.cfg", "@include \"a.cfg\" simulation = { n_patients = 7; };\n"
                     "@include \"b.cfg\" @include \"a.cfg\"\n"},
        {"a.cfg", "cohort = { male_share = 0.25; };"}, /* no final newline */
        {"b.cfg", "function = { item_noise_sd = 0.75; };\n"},
    };
    char *root = make_tree(files, N_FILES(files));

    expect_config_error("main.cfg", "main.cfg:2: syntax error");
    put_text("main.cfg", "@include \"a.cfg\" simulation = { n_patients = 0; };\n");
    expect_config_error("main.cfg", "main.cfg:1: simulation.n_patients must be >= 1 (got 0)");
    remove_tree(root);
}

Test(include, cycles_are_errors)
{
    static const tree_file files[] = {
        {"main.cfg", "# a cycle through two folders\n@include \"sub/b.cfg\"\n"},
        {"sub/b.cfg", "\n\n@include \"../main.cfg\"\n"},
        {"self.cfg", "@include \"self.cfg\"\n"},
    };
    char *root = make_tree(files, N_FILES(files));

    expect_config_error("main.cfg", "sub/b.cfg:3: include cycle: "
                                    "main.cfg -> sub/b.cfg -> sub/../main.cfg");
    expect_config_error("self.cfg", "self.cfg:1: include cycle: self.cfg -> self.cfg");
    remove_tree(root);
}

/* d0.cfg includes d1.cfg, which includes d2.cfg ... up to d<n>.cfg. */
static char *make_chain(int n)
{
    char *root = make_tree(NULL, 0);
    char name[32], text[64];

    for (int k = 0; k <= n; k++) {
        snprintf(name, sizeof name, "d%d.cfg", k);
        if (k < n)
            snprintf(text, sizeof text, "@include \"d%d.cfg\"\n", k + 1);
        else
            snprintf(text, sizeof text, "cohort = { male_share = 0.25; };\n");
        put_text(name, text);
    }
    return root;
}

Test(include, nesting_limit)
{
    char *root = make_chain(10);
    mnd_params p;
    mnd_error err;

    cr_assert_eq(load("d0.cfg", NULL, 0, &p, &err), MND_OK, "%s", err.message);
    cr_assert(p.male_share == 0.25);
    remove_tree(root);

    root = make_chain(11);
    expect_config_error("d0.cfg", "d10.cfg:1: includes nested more than 10 levels deep");
    remove_tree(root);
}

Test(include, unreadable_include_files)
{
    static const tree_file files[] = {
        {"main.cfg", "cohort = { male_share = 0.25; };\n@include \"a/one.cfg\"\n"},
        {"a/one.cfg", "\n@include \"none.cfg\"\n"},
        {"dir.cfg", "@include \"a\"\n"},
        {"empty.cfg", "@include \"\"\n"},
    };
    char *root = make_tree(files, N_FILES(files));

    expect_config_error("main.cfg", "a/one.cfg:2: cannot open include file 'a/none.cfg': "
                                    "No such file or directory");
    expect_config_error("dir.cfg", "dir.cfg:1: cannot open include file 'a': Is a directory");
    expect_config_error("empty.cfg", "empty.cfg:1: cannot open include file '': "
                                     "No such file or directory");
    remove_tree(root);
}

Test(include, malformed_files)
{
    static const tree_file files[] = {
        {"open_path.cfg", "\n@include \"part.cfg\n"},
        {"open_comment.cfg", "@include \"sub/comment.cfg\"\ncohort = {};\n"},
        {"sub/comment.cfg", "cohort = {\n};\n/* never closed\n"},
        {"open_string.cfg", "@include \"sub/string.cfg\"\n\";\n"},
        {"sub/string.cfg", "simulation = {\n  visit_origin = \"onset;\n};\n"},
        {"not_a_directive.cfg", "@include part.cfg\n"},
    };
    static const char nul_text[] = "cohort = {\n  male_share = 0.5;\0\n};\n";
    char *root = make_tree(files, N_FILES(files));

    expect_config_error("open_path.cfg", "open_path.cfg:2: @include path has no closing quote");
    expect_config_error("open_comment.cfg", "sub/comment.cfg:3: comment not closed before the "
                                            "end of the included file");
    expect_config_error("open_string.cfg", "sub/string.cfg:2: string not closed before the "
                                           "end of the included file");
    expect_config_error("not_a_directive.cfg", "not_a_directive.cfg:1: syntax error");
    put_file("nul.cfg", nul_text, sizeof nul_text - 1);
    expect_config_error("nul.cfg", "nul.cfg:2: unexpected NUL byte");
    remove_tree(root);
}

/* The scanner follows libconfig's lexer states: a directive inside a
 * string or a block comment, or after other text on its line, stays text;
 * comment markers inside strings and line comments, and an escaped quote
 * or backslash inside a string, change nothing. */
Test(include, scanner_states)
{
    static const char main_text[] =
        "s = \"/* \\\" # //\n"
        "@include \\\"no.cfg\\\" \";\n"
        "t = 1; # \"quote /* in a line comment\n"
        "@include \"y.cfg\"\n"
        "u = 2; // /* another\n"
        "/**/@include \"no.cfg\"\n"
        "v = \"a\\\\\";\n"
        "@include \"y.cfg\"\n"
        "/*\n"
        "@include \"no.cfg\"\n"
        " */";
    static const char expanded[] =
        "s = \"/* \\\" # //\n"
        "@include \\\"no.cfg\\\" \";\n"
        "t = 1; # \"quote /* in a line comment\n"
        "y = 2;\n"
        "u = 2; // /* another\n"
        "/**/@include \"no.cfg\"\n"
        "v = \"a\\\\\";\n"
        "y = 2;\n"
        "/*\n"
        "@include \"no.cfg\"\n"
        " */";
    static const int lines[] = {1, 2, 3, 1, 5, 6, 7, 1, 9, 10, 11};
    static const tree_file files[] = {{"m.cfg", main_text}, {"y.cfg", "y = 2;\n"}};
    char *root = make_tree(files, N_FILES(files));
    mnd_config_source src;
    mnd_error err;

    cr_assert_eq(mnd_config_source_load(&src, "m.cfg", &err), MND_OK, "%s", err.message);
    cr_assert_str_eq(src.text, expanded);
    cr_assert_eq(src.n_lines, N_FILES(lines));
    for (size_t k = 0; k < N_FILES(lines); k++) {
        mnd_config_place at = mnd_config_source_locate(&src, (long)k + 1);
        cr_assert_eq(at.line, lines[k], "line %zu", k + 1);
        cr_assert_str_eq(at.file, lines[k] == 1 && k > 0 ? "y.cfg" : "m.cfg", "line %zu", k + 1);
    }
    cr_assert_eq(src.end_line, 11); /* no newline at the end */
    mnd_config_source_clear(&src);
    remove_tree(root);
}

/* Lines may end in CR LF; a CR alone does not begin a line, so a directive
 * after one stays text (for libconfig, a syntax error). */
Test(include, carriage_returns)
{
    static const tree_file files[] = {
        {"m.cfg", "a = 1;\r\n@include \"y.cfg\"\r\nb = 2;\r@include \"no.cfg\"\r\n"},
        {"y.cfg", "y = 2;\r\n"},
    };
    char *root = make_tree(files, N_FILES(files));
    mnd_config_source src;
    mnd_error err;

    cr_assert_eq(mnd_config_source_load(&src, "m.cfg", &err), MND_OK, "%s", err.message);
    cr_assert_str_eq(src.text, "a = 1;\r\ny = 2;\r\nb = 2;\r@include \"no.cfg\"\r\n");
    mnd_config_source_clear(&src);
    expect_config_error("m.cfg", "m.cfg:3: syntax error");
    remove_tree(root);
}

/* The expanded text and its line map, as config.c gets them. */
Test(include, expanded_text_and_line_map)
{
    static const tree_file files[] = {
        {"m.cfg", "a = 1;\n  @include \"s/x.cfg\"  \nb = 2;\n@include \"s/x.cfg\" c = 3;\n"},
        {"s/x.cfg", "# x\n@include \"y.cfg\"\nx = 1;"},
        {"s/y.cfg", "y = 2;\n"},
    };
    static const struct {
        const char *file;
        int line;
    } map[] = {{"m.cfg", 1}, {"s/x.cfg", 1}, {"s/y.cfg", 1}, {"s/x.cfg", 3}, {"m.cfg", 3},
               {"s/x.cfg", 1}, {"s/y.cfg", 1}, {"s/x.cfg", 3}, {"m.cfg", 4}};
    char *root = make_tree(files, N_FILES(files));
    mnd_config_source src;
    mnd_config_place at;
    mnd_error err;

    cr_assert_eq(mnd_config_source_load(&src, "m.cfg", &err), MND_OK, "%s", err.message);
    cr_assert_str_eq(src.text, "a = 1;\n# x\ny = 2;\nx = 1;\nb = 2;\n# x\ny = 2;\nx = 1;\n"
                               "/**/ c = 3;\n");
    cr_assert_eq(src.n_lines, N_FILES(map));
    for (size_t k = 0; k < N_FILES(map); k++) {
        at = mnd_config_source_locate(&src, (long)k + 1);
        cr_assert_str_eq(at.file, map[k].file, "line %zu", k + 1);
        cr_assert_eq(at.line, map[k].line, "line %zu", k + 1);
    }
    at = mnd_config_source_locate(&src, 0);
    cr_assert_str_eq(at.file, "m.cfg");
    cr_assert_eq(at.line, 0);
    at = mnd_config_source_locate(&src, 99);
    cr_assert_str_eq(at.file, "m.cfg");
    cr_assert_eq(at.line, 5);
    mnd_config_source_clear(&src);
    cr_assert_null(src.text);
    mnd_config_source_clear(&src); /* twice is safe */

    cr_assert_eq(mnd_config_source_load(&src, "none.cfg", &err), MND_ERR_IO);
    cr_assert_str_eq(err.message,
                     "none.cfg: cannot read configuration file: No such file or directory");
    cr_assert_null(src.text);
    cr_assert_eq(src.n_files, 0);
    remove_tree(root);
}

/* ------------------------------------------------------------- file errors */

Test(errors, missing_file)
{
    expect_error(CFG "no_such_file.cfg", NULL, 0, MND_ERR_IO,
                 "tests/configs/no_such_file.cfg: cannot read configuration file: "
                 "No such file or directory");
}

Test(errors, directory_instead_of_file)
{
    expect_error(CFG "bad", NULL, 0, MND_ERR_IO,
                 "tests/configs/bad: cannot read configuration file: Is a directory");
}

Test(errors, syntax_error)
{
    expect_config_error(CFG "bad/syntax.cfg", "tests/configs/bad/syntax.cfg:3: syntax error");
}

Test(errors, mixed_array_is_a_parse_error)
{
    expect_config_error(CFG "bad/mixed_array.cfg",
                        "tests/configs/bad/mixed_array.cfg:3: mismatched element type in array");
}

Test(errors, unknown_key)
{
    expect_config_error(CFG "bad/unknown_key.cfg",
                        "tests/configs/bad/unknown_key.cfg:3: unknown key 'cohort.n_patient'");
}

Test(errors, unknown_section)
{
    expect_config_error(CFG "bad/unknown_section.cfg",
                        "tests/configs/bad/unknown_section.cfg:2: unknown key 'simulations'");
}

Test(errors, nested_group_is_unknown)
{
    expect_config_error(CFG "bad/nested_group.cfg",
                        "tests/configs/bad/nested_group.cfg:3: unknown key 'events.niv'");
}

Test(errors, section_must_be_group)
{
    expect_config_error(CFG "bad/section_scalar.cfg",
                        "tests/configs/bad/section_scalar.cfg:2: "
                        "simulation must be a group (got integer)");
}

Test(errors, wrong_type)
{
    expect_config_error(CFG "bad/wrong_type.cfg",
                        "tests/configs/bad/wrong_type.cfg:3: "
                        "cohort.male_share must be a number (got string)");
}

Test(errors, float_for_integer)
{
    expect_config_error(CFG "bad/float_for_integer.cfg",
                        "tests/configs/bad/float_for_integer.cfg:3: "
                        "simulation.n_patients must be an integer (got float)");
}

Test(errors, out_of_range)
{
    expect_config_error(CFG "bad/out_of_range.cfg",
                        "tests/configs/bad/out_of_range.cfg:4: "
                        "simulation.n_patients must be >= 1 (got -5)");
}

Test(errors, open_lower_bound)
{
    expect_config_error(CFG "bad/open_bound.cfg",
                        "tests/configs/bad/open_bound.cfg:3: "
                        "simulation.follow_up_months must be > 0 (got 0)");
}

/* The libconfig 1.5 pitfall, pinned: without L the value arrives wrapped. */
Test(errors, integer_without_L_suffix_arrives_wrapped)
{
    expect_config_error(CFG "bad/wrapped_integer.cfg",
                        "tests/configs/bad/wrapped_integer.cfg:3: "
                        "simulation.n_patients must be >= 1 (got -1294967296)");
}

Test(errors, negative_seed)
{
    expect_config_error(CFG "bad/negative_seed.cfg",
                        "tests/configs/bad/negative_seed.cfg:3: "
                        "simulation.seed must be >= 0 (got -1)");
}

Test(errors, array_wrong_length)
{
    expect_config_error(CFG "bad/array_length.cfg",
                        "tests/configs/bad/array_length.cfg:3: "
                        "cohort.phenotype_share must have 6 elements (got 5)");
}

Test(errors, array_element_out_of_range_on_its_line)
{
    expect_config_error(CFG "bad/array_element.cfg",
                        "tests/configs/bad/array_element.cfg:6: "
                        "cohort.genotype_share[sod1_a4v] must be >= 0 (got -0.1)");
}

Test(errors, array_element_wrong_type)
{
    expect_config_error(CFG "bad/array_element_type.cfg",
                        "tests/configs/bad/array_element_type.cfg:3: "
                        "neurons.rate_genotype[sod1_a4v] must be a number (got string)");
}

Test(errors, scalar_for_array)
{
    expect_config_error(CFG "bad/array_scalar.cfg",
                        "tests/configs/bad/array_scalar.cfg:3: "
                        "neurons.rate_genotype must be an array of 5 numbers (got float)");
}

Test(errors, shares_must_sum_to_one)
{
    expect_config_error(CFG "bad/shares_sum.cfg",
                        "tests/configs/bad/shares_sum.cfg:3: "
                        "cohort.classic_onset_share must sum to 1 (got 0.99)");
}

Test(errors, bad_enum_name)
{
    expect_config_error(CFG "bad/bad_enum.cfg",
                        "tests/configs/bad/bad_enum.cfg:3: simulation.visit_origin must be "
                        "one of \"onset\", \"diagnosis\", \"enrolment\" (got \"diag\")");
}

Test(errors, enum_wrong_type)
{
    expect_config_error(CFG "bad/enum_type.cfg",
                        "tests/configs/bad/enum_type.cfg:3: "
                        "simulation.visit_origin must be a string (got integer)");
}

Test(errors, bool_wrong_type)
{
    expect_config_error(CFG "bad/bool_type.cfg",
                        "tests/configs/bad/bool_type.cfg:3: "
                        "selection.enabled must be true or false (got integer)");
}

Test(errors, store_unknown_name)
{
    expect_config_error(CFG "bad/store_name.cfg",
                        "tests/configs/bad/store_name.cfg:3: output.store entries must be "
                        "among \"time\", \"items\", \"total\", \"fvc\", \"kings\", \"mitos\", "
                        "\"neurons\" (got \"alsfrs\")");
}

Test(errors, store_duplicate_name)
{
    expect_config_error(CFG "bad/store_duplicate.cfg",
                        "tests/configs/bad/store_duplicate.cfg:3: "
                        "output.store lists \"total\" twice");
}

/* Cross-field errors point at the key of the pair that was set last. */
Test(errors, age_min_not_below_max)
{
    expect_config_error(CFG "bad/age_order.cfg",
                        "tests/configs/bad/age_order.cfg:4: cohort.age_onset_min_years must "
                        "be < cohort.age_onset_max_years (got 80 and 70)");
}

Test(errors, floor_not_below_reserve)
{
    expect_config_error(CFG "bad/floor_order.cfg",
                        "tests/configs/bad/floor_order.cfg:4: neurons.floor_fraction must be "
                        "< neurons.reserve_fraction (got 0.6 and 0.5)");
}

Test(errors, item_lo_not_below_item_hi)
{
    expect_config_error(CFG "bad/item_order.cfg",
                        "tests/configs/bad/item_order.cfg:3: function.item_lo[walking] must "
                        "be < function.item_hi[walking] (got 0.96 and 0.95)");
}

Test(errors, selection_ages)
{
    expect_config_error(CFG "bad/selection_age.cfg",
                        "tests/configs/bad/selection_age.cfg:3: selection.min_age_years must "
                        "be < selection.max_age_years (got 85 and 85)");
}

/* --------------------------------------------------------------- overrides */

Test(overrides, applied_in_order_after_the_file)
{
    const char *ov[] = {"simulation.n_patients=500",
                        " simulation.n_patients = 600 ",
                        "simulation.visit_origin=onset", /* bare word for a name */
                        "simulation.seed=3000000000L",
                        "output.store=[]",
                        "cohort.phenotype_share=[0.5, 0.1, 0.1, 0.1, 0.1, 0.1]",
                        "simulation.follow_up_months=24", /* integer for a real */
                        "selection.enabled=false"};
    mnd_params p;
    mnd_error err;

    cr_assert_eq(load(CFG "full.cfg", ov, sizeof ov / sizeof ov[0], &p, &err), MND_OK, "%s",
                 err.message);
    cr_assert_eq(p.n_patients, 600);
    cr_assert_eq(p.visit_origin, MND_ORIGIN_ONSET);
    cr_assert_eq(p.seed, UINT64_C(3000000000));
    for (int v = 0; v < MND_TRAJ_COUNT; v++)
        cr_assert(!p.store[v]);
    cr_assert(p.phenotype_share[MND_PHENOTYPE_CLASSIC] == 0.5);
    cr_assert(p.follow_up_months == 24.0);
    cr_assert(!p.select);
    cr_assert_eq(p.n_replicates, 3); /* from the file */
}

Test(overrides, quoted_enum_value)
{
    const char *ov[] = {"simulation.visit_origin=\"enrolment\""};
    mnd_params p;
    mnd_error err;

    cr_assert_eq(load(CFG "empty.cfg", ov, 1, &p, &err), MND_OK, "%s", err.message);
    cr_assert_eq(p.visit_origin, MND_ORIGIN_ENROLMENT);
}

Test(overrides, can_repair_a_cross_field_rule)
{
    const char *ov[] = {"neurons.reserve_fraction=0.7"};
    mnd_params p;
    mnd_error err;

    cr_assert_eq(load(CFG "bad/floor_order.cfg", ov, 1, &p, &err), MND_OK, "%s", err.message);
    cr_assert(p.floor_fraction == 0.6 && p.reserve_fraction == 0.7);
}

Test(overrides, unknown_key)
{
    expect_override_error("cohort.n_patient=5", "--set cohort.n_patient=5: unknown key "
                                                "'cohort.n_patient'");
}

Test(overrides, bad_value)
{
    expect_override_error("simulation.n_patients=abc",
                          "--set simulation.n_patients=abc: cannot parse value: syntax error");
}

Test(overrides, empty_value)
{
    expect_override_error("simulation.n_patients=",
                          "--set simulation.n_patients=: cannot parse value: syntax error");
}

Test(overrides, wrong_type)
{
    expect_override_error("cohort.male_share=\"half\"",
                          "--set cohort.male_share=\"half\": "
                          "cohort.male_share must be a number (got string)");
}

Test(overrides, out_of_range)
{
    expect_override_error("simulation.n_patients=0",
                          "--set simulation.n_patients=0: "
                          "simulation.n_patients must be >= 1 (got 0)");
}

Test(overrides, infinite_real)
{
    expect_override_error("cohort.male_share=1e999",
                          "--set cohort.male_share=1e999: "
                          "cohort.male_share must be a finite number (got inf)");
}

Test(overrides, bad_enum_word)
{
    expect_override_error("simulation.visit_origin=diag",
                          "--set simulation.visit_origin=diag: simulation.visit_origin must "
                          "be one of \"onset\", \"diagnosis\", \"enrolment\" (got \"diag\")");
}

Test(overrides, missing_equals)
{
    expect_override_error("simulation.n_patients", "--set simulation.n_patients: expected "
                                                   "key=value");
}

Test(overrides, more_than_one_value)
{
    expect_override_error("simulation.n_patients=1; seed = 2",
                          "--set simulation.n_patients=1; seed = 2: expected a single value");
}

Test(overrides, breaking_a_cross_field_rule_names_the_override)
{
    expect_override_error("cohort.age_onset_min_years=95",
                          "--set cohort.age_onset_min_years=95: cohort.age_onset_min_years "
                          "must be < cohort.age_onset_max_years (got 95 and 90)");
}

Test(overrides, shares)
{
    expect_override_error("cohort.genotype_share=[0.5, 0.5, 0.5, 0.0, 0.0]",
                          "--set cohort.genotype_share=[0.5, 0.5, 0.5, 0.0, 0.0]: "
                          "cohort.genotype_share must sum to 1 (got 1.5)");
}

/* --------------------------------------------------------------- reference */

Test(reference, lists_every_section_and_key)
{
    char *buf = NULL;
    size_t len = 0, rows = 0;
    FILE *f = open_memstream(&buf, &len);

    cr_assert_not_null(f);
    mnd_config_write_reference(f);
    cr_assert_eq(fclose(f), 0);
    cr_assert(strncmp(buf, "# mndsim configuration reference\n", 33) == 0);
    cr_assert_not_null(strstr(buf, "`L` suffix"));
    cr_assert_not_null(strstr(buf, "@include"));
    cr_assert_not_null(strstr(buf, "--set key=value"));
    for (size_t s = 0; s < mnd_section_count; s++) {
        char heading[128];
        snprintf(heading, sizeof heading, "\n## `%s`\n", mnd_sections[s].name);
        cr_assert_not_null(strstr(buf, heading), "no heading for %s", mnd_sections[s].name);
    }
    for (size_t i = 0; i < mnd_option_count; i++) {
        char cell[160];
        snprintf(cell, sizeof cell, "\n| `%s` | ", mnd_options[i].path);
        cr_assert_not_null(strstr(buf, cell), "no row for %s", mnd_options[i].path);
    }
    for (const char *c = buf; (c = strstr(c, "\n| `")) != NULL; c++)
        rows++;
    for (size_t i = 0; i < mnd_intervention_option_count; i++) {
        char cell[160];
        snprintf(cell, sizeof cell, "\n| `interventions.<name>.%s` | ",
                 mnd_intervention_options[i].path);
        cr_assert_not_null(strstr(buf, cell), "no row for %s", mnd_intervention_options[i].path);
    }
    for (size_t i = 0; i < mnd_study_option_count; i++) {
        char cell[160];
        snprintf(cell, sizeof cell, "\n| `studies.<name>.%s` | ", mnd_study_options[i].path);
        cr_assert_not_null(strstr(buf, cell), "no row for %s", mnd_study_options[i].path);
    }
    for (size_t i = 0; i < mnd_sweep_key_count; i++) {
        char cell[160];
        snprintf(cell, sizeof cell, "\n| `sweep.<axis>.%s` | ", mnd_sweep_keys[i].path);
        cr_assert_not_null(strstr(buf, cell), "no row for sweep key %s", mnd_sweep_keys[i].path);
    }
    cr_assert_not_null(strstr(buf, "\n## `sweep`\n"));
    cr_assert_eq(rows, mnd_option_count + mnd_intervention_option_count + mnd_study_option_count
                           + mnd_sweep_key_count);
    cr_assert_not_null(strstr(buf, "| `simulation.n_patients` | integer | patients | ≥ 1 | "
                                   "`10000` | "));
    cr_assert_not_null(strstr(buf, "| `simulation.follow_up_months` | real | month | "
                                   "> 0, ≤ 1200 | `120.0` | "));
    cr_assert_not_null(strstr(buf, "each 0 – 1; sum 1 | `[0.715, 0.05, 0.1, 0.055, 0.05, 0.03]`"));
    free(buf);
}
