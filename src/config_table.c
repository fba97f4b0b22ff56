/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * config_table.c — every configuration key of mndsim, once.
 *
 * Design.  Each row below is the single source of truth for one key: its
 * dotted path, the mnd_params field it fills, how it is typed and bounded,
 * its default, and its documentation (unit, meaning, literature source).
 * src/config.c interprets the rows to apply defaults, read and check files
 * and --set overrides, write the resolved config, and generate
 * configs/README.md; nothing else in the tree repeats a default or a range.
 *
 * Editing.  To re-tune a default, change `.def_real` / `.def_int` /
 * DEFAULTS(...) in its row; the unit test checks that every default lies in
 * its range and that the defaults as a whole pass the cross-field checks.
 * To add a key: add the field to mnd_params (model.h), add a row here, and
 * the test that every byte of mnd_params is covered by a row will pass
 * again.  Ranges are inclusive (GE/LE) unless written GT/LT; a row without
 * .lo or .hi is unbounded on that side.  Cross-field rules are row fields
 * too: .sum_to_one for shares, .below for "must be < another key".
 *
 * Sources.  Literature is cited as author year journal (see CALIBRATION.md
 * for the targets).  Parameters that belong to the model's structure rather
 * than to a published figure say "model assumption, calibrated to <target>";
 * settings of the run itself (sizes, seeds, output) say so.
 *
 * Integers.  libconfig 1.5 (Debian) silently wraps integer literals >= 2^31
 * unless they carry the L suffix (3000000000L); the wrapped value cannot be
 * told apart afterwards, so the reference says so and every integer key has
 * a range that catches the usual (negative) result.
 */
#include <math.h>
#include <stddef.h>
#include "config_table.h"
#include "mndsim/model.h"

#define FIELD(f) .offset = offsetof(mnd_params, f), .size = sizeof(((mnd_params *)0)->f)
#define NAMES(a) .names = (a), .n_names = sizeof(a) / sizeof((a)[0])
#define DEFAULTS(...)                                \
    .def_reals = (const double[]){__VA_ARGS__},      \
    .def_n = sizeof((const double[]){__VA_ARGS__}) / sizeof(double)
#define GE(x) {MND_BOUND_CLOSED, (x)}
#define GT(x) {MND_BOUND_OPEN, (x)}
#define LE(x) {MND_BOUND_CLOSED, (x)}
#define LT(x) {MND_BOUND_OPEN, (x)}

#define RUN_SETTING "run setting (not a model parameter)"
#define DESIGN_SETTING "study-design setting (not a model parameter)"
#define ALL_TRAJ ((INT64_C(1) << MND_TRAJ_COUNT) - 1)

const mnd_section mnd_sections[] = {
    {"simulation", "Size of the run, master seed, follow-up and visit schedule."},
    {"cohort", "Baseline characteristics of the simulated population (population-based by default)."},
    {"selection", "Eligibility judged at a screening visit (and over a lead-in), for trial-like cohorts (rejection sampling)."},
    {"neurons", "Upper and lower motor-neuron pools per region: loss rates, reserve, spread."},
    {"function", "Mapping of pool function to ALSFRS-R items and FVC, and measurement noise."},
    {"pro", "Patient-reported outcomes of the clinic claims (C7): pain, painful spasms, "
            "anxiety/depression (HADS) and quality of life, rated by studies at enrolment and "
            "pro_months later; person levels, fluctuation and rating noise."},
    {"events", "Gastrostomy, ventilation, tracheostomy and death."},
    {"delivery", "Where a cell product's cells go by route, and how many motor neurons a region has."},
    {"adverse_events", "Adverse events of interventions: per-dose probabilities by route and cell source, latency, fatality."},
    {"output", "What is written to the HDF5 file, and how."},
};
const size_t mnd_section_count = sizeof mnd_sections / sizeof mnd_sections[0];

const mnd_doc_key mnd_sweep_keys[] = {
    {"key", "string", "-",
     "The configuration key this axis varies, as --set names it (e.g. "
     "studies.trial.n_patients or interventions.<name>.loss_rate_multiplier); checked when "
     "the scenarios are loaded.",
     RUN_SETTING},
    {"values", "list of numbers, strings or booleans (1-64)", "the key's unit",
     "The key's values, one per scenario along this axis; each is applied as --set key=value "
     "after the run's own --set overrides.",
     RUN_SETTING},
};
const size_t mnd_sweep_key_count = sizeof mnd_sweep_keys / sizeof mnd_sweep_keys[0];

const mnd_option mnd_options[] = {
    /* ---------------------------------------------------------------- simulation */
    {"simulation.n_patients", MND_OPT_INT, FIELD(n_patients), .lo = GE(1), .def_int = 10000,
     .unit = "patients", .meaning = "Patients simulated per replicate cohort.",
     .source = RUN_SETTING},
    {"simulation.n_replicates", MND_OPT_INT, FIELD(n_replicates), .lo = GE(1), .def_int = 1,
     .unit = "cohorts",
     .meaning = "Independent replicate cohorts, each drawn from its own random streams.",
     .source = RUN_SETTING},
    {"simulation.seed", MND_OPT_SEED, FIELD(seed), .lo = GE(0), .def_int = 20261123,
     .unit = "-",
     .meaning = "Master seed; every random stream is derived from (seed, purpose, replicate, "
                "patient). Values >= 2^31 need the L suffix.",
     .source = RUN_SETTING},
    {"simulation.follow_up_months", MND_OPT_REAL, FIELD(follow_up_months), .lo = GT(0),
     .hi = LE(1200), .def_real = 120, .unit = "month",
     .meaning = "Administrative end of follow-up after the visit origin; patients alive then "
                "are censored.",
     .source = RUN_SETTING "; 10 years covers the median survival of 2-4 years from onset "
               "(Chiò 2013 Neuroepidemiology)"},
    {"simulation.visit_interval_months", MND_OPT_REAL, FIELD(visit_interval_months),
     .lo = GT(0), .def_real = 1, .unit = "month", .meaning = "Spacing of scheduled visits.",
     .source = DESIGN_SETTING "; trials visit monthly to quarterly (Atassi 2014 Neurology, "
               "PRO-ACT)"},
    {"simulation.visit_origin", MND_OPT_ENUM, FIELD(visit_origin), NAMES(mnd_origin_names),
     .def_int = MND_ORIGIN_DIAGNOSIS, .unit = "-",
     .meaning = "Time of visit 0 and of the start of follow-up: clinical onset, diagnosis or "
                "enrolment.",
     .source = DESIGN_SETTING},
    {"simulation.block_patients", MND_OPT_INT, FIELD(block_patients), .lo = GE(1),
     .def_int = 512, .unit = "patients",
     .meaning = "Patients per simulation block; blocks are merged in order, so results do "
                "not depend on the thread count.",
     .source = RUN_SETTING "; 512 keeps a block's visit rows in cache (make bench: 4096 "
               "made the kernel about 10 % slower)"},

    /* -------------------------------------------------------------------- cohort */
    {"cohort.age_onset_mean_years", MND_OPT_REAL, FIELD(age_onset_mean_years), .lo = GE(0),
     .hi = LE(120), .def_real = 63, .unit = "year",
     .meaning = "Mean of the normal distribution of age at onset (before truncation to "
                "[age_onset_min_years, age_onset_max_years]).",
     .source = "Chiò 2013 Neuroepidemiology; Traynor 1999 (mean onset age 60-65 years)"},
    {"cohort.age_onset_sd_years", MND_OPT_REAL, FIELD(age_onset_sd_years), .lo = GE(0),
     .def_real = 11, .unit = "year", .meaning = "SD of age at onset (before truncation).",
     .source = "Chiò 2013 Neuroepidemiology; Logroscino 2010 JNNP (EURALS)"},
    {"cohort.age_onset_min_years", MND_OPT_REAL, FIELD(age_onset_min_years), .lo = GE(0),
     .hi = LE(120), .below = "cohort.age_onset_max_years", .def_real = 20, .unit = "year",
     .meaning = "Lowest age at onset.",
     .source = "model assumption, calibrated to the onset-age range of Logroscino 2010 JNNP "
               "(EURALS)"},
    {"cohort.age_onset_max_years", MND_OPT_REAL, FIELD(age_onset_max_years), .lo = GE(0),
     .hi = LE(120), .def_real = 90, .unit = "year", .meaning = "Highest age at onset.",
     .source = "model assumption, calibrated to the onset-age range of Logroscino 2010 JNNP "
               "(EURALS)"},
    {"cohort.male_share", MND_OPT_REAL, FIELD(male_share), .lo = GE(0), .hi = LE(1),
     .def_real = 0.57, .unit = "fraction", .meaning = "Share of men.",
     .source = "Logroscino 2010 JNNP (EURALS, male:female 1.2-1.5:1)"},
    {"cohort.phenotype_share", MND_OPT_REALS, FIELD(phenotype_share), .lo = GE(0), .hi = LE(1),
     .sum_to_one = true, NAMES(mnd_phenotype_names),
     DEFAULTS(0.715, 0.05, 0.10, 0.055, 0.05, 0.03), .unit = "fraction",
     .meaning = "Share of each phenotype among incident cases (before death before "
                "diagnosis, which spares the slow phenotypes).",
     .source = "Wijesekera 2009 Neurology (flail arm 11 %, flail leg 6 % of the diagnosed: "
               "the incident shares are set so that about 12 % and 7 % of the diagnosed are "
               "flail arm and flail leg); Lester 2025 JNNP (PLS); Chiò 2013 Neuroepidemiology"},
    {"cohort.classic_onset_share", MND_OPT_REALS, FIELD(classic_onset_share), .lo = GE(0),
     .hi = LE(1), .sum_to_one = true, NAMES(mnd_region_names),
     DEFAULTS(0.33, 0.30, 0.04, 0.33), .unit = "fraction",
     .meaning = "Onset region of classic ALS (thoracic = respiratory onset); PBP starts "
                "bulbar, flail arm cervical, flail leg lumbar.",
     .source = "Shoesmith 2007 JNNP; Pupillo 2014 Ann Neurol (all onsets: bulbar 25-32 %, "
               "respiratory 1-5 %)"},
    {"cohort.genotype_share", MND_OPT_REALS, FIELD(genotype_share), .lo = GE(0), .hi = LE(1),
     .sum_to_one = true, NAMES(mnd_genotype_names),
     DEFAULTS(0.887, 0.065, 0.002, 0.016, 0.03), .unit = "fraction",
     .meaning = "Share of each genotype among incident cases (the slow SOD1 carriers are a "
                "little more common among the diagnosed).",
     .source = "Byrne 2012 Lancet Neurol, Majounie 2012 (C9orf72 5-8 %); Reilich 2024 J Neurol "
               "(SOD1 about 2 % of the diagnosed); Bali 2017 JNNP (A4V a minority of SOD1)"},
    {"cohort.diagnostic_delay_median_months", MND_OPT_REAL,
     FIELD(diagnostic_delay_median_months), .lo = GT(0), .def_real = 13.3, .unit = "month",
     .meaning = "Median onset-to-diagnosis delay (log-normal), before death before diagnosis "
                "removes the longest delays.",
     .source = "Falcão de Campos 2023; Paganoni 2014 (median 10-13 months among the "
               "diagnosed; model 10.5)"},
    {"cohort.diagnostic_delay_sd_log", MND_OPT_REAL, FIELD(diagnostic_delay_sd_log),
     .lo = GE(0), .def_real = 0.85, .unit = "log",
     .meaning = "SD of the log diagnostic delay.",
     .source = "model assumption, calibrated to the delay spread in Paganoni 2014"},
    {"cohort.rate_sd_log", MND_OPT_REAL, FIELD(rate_sd_log), .lo = GE(0), .def_real = 0.28,
     .unit = "log",
     .meaning = "SD of the log individual progression-rate multiplier (log-normal, median 1), "
                "shared by all regions of a patient; neurons.region_rate_sd_log adds a "
                "factor per region.",
     .source = "model assumption, calibrated to the ΔFS distribution (75th percentile about "
               "1.0 point/month; Alves 2024, Labra 2016 JNNP); with the regional factor the "
               "between-patient log-SD of a region's rate stays 0.45 (sqrt(0.28^2 + 0.35^2))"},
    {"cohort.rate_delay_correlation", MND_OPT_REAL, FIELD(rate_delay_correlation),
     .lo = GE(-1), .hi = LE(1), .def_real = -0.5, .unit = "-",
     .meaning = "Correlation of the log progression rate with the log diagnostic delay "
                "(fast progressors are diagnosed sooner).",
     .source = "model assumption, calibrated to the ΔFS-delay association (Labra 2016 JNNP)"},
    {"cohort.rate_age_per_decade", MND_OPT_REAL, FIELD(rate_age_per_decade), .lo = GE(-2),
     .hi = LE(2), .def_real = 0.1, .unit = "log-rate/decade",
     .meaning = "Change of the log progression rate per decade of onset age, centred on "
                "age_onset_mean_years (older patients progress faster).",
     .source = "model assumption, calibrated to survival by onset age (Chiò 2013 "
               "Neuroepidemiology; Pupillo 2014 Ann Neurol)"},


    /* ----------------------------------------------------------------- selection */
    {"selection.enabled", MND_OPT_BOOL, FIELD(select), .def_int = false, .unit = "-",
     .meaning = "Apply the eligibility criteria below at the screening visit (enrolment, or "
                "the start of the lead-in when there is one); rejected patients are redrawn.",
     .source = DESIGN_SETTING "; typical trial criteria exclude about 60 % of a population "
               "cohort (van Eijk 2018 Neurology)"},
    {"selection.enrolment_delay_mean_months", MND_OPT_REAL, FIELD(enrolment_delay_mean_months),
     .lo = GE(0), .def_real = 0, .unit = "month",
     .meaning = "Mean delay from diagnosis to the screening visit (exponential); 0 screens "
                "at diagnosis. Enrolment is the screening visit, or selection.lead_in_months "
                "after it. Applies whether or not selection is enabled.",
     .source = DESIGN_SETTING},
    {"selection.min_duration_months", MND_OPT_REAL, FIELD(select_min_duration_months),
     .lo = GE(0), .below = "selection.max_duration_months", .def_real = 0, .unit = "month",
     .meaning = "Shortest onset-to-screening duration (a clinic sees patients years after "
                "onset).",
     .source = DESIGN_SETTING},
    {"selection.max_duration_months", MND_OPT_REAL, FIELD(select_max_duration_months),
     .lo = GT(0), .def_real = 24, .unit = "month",
     .meaning = "Longest onset-to-screening duration.",
     .source = DESIGN_SETTING "; trial-like cohorts enrol within 2-3 years of onset (Atassi "
               "2014 Neurology, PRO-ACT)"},
    {"selection.min_regions", MND_OPT_INT, FIELD(select_min_regions), .lo = GE(0),
     .hi = LE(MND_REGION_COUNT), .def_int = 2, .unit = "regions",
     .meaning = "Fewest regions showing signs at screening (proxy for El Escorial "
                "probable/definite); see selection.sign_fraction.",
     .source = DESIGN_SETTING "; model assumption, calibrated to the probable/definite trial "
               "population of Atassi 2014 Neurology"},
    {"selection.sign_fraction", MND_OPT_REAL, FIELD(select_sign_fraction), .lo = GT(0),
     .hi = LE(1), .def_real = 0.8, .unit = "fraction",
     .meaning = "A region shows signs once its UMN or LMN pool has fallen below this "
                "surviving fraction (signs precede loss of function, which starts at "
                "neurons.reserve_fraction).",
     .source = "model assumption, calibrated to the probable/definite trial population of "
               "Atassi 2014 Neurology; motor-unit loss precedes functional loss (Ebersbach "
               "2023 Sci Rep)"},
    {"selection.min_age_years", MND_OPT_REAL, FIELD(select_min_age_years), .lo = GE(0),
     .hi = LE(120), .below = "selection.max_age_years", .def_real = 18, .unit = "year",
     .meaning = "Youngest age at screening.", .source = DESIGN_SETTING},
    {"selection.max_age_years", MND_OPT_REAL, FIELD(select_max_age_years), .lo = GE(0),
     .hi = LE(120), .def_real = 85, .unit = "year", .meaning = "Oldest age at screening.",
     .source = DESIGN_SETTING},
    {"selection.min_fvc_percent", MND_OPT_REAL, FIELD(select_min_fvc_percent), .lo = GE(0),
     .hi = LE(200), .def_real = 0, .unit = "% predicted",
     .meaning = "Lowest FVC measured at screening, test-retest noise included (e.g. 80 in "
                "MCI186-19).",
     .source = DESIGN_SETTING "; Writing Group 2017 Lancet Neurol (edaravone eligibility)"},
    {"selection.min_item", MND_OPT_INT, FIELD(select_min_item), .lo = GE(0), .hi = LE(4),
     .def_int = 0, .unit = "points",
     .meaning = "Every ALSFRS-R item must be rated at least this at screening, rater noise "
                "included (e.g. 2 in MCI186-19).",
     .source = DESIGN_SETTING "; Writing Group 2017 Lancet Neurol (edaravone eligibility)"},
    {"selection.min_alsfrs_total", MND_OPT_REAL, FIELD(select_min_total), .lo = GE(0),
     .hi = LE(48), .def_real = 0, .unit = "points",
     .meaning = "Lowest ALSFRS-R total rated at screening, rater noise included.",
     .source = DESIGN_SETTING},
    {"selection.lead_in_months", MND_OPT_REAL, FIELD(select_lead_in_months), .lo = GE(0),
     .def_real = 0, .unit = "month",
     .meaning = "Length of an observation period between the screening visit (where the "
                "other criteria are judged) and enrolment: the ALSFRS-R total rated at both "
                "(with rater noise) must fall by lead_in_min_decline to lead_in_max_decline; "
                "0 = no such period, screening is at enrolment.",
     .source = DESIGN_SETTING "; Writing Group 2017 Lancet Neurol (MCI186-19: 12 weeks, "
               "decline of 1-4 points; 213 screened, 192 entered the observation period, 137 "
               "randomised)"},
    {"selection.lead_in_min_decline", MND_OPT_REAL, FIELD(select_lead_in_min_decline),
     .lo = GE(-48), .hi = LE(48), .below = "selection.lead_in_max_decline", .def_real = 0,
     .unit = "points",
     .meaning = "Smallest decline over the lead-in, between two rated screening visits "
                "(rater noise included; a negative decline is a rise).",
     .source = DESIGN_SETTING},
    {"selection.lead_in_max_decline", MND_OPT_REAL, FIELD(select_lead_in_max_decline),
     .lo = GE(-48), .hi = LE(48), .def_real = 48, .unit = "points",
     .meaning = "Largest decline over the lead-in.", .source = DESIGN_SETTING},
    {"selection.pro_entry_scale", MND_OPT_ENUM, FIELD(select_pro_entry),
     NAMES(mnd_pro_entry_names), .def_int = 0, .unit = "-",
     .meaning = "A patient-reported scale (pro.*) whose burden rated at enrolment must be at "
                "least selection.pro_entry_min_burden (quality of life: 10 - the score); none "
                "= no such criterion.",
     .source = DESIGN_SETTING},
    {"selection.pro_entry_min_burden", MND_OPT_REAL, FIELD(select_pro_min_burden), .lo = GE(0),
     .hi = LE(70), .def_real = 0, .unit = "burden",
     .meaning = "Lowest rated burden of selection.pro_entry_scale at enrolment.",
     .source = DESIGN_SETTING},
    {"selection.max_attempts", MND_OPT_INT, FIELD(select_max_attempts), .lo = GE(1),
     .def_int = 1000, .unit = "draws",
     .meaning = "Rejected draws per patient after which the run fails (guards against "
                "criteria nobody meets).",
     .source = RUN_SETTING},

    /* ------------------------------------------------------------------- neurons */
    {"neurons.lmn_loss_rate_per_month", MND_OPT_REAL, FIELD(lmn_loss_rate_per_month),
     .lo = GT(0), .hi = LE(2), .def_real = 0.045, .unit = "1/month",
     .meaning = "Median exponential loss rate of an affected LMN pool (individual rate = "
                "this x rate multipliers).",
     .source = "MUNE PMID 20715377, Neuwirth 2015 JNNP (motor units lost at 2-4 %/month); "
               "model assumption, calibrated to the ALSFRS-R slope of -1.02 points/month "
               "(with the phases of neurons.phase_sd_log, which slow the median patient) "
               "(Atassi 2014 Neurology, PRO-ACT)"},
    {"neurons.umn_loss_rate_ratio", MND_OPT_REAL, FIELD(umn_loss_rate_ratio), .lo = GE(0),
     .def_real = 0.8, .unit = "-", .meaning = "UMN loss rate as a multiple of the LMN rate.",
     .source = "model assumption, calibrated to the slow decline of UMN-only disease "
               "(Lester 2025 JNNP, PLS -1.9 points/year)"},
    {"neurons.onset_rate_ratio", MND_OPT_REAL, FIELD(onset_rate_ratio), .lo = GT(0),
     .hi = LE(10), .def_real = 1.25, .unit = "ratio",
     .meaning = "Loss rate in the onset region relative to the other regions: degeneration "
                "is most advanced where it starts.",
     .source = "Ravits 2009 Neurology (focal onset, gradient of involvement); Neuwirth 2015 "
               "JNNP (MUNIX falls at similar rates whatever the onset site: a small ratio); "
               "model assumption, calibrated to the ΔFS distribution (Alves 2024; Labra "
               "2016) and, with neurons.spread_delay_months, to the time from onset to a "
               "second region (Fujimura-Kiyono 2011 JNNP)"},
    {"neurons.region_rate_sd_log", MND_OPT_REAL, FIELD(region_rate_sd_log), .lo = GE(0),
     .hi = LE(2), .def_real = 0.35, .unit = "log",
     .meaning = "SD of a log-normal factor (median 1) on the loss rate of each region, drawn "
                "independently per region: regions of one patient progress at different "
                "rates.",
     .source = "Ravits 2009 Neurology (regions degenerate independently once reached); model "
               "assumption, calibrated so that ΔFS at diagnosis predicts the next 12 months' "
               "slope only moderately (model: correlation about 0.4, 0.7 points/month per "
               "point/month adjusted for baseline; Ibric 2025 AAN abstract, ALS/MND Natural "
               "History Consortium: 0.21 adjusted, with onset-date error; Thakore 2018 Muscle "
               "Nerve, PRO-ACT: pre- and post-slope correlated, curvature varies; Proudfoot "
               "2016 ALS FTD: ΔFS underestimates the later rate)"},
    {"neurons.non_cell_autonomous_share", MND_OPT_REAL, FIELD(non_cell_autonomous_share),
     .lo = GE(0), .hi = LE(1), .def_real = 0.5, .unit = "fraction",
     .meaning = "Share of the loss rate due to non-cell-autonomous processes (glia, "
                "inflammation); interventions may target it separately.",
     .source = "model assumption; only interventions that act on one component depend on it"},
    {"neurons.reserve_fraction", MND_OPT_REAL, FIELD(reserve_fraction), .lo = GE(0),
     .hi = LE(1), .def_real = 0.45, .unit = "fraction",
     .meaning = "Surviving pool fraction at which function starts to fall (reinnervation "
                "compensates above it).",
     .source = "Ebersbach 2023 Sci Rep (50 % motor-unit loss precedes 50 % functional loss "
               "by about 14 months)"},
    {"neurons.floor_fraction", MND_OPT_REAL, FIELD(floor_fraction), .lo = GE(0), .hi = LE(1),
     .below = "neurons.reserve_fraction", .def_real = 0.1, .unit = "fraction",
     .meaning = "Surviving pool fraction at which the pool's function is gone.",
     .source = "model assumption, calibrated to Ebersbach 2023 Sci Rep (lag of function "
               "behind motor-unit loss)"},
    {"neurons.umn_function_weight", MND_OPT_REAL, FIELD(umn_function_weight), .lo = GE(0),
     .hi = LE(1), .def_real = 0.5, .unit = "fraction",
     .meaning = "Share of a region's function lost at complete UMN loss (spasticity, "
                "slowness) with intact LMN.",
     .source = "model assumption, calibrated to PLS function decline (Lester 2025 JNNP)"},
    {"neurons.spread_delay_months", MND_OPT_REAL, FIELD(spread_delay_months), .lo = GE(0),
     .def_real = 4, .unit = "month",
     .meaning = "Median delay of spread from an affected region to each neighbouring region "
                "(log-normal), from the start of loss to the start of loss.",
     .source = "Ravits 2009 Neurology (contiguous spread); Gromicho 2020 Ann Clin Transl "
               "Neurol; calibrated with neurons.onset_rate_ratio to the time from first to "
               "second symptomatic region (Fujimura-Kiyono 2011 JNNP, ALSFRS-R every 3 "
               "months: mean 15.2 months after upper-limb, 13.6 after lower-limb, 10.8 after "
               "bulbar onset; model 17, 23, 12)"},
    {"neurons.spread_sd_log", MND_OPT_REAL, FIELD(spread_sd_log), .lo = GE(0),
     .def_real = 0.5, .unit = "log", .meaning = "SD of the log spread delay.",
     .source = "model assumption, calibrated to Gromicho 2020 Ann Clin Transl Neurol"},
    {"neurons.phase_sd_log", MND_OPT_REAL, FIELD(phase_sd_log), .lo = GE(0), .hi = LE(1.5),
     .def_real = 0.7, .unit = "log",
     .meaning = "SD of the log rate multiplier (log-normal, mean 1) of each phase of a "
                "patient's natural disease clock: from onset, the loss of every pool runs "
                "faster or slower than the patient's mean rate for a phase at a time "
                "(slower phases and plateaus, then faster ones).  0: no phases, the clock is "
                "time itself.",
     .source = "Bedlack 2016 Neurology (PRO-ACT: no ALSFRS-R decline over 6 / 12 / 18 "
               "months in 25 / 16 / 7 % of participants); Thakore 2018 Muscle Nerve "
               "(PRO-ACT: curvature of individual trajectories varies in sign and degree); "
               "model assumption: as large as the rising hazard of trial placebo arms "
               "allows (Weibull shape about 2, accept 1.6-2.5, van Eijk 2019 JNNP) with "
               "survival from onset (Chiò 2009): plateaus 12 / 4 / 2 % in the trial-like "
               "cohort, below Bedlack's shares"},
    {"neurons.phase_months", MND_OPT_REAL, FIELD(phase_months), .lo = GE(4), .hi = LE(120),
     .def_real = 12.0, .unit = "months",
     .meaning = "Length of a phase of the natural disease clock (neurons.phase_sd_log); the "
                "first phase after onset is cut short at random, so phases are not aligned "
                "with onset.",
     .source = "Bedlack 2016 Neurology (plateaus over 6 months common, over 18 months rare: "
               "phases last months, not years); model assumption: 12 months gives more "
               "plateaus over 12-18 months than 6 at the same hazard shape"},
    {"neurons.lmn_rate_phenotype", MND_OPT_REALS, FIELD(lmn_rate_phenotype), .lo = GE(0),
     NAMES(mnd_phenotype_names), DEFAULTS(1, 1.2, 0.5, 0.5, 0.8, 0), .unit = "-",
     .meaning = "LMN loss-rate multiplier per phenotype (0: the pool is spared).",
     .source = "model assumption, calibrated to phenotype survival (Wijesekera 2009 "
               "Neurology: flail arm 61, flail leg 69 months; Lester 2025 JNNP: PLS)"},
    {"neurons.umn_rate_phenotype", MND_OPT_REALS, FIELD(umn_rate_phenotype), .lo = GE(0),
     NAMES(mnd_phenotype_names), DEFAULTS(1, 1, 0.2, 0.2, 0, 0.6), .unit = "-",
     .meaning = "UMN loss-rate multiplier per phenotype (0: the pool is spared).",
     .source = "model assumption, calibrated to phenotype survival (Wijesekera 2009 "
               "Neurology; Lester 2025 JNNP: PLS median survival > 15 years)"},
    {"neurons.spread_delay_phenotype", MND_OPT_REALS, FIELD(spread_delay_phenotype),
     .lo = GE(0), NAMES(mnd_phenotype_names), DEFAULTS(1, 1, 3.75, 3.75, 1.875, 2.5),
     .unit = "-",
     .meaning = "Spread-delay multiplier per phenotype (flail limbs stay regional longer).",
     .source = "model assumption, calibrated to Wijesekera 2009 Neurology (median delays of "
               "15, 7.5 and 10 months for flail, PMA and PLS)"},
    {"neurons.rate_genotype", MND_OPT_REALS, FIELD(rate_genotype), .lo = GE(0),
     NAMES(mnd_genotype_names), DEFAULTS(1, 1.2, 3.0, 0.4, 1.0), .unit = "-",
     .meaning = "Loss-rate multiplier per genotype.",
     .source = "Bali 2017 JNNP (SOD1 A4V median survival about 1.2 years, other SOD1 5-9 "
               "years); Byrne 2012 Lancet Neurol (C9orf72 shorter survival)"},

    /* ------------------------------------------------------------------ function */
    {"function.item_lo", MND_OPT_REALS, FIELD(item_lo), .lo = GE(0), .hi = LE(1),
     .below = "function.item_hi", NAMES(mnd_item_names),
     DEFAULTS(0.15, 0.05, 0.10, 0.10, 0.10, 0.05, 0.05, 0.10, 0.20, 0.20, 0.20, 0.20),
     .unit = "fraction",
     .meaning = "Region function at which each ALSFRS-R item reaches 0 (items in scale "
                "order). For item 12 the range maps the ventilation index to the intensity "
                "of ventilatory support once on NIV.",
     .source = "model assumption, calibrated to item-level decline and the ALSFRS-R slope "
               "(Atassi 2014 Neurology, PRO-ACT)"},
    {"function.item_hi", MND_OPT_REALS, FIELD(item_hi), .lo = GE(0), .hi = LE(1),
     NAMES(mnd_item_names),
     DEFAULTS(0.95, 0.70, 0.85, 0.95, 0.90, 0.85, 0.75, 0.95, 1.00, 0.80, 0.70, 0.60),
     .unit = "fraction",
     .meaning = "Region function below which each ALSFRS-R item falls from 4 (items in scale "
                "order). For item 12 the range maps the ventilation index to the intensity "
                "of ventilatory support once on NIV.",
     .source = "model assumption, calibrated to King's and MiToS stage timing (Roche 2012 "
               "Brain; Chiò 2015 JNNP)"},
    {"function.item_noise_sd", MND_OPT_REAL, FIELD(item_noise_sd), .lo = GE(0),
     .def_real = 0.55, .unit = "points",
     .meaning = "SD of rater noise on an item that is in transition (neither floor nor "
                "ceiling).",
     .source = "Kaufmann 2007 (ALSFRS-R ICC 0.93/0.95: about 1.4-1.7 points per assessment)"},
    {"function.fvc_baseline_mean_percent", MND_OPT_REAL, FIELD(fvc_baseline_mean_percent),
     .lo = GT(0), .hi = LE(200), .def_real = 100, .unit = "% predicted",
     .meaning = "Mean pre-disease FVC.",
     .source = "ATS/ERS 2005 (reference equations: 100 % predicted by definition)"},
    {"function.fvc_baseline_sd_percent", MND_OPT_REAL, FIELD(fvc_baseline_sd_percent),
     .lo = GE(0), .def_real = 12, .unit = "% predicted",
     .meaning = "SD of pre-disease FVC between people.",
     .source = "ATS/ERS 2005 (lower limit of normal about 80 % predicted)"},
    {"function.fvc_floor_fraction", MND_OPT_REAL, FIELD(fvc_floor_fraction), .lo = GE(0),
     .hi = LE(1), .def_real = 0.1, .unit = "fraction",
     .meaning = "Fraction of baseline FVC left at zero respiratory function.",
     .source = "model assumption, calibrated to the FVC slope of -2.2 %/month (Atassi 2014 "
               "Neurology)"},
    {"function.fvc_noise_cv", MND_OPT_REAL, FIELD(fvc_noise_cv), .lo = GE(0),
     .def_real = 0.04, .unit = "fraction",
     .meaning = "Test-retest coefficient of variation of FVC.",
     .source = "ATS/ERS 2005 (week-to-week change real only above 11 %, i.e. CV about 4 %)"},
    {"function.bulbar_ventilation_weight", MND_OPT_REAL, FIELD(bulbar_ventilation_weight),
     .lo = GE(0), .hi = LE(1), .def_real = 0.3, .unit = "fraction",
     .meaning = "Share of the ventilation index lost at complete bulbar loss (upper airway, "
                "secretions).",
     .source = "model assumption, calibrated to survival by onset site (Pupillo 2014 Ann "
               "Neurol)"},

    /* ---------------------------------------------------- patient-reported outcomes */
    {"pro.fluctuation_months", MND_OPT_REAL, FIELD(pro.fluctuation_months), .lo = GT(0),
     .def_real = 1.5, .unit = "month",
     .meaning = "Correlation time of the fluctuation of patient-reported symptoms (an "
                "Ornstein-Uhlenbeck process): a bad month is followed by better ones.",
     .source = "model assumption: symptoms vary within a patient between occasions (Spörndly-Nees"
               " 2023 Palliat Support Care)"},
    {"pro.pain_mean", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_PAIN].mean), .lo = GE(0),
     .def_real = 2.0, .unit = "burden",
     .meaning = "Mean person level of average pain (0-10 rating) at full function (burden "
                "orientation: higher = worse).",
     .source = "model assumption: pain in 57-78 % of patients with ALS, mostly mild (Chiò 2012 "
               "Eur J Neurol; Hanisch 2015 Brain Behav; Edge 2020 J Neurol)"},
    {"pro.pain_between_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_PAIN].between_sd), .lo = GE(0),
     .def_real = 2.0, .unit = "burden",
     .meaning = "SD of person levels of average pain (0-10 rating).",
     .source = "model assumption: pain in 57-78 % of patients with ALS, mostly mild (Chiò 2012 "
               "Eur J Neurol; Hanisch 2015 Brain Behav; Edge 2020 J Neurol)"},
    {"pro.pain_fluctuation_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_PAIN].fluctuation_sd),
     .lo = GE(0), .def_real = 1.0, .unit = "burden",
     .meaning = "Stationary SD of the fluctuation of average pain (0-10 rating) around the person"
                " level.",
     .source = "model assumption: symptoms vary within a patient between occasions (Spörndly-Nees"
               " 2023 Palliat Support Care)"},
    {"pro.pain_noise_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_PAIN].noise_sd), .lo = GE(0),
     .def_real = 0.8, .unit = "burden",
     .meaning = "SD of the rating noise of average pain (0-10 rating) at each rating.",
     .source = "model assumption: test-retest variation of a self-rated scale"},
    {"pro.pain_per_point_lost", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_PAIN].per_point_lost),
     .lo = GE(0), .def_real = 0.04, .unit = "burden/point",
     .meaning = "Rise of average pain (0-10 rating) per ALSFRS-R point lost.",
     .source = "model assumption: pain in 57-78 % of patients with ALS, mostly mild (Chiò 2012 "
               "Eur J Neurol; Hanisch 2015 Brain Behav; Edge 2020 J Neurol)"},
    {"pro.spasms_mean", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_SPASMS].mean), .lo = GE(0),
     .def_real = 3.0, .unit = "burden",
     .meaning = "Mean person level of painful spasms and cramps per week (0-70) at full function "
                "(burden orientation: higher = worse).",
     .source = "model assumption: cramps in 63 % of patients with ALS (Hanisch 2015 Brain Behav)"},
    {"pro.spasms_between_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_SPASMS].between_sd),
     .lo = GE(0), .def_real = 4.0, .unit = "burden",
     .meaning = "SD of person levels of painful spasms and cramps per week (0-70).",
     .source = "model assumption: cramps in 63 % of patients with ALS (Hanisch 2015 Brain Behav)"},
    {"pro.spasms_fluctuation_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_SPASMS].fluctuation_sd),
     .lo = GE(0), .def_real = 2.5, .unit = "burden",
     .meaning = "Stationary SD of the fluctuation of painful spasms and cramps per week (0-70) "
                "around the person level.",
     .source = "model assumption: symptoms vary within a patient between occasions (Spörndly-Nees"
               " 2023 Palliat Support Care)"},
    {"pro.spasms_noise_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_SPASMS].noise_sd), .lo = GE(0),
     .def_real = 1.5, .unit = "burden",
     .meaning = "SD of the rating noise of painful spasms and cramps per week (0-70) at each "
                "rating.",
     .source = "model assumption: test-retest variation of a self-rated scale"},
    {"pro.spasms_per_point_lost", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_SPASMS].per_point_lost),
     .lo = GE(0), .def_real = 0.05, .unit = "burden/point",
     .meaning = "Rise of painful spasms and cramps per week (0-70) per ALSFRS-R point lost.",
     .source = "model assumption: cramps in 63 % of patients with ALS (Hanisch 2015 Brain Behav)"},
    {"pro.hads_mean", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_HADS].mean), .lo = GE(0),
     .def_real = 10.0, .unit = "burden",
     .meaning = "Mean person level of HADS total, anxiety + depression (0-42) at full function "
                "(burden orientation: higher = worse).",
     .source = "model assumption: few patients with ALS above the HADS cut-offs, 7 % depression, "
               "14 % anxiety (Edge 2020 J Neurol)"},
    {"pro.hads_between_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_HADS].between_sd), .lo = GE(0),
     .def_real = 6.0, .unit = "burden",
     .meaning = "SD of person levels of HADS total, anxiety + depression (0-42).",
     .source = "model assumption: few patients with ALS above the HADS cut-offs, 7 % depression, "
               "14 % anxiety (Edge 2020 J Neurol)"},
    {"pro.hads_fluctuation_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_HADS].fluctuation_sd),
     .lo = GE(0), .def_real = 2.5, .unit = "burden",
     .meaning = "Stationary SD of the fluctuation of HADS total, anxiety + depression (0-42) "
                "around the person level.",
     .source = "model assumption: symptoms vary within a patient between occasions (Spörndly-Nees"
               " 2023 Palliat Support Care)"},
    {"pro.hads_noise_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_HADS].noise_sd), .lo = GE(0),
     .def_real = 1.5, .unit = "burden",
     .meaning = "SD of the rating noise of HADS total, anxiety + depression (0-42) at each rating.",
     .source = "model assumption: test-retest variation of a self-rated scale"},
    {"pro.hads_per_point_lost", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_HADS].per_point_lost),
     .lo = GE(0), .def_real = 0.03, .unit = "burden/point",
     .meaning = "Rise of HADS total, anxiety + depression (0-42) per ALSFRS-R point lost.",
     .source = "model assumption: few patients with ALS above the HADS cut-offs, 7 % depression, "
               "14 % anxiety (Edge 2020 J Neurol)"},
    {"pro.qol_mean", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_QOL].mean), .lo = GE(0),
     .def_real = 3.5, .unit = "burden",
     .meaning = "Mean person level of 10 - overall quality of life (single item 0-10) at full "
                "function (burden orientation: higher = worse).",
     .source = "model assumption: quality of life in ALS depends little on physical function "
               "(Simmons 2000 Neurology)"},
    {"pro.qol_between_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_QOL].between_sd), .lo = GE(0),
     .def_real = 1.8, .unit = "burden",
     .meaning = "SD of person levels of 10 - overall quality of life (single item 0-10).",
     .source = "model assumption: quality of life in ALS depends little on physical function "
               "(Simmons 2000 Neurology)"},
    {"pro.qol_fluctuation_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_QOL].fluctuation_sd),
     .lo = GE(0), .def_real = 1.0, .unit = "burden",
     .meaning = "Stationary SD of the fluctuation of 10 - overall quality of life (single item "
                "0-10) around the person level.",
     .source = "model assumption: symptoms vary within a patient between occasions (Spörndly-Nees"
               " 2023 Palliat Support Care)"},
    {"pro.qol_noise_sd", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_QOL].noise_sd), .lo = GE(0),
     .def_real = 0.7, .unit = "burden",
     .meaning = "SD of the rating noise of 10 - overall quality of life (single item 0-10) at "
                "each rating.",
     .source = "model assumption: test-retest variation of a self-rated scale"},
    {"pro.qol_per_point_lost", MND_OPT_REAL, FIELD(pro.scale[MND_PRO_QOL].per_point_lost),
     .lo = GE(0), .def_real = 0.0, .unit = "burden/point",
     .meaning = "Rise of 10 - overall quality of life (single item 0-10) per ALSFRS-R point lost.",
     .source = "model assumption: quality of life in ALS depends little on physical function "
               "(Simmons 2000 Neurology)"},

    /* -------------------------------------------------------------------- events */
    {"events.gastrostomy_uptake", MND_OPT_REAL, FIELD(gastrostomy_uptake), .lo = GE(0),
     .hi = LE(1), .def_real = 0.6, .unit = "fraction",
     .meaning = "Share who accept a gastrostomy when it is indicated.",
     .source = "ProGas 2015 Lancet Neurol"},
    {"events.gastrostomy_item_threshold", MND_OPT_REAL, FIELD(gastrostomy_item_threshold),
     .lo = GE(0), .hi = LE(4), .def_real = 1.0, .unit = "points",
     .meaning = "Expected (noise-free) swallowing item score at which a gastrostomy is "
                "indicated.",
     .source = "model assumption, calibrated to King's stage 4A timing (Roche 2012 Brain; "
               "ProGas 2015 Lancet Neurol)"},
    {"events.gastrostomy_mortality_30d", MND_OPT_REAL, FIELD(gastrostomy_mortality_30d),
     .lo = GE(0), .hi = LE(1), .def_real = 0.04, .unit = "fraction",
     .meaning = "Probability of death within 30 days of the procedure.",
     .source = "ProGas 2015 Lancet Neurol (about 4 %)"},
    {"events.niv_uptake", MND_OPT_REAL, FIELD(niv_uptake), .lo = GE(0), .hi = LE(1),
     .def_real = 0.5, .unit = "fraction",
     .meaning = "Share who accept NIV when it is indicated.",
     .source = "model assumption, calibrated to NIV use in Bourke 2006 Lancet Neurol"},
    {"events.niv_fvc_threshold_percent", MND_OPT_REAL, FIELD(niv_fvc_threshold_percent),
     .lo = GE(0), .hi = LE(200), .def_real = 50, .unit = "% predicted",
     .meaning = "NIV is offered when the expected (noise-free) FVC falls below this.",
     .source = "Bourke 2006 Lancet Neurol (NIV criteria)"},
    {"events.niv_gain_good_bulbar_months", MND_OPT_REAL, FIELD(niv_gain_good_bulbar_months),
     .lo = GE(0), .def_real = 5.0, .unit = "month",
     .meaning = "Median of the individual survival gain with NIV when bulbar function is "
                "good (exponential); the difference in median survival it makes is larger.",
     .source = "calibrated to Bourke 2006 Lancet Neurol (+205 days of median survival with "
               "good bulbar function; test_calibration.c reproduces 6.7 months)"},
    {"events.niv_gain_poor_bulbar_months", MND_OPT_REAL, FIELD(niv_gain_poor_bulbar_months),
     .lo = GE(0), .def_real = 0.5, .unit = "month",
     .meaning = "Median survival gained with NIV when bulbar function is poor.",
     .source = "Bourke 2006 Lancet Neurol (no clear gain with poor bulbar function)"},
    {"events.niv_good_bulbar_threshold", MND_OPT_REAL, FIELD(niv_good_bulbar_threshold),
     .lo = GE(0), .hi = LE(1), .def_real = 0.5, .unit = "fraction",
     .meaning = "Bulbar function at NIV start above which it counts as good.",
     .source = "model assumption, calibrated to the bulbar subgroups of Bourke 2006 Lancet "
               "Neurol"},
    {"events.tracheostomy_share", MND_OPT_REAL, FIELD(tracheostomy_share), .lo = GE(0),
     .hi = LE(1), .def_real = 0.05, .unit = "fraction",
     .meaning = "Share who choose tracheostomy with invasive ventilation at respiratory "
                "failure.",
     .source = "Chiò 2010 JNNP (Italian population registry)"},
    {"events.tracheostomy_survival_median_months", MND_OPT_REAL,
     FIELD(tracheostomy_survival_median_months), .lo = GT(0), .def_real = 8, .unit = "month",
     .meaning = "Median survival after tracheostomy.",
     .source = "Chiò 2010 JNNP (median about 8 months, Italy; years in Japanese cohorts, "
               "Tagami 2014)"},
    {"events.death_ventilation_mean", MND_OPT_REAL, FIELD(death_ventilation_mean),
     .lo = GE(0), .hi = LE(1), .def_real = 0.37, .unit = "fraction",
     .meaning = "Mean ventilation index at which respiratory failure is fatal (drawn per "
                "patient).",
     .source = "model assumption, calibrated to median survival of 28-36 months from onset "
               "(Chiò 2013 Neuroepidemiology)"},
    {"events.death_ventilation_sd", MND_OPT_REAL, FIELD(death_ventilation_sd), .lo = GE(0),
     .def_real = 0.05, .unit = "fraction",
     .meaning = "SD of the fatal ventilation index between patients.",
     .source = "model assumption, calibrated to the rising placebo-arm hazard (van Eijk 2019 "
               "JNNP, Weibull shape about 2)"},
    {"events.gompertz_rate_per_year", MND_OPT_REAL, FIELD(gompertz_rate_per_year),
     .lo = GT(0), .def_real = 0.09, .unit = "1/year",
     .meaning = "Gompertz slope b of background mortality h(a) = A exp(b a), a = age in "
                "years.",
     .source = "national life tables (Gompertz fit)"},
    {"events.gompertz_a_male_per_year", MND_OPT_REAL, FIELD(gompertz_a_male_per_year),
     .lo = GT(0), .def_real = 3.5e-5, .unit = "1/year",
     .meaning = "Gompertz level A of background mortality, men.",
     .source = "national life tables (Gompertz fit)"},
    {"events.gompertz_a_female_per_year", MND_OPT_REAL, FIELD(gompertz_a_female_per_year),
     .lo = GT(0), .def_real = 2.0e-5, .unit = "1/year",
     .meaning = "Gompertz level A of background mortality, women.",
     .source = "national life tables (Gompertz fit)"},

    /* ------------------------------------------------------------------ delivery */
    {"delivery.oral_cell_fraction", MND_OPT_REALS, FIELD(delivery.cell_fraction[MND_ROUTE_ORAL]),
     .lo = GE(0), .hi = LE(1), NAMES(mnd_region_names), DEFAULTS(0, 0, 0, 0), .unit = "fraction",
     .meaning = "Share of orally given cells reaching each region (none: cells are not "
                "absorbed). Drugs (cell_source none) act everywhere whatever the route.",
     .source = "model assumption"},
    {"delivery.intravenous_cell_fraction", MND_OPT_REALS,
     FIELD(delivery.cell_fraction[MND_ROUTE_INTRAVENOUS]), .lo = GE(0), .hi = LE(1),
     NAMES(mnd_region_names), DEFAULTS(0.01, 0.01, 0.01, 0.01), .unit = "fraction",
     .meaning = "Share of intravenously infused cells (and of their effects) reaching each "
                "region of the CNS; most are trapped in the lungs.",
     .source = "Fischer 2009 Stem Cells Dev (pulmonary first-pass effect of MSC); model "
               "assumption of about 1 %"},
    {"delivery.intrathecal_cell_fraction", MND_OPT_REALS,
     FIELD(delivery.cell_fraction[MND_ROUTE_INTRATHECAL]), .lo = GE(0), .hi = LE(1),
     NAMES(mnd_region_names), DEFAULTS(0.05, 0.1, 0.15, 0.2), .unit = "fraction",
     .meaning = "Share of cells injected by lumbar puncture (and of their effects) reaching "
                "each region's cord, falling from the lumbar injection site upwards.",
     .source = "model assumption (caudal-to-rostral gradient in the CSF after lumbar "
               "injection; no human biodistribution data)"},
    {"delivery.intraspinal_cell_fraction", MND_OPT_REALS,
     FIELD(delivery.cell_fraction[MND_ROUTE_INTRASPINAL]), .lo = GE(0), .hi = LE(1),
     NAMES(mnd_region_names), DEFAULTS(1, 1, 1, 1), .unit = "fraction",
     .meaning = "Share of cells injected into a region that stay there; only the "
                "intervention's target_region receives any.",
     .source = "model assumption (direct injection: Feldman 2014 Ann Neurol; Glass 2016 "
               "Ann Neurol)"},
    {"delivery.lmn_per_region_millions", MND_OPT_REALS, FIELD(delivery.lmn_per_region_millions),
     .lo = GT(0), NAMES(mnd_region_names), DEFAULTS(0.03, 0.05, 0.03, 0.05),
     .unit = "million neurons",
     .meaning = "Healthy lower motor neurons of each region (both sides), the denominator of "
                "grafted neurons as a pool fraction.",
     .source = "model assumption (order of magnitude of human alpha-motor-neuron counts: "
               "Tomlinson 1977 J Neurol Sci)"},
    {"delivery.death_weibull_shape", MND_OPT_REAL, FIELD(delivery.death_weibull_shape),
     .lo = GT(0), .def_real = 2, .unit = "-",
     .meaning = "Weibull shape k linking a death hazard ratio HR to the slowing of the "
                "disease-death clock, HR^(1/k): for Weibull survival this multiplies the "
                "hazard by HR.",
     .source = "van Eijk 2019 JNNP (Weibull shape about 2 of survival in trials)"},

    /* ------------------------------------------------------------ adverse events */
    {"adverse_events.headache_per_dose", MND_OPT_REALS,
     FIELD(delivery.route_ae_per_dose[MND_AE_HEADACHE]), .lo = GE(0), .hi = LE(1),
     NAMES(mnd_route_names), DEFAULTS(0, 0, 0.11, 0), .unit = "probability",
     .meaning = "Post-dural-puncture headache per dose, by route.",
     .source = "Nath 2018 Lancet (11 % with conventional needles, 4 % atraumatic)"},
    {"adverse_events.meningitis_per_dose", MND_OPT_REALS,
     FIELD(delivery.route_ae_per_dose[MND_AE_MENINGITIS]), .lo = GE(0), .hi = LE(1),
     NAMES(mnd_route_names), DEFAULTS(0, 0, 0.002, 0.005), .unit = "probability",
     .meaning = "Meningitis (infectious or aseptic) per dose, by route.",
     .source = "model assumption (bacterial meningitis after lumbar puncture is rare; "
               "aseptic reactions to cell products more frequent)"},
    {"adverse_events.neurological_per_dose", MND_OPT_REALS,
     FIELD(delivery.route_ae_per_dose[MND_AE_NEUROLOGICAL]), .lo = GE(0), .hi = LE(1),
     NAMES(mnd_route_names), DEFAULTS(0, 0, 0, 0.02), .unit = "probability",
     .meaning = "Serious neurological event per dose due to the procedure, by route (a "
                "drug's own risk is the intervention's neurological_ae_per_dose).",
     .source = "model assumption (intraspinal injection: Glass 2016 Ann Neurol)"},
    {"adverse_events.surgical_per_dose", MND_OPT_REALS,
     FIELD(delivery.route_ae_per_dose[MND_AE_SURGICAL]), .lo = GE(0), .hi = LE(1),
     NAMES(mnd_route_names), DEFAULTS(0, 0, 0, 0.05), .unit = "probability",
     .meaning = "Surgical complication per dose, by route.",
     .source = "model assumption (Feldman 2014 Ann Neurol; Glass 2016 Ann Neurol: "
               "laminectomy and intraspinal injection)"},
    {"adverse_events.tumour_per_dose", MND_OPT_REALS,
     FIELD(delivery.cells_ae_per_dose[MND_AE_TUMOUR - MND_AE_ROUTE_COUNT]), .lo = GE(0),
     .hi = LE(1), NAMES(mnd_cell_source_names), DEFAULTS(0, 0, 0, 0, 0.001, 0.01, 0.005),
     .unit = "probability",
     .meaning = "Graft-derived tumour per dose, by cell source.",
     .source = "model assumption (Amariglio 2009 PLoS Med: donor-derived tumour after fetal "
               "neural stem cells; teratoma risk of pluripotent-derived cells)"},
    {"adverse_events.ectopic_per_dose", MND_OPT_REALS,
     FIELD(delivery.cells_ae_per_dose[MND_AE_ECTOPIC - MND_AE_ROUTE_COUNT]), .lo = GE(0),
     .hi = LE(1), NAMES(mnd_cell_source_names), DEFAULTS(0, 0.001, 0.001, 0.001, 0.005, 0.02, 0.01),
     .unit = "probability",
     .meaning = "Wrong differentiation into ectopic tissue per dose, by cell source.",
     .source = "model assumption (Berkowitz 2016 NEJM: glioproliferative lesion after "
               "'stem-cell tourism')"},
    {"adverse_events.rejection_per_dose", MND_OPT_REALS,
     FIELD(delivery.cells_ae_per_dose[MND_AE_REJECTION - MND_AE_ROUTE_COUNT]), .lo = GE(0),
     .hi = LE(1), NAMES(mnd_cell_source_names), DEFAULTS(0, 0, 0.05, 0, 0.1, 0.1, 0.05),
     .unit = "probability",
     .meaning = "Immune rejection of the graft per dose, by cell source (autologous cells "
                "are not rejected); the intervention's grafts are lost.",
     .source = "model assumption (allogeneic grafts under immunosuppression: Glass 2016 Ann "
               "Neurol)"},
    {"adverse_events.latency_months", MND_OPT_REALS, FIELD(delivery.ae_latency_months),
     .lo = GT(0), NAMES(mnd_ae_type_names), DEFAULTS(0.1, 0.1, 1, 0.05, 24, 24, 3),
     .unit = "month",
     .meaning = "Median time from the dose to the event, by type (log-normal).",
     .source = "model assumption (headache and meningitis within days; tumours after "
               "years: Amariglio 2009 PLoS Med)"},
    {"adverse_events.latency_sd_log", MND_OPT_REALS, FIELD(delivery.ae_latency_sd_log),
     .lo = GE(0), NAMES(mnd_ae_type_names), DEFAULTS(0.5, 0.5, 0.5, 0.5, 0.7, 0.7, 0.5),
     .unit = "-", .meaning = "SD of the log latency, by type.", .source = "model assumption"},
    {"adverse_events.fatality", MND_OPT_REALS, FIELD(delivery.ae_fatality), .lo = GE(0),
     .hi = LE(1), NAMES(mnd_ae_type_names), DEFAULTS(0, 0, 0.02, 0.02, 0.3, 0, 0),
     .unit = "probability",
     .meaning = "Probability that an event of each type is fatal.",
     .source = "model assumption"},

    /* -------------------------------------------------------------------- output */
    {"output.store", MND_OPT_NAMESET, FIELD(store), NAMES(mnd_traj_names),
     .def_int = ALL_TRAJ, .unit = "-",
     .meaning = "Per-visit variables written to the HDF5 file; [] stores none (per-patient "
                "tables are always written).  \"neurons\" (8 floats per visit) is most of "
                "the bytes and of the compression time: without it a full run of "
                "configs/default.cfg takes about a third less time (make bench).",
     .source = RUN_SETTING},
    {"output.chunk_patients", MND_OPT_INT, FIELD(chunk_patients), .lo = GE(1),
     .hi = LE(65536), .def_int = 256, .unit = "patients",
     .meaning = "HDF5 chunk length along the patient axis.",
     .source = RUN_SETTING "; chunks of at most 512 KiB read fast per patient"},
    {"output.summary_only", MND_OPT_BOOL, FIELD(summary_only), .def_int = 0, .unit = "-",
     .meaning = "Studies: store each replicate's metrics and the summary only, not the patient "
                "records (for thousands of replicate studies).",
     .source = RUN_SETTING},
    {"output.deflate_level", MND_OPT_INT, FIELD(deflate_level), .lo = GE(0), .hi = LE(9),
     .def_int = 1, .unit = "-", .meaning = "Deflate (gzip) level; 0 = no compression.",
     .source = RUN_SETTING},
    {"output.thread_compression", MND_OPT_BOOL, FIELD(thread_compression), .def_int = 1,
     .unit = "-",
     .meaning = "Compress the chunks of the trajectories and per-patient columns on the run's "
                "threads and store them with "
                "H5Dwrite_chunk (true), or in HDF5's filter pipeline on one thread (false); "
                "the data read back are the same.  On the threads, level 1 is encoded by "
                "ISA-L's igzip (about 5 times faster than zlib, streams as small) and the "
                "other levels by zlib, whose bytes are the pipeline's.  The MPI build always "
                "uses the pipeline.",
     .source = RUN_SETTING "; notes §1.5"},
};
const size_t mnd_option_count = sizeof mnd_options / sizeof mnd_options[0];

/* Keys of one entry of `interventions` (interventions.<name>.<key>): the
 * offsets are into mnd_intervention.  Every default is the neutral value,
 * so an entry that only names itself does nothing. */
#define IFIELD(f) .offset = offsetof(mnd_intervention, f), .size = sizeof(((mnd_intervention *)0)->f)
#define ALL_GENOTYPES ((INT64_C(1) << MND_GENOTYPE_COUNT) - 1)
#define ALL_PHENOTYPES ((INT64_C(1) << MND_PHENOTYPE_COUNT) - 1)
#define IV_SETTING "setting of the intervention (see the presets in configs/interventions/ for sourced values)"

const mnd_option mnd_intervention_options[] = {
    {"enabled", MND_OPT_BOOL, IFIELD(enabled), .def_int = 1, .unit = "-",
     .meaning = "false switches the intervention off (its random stream is untouched).",
     .source = IV_SETTING},
    {"start_anchor", MND_OPT_ENUM, IFIELD(start_anchor), NAMES(mnd_anchor_names),
     .def_int = MND_ANCHOR_DIAGNOSIS, .unit = "-",
     .meaning = "What the start is counted from: onset, diagnosis, enrolment, gastrostomy, "
                "niv (never without the event), or kings_stage (expected King's stage "
                "reaches start_stage).",
     .source = IV_SETTING},
    {"start_delay_months", MND_OPT_REAL, IFIELD(start_delay_months), .lo = GE(0), .def_real = 0,
     .unit = "month", .meaning = "Start after the anchor.", .source = IV_SETTING},
    {"start_stage", MND_OPT_INT, IFIELD(start_stage), .lo = GE(1), .hi = LE(4), .def_int = 2,
     .unit = "King's stage", .meaning = "Stage that starts it when start_anchor is kings_stage.",
     .source = IV_SETTING},
    {"schedule", MND_OPT_ENUM, IFIELD(schedule), NAMES(mnd_schedule_names),
     .def_int = MND_SCHEDULE_CONTINUOUS, .unit = "-",
     .meaning = "once (one dose), doses (n_doses every dose_interval_months) or continuous.",
     .source = IV_SETTING},
    {"n_doses", MND_OPT_INT, IFIELD(n_doses), .lo = GE(1), .hi = LE(MND_MAX_DOSES), .def_int = 1,
     .unit = "doses", .meaning = "Doses of a doses schedule.", .source = IV_SETTING},
    {"dose_interval_months", MND_OPT_REAL, IFIELD(dose_interval_months), .lo = GT(0),
     .def_real = 1, .unit = "month",
     .meaning = "Spacing of doses; also how long one dose's constant effects last.",
     .source = IV_SETTING},
    {"duration_months", MND_OPT_REAL, IFIELD(duration_months), .lo = GE(0), .def_real = 0,
     .unit = "month",
     .meaning = "Length of a continuous course, or of the constant effects of a single dose; "
                "0 = for life.",
     .source = IV_SETTING},
    {"genotypes", MND_OPT_NAMESET, IFIELD(genotypes), NAMES(mnd_genotype_names),
     .def_int = ALL_GENOTYPES, .unit = "-", .meaning = "Eligible genotypes.",
     .source = IV_SETTING},
    {"phenotypes", MND_OPT_NAMESET, IFIELD(phenotypes), NAMES(mnd_phenotype_names),
     .def_int = ALL_PHENOTYPES, .unit = "-", .meaning = "Eligible phenotypes.",
     .source = IV_SETTING},
    {"min_age_years", MND_OPT_REAL, IFIELD(min_age_years), .lo = GE(0), .hi = LE(120),
     .below = "max_age_years", .def_real = 0, .unit = "year",
     .meaning = "Lowest age at the start.", .source = IV_SETTING},
    {"max_age_years", MND_OPT_REAL, IFIELD(max_age_years), .lo = GE(0), .hi = LE(130),
     .def_real = 130, .unit = "year", .meaning = "Highest age at the start.",
     .source = IV_SETTING},
    {"min_alsfrs_total", MND_OPT_REAL, IFIELD(min_alsfrs_total), .lo = GE(0), .hi = LE(48),
     .def_real = 0, .unit = "points",
     .meaning = "Lowest expected ALSFRS-R total at the start.", .source = IV_SETTING},
    {"min_fvc_percent", MND_OPT_REAL, IFIELD(min_fvc_percent), .lo = GE(0), .def_real = 0,
     .unit = "% predicted", .meaning = "Lowest expected FVC at the start.",
     .source = IV_SETTING},
    {"max_kings_stage", MND_OPT_INT, IFIELD(max_kings_stage), .lo = GE(1), .hi = LE(4),
     .def_int = 4, .unit = "King's stage",
     .meaning = "Highest King's stage (of the expected items) at the start.",
     .source = IV_SETTING},
    {"uptake", MND_OPT_REAL, IFIELD(uptake), .lo = GE(0), .hi = LE(1), .def_real = 1,
     .unit = "fraction", .meaning = "Share of eligible patients who start.",
     .source = IV_SETTING},
    {"adherence", MND_OPT_REAL, IFIELD(adherence), .lo = GE(0), .hi = LE(1), .def_real = 1,
     .unit = "fraction",
     .meaning = "Doses: probability that each dose is taken. Continuous: share of time on "
                "drug; effects act as multiplier^adherence.",
     .source = IV_SETTING},
    {"discontinuation_per_month", MND_OPT_REAL, IFIELD(discontinuation_per_month), .lo = GE(0),
     .def_real = 0, .unit = "1/month", .meaning = "Hazard of stopping for good.",
     .source = IV_SETTING},
    {"loss_rate_multiplier", MND_OPT_REAL, IFIELD(loss_rate_multiplier), .lo = GE(0),
     .def_real = 1, .unit = "-",
     .meaning = "Multiplier on the motor-neuron loss rate (rate_component) while exposed; "
                "1 = no effect.",
     .source = IV_SETTING},
    {"rate_component", MND_OPT_ENUM, IFIELD(rate_component), NAMES(mnd_component_names),
     .def_int = MND_COMPONENT_ALL, .unit = "-",
     .meaning = "Part of the loss rate the multiplier acts on: all, cell_autonomous or "
                "non_cell_autonomous.",
     .source = IV_SETTING},
    {"neurotrophic_slowing", MND_OPT_REAL, IFIELD(neurotrophic_slowing), .lo = GE(0),
     .hi = LE(1), .def_real = 0, .unit = "fraction",
     .meaning = "Fraction of the loss rate removed right after each dose (neurotrophic "
                "secretion), decaying with neurotrophic_half_life_months; 0 = none.",
     .source = IV_SETTING},
    {"neurotrophic_half_life_months", MND_OPT_REAL, IFIELD(neurotrophic_half_life_months),
     .lo = GT(0), .def_real = 1, .unit = "month",
     .meaning = "Half-life of the neurotrophic slowing after a dose (or after the stop of a "
                "continuous course).",
     .source = IV_SETTING},
    {"neurotrophic_component", MND_OPT_ENUM, IFIELD(neurotrophic_component),
     NAMES(mnd_component_names), .def_int = MND_COMPONENT_ALL, .unit = "-",
     .meaning = "Part of the loss rate the neurotrophic slowing acts on.",
     .source = IV_SETTING},
    {"immunomodulation", MND_OPT_REAL, IFIELD(immunomodulation), .lo = GE(0), .hi = LE(1),
     .def_real = 0, .unit = "fraction",
     .meaning = "Fraction of the non-cell-autonomous loss rate damped while exposed.",
     .source = IV_SETTING},
    {"cells_per_dose_millions", MND_OPT_REAL, IFIELD(cells_per_dose_millions), .lo = GE(0),
     .def_real = 0, .unit = "million cells", .meaning = "Cells delivered per dose.",
     .source = IV_SETTING},
    {"engraftment", MND_OPT_REAL, IFIELD(engraftment), .lo = GE(0), .hi = LE(1), .def_real = 0,
     .unit = "fraction", .meaning = "Share of delivered cells that survive and integrate.",
     .source = IV_SETTING},
    {"correct_differentiation", MND_OPT_REAL, IFIELD(correct_differentiation), .lo = GE(0),
     .hi = LE(1), .def_real = 0, .unit = "fraction",
     .meaning = "Share of engrafted cells that become functional lower motor neurons "
                "(mesenchymal cells: 0).",
     .source = IV_SETTING},
    {"integration_months", MND_OPT_REAL, IFIELD(integration_months), .lo = GE(0),
     .def_real = 3, .unit = "month",
     .meaning = "Time from a dose to functional integration of its grafted neurons.",
     .source = IV_SETTING},
    {"graft_half_life_months", MND_OPT_REAL, IFIELD(graft_half_life_months), .lo = GT(0),
     .def_real = 12, .unit = "month", .meaning = "Half-life of grafted neurons (attrition).",
     .source = IV_SETTING},
    {"death_hazard_ratio", MND_OPT_REAL, IFIELD(death_hazard_ratio), .lo = GT(0),
     .def_real = 1, .unit = "-",
     .meaning = "Hazard ratio on disease death (respiratory failure, tracheostomy, "
                "respiratory death) while exposed; 1 = no effect.",
     .source = IV_SETTING},
    {"symptomatic_points", MND_OPT_REAL, IFIELD(symptomatic_points), .lo = GE(-48),
     .hi = LE(48), .def_real = 0, .unit = "points",
     .meaning = "Shift of the ALSFRS-R total while exposed (spread over items 1-11), "
                "without any effect on the neurons.",
     .source = IV_SETTING},
    {"placebo_points", MND_OPT_REAL, IFIELD(placebo_points), .lo = GE(-48), .hi = LE(48),
     .def_real = 0, .unit = "points",
     .meaning = "Expectation (placebo) shift of the ALSFRS-R total at the start, decaying "
                "with placebo_half_life_months.",
     .source = IV_SETTING},
    {"placebo_half_life_months", MND_OPT_REAL, IFIELD(placebo_half_life_months), .lo = GT(0),
     .def_real = 3, .unit = "month",
     .meaning = "Half-life of the placebo shift and of placebo_pro_fraction.",
     .source = IV_SETTING},
    {"placebo_pro_fraction", MND_OPT_REAL, IFIELD(placebo_pro_fraction), .lo = GE(0),
     .hi = LT(1), .def_real = 0, .unit = "fraction",
     .meaning = "Expectation (placebo) effect on patient-reported scales (pro.*): the share of "
                "the reported symptom burden removed at the start, fading with "
                "placebo_half_life_months. Acts in the treated arm, and in a sham that looks "
                "alike (blinded trials; the counterfactual of uncontrolled designs).",
     .source = IV_SETTING},
    {"pro_relief_fraction", MND_OPT_REAL, IFIELD(pro_relief_fraction), .lo = GE(0), .hi = LE(1),
     .def_real = 0, .unit = "fraction",
     .meaning = "True relief of patient-reported symptoms: the share of the symptom burden "
                "removed while exposed (an analgesic, an antispastic); no effect on the "
                "neurons.",
     .source = IV_SETTING},
    {"neurological_ae_per_dose", MND_OPT_REAL, IFIELD(neurological_ae_per_dose), .lo = GE(0),
     .hi = LE(1), .def_real = 0, .unit = "probability",
     .meaning = "The drug's own risk of a serious neurological event per dose (added to the "
                "route's).",
     .source = IV_SETTING},
    {"offers_niv", MND_OPT_BOOL, IFIELD(offers_niv), .def_int = 0, .unit = "-",
     .meaning = "Supportive care: every treated patient accepts NIV when FVC reaches "
                "events.niv_fvc_threshold_percent, with the survival gain of the events "
                "section (by bulbar function).",
     .source = IV_SETTING},
    {"offers_gastrostomy", MND_OPT_BOOL, IFIELD(offers_gastrostomy), .def_int = 0,
     .unit = "-",
     .meaning = "Supportive care: every treated patient accepts a gastrostomy when "
                "swallowing fails, with the procedure mortality of the events section.",
     .source = IV_SETTING},
    {"offers_tracheostomy", MND_OPT_BOOL, IFIELD(offers_tracheostomy), .def_int = 0,
     .unit = "-",
     .meaning = "Supportive care: every treated patient chooses tracheostomy with invasive "
                "ventilation at ventilatory failure.",
     .source = IV_SETTING},
    {"route", MND_OPT_ENUM, IFIELD(route), NAMES(mnd_route_names), .def_int = MND_ROUTE_ORAL,
     .unit = "-", .meaning = "oral, intravenous, intrathecal or intraspinal.",
     .source = IV_SETTING},
    {"target_region", MND_OPT_ENUM, IFIELD(target_region), NAMES(mnd_region_names),
     .def_int = MND_REGION_LUMBAR, .unit = "-",
     .meaning = "Region injected by the intraspinal route.", .source = IV_SETTING},
    {"cell_source", MND_OPT_ENUM, IFIELD(cell_source), NAMES(mnd_cell_source_names),
     .def_int = MND_CELLS_NONE, .unit = "-",
     .meaning = "none (a drug), bm_msc, uc_msc, adipose, nsc, esc or ipsc.",
     .source = IV_SETTING},
};
const size_t mnd_intervention_option_count =
    sizeof mnd_intervention_options / sizeof mnd_intervention_options[0];

/* ------------------------------------------------------------------ studies */
#define SFIELD(f) .offset = offsetof(mnd_study, f), .size = sizeof(((mnd_study *)0)->f)
#define BIAS_OFF "bias mechanism (CLAIMS.md); the default switches it off"

const mnd_option mnd_study_options[] = {
    {"enabled", MND_OPT_BOOL, SFIELD(enabled), .def_int = 1, .unit = "-",
     .meaning = "false skips the study.", .source = DESIGN_SETTING},
    {"design", MND_OPT_ENUM, SFIELD(design), NAMES(mnd_design_names),
     .def_int = MND_DESIGN_RCT, .unit = "-",
     .meaning = "rct (randomized, concurrent control), case_series (everyone treated, no "
                "control), historical (everyone treated; controls are other patients taken "
                "at diagnosis without criteria, survival from diagnosis) or lead_in (everyone "
                "treated; the expected slope is the one measured over the entry lead-in).",
     .source = DESIGN_SETTING},
    {"treatment", MND_OPT_NAME, SFIELD(treatment), .unit = "-",
     .meaning = "Name of the `interventions` entry given in the treated arm, started at "
                "enrolment; the control arm gets a sham of it. The entry is given to no one "
                "outside its studies.",
     .source = DESIGN_SETTING},
    {"n_patients", MND_OPT_INT, SFIELD(n_patients), .lo = GE(2), .hi = LE(1000000),
     .def_int = 200, .unit = "patients", .meaning = "Patients enrolled per replicate study.",
     .source = DESIGN_SETTING},
    {"treated_share", MND_OPT_REAL, SFIELD(treated_share), .lo = GT(0), .hi = LT(1),
     .def_real = 0.5, .unit = "fraction",
     .meaning = "rct: share allocated to treatment (0.5 = 1:1, 2/3 = 2:1).",
     .source = DESIGN_SETTING},
    {"block_size", MND_OPT_INT, SFIELD(block_size), .lo = GE(1), .hi = LE(64), .def_int = 4,
     .unit = "patients",
     .meaning = "rct: size of the permuted blocks; each block allocates round(treated_share "
                "x block_size) to treatment.",
     .source = DESIGN_SETTING},
    {"stratify", MND_OPT_BOOL, SFIELD(stratify), .def_int = 1, .unit = "-",
     .meaning = "rct: separate permuted blocks for bulbar and spinal onset; the tests are "
                "then stratified too.",
     .source = DESIGN_SETTING},
    {"blinded", MND_OPT_BOOL, SFIELD(blinded), .def_int = 1, .unit = "-",
     .meaning = "The control arm's sham carries the treatment's expectation (placebo) effect, "
                "so the arms cannot be told apart. Case series are unblinded by nature: their "
                "counterfactual control is always a sham with the same expectation.",
     .source = DESIGN_SETTING},
    {"entry_delay_mean_months", MND_OPT_REAL, SFIELD(entry_delay_mean_months), .lo = GE(0),
     .def_real = 3, .unit = "month",
     .meaning = "Mean delay from diagnosis to enrolment (exponential; the same draw in every "
                "study, scaled).",
     .source = DESIGN_SETTING},
    {"min_months_from_onset", MND_OPT_REAL, SFIELD(min_months_from_onset), .lo = GE(0),
     .below = "max_months_from_onset", .def_real = 0, .unit = "month",
     .meaning = "Earliest screening after onset (selection). Screening is at enrolment, or "
                "recent_decline_months before it.",
     .source = BIAS_OFF},
    {"max_months_from_onset", MND_OPT_REAL, SFIELD(max_months_from_onset), .lo = GT(0),
     .def_real = 1200, .unit = "month", .meaning = "Latest screening after onset.",
     .source = DESIGN_SETTING},
    {"min_age_years", MND_OPT_REAL, SFIELD(min_age_years), .lo = GE(0), .hi = LE(120),
     .below = "max_age_years", .def_real = 18, .unit = "year",
     .meaning = "Youngest age at screening.", .source = DESIGN_SETTING},
    {"max_age_years", MND_OPT_REAL, SFIELD(max_age_years), .lo = GE(0), .hi = LE(130),
     .def_real = 130, .unit = "year", .meaning = "Oldest age at screening.",
     .source = DESIGN_SETTING},
    {"min_alsfrs_total", MND_OPT_REAL, SFIELD(min_alsfrs_total), .lo = GE(0), .hi = LE(48),
     .def_real = 0, .unit = "points",
     .meaning = "Lowest ALSFRS-R total rated at screening (able to travel; selection).",
     .source = BIAS_OFF},
    {"min_fvc_percent", MND_OPT_REAL, SFIELD(min_fvc_percent), .lo = GE(0), .hi = LE(200),
     .def_real = 0, .unit = "% predicted", .meaning = "Lowest FVC measured at screening.",
     .source = DESIGN_SETTING},
    {"min_item", MND_OPT_INT, SFIELD(min_item), .lo = GE(0), .hi = LE(4), .def_int = 0,
     .unit = "points", .meaning = "Every ALSFRS-R item rated at least this at screening.",
     .source = DESIGN_SETTING},
    {"min_regions", MND_OPT_INT, SFIELD(min_regions), .lo = GE(0), .hi = LE(4), .def_int = 0,
     .unit = "regions",
     .meaning = "Fewest regions with signs at screening (selection.sign_fraction).",
     .source = DESIGN_SETTING},
    {"recent_decline_months", MND_OPT_REAL, SFIELD(recent_decline_months), .lo = GE(0),
     .hi = LE(120), .def_real = 0, .unit = "month",
     .meaning = "Length of the period before enrolment over which a decline is measured (two "
                "rated visits); 0 = none. With recent_decline_min_points > 0, patients come "
                "after a measured fast decline (regression to the mean); the lead_in design "
                "takes its expected slope from it.",
     .source = BIAS_OFF},
    {"recent_decline_min_points", MND_OPT_REAL, SFIELD(recent_decline_min_points),
     .lo = GE(-48), .hi = LE(48), .def_real = -48, .unit = "points",
     .meaning = "Smallest measured decline over recent_decline_months for enrolment.",
     .source = BIAS_OFF},
    {"pro_entry_scale", MND_OPT_ENUM, SFIELD(pro_entry), NAMES(mnd_pro_entry_names),
     .def_int = 0, .unit = "-",
     .meaning = "Patients come when this patient-reported scale (pro.*) is bad: its burden "
                "rated at enrolment must be at least pro_entry_min_burden (regression to the "
                "mean of subjective scales); none = no such rule.",
     .source = BIAS_OFF},
    {"pro_entry_min_burden", MND_OPT_REAL, SFIELD(pro_entry_min_burden), .lo = GE(0),
     .hi = LE(70), .def_real = 0, .unit = "burden",
     .meaning = "Lowest rated burden of pro_entry_scale at enrolment (quality of life: 10 - "
                "the score).",
     .source = BIAS_OFF},
    {"follow_up_months", MND_OPT_REAL, SFIELD(follow_up_months), .lo = GT(0), .hi = LE(1200),
     .def_real = 12, .unit = "month",
     .meaning = "Follow-up after enrolment; with accrual_months, of the last patient "
                "enrolled (patients enrolled earlier are followed longer).",
     .source = DESIGN_SETTING},
    {"accrual_months", MND_OPT_REAL, SFIELD(accrual_months), .lo = GE(0), .hi = LE(1200),
     .def_real = 0, .unit = "month",
     .meaning = "Enrolment spread evenly over this period: patient i of n enrols "
                "accrual_months x i / n after the first and is followed until the study "
                "ends, follow_up_months after the end of accrual (administrative "
                "censoring). 0 = every patient followed follow_up_months.",
     .source = DESIGN_SETTING},
    {"visit_interval_months", MND_OPT_REAL, SFIELD(visit_interval_months), .lo = GT(0),
     .def_real = 1, .unit = "month", .meaning = "Spacing of study visits from enrolment.",
     .source = DESIGN_SETTING},
    {"dropout_per_month", MND_OPT_REAL, SFIELD(dropout_per_month), .lo = GE(0), .hi = LE(10),
     .def_real = 0, .unit = "1/month",
     .meaning = "Hazard of leaving the study at full function (withdrawal, loss to follow-up).",
     .source = BIAS_OFF},
    {"dropout_per_point_lost", MND_OPT_REAL, SFIELD(dropout_per_point_lost), .lo = GE(0),
     .hi = LE(1), .def_real = 0, .unit = "log-hazard/point",
     .meaning = "Increase of the log dropout hazard per ALSFRS-R point below 48 at the last "
                "visit (worse function drops out more; informative dropout).",
     .source = BIAS_OFF},
    {"dropout_per_point_decline", MND_OPT_REAL, SFIELD(dropout_per_point_decline), .lo = GE(0),
     .hi = LE(2), .def_real = 0, .unit = "log-hazard/point",
     .meaning = "Increase of the log dropout hazard per point lost since the visit before "
                "(fast decliners drop out more).",
     .source = BIAS_OFF},
    {"pre_slope", MND_OPT_ENUM, SFIELD(pre_slope), NAMES(mnd_pre_slope_names),
     .def_int = MND_PRE_SLOPE_UNTREATED, .unit = "-",
     .meaning = "The expected slope a treated patient's slope is compared with: onset (ΔFS, "
                "(48 - baseline) / months since onset, as clinics do), lead_in (measured over "
                "recent_decline_months) or untreated (the same patient's untreated course over "
                "the same visits: no nonlinear-course or regression-to-the-mean bias).",
     .source = BIAS_OFF},
    {"completers_only", MND_OPT_BOOL, SFIELD(completers_only), .def_int = 0, .unit = "-",
     .meaning = "Slope and responder metrics only on patients followed to the end (the "
                "clinic's \"patients still followed\"); false uses every patient with two "
                "or more visits.",
     .source = BIAS_OFF},
    {"best_visit", MND_OPT_BOOL, SFIELD(best_visit), .def_int = 0, .unit = "-",
     .meaning = "Responders judged at their best follow-up visit (multiplicity, "
                "cherry-picking); false judges them at their last visit.",
     .source = BIAS_OFF},
    {"slowing_percent", MND_OPT_REAL, SFIELD(slowing_percent), .lo = GE(0), .hi = LE(100),
     .def_real = 50, .unit = "%",
     .meaning = "Responder threshold of C2: post-treatment slope at least this much flatter "
                "than the expected slope.",
     .source = "CLAIMS.md C2 (the clinic's 50 %)"},
    {"fvc_gain_percent", MND_OPT_REAL, SFIELD(fvc_gain_percent), .lo = GE(0), .hi = LE(100),
     .def_real = 15, .unit = "%",
     .meaning = "Responder threshold of C4: FVC at least this much above its baseline.",
     .source = "CLAIMS.md C4 (the clinic's 15-25 %)"},
    {"pro_months", MND_OPT_REAL, SFIELD(pro_months), .lo = GT(0), .hi = LE(1200),
     .def_real = 3, .unit = "month",
     .meaning = "C7: patient-reported scales (pro.*) are rated at enrolment and this long "
                "after; the change is judged on the patients alive and still followed then.",
     .source = DESIGN_SETTING},
    {"survival_from", MND_OPT_ENUM, SFIELD(survival_from), NAMES(mnd_survival_from_names),
     .def_int = MND_SURVIVAL_FROM_ENROLMENT, .unit = "-",
     .meaning = "Time origin of the survival metrics: enrolment, or onset (immortal time, "
                "lead time).",
     .source = BIAS_OFF},
    {"expected_survival_months", MND_OPT_REAL, SFIELD(expected_survival_months), .lo = GT(0),
     .def_real = 20, .unit = "month",
     .meaning = "C5: the expected median survival the clinic compares its patients with.",
     .source = "population median from diagnosis, about 20 months (Chiò 2009 ALS; this "
               "model's natural history: 20.2)"},
    {"alpha", MND_OPT_REAL, SFIELD(alpha), .lo = GT(0), .hi = LT(1), .def_real = 0.05,
     .unit = "-", .meaning = "Two-sided significance level of the tests (type-I error, power).",
     .source = DESIGN_SETTING},
    {"claim_metric", MND_OPT_ENUM, SFIELD(claim_metric), NAMES(mnd_metric_names),
     .def_int = MND_M_SLOWING_PERCENT, .unit = "-",
     .meaning = "The metric of the clinic's claim (see the /studies output for each "
                "metric's meaning).",
     .source = "CLAIMS.md"},
    {"claim_threshold", MND_OPT_REAL, SFIELD(claim_threshold), .def_real = 30, .unit = "-",
     .meaning = "The claim: claim_metric at least this. The analysis reports how often "
                "replicate studies reach it.",
     .source = "CLAIMS.md C3 (decline slowed by 30-50 %)"},
};
const size_t mnd_study_option_count = sizeof mnd_study_options / sizeof mnd_study_options[0];
