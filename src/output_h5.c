/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * output_h5.c — the run's HDF5 file: creation, block writes, atomic commit,
 * and reading back.  The only file that includes <hdf5.h>; the schema it
 * writes is documented in docs/hdf5-schema.md (keep the two in step).
 *
 * Design
 *
 * Layout.  A flat, NetCDF-4-compatible file (notes §1.1): four coordinate
 * datasets `patient`, `visit`, `item`, `region`, each made a dimension scale
 * (H5DSset_scale with its own name) before anything is attached to it, then
 * attached to every axis of every variable, so xarray/h5netcdf, netCDF-C and
 * R see named dimensions.  Per-patient results are columnar 1-D (or
 * patient x region) datasets, never compound types (pitfall P-X3).  The
 * column list is one X-macro table (MND_COLUMNS) that gives, for each
 * column, its name, type, units, codes and the expression that extracts it
 * from an mnd_patient; both the dataset creation and the block conversion
 * are generated from it, so they cannot disagree.  Every text attribute is
 * a VL UTF-8 string, the only kind that h5py, h5netcdf and hdf5r all return
 * as text (P-H6); the resolved config is a scalar VL-string dataset because an
 * attribute over 64 KiB fails (P-H5).  Units never contain " since "
 * (xarray would try to decode a time, P-X1): the reference goes in
 * `description`.
 *
 * Interventions.  A run with interventions adds a fifth root coordinate,
 * `intervention` (VL strings: the entries' names, so xarray can select by
 * name), four (patient, intervention) exposure columns and the (patient)
 * count of adverse events past the per-patient cap from the same X-macro
 * table, and two groups.  /adverse_events is a table of 1-D
 * columns along its own coordinate `event`, created with length 0 and
 * maximum size unlimited (netCDF's UNLIMITED dimension): each block
 * extends every column by the block's events and writes them, so the
 * table is in output-row order whatever the thread count, and a run
 * without events still has the table, with length 0 (h5py, h5netcdf,
 * netCDF-C and hdf5r all read that).  Its intervention column is named
 * intervention_index, not `intervention`: R's ncdf4 hides a variable that
 * has the name of a dimension (checked with ncdf4 1.21).  /interventions
 * holds the parameters as attributes, generated from the config option
 * tables (src/config_table.c), named by the config keys: the shared
 * delivery and adverse_events tables on the group itself and each entry's
 * keys on /interventions/<name>.  Attributes rather than datasets, because
 * they are a handful of scalars and short arrays that every reader lists
 * with one call (h5py .attrs, xarray open_dataset(group=...).attrs, hdf5r
 * h5attributes, ncdf4 ncatt_get).
 *
 * Order.  Link and attribute creation order are tracked, and both follow
 * the schema page, so that h5dump, ncdump and xarray list things as the
 * page does: the root attributes come from one table in the page's order
 * (text and numbers interleaved, e.g. git_dirty next to git_commit); the
 * datasets are the coordinates, the columns, the stored trajectories, the
 * groups /adverse_events and /interventions, and last /config_text, the
 * provenance after the data it describes.
 *
 * Chunks and memory.  Trajectories are chunked (P, T[, k]): a block of
 * patients spanning all visits, the shape both per-patient and
 * whole-variable reads want (§1.2); columns are chunked 65536 elements
 * (16384 rows of a patient x region column), adverse-event columns 4096
 * rows.  Shuffle + deflate at p->deflate_level (none at 0).  In a serial
 * file the chunks of the trajectories and of the per-patient columns are
 * encoded on the run's threads (chunk_deflate.h, output.thread_compression)
 * and stored with H5Dwrite_chunk in a fixed order, since HDF5 filters on
 * one thread (compressing the columns there took one core 0.7 s of a
 * 4.9 s run); readers decode them with the standard filters.  The filter
 * pipeline remains the path for parallel files, for the coordinates and
 * the adverse-event table, and for trajectory blocks that are not whole
 * chunks.  The simulator's blocks are patient-major with the dataset's
 * layout, so trajectories are written straight from block memory.  A
 * column's rows gather in its stage (column_stage: one chunk and one
 * block) until its chunk is complete; with the pipeline, columns and
 * events go through one conversion buffer sized by the largest block seen
 * (at most MND_MAX_AE_PER_PATIENT events a patient).  Neither grows with
 * the cohort.
 * Blocks must come in row order; a block that is not a whole number of
 * chunks is still stored correctly (HDF5 merges partial chunks), only more
 * slowly, so it is not an error.  Fill time is NEVER because commit insists that every row
 * was written.
 *
 * Atomicity (§1.4).  Open first checks the destination (`path` is not a
 * folder; its folder exists and is writable), so a bad destination fails
 * before any work and before any temporary file exists.  The file is
 * created as "<path>.tmp.<pid>" in the destination folder with
 * H5F_ACC_EXCL (never clobbering someone else's file) and close degree
 * SEMI, so H5Fclose fails rather than silently leaving objects open
 * (P-H2).  Commit closes every object checking each close, checks that
 * only the file itself is still open, closes it, fsyncs the file (HDF5
 * never does, P-H3), renames it over `path` and fsyncs the folder.  Any
 * failure, and discard, remove the temporary file; a file with the final
 * name is therefore always complete.
 *
 * Parallel (the MPI build, notes §2).  With an MPI team (team.h) the file
 * is opened with MPI-IO and every member makes the same calls in the same
 * order: creation of every object and attribute is collective (collective
 * metadata operations and writes), and data go through collective
 * transfers, the only kind that works with compression (P-M1).  In each
 * round every member writes its own chunk-aligned block (an empty
 * selection when it has none) and appends its adverse events at an offset
 * computed from the others' counts, so rows and events land where a
 * serial run puts them.  Data that every member holds (coordinates, study
 * results) are written by rank 0 while the others select nothing.
 * Variable-length strings cannot be written in parallel (P-M2): the text
 * datasets (`config_text`, `intervention`, `/analysis/<name>/metric`) are
 * created in place, so the creation order is the serial one, and filled
 * by rank 0 after the collective close, when it reopens the file alone;
 * then it fsyncs and renames.  Study replicates are run in ranges by the
 * members and shared at commit (mnd_team_share_ranges); the summaries are
 * computed once, by rank 0, and broadcast so that every member writes the
 * same attribute values.  A failure is agreed on by all members
 * (mnd_team_agree) at the end of each writer call, so they leave together
 * with the same message; a failure inside a single collective HDF5 call on
 * one rank only would still hang the others, which parallel HDF5 cannot
 * prevent.
 *
 * Errors.  HDF5's automatic error printing is switched off here (the library
 * never prints); every failing HDF5 or file-system call becomes MND_ERR_IO
 * (misuse such as blocks out of order is MND_ERR_INTERNAL) with a message that
 * names the file and the dataset or attribute, followed by the innermost
 * description on HDF5's error stack, which usually carries the errno text.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <omp.h>

#include <gnu/libc-version.h>
#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include "chunk_deflate.h"
#include "config_table.h"
#include "mndsim/mpi_split.h"
#include "mndsim/output.h"
#include "mndsim/patient.h"
#include "mndsim/sim.h"
#include "mndsim/study_run.h"
#include "mndsim/team.h"
#include "team_comm.h"

/* ------------------------------------------------------------------------
 * Element types
 * ------------------------------------------------------------------------ */

/* The numeric element types the schema uses; files store them little-endian. */
typedef enum { K_I8, K_I32, K_I64, K_F32, K_F64 } num_kind;

/* C type of each kind, for the X-macro below (MND_CTYPE_##kind). */
#define MND_CTYPE_K_I8 int8_t
#define MND_CTYPE_K_I32 int32_t
#define MND_CTYPE_K_I64 int64_t
#define MND_CTYPE_K_F32 float
#define MND_CTYPE_K_F64 double

static hid_t kind_file_type(num_kind k)
{
    switch (k) {
    case K_I8: return H5T_STD_I8LE;
    case K_I32: return H5T_STD_I32LE;
    case K_I64: return H5T_STD_I64LE;
    case K_F32: return H5T_IEEE_F32LE;
    case K_F64: return H5T_IEEE_F64LE;
    }
    return H5I_INVALID_HID;
}

static hid_t kind_mem_type(num_kind k)
{
    switch (k) {
    case K_I8: return H5T_NATIVE_INT8;
    case K_I32: return H5T_NATIVE_INT32;
    case K_I64: return H5T_NATIVE_INT64;
    case K_F32: return H5T_NATIVE_FLOAT;
    case K_F64: return H5T_NATIVE_DOUBLE;
    }
    return H5I_INVALID_HID;
}

static bool kind_is_float(num_kind k) { return k == K_F32 || k == K_F64; }

static size_t kind_size(num_kind k)
{
    switch (k) {
    case K_I8: return 1;
    case K_I32: case K_F32: return 4;
    case K_I64: case K_F64: return 8;
    }
    return 0;
}

/* The _FillValue of a dataset of kind k (-1 for integers, NaN for reals,
 * as create_var declares it) as one element in memory, into out. */
static void fill_element(num_kind k, unsigned char out[8])
{
    switch (k) {
    case K_I8: { int8_t v = -1; memcpy(out, &v, sizeof v); return; }
    case K_I32: { int32_t v = -1; memcpy(out, &v, sizeof v); return; }
    case K_I64: { int64_t v = -1; memcpy(out, &v, sizeof v); return; }
    case K_F32: { float v = NAN; memcpy(out, &v, sizeof v); return; }
    case K_F64: { double v = NAN; memcpy(out, &v, sizeof v); return; }
    }
}

/* ------------------------------------------------------------------------
 * Dimensions, per-patient columns and trajectories
 * ------------------------------------------------------------------------ */

/* The first four dimensions are always present; `intervention` and `event`
 * (the adverse-event table's rows, in the group /adverse_events) only when
 * the run has interventions.  The enum value is the _Netcdf4Dimid. */
typedef enum {
    DIM_NONE = -1,
    DIM_PATIENT,
    DIM_VISIT,
    DIM_ITEM,
    DIM_REGION,
    DIM_INTERVENTION,
    DIM_EVENT,
    DIM_COUNT
} dim_id;

static const char *const dim_names[DIM_COUNT] = {"patient", "visit",        "item",
                                                 "region",  "intervention", "event"};

/* Path of each dimension's coordinate dataset. */
static const char *const dim_paths[DIM_COUNT] = {
    "patient", "visit", "item", "region", "intervention", "adverse_events/event"};

/* Elements per chunk of the per-patient columns (and of `patient`) in a
 * serial file: 65536 rows of a 1-D column, 16384 rows of a (patient,
 * region) one, 65536 / n of a (patient, intervention) one, so that a
 * float64 chunk is 512 KiB and stays in HDF5's default 1 MiB chunk cache
 * while blocks fill it piece by piece (pitfall P-H4).  A parallel file has
 * no chunk cache for compressed data: each collective write of part of a
 * chunk reads, inflates and rewrites it, so there a column chunk is one
 * member's block (mnd_sim_block_capacity) and every write a whole chunk. */
enum { COLUMN_CHUNK_ELEMENTS = 65536 };

/* Rows per chunk of the extendible adverse-event columns: 32 KiB of int64,
 * so that a small table does not cost a large chunk per column when
 * compression is off. */
enum { EVENT_CHUNK_ROWS = 4096 };

static const char *const sex_names[2] = {"female", "male"};
static const char *const died_names[2] = {"alive", "dead"};

/* Per-patient columns.  X(name, kind, second axis, units, flag names,
 * number of flags, expression of `pt` (const mnd_patient *) and `r` (index
 * along the second axis, 0 when there is none), description).  Second axis
 * DIM_NONE: dimension (patient); DIM_REGION: (patient, region);
 * DIM_INTERVENTION: (patient, intervention).  The columns from
 * exposure_status on are written only when the run has interventions
 * (column_of_interventions).  Float columns use NaN for "did not happen";
 * integer columns are always defined. */
#define MND_COLUMNS(X)                                                                         \
    X(replicate, K_I32, DIM_NONE, "1", NULL, 0, pt->cov.replicate,                             \
      "replicate cohort of the patient, 0-based")                                              \
    X(patient_id, K_I64, DIM_NONE, "1", NULL, 0, pt->cov.patient_id,                           \
      "patient index within its replicate, 0-based; with replicate it keys the "               \
      "patient's random streams")                                                              \
    X(attempts, K_I32, DIM_NONE, "1", NULL, 0, pt->cov.attempts,                               \
      "baseline draws used for the patient (1 = first); a draw is redrawn when its "           \
      "record (death or end of follow-up) ends by entry (diagnosis; enrolment with "           \
      "selection enabled) or by the visit origin and, with selection enabled only, "           \
      "when it fails the enrolment criteria")                                                  \
    X(male, K_I8, DIM_NONE, "1", sex_names, 2, pt->cov.male, "sex: 1 male, 0 female")          \
    X(age_onset_years, K_F64, DIM_NONE, "year", NULL, 0, pt->cov.age_onset_years,              \
      "age at clinical onset")                                                                 \
    X(phenotype, K_I8, DIM_NONE, "1", mnd_phenotype_names, MND_PHENOTYPE_COUNT,                \
      pt->cov.phenotype, "clinical phenotype")                                                 \
    X(genotype, K_I8, DIM_NONE, "1", mnd_genotype_names, MND_GENOTYPE_COUNT, pt->cov.genotype, \
      "genetic group")                                                                         \
    X(onset_region, K_I8, DIM_NONE, "1", mnd_region_names, MND_REGION_COUNT,                   \
      pt->cov.onset_region, "body region of onset")                                            \
    X(rate_multiplier, K_F64, DIM_NONE, "1", NULL, 0, pt->cov.rate_multiplier,                 \
      "individual progression-rate factor, median 1")                                          \
    X(t_diagnosis, K_F64, DIM_NONE, "month", NULL, 0, pt->cov.t_diagnosis,                     \
      "diagnosis, months since onset")                                                         \
    X(t_enrolment, K_F64, DIM_NONE, "month", NULL, 0, pt->cov.t_enrolment,                     \
      "enrolment, months since onset")                                                         \
    X(fvc_predicted_baseline, K_F64, DIM_NONE, "% predicted", NULL, 0,                         \
      pt->cov.fvc_predicted_baseline, "pre-disease forced vital capacity")                     \
    X(t_gastrostomy, K_F64, DIM_NONE, "month", NULL, 0, pt->ev.t_gastrostomy,                  \
      "gastrostomy, months since onset; NaN if none before t_end")                             \
    X(t_niv, K_F64, DIM_NONE, "month", NULL, 0, pt->ev.t_niv,                                  \
      "start of non-invasive ventilation, months since onset; NaN if none before t_end")       \
    X(t_respiratory_failure, K_F64, DIM_NONE, "month", NULL, 0, pt->ev.t_respiratory_failure,  \
      "ventilation index reaches the individual death threshold, months since onset; "         \
      "NaN if not before t_end")                                                               \
    X(t_tracheostomy, K_F64, DIM_NONE, "month", NULL, 0, pt->ev.t_tracheostomy,                \
      "tracheostomy (invasive ventilation), months since onset; NaN if none before "           \
      "t_end")                                                                                 \
    X(t_death, K_F64, DIM_NONE, "month", NULL, 0, pt->ev.t_death,                              \
      "death, months since onset; NaN if alive at t_end")                                      \
    X(t_end, K_F64, DIM_NONE, "month", NULL, 0, pt->ev.t_end,                                  \
      "end of the record (death or end of follow-up), months since onset")                     \
    X(died, K_I8, DIM_NONE, "1", died_names, 2, pt->ev.end_cause != MND_END_CENSORED,          \
      "1 if the record ends with death (end_cause is not censored)")                           \
    X(end_cause, K_I8, DIM_NONE, "1", mnd_end_cause_names, MND_END_COUNT, pt->ev.end_cause,    \
      "cause of the end of the record")                                                        \
    X(death_ventilation, K_F64, DIM_NONE, "1", NULL, 0, pt->ev.death_ventilation,              \
      "individual threshold of the ventilation index at respiratory failure")                  \
    X(niv_good_bulbar, K_I8, DIM_NONE, "1", NULL, 0, pt->ev.niv_good_bulbar,                   \
      "bulbar function at the start of NIV at or above events.niv_good_bulbar_threshold: "     \
      "1 good, 0 poor, -1 no NIV before t_end")                                                \
    X(n_visits, K_I32, DIM_NONE, "1", NULL, 0, pt->n_visits,                                   \
      "visits made (alive and within follow-up); later visit slots hold fill values")          \
    X(delta_fs, K_F64, DIM_NONE, "1/month", NULL, 0, pt->delta_fs,                             \
      "(48 - ALSFRS-R total at the first visit) / months since onset of that visit; "          \
      "NaN without visits and when the first visit is at onset (month 0)")                     \
    X(t_m50, K_F64, DIM_NONE, "month", NULL, 0, pt->t_m50,                                     \
      "limb lower-motor-neuron pool (2/3 cervical, 1/3 lumbar) reaches 50 %, months "          \
      "since onset; NaN if never")                                                             \
    X(t_d50, K_F64, DIM_NONE, "month", NULL, 0, pt->t_d50,                                     \
      "expected ALSFRS-R total reaches 24, months since onset; NaN if not before t_end")       \
    X(mu_decline_percent_per_month, K_F64, DIM_NONE, "%/month", NULL, 0,                       \
      pt->mu_decline_percent_per_month,                                                        \
      "loss of the limb lower-motor-neuron pools affected at diagnosis over the next "         \
      "12 months (or to t_end), % of the value at diagnosis per month; NaN if none")           \
    X(loss_start, K_F64, DIM_REGION, "month", NULL, 0, pt->course.loss_start[r],               \
      "start of motor-neuron loss in the region, months since onset (negative: before "        \
      "onset)")                                                                                \
    X(lmn_rate, K_F64, DIM_REGION, "1/month", NULL, 0,                                         \
      pt->course.rate[r][MND_POOL_LMN],                                                        \
      "exponential loss rate of the region's lower-motor-neuron pool")                         \
    X(umn_rate, K_F64, DIM_REGION, "1/month", NULL, 0, pt->course.rate[r][MND_POOL_UMN],       \
      "exponential loss rate of the region's upper-motor-neuron pool")                         \
    X(exposure_status, K_I8, DIM_INTERVENTION, "1", mnd_exposure_status_names,                 \
      MND_EXPOSURE_COUNT, pt->exposure[r].status,                                              \
      "what happened with the intervention: its start never came before t_end "                \
      "(not_reached), the patient was ineligible at the start, declined it, or was "           \
      "treated")                                                                               \
    X(exposure_doses, K_I32, DIM_INTERVENTION, "1", NULL, 0, pt->exposure[r].n_doses,          \
      "doses taken up to t_end (0 for a continuous schedule and when not treated)")            \
    X(exposure_start, K_F64, DIM_INTERVENTION, "month", NULL, 0, pt->exposure[r].t_start,      \
      "start of the intervention, months since onset; NaN unless treated")                     \
    X(exposure_stop, K_F64, DIM_INTERVENTION, "month", NULL, 0, pt->exposure[r].t_stop,        \
      "planned end of the exposure, months since onset: the earlier of the drawn "             \
      "discontinuation and the end of the course, the end of a single dose's effect, or "      \
      "the last planned dose taken + dose interval (the start if every dose was missed); "     \
      "not cut at death, so it may lie after t_end; +inf when it has no end (for life, "       \
      "without discontinuation); NaN unless treated")                                          \
    X(adverse_events_dropped, K_I32, DIM_NONE, "1", NULL, 0, pt->n_ae_dropped,                 \
      "adverse events up to t_end missing from /adverse_events: the table keeps those up "     \
      "to t_end among the patient's first 16 drawn")

_Static_assert(MND_MAX_AE_PER_PATIENT == 16, "the cap is spelt out in adverse_events_dropped's "
                                             "description and in docs/hdf5-schema.md");

typedef enum {
#define MND_X_ENUM(name, ...) COL_##name,
    MND_COLUMNS(MND_X_ENUM)
#undef MND_X_ENUM
    COL_COUNT
} column_id;

typedef struct {
    const char *name;
    num_kind kind;
    dim_id axis2;              /* DIM_NONE (patient), or the second axis */
    const char *units;
    const char *const *flags;  /* names of the codes 0..n_flags-1, or NULL */
    int n_flags;
    const char *description;
} column_spec;

static const column_spec column_specs[COL_COUNT] = {
#define MND_X_SPEC(name, kind, axis2, units, flags, n_flags, expr, description) \
    {#name, kind, axis2, units, flags, n_flags, description},
    MND_COLUMNS(MND_X_SPEC)
#undef MND_X_SPEC
};

/* Converts column `c` of the block's n patients into `buf` (n x width
 * elements of the column's C type; width is the length of its second axis,
 * 1 without one). */
static void column_fill(column_id c, const mnd_block *b, int width, void *buf)
{
    switch (c) {
#define MND_X_FILL(name, kind, axis2, units, flags, n_flags, expr, description) \
    case COL_##name: {                                                          \
        MND_CTYPE_##kind *v = buf;                                              \
        for (int64_t i = 0; i < b->n; i++) {                                    \
            const mnd_patient *pt = &b->patients[i];                            \
            for (int r = 0; r < width; r++)                                     \
                v[i * width + r] = (MND_CTYPE_##kind)(expr);                    \
        }                                                                       \
        break;                                                                  \
    }
        MND_COLUMNS(MND_X_FILL)
#undef MND_X_FILL
    case COL_COUNT:
        break;
    }
}

/* The adverse-event table /adverse_events: one row per event, along the
 * extendible dimension `event`, appended block by block in output-row
 * order and, within a patient, in the order drawn.  X(name, kind, units,
 * flag names, number of flags, expression of `e` (const mnd_adverse_event
 * *) and `row` (the patient's output row), description).  The flag names
 * of intervention_index are the run's intervention names, set at open. */
#define MND_AE_COLUMNS(X)                                                                 \
    X(row, K_I64, "1", NULL, 0, row,                                                      \
      "output row of the patient (index along the root dimension patient)")               \
    X(intervention_index, K_I8, "1", NULL, 0, e->intervention,                            \
      "intervention that caused the event (index along the root dimension "               \
      "intervention)")                                                                    \
    X(type, K_I8, "1", mnd_ae_type_names, MND_AE_COUNT, e->type, "kind of adverse event") \
    X(severity, K_I8, "1", mnd_severity_names, MND_SEVERITY_COUNT, e->severity,           \
      "severity of the event (fixed by its type)")                                        \
    X(outcome, K_I8, "1", mnd_ae_outcome_names, MND_OUTCOME_COUNT, e->outcome,            \
      "outcome of the event; a fatal event ends the record there (end_cause "             \
      "adverse_event, t_death = time)")                                                   \
    X(time, K_F64, "month", NULL, 0, e->time, "time of the event, months since onset")

typedef enum {
#define MND_X_ENUM(name, ...) AE_##name,
    MND_AE_COLUMNS(MND_X_ENUM)
#undef MND_X_ENUM
    AE_COUNT
} ae_column_id;

typedef struct {
    const char *name;         /* path, "adverse_events/<column>" */
    num_kind kind;
    const char *units;
    const char *const *flags; /* names of the codes 0..n_flags-1, or NULL */
    int n_flags;
    const char *description;
} ae_column_spec;

static const ae_column_spec ae_column_specs[AE_COUNT] = {
#define MND_X_SPEC(name, kind, units, flags, n_flags, expr, description) \
    {"adverse_events/" #name, kind, units, flags, n_flags, description},
    MND_AE_COLUMNS(MND_X_SPEC)
#undef MND_X_SPEC
};

/* Converts adverse-event column `c` of the block's events into `buf` (one
 * element of the column's C type per event, in table order). */
static void ae_column_fill(ae_column_id c, const mnd_block *b, void *buf)
{
    switch (c) {
#define MND_X_FILL(name, kind, units, flags, n_flags, expr, description) \
    case AE_##name: {                                                    \
        MND_CTYPE_##kind *v = buf;                                       \
        for (int64_t i = 0; i < b->n; i++) {                             \
            const int64_t row = b->first_row + i;                        \
            const mnd_patient *pt = &b->patients[i];                     \
            for (int32_t a = 0; a < pt->n_ae; a++) {                     \
                const mnd_adverse_event *e = &pt->ae[a];                 \
                (void)row;                                               \
                (void)e;                                                 \
                *v++ = (MND_CTYPE_##kind)(expr);                         \
            }                                                            \
        }                                                                \
        break;                                                           \
    }
        MND_AE_COLUMNS(MND_X_FILL)
#undef MND_X_FILL
    case AE_COUNT:
        break;
    }
}

/* Trajectory datasets: (patient, visit) or (patient, visit, item|region). */
typedef enum {
    TR_TIME, TR_ITEMS, TR_TOTAL, TR_FVC, TR_KINGS, TR_MITOS, TR_UMN, TR_LMN, TR_COUNT
} traj_id;

typedef struct {
    const char *name;
    mnd_traj_var store; /* stored when p->store[store] */
    num_kind kind;
    dim_id third;       /* DIM_NONE for 2-D */
    const char *units;
    const char *description;
} traj_spec;

static const traj_spec traj_specs[TR_COUNT] = {
    [TR_TIME] = {"visit_time", MND_TRAJ_TIME, K_F32, DIM_NONE, "month",
                 "time of the visit, months since onset; NaN after the last visit"},
    [TR_ITEMS] = {"alsfrs_items", MND_TRAJ_ITEMS, K_I8, DIM_ITEM, "1",
                  "ALSFRS-R item scores 0-4 (Cedarbaum 1999); -1 after the last visit"},
    [TR_TOTAL] = {"alsfrs_total", MND_TRAJ_TOTAL, K_I8, DIM_NONE, "1",
                  "ALSFRS-R total score 0-48; -1 after the last visit"},
    [TR_FVC] = {"fvc", MND_TRAJ_FVC, K_F32, DIM_NONE, "% predicted",
                "measured forced vital capacity; NaN after the last visit"},
    [TR_KINGS] = {"kings_stage", MND_TRAJ_KINGS, K_I8, DIM_NONE, "1",
                  "King's clinical stage 1-4 (Roche 2012); -1 after the last visit"},
    [TR_MITOS] = {"mitos_stage", MND_TRAJ_MITOS, K_I8, DIM_NONE, "1",
                  "MiToS functional stage 0-4 (Chio 2015); -1 after the last visit"},
    [TR_UMN] = {"umn_fraction", MND_TRAJ_NEURONS, K_F32, DIM_REGION, "1",
                "surviving fraction of the region's upper-motor-neuron pool at the visit; "
                "NaN after the last visit"},
    [TR_LMN] = {"lmn_fraction", MND_TRAJ_NEURONS, K_F32, DIM_REGION, "1",
                "surviving fraction of the region's lower-motor-neuron pool at the visit; "
                "NaN after the last visit"},
};

/* The block's rows of trajectory `t`: [capacity][T][k], patient-major, so
 * the first n patients are contiguous in the dataset's layout. */
static const void *traj_data(const mnd_block *b, traj_id t)
{
    switch (t) {
    case TR_TIME: return b->time;
    case TR_ITEMS: return b->items;
    case TR_TOTAL: return b->total;
    case TR_FVC: return b->fvc;
    case TR_KINGS: return b->kings;
    case TR_MITOS: return b->mitos;
    case TR_UMN: return b->umn;
    case TR_LMN: return b->lmn;
    case TR_COUNT: break;
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------ */

enum { REASON_LEN = 320 };

static herr_t innermost_reason(unsigned n, const H5E_error2_t *e, void *data)
{
    if (n == 0 && e->desc != NULL)
        snprintf(data, REASON_LEN, "%s", e->desc);
    return 0;
}

/* Records MND_ERR_IO with the formatted message followed by the innermost
 * description on HDF5's error stack (where the failure was detected), and
 * clears the stack.  Call it right after the failing HDF5 call. */
static mnd_status h5_fail(mnd_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static mnd_status h5_fail(mnd_error *err, const char *fmt, ...)
{
    char reason[REASON_LEN] = "";
    char what[640];
    va_list ap;

    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_reason, reason);
    H5Eclear2(H5E_DEFAULT);
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (reason[0] == '\0')
        return mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s", what);
    return mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s (HDF5: %s)", what, reason);
}

/* Closes *id with `close` if it is open and marks it closed; returns the
 * close's result (0 when there was nothing to close). */
static herr_t close_id(hid_t *id, herr_t (*close)(hid_t))
{
    herr_t rc = 0;
    if (*id >= 0)
        rc = close(*id);
    *id = H5I_INVALID_HID;
    return rc;
}

/* VL UTF-8 string type (transient; the caller closes it). */
static hid_t vl_string_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

/* ------------------------------------------------------------------------
 * The writer
 * ------------------------------------------------------------------------ */

/* An open dataset; its shape is read back from the file when needed. */
typedef struct {
    hid_t id;          /* H5I_INVALID_HID when not created (store[] false) */
    const char *name;
    num_kind kind;     /* element type; the memory type of writes */
} h5_var;

/* A chunk to encode on the run's threads and store with H5Dwrite_chunk:
 * `have` bytes of whole rows from `src`, padded with fill values to the
 * chunk's `bytes` (an edge chunk). */
typedef struct {
    const h5_var *var;
    hsize_t row0;            /* the chunk's first row */
    const unsigned char *src;
    size_t have, bytes;
} chunk_job;

/* The rows of a per-patient column from `first_row` on, gathered until its
 * chunk is complete (direct chunks): blocks are smaller than a column
 * chunk and need not align with one. */
typedef struct {
    unsigned char *rows;
    int64_t first_row, n;
    int64_t cap;             /* rows the buffer holds */
} column_stage;

/* A text dataset whose strings are written after the collective close
 * (parallel HDF5 cannot write variable-length data, pitfall P-M2). */
typedef struct {
    char *path;              /* from the root */
    char **strings;
    size_t n;
} deferred_text;

struct mnd_output {
    const mnd_team *team;    /* the members writing this file together */
    bool parallel;           /* opened with MPI-IO: collective writes, text deferred */
    hid_t dxpl;              /* transfer: collective when parallel, else default */
    deferred_text *deferred; /* text datasets written by rank 0 after the close */
    size_t n_deferred;
    char *path;              /* final name */
    char *tmp_path;          /* "<path>.tmp.<pid>" */
    bool tmp_exists;         /* we created tmp_path and have not renamed it */
    hid_t file;
    hid_t str_type;          /* VL UTF-8 string */
    int64_t rows, visits;    /* patients x replicates; T */
    int64_t next_row;        /* first row not yet written */
    hsize_t traj_chunk;      /* P: patients per trajectory chunk */
    int deflate_level;       /* 0: no filters */
    bool direct_chunks;      /* trajectory and column chunks encoded here (chunk_deflate.h) */
    int threads;             /* threads that encode them */
    unsigned char *zbuf;     /* per thread: a chunk's scratch, then its encoding */
    size_t zbuf_chunk;       /* the largest chunk zbuf has (or, when NULL, will have) room for */
    chunk_job *jobs;         /* the chunks of the block being written */
    size_t n_jobs, jobs_cap;
    column_stage stage[COL_COUNT]; /* direct chunks: the rows of each column's open chunk */
    int n_interventions;     /* 0: no intervention axis, exposure or event table */
    hsize_t dim_len[DIM_COUNT]; /* dim_len[DIM_EVENT]: adverse events written so far */
    h5_var scale[DIM_COUNT];
    h5_var col[COL_COUNT];
    h5_var traj[TR_COUNT];
    h5_var ae[AE_COUNT];     /* the /adverse_events columns */
    void *buf;               /* column conversion buffer */
    size_t buf_bytes;
    mnd_params params;       /* the run's parameters (studies are written at commit) */
    bool store_study_patients; /* !output.summary_only */
    double *study_metrics[MND_MAX_STUDIES];         /* [n_replicates][MND_M_COUNT] */
    mnd_study_patient *study_patients[MND_MAX_STUDIES]; /* [n_replicates][per], or NULL */
    int64_t study_per[MND_MAX_STUDIES];             /* patient records per replicate */
};

/* Writes attribute `name` on `obj` (called `obj_name` in messages): n
 * elements of mem_type stored as file_type; n == 1 makes a scalar. */
static mnd_status attr_write(const mnd_output *o, hid_t obj, const char *obj_name,
                             const char *name, hid_t file_type, hid_t mem_type, hsize_t n,
                             const void *values, mnd_error *err)
{
    mnd_status st = MND_OK;
    hid_t space = n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL);
    hid_t attr = H5I_INVALID_HID;

    if (space < 0) {
        st = h5_fail(err, "%s: %s: cannot create the dataspace of attribute '%s'", o->path,
                     obj_name, name);
        goto cleanup;
    }
    attr = H5Acreate2(obj, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (attr < 0 || H5Awrite(attr, mem_type, values) < 0) {
        st = h5_fail(err, "%s: %s: cannot write attribute '%s'", o->path, obj_name, name);
        goto cleanup;
    }
    if (close_id(&attr, H5Aclose) < 0)
        st = h5_fail(err, "%s: %s: cannot close attribute '%s'", o->path, obj_name, name);

cleanup:
    close_id(&attr, H5Aclose);
    close_id(&space, H5Sclose);
    return st;
}

static mnd_status attr_text(const mnd_output *o, hid_t obj, const char *obj_name,
                            const char *name, const char *value, mnd_error *err)
{
    const char *v = value != NULL ? value : "";
    return attr_write(o, obj, obj_name, name, o->str_type, o->str_type, 1, &v, err);
}

/* Space-separated names, the CF form of flag_meanings; only those with
 * selected[i] when `selected` is not NULL. */
static void join_names(char *out, size_t size, const char *const *names, int n,
                       const bool *selected)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n && used < size; i++)
        if (selected == NULL || selected[i])
            used += (size_t)snprintf(out + used, size - used, "%s%s", used ? " " : "",
                                     names[i]);
    assert(used < size);
}

/* CF flag_values 0..n-1 (in the dataset's own type) and flag_meanings. */
static mnd_status attr_flags(const mnd_output *o, hid_t obj, const char *obj_name,
                             num_kind kind, const char *const *names, int n,
                             mnd_error *err)
{
    int values[16];
    char meanings[512];
    mnd_status st;

    assert(n > 0 && n <= 16);
    for (int i = 0; i < n; i++)
        values[i] = i;
    join_names(meanings, sizeof meanings, names, n, NULL);
    st = attr_write(o, obj, obj_name, "flag_values", kind_file_type(kind), H5T_NATIVE_INT,
                    (hsize_t)n, values, err);
    if (st == MND_OK)
        st = attr_text(o, obj, obj_name, "flag_meanings", meanings, err);
    return st;
}

/* What create_var needs to know about one dataset. */
typedef struct {
    const char *name;         /* path from the root */
    num_kind kind;
    bool text;                /* VL UTF-8 strings instead of `kind` (no fill) */
    bool scale;               /* a coordinate: made a scale by the caller, so
                                 no scale is attached to it */
    int rank;
    dim_id axes[3];           /* an axis along DIM_EVENT is extendible */
    hsize_t chunk0;           /* rows per chunk along axis 0 (clipped to the rows
                                 unless extendible); 0: contiguous, no filters */
    const char *units;
    const char *description;
    bool fill;                /* _FillValue: -1 for integers, NaN for floats */
    const char *const *flags; /* CF flag names of codes 0..n_flags-1, or NULL */
    int n_flags;
} var_def;

/* Creates dataset d->name with its attributes into *v and attaches the
 * dimension scales to every axis (except for the scales themselves). */
static mnd_status create_var(mnd_output *o, const var_def *d, h5_var *v, mnd_error *err)
{
    mnd_status st = MND_OK;
    hid_t space = H5I_INVALID_HID, dcpl = H5I_INVALID_HID;
    hsize_t dims[3], maxdims[3], chunk[3];
    char obj_name[96];
    const double nan_fill = NAN;
    const int int_fill = -1;
    const hid_t fill_type = kind_is_float(d->kind) ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT;
    const void *fill = kind_is_float(d->kind) ? (const void *)&nan_fill : (const void *)&int_fill;
    const hid_t file_type = d->text ? o->str_type : kind_file_type(d->kind);

    assert(!(d->text && d->fill));
    snprintf(obj_name, sizeof obj_name, "dataset '%s'", d->name);
    v->name = d->name;
    v->kind = d->kind;
    for (int i = 0; i < 3; i++) {
        dims[i] = i < d->rank ? o->dim_len[d->axes[i]] : 1;
        maxdims[i] = i < d->rank && d->axes[i] == DIM_EVENT ? H5S_UNLIMITED : dims[i];
        chunk[i] = dims[i];
    }
    if (d->chunk0 > 0 && (d->chunk0 < chunk[0] || maxdims[0] == H5S_UNLIMITED))
        chunk[0] = d->chunk0;

    space = H5Screate_simple(d->rank, dims, maxdims);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (space < 0 || dcpl < 0 ||
        H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
        st = h5_fail(err, "%s: dataset '%s': cannot prepare it", o->path, d->name);
        goto cleanup;
    }
    if (d->chunk0 > 0) {
        herr_t rc = H5Pset_chunk(dcpl, d->rank, chunk);
        if (rc >= 0)
            rc = H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER);
        if (rc >= 0 && o->deflate_level > 0)
            rc = H5Pset_shuffle(dcpl);
        if (rc >= 0 && o->deflate_level > 0)
            rc = H5Pset_deflate(dcpl, (unsigned)o->deflate_level);
        if (rc < 0) {
            st = h5_fail(err, "%s: dataset '%s': cannot set chunking and compression",
                         o->path, d->name);
            goto cleanup;
        }
    }
    if (d->fill && H5Pset_fill_value(dcpl, fill_type, fill) < 0) {
        st = h5_fail(err, "%s: dataset '%s': cannot set the fill value", o->path, d->name);
        goto cleanup;
    }
    v->id = H5Dcreate2(o->file, d->name, file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (v->id < 0) {
        st = h5_fail(err, "%s: cannot create dataset '%s'", o->path, d->name);
        goto cleanup;
    }

    if ((st = attr_text(o, v->id, obj_name, "units", d->units, err)) != MND_OK ||
        (st = attr_text(o, v->id, obj_name, "long_name", d->description, err)) != MND_OK ||
        (st = attr_text(o, v->id, obj_name, "description", d->description, err)) != MND_OK)
        goto cleanup;
    if (d->fill && (st = attr_write(o, v->id, obj_name, "_FillValue", kind_file_type(d->kind),
                                    fill_type, 1, fill, err)) != MND_OK)
        goto cleanup;
    if (d->flags != NULL &&
        (st = attr_flags(o, v->id, obj_name, d->kind, d->flags, d->n_flags, err)) != MND_OK)
        goto cleanup;
    if (!d->scale) {
        for (int i = 0; i < d->rank; i++) {
            if (H5DSattach_scale(v->id, o->scale[d->axes[i]].id, (unsigned)i) < 0) {
                st = h5_fail(err, "%s: dataset '%s': cannot attach dimension scale '%s'",
                             o->path, d->name, dim_names[d->axes[i]]);
                goto cleanup;
            }
        }
    }

cleanup:
    close_id(&dcpl, H5Pclose);
    close_id(&space, H5Sclose);
    return st;
}

/* Selects rows [row0, row0 + n) along axis 0 of `ds` in *fspace and makes
 * the matching memory space *mspace; n = 0 selects nothing in either (a
 * member without rows still takes part in a collective write, P-M1).
 * Returns < 0 on failure; the caller closes whichever space is open. */
static herr_t select_rows(hid_t ds, hsize_t row0, hsize_t n, hid_t *fspace, hid_t *mspace)
{
    hsize_t dims[3], start[3] = {row0, 0, 0};
    int rank;

    *mspace = H5I_INVALID_HID;
    *fspace = H5Dget_space(ds);
    if (*fspace < 0)
        return -1;
    rank = H5Sget_simple_extent_ndims(*fspace);
    if (rank < 1 || rank > 3 || H5Sget_simple_extent_dims(*fspace, dims, NULL) < 0)
        return -1;
    if (n == 0) {
        const hsize_t one = 1;
        *mspace = H5Screate_simple(1, &one, NULL);
        return *mspace < 0 || H5Sselect_none(*mspace) < 0 || H5Sselect_none(*fspace) < 0 ? -1
                                                                                        : 0;
    }
    dims[0] = n;
    if (H5Sselect_hyperslab(*fspace, H5S_SELECT_SET, start, NULL, dims, NULL) < 0)
        return -1;
    *mspace = H5Screate_simple(rank, dims, NULL);
    return *mspace < 0 ? -1 : 0;
}

/* Writes rows [row0, row0 + n) of variable v from buf (n x the other
 * extents, in the variable's memory type).  Collective when the file is
 * parallel: every member calls it, each with its own rows (n = 0 for
 * none). */
static mnd_status write_rows(const mnd_output *o, const h5_var *v, int64_t row0, int64_t n,
                             const void *buf, mnd_error *err)
{
    mnd_status st = MND_OK;
    hid_t fspace = H5I_INVALID_HID, mspace = H5I_INVALID_HID;
    static const char nothing = 0; /* a valid buffer for an empty selection */

    if (select_rows(v->id, (hsize_t)row0, (hsize_t)n, &fspace, &mspace) < 0 ||
        H5Dwrite(v->id, kind_mem_type(v->kind), mspace, fspace, o->dxpl,
                 n > 0 ? buf : &nothing) < 0)
        st = h5_fail(err, "%s: dataset '%s': cannot write rows %lld to %lld", o->path,
                     v->name, (long long)row0, (long long)(row0 + n - 1));
    close_id(&mspace, H5Sclose);
    close_id(&fspace, H5Sclose);
    return st;
}

/* Writes rows [0, n) of variable v whose content every member holds:
 * rank 0 writes them, the others take part with nothing. */
static mnd_status write_rows_shared(const mnd_output *o, const h5_var *v, int64_t n,
                                    const void *buf, mnd_error *err)
{
    return write_rows(o, v, 0, mnd_team_rank(o->team) == 0 ? n : 0, buf, err);
}

/* Writes the whole of text dataset `ds` (at `path`, n VL strings): now in
 * a serial file; in a parallel one recorded and written by rank 0 after
 * the collective close (mnd_output_commit). */
static mnd_status write_text(mnd_output *o, hid_t ds, const char *path, const char *const *strings,
                             size_t n, mnd_error *err)
{
    if (!o->parallel) {
        if (H5Dwrite(ds, o->str_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, strings) < 0)
            return h5_fail(err, "%s: cannot write dataset '%s'", o->path, path);
        return MND_OK;
    }
    deferred_text *grown = realloc(o->deferred, (o->n_deferred + 1) * sizeof *grown);
    if (grown == NULL)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", o->path);
    o->deferred = grown;
    deferred_text *d = &o->deferred[o->n_deferred++];
    d->n = 0;
    d->path = strdup(path);
    d->strings = calloc(n ? n : 1, sizeof *d->strings);
    if (d->path == NULL || d->strings == NULL)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", o->path);
    for (; d->n < n; d->n++)
        if ((d->strings[d->n] = strdup(strings[d->n] ? strings[d->n] : "")) == NULL)
            return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", o->path);
    return MND_OK;
}

/* Root attributes: what ran, with which inputs, built from what; in the
 * order of the schema page's table. */
static mnd_status write_provenance(mnd_output *o, const mnd_params *p,
                                   const mnd_provenance *prov, mnd_error *err)
{
    char created[32] = "", hdf5_version[32], seed_hex[32];
    unsigned maj = 0, min = 0, rel = 0;
    time_t now = time(NULL);
    struct tm utc;
    mnd_status st;

    if (gmtime_r(&now, &utc) != NULL)
        strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
    /* attributes must be written with the same value by every member */
    if ((st = mnd_team_broadcast(o->team, created, sizeof created, 0, err)) != MND_OK)
        return st;
    assert(p->visit_origin >= 0 && p->visit_origin < MND_ORIGIN_COUNT);
    H5get_libversion(&maj, &min, &rel);
    snprintf(hdf5_version, sizeof hdf5_version, "%u.%u.%u", maj, min, rel);
    snprintf(seed_hex, sizeof seed_hex, "0x%016llx", (unsigned long long)p->seed);

    const int8_t dirty = prov->git_dirty != 0;
    const uint64_t seed = p->seed;
    const int32_t threads = prov->threads, ranks = mnd_team_size(o->team);
    const int64_t n_patients = p->n_patients, n_replicates = p->n_replicates;
    const int64_t max_visits = o->visits;
    /* value NULL: a text attribute (`text`, NULL written as ""); otherwise
     * a scalar number stored as file_type. */
    const struct {
        const char *name;
        const char *text;
        hid_t file_type, mem_type;
        const void *value;
    } attrs[] = {
        {"title", "mndsim natural-history run", 0, 0, NULL},
        {"engine_name", "mndsim", 0, 0, NULL},
        {"engine_version", prov->engine_version, 0, 0, NULL},
        {"git_commit", prov->git_commit, 0, 0, NULL},
        {"git_dirty", NULL, H5T_STD_I8LE, H5T_NATIVE_INT8, &dirty},
        {"command_line", prov->command_line, 0, 0, NULL},
        {"config_path", prov->config_path, 0, 0, NULL},
        {"overrides", prov->overrides, 0, 0, NULL},
        {"created_utc", created, 0, 0, NULL},
        {"hdf5_version", hdf5_version, 0, 0, NULL},
        {"gsl_version", GSL_VERSION, 0, 0, NULL},
        {"libc_version", gnu_get_libc_version(), 0, 0, NULL},
#if defined(__clang__)
        {"compiler", "clang " __clang_version__, 0, 0, NULL},
#elif defined(__GNUC__)
        {"compiler", "gcc " __VERSION__, 0, 0, NULL},
#endif
        {"rng_algorithm", "xoshiro256++ seeded by SplitMix64 of (seed, purpose, replicate, "
                          "patient, attempt)", 0, 0, NULL},
        {"master_seed", NULL, H5T_STD_U64LE, H5T_NATIVE_UINT64, &seed},
        {"master_seed_hex", seed_hex, 0, 0, NULL},
        {"visit_origin", mnd_origin_names[p->visit_origin], 0, 0, NULL},
        {"n_patients", NULL, H5T_STD_I64LE, H5T_NATIVE_INT64, &n_patients},
        {"n_replicates", NULL, H5T_STD_I64LE, H5T_NATIVE_INT64, &n_replicates},
        {"n_threads", NULL, H5T_STD_I32LE, H5T_NATIVE_INT32, &threads},
        {"n_ranks", NULL, H5T_STD_I32LE, H5T_NATIVE_INT32, &ranks},
        {"max_visits", NULL, H5T_STD_I64LE, H5T_NATIVE_INT64, &max_visits},
        {"visit_interval_months", NULL, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
         &p->visit_interval_months},
        {"follow_up_months", NULL, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &p->follow_up_months},
    };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        if (attrs[i].value == NULL)
            st = attr_text(o, o->file, "root group", attrs[i].name, attrs[i].text, err);
        else
            st = attr_write(o, o->file, "root group", attrs[i].name, attrs[i].file_type,
                            attrs[i].mem_type, 1, attrs[i].value, err);
        if (st != MND_OK)
            return st;
    }
    return MND_OK;
}

/* /config_text: the resolved configuration as a scalar VL string. */
static mnd_status write_config_text(mnd_output *o, const char *text, mnd_error *err)
{
    mnd_status st = MND_OK;
    hid_t space = H5Screate(H5S_SCALAR), ds = H5I_INVALID_HID;
    const char *value = text != NULL ? text : "";

    if (space >= 0)
        ds = H5Dcreate2(o->file, "config_text", o->str_type, space, H5P_DEFAULT, H5P_DEFAULT,
                        H5P_DEFAULT);
    if (ds < 0) {
        st = h5_fail(err, "%s: cannot write dataset 'config_text'", o->path);
        goto cleanup;
    }
    if ((st = write_text(o, ds, "config_text", &value, 1, err)) != MND_OK)
        goto cleanup;
    if ((st = attr_text(o, ds, "dataset 'config_text'", "units", "1", err)) != MND_OK ||
        (st = attr_text(o, ds, "dataset 'config_text'", "long_name",
                        "resolved configuration: every key with its final value", err)) !=
            MND_OK ||
        (st = attr_text(o, ds, "dataset 'config_text'", "description",
                        "resolved configuration: every key with its final value", err)) !=
            MND_OK)
        goto cleanup;
    if (close_id(&ds, H5Dclose) < 0)
        st = h5_fail(err, "%s: cannot close dataset 'config_text'", o->path);

cleanup:
    close_id(&ds, H5Dclose);
    close_id(&space, H5Sclose);
    return st;
}

/* Makes the coordinate dataset of dimension d (created in o->scale[d]) a
 * dimension scale named after d, before anything is attached to it. */
static mnd_status make_scale(mnd_output *o, dim_id d, mnd_error *err)
{
    const int32_t dimid = d;
    if (H5DSset_scale(o->scale[d].id, dim_names[d]) < 0)
        return h5_fail(err, "%s: dataset '%s': cannot make it a dimension scale", o->path,
                       dim_paths[d]);
    /* netCDF-C numbers dimensions by this attribute when present. */
    return attr_write(o, o->scale[d].id, "dimension scale", "_Netcdf4Dimid", H5T_STD_I32LE,
                      H5T_NATIVE_INT32, 1, &dimid, err);
}

/* Rows per chunk of a per-patient column `width` elements wide: never
 * more than the rows of the file (create_var makes a smaller dataset one
 * chunk). */
static hsize_t column_chunk_rows(const mnd_output *o, int width)
{
    int64_t rows = o->parallel ? mnd_sim_block_capacity(&o->params) : COLUMN_CHUNK_ELEMENTS / width;
    return (hsize_t)(rows < o->rows ? rows : o->rows);
}

static const char *const dim_descriptions[DIM_COUNT] = {
    "output row, 0-based; replicate and patient_id identify the patient",
    "visit number from the visit origin",
    "ALSFRS-R item number 1-12, in the scale's order (names in item_names)",
    "body region, rostral to caudal",
    "intervention, in config order: the names of the entries of `interventions`; their "
    "parameters are the attributes of /interventions/<name>",
    "adverse event, 0-based, in output-row order",
};

/* The root coordinate datasets: patient, visit, item, region and, with
 * interventions, intervention (its names).  `patient` is written block by
 * block; the small ones now. */
static mnd_status create_scales(mnd_output *o, const mnd_params *p, mnd_error *err)
{
    mnd_status st = MND_OK;
    _Static_assert((int)MND_ITEM_COUNT >= (int)MND_REGION_COUNT, "values[] holds both");
    int32_t values[MND_ITEM_COUNT];
    int32_t *visits = NULL;
    const char *iv_names[MND_MAX_INTERVENTIONS];
    char names[512];

    for (int d = 0; d < DIM_INTERVENTION + (o->n_interventions > 0); d++) {
        const var_def def = {
            .name = dim_paths[d],
            .kind = d == DIM_PATIENT ? K_I64 : K_I32,
            .text = d == DIM_INTERVENTION,
            .scale = true,
            .rank = 1,
            .axes = {(dim_id)d},
            .chunk0 = d == DIM_PATIENT ? column_chunk_rows(o, 1) : 0,
            .units = "1",
            .description = dim_descriptions[d],
            .flags = d == DIM_REGION ? mnd_region_names : NULL,
            .n_flags = d == DIM_REGION ? MND_REGION_COUNT : 0,
        };
        if ((st = create_var(o, &def, &o->scale[d], err)) != MND_OK ||
            (st = make_scale(o, (dim_id)d, err)) != MND_OK)
            goto cleanup;
    }

    visits = malloc((size_t)o->visits * sizeof *visits);
    if (visits == NULL) {
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory for %lld visits",
                           o->path, (long long)o->visits);
        goto cleanup;
    }
    for (int64_t t = 0; t < o->visits; t++)
        visits[t] = (int32_t)t;
    if ((st = write_rows_shared(o, &o->scale[DIM_VISIT], o->visits, visits, err)) != MND_OK)
        goto cleanup;
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        values[i] = i + 1;
    if ((st = write_rows_shared(o, &o->scale[DIM_ITEM], MND_ITEM_COUNT, values, err)) != MND_OK)
        goto cleanup;
    join_names(names, sizeof names, mnd_item_names, MND_ITEM_COUNT, NULL);
    if ((st = attr_text(o, o->scale[DIM_ITEM].id, "dataset 'item'", "item_names", names, err)) !=
        MND_OK)
        goto cleanup;
    for (int i = 0; i < MND_REGION_COUNT; i++)
        values[i] = i;
    if ((st = write_rows_shared(o, &o->scale[DIM_REGION], MND_REGION_COUNT, values, err))
        != MND_OK)
        goto cleanup;
    if (o->n_interventions > 0) {
        for (int i = 0; i < o->n_interventions; i++)
            iv_names[i] = p->interventions[i].name;
        st = write_text(o, o->scale[DIM_INTERVENTION].id, "intervention", iv_names,
                        (size_t)o->n_interventions, err);
    }

cleanup:
    free(visits);
    return st;
}

/* Length of the second axis of column c (1 without one). */
static int column_width(const mnd_output *o, column_id c)
{
    const dim_id axis2 = column_specs[c].axis2;
    return axis2 == DIM_NONE ? 1 : (int)o->dim_len[axis2];
}

/* Whether column c describes the interventions: the last part of the
 * table, from exposure_status on. */
static bool column_of_interventions(column_id c) { return c >= COL_exposure_status; }

/* The per-patient columns; those of the interventions only when the run
 * has interventions. */
static mnd_status create_columns(mnd_output *o, mnd_error *err)
{
    for (int c = 0; c < COL_COUNT; c++) {
        const column_spec *s = &column_specs[c];
        if (column_of_interventions((column_id)c) && o->n_interventions == 0)
            continue;
        const int width = column_width(o, (column_id)c);
        const var_def def = {
            .name = s->name,
            .kind = s->kind,
            .rank = s->axis2 == DIM_NONE ? 1 : 2,
            .axes = {DIM_PATIENT, s->axis2},
            .chunk0 = column_chunk_rows(o, width),
            .units = s->units,
            .description = s->description,
            .fill = kind_is_float(s->kind),
            .flags = s->flags,
            .n_flags = s->n_flags,
        };
        mnd_status st = create_var(o, &def, &o->col[c], err);
        if (st != MND_OK)
            return st;
    }
    return MND_OK;
}

static mnd_status create_trajectories(mnd_output *o, const mnd_params *p, mnd_error *err)
{
    for (int t = 0; t < TR_COUNT; t++) {
        const traj_spec *s = &traj_specs[t];
        if (!p->store[s->store])
            continue;
        const var_def def = {
            .name = s->name,
            .kind = s->kind,
            .rank = s->third == DIM_NONE ? 2 : 3,
            .axes = {DIM_PATIENT, DIM_VISIT, s->third},
            .chunk0 = o->traj_chunk,
            .units = s->units,
            .description = s->description,
            .fill = true,
        };
        mnd_status st = create_var(o, &def, &o->traj[t], err);
        if (st != MND_OK)
            return st;
    }
    return MND_OK;
}

/* Creates group `name` (a path from the root) with link and attribute
 * creation order tracked, like the root group, so that h5py, h5netcdf and
 * ncdump list its members in the order they were made.  The caller closes
 * *group. */
static mnd_status create_group(mnd_output *o, hid_t loc, const char *name, const char *what,
                               hid_t *group, mnd_error *err)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);

    *group = H5I_INVALID_HID;
    if (gcpl >= 0 &&
        H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) >= 0 &&
        H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) >= 0)
        *group = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    close_id(&gcpl, H5Pclose);
    if (*group < 0)
        return h5_fail(err, "%s: cannot create %s", o->path, what);
    return MND_OK;
}

/* /adverse_events: the coordinate `event` and the columns, all of length
 * 0, extended by each block. */
static mnd_status create_adverse_events(mnd_output *o, const mnd_params *p, mnd_error *err)
{
    mnd_status st;
    hid_t group = H5I_INVALID_HID;
    const char *iv_names[MND_MAX_INTERVENTIONS];

    for (int i = 0; i < o->n_interventions; i++)
        iv_names[i] = p->interventions[i].name;
    if ((st = create_group(o, o->file, "adverse_events", "group 'adverse_events'", &group,
                           err)) != MND_OK ||
        (st = attr_text(o, group, "group 'adverse_events'", "description",
                        "adverse events of the interventions: one row per event along the "
                        "dimension event, in output-row order and, within a patient, in the "
                        "order drawn",
                        err)) != MND_OK)
        goto cleanup;
    if (close_id(&group, H5Gclose) < 0) {
        st = h5_fail(err, "%s: cannot close group 'adverse_events'", o->path);
        goto cleanup;
    }

    const var_def scale = {
        .name = dim_paths[DIM_EVENT],
        .kind = K_I64,
        .scale = true,
        .rank = 1,
        .axes = {DIM_EVENT},
        .chunk0 = EVENT_CHUNK_ROWS,
        .units = "1",
        .description = dim_descriptions[DIM_EVENT],
    };
    if ((st = create_var(o, &scale, &o->scale[DIM_EVENT], err)) != MND_OK ||
        (st = make_scale(o, DIM_EVENT, err)) != MND_OK)
        goto cleanup;
    for (int c = 0; c < AE_COUNT; c++) {
        const ae_column_spec *s = &ae_column_specs[c];
        const bool by_intervention = c == AE_intervention_index;
        const var_def def = {
            .name = s->name,
            .kind = s->kind,
            .rank = 1,
            .axes = {DIM_EVENT},
            .chunk0 = EVENT_CHUNK_ROWS,
            .units = s->units,
            .description = s->description,
            .fill = kind_is_float(s->kind),
            .flags = by_intervention ? iv_names : s->flags,
            .n_flags = by_intervention ? o->n_interventions : s->n_flags,
        };
        if ((st = create_var(o, &def, &o->ae[c], err)) != MND_OK)
            goto cleanup;
    }

cleanup:
    close_id(&group, H5Gclose);
    return st;
}

/* Writes the value of option `opt` found in `base` (the struct its offset
 * is into) as attribute `name` of `obj`: integers as int64, seeds as
 * uint64, reals as float64, booleans as int8 0/1, enumerations and name
 * sets as text (the set's names space-separated, "" for none), arrays as
 * float64 arrays with their element labels in attribute "<name>.labels". */
static mnd_status attr_option(const mnd_output *o, hid_t obj, const char *obj_name,
                              const char *name, const mnd_option *opt, const void *base,
                              mnd_error *err)
{
    const void *field = (const char *)base + opt->offset;
    char text[512], labels_name[160];

    switch (opt->type) {
    case MND_OPT_INT:
        assert(opt->size == sizeof(int64_t));
        return attr_write(o, obj, obj_name, name, H5T_STD_I64LE, H5T_NATIVE_INT64, 1, field,
                          err);
    case MND_OPT_SEED:
        assert(opt->size == sizeof(uint64_t));
        return attr_write(o, obj, obj_name, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, field,
                          err);
    case MND_OPT_REAL:
        assert(opt->size == sizeof(double));
        return attr_write(o, obj, obj_name, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, field,
                          err);
    case MND_OPT_BOOL: {
        assert(opt->size == sizeof(bool));
        const int8_t flag = *(const bool *)field;
        return attr_write(o, obj, obj_name, name, H5T_STD_I8LE, H5T_NATIVE_INT8, 1, &flag, err);
    }
    case MND_OPT_ENUM: {
        int value;
        assert(opt->size == sizeof value);
        memcpy(&value, field, sizeof value);
        if (value < 0 || (size_t)value >= opt->n_names)
            return mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0,
                                 "%s: %s: attribute '%s': code %d has no name", o->path,
                                 obj_name, name, value);
        return attr_text(o, obj, obj_name, name, opt->names[value], err);
    }
    case MND_OPT_REALS: {
        mnd_status st = attr_write(o, obj, obj_name, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                   opt->size / sizeof(double), field, err);
        if (st != MND_OK || opt->names == NULL)
            return st;
        assert(opt->n_names == opt->size / sizeof(double));
        join_names(text, sizeof text, opt->names, (int)opt->n_names, NULL);
        snprintf(labels_name, sizeof labels_name, "%s.labels", name);
        return attr_text(o, obj, obj_name, labels_name, text, err);
    }
    case MND_OPT_NAMESET:
        assert(opt->size == opt->n_names * sizeof(bool));
        join_names(text, sizeof text, opt->names, (int)opt->n_names, field);
        return attr_text(o, obj, obj_name, name, text, err);
    case MND_OPT_NAME: return attr_text(o, obj, obj_name, name, field, err);
    }
    return mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0, "%s: %s: attribute '%s': unknown type",
                         o->path, obj_name, name);
}

/* /interventions: the shared delivery and adverse_events tables as its
 * attributes (named by their config keys), and one subgroup per
 * intervention, in config order, whose attributes are every key of the
 * entry.  Both come from the option tables (src/config_table.c), so a new
 * key appears here without a change to this file. */
static mnd_status write_interventions(mnd_output *o, const mnd_params *p, mnd_error *err)
{
    static const char *const shared[] = {"delivery.", "adverse_events."};
    mnd_status st;
    hid_t top = H5I_INVALID_HID, group = H5I_INVALID_HID;
    char what[96];

    if ((st = create_group(o, o->file, "interventions", "group 'interventions'", &top, err)) !=
            MND_OK ||
        (st = attr_text(o, top, "group 'interventions'", "description",
                        "parameters of the interventions: the shared delivery and "
                        "adverse_events tables here, each intervention's keys in "
                        "/interventions/<name>",
                        err)) != MND_OK)
        goto cleanup;
    for (size_t s = 0; s < sizeof shared / sizeof shared[0]; s++) {
        for (size_t k = 0; k < mnd_option_count; k++) {
            const mnd_option *opt = &mnd_options[k];
            if (strncmp(opt->path, shared[s], strlen(shared[s])) == 0 &&
                (st = attr_option(o, top, "group 'interventions'", opt->path, opt, p, err)) !=
                    MND_OK)
                goto cleanup;
        }
    }
    for (int i = 0; i < o->n_interventions; i++) {
        const mnd_intervention *iv = &p->interventions[i];
        snprintf(what, sizeof what, "group 'interventions/%s'", iv->name);
        if ((st = create_group(o, top, iv->name, what, &group, err)) != MND_OK)
            goto cleanup;
        for (size_t k = 0; k < mnd_intervention_option_count; k++) {
            const mnd_option *opt = &mnd_intervention_options[k];
            if ((st = attr_option(o, group, what, opt->path, opt, iv, err)) != MND_OK)
                goto cleanup;
        }
        if (close_id(&group, H5Gclose) < 0) {
            st = h5_fail(err, "%s: cannot close %s", o->path, what);
            goto cleanup;
        }
    }
    if (close_id(&top, H5Gclose) < 0)
        st = h5_fail(err, "%s: cannot close group 'interventions'", o->path);

cleanup:
    close_id(&group, H5Gclose);
    close_id(&top, H5Gclose);
    return st;
}

/* Malloc'd folder part of `path` ("." when it has none). */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    size_t n = (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (dir != NULL) {
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    return dir;
}

mnd_status mnd_output_open(mnd_output **out, const char *path, const mnd_params *p,
                           const mnd_provenance *prov, mnd_error *err)
{
    return mnd_output_open_team(out, path, p, prov, mnd_team_solo(), err);
}

/* The destination check of mnd_output_open: `path` is not a folder, and
 * its folder `dir` exists and is writable. */
static mnd_status check_destination(const char *path, const char *dir, mnd_error *err)
{
    struct stat sb;
    int dir_errno;
    /* A folder under the final name would otherwise be found only by the
     * rename at commit, after the whole run, and HDF5's own message for a
     * missing or read-only folder is long and indirect. */
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return mnd_error_set(err, MND_ERR_IO, NULL, 0,
                             "%s: cannot write the result over a folder: %s", path,
                             strerror(EISDIR));
    if (stat(dir, &sb) != 0)
        dir_errno = errno;
    else if (!S_ISDIR(sb.st_mode))
        dir_errno = ENOTDIR;
    else if (access(dir, W_OK | X_OK) != 0)
        dir_errno = errno;
    else
        dir_errno = 0;
    if (dir_errno != 0)
        return mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s: cannot write into folder '%s': %s",
                             path, dir, strerror(dir_errno));
    return MND_OK;
}

mnd_status mnd_output_check_destination(const char *path, mnd_error *err)
{
    char *dir = folder_of(path);
    if (dir == NULL)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", path);
    mnd_status st = check_destination(path, dir, err);
    free(dir);
    return st;
}

mnd_status mnd_output_open_team(mnd_output **out, const char *path, const mnd_params *p,
                                const mnd_provenance *prov, const mnd_team *team,
                                mnd_error *err)
{
    mnd_status st = MND_OK;
    mnd_output *o = NULL;
    hid_t fcpl = H5I_INVALID_HID, fapl = H5I_INVALID_HID;
    char *dir = NULL;
    long pid = (long)getpid();

    assert(out != NULL && path != NULL && p != NULL && prov != NULL && team != NULL);
    *out = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    const int64_t visits = mnd_params_max_visits(p);
    if (p->n_patients < 1 || p->n_replicates < 1 || p->n_patients > INT64_MAX / p->n_replicates ||
        visits < 1 || visits > INT32_MAX || p->chunk_patients < 1 || p->deflate_level < 0 ||
        p->deflate_level > 9 || p->n_interventions < 0 ||
        p->n_interventions > MND_MAX_INTERVENTIONS)
        return mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0,
                             "%s: invalid output parameters (patients %lld x replicates %lld, "
                             "visits %lld, chunk %lld, deflate %lld, interventions %lld)",
                             path, (long long)p->n_patients, (long long)p->n_replicates,
                             (long long)visits, (long long)p->chunk_patients,
                             (long long)p->deflate_level, (long long)p->n_interventions);
    /* The names become HDF5 link names: the config loader allows only
     * letters, digits, '_' and '-', so this is a programmer error. */
    for (int64_t i = 0; i < p->n_interventions; i++) {
        const char *name = p->interventions[i].name;
        if (memchr(name, '\0', MND_INTERVENTION_NAME_MAX) == NULL || name[0] == '\0' ||
            strchr(name, '/') != NULL || strcmp(name, ".") == 0)
            return mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0,
                                 "%s: intervention %lld has no valid name", path, (long long)i);
    }

    o = calloc(1, sizeof *o);
    if (o == NULL)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", path);
    o->file = o->str_type = o->dxpl = H5I_INVALID_HID;
    o->team = team;
    o->parallel = mnd_team_is_mpi(team);
    for (int d = 0; d < DIM_COUNT; d++)
        o->scale[d].id = H5I_INVALID_HID;
    for (int c = 0; c < COL_COUNT; c++)
        o->col[c].id = H5I_INVALID_HID;
    for (int t = 0; t < TR_COUNT; t++)
        o->traj[t].id = H5I_INVALID_HID;
    for (int c = 0; c < AE_COUNT; c++)
        o->ae[c].id = H5I_INVALID_HID;
    o->rows = p->n_patients * p->n_replicates;
    o->visits = visits;
    o->traj_chunk = (hsize_t)(p->chunk_patients < o->rows ? p->chunk_patients : o->rows);
    o->deflate_level = (int)p->deflate_level;
    o->direct_chunks = p->thread_compression && !o->parallel && o->deflate_level > 0;
    o->threads = 1;
    o->dim_len[DIM_PATIENT] = (hsize_t)o->rows;
    o->dim_len[DIM_VISIT] = (hsize_t)visits;
    o->dim_len[DIM_ITEM] = MND_ITEM_COUNT;
    o->dim_len[DIM_REGION] = MND_REGION_COUNT;
    o->n_interventions = (int)p->n_interventions;
    o->dim_len[DIM_INTERVENTION] = (hsize_t)p->n_interventions;
    o->dim_len[DIM_EVENT] = 0;
    o->params = *p;
    o->store_study_patients = !p->summary_only;
    for (int k = 0; k < (int)p->n_studies; k++) {
        const mnd_study *sd = &p->studies[k];
        o->study_per[k] = (sd->design == MND_DESIGN_HISTORICAL ? 2 : 1) * sd->n_patients;
        if (!sd->enabled)
            continue;
        o->study_metrics[k] = malloc((size_t)p->n_replicates * MND_M_COUNT * sizeof(double));
        if (o->store_study_patients)
            o->study_patients[k] = malloc((size_t)(p->n_replicates * o->study_per[k])
                                          * sizeof(mnd_study_patient));
        if (!o->study_metrics[k] || (o->store_study_patients && !o->study_patients[k])) {
            st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0,
                               "%s: out of memory for study %s (set output.summary_only)", path,
                               sd->name);
            goto cleanup;
        }
    }

    size_t tmp_size = strlen(path) + 32;
    o->path = strdup(path);
    o->tmp_path = malloc(tmp_size);
    dir = folder_of(path);
    if (o->path == NULL || o->tmp_path == NULL || dir == NULL) {
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", path);
        goto cleanup;
    }
    /* one temporary name for the whole team: rank 0's process id */
    if ((st = mnd_team_broadcast(team, &pid, sizeof pid, 0, err)) != MND_OK)
        goto cleanup;
    snprintf(o->tmp_path, tmp_size, "%s.tmp.%ld", path, pid);

    /* The destination is checked here, before the caller simulates
     * anything, by rank 0 for the team (the members share the folder). */
    if (mnd_team_rank(team) == 0)
        st = check_destination(path, dir, err);
    if ((st = mnd_team_agree(team, st, 0, err)) != MND_OK)
        goto cleanup;

    fcpl = H5Pcreate(H5P_FILE_CREATE);
    fapl = H5Pcreate(H5P_FILE_ACCESS);
    o->dxpl = H5Pcreate(H5P_DATASET_XFER);
    if (fcpl < 0 || fapl < 0 || o->dxpl < 0 ||
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_fclose_degree(fapl, H5F_CLOSE_SEMI) < 0) {
        st = h5_fail(err, "%s: cannot prepare the file properties", path);
        goto cleanup;
    }
#ifdef MND_MPI
    /* Parallel HDF5 (notes §2.2): every metadata operation collective;
     * data written with collective transfers, the only kind that works
     * with compression (P-M1). */
    if (o->parallel &&
        (H5Pset_fapl_mpio(fapl, mnd_team_comm(team), MPI_INFO_NULL) < 0 ||
         H5Pset_all_coll_metadata_ops(fapl, 1) < 0 || H5Pset_coll_metadata_write(fapl, 1) < 0 ||
         H5Pset_dxpl_mpio(o->dxpl, H5FD_MPIO_COLLECTIVE) < 0)) {
        st = h5_fail(err, "%s: cannot prepare parallel file access", path);
        goto cleanup;
    }
#endif
    o->file = H5Fcreate(o->tmp_path, H5F_ACC_EXCL, fcpl, fapl);
    if (o->file < 0)
        st = h5_fail(err, "%s: cannot create the temporary file '%s'", path, o->tmp_path);
    if ((st = mnd_team_agree(team, st, 0, err)) != MND_OK)
        goto cleanup;
    o->tmp_exists = mnd_team_rank(team) == 0; /* rank 0 renames or removes it */
    o->str_type = vl_string_type();
    if (o->str_type < 0) {
        st = h5_fail(err, "%s: cannot make the string type", path);
        goto cleanup;
    }

    if ((st = write_provenance(o, p, prov, err)) != MND_OK ||
        (st = create_scales(o, p, err)) != MND_OK || (st = create_columns(o, err)) != MND_OK ||
        (st = create_trajectories(o, p, err)) != MND_OK)
        goto cleanup;
    if (o->n_interventions > 0 && ((st = create_adverse_events(o, p, err)) != MND_OK ||
                                   (st = write_interventions(o, p, err)) != MND_OK))
        goto cleanup;
    if ((st = write_config_text(o, prov->config_text, err)) != MND_OK)
        goto cleanup;

cleanup:
    /* every member leaves with the same outcome (and discards together) */
    st = mnd_team_agree(team, st, 0, err);
    if (st == MND_OK) {
        *out = o;
        o = NULL;
    }
    close_id(&fcpl, H5Pclose);
    close_id(&fapl, H5Pclose);
    free(dir);
    mnd_output_discard(o);
    return st;
}

/* Number of adverse events of the block's patients, or -1 (with an error)
 * when a patient's events do not fit the run: more than the per-patient
 * cap, or an intervention index outside the run's interventions. */
static int64_t count_adverse_events(const mnd_output *o, const mnd_block *b, mnd_error *err)
{
    int64_t n = 0;
    for (int64_t i = 0; i < b->n; i++) {
        const mnd_patient *pt = &b->patients[i];
        bool ok = pt->n_ae >= 0 && pt->n_ae <= MND_MAX_AE_PER_PATIENT;
        for (int32_t a = 0; ok && a < pt->n_ae; a++)
            ok = pt->ae[a].intervention >= 0 && pt->ae[a].intervention < o->n_interventions;
        if (!ok) {
            mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0,
                          "%s: row %lld: %d adverse events do not fit a run with %d "
                          "interventions",
                          o->path, (long long)(b->first_row + i), (int)pt->n_ae,
                          o->n_interventions);
            return -1;
        }
        n += pt->n_ae;
    }
    return n;
}

/* Appends the n adverse events of the block to /adverse_events at event
 * `first`, the team having `total` new events in all: extends the
 * coordinate and every column to hold the team's, then writes this
 * member's rows. */
static mnd_status append_adverse_events(mnd_output *o, const mnd_block *b, int64_t first_event,
                                        int64_t n, int64_t total, mnd_error *err)
{
    mnd_status st;
    const hsize_t first = (hsize_t)first_event, len = o->dim_len[DIM_EVENT] + (hsize_t)total;

    if (total == 0)
        return MND_OK;
    for (int c = -1; c < AE_COUNT; c++) {
        const h5_var *v = c < 0 ? &o->scale[DIM_EVENT] : &o->ae[c];
        if (H5Dset_extent(v->id, &len) < 0)
            return h5_fail(err, "%s: dataset '%s': cannot extend it to %llu rows", o->path,
                           v->name, (unsigned long long)len);
    }
    o->dim_len[DIM_EVENT] = len;
    int64_t *ids = o->buf;
    for (int64_t k = 0; k < n; k++)
        ids[k] = (int64_t)first + k;
    if ((st = write_rows(o, &o->scale[DIM_EVENT], (int64_t)first, n, ids, err)) != MND_OK)
        return st;
    for (int c = 0; c < AE_COUNT; c++) {
        ae_column_fill((ae_column_id)c, b, o->buf);
        if ((st = write_rows(o, &o->ae[c], (int64_t)first, n, o->buf, err)) != MND_OK)
            return st;
    }
    return MND_OK;
}

static mnd_status write_block(mnd_output *o, const mnd_block *b, int64_t event0,
                              int64_t n_events, int64_t round_events, mnd_error *err);

/* The round's blocks, one per member (team.h): each member's (first row,
 * rows, adverse events).  They must follow each other from o->next_row
 * in member order (empty blocks anywhere); on success *row_count is the
 * round's rows and *event0 / *event_total this member's first event and
 * the round's events. */
static mnd_status gather_round(mnd_output *o, const mnd_block *b, int64_t n_events,
                               int64_t *row_count, int64_t *event0, int64_t *event_total,
                               mnd_error *err)
{
    const int size = mnd_team_size(o->team), me = mnd_team_rank(o->team);
    const int64_t mine[3] = {b->first_row, b->n, n_events};
    int64_t *all = malloc((size_t)size * sizeof mine);
    mnd_status st;
    if (all == NULL)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", o->path);
    if ((st = mnd_team_allgather_i64(o->team, mine, 3, all, err)) != MND_OK)
        goto cleanup;
    int64_t next = o->next_row;
    *row_count = *event_total = 0;
    *event0 = (int64_t)o->dim_len[DIM_EVENT];
    for (int r = 0; r < size; r++) {
        const int64_t first = all[3 * r], n = all[3 * r + 1];
        if (n > 0 && first != next) {
            st = mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0,
                               "%s: block of %lld patients x %lld visits at row %lld does not "
                               "fit: expected row %lld of %lld with %lld visits",
                               o->path, (long long)n, (long long)o->visits, (long long)first,
                               (long long)next, (long long)o->rows, (long long)o->visits);
            goto cleanup;
        }
        next += n;
        *row_count += n;
        if (r < me)
            *event0 += all[3 * r + 2];
        *event_total += all[3 * r + 2];
    }

cleanup:
    free(all);
    return st;
}

void mnd_output_set_threads(mnd_output *o, int threads)
{
    free(o->zbuf); /* sized for the old count */
    o->zbuf = NULL;
    o->threads = threads > 1 ? threads : 1;
}

mnd_status mnd_output_write(mnd_output *o, const mnd_block *b, mnd_error *err)
{
    mnd_status st = MND_OK;
    int64_t n_events = 0, round_rows = 0, event0 = 0, round_events = 0;

    assert(o != NULL && b != NULL);
    if (b->n < 0 || b->n > b->capacity || b->n > o->rows - o->next_row
        || b->max_visits != o->visits)
        st = mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0,
                           "%s: block of %lld patients x %lld visits at row %lld does not "
                           "fit: expected row %lld of %lld with %lld visits",
                           o->path, (long long)b->n, (long long)b->max_visits,
                           (long long)b->first_row, (long long)o->next_row,
                           (long long)o->rows, (long long)o->visits);
    if (st == MND_OK && (n_events = count_adverse_events(o, b, err)) < 0)
        st = MND_ERR_INTERNAL;
    if ((st = mnd_team_agree(o->team, st, 0, err)) != MND_OK
        || (st = gather_round(o, b, n_events, &round_rows, &event0, &round_events, err))
               != MND_OK)
        return st;
    if (round_rows == 0)
        return MND_OK;

    /* Widest column element: max(regions, interventions) doubles per
     * patient; the event table needs one int64 or double per event. */
    const int width = o->n_interventions > MND_REGION_COUNT ? o->n_interventions
                                                            : MND_REGION_COUNT;
    size_t need = (size_t)b->n * (size_t)width * sizeof(double);
    if ((size_t)n_events * sizeof(double) > need)
        need = (size_t)n_events * sizeof(double);
    if (need > o->buf_bytes) {
        void *grown = realloc(o->buf, need);
        if (grown == NULL)
            st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0,
                               "%s: out of memory for a block of %lld patients", o->path,
                               (long long)b->n);
        else {
            o->buf = grown;
            o->buf_bytes = need;
        }
    }
    if ((st = mnd_team_agree(o->team, st, 0, err)) != MND_OK)
        return st;
    st = write_block(o, b, event0, n_events, round_events, err);
    if ((st = mnd_team_agree(o->team, st, 0, err)) != MND_OK)
        return st;
    o->next_row += round_rows;
    return MND_OK;
}

/* Bytes of one chunk of trajectory t: P patients x T visits [x k]. */
static size_t traj_chunk_bytes(const mnd_output *o, traj_id t)
{
    const traj_spec *s = &traj_specs[t];
    size_t k = s->third == DIM_NONE ? 1 : (size_t)o->dim_len[s->third];
    return (size_t)o->traj_chunk * (size_t)o->visits * k * kind_size(s->kind);
}

/* Whether block b covers whole trajectory chunks: it starts at a chunk
 * boundary and ends at one or at the last row (the edge chunk). */
static bool whole_chunks(const mnd_output *o, const mnd_block *b)
{
    const int64_t P = (int64_t)o->traj_chunk;
    return b->first_row % P == 0 && (b->n % P == 0 || b->first_row + b->n == o->rows);
}

/* Adds a chunk to o->jobs. */
static mnd_status push_job(mnd_output *o, chunk_job job, mnd_error *err)
{
    if (o->n_jobs == o->jobs_cap) {
        size_t cap = o->jobs_cap ? 2 * o->jobs_cap : 64;
        chunk_job *grown = realloc(o->jobs, cap * sizeof *grown);
        if (grown == NULL)
            return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", o->path);
        o->jobs = grown;
        o->jobs_cap = cap;
    }
    o->jobs[o->n_jobs++] = job;
    return MND_OK;
}

/* The block's rows of every stored trajectory as whole chunks (the block
 * covers whole chunks: whole_chunks). */
static mnd_status trajectory_jobs(mnd_output *o, const mnd_block *b, mnd_error *err)
{
    const int64_t P = (int64_t)o->traj_chunk;
    mnd_status st = MND_OK;
    for (int t = 0; t < TR_COUNT && st == MND_OK; t++) {
        if (o->traj[t].id < 0)
            continue;
        const size_t chunk = traj_chunk_bytes(o, (traj_id)t), row_bytes = chunk / (size_t)P;
        for (int64_t r = 0; r < b->n && st == MND_OK; r += P) {
            const int64_t rows = b->n - r < P ? b->n - r : P;
            const chunk_job job = {&o->traj[t], (hsize_t)(b->first_row + r),
                                   (const unsigned char *)traj_data(b, (traj_id)t)
                                       + (size_t)r * row_bytes,
                                   (size_t)rows * row_bytes, chunk};
            st = push_job(o, job, err);
        }
    }
    return st;
}

/* The width of column c (elements per row), its rows per chunk and the
 * bytes of one row. */
static int column_layout(const mnd_output *o, column_id c, int64_t *chunk_rows, size_t *row_bytes)
{
    const int width = column_width(o, c);
    *chunk_rows = (int64_t)column_chunk_rows(o, width);
    *row_bytes = (size_t)width * kind_size(o->col[c].kind);
    return width;
}

/* Appends the block's rows of every stored column to its stage and adds
 * each chunk they complete, and at the last row the edge chunk, to the
 * jobs; compact_stages then drops those rows. */
static mnd_status column_jobs(mnd_output *o, const mnd_block *b, mnd_error *err)
{
    const bool last = b->first_row + b->n == o->rows;
    mnd_status st = MND_OK;
    for (int c = 0; c < COL_COUNT && st == MND_OK; c++) {
        if (o->col[c].id < 0)
            continue;
        int64_t chunk_rows;
        size_t row_bytes;
        const int width = column_layout(o, (column_id)c, &chunk_rows, &row_bytes);
        column_stage *s = &o->stage[c];
        if (s->n + b->n > s->cap) { /* once: a chunk and a block */
            int64_t cap = chunk_rows + b->n;
            unsigned char *grown = realloc(s->rows, (size_t)cap * row_bytes);
            if (grown == NULL)
                return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0,
                                     "%s: out of memory for the rows of column '%s'", o->path,
                                     o->col[c].name);
            s->rows = grown;
            s->cap = cap;
        }
        if (s->n == 0)
            s->first_row = b->first_row;
        column_fill((column_id)c, b, width, s->rows + (size_t)s->n * row_bytes);
        s->n += b->n;
        for (int64_t r = 0; r < s->n && st == MND_OK; r += chunk_rows) {
            const int64_t rows = s->n - r < chunk_rows ? s->n - r : chunk_rows;
            if (rows < chunk_rows && !last)
                break;
            const chunk_job job = {&o->col[c], (hsize_t)(s->first_row + r),
                                   s->rows + (size_t)r * row_bytes, (size_t)rows * row_bytes,
                                   (size_t)chunk_rows * row_bytes};
            st = push_job(o, job, err);
        }
    }
    return st;
}

/* Drops from each column's stage the rows of the chunks just stored. */
static void compact_stages(mnd_output *o)
{
    for (int c = 0; c < COL_COUNT; c++) {
        if (o->col[c].id < 0 || o->stage[c].n == 0)
            continue;
        int64_t chunk_rows;
        size_t row_bytes;
        column_layout(o, (column_id)c, &chunk_rows, &row_bytes);
        column_stage *s = &o->stage[c];
        const int64_t stored = s->n / chunk_rows * chunk_rows;
        if (stored == 0)
            continue;
        memmove(s->rows, s->rows + (size_t)stored * row_bytes, (size_t)(s->n - stored) * row_bytes);
        s->first_row += stored;
        s->n -= stored;
    }
}

/* Encodes o->jobs on o->threads threads (chunk_deflate.h) and hands them to
 * H5Dwrite_chunk in job order, so the file is the same for any thread
 * count; then empties the list.  Serial files only: parallel HDF5 has no
 * direct chunk writes. */
static mnd_status store_jobs(mnd_output *o, mnd_error *err)
{
    size_t biggest = 0;
    for (size_t j = 0; j < o->n_jobs; j++)
        biggest = o->jobs[j].bytes > biggest ? o->jobs[j].bytes : biggest;
    if (biggest > o->zbuf_chunk) { /* the chunk shapes are fixed: grows once or twice */
        free(o->zbuf);
        o->zbuf = NULL;
        o->zbuf_chunk = biggest;
    }
    const size_t stride = o->zbuf_chunk + mnd_chunk_deflate_bound(o->zbuf_chunk);
    if (o->zbuf == NULL && (o->zbuf = malloc((size_t)o->threads * stride)) == NULL)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0,
                             "%s: out of memory for %d chunk buffers of %zu bytes", o->path,
                             o->threads, stride);

    mnd_status st = MND_OK;
    const int64_t n_jobs = (int64_t)o->n_jobs;
#pragma omp parallel for ordered schedule(dynamic, 1) num_threads(o->threads)
    for (int64_t j = 0; j < n_jobs; j++) {
        const chunk_job *job = &o->jobs[j];
        unsigned char fill[8];
        fill_element(job->var->kind, fill);
        unsigned char *scratch = o->zbuf + (size_t)omp_get_thread_num() * stride;
        unsigned char *encoded = scratch + o->zbuf_chunk;
        size_t encoded_bytes = 0;
        int rc = mnd_chunk_deflate(job->src, job->have, job->bytes, kind_size(job->var->kind),
                                   fill, o->deflate_level, scratch, encoded, &encoded_bytes);
#pragma omp ordered
        if (st == MND_OK) {
            const hsize_t offset[3] = {job->row0, 0, 0};
            if (rc != 0)
                st = mnd_error_set(err, MND_ERR_IO, NULL, 0,
                                   "%s: dataset '%s': cannot compress the chunk at row %lld",
                                   o->path, job->var->name, (long long)job->row0);
            else if (H5Dwrite_chunk(job->var->id, o->dxpl, 0, offset, encoded_bytes, encoded) < 0)
                st = h5_fail(err, "%s: dataset '%s': cannot write the chunk at row %lld",
                             o->path, job->var->name, (long long)job->row0);
        }
    }
    o->n_jobs = 0;
    return st;
}

/* Writes this member's block: its rows of every dataset and its events
 * (collective: every member calls it, an empty block included). */
static mnd_status write_block(mnd_output *o, const mnd_block *b, int64_t event0,
                              int64_t n_events, int64_t round_events, mnd_error *err)
{
    mnd_status st;
    int64_t *rows = o->buf;
    for (int64_t i = 0; i < b->n; i++)
        rows[i] = b->first_row + i;
    if ((st = write_rows(o, &o->scale[DIM_PATIENT], b->first_row, b->n, rows, err)) != MND_OK)
        return st;
    for (int c = 0; c < COL_COUNT && !o->direct_chunks; c++) {
        if (o->col[c].id < 0)
            continue;
        column_fill((column_id)c, b, column_width(o, (column_id)c), o->buf);
        if ((st = write_rows(o, &o->col[c], b->first_row, b->n, o->buf, err)) != MND_OK)
            return st;
    }
    const bool direct_trajectories = o->direct_chunks && whole_chunks(o, b);
    for (int t = 0; t < TR_COUNT && !direct_trajectories; t++) {
        if (o->traj[t].id < 0)
            continue;
        if ((st = write_rows(o, &o->traj[t], b->first_row, b->n, traj_data(b, (traj_id)t),
                             err)) != MND_OK)
            return st;
    }
    if (o->direct_chunks) {
        if ((st = column_jobs(o, b, err)) != MND_OK
            || (direct_trajectories && (st = trajectory_jobs(o, b, err)) != MND_OK)
            || (st = store_jobs(o, err)) != MND_OK)
            return st;
        compact_stages(o);
    }
    if (o->n_interventions > 0
        && (st = append_adverse_events(o, b, event0, n_events, round_events, err)) != MND_OK)
        return st;
    return MND_OK;
}

/* Closes one dataset, recording the first failure in *st. */
static void close_var(const mnd_output *o, h5_var *v, mnd_status *st, mnd_error *err)
{
    if (close_id(&v->id, H5Dclose) < 0 && *st == MND_OK)
        *st = h5_fail(err, "%s: cannot close dataset '%s'", o->path, v->name);
}

/* ------------------------------------------------------------------------
 * Studies (written at commit from what mnd_output_write_study kept)
 * ------------------------------------------------------------------------ */

mnd_status mnd_output_write_study(mnd_output *o, int k, int64_t first, int64_t n,
                                  const double *metrics, const mnd_study_patient *pts,
                                  int64_t per, mnd_error *err)
{
    if (k < 0 || k >= (int)o->params.n_studies || o->study_metrics[k] == NULL
        || per != o->study_per[k] || first < 0 || first + n > o->params.n_replicates)
        return mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0,
                             "%s: study %d: replicates %lld+%lld do not fit the run", o->path, k,
                             (long long)first, (long long)n);
    memcpy(o->study_metrics[k] + first * MND_M_COUNT, metrics,
           (size_t)n * MND_M_COUNT * sizeof *metrics);
    if (o->study_patients[k] != NULL)
        memcpy(o->study_patients[k] + first * per, pts, (size_t)(n * per) * sizeof *pts);
    return MND_OK;
}

/* A 1-D dataset `name` of group `g` along the group's coordinate `scale`
 * (NULL: `name` is the coordinate itself, made a scale named `dim`),
 * written whole from `data` (memory type of `kind`), chunked and
 * compressed when long. */
static mnd_status group_var(mnd_output *o, hid_t g, const char *gname, const char *name,
                            num_kind kind, hsize_t n, const void *data, hid_t scale,
                            const char *dim, const char *units, const char *description,
                            hid_t *keep, mnd_error *err)
{
    mnd_status st = MND_OK;
    char what[160];
    hsize_t chunk = n < 65536 ? n : 65536;
    hid_t space = H5Screate_simple(1, &n, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t ds = H5I_INVALID_HID;
    snprintf(what, sizeof what, "dataset '%s/%s'", gname, name);
    if (space < 0 || dcpl < 0
        || H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0
        || (n > 1024
            && (H5Pset_chunk(dcpl, 1, &chunk) < 0
                || (o->deflate_level > 0
                    && (H5Pset_shuffle(dcpl) < 0
                        || H5Pset_deflate(dcpl, (unsigned)o->deflate_level) < 0))))) {
        st = h5_fail(err, "%s: %s: cannot prepare it", o->path, what);
        goto cleanup;
    }
    ds = H5Dcreate2(g, name, kind_file_type(kind), space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (ds < 0) {
        st = h5_fail(err, "%s: cannot write %s", o->path, what);
        goto cleanup;
    }
    const h5_var var = {ds, what, kind};
    if (n > 0 && (st = write_rows_shared(o, &var, (int64_t)n, data, err)) != MND_OK)
        goto cleanup;
    if ((st = attr_text(o, ds, what, "units", units, err)) != MND_OK
        || (st = attr_text(o, ds, what, "long_name", description, err)) != MND_OK
        || (st = attr_text(o, ds, what, "description", description, err)) != MND_OK)
        goto cleanup;
    if (scale < 0 ? H5DSset_scale(ds, dim) < 0 : H5DSattach_scale(ds, scale, 0) < 0)
        st = h5_fail(err, "%s: %s: cannot set its dimension scale", o->path, what);

cleanup:
    if (st == MND_OK && keep != NULL) {
        *keep = ds;
        ds = H5I_INVALID_HID;
    }
    close_id(&ds, H5Dclose);
    close_id(&dcpl, H5Pclose);
    close_id(&space, H5Sclose);
    return st;
}

/* The study's patient records as columns along its coordinate
 * `study_patient` (row = replicate x per + index): identity and what is
 * known at enrolment, then each outcome field for the observed arm and for
 * the counterfactual arm. */
static mnd_status write_study_patients(mnd_output *o, hid_t g, const char *gname, int k,
                                       mnd_error *err)
{
    const mnd_study_patient *pts = o->study_patients[k];
    hsize_t n = (hsize_t)(o->params.n_replicates * o->study_per[k]);
    double *v = malloc((n ? n : 1) * sizeof *v);
    hid_t scale = H5I_INVALID_HID;
    mnd_status st = MND_OK;
    if (v == NULL)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", o->path);
    for (hsize_t i = 0; i < n; i++)
        v[i] = (double)i;
    if ((st = group_var(o, g, gname, "study_patient", K_F64, n, v, H5I_INVALID_HID,
                        "study_patient", "1",
                        "patient record: replicate x patients per replicate + index", &scale,
                        err)) != MND_OK)
        goto cleanup;
#define STUDY_COLUMN(col, expr, units, description)                                         \
    do {                                                                                    \
        for (hsize_t i = 0; i < n; i++) {                                                   \
            const mnd_study_patient *e = &pts[i];                                           \
            const int64_t per = o->study_per[k];                                            \
            (void)per;                                                                      \
            (void)e;                                                                        \
            v[i] = (double)(expr);                                                          \
        }                                                                                   \
        if ((st = group_var(o, g, gname, col, K_F64, n, v, scale, NULL, units, description, \
                            NULL, err)) != MND_OK)                                          \
            goto cleanup;                                                                   \
    } while (0)
    STUDY_COLUMN("patient_replicate", (int64_t)i / per, "1",
                 "replicate study of the record (the name replicate is the metrics' coordinate)");
    STUDY_COLUMN("slot", e->slot, "1", "candidate number in the replicate (keys the streams)");
    STUDY_COLUMN("arm", e->arm, "1", "observed arm: 1 treated, 0 control");
    STUDY_COLUMN("stratum", e->stratum, "1", "1 bulbar onset, 0 spinal (when stratified)");
    STUDY_COLUMN("t_enrolment", e->t_enrolment, "month", "enrolment, months since onset");
    STUDY_COLUMN("accrual_time", e->accrual_time, "month",
                 "enrolment, months after the study's first (accrual_months)");
    STUDY_COLUMN("t_diagnosis", e->t_diagnosis, "month", "diagnosis, months since onset");
    STUDY_COLUMN("delta_fs", e->delta_fs, "points/month",
                 "(48 - ALSFRS-R at enrolment) / months since onset");
    STUDY_COLUMN("lead_in_slope", e->lead_in_slope, "points/month",
                 "measured decline over the entry lead-in per month; NaN without");
    for (int cf = 0; cf < 2; cf++) {
        const char *suffix = cf ? "_counterfactual" : "";
        char name[64];
#define OUTCOME_COLUMN(field, units, description)                                        \
    do {                                                                                 \
        snprintf(name, sizeof name, "%s%s", #field, suffix);                             \
        for (hsize_t i = 0; i < n; i++) {                                                \
            const mnd_study_patient *e = &pts[i];                                        \
            v[i] = (double)e->outcome[cf ? 1 - e->arm : e->arm].field;                   \
        }                                                                                \
        if ((st = group_var(o, g, gname, name, K_F64, n, v, scale, NULL, units,          \
                            cf ? description " (the arm not observed)" : description,    \
                            NULL, err)) != MND_OK)                                       \
            goto cleanup;                                                                \
    } while (0)
        OUTCOME_COLUMN(n_visits, "1", "study visits observed");
        OUTCOME_COLUMN(completed, "1", "1 if followed to the end of the study");
        OUTCOME_COLUMN(event, "1", "1 if death or tracheostomy was observed");
        OUTCOME_COLUMN(t_event, "month", "time to the event or censoring from the survival origin");
        OUTCOME_COLUMN(baseline_total, "1", "ALSFRS-R total at enrolment");
        OUTCOME_COLUMN(baseline_fvc, "% predicted", "FVC at enrolment");
        OUTCOME_COLUMN(slope, "points/month", "least-squares ALSFRS-R slope over the visits");
        OUTCOME_COLUMN(best_slope, "points/month",
                       "flattest slope from enrolment to a follow-up visit");
        OUTCOME_COLUMN(last_fvc_ratio, "1", "FVC at the last visit / at enrolment");
        OUTCOME_COLUMN(best_fvc_ratio, "1", "highest follow-up FVC / FVC at enrolment");
        OUTCOME_COLUMN(t_dropout, "month", "leaving the study alive, months from enrolment");
#undef OUTCOME_COLUMN
        for (int scale_k = 0; scale_k < MND_PRO_COUNT; scale_k++)
            for (int later = 0; later < 2; later++) {
                char description[160];
                snprintf(name, sizeof name, "pro_%s_%s%s", mnd_pro_scale_names[scale_k],
                         later ? "follow_up" : "baseline", suffix);
                snprintf(description, sizeof description,
                         "patient-reported %s rated %s (pro.*)%s", mnd_pro_scale_names[scale_k],
                         later ? "pro_months after enrolment; NaN if no longer followed"
                               : "at enrolment",
                         cf ? " (the arm not observed)" : "");
                for (hsize_t i = 0; i < n; i++) {
                    const mnd_study_outcome *oc = &pts[i].outcome[cf ? 1 - pts[i].arm : pts[i].arm];
                    v[i] = later ? oc->pro_follow_up[scale_k] : oc->pro_baseline[scale_k];
                }
                if ((st = group_var(o, g, gname, name, K_F64, n, v, scale, NULL, "rating",
                                    description, NULL, err)) != MND_OK)
                    goto cleanup;
            }
    }
#undef STUDY_COLUMN

cleanup:
    close_id(&scale, H5Dclose);
    free(v);
    return st;
}

/* /studies/<name>: the study's keys as attributes, each metric per
 * replicate, and (unless summary_only) the patient records;
 * /analysis/<name>: each metric's summary over replicates, with the
 * rejection rates and the probability of the claim as attributes. */
static mnd_status write_study(mnd_output *o, hid_t studies, hid_t analysis, int k,
                              mnd_error *err)
{
    const mnd_study *sd = &o->params.studies[k];
    int64_t R = o->params.n_replicates;
    char gname[96], aname[96];
    hid_t g = H5I_INVALID_HID, a = H5I_INVALID_HID, scale = H5I_INVALID_HID;
    double *v = malloc((size_t)(R > MND_M_COUNT ? R : MND_M_COUNT) * sizeof *v);
    mnd_study_summary sum = {0};
    mnd_status st = MND_OK;
    snprintf(gname, sizeof gname, "studies/%s", sd->name);
    snprintf(aname, sizeof aname, "analysis/%s", sd->name);
    if (v == NULL)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", o->path);
    if ((st = create_group(o, studies, sd->name, gname, &g, err)) != MND_OK)
        goto cleanup;
    for (size_t r = 0; r < mnd_study_option_count; r++)
        if ((st = attr_option(o, g, gname, mnd_study_options[r].path, &mnd_study_options[r], sd,
                              err)) != MND_OK)
            goto cleanup;
    for (int64_t r = 0; r < R; r++)
        v[r] = (double)r;
    if ((st = group_var(o, g, gname, "replicate", K_F64, (hsize_t)R, v, H5I_INVALID_HID,
                        "replicate", "1", "replicate study", &scale, err)) != MND_OK)
        goto cleanup;
    for (int m = 0; m < MND_M_COUNT; m++) {
        for (int64_t r = 0; r < R; r++)
            v[r] = o->study_metrics[k][r * MND_M_COUNT + m];
        if ((st = group_var(o, g, gname, mnd_metric_names[m], K_F64, (hsize_t)R, v, scale, NULL,
                            mnd_metric_units[m], mnd_metric_descriptions[m], NULL, err)) != MND_OK)
            goto cleanup;
    }
    if (o->study_patients[k] != NULL && (st = write_study_patients(o, g, gname, k, err)) != MND_OK)
        goto cleanup;

    /* the summary */
    double *work = malloc((size_t)R * sizeof *work);
    if (work == NULL) {
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", o->path);
        goto cleanup;
    }
    /* computed once, by rank 0, and given to the others, whose attribute
     * writes must carry the same values */
    if (mnd_team_rank(o->team) == 0)
        mnd_study_summarise(sd, o->study_metrics[k], R, work, &sum);
    free(work);
    if ((st = mnd_team_broadcast(o->team, &sum, sizeof sum, 0, err)) != MND_OK)
        goto cleanup;
    close_id(&scale, H5Dclose);
    if ((st = create_group(o, analysis, sd->name, aname, &a, err)) != MND_OK)
        goto cleanup;
    {
        const char *names[MND_M_COUNT];
        for (int m = 0; m < MND_M_COUNT; m++)
            names[m] = mnd_metric_names[m];
        hsize_t nm = MND_M_COUNT;
        hid_t space = H5Screate_simple(1, &nm, NULL);
        scale = H5Dcreate2(a, "metric", o->str_type, space, H5P_DEFAULT, H5P_DEFAULT,
                           H5P_DEFAULT);
        close_id(&space, H5Sclose);
        if (scale < 0 || H5DSset_scale(scale, "metric") < 0) {
            st = h5_fail(err, "%s: cannot write %s/metric", o->path, aname);
            goto cleanup;
        }
        char metric_path[128];
        snprintf(metric_path, sizeof metric_path, "%s/metric", aname);
        if ((st = write_text(o, scale, metric_path, names, MND_M_COUNT, err)) != MND_OK)
            goto cleanup;
        if ((st = attr_text(o, scale, aname, "description",
                            "metric name (the datasets of /studies/<name>)", err)) != MND_OK)
            goto cleanup;
    }
    static const char *const stat_names[] = {"n", "mean", "sd", "q025", "median", "q975"};
    static const char *const stat_descriptions[] = {
        "replicates where the metric is finite", "mean over replicates",
        "standard deviation over replicates", "2.5 % quantile over replicates",
        "median over replicates", "97.5 % quantile over replicates"};
    for (int q = 0; q < 6; q++) {
        for (int m = 0; m < MND_M_COUNT; m++) {
            const mnd_metric_summary *ms = &sum.metric[m];
            const double x[6] = {(double)ms->n, ms->mean, ms->sd, ms->q025, ms->median, ms->q975};
            v[m] = x[q];
        }
        if ((st = group_var(o, a, aname, stat_names[q], K_F64, MND_M_COUNT, v, scale, NULL,
                            "as the metric", stat_descriptions[q], NULL, err)) != MND_OK)
            goto cleanup;
    }
    const double attrs[3] = {sum.reject_slope, sum.reject_logrank, sum.p_claim};
    static const char *const attr_names[3] = {"reject_slope", "reject_logrank", "p_claim"};
    for (int i = 0; i < 3; i++)
        if ((st = attr_write(o, a, aname, attr_names[i], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
                             &attrs[i], err)) != MND_OK)
            goto cleanup;
    if ((st = attr_text(o, a, aname, "claim_metric", mnd_metric_names[sd->claim_metric], err))
            != MND_OK
        || (st = attr_write(o, a, aname, "claim_threshold", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
                            &sd->claim_threshold, err)) != MND_OK
        || (st = attr_write(o, a, aname, "alpha", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
                            &sd->alpha, err)) != MND_OK
        || (st = attr_write(o, a, aname, "replicates", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &R,
                            err)) != MND_OK)
        goto cleanup;

cleanup:
    close_id(&scale, H5Dclose);
    close_id(&a, H5Gclose);
    close_id(&g, H5Gclose);
    free(v);
    return st;
}

static mnd_status write_studies(mnd_output *o, mnd_error *err)
{
    bool any = false;
    for (int k = 0; k < (int)o->params.n_studies; k++)
        any |= o->study_metrics[k] != NULL;
    if (!any)
        return MND_OK;
    hid_t studies = H5I_INVALID_HID, analysis = H5I_INVALID_HID;
    mnd_status st = create_group(o, o->file, "studies", "group 'studies'", &studies, err);
    if (st == MND_OK)
        st = create_group(o, o->file, "analysis", "group 'analysis'", &analysis, err);
    if (st == MND_OK)
        st = attr_text(o, studies, "group 'studies'", "description",
                       "one group per study: its keys as attributes, each metric per "
                       "replicate, and the patient records unless output.summary_only",
                       err);
    if (st == MND_OK)
        st = attr_text(o, analysis, "group 'analysis'", "description",
                       "one group per study: each metric summarised over the replicates", err);
    char names[MND_MAX_STUDIES * MND_STUDY_NAME_MAX + MND_MAX_STUDIES] = "";
    for (int k = 0; k < (int)o->params.n_studies; k++)
        if (o->study_metrics[k] != NULL) {
            strcat(names, names[0] ? " " : "");
            strcat(names, o->params.studies[k].name);
        }
    if (st == MND_OK)
        st = attr_text(o, analysis, "group 'analysis'", "studies", names, err);
    for (int k = 0; st == MND_OK && k < (int)o->params.n_studies; k++)
        if (o->study_metrics[k] != NULL)
            st = write_study(o, studies, analysis, k, err);
    close_id(&analysis, H5Gclose);
    close_id(&studies, H5Gclose);
    return st;
}

/* fsyncs the file or folder at `path`; an error sets errno. */
static int sync_path(const char *path, int flags)
{
    int fd = open(path, O_RDONLY | flags);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int saved = errno;
    if (close(fd) != 0 && rc == 0)
        return -1;
    errno = saved;
    return rc;
}

/* Gives every member the replicates of the studies that the others ran
 * (each ran the range mnd_split_range gave it, see study_run.h). */
static mnd_status share_studies(mnd_output *o, mnd_error *err)
{
    const int size = mnd_team_size(o->team);
    if (size == 1)
        return MND_OK;
    mnd_status st = MND_OK;
    int64_t *first = malloc((size_t)size * sizeof *first);
    int64_t *count = malloc((size_t)size * sizeof *count);
    if (first == NULL || count == NULL)
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", o->path);
    for (int r = 0; st == MND_OK && r < size; r++)
        mnd_split_range(o->params.n_replicates, size, r, &first[r], &count[r]);
    for (int k = 0; st == MND_OK && k < (int)o->params.n_studies; k++) {
        if (o->study_metrics[k] != NULL)
            st = mnd_team_share_ranges(o->team, o->study_metrics[k],
                                       MND_M_COUNT * sizeof(double), first, count, err);
        if (st == MND_OK && o->study_patients[k] != NULL)
            st = mnd_team_share_ranges(o->team, o->study_patients[k],
                                       (size_t)o->study_per[k] * sizeof(mnd_study_patient), first,
                                       count, err);
    }
    free(first);
    free(count);
    return st;
}

/* Rank 0, after the collective close of a parallel file: reopens it alone
 * and writes the text datasets that parallel HDF5 cannot (P-M2). */
static mnd_status write_deferred_text(mnd_output *o, mnd_error *err)
{
    mnd_status st = MND_OK;
    hid_t file = H5I_INVALID_HID, fapl = H5Pcreate(H5P_FILE_ACCESS), ds = H5I_INVALID_HID;
    if (fapl < 0 || H5Pset_fclose_degree(fapl, H5F_CLOSE_SEMI) < 0
        || (file = H5Fopen(o->tmp_path, H5F_ACC_RDWR, fapl)) < 0) {
        st = h5_fail(err, "%s: cannot reopen the temporary file '%s'", o->path, o->tmp_path);
        goto cleanup;
    }
    for (size_t i = 0; i < o->n_deferred; i++) {
        const deferred_text *d = &o->deferred[i];
        ds = H5Dopen2(file, d->path, H5P_DEFAULT);
        if (ds < 0
            || H5Dwrite(ds, o->str_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, d->strings) < 0
            || close_id(&ds, H5Dclose) < 0) {
            st = h5_fail(err, "%s: cannot write dataset '%s'", o->path, d->path);
            goto cleanup;
        }
    }
    if (close_id(&file, H5Fclose) < 0)
        st = h5_fail(err, "%s: cannot close the temporary file '%s'", o->path, o->tmp_path);

cleanup:
    close_id(&ds, H5Dclose);
    close_id(&file, H5Fclose);
    close_id(&fapl, H5Pclose);
    return st;
}

/* Rank 0: fsyncs the closed temporary file, renames it to the final name
 * and fsyncs the folder. */
static mnd_status publish(mnd_output *o, mnd_error *err)
{
    mnd_status st = MND_OK;
    char *dir = NULL;
    if (o->parallel && o->n_deferred > 0 && (st = write_deferred_text(o, err)) != MND_OK)
        return st;
    if (sync_path(o->tmp_path, 0) != 0)
        return mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s: cannot sync '%s' to disk: %s",
                             o->path, o->tmp_path, strerror(errno));
    if (rename(o->tmp_path, o->path) != 0)
        return mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s: cannot rename '%s' to it: %s",
                             o->path, o->tmp_path, strerror(errno));
    o->tmp_exists = false;
    /* Makes the rename durable.  Some file systems cannot sync a folder
     * (EINVAL); the file itself is complete either way. */
    dir = folder_of(o->path);
    if (dir == NULL)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", o->path);
    if (sync_path(dir, O_DIRECTORY) != 0 && errno != EINVAL)
        st = mnd_error_set(err, MND_ERR_IO, NULL, 0,
                           "%s: written, but cannot sync folder '%s' to disk: %s", o->path, dir,
                           strerror(errno));
    free(dir);
    return st;
}

mnd_status mnd_output_commit(mnd_output *o, mnd_error *err)
{
    mnd_status st = MND_OK;
    ssize_t open_objects;

    assert(o != NULL);
    if (o->next_row != o->rows) {
        st = mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0,
                           "%s: only %lld of %lld rows were written", o->path,
                           (long long)o->next_row, (long long)o->rows);
        goto cleanup;
    }
    if ((st = share_studies(o, err)) != MND_OK)
        goto cleanup;
    st = write_studies(o, err);
    if ((st = mnd_team_agree(o->team, st, 0, err)) != MND_OK)
        goto cleanup;
    for (int c = 0; c < AE_COUNT; c++)
        close_var(o, &o->ae[c], &st, err);
    for (int t = 0; t < TR_COUNT; t++)
        close_var(o, &o->traj[t], &st, err);
    for (int c = 0; c < COL_COUNT; c++)
        close_var(o, &o->col[c], &st, err);
    for (int d = 0; d < DIM_COUNT; d++)
        close_var(o, &o->scale[d], &st, err);
    if (st == MND_OK && (open_objects = H5Fget_obj_count(o->file, H5F_OBJ_ALL)) != 1)
        st = mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0,
                           "%s: %lld HDF5 objects are still open at commit (expected 1)",
                           o->path, (long long)open_objects);
    if ((st = mnd_team_agree(o->team, st, 0, err)) != MND_OK)
        goto cleanup;
    /* collective in a parallel file: every member closes, then rank 0
     * alone finishes the file and renames it */
    if (H5Fclose(o->file) < 0)
        st = h5_fail(err, "%s: cannot close the temporary file '%s'", o->path, o->tmp_path);
    o->file = H5I_INVALID_HID;
    if ((st = mnd_team_agree(o->team, st, 0, err)) != MND_OK)
        goto cleanup;
    if (mnd_team_rank(o->team) == 0)
        st = publish(o, err);
    st = mnd_team_agree(o->team, st, 0, err);

cleanup:
    mnd_output_discard(o);
    return st;
}

void mnd_output_discard(mnd_output *o)
{
    if (o == NULL)
        return;
    for (int c = 0; c < AE_COUNT; c++)
        close_id(&o->ae[c].id, H5Dclose);
    for (int t = 0; t < TR_COUNT; t++)
        close_id(&o->traj[t].id, H5Dclose);
    for (int c = 0; c < COL_COUNT; c++)
        close_id(&o->col[c].id, H5Dclose);
    for (int d = 0; d < DIM_COUNT; d++)
        close_id(&o->scale[d].id, H5Dclose);
    close_id(&o->str_type, H5Tclose);
    close_id(&o->dxpl, H5Pclose);
    close_id(&o->file, H5Fclose);
    H5Eclear2(H5E_DEFAULT);
    if (o->tmp_exists)
        unlink(o->tmp_path);
    free(o->buf);
    free(o->zbuf);
    free(o->jobs);
    for (int c = 0; c < COL_COUNT; c++)
        free(o->stage[c].rows);
    for (size_t i = 0; i < o->n_deferred; i++) {
        for (size_t j = 0; j < o->deferred[i].n; j++)
            free(o->deferred[i].strings[j]);
        free(o->deferred[i].strings);
        free(o->deferred[i].path);
    }
    free(o->deferred);
    for (int k = 0; k < MND_MAX_STUDIES; k++) {
        free(o->study_metrics[k]);
        free(o->study_patients[k]);
    }
    free(o->tmp_path);
    free(o->path);
    free(o);
}

/* ------------------------------------------------------------------------
 * The reader
 * ------------------------------------------------------------------------ */

struct mnd_reader {
    hid_t file;
    char *path;
};

mnd_status mnd_reader_open(mnd_reader **r, const char *path, mnd_error *err)
{
    mnd_status st = MND_OK;
    mnd_reader *rd = NULL;

    assert(r != NULL && path != NULL);
    *r = NULL;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    rd = calloc(1, sizeof *rd);
    if (rd == NULL || (rd->path = strdup(path)) == NULL) {
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: out of memory", path);
        goto cleanup;
    }
    rd->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (rd->file < 0) {
        st = h5_fail(err, "%s: cannot open the file for reading", path);
        goto cleanup;
    }
    *r = rd;
    rd = NULL;

cleanup:
    if (rd != NULL) {
        free(rd->path);
        free(rd);
    }
    return st;
}

void mnd_reader_close(mnd_reader *r)
{
    if (r == NULL)
        return;
    if (r->file >= 0)
        H5Fclose(r->file);
    H5Eclear2(H5E_DEFAULT);
    free(r->path);
    free(r);
}

int mnd_reader_has(const mnd_reader *r, const char *name)
{
    int found = 0;
    if (H5Lexists(r->file, name, H5P_DEFAULT) > 0) {
        hid_t ds = H5Dopen2(r->file, name, H5P_DEFAULT);
        found = ds >= 0;
        close_id(&ds, H5Dclose);
    }
    H5Eclear2(H5E_DEFAULT);
    return found;
}

/* Opens dataset `name`, or records an error naming it. */
static mnd_status reader_open_dataset(const mnd_reader *r, const char *name, hid_t *ds,
                                      mnd_error *err)
{
    *ds = H5I_INVALID_HID;
    if (H5Lexists(r->file, name, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s: no dataset '%s'", r->path, name);
    }
    *ds = H5Dopen2(r->file, name, H5P_DEFAULT);
    if (*ds < 0)
        return h5_fail(err, "%s: cannot open dataset '%s'", r->path, name);
    return MND_OK;
}

/* Extents of an open dataset of rank 1..3. */
static mnd_status dataset_shape(const mnd_reader *r, hid_t ds, const char *name, int *rank,
                                hsize_t dims[3], mnd_error *err)
{
    mnd_status st = MND_OK;
    hid_t space = H5Dget_space(ds);
    int n = space < 0 ? -1 : H5Sget_simple_extent_ndims(space);

    if (n < 0) {
        st = h5_fail(err, "%s: dataset '%s': cannot read its shape", r->path, name);
    } else if (n < 1 || n > 3) {
        st = mnd_error_set(err, MND_ERR_IO, NULL, 0,
                           "%s: dataset '%s' has rank %d; expected 1 to 3", r->path, name, n);
    } else {
        dims[1] = dims[2] = 1;
        if (H5Sget_simple_extent_dims(space, dims, NULL) < 0)
            st = h5_fail(err, "%s: dataset '%s': cannot read its shape", r->path, name);
        *rank = n;
    }
    close_id(&space, H5Sclose);
    return st;
}

mnd_status mnd_reader_shape(const mnd_reader *r, const char *name, int *rank, int64_t dims[3],
                            mnd_error *err)
{
    hid_t ds;
    hsize_t d[3] = {1, 1, 1};
    mnd_status st = reader_open_dataset(r, name, &ds, err);

    if (st == MND_OK)
        st = dataset_shape(r, ds, name, rank, d, err);
    if (st == MND_OK)
        for (int i = 0; i < 3; i++)
            dims[i] = i < *rank ? (int64_t)d[i] : 1;
    close_id(&ds, H5Dclose);
    return st;
}

mnd_status mnd_reader_read(const mnd_reader *r, const char *name, int64_t row0, int64_t nrows,
                           double *out, mnd_error *err)
{
    mnd_status st;
    hid_t ds, type = H5I_INVALID_HID, fspace = H5I_INVALID_HID, mspace = H5I_INVALID_HID;
    hsize_t dims[3];
    int rank;
    H5T_class_t cls;

    if ((st = reader_open_dataset(r, name, &ds, err)) != MND_OK ||
        (st = dataset_shape(r, ds, name, &rank, dims, err)) != MND_OK)
        goto cleanup;
    type = H5Dget_type(ds);
    cls = type < 0 ? H5T_NO_CLASS : H5Tget_class(type);
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
        st = mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s: dataset '%s' is not numeric",
                           r->path, name);
        goto cleanup;
    }
    if (row0 < 0 || nrows < 0 || (uint64_t)row0 > dims[0] ||
        (uint64_t)nrows > dims[0] - (uint64_t)row0) {
        st = mnd_error_set(err, MND_ERR_IO, NULL, 0,
                           "%s: dataset '%s' has %llu rows; cannot read %lld rows from row %lld",
                           r->path, name, (unsigned long long)dims[0], (long long)nrows,
                           (long long)row0);
        goto cleanup;
    }
    if (nrows == 0)
        goto cleanup;
    if (select_rows(ds, (hsize_t)row0, (hsize_t)nrows, &fspace, &mspace) < 0 ||
        H5Dread(ds, H5T_NATIVE_DOUBLE, mspace, fspace, H5P_DEFAULT, out) < 0)
        st = h5_fail(err, "%s: dataset '%s': cannot read %lld rows from row %lld", r->path, name,
                     (long long)nrows, (long long)row0);

cleanup:
    close_id(&mspace, H5Sclose);
    close_id(&fspace, H5Sclose);
    close_id(&type, H5Tclose);
    close_id(&ds, H5Dclose);
    return st;
}

/* Reads the scalar string of an open attribute (is_attr) or dataset into a
 * malloc'd copy; VL and fixed-length strings both work. */
static mnd_status read_text(const mnd_reader *r, hid_t obj, bool is_attr, const char *what,
                            char **value, mnd_error *err)
{
    mnd_status st = MND_OK;
    hid_t type = is_attr ? H5Aget_type(obj) : H5Dget_type(obj);
    hid_t space = is_attr ? H5Aget_space(obj) : H5Dget_space(obj);
    hid_t mem = H5I_INVALID_HID;
    char *vl = NULL;
    htri_t is_vl = 0;

    /* HDF5 converts between strings of the same character set only */
    if (type < 0 || space < 0 || (is_vl = H5Tis_variable_str(type)) < 0 ||
        (mem = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_cset(mem, H5Tget_cset(type)) < 0) {
        st = h5_fail(err, "%s: %s: cannot read its type", r->path, what);
        goto cleanup;
    }
    if (is_vl) {
        herr_t rc = H5Tset_size(mem, H5T_VARIABLE);
        if (rc >= 0)
            rc = is_attr ? H5Aread(obj, mem, &vl)
                         : H5Dread(obj, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, &vl);
        if (rc < 0) {
            st = h5_fail(err, "%s: %s: cannot read", r->path, what);
            goto cleanup;
        }
        *value = strdup(vl != NULL ? vl : "");
        H5Dvlen_reclaim(mem, space, H5P_DEFAULT, &vl);
    } else {
        size_t size = H5Tget_size(type);
        herr_t rc = 0;
        *value = calloc(size + 1, 1);
        if (*value != NULL)
            rc = H5Tset_size(mem, size + 1);
        if (*value != NULL && rc >= 0)
            rc = is_attr ? H5Aread(obj, mem, *value)
                         : H5Dread(obj, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, *value);
        if (rc < 0) {
            free(*value);
            *value = NULL;
            st = h5_fail(err, "%s: %s: cannot read", r->path, what);
            goto cleanup;
        }
    }
    if (*value == NULL)
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: %s: out of memory", r->path, what);

cleanup:
    close_id(&mem, H5Tclose);
    close_id(&space, H5Sclose);
    close_id(&type, H5Tclose);
    return st;
}

/* Formats the numbers of an open attribute, space-separated, as a
 * malloc'd string: integers exactly, floats with %.17g. */
static mnd_status format_numbers(const mnd_reader *r, hid_t attr, hid_t type, const char *what,
                                 char **value, mnd_error *err)
{
    mnd_status st = MND_OK;
    hid_t space = H5Aget_space(attr);
    hssize_t n = space < 0 ? -1 : H5Sget_simple_extent_npoints(space);
    const H5T_class_t cls = H5Tget_class(type);
    const bool is_unsigned = cls == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_NONE;
    hid_t mem = cls == H5T_FLOAT ? H5T_NATIVE_DOUBLE
                : is_unsigned    ? H5T_NATIVE_ULLONG
                                 : H5T_NATIVE_LLONG;
    void *v = NULL; /* n elements of `mem` */
    char *text = NULL;
    size_t used = 0;

    if (n < 1) {
        st = h5_fail(err, "%s: %s: cannot read its size", r->path, what);
        goto cleanup;
    }
    v = calloc((size_t)n, sizeof(double) > sizeof(long long) ? sizeof(double)
                                                               : sizeof(long long));
    text = malloc((size_t)n * 32);
    if (v == NULL || text == NULL) {
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "%s: %s: out of memory", r->path, what);
        goto cleanup;
    }
    if (H5Aread(attr, mem, v) < 0) {
        st = h5_fail(err, "%s: %s: cannot read", r->path, what);
        goto cleanup;
    }
    for (hssize_t i = 0; i < n; i++) {
        const char *sep = i ? " " : "";
        if (cls == H5T_FLOAT)
            used += (size_t)snprintf(text + used, 32, "%s%.17g", sep, ((const double *)v)[i]);
        else if (is_unsigned)
            used += (size_t)snprintf(text + used, 32, "%s%llu", sep,
                                     ((const unsigned long long *)v)[i]);
        else
            used += (size_t)snprintf(text + used, 32, "%s%lld", sep, ((const long long *)v)[i]);
    }
    *value = text;
    text = NULL;

cleanup:
    free(text);
    free(v);
    close_id(&space, H5Sclose);
    return st;
}

mnd_status mnd_reader_object_attr(const mnd_reader *r, const char *object, const char *name,
                                  char **value, mnd_error *err)
{
    mnd_status st = MND_OK;
    hid_t obj = H5I_INVALID_HID, attr = H5I_INVALID_HID, type = H5I_INVALID_HID;
    const bool root = strcmp(object, "/") == 0;
    char what[400];

    *value = NULL;
    if (root)
        snprintf(what, sizeof what, "root attribute '%s'", name);
    else
        snprintf(what, sizeof what, "attribute '%s' of '%s'", name, object);
    if (!root && H5Lexists(r->file, object, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s: no object '%s'", r->path, object);
    }
    obj = H5Oopen(r->file, object, H5P_DEFAULT);
    if (obj < 0)
        return h5_fail(err, "%s: cannot open '%s'", r->path, object);
    if (H5Aexists(obj, name) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        st = mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s: no %s", r->path, what);
        goto cleanup;
    }
    attr = H5Aopen(obj, name, H5P_DEFAULT);
    type = attr < 0 ? H5I_INVALID_HID : H5Aget_type(attr);
    if (type < 0) {
        st = h5_fail(err, "%s: cannot open %s", r->path, what);
        goto cleanup;
    }
    switch (H5Tget_class(type)) {
    case H5T_STRING:
        st = read_text(r, attr, true, what, value, err);
        break;
    case H5T_INTEGER:
    case H5T_FLOAT:
        st = format_numbers(r, attr, type, what, value, err);
        break;
    default:
        st = mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s: %s is neither text nor a number",
                           r->path, what);
        break;
    }

cleanup:
    close_id(&type, H5Tclose);
    close_id(&attr, H5Aclose);
    close_id(&obj, H5Oclose);
    return st;
}

mnd_status mnd_reader_attr(const mnd_reader *r, const char *name, char **value, mnd_error *err)
{
    return mnd_reader_object_attr(r, "/", name, value, err);
}

mnd_status mnd_reader_config_text(const mnd_reader *r, char **value, mnd_error *err)
{
    hid_t ds;
    mnd_status st = reader_open_dataset(r, "config_text", &ds, err);

    *value = NULL;
    if (st == MND_OK)
        st = read_text(r, ds, false, "dataset 'config_text'", value, err);
    close_id(&ds, H5Dclose);
    return st;
}
