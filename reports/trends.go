package reports

// TrendPoint is one period of a trend: a survey wave or a fixed bin of
// analytics.KPIWeeks weeks (Span From-To), and the figure of that period,
// of the same kind and released by the same rule as the card or cell the
// trend belongs to. A hidden point keeps its reason; the page draws a gap.
type TrendPoint struct {
	Period Span `json:"period"`
	// Label names the period for tables and axes (the wave, or the bin's
	// first and last day as YYYY-MM-DD); filled by the store.
	Label string `json:"label"`
	Cell  Cell   `json:"cell"`
}

// DimensionTrend is the selection's mean of one competence dimension in
// every survey wave of the period, oldest first; Dimension "" is the
// readiness index (0-100).
type DimensionTrend struct {
	Dimension string       `json:"dimension"`
	Points    []TrendPoint `json:"points"`
}

// ReadinessData.Trend holds one DimensionTrend per dimension and one for
// the index, each point the selection's cell in that wave's lattice.
// ReadinessData.EntityTotals holds the entity's (no unit, grade or cohort
// filter) mean per dimension in the latest wave: the reference the
// heatmap's colours and markers diverge from.
