/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * model.c — names of the model's categories (used in configs, HDF5
 * attributes and messages) and small derived quantities of mnd_params.
 */
#include <math.h>
#include <string.h>
#include "mndsim/model.h"
#include "mndsim/patient.h"

const char *const mnd_region_names[MND_REGION_COUNT] = {"bulbar", "cervical", "thoracic", "lumbar"};
const char *const mnd_pool_names[MND_POOL_COUNT] = {"umn", "lmn"};
const char *const mnd_item_names[MND_ITEM_COUNT] = {
    "speech", "salivation", "swallowing", "handwriting", "cutting_food", "dressing_hygiene",
    "turning_in_bed", "walking", "climbing_stairs", "dyspnoea", "orthopnoea",
    "respiratory_insufficiency"};
const char *const mnd_phenotype_names[MND_PHENOTYPE_COUNT] = {"classic", "pbp", "flail_arm",
                                                              "flail_leg", "pma", "pls"};
const char *const mnd_genotype_names[MND_GENOTYPE_COUNT] = {"sporadic", "c9orf72", "sod1_a4v",
                                                            "sod1_other", "other_familial"};
const char *const mnd_origin_names[MND_ORIGIN_COUNT] = {"onset", "diagnosis", "enrolment"};
const char *const mnd_traj_names[MND_TRAJ_COUNT] = {"time",  "items", "total",  "fvc",
                                                    "kings", "mitos", "neurons"};
const char *const mnd_end_cause_names[MND_END_COUNT] = {"censored", "respiratory", "tracheostomy",
                                                        "background", "procedure",
                                                        "adverse_event"};

int64_t mnd_params_max_visits(const mnd_params *p)
{
    /* the small epsilon keeps 120 / 1.0 from flooring to 119 through rounding */
    return (int64_t)floor(p->follow_up_months / p->visit_interval_months + 1e-9) + 1;
}

int mnd_params_intervention_index(const mnd_params *p, const char *name)
{
    for (int i = 0; i < (int)p->n_interventions; i++)
        if (strcmp(p->interventions[i].name, name) == 0)
            return i;
    return -1;
}
