/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * study_report.h — the studies of a result file as text: the summary of
 * every metric (`mndsim info`) and the claims audit table (`mndsim
 * claims`).
 */
#ifndef MNDSIM_STUDY_REPORT_H
#define MNDSIM_STUDY_REPORT_H

#include <stdio.h>
#include "mndsim/status.h"

/* Prints, for each study of the result at `path`, every metric's mean and
 * 2.5-97.5 % range over the replicates and the rejection rates.  Prints
 * nothing for a file without studies. */
mnd_status mnd_study_report_print(FILE *out, const char *path, mnd_error *err);

/* Prints the claims audit table of the result at `path`: per study, the
 * claim (claim_metric >= claim_threshold), the metric as the clinic
 * computes it, the same metric without the therapy (the randomized control
 * arm of an rct, the sham counterfactual of the same patients otherwise),
 * the true effect simulated (mean treated - untreated slope), and how
 * often replicate studies reach the claim with the simulated effect and
 * with zero effect. */
mnd_status mnd_claims_print(FILE *out, const char *path, mnd_error *err);

#endif
