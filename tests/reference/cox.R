# SPDX-License-Identifier: GPL-3.0-or-later
#
# cox.R — reference values for the Cox model tests of
# tests/unit/test_survival.c (mnd_cox_fit), from R's survival package
# (coxph, default control: eps 1e-9, iter.max 20).  Run from the repository
# root, after cox_data_sim.R has written tests/reference/cox_data_sim.txt:
#   Rscript tests/reference/cox.R > tests/reference/cox_reference.txt
#
# Output lines are "<case> <quantity> <values...>", read by the C test:
# n, events, iter, coef, se, var (p x p, row-major), loglik (at 0, at the
# fit), lr / wald / score statistics and their p-values, hr_lower and
# hr_upper (95 %), z and p of each coefficient.  Small data sets are
# hard-coded identically in the C test (cx_* arrays); the sim_* cases read
# the simulated cohort and drop its rows with a missing age, as R does.
suppressPackageStartupMessages(library(survival))

vec <- function(v) paste(sprintf(" %.17g", v), collapse = "")

out <- function(name, fit) {
  s <- summary(fit)
  df <- length(coef(fit))
  lr <- 2 * (fit$loglik[2] - fit$loglik[1])
  cat(sprintf("%s n %d\n%s events %d\n%s iter %d\n", name, fit$n, name, fit$nevent, name,
              fit$iter))
  cat(sprintf("%s coef%s\n", name, vec(coef(fit))))
  cat(sprintf("%s se%s\n", name, vec(sqrt(diag(fit$var)))))
  cat(sprintf("%s var%s\n", name, vec(t(fit$var))))
  cat(sprintf("%s loglik%s\n", name, vec(fit$loglik)))
  cat(sprintf("%s lr %.17g %.17g\n", name, lr, pchisq(lr, df, lower.tail = FALSE)))
  cat(sprintf("%s wald %.17g %.17g\n", name, fit$wald.test,
              pchisq(fit$wald.test, df, lower.tail = FALSE)))
  cat(sprintf("%s score %.17g %.17g\n", name, fit$score,
              pchisq(fit$score, df, lower.tail = FALSE)))
  cat(sprintf("%s hr_lower%s\n", name, vec(s$conf.int[, "lower .95"])))
  cat(sprintf("%s hr_upper%s\n", name, vec(s$conf.int[, "upper .95"])))
  cat(sprintf("%s z%s\n", name, vec(s$coefficients[, "z"])))
  cat(sprintf("%s p_coef%s\n", name, vec(s$coefficients[, "Pr(>|z|)"])))
}

cat(sprintf("# R %s, survival %s\n", getRversion(), packageVersion("survival")))

# Heavy ties: 24 subjects on 5 distinct times, two arms.
tt <- c(1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5)
te <- c(1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0)
ta <- c(1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0)
out("ties_efron", coxph(Surv(tt, te) ~ ta, ties = "efron"))
out("ties_breslow", coxph(Surv(tt, te) ~ ta, ties = "breslow"))

# 30 subjects with censoring, a binary and a continuous covariate, three
# strata with arbitrary labels (the log-rank data of logrank.R plus age).
time <- c( 2,  3,  3,  5,  5,  5,  6,  7,  8,  8,
           9, 10, 11, 12, 12, 13, 15, 15, 16, 18,
          20, 21, 22, 24, 25, 27, 30, 30, 33, 36)
event <- c(1,  1,  0,  1,  1,  0,  1,  0,  1,  1,
           0,  1,  1,  1,  0,  1,  1,  1,  0,  1,
           0,  1,  1,  0,  1,  1,  1,  0,  1,  0)
arm <- c(0, 1, 0, 0, 1, 1, 0, 1, 0, 1,
         1, 0, 0, 1, 0, 0, 1, 0, 1, 1,
         0, 1, 0, 1, 1, 0, 1, 1, 0, 1)
age <- c(71.2, 64.0, 58.5, 69.9, 55.1, 62.3, 74.8, 49.6, 66.0, 60.7,
         57.3, 68.4, 72.9, 51.8, 63.5, 70.1, 59.2, 65.7, 53.4, 61.0,
         56.6, 67.2, 73.5, 48.9, 58.8, 64.9, 52.2, 60.3, 69.0, 54.7)
stratum <- c(7, -2, 7, 3, 3, 7, -2, -2, 7, 3,
             3, 7, -2, 7, 3, -2, 7, 3, -2, 7,
             3, -2, 7, 3, -2, 7, 3, -2, 7, 3)
out("arm", coxph(Surv(time, event) ~ arm))
out("arm_age", coxph(Surv(time, event) ~ arm + age))
out("arm_age_breslow", coxph(Surv(time, event) ~ arm + age, ties = "breslow"))
out("arm_age_strata", coxph(Surv(time, event) ~ arm + age + strata(stratum)))

sim <- read.table("tests/reference/cox_data_sim.txt",
                  col.names = c("time", "event", "month", "arm", "age", "sex", "site", "group3"),
                  na.strings = "nan")
sim$g1 <- as.integer(sim$group3 == 1)
sim$g2 <- as.integer(sim$group3 == 2)
out("sim_exact", coxph(Surv(time, event) ~ arm + age + sex, data = sim))
out("sim_exact_groups_site",
    coxph(Surv(time, event) ~ arm + age + sex + g1 + g2 + strata(site), data = sim))
out("sim_month_efron", coxph(Surv(month, event) ~ arm + age + sex + strata(site), data = sim))
out("sim_month_breslow",
    coxph(Surv(month, event) ~ arm + age + sex + strata(site), data = sim, ties = "breslow"))

# Monotone likelihood: x = 1 for the five earliest of ten deaths, alone
# and with a second, ordinary covariate z.  R warns "Loglik converged
# before variable 1; coefficient may be infinite" and stops where the
# log-likelihood stopped changing (iteration 20).
sep_warning <- function(w) {
  cat(sprintf("# warning: %s\n", trimws(conditionMessage(w))))
  invokeRestart("muffleWarning")
}
sx <- c(1, 1, 1, 1, 1, 0, 0, 0, 0, 0)
sz <- c(0.3, -1, 2, 0.5, 1.1, -0.4, 0.9, 0.2, -2, 1.4)
withCallingHandlers(out("separated", coxph(Surv(1:10, rep(1, 10)) ~ sx)),
                    warning = sep_warning)
withCallingHandlers(out("separated_z", coxph(Surv(1:10, rep(1, 10)) ~ sx + sz)),
                    warning = sep_warning)
