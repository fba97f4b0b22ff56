/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * team.c — the processes that share one run (team.h): one process in the
 * serial build, the ranks of MPI_COMM_WORLD in the MPI build.
 *
 * Design.  Every collective first handles a team of one locally, so the
 * serial build compiles no MPI at all (the MPI parts are under MND_MPI,
 * defined by `make MPI=1` only) and a solo team works in either build
 * without MPI_Init.  Only the main thread calls MPI (MPI_THREAD_FUNNELED):
 * OpenMP threads simulate, the main thread communicates and writes.
 *
 * Agreement.  A failure on one rank must stop every rank before the next
 * collective HDF5 call, or the others would wait for it forever.
 * mnd_team_agree is one MPI_Allreduce(MINLOC) over (failure position,
 * rank) followed by a broadcast of the winning error record, so every rank
 * leaves with the same status and message: the failure at the lowest
 * position, which is the one a serial run reports.
 *
 * Ranges.  mnd_team_share_ranges is MPI_Allgatherv in place with a
 * contiguous datatype of one element, so counts and displacements are in
 * elements (not bytes, which would overflow int at 2 GiB).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mndsim/team.h"
#include "team_comm.h"

struct mnd_team {
    int rank, size;
    bool is_mpi;
#ifdef MND_MPI
    MPI_Comm comm;
#endif
};

static mnd_team solo_team = {0, 1, false
#ifdef MND_MPI
                             ,
                             MPI_COMM_SELF
#endif
};
static mnd_team world_team = {0, 1, false
#ifdef MND_MPI
                              ,
                              MPI_COMM_SELF
#endif
};

const mnd_team *mnd_team_world(void) { return &world_team; }
const mnd_team *mnd_team_solo(void) { return &solo_team; }
int mnd_team_rank(const mnd_team *t) { return t->rank; }
int mnd_team_size(const mnd_team *t) { return t->size; }
bool mnd_team_is_mpi(const mnd_team *t) { return t->is_mpi; }

#ifdef MND_MPI
MPI_Comm mnd_team_comm(const mnd_team *t) { return t->comm; }

/* Records an MPI failure (rc != MPI_SUCCESS) of `what`. */
static mnd_status mpi_fail(mnd_error *err, int rc, const char *what)
{
    char text[MPI_MAX_ERROR_STRING] = "";
    int len = 0;
    MPI_Error_string(rc, text, &len);
    return mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0, "MPI: %s failed: %s", what, text);
}
#endif

mnd_status mnd_team_init(int *argc, char ***argv, mnd_error *err)
{
#ifdef MND_MPI
    int provided = 0;
    int rc = MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    if (rc != MPI_SUCCESS)
        return mpi_fail(err, rc, "MPI_Init_thread");
    /* errors come back as codes, never as an abort inside MPI */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    world_team.comm = MPI_COMM_WORLD;
    world_team.is_mpi = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &world_team.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world_team.size);
    if (world_team.rank != 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            return mnd_error_set(err, MND_ERR_IO, NULL, 0, "rank %d: cannot silence its output",
                                 world_team.rank);
    }
#else
    (void)argc;
    (void)argv;
    (void)err;
#endif
    return MND_OK;
}

void mnd_team_finalize(void)
{
#ifdef MND_MPI
    int started = 0, finished = 0;
    MPI_Initialized(&started);
    MPI_Finalized(&finished);
    if (started && !finished)
        MPI_Finalize();
#endif
}

mnd_status mnd_team_agree(const mnd_team *t, mnd_status local, int64_t at, mnd_error *err)
{
    if (t->size == 1)
        return local;
#ifdef MND_MPI
    if (local != MND_OK && at >= LONG_MAX)
        at = LONG_MAX - 1;
    struct {
        long at;
        int rank;
    } mine = {local != MND_OK ? (long)at : LONG_MAX, t->rank}, lowest;
    mnd_error received;
    int rc = MPI_Allreduce(&mine, &lowest, 1, MPI_LONG_INT, MPI_MINLOC, t->comm);
    if (rc != MPI_SUCCESS)
        return mpi_fail(err, rc, "MPI_Allreduce (agreeing on a failure)");
    if (lowest.at == LONG_MAX)
        return MND_OK;
    if (t->rank == lowest.rank)
        received = *err;
    rc = MPI_Bcast(&received, sizeof received, MPI_BYTE, lowest.rank, t->comm);
    if (rc != MPI_SUCCESS)
        return mpi_fail(err, rc, "MPI_Bcast (sharing an error)");
    *err = received;
    return received.code;
#else
    return local;
#endif
}

bool mnd_team_any(const mnd_team *t, bool flag)
{
    if (t->size == 1)
        return flag;
#ifdef MND_MPI
    int mine = flag, any = 0;
    if (MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_LOR, t->comm) != MPI_SUCCESS)
        return true; /* cannot agree: stop everywhere */
    return any != 0;
#else
    return flag;
#endif
}

mnd_status mnd_team_allgather_i64(const mnd_team *t, const int64_t *mine, int n, int64_t *all,
                                  mnd_error *err)
{
    if (t->size == 1) {
        memcpy(all, mine, (size_t)n * sizeof *all);
        return MND_OK;
    }
#ifdef MND_MPI
    int rc = MPI_Allgather(mine, n, MPI_INT64_T, all, n, MPI_INT64_T, t->comm);
    if (rc != MPI_SUCCESS)
        return mpi_fail(err, rc, "MPI_Allgather");
#endif
    return MND_OK;
}

mnd_status mnd_team_broadcast(const mnd_team *t, void *buf, size_t bytes, int root,
                              mnd_error *err)
{
    if (t->size == 1)
        return MND_OK;
#ifdef MND_MPI
    if (bytes > INT_MAX)
        return mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0, "MPI: broadcast of %zu bytes", bytes);
    int rc = MPI_Bcast(buf, (int)bytes, MPI_BYTE, root, t->comm);
    if (rc != MPI_SUCCESS)
        return mpi_fail(err, rc, "MPI_Bcast");
#endif
    return MND_OK;
}

mnd_status mnd_team_share_ranges(const mnd_team *t, void *base, size_t elem_bytes,
                                 const int64_t *first, const int64_t *count, mnd_error *err)
{
    if (t->size == 1)
        return MND_OK;
#ifdef MND_MPI
    mnd_status st = MND_OK;
    int *counts = malloc((size_t)t->size * sizeof *counts);
    int *displs = malloc((size_t)t->size * sizeof *displs);
    MPI_Datatype elem = MPI_DATATYPE_NULL;
    int rc;
    if (!counts || !displs) {
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "out of memory sharing results");
        goto cleanup;
    }
    for (int r = 0; r < t->size; r++) {
        if (first[r] > INT_MAX || count[r] > INT_MAX || elem_bytes > INT_MAX) {
            st = mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0,
                               "MPI: %lld elements at %lld are too many for one exchange",
                               (long long)count[r], (long long)first[r]);
            goto cleanup;
        }
        counts[r] = (int)count[r];
        displs[r] = (int)first[r];
    }
    if ((rc = MPI_Type_contiguous((int)elem_bytes, MPI_BYTE, &elem)) != MPI_SUCCESS
        || (rc = MPI_Type_commit(&elem)) != MPI_SUCCESS) {
        st = mpi_fail(err, rc, "MPI_Type_contiguous");
        goto cleanup;
    }
    rc = MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, base, counts, displs, elem, t->comm);
    if (rc != MPI_SUCCESS)
        st = mpi_fail(err, rc, "MPI_Allgatherv (sharing results)");

cleanup:
    if (elem != MPI_DATATYPE_NULL)
        MPI_Type_free(&elem);
    free(counts);
    free(displs);
    return st;
#else
    (void)base;
    (void)elem_bytes;
    (void)first;
    (void)count;
    (void)err;
    return MND_OK;
#endif
}
