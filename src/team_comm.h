/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * team_comm.h — private: the MPI communicator behind a team, for the one
 * other file that needs it (output_h5.c opens the HDF5 file with MPI-IO on
 * it).  Empty in the serial build, which includes no MPI header.
 */
#ifndef MNDSIM_TEAM_COMM_H
#define MNDSIM_TEAM_COMM_H

#include "mndsim/team.h"

#ifdef MND_MPI
#include <mpi.h>

/* The team's communicator (MPI_COMM_SELF for the solo team). */
MPI_Comm mnd_team_comm(const mnd_team *t);
#endif

#endif
