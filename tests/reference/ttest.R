# SPDX-License-Identifier: GPL-3.0-or-later
#
# ttest.R — reference values for the t-test tests of tests/unit/test_stats.c
# (mnd_mean_difference: Welch's two-sample test; mnd_mean_test: one
# sample), from R's t.test with its defaults (var.equal = FALSE,
# conf.level = 0.95).
#
# Run from the repository root:
#   Rscript tests/reference/ttest.R > tests/reference/ttest_reference.txt
# The data are hard-coded identically in test_stats.c (tt_a, tt_b, ...;
# NaN there is NA here; R drops both).  Output lines are
# "<case> <quantity> <value>", read by the C test.  Cases: two samples of
# unequal sizes and variances with missing values (ALSFRS-R slopes in
# points/month); a difference whose lower limit lies near 0 (R computes
# the limits as (t -+ q) se, which the C code copies); the smallest
# samples (2 and 2, df near 1); one group constant; a large t with a tiny
# p; one-sample tests against mu = 0 and mu = -1.
cat(sprintf("# R %s\n", getRversion()))

a <- c(-1.12, -0.87, -1.45, NA, -0.66, -1.02, -1.31, -0.95, -0.58, -1.77,
       -1.08, -0.92, -1.24, NA, -0.81, -1.49, -0.73, -1.15, -0.99, -1.36,
       -0.61, -1.21)
b <- c(-0.84, -0.52, -1.10, -0.47, -0.95, NA, -0.71, -0.38, -0.89, -0.66,
       -1.02, -0.29, -0.77, -0.58)
# b2 chosen so that the lower limit of mean(a2) - mean(b2) lies near 0
a2 <- c(1.31, 2.05, 0.42, 1.77, 0.96, 1.58, 0.12, 2.40, 1.03, 0.69)
b2 <- c(0.6713, 1.1313, 0.0993, 0.8913, 0.4613, 0.9813, 0.3513)
small1 <- c(3.1, 4.7)
small2 <- c(1.2, 1.9)
const <- c(2, 2, 2, 2, 2)
varied <- c(1.5, 2.5, 1.9, 2.2, 1.4, 2.8)
far1 <- c(10.01, 10.02, 9.99, 10.00, 10.03, 9.98, 10.01, 10.02)
far2 <- c(5.00, 5.02, 4.99, 5.01, 4.98, 5.03, 5.00)

two <- function(name, x, y) {
  r <- t.test(x, y)
  v <- c(n1 = sum(!is.na(x)), n2 = sum(!is.na(y)), mean1 = unname(r$estimate[1]),
         mean2 = unname(r$estimate[2]), diff = unname(r$estimate[1] - r$estimate[2]),
         se = r$stderr, df = unname(r$parameter), t = unname(r$statistic),
         p = r$p.value, lower = r$conf.int[1], upper = r$conf.int[2])
  cat(sprintf("%s %s %.17g\n", name, names(v), v), sep = "")
}
one <- function(name, x, mu) {
  r <- t.test(x, mu = mu)
  v <- c(n = sum(!is.na(x)), mean = unname(r$estimate), sd = sd(x, na.rm = TRUE),
         se = r$stderr, df = unname(r$parameter), t = unname(r$statistic),
         p = r$p.value, lower = r$conf.int[1], upper = r$conf.int[2])
  cat(sprintf("%s %s %.17g\n", name, names(v), v), sep = "")
}

two("welch", a, b)
two("welch_swapped", b, a)
two("near_zero", a2, b2)
two("smallest", small1, small2)
two("one_constant", const, varied)
two("large_t", far1, far2)
one("one_a", a, 0)
one("one_b_mu", b, -1)
one("one_small", small1, 4)
one("one_large_t", far1, 0)
