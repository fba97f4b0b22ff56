# SPDX-License-Identifier: GPL-3.0-or-later
#
# cox_data_sim.R — a simulated trial cohort for the log-rank and Cox tests
# of tests/unit/test_survival.c.  Writes the data set (not reference
# values) to stdout; run from the repository root:
#   Rscript tests/reference/cox_data_sim.R > tests/reference/cox_data_sim.txt
# then regenerate the reference values that read it (logrank.R, cox.R).
#
# 400 patients: riluzole arm (0/1), age at baseline (years), sex (1 male),
# onset site (0 limb, 1 bulbar; used as a stratum), a three-level group.
# Death times are Weibull (shape 1.3) with a proportional-hazards effect of
# every covariate and a longer baseline survival for limb onset; censoring
# is uniform administrative follow-up of 12–48 months.  `time` is exact
# (printed with 17 significant digits so that C reads the same doubles);
# `month` is the same time rounded up to whole months, which ties heavily.
# Five ages are missing ("nan"), as in real registries.
set.seed(20261122)
n <- 400
arm <- rep(0:1, length.out = n)
age <- round(rnorm(n, 62, 10), 1)
sex <- rbinom(n, 1, 0.6)
site <- rbinom(n, 1, 0.3)
group3 <- sample(0:2, n, replace = TRUE)
lp <- -0.30 * arm + 0.03 * (age - 62) + 0.20 * sex + 0.25 * (group3 == 2)
scale_months <- ifelse(site == 1, 24, 36)
death <- scale_months * (rexp(n) / exp(lp))^(1 / 1.3)
follow <- runif(n, 12, 48)
time <- pmin(death, follow)
event <- as.integer(death <= follow)
month <- ceiling(time)
age[c(17, 88, 150, 233, 391)] <- NaN
cat("# time event month arm age sex site group3\n")
cat(sprintf("%.17g %d %d %d %s %d %d %d\n", time, event, as.integer(month), arm,
            ifelse(is.nan(age), "nan", sprintf("%.1f", age)), sex, site, group3), sep = "")
