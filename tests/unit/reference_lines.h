/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * reference_lines.h — test support shared by test_stats.c,
 * test_survival.c and test_engine_survival.c: reading the reference values that R scripts in
 * tests/reference/ wrote, one "<name> <quantity> v1 v2 ..." per line.
 * Header-only; include after Criterion.
 */
#ifndef MNDSIM_TEST_REFERENCE_LINES_H
#define MNDSIM_TEST_REFERENCE_LINES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The numbers after "<name> <quantity> " on a line of `file` as a malloc'd
 * array (strtod: "nan" and "inf" included); *count gets how many.  Fails
 * the test when the line is missing, adding `hint` (e.g. how to regenerate
 * the file; "" for none) to the message. */
static inline double *ref_line_in(const char *file, const char *name, const char *quantity,
                                  size_t *count, const char *hint)
{
    FILE *f = fopen(file, "r");
    cr_assert_not_null(f, "cannot open %s (run the tests from the repository root)", file);
    char key[256], *line = NULL;
    size_t cap = 0;
    snprintf(key, sizeof key, "%s %s ", name, quantity);
    double *v = NULL;
    *count = 0;
    while (!v && getline(&line, &cap, f) > 0) {
        if (strncmp(line, key, strlen(key)) != 0)
            continue;
        v = malloc((strlen(line) / 2 + 1) * sizeof *v);
        char *p = line + strlen(key), *end;
        for (double x = strtod(p, &end); end != p; x = strtod(p, &end)) {
            v[(*count)++] = x;
            p = end;
        }
    }
    free(line);
    fclose(f);
    cr_assert_not_null(v, "%s: no line '%s'%s", file, key, hint);
    return v;
}

#endif
