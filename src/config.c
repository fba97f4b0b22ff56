/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * config.c — loading, checking and documenting configurations (config.h).
 * The only file of the tree that includes <libconfig.h>.
 *
 * Design.  Every key is one row of the option table (config_table.c); this
 * file only interprets rows, so it has no knowledge of any particular key.
 * mnd_config_load works in stages on a private copy of the parameters, and
 * copies it to the caller only when every stage has passed:
 *
 *   1. defaults      each row's default (mnd_config_defaults);
 *   2. the file      config_source.c reads it and expands its @include
 *                    directives, each relative to the file that holds it;
 *                    libconfig parses the expanded text; then the whole
 *                    tree is walked in file order, and each setting is
 *                    matched to its row (unknown sections and keys are
 *                    errors) and applied by the row's typed setter, which
 *                    checks type and range;
 *   3. overrides     each "key=value" is parsed by libconfig as the text
 *                    "v = value;" and applied by the same setter;
 *   4. cross-field   rules between keys (shares sum to 1, min < max) run
 *                    on the final values, after the overrides;
 *   5. resolved      optionally, the final values as libconfig text.
 *
 * Every assignment records where it came from (file and line, or the
 * --set text), so an error found in stage 4 still points at the line that
 * set the offending value, and the resolved text can say where each value
 * came from.  libconfig only sees the expanded text, so each line it
 * reports, for a setting or a syntax error, is mapped back through the
 * source's line map to the file and line the user wrote.  The first error
 * stops the load; messages read like compiler errors:
 * "file:line: key must be >= 1 (got -5)".
 *
 * libconfig 1.5 pitfalls handled here (notes §5):
 *   - AUTOCONVERT stays off: real keys accept INT, INT64 and FLOAT settings
 *     themselves (so `dt = 1;` works), integer keys accept INT and INT64
 *     only (a float is never truncated silently).
 *   - Integers are read with config_setting_get_int64.  Literals >= 2^31
 *     without the L suffix are wrapped by the parser before we see them;
 *     that cannot be detected, so it is documented, and the range checks
 *     reject the usual (negative) result.
 *   - @include resolves against one folder per load, so libconfig never
 *     opens a file here: config_source.c expands the directives itself
 *     (relative to the including file, at any depth) and libconfig reads
 *     the result with config_read_string.  Syntax errors come back as a
 *     line of that text and are mapped to the file and line written.
 *     Opening files there also lets a missing file be reported with the
 *     operating system's reason.
 *
 * Not thread-safe with respect to the C library's strerror; call from the
 * main thread before a run starts.  Numbers are formatted and parsed in
 * the "C" numeric locale (the default unless the program calls setlocale).
 */
#include <assert.h>
#include <inttypes.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "config_source.h"
#include "config_table.h"
#include "mndsim/config.h"

/* Shares must sum to 1 within this (absolute) tolerance. */
#define SHARE_TOLERANCE 1e-9

/* Groups of named entries: interventions, studies (see "named entries"). */
enum { N_ENTRY_GROUPS = 2 };

/* Where a value came from. */
typedef enum { ORIGIN_DEFAULT = 0, ORIGIN_FILE, ORIGIN_OVERRIDE } origin_kind;

typedef struct {
    origin_kind kind;
    const char *file;     /* FILE: display name of the file; owned by the load's
                             mnd_config_source */
    int line;             /* FILE: 1-based line */
    const char *override; /* OVERRIDE: the caller's "key=value" text */
    unsigned long order;  /* 0 for defaults; increases with every assignment */
} origin;

/* State of one mnd_config_load call. */
typedef struct {
    const char *path;     /* main file as the caller gave it */
    mnd_config_source src; /* the file with its includes expanded, and the line map */
    origin *set_at;       /* [mnd_option_count]: where each key got its value */
    origin *entry_set_at[N_ENTRY_GROUPS]; /* [max_entries][rows] of each entry group */
    unsigned long n_set;  /* assignments so far */
    mnd_error *err;
} loader;

/* ------------------------------------------------------------------ helpers */

/* Writes the shortest of %.15g, %.16g, %.17g that reads back as exactly `x`. */
static void fmt_real(char *buf, size_t n, double x)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

static size_t option_index(const mnd_option *opt)
{
    return (size_t)(opt - mnd_options);
}

/* Number of values a row holds: elements of a REALS array, names of a
 * NAMESET, else 1. */
static size_t option_count(const mnd_option *opt)
{
    if (opt->type == MND_OPT_REALS)
        return opt->size / sizeof(double);
    if (opt->type == MND_OPT_NAMESET)
        return opt->n_names;
    return 1;
}

static const mnd_option *find_option(const char *path)
{
    for (size_t i = 0; i < mnd_option_count; i++)
        if (strcmp(mnd_options[i].path, path) == 0)
            return &mnd_options[i];
    return NULL;
}

/* The row of key `key` in section `section`, or NULL. */
static const mnd_option *find_member(const char *section, const char *key)
{
    size_t len = strlen(section);

    for (size_t i = 0; i < mnd_option_count; i++) {
        const char *path = mnd_options[i].path;
        if (strncmp(path, section, len) == 0 && path[len] == '.' &&
            strcmp(path + len + 1, key) == 0)
            return &mnd_options[i];
    }
    return NULL;
}

static bool is_section(const char *name)
{
    for (size_t i = 0; i < mnd_section_count; i++)
        if (strcmp(mnd_sections[i].name, name) == 0)
            return true;
    return false;
}

/* Index of `name` among the row's names, or -1. */
static long name_index(const mnd_option *opt, const char *name)
{
    for (size_t i = 0; i < opt->n_names; i++)
        if (strcmp(opt->names[i], name) == 0)
            return (long)i;
    return -1;
}

/* '"a", "b", "c"' for messages. */
static void names_list(const mnd_option *opt, char *buf, size_t n)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < opt->n_names && used < n; i++) {
        int w = snprintf(buf + used, n - used, "%s\"%s\"", i ? ", " : "", opt->names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* "section.key[label]" for element k of an array row. */
static void element_label(const mnd_option *opt, size_t k, char *buf, size_t n)
{
    if (opt->names != NULL && k < opt->n_names)
        snprintf(buf, n, "%s[%s]", opt->path, opt->names[k]);
    else
        snprintf(buf, n, "%s[%zu]", opt->path, k);
}

static const char *type_name(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_GROUP: return "group";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "integer";
    case CONFIG_TYPE_FLOAT: return "float";
    case CONFIG_TYPE_STRING: return "string";
    case CONFIG_TYPE_BOOL: return "boolean";
    case CONFIG_TYPE_ARRAY: return "array";
    case CONFIG_TYPE_LIST: return "list";
    default: return "nothing";
    }
}

static bool is_integer(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

static bool is_number(const config_setting_t *s)
{
    return is_integer(s) || config_setting_type(s) == CONFIG_TYPE_FLOAT;
}

static double number_value(const config_setting_t *s)
{
    if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
        return config_setting_get_float(s);
    return (double)config_setting_get_int64(s);
}

/* The comparison that `x` fails ("must be >= bound"), with the bound in
 * *bound; NULL when x is within the row's range. */
static const char *range_violation(const mnd_option *opt, double x, double *bound)
{
    if (opt->lo.kind != MND_BOUND_NONE) {
        bool ok = opt->lo.kind == MND_BOUND_OPEN ? x > opt->lo.value : x >= opt->lo.value;
        if (!ok) {
            *bound = opt->lo.value;
            return opt->lo.kind == MND_BOUND_OPEN ? ">" : ">=";
        }
    }
    if (opt->hi.kind != MND_BOUND_NONE) {
        bool ok = opt->hi.kind == MND_BOUND_OPEN ? x < opt->hi.value : x <= opt->hi.value;
        if (!ok) {
            *bound = opt->hi.value;
            return opt->hi.kind == MND_BOUND_OPEN ? "<" : "<=";
        }
    }
    return NULL;
}

/* Where setting `s` was written: its line in the expanded text, mapped
 * back to a file and line. */
static origin origin_of(const loader *ld, const config_setting_t *s)
{
    mnd_config_place place =
        mnd_config_source_locate(&ld->src, (long)config_setting_source_line(s));
    origin at = {ORIGIN_FILE, place.file, place.line, NULL, 0};
    return at;
}

/* Records a configuration error located at `at` and returns MND_ERR_CONFIG. */
static mnd_status fail(const loader *ld, const origin *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static mnd_status fail(const loader *ld, const origin *at, const char *fmt, ...)
{
    char body[sizeof ld->err->message];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    switch (at->kind) {
    case ORIGIN_FILE:
        return mnd_error_set(ld->err, MND_ERR_CONFIG, at->file, at->line, "%s", body);
    case ORIGIN_OVERRIDE:
        return mnd_error_set(ld->err, MND_ERR_CONFIG, NULL, 0, "--set %s: %s", at->override,
                             body);
    default:
        return mnd_error_set(ld->err, MND_ERR_CONFIG, NULL, 0, "%s", body);
    }
}

/* ---------------------------------------------------------- typed setters */
/* Each setter checks the setting `s` against row `opt` and, when it passes,
 * stores the value at `field` (inside the loader's private parameters).
 * On failure the field may be partly written: the caller then discards the
 * whole private copy. */

static mnd_status set_integer(const loader *ld, const mnd_option *opt,
                              const config_setting_t *s, const origin *at,
                              unsigned char *field)
{
    int64_t v;
    double bound;
    const char *op;
    char b[32];

    if (!is_integer(s))
        return fail(ld, at, "%s must be an integer (got %s)", opt->path, type_name(s));
    v = (int64_t)config_setting_get_int64(s);
    op = range_violation(opt, (double)v, &bound);
    if (op != NULL) {
        fmt_real(b, sizeof b, bound);
        return fail(ld, at, "%s must be %s %s (got %" PRId64 ")", opt->path, op, b, v);
    }
    if (opt->type == MND_OPT_SEED) {
        uint64_t u = (uint64_t)v; /* v >= 0: the row's lower bound */
        assert(opt->size == sizeof u);
        memcpy(field, &u, sizeof u);
    } else {
        assert(opt->size == sizeof v);
        memcpy(field, &v, sizeof v);
    }
    return MND_OK;
}

/* Checks one real value named `label` against the row's range. */
static mnd_status check_real(const loader *ld, const mnd_option *opt, const char *label,
                             const config_setting_t *s, const origin *at, double *x)
{
    double bound;
    const char *op;
    char b[32], g[32];

    if (!is_number(s))
        return fail(ld, at, "%s must be a number (got %s)", label, type_name(s));
    *x = number_value(s);
    fmt_real(g, sizeof g, *x);
    if (!isfinite(*x))
        return fail(ld, at, "%s must be a finite number (got %s)", label, g);
    op = range_violation(opt, *x, &bound);
    if (op != NULL) {
        fmt_real(b, sizeof b, bound);
        return fail(ld, at, "%s must be %s %s (got %s)", label, op, b, g);
    }
    return MND_OK;
}

static mnd_status set_real(const loader *ld, const mnd_option *opt, const config_setting_t *s,
                           const origin *at, unsigned char *field)
{
    double x = 0.0;
    mnd_status st = check_real(ld, opt, opt->path, s, at, &x);

    if (st != MND_OK)
        return st;
    assert(opt->size == sizeof x);
    memcpy(field, &x, sizeof x);
    return MND_OK;
}

static mnd_status set_reals(const loader *ld, const mnd_option *opt, const config_setting_t *s,
                            const origin *at, unsigned char *field)
{
    size_t n = option_count(opt);
    int t = config_setting_type(s);
    char label[256];

    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return fail(ld, at, "%s must be an array of %zu numbers (got %s)", opt->path, n,
                    type_name(s));
    if ((size_t)config_setting_length(s) != n)
        return fail(ld, at, "%s must have %zu elements (got %d)", opt->path, n,
                    config_setting_length(s));
    for (size_t k = 0; k < n; k++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)k);
        origin eat = *at;
        double x = 0.0;
        mnd_status st;

        if (eat.kind == ORIGIN_FILE && config_setting_source_line(e) > 0)
            eat = origin_of(ld, e); /* arrays may span lines, and files */
        element_label(opt, k, label, sizeof label);
        st = check_real(ld, opt, label, e, &eat, &x);
        if (st != MND_OK)
            return st;
        memcpy(field + k * sizeof x, &x, sizeof x);
    }
    return MND_OK;
}

static mnd_status set_bool(const loader *ld, const mnd_option *opt, const config_setting_t *s,
                           const origin *at, unsigned char *field)
{
    bool b;

    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
        return fail(ld, at, "%s must be true or false (got %s)", opt->path, type_name(s));
    b = config_setting_get_bool(s) != 0;
    assert(opt->size == sizeof b);
    memcpy(field, &b, sizeof b);
    return MND_OK;
}

static mnd_status set_enum(const loader *ld, const mnd_option *opt, const config_setting_t *s,
                           const origin *at, unsigned char *field)
{
    char allowed[512];
    const char *name;
    long idx;
    int v;

    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return fail(ld, at, "%s must be a string (got %s)", opt->path, type_name(s));
    name = config_setting_get_string(s);
    idx = name_index(opt, name);
    if (idx < 0) {
        names_list(opt, allowed, sizeof allowed);
        return fail(ld, at, "%s must be one of %s (got \"%s\")", opt->path, allowed, name);
    }
    v = (int)idx; /* the C enums of model.h are int-sized; the table test checks it */
    assert(opt->size == sizeof v);
    memcpy(field, &v, sizeof v);
    return MND_OK;
}

/* A name (of another entry): letters, digits and '_', shorter than the
 * field; "" clears it. */
static mnd_status set_name(const loader *ld, const mnd_option *opt, const config_setting_t *s,
                           const origin *at, unsigned char *field)
{
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return fail(ld, at, "%s must be a string (got %s)", opt->path, type_name(s));
    const char *name = config_setting_get_string(s);
    if (strlen(name) >= opt->size)
        return fail(ld, at, "%s must be shorter than %zu characters (got \"%s\")", opt->path,
                    opt->size, name);
    for (const char *c = name; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')
              || *c == '_'))
            return fail(ld, at, "%s must be a name of letters, digits and '_' (got \"%s\")",
                        opt->path, name);
    memset(field, 0, opt->size);
    memcpy(field, name, strlen(name));
    return MND_OK;
}

static mnd_status set_nameset(const loader *ld, const mnd_option *opt,
                              const config_setting_t *s, const origin *at,
                              unsigned char *field)
{
    int t = config_setting_type(s);
    char allowed[512];
    const bool yes = true;

    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return fail(ld, at, "%s must be an array of strings (got %s)", opt->path, type_name(s));
    assert(opt->size == opt->n_names * sizeof(bool));
    memset(field, 0, opt->size);
    for (int k = 0; k < config_setting_length(s); k++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)k);
        const char *name;
        long idx;
        bool seen;

        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return fail(ld, at, "%s[%d] must be a string (got %s)", opt->path, k, type_name(e));
        name = config_setting_get_string(e);
        idx = name_index(opt, name);
        if (idx < 0) {
            names_list(opt, allowed, sizeof allowed);
            return fail(ld, at, "%s entries must be among %s (got \"%s\")", opt->path, allowed,
                        name);
        }
        memcpy(&seen, field + (size_t)idx * sizeof(bool), sizeof seen);
        if (seen)
            return fail(ld, at, "%s lists \"%s\" twice", opt->path, name);
        memcpy(field + (size_t)idx * sizeof(bool), &yes, sizeof yes);
    }
    return MND_OK;
}

/* Applies setting `s` to row `opt` of the struct at `base` (mnd_params, or
 * an mnd_intervention for the rows of an interventions entry) and records
 * where it came from in `rec`. */
static mnd_status apply_value(loader *ld, const mnd_option *opt, const config_setting_t *s,
                              const origin *at, void *base, origin *rec)
{
    unsigned char *field = (unsigned char *)base + opt->offset;
    mnd_status st = MND_ERR_INTERNAL;

    switch (opt->type) {
    case MND_OPT_INT:
    case MND_OPT_SEED: st = set_integer(ld, opt, s, at, field); break;
    case MND_OPT_REAL: st = set_real(ld, opt, s, at, field); break;
    case MND_OPT_BOOL: st = set_bool(ld, opt, s, at, field); break;
    case MND_OPT_ENUM: st = set_enum(ld, opt, s, at, field); break;
    case MND_OPT_REALS: st = set_reals(ld, opt, s, at, field); break;
    case MND_OPT_NAMESET: st = set_nameset(ld, opt, s, at, field); break;
    case MND_OPT_NAME: st = set_name(ld, opt, s, at, field); break;
    }
    if (st == MND_OK) {
        *rec = *at;
        rec->order = ++ld->n_set;
    }
    return st;
}

/* apply_value for a row of the main table. */
static mnd_status apply_setting(loader *ld, const mnd_option *opt, const config_setting_t *s,
                                const origin *at, mnd_params *p)
{
    return apply_value(ld, opt, s, at, p, &ld->set_at[option_index(opt)]);
}

/* ------------------------------------------------------------ named entries */
/* `interventions` and `studies` are groups of named entries: each member
 * group is one entry, named by the user, whose keys are rows of the
 * group's own table (offsets into the entry struct).  Messages and the
 * resolved text use the full path <group>.<name>.<key>. */

typedef struct {
    const char *group;       /* "interventions" */
    const char *noun;        /* "intervention", for messages */
    const mnd_option *rows;
    const size_t *n_rows;
    size_t entries_offset;   /* offsetof(mnd_params, the entry array) */
    size_t entry_size;
    size_t count_offset;     /* offsetof(mnd_params, the int64_t entry count) */
    size_t name_offset;      /* offsetof(entry, name), a char[MND_INTERVENTION_NAME_MAX] */
    size_t max_entries;
} entry_group;

#define INTERVENTIONS "interventions"
#define STUDIES "studies"

static const entry_group entry_groups[N_ENTRY_GROUPS] = {
    {INTERVENTIONS, "intervention", mnd_intervention_options, &mnd_intervention_option_count,
     offsetof(mnd_params, interventions), sizeof(mnd_intervention),
     offsetof(mnd_params, n_interventions), offsetof(mnd_intervention, name),
     MND_MAX_INTERVENTIONS},
    {STUDIES, "study", mnd_study_options, &mnd_study_option_count, offsetof(mnd_params, studies),
     sizeof(mnd_study), offsetof(mnd_params, n_studies), offsetof(mnd_study, name),
     MND_MAX_STUDIES},
};

static const entry_group *find_group(const char *name)
{
    for (size_t g = 0; g < N_ENTRY_GROUPS; g++)
        if (strcmp(entry_groups[g].group, name) == 0)
            return &entry_groups[g];
    return NULL;
}

static int64_t *entry_count(const entry_group *g, mnd_params *p)
{
    return (int64_t *)((unsigned char *)p + g->count_offset);
}

static int64_t entry_total(const entry_group *g, const mnd_params *p)
{
    int64_t n;
    memcpy(&n, (const unsigned char *)p + g->count_offset, sizeof n);
    return n;
}

static void *entry_at(const entry_group *g, mnd_params *p, size_t k)
{
    return (unsigned char *)p + g->entries_offset + k * g->entry_size;
}

static const void *entry_const(const entry_group *g, const mnd_params *p, size_t k)
{
    return (const unsigned char *)p + g->entries_offset + k * g->entry_size;
}

static const char *entry_name(const entry_group *g, const void *entry)
{
    return (const char *)entry + g->name_offset;
}

static const mnd_option *find_entry_option(const entry_group *g, const char *key)
{
    for (size_t i = 0; i < *g->n_rows; i++)
        if (strcmp(g->rows[i].path, key) == 0)
            return &g->rows[i];
    return NULL;
}

/* Row `opt` of entry k with its full path in `buf`, for messages. */
static mnd_option entry_row(const entry_group *g, const mnd_option *opt, const mnd_params *p,
                            size_t k, char *buf, size_t n)
{
    mnd_option row = *opt;
    snprintf(buf, n, "%s.%s.%s", g->group, entry_name(g, entry_const(g, p, k)), opt->path);
    row.path = buf;
    return row;
}

static origin *entry_origin(const loader *ld, const entry_group *g, size_t k,
                            const mnd_option *opt)
{
    return &ld->entry_set_at[g - entry_groups][k * *g->n_rows + (size_t)(opt - g->rows)];
}

static void set_default(const mnd_option *opt, unsigned char *field);

/* Every key of an entry at its default. */
static void entry_defaults(const entry_group *g, void *entry)
{
    for (size_t r = 0; r < *g->n_rows; r++)
        set_default(&g->rows[r], (unsigned char *)entry + g->rows[r].offset);
}

/* Applies setting `s` to key `opt` of entry k. */
static mnd_status apply_entry_setting(loader *ld, const entry_group *g, size_t k,
                                      const mnd_option *opt, const config_setting_t *s,
                                      const origin *at, mnd_params *p)
{
    char path[160];
    mnd_option row = entry_row(g, opt, p, k, path, sizeof path);
    return apply_value(ld, &row, s, at, entry_at(g, p, k), entry_origin(ld, g, k, opt));
}

/* Stage 2 for a group of entries: one entry per member group, with every
 * key at its default value until the file sets it. */
static mnd_status apply_entries(loader *ld, const entry_group *g, const config_setting_t *sec,
                                mnd_params *p)
{
    origin at = origin_of(ld, sec);
    if (!config_setting_is_group(sec))
        return fail(ld, &at, "%s must be a group of named entries (got %s)", g->group,
                    type_name(sec));
    for (int i = 0; i < config_setting_length(sec); i++) {
        const config_setting_t *e = config_setting_get_elem(sec, (unsigned)i);
        const char *name = config_setting_name(e);
        origin eat = origin_of(ld, e);
        int64_t *count = entry_count(g, p);
        if (!config_setting_is_group(e))
            return fail(ld, &eat, "%s.%s must be a group (got %s)", g->group, name, type_name(e));
        if ((size_t)*count >= g->max_entries)
            return fail(ld, &eat, "at most %zu %s entries (%s.%s is one more)", g->max_entries,
                        g->group, g->group, name);
        if (strlen(name) >= MND_INTERVENTION_NAME_MAX)
            return fail(ld, &eat, "%s name '%s' is longer than %d characters", g->noun, name,
                        MND_INTERVENTION_NAME_MAX - 1);
        size_t k = (size_t)(*count)++;
        void *entry = entry_at(g, p, k);
        entry_defaults(g, entry);
        snprintf((char *)entry + g->name_offset, MND_INTERVENTION_NAME_MAX, "%s", name);
        for (int j = 0; j < config_setting_length(e); j++) {
            const config_setting_t *s = config_setting_get_elem(e, (unsigned)j);
            const mnd_option *opt = find_entry_option(g, config_setting_name(s));
            origin kat = origin_of(ld, s);
            if (opt == NULL)
                return fail(ld, &kat, "unknown key '%s.%s.%s'", g->group, name,
                            config_setting_name(s));
            mnd_status st = apply_entry_setting(ld, g, k, opt, s, &kat, p);
            if (st != MND_OK)
                return st;
        }
    }
    return MND_OK;
}

/* The group, entry and row named by an override key "<group>.<name>.<key>":
 * *g is NULL when the key starts with no group name; otherwise returns
 * MND_OK and sets *k, *opt, or fails naming what is unknown. */
static mnd_status find_entry_key(const loader *ld, const origin *at, const char *key,
                                 const mnd_params *p, const entry_group **g, size_t *k,
                                 const mnd_option **opt)
{
    *g = NULL;
    for (size_t i = 0; i < N_ENTRY_GROUPS; i++) {
        size_t len = strlen(entry_groups[i].group);
        if (strncmp(key, entry_groups[i].group, len) == 0 && key[len] == '.')
            *g = &entry_groups[i];
    }
    if (*g == NULL)
        return MND_OK;
    const char *name = key + strlen((*g)->group) + 1;
    const char *dot = strchr(name, '.');
    size_t len = dot ? (size_t)(dot - name) : strlen(name);
    for (size_t i = 0; i < (size_t)entry_total(*g, p); i++) {
        const char *have = entry_name(*g, entry_const(*g, p, i));
        if (strlen(have) == len && strncmp(have, name, len) == 0) {
            *k = i;
            *opt = dot ? find_entry_option(*g, dot + 1) : NULL;
            if (*opt == NULL)
                return fail(ld, at, "unknown key '%s'", key);
            return MND_OK;
        }
    }
    return fail(ld, at, "unknown %s '%.*s' in '%s' (the configuration defines %lld)", (*g)->noun,
                (int)len, name, key, (long long)entry_total(*g, p));
}

/* ------------------------------------------------------------------ stages */

static void set_default(const mnd_option *opt, unsigned char *field)
{
    switch (opt->type) {
    case MND_OPT_INT: {
        int64_t v = opt->def_int;
        memcpy(field, &v, sizeof v);
        break;
    }
    case MND_OPT_SEED: {
        uint64_t u = (uint64_t)opt->def_int;
        memcpy(field, &u, sizeof u);
        break;
    }
    case MND_OPT_REAL: memcpy(field, &opt->def_real, sizeof opt->def_real); break;
    case MND_OPT_BOOL: {
        bool b = opt->def_int != 0;
        memcpy(field, &b, sizeof b);
        break;
    }
    case MND_OPT_ENUM: {
        int v = (int)opt->def_int;
        memcpy(field, &v, sizeof v);
        break;
    }
    case MND_OPT_REALS:
        assert(opt->def_n * sizeof(double) == opt->size);
        memcpy(field, opt->def_reals, opt->size);
        break;
    case MND_OPT_NAMESET:
        for (size_t k = 0; k < opt->n_names; k++) {
            bool b = (opt->def_int >> k) & 1;
            memcpy(field + k * sizeof b, &b, sizeof b);
        }
        break;
    case MND_OPT_NAME: memset(field, 0, opt->size); break;
    }
}

void mnd_config_defaults(mnd_params *p)
{
    /* zeroed first so that padding is deterministic: loaded parameter sets
     * can be compared with memcmp */
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < mnd_option_count; i++)
        set_default(&mnd_options[i], (unsigned char *)p + mnd_options[i].offset);
}

/* Stage 2: walks the parsed tree in file order. */
static mnd_status apply_file(loader *ld, const config_t *cfg, mnd_params *p)
{
    const config_setting_t *root = config_root_setting(cfg);

    for (int i = 0; i < config_setting_length(root); i++) {
        const config_setting_t *sec = config_setting_get_elem(root, (unsigned)i);
        const char *sname = config_setting_name(sec);
        origin at = origin_of(ld, sec);

        if (strcmp(sname, "sweep") == 0)
            continue; /* read by mnd_config_load_sweep */
        const entry_group *g = find_group(sname);
        if (g != NULL) {
            mnd_status st = apply_entries(ld, g, sec, p);
            if (st != MND_OK)
                return st;
            continue;
        }
        if (!is_section(sname))
            return fail(ld, &at, "unknown key '%s'", sname);
        if (!config_setting_is_group(sec))
            return fail(ld, &at, "%s must be a group (got %s)", sname, type_name(sec));
        for (int j = 0; j < config_setting_length(sec); j++) {
            const config_setting_t *s = config_setting_get_elem(sec, (unsigned)j);
            const char *kname = config_setting_name(s);
            const mnd_option *opt = find_member(sname, kname);
            origin kat = origin_of(ld, s);
            mnd_status st;

            if (opt == NULL)
                return fail(ld, &kat, "unknown key '%s.%s'", sname, kname);
            st = apply_setting(ld, opt, s, &kat, p);
            if (st != MND_OK)
                return st;
        }
    }
    return MND_OK;
}

/* An identifier other than true/false: taken as a string for enum keys,
 * so that --set simulation.visit_origin=onset needs no shell quoting. */
static bool is_bare_word(const char *v)
{
    if (!((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') || *v == '_'))
        return false;
    for (const char *c = v; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
              (*c >= '0' && *c <= '9') || *c == '_'))
            return false;
    return strcasecmp(v, "true") != 0 && strcasecmp(v, "false") != 0;
}

/* Initialises cfg (the caller destroys it, success or not) and parses
 * libconfig text into it, with no silent conversion between integer and
 * real; false on a syntax error (config_error_text and _line say where). */
static bool parse_text(config_t *cfg, const char *text)
{
    config_init(cfg);
    config_set_options(cfg, config_get_options(cfg) & ~CONFIG_OPTION_AUTOCONVERT);
    return config_read_string(cfg, text) == CONFIG_TRUE;
}

/* Stage 3: one "key=value" override. */
static mnd_status apply_override(loader *ld, const char *text, mnd_params *p)
{
    mnd_status st = MND_OK;
    origin at = {ORIGIN_OVERRIDE, NULL, 0, text, 0};
    config_t cfg;
    bool cfg_live = false;
    char *key = NULL, *src = NULL;
    const char *eq = strchr(text, '='), *value, *quote;
    const mnd_option *opt;
    const config_setting_t *root;
    size_t klen, srclen, entry_index = 0;
    const entry_group *group = NULL;

    if (eq == NULL) {
        st = fail(ld, &at, "expected key=value");
        goto cleanup;
    }
    while (*text == ' ' || *text == '\t')
        text++;
    klen = (size_t)(eq - text);
    while (klen > 0 && (text[klen - 1] == ' ' || text[klen - 1] == '\t'))
        klen--;
    key = strndup(text, klen);
    if (key == NULL) {
        st = mnd_error_set(ld->err, MND_ERR_NOMEM, NULL, 0, "out of memory reading --set");
        goto cleanup;
    }
    st = find_entry_key(ld, &at, key, p, &group, &entry_index, &opt);
    if (st != MND_OK)
        goto cleanup;
    if (group == NULL)
        opt = find_option(key);
    if (opt == NULL) {
        st = fail(ld, &at, "unknown key '%s'", key);
        goto cleanup;
    }
    value = eq + 1;
    while (*value == ' ' || *value == '\t')
        value++;
    quote = opt->type == MND_OPT_ENUM && is_bare_word(value) ? "\"" : "";
    srclen = strlen(value) + 16;
    src = malloc(srclen);
    if (src == NULL) {
        st = mnd_error_set(ld->err, MND_ERR_NOMEM, NULL, 0, "out of memory reading --set");
        goto cleanup;
    }
    snprintf(src, srclen, "v = %s%s%s;\n", quote, value, quote);
    cfg_live = true;
    if (!parse_text(&cfg, src)) {
        st = fail(ld, &at, "cannot parse value: %s", config_error_text(&cfg));
        goto cleanup;
    }
    root = config_root_setting(&cfg);
    if (config_setting_length(root) != 1) {
        st = fail(ld, &at, "expected a single value");
        goto cleanup;
    }
    if (group != NULL)
        st = apply_entry_setting(ld, group, entry_index, opt, config_setting_get_elem(root, 0),
                                 &at, p);
    else
        st = apply_setting(ld, opt, config_setting_get_elem(root, 0), &at, p);

cleanup:
    if (cfg_live)
        config_destroy(&cfg);
    free(src);
    free(key);
    return st;
}

/* Element k of real row `opt` of the struct at `base`. */
static double real_at(const void *base, const mnd_option *opt, size_t k)
{
    double x;
    memcpy(&x, (const unsigned char *)base + opt->offset + k * sizeof x, sizeof x);
    return x;
}

/* Rule of every entry group: each entry's min < max. */
static mnd_status check_entry_order(const loader *ld, const entry_group *g, const mnd_params *p)
{
    for (size_t k = 0; k < (size_t)entry_total(g, p); k++) {
        const void *entry = entry_const(g, p, k);
        const char *name = entry_name(g, entry);
        for (size_t r = 0; r < *g->n_rows; r++) {
            const mnd_option *opt = &g->rows[r];
            if (opt->below == NULL)
                continue;
            const mnd_option *other = find_entry_option(g, opt->below);
            assert(other != NULL && opt->type == MND_OPT_REAL && other->type == MND_OPT_REAL);
            double a = real_at(entry, opt, 0), b = real_at(entry, other, 0);
            if (a < b)
                continue;
            const origin *oa = entry_origin(ld, g, k, opt), *ob = entry_origin(ld, g, k, other);
            char ga[32], gb[32];
            fmt_real(ga, sizeof ga, a);
            fmt_real(gb, sizeof gb, b);
            return fail(ld, ob->order > oa->order ? ob : oa,
                        "%s.%s.%s must be < %s.%s.%s (got %s and %s)", g->group, name, opt->path,
                        g->group, name, other->path, ga, gb);
        }
    }
    return MND_OK;
}

/* Rule of the interventions: neurotrophic slowings that add up to at most
 * 1 (the disease clock never runs back). */
static mnd_status check_iv_rules(const loader *ld, const mnd_params *p)
{
    const entry_group *g = find_group(INTERVENTIONS);
    double slowing = 0.0;
    const origin *last = NULL;
    for (size_t k = 0; k < (size_t)p->n_interventions; k++) {
        const mnd_intervention *iv = &p->interventions[k];
        if (iv->enabled && iv->neurotrophic_slowing > 0) {
            slowing += iv->neurotrophic_slowing;
            const origin *o = entry_origin(ld, g, k, find_entry_option(g, "neurotrophic_slowing"));
            if (last == NULL || o->order > last->order)
                last = o;
        }
    }
    if (slowing > 1.0)
        return fail(ld, last, "the neurotrophic_slowing of the enabled interventions must add "
                    "up to at most 1 (got %.12g)", slowing);
    return MND_OK;
}

/* Rules of the studies: the treatment names an intervention (or is empty
 * for a study of the natural history), the lead_in design has a lead-in,
 * and an intervention is the treatment of studies only. */
static mnd_status check_study_rules(const loader *ld, const mnd_params *p)
{
    const entry_group *g = find_group(STUDIES);
    for (size_t k = 0; k < (size_t)p->n_studies; k++) {
        const mnd_study *st = &p->studies[k];
        if (st->treatment[0] != '\0' && mnd_params_intervention_index(p, st->treatment) < 0)
            return fail(ld, entry_origin(ld, g, k, find_entry_option(g, "treatment")),
                        STUDIES ".%s.treatment names no intervention ('%s'; the configuration "
                        "defines %lld)",
                        st->name, st->treatment, (long long)p->n_interventions);
        if (st->design == MND_DESIGN_LEAD_IN && !(st->recent_decline_months > 0))
            return fail(ld, entry_origin(ld, g, k, find_entry_option(g, "design")),
                        STUDIES ".%s: the lead_in design needs recent_decline_months > 0",
                        st->name);
    }
    return MND_OK;
}

/* Stage 4: rules between keys, on the final values.  An error points at
 * whichever of the keys involved was set last. */
static mnd_status check_rules(const loader *ld, const mnd_params *p)
{
    mnd_status st = check_iv_rules(ld, p);
    for (size_t g = 0; st == MND_OK && g < N_ENTRY_GROUPS; g++)
        st = check_entry_order(ld, &entry_groups[g], p);
    if (st == MND_OK)
        st = check_study_rules(ld, p);
    if (st != MND_OK)
        return st;
    for (size_t i = 0; i < mnd_option_count; i++) {
        const mnd_option *opt = &mnd_options[i];

        if (opt->sum_to_one) {
            double sum = 0;
            for (size_t k = 0; k < option_count(opt); k++)
                sum += real_at(p, opt, k);
            if (!(fabs(sum - 1) <= SHARE_TOLERANCE))
                return fail(ld, &ld->set_at[i], "%s must sum to 1 (got %.12g)", opt->path, sum);
        }
        if (opt->below != NULL) {
            const mnd_option *other = find_option(opt->below);
            const origin *at;
            size_t j;

            assert(other != NULL && other->type == opt->type && other->size == opt->size);
            assert(opt->type == MND_OPT_REAL || opt->type == MND_OPT_REALS);
            j = option_index(other);
            at = ld->set_at[j].order > ld->set_at[i].order ? &ld->set_at[j] : &ld->set_at[i];
            for (size_t k = 0; k < option_count(opt); k++) {
                double a = real_at(p, opt, k), b = real_at(p, other, k);
                char la[256], lb[256], ga[32], gb[32];

                if (a < b)
                    continue;
                if (opt->type == MND_OPT_REALS) {
                    element_label(opt, k, la, sizeof la);
                    element_label(other, k, lb, sizeof lb);
                } else {
                    snprintf(la, sizeof la, "%s", opt->path);
                    snprintf(lb, sizeof lb, "%s", other->path);
                }
                fmt_real(ga, sizeof ga, a);
                fmt_real(gb, sizeof gb, b);
                return fail(ld, at, "%s must be < %s (got %s and %s)", la, lb, ga, gb);
            }
        }
    }
    return MND_OK;
}

/* ------------------------------------------------------------------ writers */

/* Writes a real so that libconfig reads it back as a float of the same
 * value: integral values get ".0", since arrays must not mix int and float. */
static void put_real(FILE *f, double x)
{
    char b[40];

    fmt_real(b, sizeof b, x);
    if (strpbrk(b, ".eE") == NULL)
        strcat(b, ".0");
    fputs(b, f);
}

/* Writes the value of row `opt` of the struct at `p` in libconfig syntax. */
static void put_value(FILE *f, const mnd_option *opt, const void *p)
{
    const unsigned char *field = (const unsigned char *)p + opt->offset;

    switch (opt->type) {
    case MND_OPT_INT: {
        int64_t v;
        memcpy(&v, field, sizeof v);
        fprintf(f, "%" PRId64 "%s", v, v > INT32_MAX || v < INT32_MIN ? "L" : "");
        break;
    }
    case MND_OPT_SEED: {
        uint64_t u;
        memcpy(&u, field, sizeof u);
        fprintf(f, "%" PRIu64 "%s", u, u > INT32_MAX ? "L" : "");
        break;
    }
    case MND_OPT_REAL: put_real(f, real_at(p, opt, 0)); break;
    case MND_OPT_BOOL: {
        bool b;
        memcpy(&b, field, sizeof b);
        fputs(b ? "true" : "false", f);
        break;
    }
    case MND_OPT_ENUM: {
        int v;
        memcpy(&v, field, sizeof v);
        assert(v >= 0 && (size_t)v < opt->n_names);
        fprintf(f, "\"%s\"", opt->names[v]);
        break;
    }
    case MND_OPT_REALS:
        fputc('[', f);
        for (size_t k = 0; k < option_count(opt); k++) {
            if (k > 0)
                fputs(", ", f);
            put_real(f, real_at(p, opt, k));
        }
        fputc(']', f);
        break;
    case MND_OPT_NAMESET: {
        bool first = true;
        fputc('[', f);
        for (size_t k = 0; k < opt->n_names; k++) {
            bool b;
            memcpy(&b, field + k * sizeof b, sizeof b);
            if (!b)
                continue;
            fprintf(f, "%s\"%s\"", first ? "" : ", ", opt->names[k]);
            first = false;
        }
        fputc(']', f);
        break;
    }
    case MND_OPT_NAME: fprintf(f, "\"%s\"", (const char *)field); break;
    }
}

/* Copies `s` into a comment: control characters become '?', so nothing
 * the user typed can end the comment early. */
static void put_comment_text(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

static bool in_section(const mnd_option *opt, const char *section)
{
    size_t len = strlen(section);
    return strncmp(opt->path, section, len) == 0 && opt->path[len] == '.';
}

/* Ends a resolved line: ";  # <where the value came from>". */
static void put_origin(FILE *f, const origin *at)
{
    fputs(";  # ", f);
    switch (at->kind) {
    case ORIGIN_FILE:
        put_comment_text(f, at->file);
        fprintf(f, ":%d", at->line);
        break;
    case ORIGIN_OVERRIDE:
        fputs("--set ", f);
        put_comment_text(f, at->override);
        break;
    default: fputs("default", f); break;
    }
    fputc('\n', f);
}

/* Stage 5: every key with its final value and where it came from. */
static mnd_status write_resolved(const loader *ld, const mnd_params *p, char **out)
{
    mnd_status st = MND_OK;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (f == NULL) {
        st = mnd_error_set(ld->err, MND_ERR_NOMEM, NULL, 0,
                           "cannot allocate the resolved configuration");
        goto cleanup;
    }
    fputs("# mndsim configuration, resolved: every key at its final value, with where\n"
          "# the value came from.  Loading this text reproduces the parameters.\n# main file: ",
          f);
    put_comment_text(f, ld->path);
    fputc('\n', f);
    for (size_t s = 0; s < mnd_section_count; s++) {
        const char *sec = mnd_sections[s].name;

        fprintf(f, "\n%s = {\n", sec);
        for (size_t i = 0; i < mnd_option_count; i++) {
            const mnd_option *opt = &mnd_options[i];
            const origin *at = &ld->set_at[i];

            if (!in_section(opt, sec))
                continue;
            fprintf(f, "  %s = ", opt->path + strlen(sec) + 1);
            put_value(f, opt, p);
            put_origin(f, at);
        }
        fputs("};\n", f);
    }
    for (size_t gi = 0; gi < N_ENTRY_GROUPS; gi++) {
        const entry_group *g = &entry_groups[gi];
        if (entry_total(g, p) == 0)
            continue;
        fprintf(f, "\n%s = {\n", g->group);
        for (size_t k = 0; k < (size_t)entry_total(g, p); k++) {
            const void *entry = entry_const(g, p, k);
            fprintf(f, "  %s = {\n", entry_name(g, entry));
            for (size_t r = 0; r < *g->n_rows; r++) {
                fprintf(f, "    %s = ", g->rows[r].path);
                put_value(f, &g->rows[r], entry);
                put_origin(f, entry_origin(ld, g, k, &g->rows[r]));
            }
            fputs("  };\n", f);
        }
        fputs("};\n", f);
    }
    if (ferror(f)) {
        st = mnd_error_set(ld->err, MND_ERR_NOMEM, NULL, 0,
                           "cannot write the resolved configuration");
        goto cleanup;
    }

cleanup:
    if (f != NULL && fclose(f) != 0 && st == MND_OK)
        st = mnd_error_set(ld->err, MND_ERR_NOMEM, NULL, 0,
                           "cannot write the resolved configuration");
    if (st == MND_OK)
        *out = buf;
    else
        free(buf);
    return st;
}

/* A failed config_read_string: a syntax error, at a line of the expanded
 * text that is mapped back to the file and line written. */
static mnd_status parse_error(const loader *ld, const config_t *cfg)
{
    const char *text = config_error_text(cfg) ? config_error_text(cfg) : "syntax error";
    mnd_config_place at = mnd_config_source_locate(&ld->src, config_error_line(cfg));

    return mnd_error_set(ld->err, MND_ERR_CONFIG, at.file, at.line, "%s", text);
}

/* Reads ld->path with its @includes into ld->src and parses it into cfg;
 * *live is set once cfg needs config_destroy.  A syntax error is reported
 * with the file and line it is in. */
static mnd_status parse_file(loader *ld, config_t *cfg, bool *live)
{
    mnd_status st = mnd_config_source_load(&ld->src, ld->path, ld->err);
    if (st != MND_OK)
        return st;
    *live = true;
    return parse_text(cfg, ld->src.text) ? MND_OK : parse_error(ld, cfg);
}

mnd_status mnd_config_load(const char *path, const char *const *overrides,
                           size_t n_overrides, mnd_params *p, char **resolved,
                           mnd_error *err)
{
    mnd_status st = MND_OK;
    loader ld;
    config_t cfg;
    bool cfg_live = false;
    char *text = NULL;
    mnd_params work;

    assert(path != NULL && p != NULL);
    assert(n_overrides == 0 || overrides != NULL);
    mnd_error_clear(err);
    if (resolved != NULL)
        *resolved = NULL;
    memset(&ld, 0, sizeof ld);
    ld.path = path;
    ld.err = err;

    ld.set_at = calloc(mnd_option_count, sizeof *ld.set_at);
    bool oom = ld.set_at == NULL;
    for (size_t g = 0; g < N_ENTRY_GROUPS; g++) {
        ld.entry_set_at[g] = calloc(entry_groups[g].max_entries * *entry_groups[g].n_rows,
                                    sizeof *ld.entry_set_at[g]);
        oom |= ld.entry_set_at[g] == NULL;
    }
    if (oom) {
        st = mnd_error_set(err, MND_ERR_NOMEM, path, 0, "out of memory");
        goto cleanup;
    }
    mnd_config_defaults(&work);

    if ((st = parse_file(&ld, &cfg, &cfg_live)) != MND_OK)
        goto cleanup;

    st = apply_file(&ld, &cfg, &work);
    for (size_t k = 0; st == MND_OK && k < n_overrides; k++)
        st = apply_override(&ld, overrides[k], &work);
    if (st == MND_OK)
        st = check_rules(&ld, &work);
    if (st == MND_OK && resolved != NULL)
        st = write_resolved(&ld, &work, &text);
    if (st != MND_OK)
        goto cleanup;

    *p = work;
    if (resolved != NULL) {
        *resolved = text;
        text = NULL;
    }

cleanup:
    free(text);
    if (cfg_live)
        config_destroy(&cfg);
    mnd_config_source_clear(&ld.src);
    free(ld.set_at);
    for (size_t g = 0; g < N_ENTRY_GROUPS; g++)
        free(ld.entry_set_at[g]);
    return st;
}

/* -------------------------------------------------------------- reference */

static const char sweep_intro[] =
    "\n## `sweep`\n"
    "\n"
    "A grid of scenarios run in one invocation, one HDF5 group `/scenarios/sNN` per scenario "
    "(docs/hdf5-schema.md). Each named axis varies one existing key; the scenarios are the "
    "Cartesian product of the axes, the first axis slowest, and each is loaded exactly as "
    "`--set key=value` would load it. `mndsim run CONFIG --scenario I/N` runs piece I "
    "(0-based) of N, a contiguous range of the scenarios, and `mndsim merge OUT PIECES...` "
    "joins the pieces.\n"
    "\n"
    "```\n"
    "sweep = {\n"
    "  effect = { key = \"interventions.clinic_cells.loss_rate_multiplier\"; values = [1.0, 0.8, 0.6]; };\n"
    "  size = { key = \"studies.trial.n_patients\"; values = [40, 60]; };\n"
    "};\n"
    "```\n"
    "\n";

static void put_bound(FILE *out, double x)
{
    char b[32];
    fmt_real(b, sizeof b, x);
    fputs(b, out);
}

/* The "range" cell of a row. */
static void put_range(FILE *out, const mnd_option *opt)
{
    switch (opt->type) {
    case MND_OPT_BOOL: fputs("`true`, `false`", out); return;
    case MND_OPT_NAME:
        fprintf(out, "a name (letters, digits, `_`), at most %zu characters", opt->size - 1);
        return;
    case MND_OPT_ENUM:
    case MND_OPT_NAMESET:
        fputs(opt->type == MND_OPT_ENUM ? "one of " : "any of ", out);
        for (size_t k = 0; k < opt->n_names; k++)
            fprintf(out, "%s`\"%s\"`", k ? ", " : "", opt->names[k]);
        return;
    default: break;
    }
    if (opt->type == MND_OPT_REALS)
        fputs("each ", out);
    if (opt->lo.kind == MND_BOUND_CLOSED && opt->hi.kind == MND_BOUND_CLOSED) {
        put_bound(out, opt->lo.value);
        fputs(" – ", out);
        put_bound(out, opt->hi.value);
    } else if (opt->lo.kind == MND_BOUND_NONE && opt->hi.kind == MND_BOUND_NONE) {
        fputs("any", out);
    } else {
        if (opt->lo.kind != MND_BOUND_NONE) {
            fputs(opt->lo.kind == MND_BOUND_OPEN ? "> " : "≥ ", out);
            put_bound(out, opt->lo.value);
        }
        if (opt->hi.kind != MND_BOUND_NONE) {
            fputs(opt->lo.kind != MND_BOUND_NONE ? ", " : "", out);
            fputs(opt->hi.kind == MND_BOUND_OPEN ? "< " : "≤ ", out);
            put_bound(out, opt->hi.value);
        }
    }
    if (opt->type == MND_OPT_SEED)
        fputs(", < 2^63", out);
    if (opt->sum_to_one)
        fputs("; sum 1", out);
    if (opt->below != NULL)
        fprintf(out, "; < `%s`%s", opt->below, opt->type == MND_OPT_REALS ? " element-wise" : "");
}

static void put_type(FILE *out, const mnd_option *opt)
{
    switch (opt->type) {
    case MND_OPT_INT: fputs("integer", out); break;
    case MND_OPT_SEED: fputs("integer", out); break;
    case MND_OPT_REAL: fputs("real", out); break;
    case MND_OPT_BOOL: fputs("boolean", out); break;
    case MND_OPT_ENUM: fputs("string", out); break;
    case MND_OPT_NAMESET: fputs("array of strings", out); break;
    case MND_OPT_NAME: fputs("string", out); break;
    case MND_OPT_REALS:
        fprintf(out, "array of %zu reals", option_count(opt));
        if (opt->names != NULL) {
            fputs(" (", out);
            for (size_t k = 0; k < opt->n_names; k++)
                fprintf(out, "%s%s", k ? ", " : "", opt->names[k]);
            fputc(')', out);
        }
        break;
    }
}

static const char reference_intro[] =
    "# mndsim configuration reference\n"
    "\n"
    "Generated from the option table in `src/config_table.c` (`make docs`, which runs\n"
    "`mndsim keys`). Edit the table, not this file.\n"
    "\n"
    "## File format\n"
    "\n"
    "A configuration is a [libconfig](https://hyperrealm.github.io/libconfig/) file with one\n"
    "group per section. Every key is optional: a key left out keeps its default.\n"
    "\n"
    "```\n"
    "simulation = {\n"
    "  n_patients = 2000;\n"
    "  follow_up_months = 60;      # an integer is fine for a real key\n"
    "  visit_origin = \"enrolment\";\n"
    "};\n"
    "cohort = {\n"
    "  phenotype_share = [0.7, 0.05, 0.11, 0.06, 0.05, 0.03];\n"
    "};\n"
    "output = {\n"
    "  store = [\"total\", \"fvc\"];   # [] stores no per-visit variable\n"
    "};\n"
    "```\n"
    "\n"
    "- **Unknown sections and keys are errors**, as are wrong types and values out of\n"
    "  range. Messages name the file, line and key, e.g.\n"
    "  `configs/trial.cfg:12: unknown key 'cohort.n_patient'` or\n"
    "  `configs/trial.cfg:3: simulation.n_patients must be >= 1 (got -5)`.\n"
    "- **Numbers.** Real keys accept integer literals (`follow_up_months = 60;`). Integer keys\n"
    "  reject floats: write `1000000`, not `1e6` or `1000000.0`.\n"
    "- **Large integers need the `L` suffix.** Integer literals of 2^31 = 2147483648 or more\n"
    "  must be written with `L` (`n_patients = 3000000000L;`, `seed = 9000000000L;`). Without\n"
    "  it libconfig 1.5 wraps the value silently to a different number, which mndsim cannot\n"
    "  detect; it usually shows up as a range error with a negative value.\n"
    "- **Arrays** `[...]` hold values of one type: `[1, 0.5]` is rejected by the parser\n"
    "  (\"mismatched element type in array\"); write `[1.0, 0.5]`. A list `(1, 0.5)` may mix\n"
    "  integers and reals. Fixed-length arrays must have exactly the listed number of\n"
    "  elements, in the listed order. Shares (`*_share` arrays) must sum to 1 within 1e-9.\n"
    "- **Strings** are double-quoted: `visit_origin = \"diagnosis\";`.\n"
    "- **`@include \"file\"`** at the start of a line reads another file in place (a\n"
    "  directive inside a `/* */` comment or a string is text). The path is relative to the\n"
    "  folder of the file that holds the directive, at any depth and whatever the current\n"
    "  directory; an absolute path is used as it is. Includes may nest 10 levels deep, and a\n"
    "  file that includes itself, directly or not, is an error. An included file must not end\n"
    "  inside a string or a `/* */` comment. Messages name an included file by its path from\n"
    "  the current directory, e.g. `configs/parts/cohort.cfg:3: ...`, or\n"
    "  `configs/trial.cfg:2: cannot open include file 'configs/parts/cohort.cfg': No such\n"
    "  file or directory`. A section may be defined in only one of the files (libconfig\n"
    "  reports \"duplicate setting name\").\n"
    "\n"
    "## Overrides\n"
    "\n"
    "`--set key=value` changes one key after the file is read; several `--set` apply in\n"
    "order. The value is libconfig syntax: `--set simulation.n_patients=1000`,\n"
    "`--set 'output.store=[\"total\",\"fvc\"]'`, `--set cohort.male_share=0.5`. For keys that\n"
    "take a name a bare word works too: `--set simulation.visit_origin=onset`. Unknown keys\n"
    "and bad values are errors that quote the override, e.g.\n"
    "`--set simulation.n_patients=abc: cannot parse value: syntax error`. Rules between keys\n"
    "(shares sum to 1, a minimum below its maximum) are checked on the final values.\n"
    "\n"
    "## Resolved configuration\n"
    "\n"
    "Loading produces a resolved configuration: every key with its final value and, as a\n"
    "comment, where the value came from (`file:line`, `--set ...` or `default`). It is itself\n"
    "a valid configuration that reproduces the same parameters, and is kept with each run's\n"
    "output for provenance.\n";

/* One row of a reference table: key (after `prefix`), type, unit, range,
 * default (the value in the defaults at `defaults`), meaning, source. */
static void put_reference_row(FILE *out, const char *prefix, const mnd_option *opt,
                              const void *defaults)
{
    fprintf(out, "| `%s%s` | ", prefix, opt->path);
    put_type(out, opt);
    fprintf(out, " | %s | ", opt->unit);
    put_range(out, opt);
    fputs(" | `", out);
    put_value(out, opt, defaults);
    fprintf(out, "` | %s | %s |\n", opt->meaning, opt->source);
}

static const char studies_intro[] =
    "\n## `studies`\n"
    "\n"
    "Study designs that observe the simulated patients: a group of named entries, at most 8.\n"
    "Each recruits its own patients from the same candidate stream as the cohort, so a\n"
    "candidate has the same natural history in every study and arm, and simulates every\n"
    "enrolled patient in both arms: the arm the design assigns is observed, and the other is\n"
    "the counterfactual that gives the true effect. `treatment` names the `interventions` entry\n"
    "given in the treated arm, started at enrolment; the control arm gets a sham of it (same\n"
    "schedule and random stream, no biological effect, no adverse events, the expectation\n"
    "effect only when blinded). Each bias mechanism of CLAIMS.md is a key whose default\n"
    "switches it off. Configurations for the claims audit are in `configs/claims/`.\n"
    "\n"
    "```\n"
    "interventions = { @include \"interventions/clinic_stem_cells.cfg\" };\n"
    "studies = {\n"
    "  trial = { design = \"rct\"; treatment = \"clinic_cells\"; n_patients = 200; };\n"
    "  clinic = { design = \"case_series\"; treatment = \"clinic_cells\"; pre_slope = \"onset\"; };\n"
    "};\n"
    "```\n"
    "\n"
    "Override a key of an entry with `--set studies.<name>.<key>=value`.\n\n";

static const char interventions_intro[] =
    "\n## `interventions`\n"
    "\n"
    "Treatments given to the simulated patients: a group of named entries, at most "
    "6, given in\n"
    "file order (each judged on the course as treated by those before it). The name "
    "(at most\n"
    "31 characters) labels the output and keys the entry's own random stream, so adding "
    "or\n"
    "reordering entries moves no other entry's draws. Every key defaults to its neutral "
    "value:\n"
    "an entry that sets no effect changes nothing of the natural history, bit for bit. "
    "Sourced\n"
    "presets are in `configs/interventions/`; include them inside the group:\n"
    "\n"
    "```\n"
    "interventions = {\n"
    "  @include \"interventions/riluzole.cfg\"\n"
    "  clinic = { route = \"intrathecal\"; cell_source = \"bm_msc\"; schedule = \"doses\"; "
    "n_doses = 4; };\n"
    "};\n"
    "```\n"
    "\n"
    "Override a key of an entry with `--set interventions.<name>.<key>=value`, e.g.\n"
    "`--set interventions.riluzole.enabled=false`. The neurotrophic_slowing of the "
    "enabled\n"
    "entries must add up to at most 1.\n\n";

void mnd_config_write_reference(FILE *out)
{
    mnd_params d;

    mnd_config_defaults(&d);
    fputs(reference_intro, out);
    for (size_t s = 0; s < mnd_section_count; s++) {
        const char *sec = mnd_sections[s].name;

        fprintf(out, "\n## `%s`\n\n%s\n\n", sec, mnd_sections[s].title);
        fputs("| key | type | unit | range | default | meaning | source |\n"
              "|---|---|---|---|---|---|---|\n",
              out);
        for (size_t i = 0; i < mnd_option_count; i++) {
            const mnd_option *opt = &mnd_options[i];

            if (!in_section(opt, sec))
                continue;
            put_reference_row(out, "", opt, &d);
        }
    }
    static const char *const intros[N_ENTRY_GROUPS] = {interventions_intro, studies_intro};
    for (size_t gi = 0; gi < N_ENTRY_GROUPS; gi++) {
        const entry_group *g = &entry_groups[gi];
        unsigned char entry[sizeof(mnd_intervention) > sizeof(mnd_study) ? sizeof(mnd_intervention)
                                                                          : sizeof(mnd_study)];
        char prefix[64];
        assert(g->entry_size <= sizeof entry);
        entry_defaults(g, entry);
        snprintf(prefix, sizeof prefix, "%s.<name>.", g->group);
        fputs(intros[gi], out);
        fputs("| key | type | unit | range | default | meaning | source |\n"
              "|---|---|---|---|---|---|---|\n",
              out);
        for (size_t r = 0; r < *g->n_rows; r++)
            put_reference_row(out, prefix, &g->rows[r], entry);
    }
    fputs(sweep_intro, out);
    fputs("| key | type | unit | meaning | source |\n|---|---|---|---|---|\n", out);
    for (size_t r = 0; r < mnd_sweep_key_count; r++)
        fprintf(out, "| `sweep.<axis>.%s` | %s | %s | %s | %s |\n", mnd_sweep_keys[r].path,
                mnd_sweep_keys[r].type, mnd_sweep_keys[r].unit, mnd_sweep_keys[r].meaning,
                mnd_sweep_keys[r].source);
}

/* ------------------------------------------------------------------ sweep */

/* Writes scalar setting `s` as libconfig text (what --set would take);
 * returns false when it is not a scalar. */
static bool scalar_text(const config_setting_t *s, char *buf, size_t n)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        snprintf(buf, n, "%d", config_setting_get_int(s));
        return true;
    case CONFIG_TYPE_INT64:
        snprintf(buf, n, "%lldL", (long long)config_setting_get_int64(s));
        return true;
    case CONFIG_TYPE_FLOAT:
        fmt_real(buf, n, config_setting_get_float(s));
        if (strpbrk(buf, ".eEni") == NULL) /* keep it a float literal */
            strncat(buf, ".0", n - strlen(buf) - 1);
        return true;
    case CONFIG_TYPE_BOOL:
        snprintf(buf, n, "%s", config_setting_get_bool(s) ? "true" : "false");
        return true;
    case CONFIG_TYPE_STRING:
        snprintf(buf, n, "\"%s\"", config_setting_get_string(s));
        return true;
    default:
        return false;
    }
}

mnd_status mnd_config_load_sweep(const char *path, mnd_sweep *sw, mnd_error *err)
{
    mnd_status st = MND_OK;
    loader ld;
    config_t cfg;
    bool cfg_live = false;

    memset(&ld, 0, sizeof ld);
    memset(sw, 0, sizeof *sw);
    ld.path = path;
    ld.err = err;
    if ((st = parse_file(&ld, &cfg, &cfg_live)) != MND_OK)
        goto cleanup;
    const config_setting_t *sec = config_lookup(&cfg, "sweep");
    if (sec == NULL)
        goto cleanup;
    origin at = origin_of(&ld, sec);
    if (!config_setting_is_group(sec)) {
        st = fail(&ld, &at, "sweep must be a group (got %s)", type_name(sec));
        goto cleanup;
    }
    if (config_setting_length(sec) > MND_SWEEP_MAX_AXES) {
        st = fail(&ld, &at, "sweep has %d axes; at most %d are allowed",
                  config_setting_length(sec), MND_SWEEP_MAX_AXES);
        goto cleanup;
    }
    int64_t scenarios = 1;
    for (int i = 0; i < config_setting_length(sec); i++) {
        const config_setting_t *ax = config_setting_get_elem(sec, (unsigned)i);
        const char *name = config_setting_name(ax);
        mnd_sweep_axis *a = &sw->axes[sw->n_axes++];
        origin aat = origin_of(&ld, ax);
        if (!config_setting_is_group(ax)) {
            st = fail(&ld, &aat, "sweep.%s must be a group with key and values (got %s)", name,
                      type_name(ax));
            goto cleanup;
        }
        snprintf(a->name, sizeof a->name, "%s", name);
        for (int j = 0; j < config_setting_length(ax); j++) {
            const config_setting_t *m = config_setting_get_elem(ax, (unsigned)j);
            const char *mname = config_setting_name(m);
            origin mat = origin_of(&ld, m);
            if (strcmp(mname, "key") == 0) {
                const char *key = config_setting_get_string(m);
                if (key == NULL || key[0] == '\0' || strlen(key) >= sizeof a->key) {
                    st = fail(&ld, &mat, "sweep.%s.key must be a config key such as "
                                         "\"studies.trial.n_patients\"", name);
                    goto cleanup;
                }
                snprintf(a->key, sizeof a->key, "%s", key);
            } else if (strcmp(mname, "values") == 0) {
                int n = config_setting_length(m);
                if (!(config_setting_is_array(m) || config_setting_is_list(m)) || n < 1
                    || n > MND_SWEEP_MAX_VALUES) {
                    st = fail(&ld, &mat, "sweep.%s.values must be a list of 1 to %d values",
                              name, MND_SWEEP_MAX_VALUES);
                    goto cleanup;
                }
                for (int v = 0; v < n; v++)
                    if (!scalar_text(config_setting_get_elem(m, (unsigned)v), a->values[v],
                                     sizeof a->values[v])) {
                        st = fail(&ld, &mat, "sweep.%s.values: value %d is not a number, "
                                             "string or boolean", name, v + 1);
                        goto cleanup;
                    }
                a->n_values = n;
            } else {
                st = fail(&ld, &mat, "unknown key 'sweep.%s.%s'", name, mname);
                goto cleanup;
            }
        }
        if (a->key[0] == '\0' || a->n_values == 0) {
            st = fail(&ld, &aat, "sweep.%s needs key and values", name);
            goto cleanup;
        }
        scenarios *= a->n_values;
        if (scenarios > MND_SWEEP_MAX_SCENARIOS) {
            st = fail(&ld, &aat, "sweep has more than %d scenarios", MND_SWEEP_MAX_SCENARIOS);
            goto cleanup;
        }
    }

cleanup:
    if (cfg_live)
        config_destroy(&cfg);
    mnd_config_source_clear(&ld.src);
    return st;
}
