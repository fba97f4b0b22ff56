/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * config_source.h — private: a configuration file read into memory with
 * its @include directives expanded, and a map from each line of the
 * expanded text back to the file and line it came from
 * (src/config_source.c defines it, src/config.c uses it).
 *
 * Not installed, and free of libconfig types: config.c hands the text to
 * libconfig and maps the line numbers libconfig reports back through
 * mnd_config_source_locate, so that messages name the file the user wrote.
 */
#ifndef MNDSIM_CONFIG_SOURCE_H
#define MNDSIM_CONFIG_SOURCE_H

#include <stddef.h>
#include "mndsim/status.h"

/* Includes may nest this many levels below the main file (libconfig's own
 * limit). */
#define MND_CONFIG_INCLUDE_DEPTH 10

/* A place in the files the user wrote. */
typedef struct {
    const char *file; /* display name: the main file as the caller gave it, or an
                         included file's path joined to its includer's folder;
                         owned by the mnd_config_source */
    int line;         /* 1-based line in `file`; 0 when the place is the whole file */
} mnd_config_place;

/* Where one line of the expanded text comes from. */
typedef struct {
    size_t file; /* index into mnd_config_source.files */
    int line;    /* 1-based line in that file */
} mnd_config_line;

/* The expanded text and its line map.  A zeroed struct is a valid empty
 * source (mnd_config_source_clear accepts it). */
typedef struct {
    char *text;             /* main file with every @include replaced by the included
                               file's text; NUL-terminated; libconfig syntax */
    mnd_config_line *lines; /* [n_lines]: lines[k] is where line k+1 of text comes from */
    size_t n_lines;         /* lines of text, counting a last line without '\n' */
    char **files;           /* [n_files]: display names; files[0] is the main file */
    size_t n_files;
    int end_line;           /* line of the main file just past its last character,
                               where errors "at end of input" belong */
} mnd_config_source;

/* Reads the file `path` into `src`, expanding each `@include "name"`
 * directive recursively.  A directive is recognised where libconfig 1.5
 * recognises one: at the start of a line (after blanks and tabs), outside
 * strings and comments.  `name` is relative to the folder of the file that
 * contains the directive (absolute names are used as they are); its display
 * name is that file's display folder joined with `name`, so it opens from
 * the current directory as well.
 *
 * Errors, with every previous content of `src` discarded and `src` left
 * empty:
 *   MND_ERR_IO      "path: cannot read configuration file: <reason>" when the
 *                   main file cannot be opened or read, or is a folder;
 *   MND_ERR_CONFIG  "file:line: ..." at the directive (or, for an included
 *                   file that ends inside a string or comment, where that
 *                   string or comment began) for an include file that cannot
 *                   be opened, an include cycle, nesting deeper than
 *                   MND_CONFIG_INCLUDE_DEPTH, an unterminated include path,
 *                   or a NUL byte in a file;
 *   MND_ERR_NOMEM   out of memory.
 * `src` is overwritten: it must not hold a loaded source (clear that
 * first).  Not thread-safe with respect to strerror. */
mnd_status mnd_config_source_load(mnd_config_source *src, const char *path, mnd_error *err);

/* The place of line `line` (1-based, as libconfig counts) of src->text.
 * Line 0 or less gives the main file with line 0; a line past the end of
 * the text gives the main file at src->end_line. */
mnd_config_place mnd_config_source_locate(const mnd_config_source *src, long line);

/* Frees everything `src` owns and leaves it empty; safe on an empty source. */
void mnd_config_source_clear(mnd_config_source *src);

#endif
