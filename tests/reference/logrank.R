# SPDX-License-Identifier: GPL-3.0-or-later
#
# logrank.R — reference values for the log-rank tests of
# tests/unit/test_survival.c (mnd_logrank_test), from R's survival package
# (survdiff, rho = 0).  Run from the repository root, after
# cox_data_sim.R has written tests/reference/cox_data_sim.txt:
#   Rscript tests/reference/logrank.R > tests/reference/logrank_reference.txt
#
# Output lines are "<case> <quantity> <values...>", read by the C test:
# observed and expected (summed over strata), var (k x k, row-major), chisq,
# df, p.  The small data sets are hard-coded identically in the C test
# (lr_time, lr_event, lr_arm, lr_group3, lr_stratum); the sim_* cases read
# the simulated cohort.
suppressPackageStartupMessages(library(survival))

out <- function(name, fit) {
  # with strata R keeps observed per group and stratum, and expected too
  obs <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
  expected <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
  df <- sum(expected > 0) - 1
  cat(sprintf("%s observed%s\n", name, paste(sprintf(" %.17g", obs), collapse = "")))
  cat(sprintf("%s expected%s\n", name, paste(sprintf(" %.17g", expected), collapse = "")))
  cat(sprintf("%s var%s\n", name, paste(sprintf(" %.17g", t(fit$var)), collapse = "")))
  cat(sprintf("%s chisq %.17g\n", name, fit$chisq))
  cat(sprintf("%s df %d\n", name, df))
  cat(sprintf("%s p %.17g\n", name, pchisq(fit$chisq, df, lower.tail = FALSE)))
}

cat(sprintf("# R %s, survival %s\n", getRversion(), packageVersion("survival")))

# 30 subjects: tied event times, censoring tied with events, two arms, three
# groups, three strata with arbitrary labels.
time <- c( 2,  3,  3,  5,  5,  5,  6,  7,  8,  8,
           9, 10, 11, 12, 12, 13, 15, 15, 16, 18,
          20, 21, 22, 24, 25, 27, 30, 30, 33, 36)
event <- c(1,  1,  0,  1,  1,  0,  1,  0,  1,  1,
           0,  1,  1,  1,  0,  1,  1,  1,  0,  1,
           0,  1,  1,  0,  1,  1,  1,  0,  1,  0)
arm <- c(0, 1, 0, 0, 1, 1, 0, 1, 0, 1,
         1, 0, 0, 1, 0, 0, 1, 0, 1, 1,
         0, 1, 0, 1, 1, 0, 1, 1, 0, 1)
group3 <- c(0, 1, 2, 0, 1, 2, 2, 1, 0, 0,
            1, 2, 0, 1, 2, 2, 1, 0, 1, 2,
            0, 1, 2, 0, 1, 2, 0, 1, 2, 1)
stratum <- c(7, -2, 7, 3, 3, 7, -2, -2, 7, 3,
             3, 7, -2, 7, 3, -2, 7, 3, -2, 7,
             3, -2, 7, 3, -2, 7, 3, -2, 7, 3)

out("two_arms", survdiff(Surv(time, event) ~ arm))
out("three_groups", survdiff(Surv(time, event) ~ group3))
out("stratified", survdiff(Surv(time, event) ~ arm + strata(stratum)))
out("three_groups_stratified", survdiff(Surv(time, event) ~ group3 + strata(stratum)))

sim <- read.table("tests/reference/cox_data_sim.txt",
                  col.names = c("time", "event", "month", "arm", "age", "sex", "site", "group3"),
                  na.strings = "nan")
out("sim_arm", survdiff(Surv(time, event) ~ arm, data = sim))
out("sim_group3_month", survdiff(Surv(month, event) ~ group3, data = sim))
out("sim_arm_site_month", survdiff(Surv(month, event) ~ arm + strata(site), data = sim))
