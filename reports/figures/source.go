package figures

import (
	"context"
	"time"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/schemas"
)

// Source reads the raw material of the pages. Like reports.Store, every
// method receives a Query already checked against the user's entitlements,
// and filters restrict the population every figure is read on.
type Source interface {
	ReadinessCells(ctx context.Context, q reports.Query) (reports.ReadinessCells, error)
	WaveCells(ctx context.Context, tenant, instrument, wave string) (reports.ReadinessCells, error)
	PublishingCells(ctx context.Context, tenant string) (reports.PublishingCells, error)
	DiaryCells(ctx context.Context, tenant string) (reports.DiaryCells, error)
	KnownPopulation(ctx context.Context, tenant string) (reports.KnownPopulation, error)
	Options(ctx context.Context, tenant string) (reports.FilterOptions, error)

	ReadinessSums(ctx context.Context, q reports.Query) (ReadinessSums, error)
	ImpactPanels(ctx context.Context, q reports.Query) (ImpactPanels, error)
	KPIPanels(ctx context.Context, q reports.Query) (KPIPanels, error)
	CommunicationSums(ctx context.Context, q reports.Query) (CommunicationSums, error)

	// Memo returns the value fn computes for key on the current data:
	// computed once per key and data version (concurrent callers wait for
	// one computation), or every time when the source caches nothing. fn
	// reads with the context it is given, so that it can be run again
	// later (the Refresher recomputes it for each new data version).
	Memo(ctx context.Context, key string, fn func(ctx context.Context) (any, error)) (any, error)
}

// ReadinessSums are the readiness page's raw figures: the latest wave in
// the period and the one before, the moments of each dimension's scores
// per unit and wave, and the entity counts.
type ReadinessSums struct {
	// Counts has Population, Dimensions, DimensionLabels and the counts
	// (Distribution, Segments, Stages) filled.
	Counts       reports.ReadinessData
	Latest, Prev string
	// Units are the units with a score in the latest wave, sorted.
	Units  []string
	Scores []ScoreSums
}

// ScoreSums are the scores of one dimension in one wave and unit ("" for
// the whole selection): their moments and the people below the training
// target.
type ScoreSums struct {
	Wave, Unit, Dimension string
	Moments               analytics.Moments
	Below                 int
}

// ImpactPanels are the impact page's raw material.
type ImpactPanels struct {
	Population reports.Population
	// Pilot is the tenant's pilot; without one, the page has only the
	// adoption series and nothing else is read.
	Pilot    *schemas.Pilot
	Intranet analytics.IntranetPanel
	Diary    analytics.DiaryPanel
	// Texts are the diary texts of the weeks with at least the text
	// minimum of writers, ordered by writer.
	Texts []DiaryText
	// Answered counts per cohort the people who answered a personal
	// questionnaire.
	Answered map[string]int
	// Grades are the grade of each of the entity's people (their latest
	// in the period), read only for an unfiltered selection: the effects
	// by group are published for the whole entity only.
	Grades map[uint64]string
}

// DiaryText is one diary entry's text with its writer.
type DiaryText struct {
	Person uint64
	Cohort string
	Date   time.Time
	Text   string
}

// KPIPanels are the raw material of one selection's executive KPIs.
type KPIPanels struct {
	// Population is the selection's people with intranet or diary records;
	// Known those with intranet records.
	Population reports.Population
	Known      int
	// LastWeek is the tenant's last week with intranet use in the period
	// (zero when none); the panels hold the analytics.KPIWeeks weeks
	// ending with it and the windows of KPIWeeks before, back to the start
	// of the period (analytics.KPITrendBins windows at most).
	LastWeek time.Time
	// Bins is how many windows the panels hold (0: KPITrendBins); a
	// filtered selection's panels hold only the cards' two.
	Bins     int
	Intranet analytics.IntranetPanel
	Diary    analytics.DiaryPanel
	// Latest and Prev are the last two questionnaire waves ("" when
	// missing); Index the moments of the readiness index and Respondents
	// the scored people of each, in this order.
	Latest, Prev string
	Index        [2]analytics.Moments
	Respondents  [2]int
	// Waves are the questionnaire waves in the period, oldest first, and
	// WaveRespondents the selection's scored people in each.
	Waves           []string
	WaveRespondents []int
}

// CommunicationSums are the communication page's raw figures.
type CommunicationSums struct {
	// Counts has Population, Reasons, Channels and Publishing filled.
	Counts  reports.CommunicationData
	Ratings []SectionSums
}

// SectionSums are the page-feedback ratings of one intranet section: their
// moments and the distinct people who rated.
type SectionSums struct {
	Section string
	Moments analytics.Moments
	People  int
}
