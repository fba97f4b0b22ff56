# SPDX-License-Identifier: GPL-3.0-or-later
#
# weibull.R — reference values for the Weibull maximum-likelihood tests of
# tests/unit/test_stats.c (mnd_weibull_fit), from R's survival package.
#
# Run from the repository root:
#   Rscript tests/reference/weibull.R > tests/reference/weibull_reference.txt
# survreg fits log T = mu + sigma W (W extreme-value), so the Weibull shape
# is 1 / sigma (fit$scale) and the scale is exp(mu) (the intercept).  The
# convergence tolerance is tightened so that the values are good to far
# better than the 1e-6 the test asks.  The data are hard-coded identically
# in test_stats.c (wb_time, wb_event).
suppressPackageStartupMessages(library(survival))

time <- c( 3.2,  5.1,  6.0,  7.4,  8.8,  9.5, 10.0, 11.3, 12.1, 12.9,
          13.7, 14.2, 15.0, 15.0, 16.6, 17.9, 18.4, 20.0, 21.7, 23.5,
          24.0, 26.3, 28.8, 30.0, 30.0)
event <- c(1, 1, 0, 1, 1, 1, 0, 1, 1, 0,
           1, 1, 1, 0, 1, 1, 0, 1, 1, 1,
           0, 1, 1, 0, 0)

fit <- survreg(Surv(time, event) ~ 1, dist = "weibull",
               control = survreg.control(rel.tolerance = 1e-13, iter.max = 200))
cat(sprintf("# R %s, survival %s; n = %d, events = %d; loglik %.17g; iterations %d\n",
            getRversion(), packageVersion("survival"), length(time), sum(event),
            fit$loglik[2], fit$iter))
cat(sprintf("shape %.17g\n", 1 / fit$scale))
cat(sprintf("scale %.17g\n", exp(unname(coef(fit)[1]))))
