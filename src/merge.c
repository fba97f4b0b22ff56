/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * merge.c — joining result files into one sweep file (merge.h).
 *
 * Design.  A sweep file holds one group per scenario, /scenarios/sNN, with
 * what a run file holds at its root.  Both ways of making one go through
 * mnd_merge_write: a sweep run copies each scenario's run file (root "/")
 * into its group, and `mndsim merge` copies the groups of the pieces, so a
 * merged sweep and a sweep run at once have the same layout by
 * construction.  HDF5's H5Ocopy would do the copy but does not carry
 * dimension scales over (and crashed on these files with reference
 * expansion, notes P-DS1), so the copy is done here: datasets re-created
 * with their own creation properties (chunks, filters, fill value), data
 * and attributes copied, links visited in creation order, and each scale
 * re-made and re-attached by path.  This file includes <hdf5.h> because
 * copying HDF5 objects is its one concept; the run writer stays in
 * output_h5.c.  Pieces are checked through the reader of output.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include "mndsim/merge.h"
#include "mndsim/output.h"
#include "mndsim/sweep.h"

enum { PATH_MAX_LEN = 1024 };

/* Records MND_ERR_IO "path: what" and clears HDF5's error stack. */
static mnd_status io_fail(mnd_error *err, const char *path, const char *what, const char *name)
{
    H5Eclear2(H5E_DEFAULT);
    return mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s: %s '%s'", path, what, name);
}

/* Copying state: the source file and group, the destination group's path. */
typedef struct {
    hid_t src_file, dst_file;
    const char *src_root; /* "/" or "/scenarios/s03" */
    const char *dst_root; /* "/scenarios/s03" */
    const char *out_path; /* for messages */
    mnd_error *err;
    mnd_status st;
} copier;

static bool is_scale_bookkeeping(const char *name)
{
    return !strcmp(name, "CLASS") || !strcmp(name, "NAME") || !strcmp(name, "REFERENCE_LIST")
           || !strcmp(name, "DIMENSION_LIST");
}

/* Copies attribute `name` of src to dst (any type; variable-length data
 * reclaimed). */
static herr_t copy_attr(hid_t src, const char *name, const H5A_info_t *info, void *vdst)
{
    (void)info;
    hid_t dst = *(hid_t *)vdst;
    if (is_scale_bookkeeping(name))
        return 0;
    herr_t rc = -1;
    hid_t a = H5Aopen(src, name, H5P_DEFAULT), type = H5I_INVALID_HID, space = H5I_INVALID_HID;
    hid_t b = H5I_INVALID_HID;
    void *buf = NULL;
    if (a < 0 || (type = H5Aget_type(a)) < 0 || (space = H5Aget_space(a)) < 0)
        goto cleanup;
    hssize_t n = H5Sget_simple_extent_npoints(space);
    size_t size = H5Tget_size(type);
    buf = calloc(n > 0 ? (size_t)n : 1, size);
    if (buf == NULL || H5Aread(a, type, buf) < 0)
        goto cleanup;
    b = H5Acreate2(dst, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (b >= 0 && H5Awrite(b, type, buf) >= 0)
        rc = 0;
    if (H5Tis_variable_str(type) > 0 || H5Tdetect_class(type, H5T_VLEN) > 0)
        H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf);
cleanup:
    free(buf);
    if (b >= 0)
        H5Aclose(b);
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    if (a >= 0)
        H5Aclose(a);
    return rc;
}

static int copy_attrs(hid_t src, hid_t dst)
{
    hsize_t idx = 0;
    return H5Aiterate2(src, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, copy_attr, &dst) < 0 ? -1 : 0;
}

/* The path of a scale in the destination: its source path with src_root
 * replaced by dst_root. */
static herr_t scale_path(hid_t ds, unsigned dim, hid_t scale, void *vctx)
{
    (void)ds;
    (void)dim;
    char **ctx = vctx; /* [0]: buffer, [1]: src_root, [2]: dst_root */
    char src[PATH_MAX_LEN];
    if (H5Iget_name(scale, src, sizeof src) <= 0)
        return -1;
    size_t skip = strcmp(ctx[1], "/") == 0 ? 0 : strlen(ctx[1]);
    snprintf(ctx[0], PATH_MAX_LEN, "%s%s", ctx[2], src + skip);
    return 1; /* the first scale is the one */
}

static int copy_group(copier *c, hid_t src, hid_t dst);

/* Link visitor: copies child `name` of group src into group *ctx. */
static herr_t copy_child(hid_t src, const char *name, const H5L_info_t *info, void *vctx)
{
    (void)info;
    copier *c = ((void **)vctx)[0];
    hid_t dst = *(hid_t *)((void **)vctx)[1];
    H5O_info_t oi;
    if (H5Oget_info_by_name(src, name, &oi, H5P_DEFAULT) < 0)
        return -1;
    if (oi.type == H5O_TYPE_GROUP) {
        hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
        H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
        H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
        hid_t sg = H5Gopen2(src, name, H5P_DEFAULT);
        hid_t dg = H5Gcreate2(dst, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
        H5Pclose(gcpl);
        int rc = sg >= 0 && dg >= 0 ? copy_group(c, sg, dg) : -1;
        if (sg >= 0)
            H5Gclose(sg);
        if (dg >= 0)
            H5Gclose(dg);
        return rc;
    }
    if (oi.type != H5O_TYPE_DATASET)
        return 0;
    int rc = -1;
    hid_t s = H5Dopen2(src, name, H5P_DEFAULT), d = H5I_INVALID_HID;
    hid_t type = s < 0 ? -1 : H5Dget_type(s), space = s < 0 ? -1 : H5Dget_space(s);
    hid_t dcpl = s < 0 ? -1 : H5Dget_create_plist(s);
    void *buf = NULL;
    if (type < 0 || space < 0 || dcpl < 0)
        goto cleanup;
    d = H5Dcreate2(dst, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    if (d < 0 || n < 0)
        goto cleanup;
    if (n > 0) {
        buf = malloc((size_t)n * H5Tget_size(type));
        if (buf == NULL || H5Dread(s, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0
            || H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
            goto cleanup;
        if (H5Tis_variable_str(type) > 0 || H5Tdetect_class(type, H5T_VLEN) > 0)
            H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf);
    }
    if (copy_attrs(s, d) < 0)
        goto cleanup;
    if (H5DSis_scale(s) > 0) {
        char sname[256] = "";
        if (H5DSget_scale_name(s, sname, sizeof sname) < 0 || H5DSset_scale(d, sname) < 0)
            goto cleanup;
    } else {
        int rank = H5Sget_simple_extent_ndims(space);
        for (int i = 0; i < rank; i++) {
            if (H5DSget_num_scales(s, (unsigned)i) <= 0)
                continue;
            char path[PATH_MAX_LEN];
            char *ctx[3] = {path, (char *)(uintptr_t)c->src_root, (char *)(uintptr_t)c->dst_root};
            if (H5DSiterate_scales(s, (unsigned)i, NULL, scale_path, ctx) < 0)
                goto cleanup;
            hid_t sc = H5Dopen2(c->dst_file, path, H5P_DEFAULT);
            herr_t a = sc < 0 ? -1 : H5DSattach_scale(d, sc, (unsigned)i);
            if (sc >= 0)
                H5Dclose(sc);
            if (a < 0)
                goto cleanup;
        }
    }
    rc = 0;
cleanup:
    free(buf);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    if (d >= 0 && H5Dclose(d) < 0)
        rc = -1;
    if (s >= 0)
        H5Dclose(s);
    if (rc < 0 && c->st == MND_OK)
        c->st = io_fail(c->err, c->out_path, "cannot copy dataset", name);
    return rc;
}

static int copy_group(copier *c, hid_t src, hid_t dst)
{
    hsize_t idx = 0;
    void *ctx[2] = {c, &dst};
    if (copy_attrs(src, dst) < 0)
        return -1;
    return H5Literate(src, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, copy_child, ctx) < 0 ? -1 : 0;
}

static mnd_status write_attrs(hid_t obj, const mnd_merge_attr *a, size_t n, hid_t str,
                              const char *path, mnd_error *err)
{
    for (size_t i = 0; i < n; i++) {
        hid_t space = H5Screate(H5S_SCALAR);
        hid_t type = a[i].text ? str : H5T_STD_I64LE;
        hid_t at = H5Acreate2(obj, a[i].name, type, space, H5P_DEFAULT, H5P_DEFAULT);
        herr_t rc = at < 0 ? -1
                    : a[i].text ? H5Awrite(at, str, &a[i].text)
                                : H5Awrite(at, H5T_NATIVE_INT64, &a[i].number);
        if (at >= 0)
            H5Aclose(at);
        H5Sclose(space);
        if (rc < 0)
            return io_fail(err, path, "cannot write attribute", a[i].name);
    }
    return MND_OK;
}

/* Creates every missing group of `path` (a group path) in file f. */
static hid_t create_groups(hid_t f, const char *path)
{
    char part[PATH_MAX_LEN];
    hid_t g = H5I_INVALID_HID;
    for (const char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        snprintf(part, sizeof part, "%.*s", (int)(p - path), path);
        if (g >= 0)
            H5Gclose(g);
        if (H5Lexists(f, part, H5P_DEFAULT) > 0)
            g = H5Gopen2(f, part, H5P_DEFAULT);
        else {
            hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
            H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
            H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
            g = H5Gcreate2(f, part, H5P_DEFAULT, gcpl, H5P_DEFAULT);
            H5Pclose(gcpl);
        }
        if (g < 0 || *p == '\0')
            return g;
    }
}

mnd_status mnd_merge_write(const char *path, const mnd_merge_attr *root, size_t n_root,
                           const mnd_merge_copy *copies, size_t n_copies, mnd_error *err)
{
    mnd_status st = MND_OK;
    char tmp[PATH_MAX_LEN + 32];
    hid_t f = H5I_INVALID_HID, str = H5Tcopy(H5T_C_S1), fcpl = H5Pcreate(H5P_FILE_CREATE);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    bool created = false;

    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    H5Tset_size(str, H5T_VARIABLE);
    H5Tset_cset(str, H5T_CSET_UTF8);
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_SEMI);
    f = H5Fcreate(tmp, H5F_ACC_EXCL, fcpl, fapl);
    if (f < 0) {
        st = io_fail(err, path, "cannot create the temporary file", tmp);
        goto cleanup;
    }
    created = true;
    if ((st = write_attrs(f, root, n_root, str, path, err)) != MND_OK)
        goto cleanup;
    for (size_t i = 0; i < n_copies; i++) {
        const mnd_merge_copy *cp = &copies[i];
        hid_t sf = H5Fopen(cp->file, H5F_ACC_RDONLY, H5P_DEFAULT);
        hid_t sg = sf < 0 ? -1 : H5Gopen2(sf, cp->from, H5P_DEFAULT);
        hid_t dg = sg < 0 ? -1 : create_groups(f, cp->to);
        char src_root[PATH_MAX_LEN];
        snprintf(src_root, sizeof src_root, "%s%s", cp->from[0] == '/' ? "" : "/", cp->from);
        copier c = {sf, f, src_root, cp->to, path, err, MND_OK};
        if (sg < 0 || dg < 0)
            st = io_fail(err, cp->file, "cannot open group", cp->from);
        else if (copy_group(&c, sg, dg) < 0)
            st = c.st != MND_OK ? c.st : io_fail(err, cp->file, "cannot copy group", cp->from);
        else
            st = write_attrs(dg, cp->attrs, cp->n_attrs, str, path, err);
        if (dg >= 0)
            H5Gclose(dg);
        if (sg >= 0)
            H5Gclose(sg);
        if (sf >= 0)
            H5Fclose(sf);
        if (st != MND_OK)
            goto cleanup;
    }
    herr_t rc = H5Fclose(f);
    f = H5I_INVALID_HID;
    if (rc < 0) {
        st = io_fail(err, path, "cannot close the temporary file", tmp);
        goto cleanup;
    }
    int fd = open(tmp, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        st = mnd_error_set(err, MND_ERR_IO, NULL, 0, "%s: cannot write it: %s", path,
                           strerror(errno));
        goto cleanup;
    }
    created = false;

cleanup:
    if (f >= 0)
        H5Fclose(f);
    if (created)
        unlink(tmp);
    H5Tclose(str);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    H5Eclear2(H5E_DEFAULT);
    return st;
}

/* The root attributes of a sweep file that identify the sweep. */
static const char *const same_sweep[] = {"sweep",     "n_scenarios",    "config_path",
                                         "overrides", "engine_version", "git_commit"};
enum { N_SAME = sizeof same_sweep / sizeof same_sweep[0] };

mnd_status mnd_merge_pieces(const char *path, const char *const *inputs, size_t n,
                            const char *command_line, mnd_error *err)
{
    mnd_status st = MND_OK;
    char *first[N_SAME] = {0}, *title = NULL, *piece = NULL, *dirty = NULL;
    int64_t pieces = 0, total = 0;
    int64_t *which = calloc(n ? n : 1, sizeof *which);
    mnd_merge_copy *copies = NULL;
    char (*names)[64] = NULL;
    size_t n_copies = 0;
    if (which == NULL)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t k = 0; k < n && st == MND_OK; k++) {
        mnd_reader *r = NULL;
        if ((st = mnd_reader_open(&r, inputs[k], err)) != MND_OK)
            break;
        free(title);
        title = NULL;
        if (mnd_reader_attr(r, "title", &title, err) != MND_OK
            || strcmp(title, "mndsim scenario sweep") != 0
            || mnd_reader_attr(r, "piece", &piece, err) != MND_OK) {
            st = mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                               "merge: %s is not a piece of a scenario sweep", inputs[k]);
        }
        int64_t i = 0, of = 0;
        if (st == MND_OK && mnd_sweep_parse_piece(piece, &i, &of) != 0)
            st = mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                               "merge: %s is a whole sweep (piece '%s'), not a piece",
                               inputs[k], piece);
        free(piece);
        piece = NULL;
        for (int a = 0; st == MND_OK && a < N_SAME; a++) {
            char *v = NULL;
            if (mnd_reader_attr(r, same_sweep[a], &v, err) != MND_OK) {
                st = mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                                   "merge: %s has no root attribute '%s'", inputs[k],
                                   same_sweep[a]);
            } else if (k == 0) {
                first[a] = v;
                v = NULL;
            } else if (strcmp(first[a], v) != 0) {
                st = mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                                   "merge: %s and %s are not pieces of the same sweep "
                                   "(root attribute '%s' differs)",
                                   inputs[0], inputs[k], same_sweep[a]);
            }
            free(v);
        }
        if (st == MND_OK && k == 0) {
            pieces = of;
            total = strtoll(first[1], NULL, 10);
            mnd_reader_attr(r, "git_dirty", &dirty, err);
        }
        if (st == MND_OK && of != pieces)
            st = mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                               "merge: %s is piece %" PRId64 "/%" PRId64 " but %s is a piece of "
                               "%" PRId64,
                               inputs[k], i, of, inputs[0], pieces);
        for (size_t j = 0; st == MND_OK && j < k; j++)
            if (which[j] == i)
                st = mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                                   "merge: %s and %s are both piece %" PRId64 "/%" PRId64,
                                   inputs[j], inputs[k], i, pieces);
        which[k] = i;
        mnd_reader_close(r);
    }
    if (st == MND_OK && (int64_t)n != pieces) {
        for (int64_t i = 0; i < pieces; i++) {
            bool found = false;
            for (size_t k = 0; k < n; k++)
                found |= which[k] == i;
            if (!found) {
                st = mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                                   "merge: piece %" PRId64 "/%" PRId64 " is missing", i, pieces);
                break;
            }
        }
    }
    if (st != MND_OK)
        goto cleanup;
    copies = calloc((size_t)total, sizeof *copies);
    names = calloc((size_t)total, sizeof *names);
    if (!copies || !names) {
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "out of memory");
        goto cleanup;
    }
    /* the scenarios in order: piece i holds mnd_split_range's share */
    for (int64_t i = 0; i < pieces; i++)
        for (size_t k = 0; k < n; k++) {
            if (which[k] != i)
                continue;
            mnd_reader *r = NULL;
            if ((st = mnd_reader_open(&r, inputs[k], err)) != MND_OK)
                goto cleanup;
            for (int64_t s = 0; s < total; s++) {
                char group[64];
                mnd_sweep_group_name(s, total, group, sizeof group);
                char probe[80];
                snprintf(probe, sizeof probe, "%s/patient", group + 1);
                if (!mnd_reader_has(r, probe))
                    continue;
                snprintf(names[n_copies], sizeof names[n_copies], "%s", group);
                copies[n_copies] = (mnd_merge_copy){inputs[k], names[n_copies], names[n_copies],
                                                    NULL, 0};
                n_copies++;
            }
            mnd_reader_close(r);
        }
    if ((int64_t)n_copies != total) {
        st = mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                           "merge: the pieces hold %zu scenarios; the sweep has %" PRId64,
                           n_copies, total);
        goto cleanup;
    }
    char created[32] = "";
    time_t now = time(NULL);
    struct tm utc;
    if (gmtime_r(&now, &utc) != NULL)
        strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
    const mnd_merge_attr root[] = {
        {"title", "mndsim scenario sweep", 0},
        {"engine_name", "mndsim", 0},
        {"engine_version", first[4], 0},
        {"git_commit", first[5], 0},
        {"git_dirty", NULL, dirty ? strtoll(dirty, NULL, 10) : 1},
        {"command_line", command_line, 0},
        {"config_path", first[2], 0},
        {"overrides", first[3], 0},
        {"created_utc", created, 0},
        {"sweep", first[0], 0},
        {"n_scenarios", NULL, total},
        {"piece", "all", 0},
    };
    st = mnd_merge_write(path, root, sizeof root / sizeof *root, copies, n_copies, err);

cleanup:
    for (int a = 0; a < N_SAME; a++)
        free(first[a]);
    free(title);
    free(piece);
    free(dirty);
    free(which);
    free(copies);
    free(names);
    return st;
}
