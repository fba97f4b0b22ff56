/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * function.c — from region function to ALSFRS-R items, FVC and stages.
 *
 * Design.  Each ALSFRS-R item (Cedarbaum 1999) is driven by the function of
 * the regions that serve it (the weights below: bulbar items by the bulbar
 * region, fine-motor items by the upper limb, walking and stairs by the
 * lower limb, dressing and turning in bed by several regions, dyspnoea and
 * orthopnoea by the ventilation index).  An item stays at 4 while its drive
 * is above item_hi, falls linearly and reaches 0 at item_lo; the different
 * thresholds order the items (stairs fail before walking, speech before
 * swallowing, salivation late).  Item 12 (respiratory insufficiency) is a
 * status: 4 without support, 3..1 on NIV as ventilation falls through
 * [item_lo, item_hi], 1 once ventilatory failure is reached on NIV, 0 on
 * invasive ventilation.
 *
 * Rater noise (Kaufmann 2007: ICC 0.93–0.95, about 1.4–1.7 points on the
 * total) is added to each item in transition: intact and lost items are
 * rated without error, so the noise SD is item_noise_sd x min(1, e, 4 - e).
 * FVC is baseline x (floor + (1 - floor) x ventilation) with multiplicative
 * test-retest noise (ATS/ERS 2005: a real change exceeds about 11 %).
 */
#include <math.h>
#include <gsl/gsl_randist.h>
#include "mndsim/disease.h"

/* The drive of items 1-9: the function of the regions that serve them,
 * weighted (weights summing to 1):
 *                      bulbar cervical thoracic lumbar
 *   speech, salivation,
 *   swallowing            1
 *   handwriting, cutting           1
 *   dressing                       0.7               0.3
 *   turning in bed                 0.4      0.2      0.4
 *   walking, stairs                                  1
 * Written out rather than as a weight table: a loop over the table would
 * multiply and add the zero weights too, at every visit. */
static void item_drives(const double f[MND_REGION_COUNT], double drive[MND_ITEM_DYSPNOEA])
{
    const double bulbar = f[MND_REGION_BULBAR], arm = f[MND_REGION_CERVICAL];
    const double trunk = f[MND_REGION_THORACIC], leg = f[MND_REGION_LUMBAR];
    drive[MND_ITEM_SPEECH] = drive[MND_ITEM_SALIVATION] = drive[MND_ITEM_SWALLOWING] = bulbar;
    drive[MND_ITEM_HANDWRITING] = drive[MND_ITEM_CUTTING_FOOD] = arm;
    drive[MND_ITEM_DRESSING] = 0.7 * arm + 0.3 * leg;
    drive[MND_ITEM_TURNING_IN_BED] = 0.4 * arm + 0.2 * trunk + 0.4 * leg;
    drive[MND_ITEM_WALKING] = drive[MND_ITEM_CLIMBING_STAIRS] = leg;
}

static double ramp(double x, double lo, double hi)
{
    if (x <= lo)
        return 0.0;
    if (x >= hi)
        return 1.0;
    return (x - lo) / (hi - lo);
}

void mnd_items_expected(const mnd_params *p, const mnd_pool_state *s, const mnd_events *ev, double t,
                        double expected[MND_ITEM_COUNT])
{
    double v = s->ventilation, drive[MND_ITEM_DYSPNOEA];
    item_drives(s->function, drive);
    for (int i = 0; i < MND_ITEM_DYSPNOEA; i++)
        expected[i] = 4.0 * ramp(drive[i], p->item_lo[i], p->item_hi[i]);
    expected[MND_ITEM_DYSPNOEA] = 4.0 * ramp(v, p->item_lo[MND_ITEM_DYSPNOEA],
                                             p->item_hi[MND_ITEM_DYSPNOEA]);
    expected[MND_ITEM_ORTHOPNOEA] = 4.0 * ramp(v, p->item_lo[MND_ITEM_ORTHOPNOEA],
                                               p->item_hi[MND_ITEM_ORTHOPNOEA]);

    const int r12 = MND_ITEM_RESPIRATORY_INSUFFICIENCY;
    if (t >= ev->t_tracheostomy) /* false for NaN: no tracheostomy */
        expected[r12] = 0.0;
    else if (t >= ev->t_respiratory_failure && t >= ev->t_niv)
        expected[r12] = 1.0;
    else if (t >= ev->t_niv)
        expected[r12] = 1.0 + 2.0 * ramp(v, p->item_lo[r12], p->item_hi[r12]);
    else
        expected[r12] = 4.0;
}

double mnd_items_expected_total(const double expected[MND_ITEM_COUNT])
{
    double total = 0.0;
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        total += expected[i];
    return total;
}

double mnd_total_expected(const mnd_params *p, const mnd_course *k, const mnd_events *ev, double t)
{
    double e[MND_ITEM_COUNT];
    mnd_pool_state s;
    mnd_pool_state_at(p, k, t, &s);
    mnd_items_expected(p, &s, ev, t, e);
    return mnd_items_expected_total(e);
}

void mnd_items_measure(gsl_rng *r, const mnd_params *p, const double expected[MND_ITEM_COUNT],
                       int8_t items[MND_ITEM_COUNT])
{
    for (int i = 0; i < MND_ITEM_RESPIRATORY_INSUFFICIENCY; i++) {
        double e = expected[i];
        double z = gsl_ran_gaussian_ziggurat(r, 1.0);
        double below = e < 1.0 ? e : 1.0, above = 4.0 - e;
        double scale = above < below ? above : below; /* min(1, e, 4 - e): two minsd */
        double x = e + p->item_noise_sd * scale * z;
        /* rounded half up, then held within 0..4: the same items as
         * rounding x held within [0, 4], but the clamps become integer
         * compares (a conditional move, and a branch taken only above 4)
         * instead of branches on x, which the noise makes unpredictable:
         * the kernel runs 3-4 % faster */
        int k = (int)(x + 0.5);
        k = k < 0 ? 0 : k;
        items[i] = (int8_t)(k > 4 ? 4 : k);
    }
    int r12 = MND_ITEM_RESPIRATORY_INSUFFICIENCY;
    items[r12] = (int8_t)(expected[r12] + 0.5);
}

double mnd_fvc_expected(const mnd_params *p, double fvc_predicted_baseline, double v)
{
    return fvc_predicted_baseline * (p->fvc_floor_fraction + (1.0 - p->fvc_floor_fraction) * v);
}

/* The stagings below combine their comparisons with | and & rather than ||
 * and &&: each operand is one cheap comparison, and branches on them would
 * be mispredicted as the items move from visit to visit (2-3 % of the
 * kernel's time). */
int mnd_kings_stage(const int8_t items[MND_ITEM_COUNT], int has_gastrostomy)
{
    if ((has_gastrostomy != 0) | (items[MND_ITEM_DYSPNOEA] == 0)
        | (items[MND_ITEM_RESPIRATORY_INSUFFICIENCY] < 4))
        return 4;
    int bulbar = (items[MND_ITEM_SPEECH] < 4) | (items[MND_ITEM_SALIVATION] < 4)
                 | (items[MND_ITEM_SWALLOWING] < 4);
    int arm = (items[MND_ITEM_HANDWRITING] < 4) | (items[MND_ITEM_CUTTING_FOOD] < 4);
    int leg = items[MND_ITEM_WALKING] < 4;
    int regions = bulbar + arm + leg;
    return regions > 0 ? regions : 1; /* a diagnosed patient is at least stage 1 */
}

int mnd_kings_stage_expected(const double expected[MND_ITEM_COUNT], const mnd_events *ev, double t)
{
    int8_t items[MND_ITEM_COUNT];
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        items[i] = (int8_t)floor(expected[i] + 0.5);
    return mnd_kings_stage(items, t >= ev->t_gastrostomy || t >= ev->t_niv);
}

int mnd_mitos_stage(const int8_t items[MND_ITEM_COUNT])
{
    int walking = (items[MND_ITEM_WALKING] <= 1) | (items[MND_ITEM_DRESSING] <= 1);
    int swallowing = items[MND_ITEM_SWALLOWING] <= 1;
    int communicating = (items[MND_ITEM_SPEECH] <= 1) & (items[MND_ITEM_HANDWRITING] <= 1);
    int breathing = (items[MND_ITEM_DYSPNOEA] <= 1)
                    | (items[MND_ITEM_RESPIRATORY_INSUFFICIENCY] <= 2);
    return walking + swallowing + communicating + breathing;
}
