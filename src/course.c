/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * course.c — motor-neuron pools, their loss and the function they support.
 *
 * Design.  Each body region has an upper (UMN) and a lower (LMN) pool.  An
 * affected pool loses neurons at a constant hazard, so its surviving
 * fraction is exp(-rate (t - loss_start)): closed form at any time, no time
 * steps.  Loss starts in the onset region and reaches the neighbours along
 * the rostro-caudal chain bulbar - cervical - thoracic - lumbar after random
 * delays (focal onset, contiguous spread: Ravits 2009; adjacent regions
 * sooner: Gromicho 2020); delays shorten as the individual rate rises.
 *
 * Function is kept while a pool has more than `reserve_fraction` of its
 * neurons (compensation by collateral reinnervation), falls linearly to 0
 * at `floor_fraction`, and a region's function is its LMN function scaled
 * by what its UMN pool keeps.  Clinical onset (t = 0) is the moment the
 * onset region's function first falls, which fixes its loss_start < 0: the
 * loss begins before symptoms, as MUNE shows in presymptomatic muscles.
 *
 * The loss rate is lmn_loss_rate_per_month x individual multiplier x
 * genotype factor x phenotype factor x a regional factor, and
 * onset_rate_ratio times that in the onset region, where degeneration is
 * most advanced (Ravits 2009); the UMN rate is umn_loss_rate_ratio times the
 * LMN rate (before the phenotype factors, which differ: PMA has no UMN loss,
 * PLS almost no LMN loss).  The regional factor (log-normal, median 1, one
 * per region, shared by its two pools) lets the regions of one patient
 * progress at their own rates once reached, so the onset region's pace
 * (ΔFS) predicts the later slope only in part, as observed (Thakore 2018;
 * Ibric 2025; Proudfoot 2016).  A region fast enough to reach its reserve
 * before the onset region would be the onset region: it starts its loss
 * just late enough to reach the reserve at onset (a combined onset,
 * Fujimura-Kiyono 2011), so the onset region is always the first to fall.
 *
 * Phases.  A patient's pools do not lose neurons at one steady pace: the
 * loss runs on a natural disease clock N(t) whose speed is a rate
 * multiplier that changes from phase to phase (log-normal, mean 1, SD of
 * the log phase_sd_log, independent between phases of phase_months each),
 * shared by every pool of the patient.  The exponential loss then reads
 * exp(-rate (N(t) - N(loss_start))), still closed form: N is piecewise
 * linear, its value at each phase start is stored, and one lookup gives
 * N(t).  Slow phases give plateaus and slower intervals, fast ones the
 * opposite (Bedlack 2016: no ALSFRS-R decline over 6 months in a quarter of
 * PRO-ACT participants; Thakore 2018: individual curvature varies), and a
 * patient selected on a slow or fast interval regresses towards the mean
 * rate afterwards.  Because the mean speed is 1, E[N(t)] = t: the
 * individual rate keeps its meaning as the long-run pace.  Phases start at
 * onset (N(t) = t before it, so the onset and combined-onset construction
 * below is unchanged); their grid is shifted by a random offset so that no
 * phase boundary is tied to onset; after MND_PHASE_HORIZON_MONTHS the clock
 * runs at speed 1.  phase_sd_log = 0 draws nothing and leaves N(t) = t, the
 * model without phases bit for bit.  Spread delays stay in months.
 *
 * Treatment (treatment.h) replaces t by each region's disease clock G_r(t)
 * after the first effect and adds grafted neurons to the LMN pools; the
 * natural clock is read at the treated time, N(G_r(t)): treatment slows the
 * passage through the patient's phases (both clocks are non-decreasing, so
 * their composition is too).  Spread delays are not changed by treatment
 * (they are drawn on the untreated timeline).
 */
#include <assert.h>
#include <math.h>
#include <gsl/gsl_interp.h>
#include <gsl/gsl_randist.h>
#include "mndsim/disease.h"
#include "mndsim/treatment.h"

/* A region reached at onset starts to fall this much after the onset
 * region (a few seconds), so that it is intact at t = 0 despite rounding. */
#define COMBINED_ONSET_LAG_MONTHS 1e-6

/* The loss start at which the faster pool of `region` reaches the reserve
 * at t = 0: log(reserve) / rate (0 when the region loses nothing). */
static double reserve_time(double log_reserve, const mnd_course *k, int region)
{
    double fastest = fmax(k->rate[region][MND_POOL_LMN], k->rate[region][MND_POOL_UMN]);
    return fastest > 0 ? log_reserve / fastest : 0.0;
}

/* Phases of the natural clock, drawn after the seven normals of the course:
 * with phase_sd_log > 0 one uniform (the offset of the phase grid), then one
 * normal per phase, ceil(horizon / phase_months) + 1 of them; nothing
 * otherwise. */
static void sample_phases(gsl_rng *r, const mnd_params *p, mnd_course *k)
{
    k->n_phases = 0;
    k->phase_months = p->phase_months;
    k->phases_per_month = 1.0 / p->phase_months;
    k->phase_offset = 0.0;
    k->phase_clock[0] = 0.0;
    if (!(p->phase_sd_log > 0))
        return;
    int n = (int)ceil(MND_PHASE_HORIZON_MONTHS / p->phase_months) + 1;
    assert(n <= MND_MAX_PHASES); /* the config keeps phase_months >= 4 */
    double sd = p->phase_sd_log;
    k->phase_offset = gsl_rng_uniform(r);
    /* phase j starts at (j - offset) x length, the first at onset; the
     * starts are stored once and read both to build the clock values and
     * to evaluate N, so N is non-decreasing exactly */
    for (int j = 0; j <= n; j++) {
        double start = ((double)j - k->phase_offset) * k->phase_months;
        k->phase_start[j] = start > 0.0 ? start : 0.0;
    }
    for (int j = 0; j < n; j++) {
        k->phase_speed[j] = exp(gsl_ran_gaussian_ziggurat(r, sd) - 0.5 * sd * sd);
        k->phase_clock[j + 1] = k->phase_clock[j]
                                + k->phase_speed[j] * (k->phase_start[j + 1] - k->phase_start[j]);
    }
    k->n_phases = n;
}

/* mnd_course_clock, inlined into the evaluations of this file. */
static inline double clock_at(const mnd_course *k, double t)
{
    if (k->n_phases == 0 || !(t > 0.0))
        return t;
    int n = k->n_phases;
    double x = t * k->phases_per_month + k->phase_offset; /* a guess, settled below */
    int j = x < (double)n ? (int)x : n;
    /* the guess may round across a boundary: settle on the phase whose
     * stored start and end hold t */
    while (j > 0 && t < k->phase_start[j])
        j--;
    while (j < n && t >= k->phase_start[j + 1])
        j++;
    double speed = j < n ? k->phase_speed[j] : 1.0;
    return k->phase_clock[j] + speed * (t - k->phase_start[j]);
}

double mnd_course_clock(const mnd_course *k, double t) { return clock_at(k, t); }

/* The inverse of the natural clock: the t at which N(t) = u (N is
 * continuous and strictly increasing, so t is unique). */
static double clock_inverse(const mnd_course *k, double u)
{
    if (k->n_phases == 0 || !(u > 0.0))
        return u;
    size_t n = (size_t)k->n_phases;
    size_t j = u >= k->phase_clock[n] ? n : gsl_interp_bsearch(k->phase_clock, u, 0, n);
    double speed = j < n ? k->phase_speed[j] : 1.0;
    return k->phase_start[j] + (u - k->phase_clock[j]) / speed;
}

/* N(loss_start) of `region`: loss_start itself without phases. */
static double loss_start_on_clock(const mnd_course *k, int region)
{
    return k->n_phases == 0 ? k->loss_start[region] : k->loss_start_clock[region];
}

/* Natural-clock time elapsed in `region` since its loss started, given
 * the clock `now` = N(t): N(t) - N(loss_start). */
static double elapsed(const mnd_course *k, int region, double now)
{
    return now - loss_start_on_clock(k, region);
}

/* The time at which a pool losing neurons at `rate` on the natural clock
 * from N = start_clock has `fraction` left (< 1): N^-1(start_clock +
 * log(1 / fraction) / rate); +INFINITY for a pool that loses nothing. */
static double time_at_fraction(const mnd_course *k, double start_clock, double rate,
                               double fraction)
{
    return rate > 0 ? clock_inverse(k, start_clock - log(fraction) / rate) : INFINITY;
}

/* Whether the course at t is the untreated one: no treatment, or t not
 * after its first effect (treatment.h). */
static bool untreated_at(const mnd_course *k, double t)
{
    return k->tx == NULL || t <= k->tx->t_first;
}

/* The treated course's elapsed time in `region` from its disease clock
 * G_r(t) = `clock`: N(G_r(t)) - N(G_r(loss_start)) (treatment.h). */
static double treated_elapsed(const mnd_course *k, int region, double clock)
{
    return clock_at(k, clock) - k->tx->natural_loss_start[region];
}

void mnd_course_sample(gsl_rng *r, const mnd_params *p, const mnd_covariates *c, mnd_course *k)
{
    double base = p->lmn_loss_rate_per_month * c->rate_multiplier * p->rate_genotype[c->genotype];
    double lmn = base * p->lmn_rate_phenotype[c->phenotype];
    double umn = base * p->umn_loss_rate_ratio * p->umn_rate_phenotype[c->phenotype];
    int onset = c->onset_region;
    k->tx = NULL; /* untreated until mnd_treatment_build says otherwise */

    /* Spread delays: one normal per link of the chain, always all three,
     * then one regional rate factor per region: seven normals, so the draw
     * count is fixed.  Link i joins regions i and i+1. */
    double speed = c->rate_multiplier * p->rate_genotype[c->genotype];
    double scale = p->spread_delay_months * p->spread_delay_phenotype[c->phenotype]
                   / (speed > 0 ? speed : 1.0);
    double delay[MND_REGION_COUNT - 1];
    for (int i = 0; i < MND_REGION_COUNT - 1; i++)
        delay[i] = scale * exp(gsl_ran_gaussian_ziggurat(r, p->spread_sd_log));
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        double regional = exp(gsl_ran_gaussian_ziggurat(r, p->region_rate_sd_log));
        double focal = reg == onset ? p->onset_rate_ratio : 1.0;
        k->rate[reg][MND_POOL_LMN] = focal * regional * lmn;
        k->rate[reg][MND_POOL_UMN] = focal * regional * umn;
    }

    /* Onset: the faster pool of the onset region reaches the reserve at
     * t = 0.  Spread: each region starts its loss a delay after the one
     * before it in the chain, but no region's function falls before the
     * onset region's: a region fast enough to get there first starts just
     * late enough to reach its reserve at onset (a combined onset). */
    double log_reserve = log(p->reserve_fraction);
    k->loss_start[onset] = reserve_time(log_reserve, k, onset);
    for (int reg = onset - 1; reg >= 0; reg--)
        k->loss_start[reg] = fmax(k->loss_start[reg + 1] + delay[reg],
                                  reserve_time(log_reserve, k, reg) + COMBINED_ONSET_LAG_MONTHS);
    for (int reg = onset + 1; reg < MND_REGION_COUNT; reg++)
        k->loss_start[reg] = fmax(k->loss_start[reg - 1] + delay[reg - 1],
                                  reserve_time(log_reserve, k, reg) + COMBINED_ONSET_LAG_MONTHS);
    sample_phases(r, p, k);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        k->loss_start_clock[reg] = clock_at(k, k->loss_start[reg]);
}

/* Surviving fraction of a treated pool whose region has `since` elapsed
 * on its clocks (treated_elapsed): LMN pools gain the grafted neurons
 * (capped at 1). */
static double treated_fraction(const mnd_course *k, int region, int pool, double since,
                               double graft, double t)
{
    double native = t > k->loss_start[region] ? exp(-k->rate[region][pool] * since) : 1.0;
    double with_graft = native + graft;
    /* fmin(1, x), inline: the same value for every x, NaN included */
    return pool == MND_POOL_LMN ? (with_graft < 1.0 ? with_graft : 1.0) : native;
}

double mnd_course_fraction(const mnd_course *k, mnd_region region, mnd_pool pool, double t)
{
    if (untreated_at(k, t)) {
        double dt = elapsed(k, region, clock_at(k, t));
        return dt > 0 ? exp(-k->rate[region][pool] * dt) : 1.0;
    }
    double clock[MND_REGION_COUNT], graft[MND_REGION_COUNT];
    mnd_treatment_eval(k->tx, t, clock, graft);
    return treated_fraction(k, region, pool, treated_elapsed(k, region, clock[region]),
                            graft[region], t);
}

double mnd_course_pool_time(const mnd_course *k, mnd_region region, mnd_pool pool,
                            double fraction)
{
    if (fraction >= 1.0)
        return k->loss_start[region];
    return time_at_fraction(k, loss_start_on_clock(k, region), k->rate[region][pool], fraction);
}

double mnd_course_untreated_until(const mnd_course *k)
{
    return k->tx == NULL ? INFINITY : k->tx->t_pools_change;
}

/* When the LMN pool of `region` of the treated course k probably has
 * `fraction` left, a guess: its treated clock G must reach the g at which
 * N(g) - N(G(loss_start)) gives that fraction, and G is taken to keep the
 * mean speed it had from the change of the pools to g.  Exact for a clock
 * of constant speed; later for one that speeds up again (a neurotrophic
 * slowing that wears off). */
static double treated_time_guess(const mnd_course *k, mnd_region region, double fraction)
{
    double g = time_at_fraction(k, k->tx->natural_loss_start[region],
                                k->rate[region][MND_POOL_LMN], fraction);
    double t0 = k->tx->t_pools_change;
    if (!(g > t0) || isinf(g))
        return g;
    double clock[MND_REGION_COUNT], graft[MND_REGION_COUNT];
    mnd_treatment_eval(k->tx, g, clock, graft);
    double speed = (clock[region] - t0) / (g - t0);
    return speed > 0 ? t0 + (g - t0) / speed : INFINITY;
}

/* The LMN fraction at which a pool's function is `f` (0 <= f <= 1). */
static double fraction_at_function(const mnd_params *p, double f)
{
    return p->floor_fraction + f * (p->reserve_fraction - p->floor_fraction);
}

/* Where a function that lies between c x (LMN function of `region`) and
 * the LMN function itself, and is 1 until the first of the pools in
 * `first_regions` reaches the reserve, falls to `level` (c in [0, 1]):
 * hi when the LMN function reaches level, lo when c x the LMN function
 * does, but not before the first pool reaches the reserve. */
static mnd_bracket lmn_bracket(const mnd_params *p, const mnd_course *k, mnd_region region,
                               double c, const mnd_region *first_regions, int n_first,
                               double level)
{
    double first = INFINITY;
    for (int i = 0; i < n_first; i++)
        for (int q = 0; q < MND_POOL_COUNT; q++)
            first = fmin(first, mnd_course_pool_time(k, first_regions[i], (mnd_pool)q,
                                                     p->reserve_fraction));
    mnd_bracket b = {first, INFINITY};
    if (!(level > 0.0 && level < 1.0))
        return b;
    if (level < c)
        b.lo = fmax(first, mnd_course_pool_time(k, region, MND_POOL_LMN,
                                                fraction_at_function(p, level / c)));
    double f = fraction_at_function(p, level);
    double hi = mnd_course_pool_time(k, region, MND_POOL_LMN, f);
    b.hi = hi <= mnd_course_untreated_until(k) ? hi : treated_time_guess(k, region, f);
    return b;
}

mnd_bracket mnd_region_function_bracket(const mnd_params *p, const mnd_course *k,
                                        mnd_region region, double level)
{
    return lmn_bracket(p, k, region, 1.0 - p->umn_function_weight, &region, 1, level);
}

mnd_bracket mnd_ventilation_bracket(const mnd_params *p, const mnd_course *k, double level)
{
    const mnd_region regions[2] = {MND_REGION_THORACIC, MND_REGION_BULBAR};
    return lmn_bracket(p, k, MND_REGION_THORACIC,
                       (1.0 - p->umn_function_weight) * (1.0 - p->bulbar_ventilation_weight),
                       regions, 2, level);
}

double mnd_pool_function(const mnd_params *p, double fraction)
{
    if (fraction >= p->reserve_fraction)
        return 1.0;
    if (fraction <= p->floor_fraction)
        return 0.0;
    return (fraction - p->floor_fraction) / (p->reserve_fraction - p->floor_fraction);
}

/* Region function from its two pool fractions. */
static double region_function(const mnd_params *p, double umn_fraction, double lmn_fraction)
{
    double lmn = mnd_pool_function(p, lmn_fraction);
    double umn = mnd_pool_function(p, umn_fraction);
    return lmn * (1.0 - p->umn_function_weight * (1.0 - umn));
}

static double ventilation(const mnd_params *p, double thoracic, double bulbar)
{
    return thoracic * (1.0 - p->bulbar_ventilation_weight * (1.0 - bulbar));
}

/* Region function of the treated course, from its clocks and grafts at t. */
static double treated_region_function(const mnd_params *p, const mnd_course *k, int region,
                                      const double *clock, const double *graft, double t)
{
    double since = treated_elapsed(k, region, clock[region]);
    return region_function(p, treated_fraction(k, region, MND_POOL_UMN, since, 0.0, t),
                           treated_fraction(k, region, MND_POOL_LMN, since, graft[region], t));
}

/* Region function of the untreated course, given the clock now = N(t). */
static double untreated_region_function(const mnd_params *p, const mnd_course *k, int region,
                                        double now)
{
    double dt = elapsed(k, region, now);
    if (!(dt > 0))
        return region_function(p, 1.0, 1.0);
    return region_function(p, exp(-k->rate[region][MND_POOL_UMN] * dt),
                           exp(-k->rate[region][MND_POOL_LMN] * dt));
}

double mnd_region_function(const mnd_params *p, const mnd_course *k, mnd_region region, double t)
{
    if (untreated_at(k, t))
        return untreated_region_function(p, k, region, clock_at(k, t));
    double clock[MND_REGION_COUNT], graft[MND_REGION_COUNT];
    mnd_treatment_eval(k->tx, t, clock, graft);
    return treated_region_function(p, k, region, clock, graft, t);
}

double mnd_ventilation(const mnd_params *p, const mnd_course *k, double t)
{
    if (untreated_at(k, t)) {
        double now = clock_at(k, t); /* one clock for both regions */
        return ventilation(p, untreated_region_function(p, k, MND_REGION_THORACIC, now),
                           untreated_region_function(p, k, MND_REGION_BULBAR, now));
    }
    double clock[MND_REGION_COUNT], graft[MND_REGION_COUNT]; /* one evaluation for both regions */
    mnd_treatment_eval(k->tx, t, clock, graft);
    return ventilation(p, treated_region_function(p, k, MND_REGION_THORACIC, clock, graft, t),
                       treated_region_function(p, k, MND_REGION_BULBAR, clock, graft, t));
}

void mnd_pool_state_at(const mnd_params *p, const mnd_course *k, double t, mnd_pool_state *s)
{
    if (untreated_at(k, t)) {
        double now = clock_at(k, t);
        for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
            double dt = elapsed(k, reg, now);
            for (int q = 0; q < MND_POOL_COUNT; q++)
                s->fraction[reg][q] = dt > 0 ? exp(-k->rate[reg][q] * dt) : 1.0;
        }
    } else {
        double clock[MND_REGION_COUNT], graft[MND_REGION_COUNT];
        mnd_treatment_eval(k->tx, t, clock, graft);
        for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
            double since = treated_elapsed(k, reg, clock[reg]);
            for (int q = 0; q < MND_POOL_COUNT; q++)
                s->fraction[reg][q] = treated_fraction(k, reg, q, since, graft[reg], t);
        }
    }
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        s->function[reg] = region_function(p, s->fraction[reg][MND_POOL_UMN],
                                           s->fraction[reg][MND_POOL_LMN]);
    s->ventilation = ventilation(p, s->function[MND_REGION_THORACIC], s->function[MND_REGION_BULBAR]);
}
