/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * config_table.h — private: the option table that drives configuration
 * (src/config_table.c defines it, src/config.c interprets it).
 *
 * One row per key.  Everything about a key — where it lives in mnd_params,
 * how it is read and checked, its default, and its documentation — is in its
 * row, so the loader, the validator, the resolved-config writer and the
 * Markdown reference (configs/README.md) can never disagree.  Not installed:
 * no libconfig types appear here, and nothing outside src/config*.c and the
 * config unit test includes it.
 */
#ifndef MNDSIM_CONFIG_TABLE_H
#define MNDSIM_CONFIG_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mndsim/model.h"

/* How a key is written in a config file and stored in mnd_params. */
typedef enum {
    MND_OPT_INT,     /* int64_t; an integer literal (>= 2^31 needs the L suffix) */
    MND_OPT_SEED,    /* uint64_t in [0, 2^63); an integer literal */
    MND_OPT_REAL,    /* double; an integer or float literal */
    MND_OPT_BOOL,    /* bool; true or false */
    MND_OPT_ENUM,    /* an int-sized C enum; a string among `names` */
    MND_OPT_REALS,   /* double[size / sizeof(double)]; an array of exactly that many numbers */
    MND_OPT_NAMESET, /* bool[n_names]; a list of distinct strings among `names` */
    MND_OPT_NAME     /* char[size]; a string of fewer than `size` characters
                        (letters, digits, '_'), "" by default */
} mnd_opt_type;

/* One end of a numeric range.  The zero value means "no bound", so a row
 * that leaves .lo or .hi out is unbounded on that side. */
typedef enum {
    MND_BOUND_NONE = 0,
    MND_BOUND_CLOSED, /* >= lo, <= hi */
    MND_BOUND_OPEN    /* >  lo, <  hi */
} mnd_bound_kind;

typedef struct {
    mnd_bound_kind kind;
    double value;
} mnd_bound;

typedef struct {
    const char *path;         /* "section.key", as written in files and --set */
    mnd_opt_type type;
    size_t offset;            /* offsetof(mnd_params, field) */
    size_t size;              /* sizeof the field, all elements */
    mnd_bound lo, hi;         /* INT, SEED, REAL; REALS: every element */
    bool sum_to_one;          /* REALS: the elements must sum to 1 within 1e-9 */
    const char *below;        /* path of a key of the same type and size that this
                                 one must be strictly less than (element-wise), or NULL */
    const char *const *names; /* ENUM, NAMESET: allowed names; REALS: element labels */
    size_t n_names;
    int64_t def_int;          /* default: INT, SEED, BOOL (0/1), ENUM (index),
                                 NAMESET (bit i set = names[i] stored) */
    double def_real;          /* default: REAL */
    const double *def_reals;  /* default: REALS, def_n values */
    size_t def_n;
    const char *unit;         /* for the reference; "-" when dimensionless */
    const char *meaning;      /* one or two sentences, no '|' (Markdown table cell) */
    const char *source;       /* literature, or "model assumption, calibrated to ..." */
} mnd_option;

/* Top-level groups of a config file, in the order they are documented and
 * written. */
typedef struct {
    const char *name;  /* "simulation" */
    const char *title; /* one sentence for the reference */
} mnd_section;

extern const mnd_option mnd_options[];
extern const size_t mnd_option_count;
/* Keys of one `interventions` entry, relative to the entry
 * (interventions.<name>.<key>); offsets into mnd_intervention. */
extern const mnd_option mnd_intervention_options[];
extern const size_t mnd_intervention_option_count;
/* Keys of one `studies` entry (studies.<name>.<key>); offsets into
 * mnd_study. */
extern const mnd_option mnd_study_options[];
extern const size_t mnd_study_option_count;
/* Keys of one `sweep` axis (sweep.<axis>.<key>), for the reference only:
 * they are read by mnd_config_load_sweep, not into mnd_params. */
typedef struct {
    const char *path;    /* "key" */
    const char *type;    /* as the reference prints it */
    const char *unit;
    const char *meaning;
    const char *source;
} mnd_doc_key;

extern const mnd_doc_key mnd_sweep_keys[];
extern const size_t mnd_sweep_key_count;
extern const mnd_section mnd_sections[];
extern const size_t mnd_section_count;

#endif
