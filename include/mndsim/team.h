/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * team.h — the processes that share one run: a single process in the
 * serial build, the MPI ranks of `mpirun` in the MPI build (make MPI=1).
 *
 * The engine's parallel loops and the HDF5 writer talk to the team only
 * through these calls, so the same code runs in both builds; no MPI type
 * appears here.  Every call marked "collective" must be made by every
 * member of the team, in the same order, with the same arguments where
 * the contract says so; a member that skips one makes the others wait
 * forever.  In a team of one every collective is a plain local operation,
 * so the serial build (and a solo team inside the MPI build) needs no MPI.
 */
#ifndef MNDSIM_TEAM_H
#define MNDSIM_TEAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mndsim/status.h"

typedef struct mnd_team mnd_team;

/* Starts the process's part in a team: MPI_Init in the MPI build (only
 * the main thread calls MPI), nothing in the serial build.  In the MPI
 * build every member except rank 0 has its stdout and stderr sent to
 * /dev/null, so that a message or a result is printed once however many
 * ranks there are (every error that a run reports is agreed on by all
 * members first, see mnd_team_agree).  Call once, before any other team
 * call; pair with mnd_team_finalize. */
mnd_status mnd_team_init(int *argc, char ***argv, mnd_error *err);

/* Ends the process's part: MPI_Finalize in the MPI build. */
void mnd_team_finalize(void);

/* All processes of the run: MPI_COMM_WORLD in the MPI build after
 * mnd_team_init, the solo team otherwise. */
const mnd_team *mnd_team_world(void);

/* This process alone, in either build (needs no mnd_team_init). */
const mnd_team *mnd_team_solo(void);

/* This member's number, 0 .. size - 1, and the number of members. */
int mnd_team_rank(const mnd_team *t);
int mnd_team_size(const mnd_team *t);

/* True when the team's members are MPI ranks (the MPI build's world team,
 * even with one rank): the HDF5 writer then opens the file with MPI-IO. */
bool mnd_team_is_mpi(const mnd_team *t);

/* Collective.  Each member brings its own outcome: `local` (MND_OK or the
 * failure recorded in *err) and `at`, the position where it failed (a
 * row, a replicate; ignored when local is MND_OK).  Every member returns
 * the failure at the lowest position (ties: the lowest rank), with that
 * member's message copied into *err, or MND_OK when no member failed.  So
 * all members stop together and report the same error as a serial run,
 * which stops at its lowest failing position. */
mnd_status mnd_team_agree(const mnd_team *t, mnd_status local, int64_t at, mnd_error *err);

/* Collective: true on every member when `flag` is true on any. */
bool mnd_team_any(const mnd_team *t, bool flag);

/* Collective: all[r * n + i] = member r's mine[i], for i < n (n the same
 * on every member).  Fails with MND_ERR_INTERNAL only on an MPI error. */
mnd_status mnd_team_allgather_i64(const mnd_team *t, const int64_t *mine, int n, int64_t *all,
                                  mnd_error *err);

/* Collective: copies `bytes` bytes at buf from member `root` to every
 * other member (the same `bytes` and `root` everywhere). */
mnd_status mnd_team_broadcast(const mnd_team *t, void *buf, size_t bytes, int root,
                              mnd_error *err);

/* Collective, in place: member r owns elements [first[r], first[r] +
 * count[r]) of the array at base (elements of elem_bytes bytes; the
 * ranges of different members do not overlap, and first[] and count[],
 * of team-size entries, are the same everywhere).  Afterwards every
 * member holds every member's elements.  Fails with MND_ERR_INTERNAL
 * when a range exceeds what one MPI call can move (2^31 - 1 bytes). */
mnd_status mnd_team_share_ranges(const mnd_team *t, void *base, size_t elem_bytes,
                                 const int64_t *first, const int64_t *count, mnd_error *err);

#endif
