/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * intervention.c — names of the intervention categories, the fixed severity
 * of each adverse-event type, and two small queries on an intervention.
 */
#include <string.h>
#include "mndsim/intervention.h"

const char *const mnd_anchor_names[MND_ANCHOR_COUNT] = {
    "onset", "diagnosis", "enrolment", "gastrostomy", "niv", "kings_stage"};
const char *const mnd_schedule_names[MND_SCHEDULE_COUNT] = {"once", "doses", "continuous"};
const char *const mnd_component_names[MND_COMPONENT_COUNT] = {"all", "cell_autonomous",
                                                              "non_cell_autonomous"};
const char *const mnd_route_names[MND_ROUTE_COUNT] = {"oral", "intravenous", "intrathecal",
                                                      "intraspinal"};
const char *const mnd_cell_source_names[MND_CELLS_COUNT] = {
    "none", "bm_msc", "uc_msc", "adipose", "nsc", "esc", "ipsc"};
const char *const mnd_ae_type_names[MND_AE_COUNT] = {
    "headache", "meningitis", "neurological", "surgical", "tumour", "ectopic", "rejection"};
const char *const mnd_severity_names[MND_SEVERITY_COUNT] = {"mild", "moderate", "serious"};
const char *const mnd_ae_outcome_names[MND_OUTCOME_COUNT] = {"recovered", "graft_lost", "fatal"};

/* CTCAE-like grading of a typical event of each type. */
const mnd_severity mnd_ae_severity[MND_AE_COUNT] = {
    [MND_AE_HEADACHE] = MND_SEVERITY_MODERATE,   [MND_AE_MENINGITIS] = MND_SEVERITY_SERIOUS,
    [MND_AE_NEUROLOGICAL] = MND_SEVERITY_SERIOUS, [MND_AE_SURGICAL] = MND_SEVERITY_SERIOUS,
    [MND_AE_TUMOUR] = MND_SEVERITY_SERIOUS,      [MND_AE_ECTOPIC] = MND_SEVERITY_SERIOUS,
    [MND_AE_REJECTION] = MND_SEVERITY_MODERATE,
};

double mnd_ae_per_dose(const mnd_intervention *iv, const mnd_delivery *d, mnd_ae_type type)
{
    double p = 0.0;
    if (type < MND_AE_ROUTE_COUNT)
        p = d->route_ae_per_dose[type][iv->route];
    else if (iv->cell_source != MND_CELLS_NONE)
        p = d->cells_ae_per_dose[type - MND_AE_ROUTE_COUNT][iv->cell_source];
    if (type == MND_AE_NEUROLOGICAL) /* the drug's own risk, independent of the procedure's */
        p = 1.0 - (1.0 - p) * (1.0 - iv->neurological_ae_per_dose);
    return p;
}

bool mnd_intervention_has_effect(const mnd_intervention *iv)
{
    return iv->loss_rate_multiplier != 1.0 || iv->neurotrophic_slowing != 0.0
           || iv->immunomodulation != 0.0
           || (iv->cells_per_dose_millions != 0.0 && iv->engraftment != 0.0
               && iv->correct_differentiation != 0.0)
           || iv->death_hazard_ratio != 1.0 || iv->symptomatic_points != 0.0
           || iv->placebo_points != 0.0 || iv->offers_niv || iv->offers_gastrostomy
           || iv->offers_tracheostomy;
}
