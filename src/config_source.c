/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * config_source.c — reading a configuration file with its @include
 * directives expanded, and mapping lines of the result back to the files
 * they came from (config_source.h).  Owns the opening and reading of
 * configuration files; knows nothing of keys or of libconfig's API.
 *
 * Design.  libconfig 1.5 resolves every @include against one folder per
 * load (config_set_include_dir), so an include inside an included file
 * that lives in another folder would be looked for in the wrong place.
 * Rather than let libconfig open files, this file builds one text in which
 * each directive is replaced by the text of the file it names, read
 * relative to the folder of the file that holds the directive; config.c
 * parses that text with config_read_string.  Each line of the text
 * remembers the file and line it was copied from, so the line numbers
 * libconfig reports, for settings and for syntax errors alike, map back to
 * what the user wrote.
 *
 * Finding directives.  The text is scanned once, character by character,
 * with the lexer states of libconfig 1.5 (lib/scanner.l) that can hide a
 * directive: normal; string (from '"' to '"', a backslash taking the next
 * character with it); block comment (from slash-star to star-slash); line
 * comment (from '#' or "//" to the end of the line).  A directive is
 * `[ \t]*@include[ \t]+"name"` starting at the beginning of a line in the
 * normal state, which is where libconfig's `^`-anchored rule matches;
 * within the name, \\ and \" stand for \ and ".  The state runs on from
 * line to line, so a directive inside a multi-line comment or string stays
 * text, as it does for libconfig.
 *
 * Invariants of the expanded text:
 *   - each line comes from one line of one file: one map entry per line;
 *   - it holds no directive that libconfig would act on.  A directive is
 *     dropped up to its closing quote.  libconfig reads whatever follows
 *     the quote on that line after the included text, and not at the
 *     start of a line; it is copied to a line of its own behind an empty
 *     block comment, which keeps it off the start of the line;
 *   - every included file ends in the normal state or in a line comment.
 *     An included file that ends inside a string or a block comment is an
 *     error here (libconfig would run on into the including file), so the
 *     newline added after an included file that lacks one changes nothing.
 * Include cycles are found by file identity (device and inode), so that
 * "a.cfg" and "sub/../a.cfg" are recognised as the same file; nesting is
 * limited to MND_CONFIG_INCLUDE_DEPTH levels, as in libconfig.
 *
 * No global state.  Not thread-safe with respect to strerror.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "config_source.h"

/* Bytes asked of fread at a time. */
#define READ_CHUNK 4096

/* Room for the file chain of an include-cycle message. */
#define CHAIN_BUF 768

/* The states of libconfig 1.5's lexer that decide whether "@include" at
 * the start of a line is a directive. */
typedef enum { SCAN_NORMAL, SCAN_STRING, SCAN_BLOCK_COMMENT, SCAN_LINE_COMMENT } scan_state;

/* A file whose expansion is under way: one entry of the include stack. */
typedef struct {
    size_t file; /* index into src->files */
    dev_t dev;   /* identity of the opened file */
    ino_t ino;
} open_file;

/* State of one mnd_config_source_load call. */
typedef struct {
    mnd_config_source *src;
    size_t text_len;  /* characters in src->text, without the NUL */
    size_t text_cap;  /* room in src->text */
    size_t lines_cap; /* room in src->lines */
    size_t files_cap; /* room in src->files */
    open_file stack[MND_CONFIG_INCLUDE_DEPTH + 1]; /* [0] the main file */
    size_t depth;     /* entries in stack */
    mnd_error *err;
} expander;

/* `buf` (room for *cap elements of `size` bytes) reallocated to hold at
 * least `need` elements, or NULL when out of memory (`buf` is then
 * unchanged). */
static void *grow(void *buf, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap > 0 ? *cap : 64;
    void *p;

    if (need <= *cap)
        return buf;
    while (n < need) {
        if (n > SIZE_MAX / 2 / size)
            return NULL;
        n *= 2;
    }
    p = realloc(buf, n * size);
    if (p != NULL)
        *cap = n;
    return p;
}

static mnd_status no_memory(const expander *ex)
{
    return mnd_error_set(ex->err, MND_ERR_NOMEM, NULL, 0,
                         "out of memory reading the configuration");
}

/* Appends `c`, taken from line `line` of file `file`.  A character that
 * begins a line of the text enters that line in the map. */
static mnd_status emit(expander *ex, char c, size_t file, int line)
{
    mnd_config_source *src = ex->src;
    char *t;

    if (ex->text_len == 0 || src->text[ex->text_len - 1] == '\n') {
        mnd_config_line *l = grow(src->lines, &ex->lines_cap, src->n_lines + 1, sizeof *l);
        if (l == NULL)
            return no_memory(ex);
        src->lines = l;
        src->lines[src->n_lines].file = file;
        src->lines[src->n_lines].line = line;
        src->n_lines++;
    }
    t = grow(src->text, &ex->text_cap, ex->text_len + 2, 1); /* and the NUL */
    if (t == NULL)
        return no_memory(ex);
    src->text = t;
    t[ex->text_len++] = c;
    t[ex->text_len] = '\0';
    return MND_OK;
}

/* Ends the current line of the text, unless it is already ended. */
static mnd_status end_line(expander *ex)
{
    if (ex->text_len == 0 || ex->src->text[ex->text_len - 1] == '\n')
        return MND_OK;
    return emit(ex, '\n', 0, 0); /* continues a line: no map entry */
}

/* Reads the whole file `name` into a malloc'd *body of *len bytes and
 * gives its status in *sb.  Returns 0, or an errno value (EISDIR for a
 * folder) with nothing allocated. */
static int read_whole(const char *name, char **body, size_t *len, struct stat *sb)
{
    FILE *f = fopen(name, "r");
    char *b = NULL;
    size_t n = 0, cap = 0;
    int e = 0;

    if (f == NULL)
        return errno;
    if (fstat(fileno(f), sb) != 0) {
        e = errno;
        goto cleanup;
    }
    if (S_ISDIR(sb->st_mode)) {
        e = EISDIR;
        goto cleanup;
    }
    errno = 0;
    for (;;) {
        char *p = grow(b, &cap, n + READ_CHUNK, 1);
        size_t got;

        if (p == NULL) {
            e = ENOMEM;
            goto cleanup;
        }
        b = p;
        got = fread(b + n, 1, READ_CHUNK, f);
        n += got;
        if (got < READ_CHUNK)
            break;
    }
    if (ferror(f))
        e = errno != 0 ? errno : EIO;

cleanup:
    fclose(f);
    if (e != 0) {
        free(b);
        return e;
    }
    *body = b;
    *len = n;
    return 0;
}

/* A malloc'd `name` as seen from the file displayed as `from`: `from` up
 * to and including its last '/', then `name`; `name` alone when it is
 * absolute or `from` has no folder part.  NULL when out of memory. */
static char *join_name(const char *from, const char *name)
{
    const char *slash = strrchr(from, '/');
    size_t dir = name[0] == '/' || slash == NULL ? 0 : (size_t)(slash - from) + 1;
    size_t rest = strlen(name);
    char *s = malloc(dir + rest + 1);

    if (s == NULL)
        return NULL;
    memcpy(s, from, dir);
    memcpy(s + dir, name, rest + 1);
    return s;
}

/* Takes ownership of the malloc'd display name `name` and stores its
 * index in *index; frees `name` on failure. */
static mnd_status add_file(expander *ex, char *name, size_t *index)
{
    mnd_config_source *src = ex->src;
    char **f = grow(src->files, &ex->files_cap, src->n_files + 1, sizeof *f);

    if (f == NULL) {
        free(name);
        return no_memory(ex);
    }
    src->files = f;
    *index = src->n_files;
    src->files[src->n_files++] = name;
    return MND_OK;
}

/* Looks for a directive at body[i], the start of a line in the normal
 * state of file `file` (line `line`).  When there is one, *name receives
 * its malloc'd name with escapes resolved and *end the index just past its
 * closing quote; otherwise *name is NULL. */
static mnd_status match_directive(expander *ex, const char *body, size_t len, size_t i,
                                  size_t file, int line, char **name, size_t *end)
{
    static const char keyword[] = "@include";
    size_t j = i, blanks, n = 0;
    char *s;

    *name = NULL;
    while (j < len && (body[j] == ' ' || body[j] == '\t'))
        j++;
    if (len - j < sizeof keyword - 1 || memcmp(body + j, keyword, sizeof keyword - 1) != 0)
        return MND_OK;
    j += sizeof keyword - 1;
    blanks = j;
    while (j < len && (body[j] == ' ' || body[j] == '\t'))
        j++;
    if (j == blanks || j == len || body[j] != '"')
        return MND_OK; /* not a directive: libconfig reports the stray '@' */
    j++;
    s = malloc(len - j + 1); /* the name is no longer than the rest of the file */
    if (s == NULL)
        return no_memory(ex);
    for (; j < len && body[j] != '"' && body[j] != '\n'; j++) {
        if (body[j] == '\\' && j + 1 < len && (body[j + 1] == '\\' || body[j + 1] == '"'))
            j++;
        s[n++] = body[j];
    }
    if (j == len || body[j] != '"') {
        free(s);
        return mnd_error_set(ex->err, MND_ERR_CONFIG, ex->src->files[file], line,
                             "@include path has no closing quote");
    }
    s[n] = '\0';
    *name = s;
    *end = j + 1;
    return MND_OK;
}

/* The error for an include of `path` (from line `line` of file `from`)
 * that is already open as stack entry `k`: names the chain of files. */
static mnd_status cycle_error(const expander *ex, size_t from, int line, const char *path,
                              size_t k)
{
    char chain[CHAIN_BUF];
    size_t used = 0;

    chain[0] = '\0';
    for (; k < ex->depth && used < sizeof chain; k++) {
        int w = snprintf(chain + used, sizeof chain - used, "%s -> ",
                         ex->src->files[ex->stack[k].file]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (used < sizeof chain)
        snprintf(chain + used, sizeof chain - used, "%s", path);
    return mnd_error_set(ex->err, MND_ERR_CONFIG, ex->src->files[from], line,
                         "include cycle: %s", chain);
}

static mnd_status expand(expander *ex, size_t file, const char *body, size_t len,
                         int *last_line);

/* Expands the directive `@include "name"` found on line `line` of file
 * `from`, and ends the text's current line after it. */
static mnd_status include(expander *ex, size_t from, int line, const char *name)
{
    mnd_config_source *src = ex->src;
    mnd_status st = MND_OK;
    char *path = NULL, *body = NULL;
    size_t len = 0, index;
    struct stat sb;
    int e, ignored;

    if (ex->depth > MND_CONFIG_INCLUDE_DEPTH)
        return mnd_error_set(ex->err, MND_ERR_CONFIG, src->files[from], line,
                             "includes nested more than %d levels deep",
                             MND_CONFIG_INCLUDE_DEPTH);
    path = join_name(src->files[from], name);
    if (path == NULL)
        return no_memory(ex);
    e = read_whole(path, &body, &len, &sb);
    if (e != 0) {
        st = mnd_error_set(ex->err, MND_ERR_CONFIG, src->files[from], line,
                           "cannot open include file '%s': %s", path, strerror(e));
        goto cleanup;
    }
    for (size_t k = 0; k < ex->depth; k++)
        if (ex->stack[k].dev == sb.st_dev && ex->stack[k].ino == sb.st_ino) {
            st = cycle_error(ex, from, line, path, k);
            goto cleanup;
        }
    st = add_file(ex, path, &index);
    path = NULL; /* owned by src->files, or freed */
    if (st != MND_OK)
        goto cleanup;
    ex->stack[ex->depth].file = index;
    ex->stack[ex->depth].dev = sb.st_dev;
    ex->stack[ex->depth].ino = sb.st_ino;
    ex->depth++;
    st = expand(ex, index, body, len, &ignored);
    ex->depth--;
    if (st == MND_OK)
        st = end_line(ex);

cleanup:
    free(body);
    free(path);
    return st;
}

/* Copies file `file` (`len` bytes at `body`; on top of the include stack)
 * to the text, expanding its directives.  *last_line receives the line
 * just past its last character. */
static mnd_status expand(expander *ex, size_t file, const char *body, size_t len,
                         int *last_line)
{
    const char *nul = memchr(body, '\0', len);
    scan_state state = SCAN_NORMAL;
    int line = 1, opened = 0; /* opened: where the current string or comment began */
    bool at_start = true;     /* body[i] begins a line */
    size_t i = 0;
    mnd_status st;

    if (nul != NULL) {
        for (const char *c = body; c < nul; c++)
            line += *c == '\n';
        return mnd_error_set(ex->err, MND_ERR_CONFIG, ex->src->files[file], line,
                             "unexpected NUL byte");
    }
    while (i < len) {
        char c = body[i], next = i + 1 < len ? body[i + 1] : '\0';
        size_t take = 1;

        if (state == SCAN_NORMAL && at_start) {
            char *name;
            size_t end = 0;

            st = match_directive(ex, body, len, i, file, line, &name, &end);
            if (st == MND_OK && name != NULL) {
                st = include(ex, file, line, name);
                free(name);
                if (st != MND_OK)
                    return st;
                i = end;
                while (i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r'))
                    i++;
                if (i == len || body[i] == '\n') {
                    if (i < len) { /* the line is done */
                        i++;
                        line++;
                    }
                    continue;
                }
                /* the rest of the line, kept off the start of a line */
                i = end;
                at_start = false;
                for (const char *m = "/**/"; *m && st == MND_OK; m++)
                    st = emit(ex, *m, file, line);
                if (st != MND_OK)
                    return st;
                continue;
            }
            if (st != MND_OK)
                return st;
        }
        switch (state) {
        case SCAN_NORMAL:
            if (c == '"') {
                state = SCAN_STRING;
                opened = line;
            } else if (c == '#') {
                state = SCAN_LINE_COMMENT;
            } else if (c == '/' && next == '/') {
                state = SCAN_LINE_COMMENT;
                take = 2;
            } else if (c == '/' && next == '*') {
                state = SCAN_BLOCK_COMMENT;
                opened = line;
                take = 2;
            }
            break;
        case SCAN_STRING:
            if (c == '\\' && i + 1 < len)
                take = 2;
            else if (c == '"')
                state = SCAN_NORMAL;
            break;
        case SCAN_BLOCK_COMMENT:
            if (c == '*' && next == '/') {
                state = SCAN_NORMAL;
                take = 2;
            }
            break;
        case SCAN_LINE_COMMENT:
            if (c == '\n')
                state = SCAN_NORMAL;
            break;
        }
        for (; take > 0; take--, i++) {
            st = emit(ex, body[i], file, line);
            if (st != MND_OK)
                return st;
            at_start = body[i] == '\n';
            line += at_start;
        }
    }
    if (ex->depth > 1 && (state == SCAN_STRING || state == SCAN_BLOCK_COMMENT))
        return mnd_error_set(ex->err, MND_ERR_CONFIG, ex->src->files[file], opened,
                             "%s not closed before the end of the included file",
                             state == SCAN_STRING ? "string" : "comment");
    *last_line = line;
    return MND_OK;
}

mnd_status mnd_config_source_load(mnd_config_source *src, const char *path, mnd_error *err)
{
    expander ex;
    mnd_status st = MND_OK;
    char *name = NULL, *body = NULL;
    size_t len = 0, index;
    struct stat sb;
    int e;

    memset(src, 0, sizeof *src);
    memset(&ex, 0, sizeof ex);
    ex.src = src;
    ex.err = err;
    e = read_whole(path, &body, &len, &sb);
    if (e != 0) {
        st = mnd_error_set(err, MND_ERR_IO, path, 0, "cannot read configuration file: %s",
                           strerror(e));
        goto cleanup;
    }
    name = strdup(path);
    if (name == NULL) {
        st = no_memory(&ex);
        goto cleanup;
    }
    st = add_file(&ex, name, &index);
    if (st != MND_OK)
        goto cleanup;
    ex.stack[0].file = index;
    ex.stack[0].dev = sb.st_dev;
    ex.stack[0].ino = sb.st_ino;
    ex.depth = 1;
    st = expand(&ex, index, body, len, &src->end_line);
    if (st == MND_OK && src->text == NULL) { /* an empty file: an empty text */
        src->text = calloc(1, 1);
        if (src->text == NULL)
            st = no_memory(&ex);
    }

cleanup:
    free(body);
    if (st != MND_OK)
        mnd_config_source_clear(src);
    return st;
}

mnd_config_place mnd_config_source_locate(const mnd_config_source *src, long line)
{
    mnd_config_place at = {src->n_files > 0 ? src->files[0] : NULL, 0};

    if (line > 0 && (unsigned long)line <= src->n_lines) {
        at.file = src->files[src->lines[line - 1].file];
        at.line = src->lines[line - 1].line;
    } else if (line > 0) {
        at.line = src->end_line;
    }
    return at;
}

void mnd_config_source_clear(mnd_config_source *src)
{
    for (size_t k = 0; k < src->n_files; k++)
        free(src->files[k]);
    free(src->files);
    free(src->lines);
    free(src->text);
    memset(src, 0, sizeof *src);
}
