# SPDX-License-Identifier: GPL-3.0-or-later
#
# km.R — reference values for the Kaplan–Meier tests of tests/unit/test_stats.c
# (mnd_km_fit, mnd_km_survival_at, mnd_km_median), from R's survival package.
#
# Run from the repository root:
#   Rscript tests/reference/km.R > tests/reference/km_reference.txt
# The data below are hard-coded identically in test_stats.c (km_time,
# km_event).  They have tied event times, censoring tied with an event time
# (R counts those subjects at risk at that time), a censored last
# observation, and a curve that does not sit exactly on 0.5 (where R would
# average two times for the median and mnd_km_median does not).
suppressPackageStartupMessages(library(survival))

time <- c( 2,  3,  3,  5,  5,  5,  6,  7,  8,  8,
           9, 10, 11, 12, 12, 13, 15, 15, 16, 18,
          20, 21, 22, 24, 25, 27, 30, 30, 33, 36)
event <- c(1,  1,  0,  1,  1,  0,  1,  0,  1,  1,
           0,  1,  1,  1,  0,  1,  1,  1,  0,  1,
           0,  1,  1,  0,  1,  1,  1,  0,  1,  0)

fit <- survfit(Surv(time, event) ~ 1)
ev <- fit$n.event > 0
cat(sprintf("# R %s, survival %s\n", getRversion(), packageVersion("survival")))
cat(sprintf("# n = %d, events = %d\n", length(time), sum(event)))
cat("# time n.risk n.event surv (event times only)\n")
cat(sprintf("%.17g %d %d %.17g\n", fit$time[ev], fit$n.risk[ev], fit$n.event[ev],
            fit$surv[ev]), sep = "")
med <- unname(summary(fit)$table["median"])
cat(sprintf("median %.17g\n", med))
probe <- c(0, 1.5, 2, 4.99, 5, 12, 29.5, 30, 36, 100)
s <- summary(fit, times = probe, extend = TRUE)$surv
cat(sprintf("survival_at %.17g %.17g\n", probe, s), sep = "")

# A curve that stays above 0.5: R's median is NA, mnd_km_median's NaN.
time2 <- c(1, 2, 2, 3, 4, 5, 6, 7)
event2 <- c(1, 1, 0, 0, 1, 0, 0, 0)
fit2 <- survfit(Surv(time2, event2) ~ 1)
ev2 <- fit2$n.event > 0
cat("# second data set: time n.risk n.event surv (event times only)\n")
cat(sprintf("second %.17g %d %d %.17g\n", fit2$time[ev2], fit2$n.risk[ev2], fit2$n.event[ev2],
            fit2$surv[ev2]), sep = "")
cat(sprintf("second_median %s\n", format(unname(summary(fit2)$table["median"]))))
