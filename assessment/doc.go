// Package assessment is Bussola's psychometrics: pure functions on response
// matrices and records that score instruments and check how well they measure.
//
// It reproduces the conventions of R's psych package (version 2.2.9) so that
// analysts get the numbers they would get in R:
//
//   - correlations and covariances are pairwise-complete (each pair of items
//     uses the rows where both were answered), computed with mask matrices and
//     BLAS products so that 100,000 respondents take milliseconds;
//   - a reversed item is min+max-x;
//   - coefficient alpha (raw and standardized), Guttman's lambda 6, the average
//     inter-item r and the item statistics (raw.r, std.r, r.drop, alpha if
//     dropped) follow psych::alpha;
//   - exploratory factor analysis is minimum residual (minres = unweighted
//     least squares) as in psych::fa, with oblimin (GPArotation's gradient
//     projection, gamma 0, no normalization) or varimax (stats::varimax,
//     Kaiser-normalized) rotation, factors signed to positive column sums and
//     sorted by the sum of squared loadings;
//   - omega total is psych::omega's 1 - sum(u2)/sum(R) for a one-factor
//     minres solution.
//
// On top of these it scores persons (mean of answered items when enough were
// answered), places them in norm groups (z, T, percentiles), names segments
// for HR, combines survey and behaviour into a Digital Readiness Index,
// finds the change-readiness barrier point, and measures change between
// waves with the reliable change index. ScoreResponses is the single entry
// point the service's scoring job calls.
//
// The package performs no I/O beyond parsing an io.Reader it is given (the
// CSV export the CLI reads) and must not import a database or broker driver,
// nor ingest, analytics, reports or internal packages. It imports schemas for
// instrument definitions, gonum for linear algebra, and the standard library.
package assessment
