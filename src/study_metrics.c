/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * study_metrics.c — what a replicate study reports (mnd_metric), and the
 * summary over replicates.
 *
 * Design.  Two readings of the same records.  The trial's: per-patient
 * least-squares slopes compared between the observed arms (Welch), and
 * survival by arm (Kaplan–Meier medians, log-rank, Cox with Efron ties,
 * stratified like the randomization).  The clinic's: each treated
 * patient's post-treatment slope against an "expected" slope (ΔFS from
 * onset, the lead-in slope, or the patient's own untreated course), FVC
 * against baseline, survival against an expected median; and the same
 * clinic metrics computed on the control patients (RCT) or on the same
 * patients given the sham (uncontrolled designs), which is what the claim
 * looks like without the therapy.  The true effect is the mean of each
 * patient's treated minus untreated slope.  A metric that cannot be
 * computed (too few patients, no events) is NaN, never an error.
 */
#include <math.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "mndsim/study_run.h"
#include "mndsim/survival.h"

const char *const mnd_metric_names[MND_M_COUNT] = {
    "n_treated",         "n_control",          "slope_treated",
    "slope_control",     "slope_difference",   "slope_difference_lower",
    "slope_difference_upper", "slope_p",       "hazard_ratio",
    "hazard_ratio_lower", "hazard_ratio_upper", "logrank_p",
    "median_survival_treated", "median_survival_control", "dropout_share",
    "slowing_percent",   "slowed_share",       "fvc_gain_share",
    "survival_gain",     "alive_10y",          "true_slope_effect",
    "control_slowing_percent", "control_slowed_share", "control_fvc_gain_share",
    "control_survival_gain", "control_alive_10y", "pro_pain_change",
    "pro_spasms_change", "pro_hads_change", "pro_qol_change",
    "pro_best_change",   "control_pro_pain_change", "control_pro_spasms_change",
    "control_pro_hads_change", "control_pro_qol_change", "control_pro_best_change",
    "true_pro_effect",
};
const char *const mnd_metric_units[MND_M_COUNT] = {
    "patients", "patients", "points/month", "points/month", "points/month", "points/month",
    "points/month", "-", "-", "-", "-", "-", "month", "month", "fraction", "%", "fraction",
    "fraction", "month", "patients", "points/month", "%", "fraction", "fraction", "month",
    "patients", "%", "%", "%", "%", "%", "%", "%", "%", "%", "%", "%",
};
const char *const mnd_metric_descriptions[MND_M_COUNT] = {
    "patients enrolled in the treated arm",
    "patients enrolled in the control arm",
    "mean per-patient least-squares ALSFRS-R slope, treated arm",
    "mean per-patient least-squares ALSFRS-R slope, control arm",
    "mean slope treated minus control (Welch)",
    "lower 95 % limit of the slope difference",
    "upper 95 % limit of the slope difference",
    "two-sided p of the slope difference (Welch t)",
    "Cox hazard ratio of death or tracheostomy, treated vs control (Efron ties)",
    "lower 95 % limit of the hazard ratio",
    "upper 95 % limit of the hazard ratio",
    "log-rank p of death or tracheostomy by arm",
    "Kaplan-Meier median survival, treated arm, from the study's survival origin",
    "Kaplan-Meier median survival, control arm, from the study's survival origin",
    "share of enrolled patients who left the study alive before its end",
    "C3: 100 (1 - mean post-treatment decline / mean expected decline), treated patients",
    "C2: share of treated patients whose decline is at least slowing_percent flatter than "
    "expected",
    "C4: share of treated patients with FVC at least fvc_gain_percent above baseline",
    "C5: median survival of the treated minus expected_survival_months",
    "C6: treated patients known alive 10 years after enrolment",
    "true effect: mean over enrolled patients of their treated minus untreated slope",
    "the C3 metric on the control arm (rct) or on the same patients given the sham",
    "the C2 metric on the control arm (rct) or on the same patients given the sham",
    "the C4 metric on the control arm (rct) or on the same patients given the sham",
    "the C5 metric on the control arm (rct) or on the same patients given the sham",
    "the C6 metric on the control arm (rct) or on the same patients given the sham",
    "C7: 100 (1 - mean reported pain pro_months after enrolment / at enrolment), patients "
    "rated at both",
    "C7: the same for painful spasms per week",
    "C7: the same for the HADS total (anxiety and depression)",
    "C7: 100 (mean quality of life pro_months after enrolment / at enrolment - 1)",
    "C7: the largest of the four patient-reported changes (multiplicity)",
    "the pro_pain_change metric on the control arm (rct) or on the same patients given the "
    "sham",
    "the pro_spasms_change metric, control arm or sham",
    "the pro_hads_change metric, control arm or sham",
    "the pro_qol_change metric, control arm or sham",
    "the pro_best_change metric, control arm or sham",
    "true effect on the patient-reported scales: treated minus untreated change of the scale "
    "with the largest treated change, same patients",
};

/* Kaplan-Meier median of the k times and events in sc->a, sc->event; NaN
 * when not reached or not computable. */
static double km_median(mnd_study_scratch *sc, size_t k)
{
    mnd_km km;
    double median = NAN;
    if (k > 0 && mnd_km_fit(sc->a, sc->event, k, &km, NULL) == MND_OK) {
        median = mnd_km_median(&km);
        mnd_km_free(&km);
    }
    return median;
}

/* Patients whose outcome `a` the clinic reads: the treated arm (a = 1) or
 * its control (a = 0: the RCT's control arm, the sham of the others). */
static bool read_by_clinic(const mnd_study *s, const mnd_study_patient *e, int a)
{
    if (s->design == MND_DESIGN_RCT)
        return e->arm == a;
    return e->arm == 1; /* uncontrolled: the same patients, treated or sham */
}

static bool in_slope_analysis(const mnd_study *s, const mnd_study_outcome *o)
{
    return isfinite(o->slope) && (!s->completers_only || o->completed);
}

/* The clinic's metrics C2-C5 on outcome a; m[0..3] = slowing %, slowed
 * share, FVC gain share, survival gain. */
static void clinic_metrics(const mnd_study *s, const mnd_study_patient *pts, int64_t n, int a,
                           mnd_study_scratch *sc, double m[4])
{
    double sum_pre = 0, sum_post = 0;
    int64_t n_slope = 0, n_judged = 0, n_slowed = 0, n_fvc = 0, n_fvc_gain = 0, n_surv = 0;
    for (int64_t i = 0; i < n; i++) {
        const mnd_study_patient *e = &pts[i];
        if (!read_by_clinic(s, e, a))
            continue;
        const mnd_study_outcome *o = &e->outcome[a];
        if (isfinite(o->t_event)) {
            sc->a[n_surv] = o->t_event;
            sc->event[n_surv++] = o->event;
        }
        if (o->n_visits >= 2) {
            double ratio = s->best_visit ? o->best_fvc_ratio : o->last_fvc_ratio;
            n_fvc++;
            n_fvc_gain += ratio >= 1.0 + s->fvc_gain_percent / 100.0;
        }
        if (!in_slope_analysis(s, o))
            continue;
        double pre; /* expected decline, points/month (positive = decline) */
        switch (s->pre_slope) {
        case MND_PRE_SLOPE_ONSET: pre = e->delta_fs; break;
        case MND_PRE_SLOPE_LEAD_IN: pre = e->lead_in_slope; break;
        default: pre = -e->outcome[0].slope; break;
        }
        double post = -(s->best_visit ? o->best_slope : o->slope);
        if (!isfinite(pre) || !isfinite(post))
            continue;
        sum_pre += pre;
        sum_post += post;
        n_slope++;
        if (pre > 0) {
            n_judged++;
            n_slowed += post <= (1.0 - s->slowing_percent / 100.0) * pre;
        }
    }
    m[0] = n_slope > 0 && sum_pre != 0 ? 100.0 * (1.0 - sum_post / sum_pre) : NAN;
    m[1] = n_judged > 0 ? (double)n_slowed / (double)n_judged : NAN;
    m[2] = n_fvc > 0 ? (double)n_fvc_gain / (double)n_fvc : NAN;
    m[3] = km_median(sc, (size_t)n_surv) - s->expected_survival_months;
}

/* The C7 change of scale k from rating sums over the same patients: an
 * improvement in percent (lower burden, higher quality of life); NaN when
 * nobody was rated or the baseline sum is 0. */
static double pro_change(int k, double sum_baseline, double sum_follow_up, int64_t rated)
{
    if (rated == 0 || !(sum_baseline > 0))
        return NAN;
    return k == MND_PRO_QOL ? 100.0 * (sum_follow_up / sum_baseline - 1.0)
                            : 100.0 * (1.0 - sum_follow_up / sum_baseline);
}

/* The index of the largest finite value of x[0..n), or -1. */
static int largest(const double *x, int n)
{
    int best = -1;
    for (int k = 0; k < n; k++)
        if (isfinite(x[k]) && (best < 0 || x[k] > x[best]))
            best = k;
    return best;
}

/* The C7 changes on outcome a of the patients the clinic reads: m[k] for
 * scale k, m[MND_PRO_COUNT] the largest. */
static void pro_metrics(const mnd_study *s, const mnd_study_patient *pts, int64_t n, int a,
                        double m[MND_PRO_COUNT + 1])
{
    for (int k = 0; k < MND_PRO_COUNT; k++) {
        double base = 0, follow = 0;
        int64_t rated = 0;
        for (int64_t i = 0; i < n; i++) {
            const mnd_study_outcome *o = &pts[i].outcome[a];
            if (read_by_clinic(s, &pts[i], a) && isfinite(o->pro_follow_up[k])) {
                base += o->pro_baseline[k];
                follow += o->pro_follow_up[k];
                rated++;
            }
        }
        m[k] = pro_change(k, base, follow, rated);
    }
    int best = largest(m, MND_PRO_COUNT);
    m[MND_PRO_COUNT] = best >= 0 ? m[best] : NAN;
}

/* The true effect on the patient-reported scales: on the enrolled patients
 * rated in both arms, the treated change of the scale with the largest
 * treated change minus the untreated change of that scale. */
static double true_pro_effect(const mnd_study *s, const mnd_study_patient *pts, int64_t n)
{
    double change[2][MND_PRO_COUNT];
    for (int k = 0; k < MND_PRO_COUNT; k++) {
        double base[2] = {0, 0}, follow[2] = {0, 0};
        int64_t rated = 0;
        for (int64_t i = 0; i < n; i++) {
            const mnd_study_patient *e = &pts[i];
            if ((s->design == MND_DESIGN_HISTORICAL && e->arm == 0)
                || !isfinite(e->outcome[0].pro_follow_up[k])
                || !isfinite(e->outcome[1].pro_follow_up[k]))
                continue;
            for (int a = 0; a < 2; a++) {
                base[a] += e->outcome[a].pro_baseline[k];
                follow[a] += e->outcome[a].pro_follow_up[k];
            }
            rated++;
        }
        for (int a = 0; a < 2; a++)
            change[a][k] = pro_change(k, base[a], follow[a], rated);
    }
    int best = largest(change[1], MND_PRO_COUNT);
    return best >= 0 ? change[1][best] - change[0][best] : NAN;
}

/* KM median of the observed outcomes of arm `arm`. */
static double arm_median(const mnd_study_patient *pts, int64_t n, int arm, mnd_study_scratch *sc)
{
    size_t k = 0;
    for (int64_t i = 0; i < n; i++)
        if (pts[i].arm == arm) {
            sc->a[k] = pts[i].outcome[arm].t_event;
            sc->event[k++] = pts[i].outcome[arm].event;
        }
    return km_median(sc, k);
}

/* Slope difference, survival comparison and dropout between the observed
 * arms. */
static void compare_arms(const mnd_study *s, const mnd_study_patient *pts, int64_t n,
                         mnd_study_scratch *sc, double m[MND_M_COUNT])
{
    size_t n_arm[2] = {0, 0}, dropped = 0;
    for (int64_t i = 0; i < n; i++) {
        const mnd_study_patient *e = &pts[i];
        const mnd_study_outcome *o = &e->outcome[e->arm];
        dropped += !isnan(o->t_dropout);
        if (in_slope_analysis(s, o)) { /* treated slopes in a, control slopes in b */
            double *dst = e->arm ? sc->a : sc->b;
            dst[n_arm[e->arm]++] = o->slope;
        }
    }
    m[MND_M_DROPOUT_SHARE] = n > 0 ? (double)dropped / (double)n : NAN;
    if (n_arm[1] > 0)
        m[MND_M_SLOPE_TREATED] = gsl_stats_mean(sc->a, 1, n_arm[1]);
    if (n_arm[0] > 0)
        m[MND_M_SLOPE_CONTROL] = gsl_stats_mean(sc->b, 1, n_arm[0]);
    mnd_mean_diff d;
    if (n_arm[0] >= 2 && n_arm[1] >= 2
        && mnd_mean_difference(sc->a, n_arm[1], sc->b, n_arm[0], &d, NULL) == MND_OK) {
        m[MND_M_SLOPE_DIFF] = d.diff;
        m[MND_M_SLOPE_DIFF_LOWER] = d.lower;
        m[MND_M_SLOPE_DIFF_UPPER] = d.upper;
        m[MND_M_SLOPE_P] = d.p_value;
    }

    m[MND_M_MEDIAN_TREATED] = arm_median(pts, n, 1, sc);
    m[MND_M_MEDIAN_CONTROL] = arm_median(pts, n, 0, sc);
    for (int64_t i = 0; i < n; i++) {
        const mnd_study_outcome *o = &pts[i].outcome[pts[i].arm];
        sc->a[i] = o->t_event;
        sc->event[i] = o->event;
        sc->group[i] = pts[i].arm;
        sc->b[i] = pts[i].arm;
        sc->stratum[i] = pts[i].stratum;
    }
    const int *strata = s->stratify ? sc->stratum : NULL;
    mnd_logrank lr;
    if (mnd_logrank_test(sc->a, sc->event, sc->group, 2, strata, (size_t)n, &lr, NULL) == MND_OK)
        m[MND_M_LOGRANK_P] = lr.p_value;
    mnd_cox cox;
    if (mnd_cox_fit(sc->a, sc->event, sc->b, 1, strata, (size_t)n, NULL, &cox, NULL) == MND_OK
        && !cox.infinite[0]) {
        m[MND_M_HR] = cox.hr[0];
        m[MND_M_HR_LOWER] = cox.hr_lower[0];
        m[MND_M_HR_UPPER] = cox.hr_upper[0];
    }
}

void mnd_study_metrics(const mnd_study *s, const mnd_study_patient *pts, int64_t n,
                       mnd_study_scratch *sc, double m[MND_M_COUNT])
{
    for (int k = 0; k < MND_M_COUNT; k++)
        m[k] = NAN;
    int64_t n_arm[2] = {0, 0}, n_effect = 0;
    double effect = 0.0;
    for (int64_t i = 0; i < n; i++) {
        const mnd_study_patient *e = &pts[i];
        n_arm[e->arm]++;
        bool historical_control = s->design == MND_DESIGN_HISTORICAL && e->arm == 0;
        if (!historical_control && isfinite(e->outcome[1].slope) && isfinite(e->outcome[0].slope)) {
            effect += e->outcome[1].slope - e->outcome[0].slope;
            n_effect++;
        }
    }
    m[MND_M_N_TREATED] = (double)n_arm[1];
    m[MND_M_N_CONTROL] = (double)n_arm[0];
    m[MND_M_TRUE_SLOPE_EFFECT] = n_effect > 0 ? effect / (double)n_effect : NAN;

    if (n_arm[0] > 0 && n_arm[1] > 0) {
        compare_arms(s, pts, n, sc, m);
    } else { /* one arm only (case series, lead-in): its slope, no comparison */
        size_t dropped = 0, n_slope = 0;
        for (int64_t i = 0; i < n; i++) {
            const mnd_study_outcome *o = &pts[i].outcome[pts[i].arm];
            dropped += !isnan(o->t_dropout);
            if (pts[i].arm == 1 && in_slope_analysis(s, o))
                sc->a[n_slope++] = o->slope;
        }
        m[MND_M_DROPOUT_SHARE] = n > 0 ? (double)dropped / (double)n : NAN;
        if (n_slope > 0)
            m[MND_M_SLOPE_TREATED] = gsl_stats_mean(sc->a, 1, n_slope);
        m[MND_M_MEDIAN_TREATED] = arm_median(pts, n, 1, sc);
    }

    double c[4];
    clinic_metrics(s, pts, n, 1, sc, c);
    m[MND_M_SLOWING_PERCENT] = c[0];
    m[MND_M_SLOWED_SHARE] = c[1];
    m[MND_M_FVC_GAIN_SHARE] = c[2];
    m[MND_M_SURVIVAL_GAIN] = c[3];
    clinic_metrics(s, pts, n, 0, sc, c);
    m[MND_M_CONTROL_SLOWING_PERCENT] = c[0];
    m[MND_M_CONTROL_SLOWED_SHARE] = c[1];
    m[MND_M_CONTROL_FVC_GAIN_SHARE] = c[2];
    m[MND_M_CONTROL_SURVIVAL_GAIN] = c[3];

    double pro[MND_PRO_COUNT + 1];
    for (int a = 1; a >= 0; a--) {
        pro_metrics(s, pts, n, a, pro);
        for (int k = 0; k <= MND_PRO_COUNT; k++)
            m[(a ? MND_M_PRO_PAIN_CHANGE : MND_M_CONTROL_PRO_PAIN_CHANGE) + k] = pro[k];
    }
    m[MND_M_TRUE_PRO_EFFECT] = true_pro_effect(s, pts, n);

    /* C6 needs ten years of follow-up after enrolment */
    if (s->follow_up_months + s->accrual_months >= 120.0)
        for (int a = 1; a >= 0; a--) {
            int64_t alive = 0;
            for (int64_t i = 0; i < n; i++) {
                const mnd_study_patient *e = &pts[i];
                if (!read_by_clinic(s, e, a))
                    continue;
                double shift = s->survival_from == MND_SURVIVAL_FROM_ONSET ? e->t_enrolment : 0.0;
                alive += e->outcome[a].t_event - shift >= 120.0;
            }
            m[a ? MND_M_ALIVE_10Y : MND_M_CONTROL_ALIVE_10Y] = (double)alive;
        }
}

void mnd_study_summarise(const mnd_study *s, const double *m, int64_t n_rep, double *work,
                         mnd_study_summary *out)
{
    int64_t slope_tests = 0, slope_rejections = 0, lr_tests = 0, lr_rejections = 0;
    int64_t claims = 0, claim_judged = 0;
    for (int64_t r = 0; r < n_rep; r++) {
        const double *row = m + r * MND_M_COUNT;
        if (isfinite(row[MND_M_SLOPE_P])) {
            slope_tests++;
            slope_rejections += row[MND_M_SLOPE_P] < s->alpha;
        }
        if (isfinite(row[MND_M_LOGRANK_P])) {
            lr_tests++;
            lr_rejections += row[MND_M_LOGRANK_P] < s->alpha;
        }
        if (isfinite(row[s->claim_metric])) {
            claim_judged++;
            claims += row[s->claim_metric] >= s->claim_threshold;
        }
    }
    out->reject_slope = slope_tests > 0 ? (double)slope_rejections / (double)slope_tests : NAN;
    out->reject_logrank = lr_tests > 0 ? (double)lr_rejections / (double)lr_tests : NAN;
    out->p_claim = claim_judged > 0 ? (double)claims / (double)claim_judged : NAN;

    for (int k = 0; k < MND_M_COUNT; k++) {
        mnd_metric_summary *ms = &out->metric[k];
        for (int64_t r = 0; r < n_rep; r++)
            work[r] = m[r * MND_M_COUNT + k];
        size_t finite;
        ms->median = mnd_quantile(work, (size_t)n_rep, 0.5, &finite);
        ms->n = (int64_t)finite;
        /* mnd_quantile sorted the finite values to the front */
        ms->q025 = finite > 0 ? gsl_stats_quantile_from_sorted_data(work, 1, finite, 0.025) : NAN;
        ms->q975 = finite > 0 ? gsl_stats_quantile_from_sorted_data(work, 1, finite, 0.975) : NAN;
        ms->mean = finite > 0 ? gsl_stats_mean(work, 1, finite) : NAN;
        ms->sd = finite > 1 ? gsl_stats_sd(work, 1, finite) : NAN;
    }
}
