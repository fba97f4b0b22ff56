/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * status.c — status codes, their names and CLI exit statuses, and the
 * caller-owned error record (status.h).
 *
 * The names and exit statuses are generated from the single X-macro list
 * MND_STATUS_LIST in status.h, so adding a code there is the only edit
 * needed.  Nothing here prints or allocates: the record is a fixed buffer
 * owned by the caller, and messages longer than it are truncated.
 */
#include <stdarg.h>
#include <stdio.h>
#include "mndsim/status.h"

static const char *const status_names[MND_STATUS_COUNT] = {
#define MND_X_NAME(code, name, exit_status) [code] = name,
    MND_STATUS_LIST(MND_X_NAME)
#undef MND_X_NAME
};

static const int status_exit_codes[MND_STATUS_COUNT] = {
#define MND_X_EXIT(code, name, exit_status) [code] = exit_status,
    MND_STATUS_LIST(MND_X_EXIT)
#undef MND_X_EXIT
};

void mnd_error_clear(mnd_error *err)
{
    if (err == NULL)
        return;
    err->code = MND_OK;
    err->message[0] = '\0';
}

/* The location prefix is "file:line: ", or "file: " when line <= 0 (an
 * error about the file as a whole, e.g. one that cannot be opened). */
mnd_status mnd_error_set(mnd_error *err, mnd_status code, const char *file,
                         int line, const char *fmt, ...)
{
    size_t used = 0;
    int n;
    va_list ap;

    if (err == NULL)
        return code;
    err->code = code;
    err->message[0] = '\0';
    if (file != NULL) {
        if (line > 0)
            n = snprintf(err->message, sizeof err->message, "%s:%d: ", file, line);
        else
            n = snprintf(err->message, sizeof err->message, "%s: ", file);
        if (n > 0)
            used = (size_t)n < sizeof err->message ? (size_t)n : sizeof err->message - 1;
    }
    va_start(ap, fmt);
    vsnprintf(err->message + used, sizeof err->message - used, fmt, ap);
    va_end(ap);
    return code;
}

const char *mnd_status_name(mnd_status code)
{
    if ((int)code < 0 || code >= MND_STATUS_COUNT)
        return "unknown status";
    return status_names[code];
}

int mnd_status_exit_code(mnd_status code)
{
    if ((int)code < 0 || code >= MND_STATUS_COUNT)
        return 2; /* an unknown code is a run-time fault, not a user error */
    return status_exit_codes[code];
}

mnd_status mnd_error_lowest(const mnd_error *errs, const int64_t *at, int n, mnd_error *err)
{
    int failed = -1;
    for (int i = 0; i < n; i++)
        if (errs[i].code != MND_OK && (failed < 0 || at[i] < at[failed]))
            failed = i;
    if (failed < 0)
        return MND_OK;
    if (err)
        *err = errs[failed];
    return errs[failed].code;
}
