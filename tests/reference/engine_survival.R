# SPDX-License-Identifier: GPL-3.0-or-later
#
# engine_survival.R — reference values for tests/unit/test_engine_survival.c:
# Kaplan–Meier (survfit), log-rank (survdiff) and Cox (coxph) on ENGINE
# output, from R's survival package, so that the C statistics are checked
# on the data they will be used on (ties, administrative censoring, two
# arms, strata).
#
# Regenerate (from the repository root; the engine output is a pure
# function of the config and its seed, whatever the thread count):
#   make && build/mndsim run tests/unit/configs/survival_engine.cfg \
#       -o /tmp/engine_survival.h5 && \
#   Rscript tests/reference/engine_survival.R /tmp/engine_survival.h5 \
#       > tests/reference/engine_survival_reference.txt
# Regenerate whenever the engine's output for that config changes (a model
# or default change): the C test then fails first on the data fingerprint
# lines ("<endpoint> data ...") and names this command.
#
# The file is read with hdf5r.  Columns, as the C test extracts them:
#   arm   1 if exposure_status of riluzole is treated (3), else 0 (declined:
#         the config's uptake is 0.5);
#   age   age_onset_years (years, continuous covariate);
#   region onset_region (0-3, a stratum); male (0/1, a stratum).
# Two endpoints, time from diagnosis in months:
#   os    death: time = t_end - t_diagnosis, event = died; censored at the
#         end of follow-up (24 months).  Times are exact doubles, all event
#         times distinct.  The censoring times are 24 up to rounding
#         (24 +- a few ulps); R's timefix (aeqSurv) merges those, which
#         changes nothing because they all lie after the last death: the
#         script checks that it merges nothing else.
#   ks3   the first quarterly visit (months 0, 3, ..., 24 after diagnosis)
#         with King's stage >= 3: time = visit number x
#         visit_interval_months (the scheduled time, an exact multiple of 3),
#         event = 1; without such a visit, censored at the last visit made
#         ((n_visits - 1) x interval).  Patients already at stage >= 3 at
#         diagnosis (visit 0) are left out (NA time; C: NaN, skipped).
#         At most 8 distinct times: heavy ties.
#
# Output lines are "<case> <quantity> <values...>" (NA written "nan", Inf
# "inf"), read by the C test:
#   <endpoint> data       rows used, events, sum of times, sum of arm,
#                         sum of age (a fingerprint of the extracted data);
#   <endpoint>_arm<a> ... Kaplan–Meier of arm a at its event times: time,
#                         n_risk, n_event, surv, std_err, lower, upper
#                         (conf.type "log"), median (median, 0.95LCL, 0.95UCL);
#   <case> observed/expected/var/chisq/df/p        survdiff (rho = 0);
#   <case> n/events/iter/coef/se/var/loglik/lr/wald/score/hr_lower/
#          hr_upper/z/p_coef                       coxph.
suppressPackageStartupMessages({
  library(survival)
  library(hdf5r)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript engine_survival.R <engine output .h5>")

num <- function(v) {
  s <- sprintf("%.17g", v)
  s[is.na(v)] <- "nan"
  s[!is.na(v) & is.infinite(v)] <- "inf"
  paste0(" ", s, collapse = "")
}
line <- function(name, quantity, v) cat(sprintf("%s %s%s\n", name, quantity, num(v)))

# ------------------------------------------------------------ engine output

f <- H5File$new(args[1], mode = "r")
col <- function(name) as.vector(f[[name]]$read())
interval <- h5attr(f, "visit_interval_months")
status <- f[["exposure_status"]]$read()          # intervention x patient
rilu <- which(f[["intervention"]]$read() == "riluzole")
if (is.matrix(status)) status <- status[rilu, ]
kings <- f[["kings_stage"]]$read()               # visit x patient, -1 after the last visit
d <- data.frame(t_end = col("t_end"), t_dx = col("t_diagnosis"), died = col("died"),
                arm = as.integer(status == 3), age = col("age_onset_years"),
                region = col("onset_region"), male = col("male"), n_visits = col("n_visits"))
cat(sprintf("# R %s, survival %s, hdf5r %s\n", getRversion(), packageVersion("survival"),
            packageVersion("hdf5r")))
cat(sprintf("# engine output: %s, git_commit %s, master_seed %s, %d patients\n",
            basename(args[1]), h5attr(f, "git_commit"), format(h5attr(f, "master_seed")),
            nrow(d)))
f$close_all()

d$os_time <- d$t_end - d$t_dx
d$os_event <- as.integer(d$died == 1)
first3 <- apply(kings, 2, function(s) { j <- which(s >= 3); if (length(j)) j[1] - 1 else NA })
d$ks3_event <- as.integer(!is.na(first3))
d$ks3_time <- ifelse(is.na(first3), d$n_visits - 1, first3) * interval
d$ks3_time[kings[1, ] >= 3] <- NA

# timefix may merge only censoring times after the last event (see above)
for (ep in c("os", "ks3")) {
  t <- d[[paste0(ep, "_time")]]
  e <- d[[paste0(ep, "_event")]]
  ok <- !is.na(t)
  fixed <- aeqSurv(Surv(t[ok], e[ok]))[, 1]
  moved <- fixed != t[ok]
  stopifnot(all(e[ok][moved] == 0), all(t[ok][moved] > max(t[ok][e[ok] == 1])))
}

# ------------------------------------------------------------ reference values

km <- function(name, fit) {
  ev <- fit$n.event > 0
  for (q in c("time", "n.risk", "n.event", "surv", "std.err", "lower", "upper"))
    line(name, sub(".", "_", q, fixed = TRUE), fit[[q]][ev])
  tab <- summary(fit)$table
  line(name, "median", unname(tab[c("median", "0.95LCL", "0.95UCL")]))
}

logrank <- function(name, fit) {
  obs <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
  expected <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
  df <- sum(expected > 0) - 1
  line(name, "observed", obs)
  line(name, "expected", expected)
  line(name, "var", t(fit$var))
  line(name, "chisq", fit$chisq)
  line(name, "df", df)
  line(name, "p", pchisq(fit$chisq, df, lower.tail = FALSE))
}

cox <- function(name, fit) {
  s <- summary(fit)
  df <- length(coef(fit))
  lr <- 2 * (fit$loglik[2] - fit$loglik[1])
  line(name, "n", fit$n)
  line(name, "events", fit$nevent)
  line(name, "iter", fit$iter)
  line(name, "coef", coef(fit))
  line(name, "se", sqrt(diag(fit$var)))
  line(name, "var", t(fit$var))
  line(name, "loglik", fit$loglik)
  line(name, "lr", c(lr, pchisq(lr, df, lower.tail = FALSE)))
  line(name, "wald", c(fit$wald.test, pchisq(fit$wald.test, df, lower.tail = FALSE)))
  line(name, "score", c(fit$score, pchisq(fit$score, df, lower.tail = FALSE)))
  line(name, "hr_lower", s$conf.int[, "lower .95"])
  line(name, "hr_upper", s$conf.int[, "upper .95"])
  line(name, "z", s$coefficients[, "z"])
  line(name, "p_coef", s$coefficients[, "Pr(>|z|)"])
}

for (ep in c("os", "ks3")) {
  e <- data.frame(time = d[[paste0(ep, "_time")]], event = d[[paste0(ep, "_event")]],
                  arm = d$arm, age = d$age, region = d$region, male = d$male)
  ok <- !is.na(e$time)
  line(ep, "data", c(sum(ok), sum(e$event[ok]), sum(e$time[ok]), sum(e$arm[ok]),
                     sum(e$age[ok])))
  for (a in 0:1)
    km(sprintf("%s_arm%d", ep, a), survfit(Surv(time, event) ~ 1, data = e, subset = arm == a))
  logrank(paste0(ep, "_lr_arm"), survdiff(Surv(time, event) ~ arm, data = e))
  logrank(paste0(ep, "_lr_arm_region"),
          survdiff(Surv(time, event) ~ arm + strata(region), data = e))
  logrank(paste0(ep, "_lr_arm_sex"), survdiff(Surv(time, event) ~ arm + strata(male), data = e))
  for (ties in c("efron", "breslow")) {
    cox(sprintf("%s_cox_arm_%s", ep, ties), coxph(Surv(time, event) ~ arm, data = e, ties = ties))
    cox(sprintf("%s_cox_arm_age_%s", ep, ties),
        coxph(Surv(time, event) ~ arm + age, data = e, ties = ties))
    cox(sprintf("%s_cox_arm_age_region_%s", ep, ties),
        coxph(Surv(time, event) ~ arm + age + strata(region), data = e, ties = ties))
    cox(sprintf("%s_cox_arm_age_male_region_%s", ep, ties),
        coxph(Surv(time, event) ~ arm + age + male + strata(region), data = e, ties = ties))
  }
}
