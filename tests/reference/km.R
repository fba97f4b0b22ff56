# SPDX-License-Identifier: GPL-3.0-or-later
#
# km.R — reference values for the Kaplan–Meier tests of tests/unit/test_stats.c
# (mnd_km_fit, mnd_km_survival_at, mnd_km_median, mnd_km_median_ci), from
# R's survival package: survfit with its defaults (conf.type = "log",
# conf.int = 0.95) and the median with its limits as print(survfit) gives
# them (summary(fit)$table).
#
# Run from the repository root, after cox_data_sim.R has written
# tests/reference/cox_data_sim.txt:
#   Rscript tests/reference/km.R > tests/reference/km_reference.txt
# The first data set is hard-coded identically in test_stats.c (km_time,
# km_event).  It has tied event times, censoring tied with an event time
# (R counts those subjects at risk at that time), a censored last
# observation, and a curve that does not sit exactly on 0.5.  Further
# cases (second part of the file) cover a curve that stays above 0.5, one
# that sits on 0.5 and ends at 0 (R averages two times for the median; its
# limits are NA at S = 0), and the simulated cohort of cox_data_sim.txt
# with exact and whole-month times.
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

# ---------------------------------------------------------------------------
# Keyed lines "<case> <quantity> <values...>" read by test_stats.c: at the
# event times only (R also lists censoring times, where nothing changes)
# time, n_risk, n_event, surv, std_err (R's $std.err, the SE of -log S),
# lower, upper; then "median" = median, 0.95LCL, 0.95UCL.  NA is written
# "nan" and Inf "inf" so that C's strtod reads them.
num <- function(v) {
  s <- sprintf("%.17g", v)
  s[is.na(v)] <- "nan"
  s[!is.na(v) & is.infinite(v)] <- "inf"
  paste0(" ", s, collapse = "")
}
keyed <- function(name, fit) {
  ev <- fit$n.event > 0
  for (q in c("time", "n.risk", "n.event", "surv", "std.err", "lower", "upper"))
    cat(sprintf("%s %s%s\n", name, sub(".", "_", q, fixed = TRUE), num(fit[[q]][ev])))
  tab <- summary(fit)$table
  cat(sprintf("%s median%s\n", name, num(unname(tab[c("median", "0.95LCL", "0.95UCL")]))))
}
keyed("one", fit)
keyed("second", fit2)
keyed("all_events", survfit(Surv(c(4, 1, 3, 2), rep(1, 4)) ~ 1))

sim <- read.table("tests/reference/cox_data_sim.txt",
                  col.names = c("time", "event", "month", "arm", "age", "sex", "site", "group3"),
                  na.strings = "nan")
keyed("sim_exact", survfit(Surv(time, event) ~ 1, data = sim))
keyed("sim_exact_arm1", survfit(Surv(time, event) ~ 1, data = sim, subset = arm == 1))
keyed("sim_month_arm0", survfit(Surv(month, event) ~ 1, data = sim, subset = arm == 0))
keyed("sim_month_arm1", survfit(Surv(month, event) ~ 1, data = sim, subset = arm == 1))
