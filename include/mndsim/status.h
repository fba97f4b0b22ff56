/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * status.h — status codes and the caller-owned error record.
 *
 * Every library function that can fail returns an mnd_status and takes an
 * mnd_error *err as its last argument.  The library never prints, exits or
 * aborts; the CLI (src/main.c) turns the record into a message and an exit
 * code.  The codes and their names come from one X-macro list.
 */
#ifndef MNDSIM_STATUS_H
#define MNDSIM_STATUS_H

#include <stdint.h>

#include <stdarg.h>

/* X(code, name, exit status of the CLI) */
#define MND_STATUS_LIST(X)                   \
    X(MND_OK, "ok", 0)                       \
    X(MND_ERR_USAGE, "usage error", 1)       \
    X(MND_ERR_CONFIG, "configuration error", 1) \
    X(MND_ERR_IO, "input/output error", 2)   \
    X(MND_ERR_NOMEM, "out of memory", 2)     \
    X(MND_ERR_NUMERIC, "numerical error", 2) \
    X(MND_ERR_CANCELLED, "cancelled", 2)     \
    X(MND_ERR_INTERNAL, "internal error", 2)

typedef enum {
#define MND_X_ENUM(code, name, exit_status) code,
    MND_STATUS_LIST(MND_X_ENUM)
#undef MND_X_ENUM
    MND_STATUS_COUNT
} mnd_status;

/* Error record, owned by the caller.  `message` is complete and ready to
 * print: when the error has a source location it starts with "file:line: ". */
typedef struct {
    mnd_status code;     /* MND_OK when no error has been recorded */
    char message[1024];  /* human-readable, NUL-terminated */
} mnd_error;

/* Resets `err` to "no error".  `err` may be NULL. */
void mnd_error_clear(mnd_error *err);

/* Records `code` and a printf-style message in `err` (which may be NULL) and
 * returns `code`, so callers can write `return mnd_error_set(err, ...)`.
 * When `file` is non-NULL the message is prefixed "file:line: ". */
mnd_status mnd_error_set(mnd_error *err, mnd_status code, const char *file,
                         int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Of the n errors errs[i] (one per thread), each recorded at position
 * at[i] (a row, a replicate), the failure at the lowest position: copied to
 * `err` (which may be NULL) and its code returned, so that the error a
 * parallel loop reports does not depend on scheduling.  MND_OK when none
 * failed. */
mnd_status mnd_error_lowest(const mnd_error *errs, const int64_t *at, int n, mnd_error *err);

/* Short English name of a status code ("configuration error"). */
const char *mnd_status_name(mnd_status code);

/* Exit status the CLI uses for `code`: 0 ok, 1 usage or configuration,
 * 2 run-time or I/O. */
int mnd_status_exit_code(mnd_status code);

#endif
