// Package analytics holds Bussola's pure impact statistics: the estimators an
// evaluator uses to answer "did the pilot work, for whom, and how sure are we?".
//
// It contains ordinary least squares with classic, heteroskedasticity-robust
// (HC1) and cluster-robust (CR1) covariance matrices; the 2x2
// difference-in-differences and intention-to-treat comparisons built on them;
// the Callaway & Sant'Anna estimator for staggered adoption with
// not-yet-treated comparisons, its event-study aggregation and pre-trend test,
// beside the naive two-way fixed-effects estimate; effect sizes, cluster
// bootstrap intervals, power and sample-size planning; weekly trends and
// adoption curves. Diary text aggregates live in the subpackage
// analytics/text.
//
// Everything here is computation on values handed in by the caller. The
// package reads CSV only from an io.Reader and never opens files, sockets or
// databases. It must not import database or message-broker drivers
// (clickhouse-go, kafka-go, franz-go), net/http, or any other Bussola package
// except schemas.
package analytics
