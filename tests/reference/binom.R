# SPDX-License-Identifier: GPL-3.0-or-later
#
# binom.R — reference values for mnd_proportion_ci (tests/unit/test_stats.c):
# exact Clopper–Pearson 95 % limits, R's binom.test(k, n)$conf.int.
#
# Run from the repository root:
#   Rscript tests/reference/binom.R > tests/reference/binom_reference.txt
# Output lines are "k n lower upper".  The cases cover the ends (k = 0,
# k = n, n = 1), small and large n, and proportions near 0 and 1.
cat(sprintf("# R %s\n", getRversion()))
cat("# k n lower upper\n")
cases <- rbind(c(0, 1), c(1, 1), c(0, 10), c(3, 10), c(10, 10), c(1, 2), c(7, 23),
               c(57, 200), c(100, 200), c(1, 1000), c(999, 1000), c(12, 10000),
               c(5000, 10000), c(0, 50000), c(49999, 50000), c(1234, 3000))
for (i in seq_len(nrow(cases))) {
  k <- cases[i, 1]
  n <- cases[i, 2]
  ci <- binom.test(k, n)$conf.int
  cat(sprintf("%d %d %.17g %.17g\n", k, n, ci[1], ci[2]))
}
