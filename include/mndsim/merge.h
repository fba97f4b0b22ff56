/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * merge.h — joining result files into one sweep file: the groups of a
 * sweep's scenarios (written each to its own run file, or found in the
 * pieces of a split sweep) copied into /scenarios/<name> of a new file.
 */
#ifndef MNDSIM_MERGE_H
#define MNDSIM_MERGE_H

#include <stddef.h>
#include <stdint.h>
#include "mndsim/status.h"

/* An attribute to write: text, or (text NULL) an int64 number. */
typedef struct {
    const char *name;
    const char *text;
    int64_t number;
} mnd_merge_attr;

/* Copy group `from` of file `file` ("/" for its root) to group `to` of the
 * new file, then add the attributes attrs[0 .. n_attrs). */
typedef struct {
    const char *file;
    const char *from;
    const char *to;
    const mnd_merge_attr *attrs;
    size_t n_attrs;
} mnd_merge_copy;

/* Writes `path` (through "<path>.tmp.<pid>", renamed after a clean close;
 * nothing is left on failure): the root attributes root[0 .. n_root), then
 * each copy in order.  A copy keeps every dataset's type, shape, chunks,
 * filters, fill value, data and attributes, every group's attributes, the
 * creation order, and re-creates the dimension scales (a dataset's scale
 * is the dataset at the same path relative to the copied group), which
 * HDF5's own object copy does not do for scales (notes P-DS1).  Each
 * dataset is read whole, so memory grows with the largest dataset. */
mnd_status mnd_merge_write(const char *path, const mnd_merge_attr *root, size_t n_root,
                           const mnd_merge_copy *copies, size_t n_copies, mnd_error *err);

/* `mndsim merge`: joins the pieces inputs[0 .. n) of one sweep (files
 * written with --scenario i/n) into `path`.  The pieces must come from the
 * same sweep (equal root attributes sweep, n_scenarios, config_path,
 * overrides, engine_version and git_commit), split the same way (same n),
 * each piece once and none missing; otherwise MND_ERR_USAGE with a message
 * that names the files and the attribute.  The result equals the sweep run
 * at once, apart from the root attributes command_line and created_utc
 * (and within each scenario the same two). */
mnd_status mnd_merge_pieces(const char *path, const char *const *inputs, size_t n,
                            const char *command_line, mnd_error *err);

#endif
