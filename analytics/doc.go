// Package analytics holds Bussola's pure statistics: every estimate,
// interval, series and term count a report page shows is computed here,
// from the panels and cell tables the store reads.
//
// It contains ordinary least squares with classic, heteroskedasticity-robust
// (HC1) and cluster-robust (CR1) covariance matrices and the 2x2
// difference-in-differences built on them; the Callaway & Sant'Anna
// estimator for staggered adoption with not-yet-treated comparisons, its
// event-study aggregation and pre-trend test, beside the naive two-way
// fixed-effects estimate; means, differences and shares with their
// intervals from additive moments (the lattice cells' sums); and the pilot
// figures of the impact and executive pages from person-week panels:
// staggered effects per outcome, weekly adoption and diary series, and the
// behavioural KPIs of two windows. Diary term counts live in the
// subpackage analytics/text.
//
// Everything here is computation on values handed in by the caller. The
// package reads CSV only from an io.Reader and never opens files, sockets or
// databases. It must not import database or message-broker drivers
// (clickhouse-go, kafka-go, franz-go), net/http, or any other Bussola package
// except schemas.
package analytics
