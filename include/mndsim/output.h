/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * output.h — writing a run to HDF5 and reading it back.
 *
 * The writer creates "<path>.tmp.<pid>" in the destination folder, writes
 * blocks of patients in order, and on commit closes every object, fsyncs,
 * renames to `path` and fsyncs the folder; on discard (or any failure) the
 * temporary file is removed, so no partial file ever has the final name.
 * The schema is documented in docs/hdf5-schema.md.  No HDF5 type appears
 * in this header.
 */
#ifndef MNDSIM_OUTPUT_H
#define MNDSIM_OUTPUT_H

#include <stdint.h>
#include "mndsim/block.h"
#include "mndsim/model.h"
#include "mndsim/status.h"
#include "mndsim/study.h"
#include "mndsim/team.h"

/* Provenance stored as root attributes and /config_text. */
typedef struct {
    const char *engine_version; /* e.g. "0.1.0" */
    const char *git_commit;     /* full hash or "unknown" */
    int git_dirty;              /* 1 if the tree had uncommitted changes */
    const char *command_line;   /* the command as typed (argv before option parsing),
                                   words quoted for a POSIX shell where needed */
    const char *config_path;    /* the file given to `run` */
    const char *overrides;      /* the --set arguments, one per line ("" if none) */
    const char *config_text;    /* resolved config: every key and its final value */
    int threads;                /* informational: results do not depend on it */
} mnd_provenance;

typedef struct mnd_output mnd_output;

/* Creates the temporary file and every dataset for
 * p->n_patients * p->n_replicates rows and mnd_params_max_visits(p) visits,
 * storing only the trajectory variables with p->store[v] set, in the order
 * of docs/hdf5-schema.md.  Checks the destination first: fails with
 * MND_ERR_IO and the message "<path>: <reason>", creating nothing, when
 * `path` is a folder or its folder is missing, not a folder or not
 * writable.  On failure *out is NULL. */
mnd_status mnd_output_open(mnd_output **out, const char *path,
                           const mnd_params *p, const mnd_provenance *prov,
                           mnd_error *err);

/* The destination check of mnd_output_open alone, for a writer that
 * stages its work in other files first (a sweep): MND_ERR_IO and
 * "<path>: <reason>" when `path` is a folder or its folder is missing,
 * not a folder or not writable; touches nothing. */
mnd_status mnd_output_check_destination(const char *path, mnd_error *err);

/* Collective (team.h): mnd_output_open for a file that the members of
 * `team` write together.  With an MPI team the file is opened with
 * parallel HDF5 (MPI-IO); every member must then make the same writer
 * calls in the same order (the block writes with their own blocks), and
 * every call returns the same status on every member.  Rank 0 checks the
 * destination, names the temporary file after its process id, and at
 * commit, after the collective close, writes the text datasets (which
 * parallel HDF5 cannot write), renames the file and fsyncs.  The datasets
 * are identical to a serial run's; the root attribute n_ranks records the
 * team size.  mnd_output_open is this with mnd_team_solo(). */
mnd_status mnd_output_open_team(mnd_output **out, const char *path, const mnd_params *p,
                                const mnd_provenance *prov, const mnd_team *team,
                                mnd_error *err);

/* Lets mnd_output_write compress trajectory chunks on up to `threads`
 * OpenMP threads (output.thread_compression; 1 until called).  The file's
 * data do not depend on it. */
void mnd_output_set_threads(mnd_output *o, int threads);

/* Writes the block's rows [first_row, first_row + n).  Blocks must arrive
 * in row order and, except the last, hold a multiple of p->chunk_patients
 * rows.  In a team every member calls it once per round with its own
 * block (n = 0 when it has none): the non-empty blocks of a round must
 * follow each other in member order from the first row not yet written
 * (mnd_sim_run_team deals them so). */
mnd_status mnd_output_write(mnd_output *o, const mnd_block *b, mnd_error *err);

/* Keeps replicates [first, first + n) of study k (the contract of
 * study_run.h's mnd_study_sink): their metrics, and their patient records
 * unless output.summary_only.  The studies are written at commit:
 * /studies/<name> and the summary over replicates, /analysis/<name>. */
mnd_status mnd_output_write_study(mnd_output *o, int k, int64_t first, int64_t n,
                                  const double *metrics, const mnd_study_patient *pts,
                                  int64_t per, mnd_error *err);

/* Closes, fsyncs and renames the file to its final name; frees `o`.  On
 * failure the temporary file is removed and `o` is freed as well.  In a
 * team the members first share the study replicates each of them ran;
 * the summaries over replicates are computed once, by rank 0. */
mnd_status mnd_output_commit(mnd_output *o, mnd_error *err);

/* Closes and removes the temporary file; frees `o`.  NULL is allowed. */
void mnd_output_discard(mnd_output *o);

/* --- reading back (for `mndsim info` and the tests) --- */

typedef struct mnd_reader mnd_reader;

mnd_status mnd_reader_open(mnd_reader **r, const char *path, mnd_error *err);
void mnd_reader_close(mnd_reader *r);

/* 1 if dataset `name` (e.g. "t_death", "alsfrs_total",
 * "adverse_events/time") exists.  Here and below a dataset name is its path
 * from the root group. */
int mnd_reader_has(const mnd_reader *r, const char *name);

/* Rank (1..3) and extents of dataset `name`. */
mnd_status mnd_reader_shape(const mnd_reader *r, const char *name, int *rank,
                            int64_t dims[3], mnd_error *err);

/* Reads rows [row0, row0 + nrows) along the first axis of dataset `name`,
 * converted to double, into `out` (nrows x the other extents, row-major).
 * Integer fill values (-1) are returned as -1, float fills as NaN. */
mnd_status mnd_reader_read(const mnd_reader *r, const char *name, int64_t row0,
                           int64_t nrows, double *out, mnd_error *err);

/* Root attribute `name` as a malloc'd string (numbers are formatted,
 * space-separated for arrays: integers exactly, floats with %.17g); the
 * caller frees it. */
mnd_status mnd_reader_attr(const mnd_reader *r, const char *name, char **value,
                           mnd_error *err);

/* Attribute `name` of the group or dataset at path `object` ("/" is the
 * root, e.g. "interventions/riluzole" or "exposure_status"), formatted as
 * by mnd_reader_attr. */
mnd_status mnd_reader_object_attr(const mnd_reader *r, const char *object, const char *name,
                                  char **value, mnd_error *err);

/* The /config_text dataset as a malloc'd string. */
mnd_status mnd_reader_config_text(const mnd_reader *r, char **value, mnd_error *err);

#endif
