/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * main.c — the mndsim command line: options, messages, exit codes.
 *
 * The only file that prints or exits.  Exit status: 0 ok, 1 usage or
 * configuration error, 2 run-time or I/O error (mnd_status_exit_code).
 * GSL's and HDF5's default error handlers are off: every failure comes
 * back as an mnd_error and is printed here once.
 *
 * Usage errors are one line "mndsim: <what>" followed by "Try 'mndsim
 * --help'." and exit status 1, whether mndsim or getopt_long found them:
 * getopt's own messages are off (opterr = 0) because they are prefixed with
 * the subcommand ("run: ...") and would be printed on top of ours.  Every
 * long option has a value >= 256, so that after an error `optopt` alone
 * tells a short option (its letter) from a long one (the argument getopt
 * has just passed, argv[optind - 1]).
 *
 * The command line stored in the result is made from argv before getopt
 * permutes it (options before operands), so it is the command as typed,
 * each word quoted for a POSIX shell where needed.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include "mndsim/config.h"
#include "mndsim/merge.h"
#include "mndsim/output.h"
#include "mndsim/run.h"
#include "mndsim/study_report.h"
#include "mndsim/summary.h"
#include "mndsim/team.h"

#ifndef MND_VERSION
#define MND_VERSION "0.0.0"
#endif
#ifndef MND_GIT_COMMIT
#define MND_GIT_COMMIT "unknown"
#endif
#ifndef MND_GIT_DIRTY
#define MND_GIT_DIRTY 1
#endif

static const char usage_text[] =
    "Usage: mndsim COMMAND [ARGS]\n"
    "Monte Carlo simulation of motor neuron disease (ALS and related MNDs).\n"
    "\n"
    "Commands:\n"
    "  run CONFIG [-o OUT.h5] [--seed N] [--threads N] [--set KEY=VALUE ...]\n"
    "                 [--scenario I/N]\n"
    "                 simulate the cohort of CONFIG and write OUT.h5\n"
    "                 (default: results/<config name>.h5); with a sweep section,\n"
    "                 every scenario (or piece I of N) into /scenarios/sNN\n"
    "  merge OUT.h5 PIECE.h5 ...\n"
    "                 join the pieces of a sweep run with --scenario I/N\n"
    "  check CONFIG [--set KEY=VALUE ...]\n"
    "                 validate CONFIG only\n"
    "  info OUT.h5    print the provenance and headline figures of a result\n"
    "  claims OUT.h5  print the claims audit table of a result with studies\n"
    "  keys           print the reference of every configuration key (Markdown)\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   result file\n"
    "      --seed N        master seed (0 <= N < 2^63), same as --set simulation.seed=N\n"
    "      --threads N     OpenMP threads (results do not depend on it)\n"
    "      --set KEY=VALUE override a configuration key, e.g. --set cohort.male_share=0.6\n"
    "      --scenario I/N  run piece I (0-based) of N of the config's sweep\n"
    "  -q, --quiet         no progress bar\n"
    "  -h, --help          this help\n"
    "  -V, --version       version\n"
    "\n"
    "Exit status: 0 ok, 1 usage or configuration error, 2 run-time or I/O error.\n";

static int fail(const mnd_error *err)
{
    fprintf(stderr, "mndsim: %s\n", err->message);
    return mnd_status_exit_code(err->code);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mndsim: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'mndsim --help'.\n");
    return mnd_status_exit_code(MND_ERR_USAGE);
}

typedef struct {
    const char *config;
    const char *output;
    int threads;
    int quiet;
    const char **overrides;
    size_t n_overrides;
    char seed_override[64];
    int64_t piece, pieces; /* --scenario I/N; 0/1 without */
} run_options;

/* Values of the long options: above any short option's letter. */
enum { OPT_OUTPUT = 256, OPT_SEED, OPT_THREADS, OPT_SET, OPT_QUIET, OPT_SCENARIO };

/* Prints the usage error for the option getopt_long rejected with `c`
 * (':' missing argument, '?' otherwise), named as the user typed it. */
static int option_error(int c, char **argv)
{
    if (optopt > 0 && optopt < OPT_OUTPUT)
        return usage_error(c == ':' ? "option '-%c' requires an argument"
                                    : "unknown option '-%c'",
                           optopt);
    const char *word = argv[optind - 1];
    int name_len = (int)strcspn(word, "=");
    if (c == ':')
        return usage_error("option '%.*s' requires an argument", name_len, word);
    if (optopt != 0)
        return usage_error("option '%.*s' takes no argument", name_len, word);
    return usage_error("unknown option '%.*s'", name_len, word);
}

/* Parses the words after the subcommand (argv[0] is the subcommand). */
static int parse_options(int argc, char **argv, run_options *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, OPT_OUTPUT},
        {"seed", required_argument, NULL, OPT_SEED},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"set", required_argument, NULL, OPT_SET},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"scenario", required_argument, NULL, OPT_SCENARIO},
        {NULL, 0, NULL, 0}};
    o->overrides = calloc((size_t)argc + 1, sizeof *o->overrides);
    if (!o->overrides) {
        fprintf(stderr, "mndsim: out of memory\n");
        return mnd_status_exit_code(MND_ERR_NOMEM);
    }
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:q", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o':
        case OPT_OUTPUT:
            o->output = optarg;
            break;
        case OPT_SEED: {
            errno = 0;
            unsigned long long seed = strtoull(optarg, &end, 10);
            if (errno || *end || optarg[0] == '-' || seed >= (1ULL << 63))
                return usage_error("--seed must be an integer in [0, 2^63) (got '%s')", optarg);
            snprintf(o->seed_override, sizeof o->seed_override, "simulation.seed=%lluL", seed);
            o->overrides[o->n_overrides++] = o->seed_override;
            break;
        }
        case OPT_THREADS: {
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (errno || *end || n < 1 || n > 4096)
                return usage_error("--threads must be an integer in [1, 4096] (got '%s')", optarg);
            o->threads = (int)n;
            break;
        }
        case OPT_SET:
            o->overrides[o->n_overrides++] = optarg;
            break;
        case OPT_SCENARIO:
            if (mnd_sweep_parse_piece(optarg, &o->piece, &o->pieces) != 0)
                return usage_error("--scenario must be I/N with 0 <= I < N (got '%s')", optarg);
            break;
        case 'q':
        case OPT_QUIET:
            o->quiet = 1;
            break;
        default:
            return option_error(c, argv);
        }
    }
    if (optind != argc - 1)
        return usage_error("%s", optind >= argc ? "missing CONFIG" : "too many arguments");
    o->config = argv[optind];
    return 0;
}

/* Set by SIGINT/SIGTERM; the run stops after the current block and the
 * temporary file is removed. */
static volatile sig_atomic_t interrupted = 0;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* Progress callback: draws the bar when *ctx is nonzero; cancels the run
 * after a signal. */
static int progress_bar(int64_t done, int64_t total, void *ctx)
{
    if (interrupted)
        return 1;
    if (!*(const int *)ctx)
        return 0;
    int width = 40, filled = (int)(width * done / (total > 0 ? total : 1));
    fprintf(stderr, "\r[%.*s%*s] %3d%%  %lld/%lld patients", filled,
            "########################################", width - filled, "",
            (int)(100 * done / (total > 0 ? total : 1)), (long long)done, (long long)total);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
    return 0;
}

/* The overrides, one per line. */
static char *join(const char *const *parts, size_t n, const char *sep)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(parts[i]) + strlen(sep);
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(s, parts[i]);
        if (i + 1 < n)
            strcat(s, sep);
    }
    return s;
}

/* Characters that no POSIX shell treats specially anywhere in a word. */
static const char shell_plain[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@%+=:,./_-";

/* argv[0..argc) as a malloc'd command line that a POSIX shell splits back
 * into the same words: a word of plain characters as it is, any other
 * word (also the empty one) in single quotes, each ' in it as '\''. */
static char *shell_command_line(int argc, char *const *argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += 4 * strlen(argv[i]) + 3;
    char *line = malloc(len);
    if (!line)
        return NULL;
    char *end = line;
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];
        if (i > 0)
            *end++ = ' ';
        if (w[0] != '\0' && w[strspn(w, shell_plain)] == '\0') {
            end = stpcpy(end, w);
            continue;
        }
        *end++ = '\'';
        for (; *w; w++) {
            if (*w == '\'')
                end = stpcpy(end, "'\\''");
            else
                *end++ = *w;
        }
        *end++ = '\'';
    }
    *end = '\0';
    return line;
}

/* results/<config file name without extension>.h5 */
static char *default_output(const char *config)
{
    const char *base = strrchr(config, '/');
    base = base ? base + 1 : config;
    size_t len = strcspn(base, ".");
    char *out = malloc(len + 16);
    if (out)
        snprintf(out, len + 16, "results/%.*s.h5", (int)len, base);
    return out;
}

/* `mndsim run|check ...`: argv is main's, argv[1] the subcommand. */
static int cmd_run(int argc, char **argv, int check_only)
{
    run_options o = {0};
    o.threads = omp_get_max_threads();
    o.pieces = 1;
    mnd_params p;
    static mnd_sweep sweep;
    mnd_error err = {0};
    char *resolved = NULL, *overrides = NULL, *out_path = NULL;
    char *command_line = check_only ? NULL : shell_command_line(argc, argv);
    int rc = parse_options(argc - 1, argv + 1, &o);
    if (rc)
        goto cleanup;
    if (mnd_config_load(o.config, o.overrides, o.n_overrides, &p, &resolved, &err) != MND_OK
        || mnd_config_load_sweep(o.config, &sweep, &err) != MND_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    if (o.pieces > 1 && sweep.n_axes == 0) {
        rc = usage_error("--scenario needs a sweep section in %s", o.config);
        goto cleanup;
    }
    if (check_only) {
        printf("%s: ok (%lld patients x %lld replicates, %lld visits)\n", o.config,
               (long long)p.n_patients, (long long)p.n_replicates,
               (long long)mnd_params_max_visits(&p));
        goto cleanup;
    }
    overrides = join(o.overrides, o.n_overrides, "\n");
    out_path = o.output ? strdup(o.output) : default_output(o.config);
    if (!command_line || !overrides || !out_path) {
        mnd_error_set(&err, MND_ERR_NOMEM, NULL, 0, "out of memory");
        rc = fail(&err);
        goto cleanup;
    }
    mnd_provenance prov = {MND_VERSION, MND_GIT_COMMIT, MND_GIT_DIRTY, command_line,
                           o.config,    overrides,      resolved,      o.threads};
    const mnd_team *team = mnd_team_world();
    int show = !o.quiet && mnd_team_rank(team) == 0 && isatty(STDERR_FILENO);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (sweep.n_axes > 0) {
        if (mnd_sweep_run(o.config, o.overrides, o.n_overrides, o.piece, o.pieces, out_path,
                          &prov, o.threads, team, &err) != MND_OK) {
            rc = fail(&err);
            goto cleanup;
        }
        fprintf(stderr, "mndsim: wrote %s (scenario sweep, piece %lld/%lld)\n", out_path,
                (long long)o.piece, (long long)o.pieces);
        goto cleanup;
    }
    if (mnd_run_to_file_team(&p, out_path, &prov, o.threads, team, progress_bar, &show, &err)
        != MND_OK) {
        rc = fail(&err);
        goto cleanup;
    }
    fprintf(stderr, "mndsim: wrote %s (%lld patients x %lld replicates)\n", out_path,
            (long long)p.n_patients, (long long)p.n_replicates);

cleanup:
    free(resolved);
    free(command_line);
    free(overrides);
    free(out_path);
    free(o.overrides);
    return rc;
}

static int cmd_info(int argc, char **argv)
{
    if (argc != 2)
        return usage_error("%s", "info takes one result file");
    mnd_error err = {0};
    mnd_reader *r = NULL;
    if (mnd_reader_open(&r, argv[1], &err) != MND_OK)
        return fail(&err);
    const char *attrs[] = {"engine_version", "git_commit", "config_path", "master_seed",
                           "n_patients", "n_replicates", "created_utc"};
    printf("%s\n", argv[1]);
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
        char *v = NULL;
        if (mnd_reader_attr(r, attrs[i], &v, &err) == MND_OK)
            printf("  %-31s%s\n", attrs[i], v);
        free(v);
    }
    mnd_reader_close(r);
    mnd_summary s;
    if (mnd_summary_from_file(argv[1], &s, &err) != MND_OK)
        return fail(&err);
    mnd_summary_print(stdout, &s);
    if (mnd_study_report_print(stdout, argv[1], &err) != MND_OK)
        return fail(&err);
    return 0;
}

/* `mndsim merge OUT PIECE...`: argv is main's, argv[1] "merge". */
static int cmd_merge(int argc, char **argv)
{
    if (argc < 4)
        return usage_error("%s", "merge takes an output file and at least one piece");
    mnd_error err = {0};
    char *command_line = shell_command_line(argc, argv);
    int rc = 0;
    if (mnd_merge_pieces(argv[2], (const char *const *)argv + 3, (size_t)(argc - 3),
                         command_line ? command_line : "", &err) != MND_OK)
        rc = fail(&err);
    else
        fprintf(stderr, "mndsim: wrote %s (%d pieces)\n", argv[2], argc - 3);
    free(command_line);
    return rc;
}

static int cmd_claims(int argc, char **argv)
{
    if (argc != 2)
        return usage_error("%s", "claims takes one result file");
    mnd_error err = {0};
    if (mnd_claims_print(stdout, argv[1], &err) != MND_OK)
        return fail(&err);
    return 0;
}

static int dispatch(int argc, char **argv);

/* Under mpirun (the MPI build) every rank runs main; only rank 0 prints
 * (mnd_team_init), and every rank returns the same exit status because
 * the library agrees on every failure before it returns. */
int main(int argc, char **argv)
{
    mnd_error err = {0};
    gsl_set_error_handler_off();
    if (mnd_team_init(&argc, &argv, &err) != MND_OK) {
        mnd_team_finalize();
        return fail(&err);
    }
    int rc = dispatch(argc, argv);
    fflush(stdout);
    mnd_team_finalize();
    return rc;
}

/* The subcommand of argv[1]. */
static int dispatch(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%s", "missing COMMAND");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("mndsim %s (git %s%s)\n", MND_VERSION, MND_GIT_COMMIT, MND_GIT_DIRTY ? ", dirty" : "");
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc, argv, 0);
    if (!strcmp(cmd, "check"))
        return cmd_run(argc, argv, 1);
    if (!strcmp(cmd, "info"))
        return cmd_info(argc - 1, argv + 1);
    if (!strcmp(cmd, "merge"))
        return cmd_merge(argc, argv);
    if (!strcmp(cmd, "claims"))
        return cmd_claims(argc - 1, argv + 1);
    if (!strcmp(cmd, "keys")) {
        mnd_config_write_reference(stdout);
        return 0;
    }
    if (cmd[0] == '-')
        return usage_error("unknown option '%s'", cmd);
    return usage_error("unknown command '%s'", cmd);
}
