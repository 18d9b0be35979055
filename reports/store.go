package reports

import (
	"context"
	"time"

	"github.com/bussola-pa/bussola/privacy"
)

// Store reads the aggregates behind the report pages. Every method receives
// a Query already checked against the user's entitlements: q.Tenant is one
// tenant the user may see, and q.Tenants (Executive only) lists every tenant
// the user may see with the page's role.
//
// Implementations return raw aggregates with the group size N of every
// cell; they need not (and should not be trusted to) suppress. Filters
// (unit, grade, cohort, period) restrict the population every cell is
// computed on. Unknown filter values give empty results, not errors.
type Store interface {
	Readiness(ctx context.Context, q Query) (ReadinessData, error)
	// ReadinessCells returns the readiness lattice of every survey wave of
	// the tenant in q's period, oldest first (q's unit, grade and cohort
	// are ignored: the lattice holds every selection). The pages compare
	// the last two and draw the trend over all of them.
	ReadinessCells(ctx context.Context, q Query) (ReadinessCells, error)
	// WaveCells returns the lattice of one scored wave of an instrument
	// (the same cells ReadinessCells returns for that wave), for the
	// assessment API.
	WaveCells(ctx context.Context, tenant, instrument, wave string) (ReadinessCells, error)
	// PublishingCells returns the tenant's publishing lattice of every
	// ISO week, whatever the period.
	PublishingCells(ctx context.Context, tenant string) (PublishingCells, error)
	// DiaryCells returns the tenant's diary lattice of every ISO week,
	// whatever the period, with its pilot's groups of cohorts.
	DiaryCells(ctx context.Context, tenant string) (DiaryCells, error)
	// KnownPopulation returns the tenant's people per interior cell, from
	// every stream, all time (store_known.go).
	KnownPopulation(ctx context.Context, tenant string) (KnownPopulation, error)
	Impact(ctx context.Context, q Query) (ImpactData, error)
	Executive(ctx context.Context, q Query) (ExecutiveData, error)
	Communication(ctx context.Context, q Query) (CommunicationData, error)
	// Options lists the filter values of a tenant for the filter bar.
	Options(ctx context.Context, tenant string) (FilterOptions, error)
}

// PipelineSource reports the state of the ingest pipeline. tenants limits
// dead letters to the tenants the user administers; rates and lag are
// pipeline-wide and carry no personal data.
type PipelineSource interface {
	Pipeline(ctx context.Context, tenants []string) (PipelineData, error)
}

// Population is the size of the selection a page is computed on. The
// suppression layer hides the whole page when N is below the minimum, or
// when the filters leave out between 1 and minimum-1 people of the tenant
// (EntityN-N), which could be derived by difference with the unfiltered view.
type Population struct {
	// N is the number of distinct people in the filtered selection who have
	// any record on the page's streams in the period.
	N int `json:"-"`
	// EntityN is the same count for the tenant with no unit, grade or
	// cohort filter (same period).
	EntityN int `json:"-"`
}

// FilterOptions are the values offered in the filter bar.
type FilterOptions struct {
	Units   []string `json:"units"`
	Grades  []string `json:"grades"`
	Cohorts []string `json:"cohorts"`
	// Parent maps a unit to its parent unit ("" for top level), for
	// drill-down from entity to unit. Optional.
	Parent map[string]string `json:"-"`
}

// ReadinessData feeds the digital-readiness page (HR).
type ReadinessData struct {
	Population Population `json:"-"`
	// Dimensions lists the competence dimensions in display order (DigComp
	// 2.2 areas or Syllabus areas, as ids; labels come from DimensionLabels).
	Dimensions []string `json:"dimensions"`
	// DimensionLabels maps a dimension id to its display label. Optional.
	DimensionLabels map[string]string `json:"dimension_labels,omitempty"`
	// Heatmap has one cell per org unit and dimension: Value is the mean
	// score on the instrument's scale, Lo/Hi its 95% CI, N the respondents.
	Heatmap []UnitScore `json:"heatmap"`
	// DimensionTotals has one cell per dimension over the whole selection
	// (Unit ""): the margin that complementary suppression protects.
	DimensionTotals []UnitScore `json:"dimension_totals"`
	// Distribution counts respondents per score level and dimension: Value
	// and N are both the number of people at that level.
	Distribution []LevelCount `json:"distribution"`
	// Segments counts respondents per readiness segment (from assessment's
	// clustering); Value and N are the number of people.
	Segments []CategoryCount `json:"segments"`
	// Stages counts people by the first change-readiness stage they have
	// not passed (their barrier point: awareness, desire, knowledge,
	// ability, reinforcement); Value and N are the number of people.
	Stages []CategoryCount `json:"stages"`
	// Training has one cell per unit and Syllabus area: Value is the share
	// (0..1) of the unit's respondents below the target level in that area,
	// N the unit's respondents.
	Training []UnitScore `json:"training"`
	// Waves compares the last two survey waves per dimension: Before and
	// After are mean scores (N respondents of each wave), Change is
	// After-Before with its 95% CI and N = min of the two wave sizes.
	Waves []WaveChange `json:"waves"`
	// Trend and EntityTotals: see trends.go.
	Trend        []DimensionTrend `json:"trend,omitempty"`
	EntityTotals []UnitScore      `json:"entity_totals,omitempty"`
}

// UnitScore is one (unit, dimension) cell.
type UnitScore struct {
	Unit      string `json:"unit"`
	Dimension string `json:"dimension"`
	Cell      Cell   `json:"cell"`
}

// LevelCount is the number of people at one level of one dimension.
type LevelCount struct {
	Dimension string `json:"dimension"`
	Level     string `json:"level"`
	Cell      Cell   `json:"cell"`
}

// CategoryCount is the number of people in one category.
type CategoryCount struct {
	Category string `json:"category"`
	Cell     Cell   `json:"cell"`
}

// WaveChange is the change of one dimension between two survey waves.
type WaveChange struct {
	Dimension string `json:"dimension"`
	FromWave  string `json:"from_wave"`
	ToWave    string `json:"to_wave"`
	Before    Cell   `json:"before"`
	After     Cell   `json:"after"`
	Change    Cell   `json:"change"`
}

// ImpactData feeds the pilot-impact page (project leads).
type ImpactData struct {
	Population Population `json:"-"`
	// Pilot names the pilot the page is about (its title, waves and
	// observation window): configuration, not personal data. Nil without
	// a pilot.
	Pilot *PilotInfo `json:"pilot,omitempty"`
	// Outcome names the outcome of the event study and the DiD table rows'
	// default (e.g. "weekly_active_days").
	Outcome string `json:"outcome"`
	// EventStudy has one point per week relative to the cohort start (-k..+m,
	// -1 is the reference): Value the estimate, Lo/Hi its 95% CI, N the
	// treated people observed at that relative week.
	EventStudy []EventPoint `json:"event_study"`
	// DiD has one row per outcome: Estimate.Value the ATT, Lo/Hi its 95% CI,
	// Estimate.N = min(treated, comparison) people.
	DiD []DiDRow `json:"did"`
	// Diary has one cell per week, group ("pilot"/"comparison") and rating
	// (productivity, work_life_balance, connection): Value the mean rating
	// 1-5, Lo/Hi its 95% CI, N the people who wrote that week.
	Diary []DiaryPoint `json:"diary"`
	// Adoption has one cell per week and cohort: Value the share (0..1) of
	// the cohort's people active on the intranet/cloud tools that week, N
	// the cohort's people.
	Adoption []SeriesPoint `json:"adoption"`
	// Participation has one row per cohort: Value the response rate (0..1)
	// of diaries and surveys, N the people invited.
	Participation []CategoryCount `json:"participation"`
	// Terms are the top diary terms before and after the pilot start: Value
	// the number of entries using the term, N the distinct people using it
	// (checked against the text minimum).
	Terms []TermCount `json:"terms"`
	// Groups are the DiD effects of each outcome within fixed, large
	// groups of the entity's people ("for whom", GroupEffectRow).
	Groups []GroupEffectRow `json:"groups"`
}

// PilotInfo is what the page says about the pilot itself.
type PilotInfo struct {
	Title   string            `json:"title"`
	Cohorts []PilotCohortInfo `json:"cohorts"`
	From    string            `json:"from"` // YYYY-MM-DD, first day observed
	To      string            `json:"to"`   // YYYY-MM-DD, last day observed
}

// PilotCohortInfo is one wave of the pilot and the day it started.
type PilotCohortInfo struct {
	ID    string `json:"id"`
	Start string `json:"start"` // YYYY-MM-DD
}

// EventPoint is one relative week of the event study.
type EventPoint struct {
	RelWeek int  `json:"rel_week"`
	Cell    Cell `json:"cell"`
}

// DiDRow is one row of the difference-in-differences table.
type DiDRow struct {
	Outcome  string  `json:"outcome"`
	Estimate Cell    `json:"estimate"`
	PValue   float64 `json:"p_value"`
	// NTreated and NControl are the people in each arm; they are published
	// only with the row.
	NTreated int `json:"n_treated"`
	NControl int `json:"n_control"`
}

// DiaryPoint is one week of one diary rating for one group.
type DiaryPoint struct {
	Week   string `json:"week"` // ISO week start date, YYYY-MM-DD
	Group  string `json:"group"`
	Rating string `json:"rating"`
	Cell   Cell   `json:"cell"`
}

// SeriesPoint is one week of one series.
type SeriesPoint struct {
	Week   string `json:"week"` // ISO week start date, YYYY-MM-DD
	Series string `json:"series"`
	Cell   Cell   `json:"cell"`
}

// TermCount is one diary theme in one period ("before" or "after"): Term
// its most frequent surface form, Theme its key (an Italian stem, or two
// for a phrase), Cell.Value the notes mentioning it, Cell.N the distinct
// people who wrote them, Notes all the notes of the period (so a theme
// reads per 100 notes).
type TermCount struct {
	Period string `json:"period"`
	Term   string `json:"term"`
	Theme  string `json:"theme,omitempty"`
	Notes  int    `json:"notes,omitempty"`
	Cell   Cell   `json:"cell"`
	// Per100 is the theme's count per 100 notes of its period and Change
	// (on the "after" row) its difference from the "before" row's, both
	// at the one decimal the page shows (themeRates): released like the
	// count they come from, so the page and its exports print only what
	// data.json carries.
	Per100 *float64 `json:"per_100_notes,omitempty"`
	Change *float64 `json:"change_per_100_notes,omitempty"`
}

// ExecutiveData feeds the executive summary.
type ExecutiveData struct {
	Population Population `json:"-"`
	// KPIs in display order.
	KPIs []KPI `json:"kpis"`
	// Benchmark has one cell per tenant in q.Tenants and KPI: the current
	// value of the KPI for that tenant (no unit/grade/cohort filter), N its
	// people. Empty when the user sees one tenant.
	Benchmark []BenchmarkCell `json:"benchmark"`
}

// KPI is one headline figure with its change since the previous period.
type KPI struct {
	// Key is one of readiness_index (0-100), adoption_rate (share 0..1),
	// wellbeing (diary mean 1-5), response_rate (share 0..1), or another id
	// with a label in the catalogue.
	Key string `json:"key"`
	// Unit is "share", "points" or "rating": how to format Value.
	Unit     string `json:"unit"`
	Current  Cell   `json:"current"`
	Previous Cell   `json:"previous"`
	// Change is Current-Previous with its 95% CI; N = min of the two.
	Change Cell `json:"change"`
	// Period and PreviousPeriod say what Current and Previous cover: a
	// survey wave or a span of days (zero when the store does not say).
	Period         Span `json:"period"`
	PreviousPeriod Span `json:"previous_period"`
	// Series is the KPI's trend, oldest first (trends.go).
	Series []TrendPoint `json:"series,omitempty"`
}

// Span is the period a figure covers: a survey wave, or the days From to
// To inclusive.
type Span struct {
	Wave     string    `json:"wave,omitempty"`
	From, To time.Time `json:"-"`
}

// BenchmarkCell is one KPI of one tenant.
type BenchmarkCell struct {
	Tenant string `json:"tenant"`
	KPI    string `json:"kpi"`
	Cell   Cell   `json:"cell"`
}

// CommunicationData feeds the communication page.
type CommunicationData struct {
	Population Population `json:"-"`
	// Ratings has one cell per intranet section: Value the mean page
	// feedback rating (1-5) with CI, N the people who rated.
	Ratings []CategoryCount `json:"ratings"`
	// Reasons counts the reasons chosen in page feedback: Value and N the
	// number of people choosing it.
	Reasons []CategoryCount `json:"reasons"`
	// Channels lists the communication channels of each tenant in q.Tenants
	// and whether they are active (from the communication-status
	// questionnaire). A channel is a fact about the entity, not a person.
	Channels []Channel `json:"channels"`
	// Publishing has one cell per week: Value the items published by
	// communication referents, N the distinct referents who published.
	Publishing []SeriesPoint `json:"publishing"`
}

// Channel is one communication channel of one entity.
type Channel struct {
	Tenant  string `json:"tenant"`
	Channel string `json:"channel"`
	Active  bool   `json:"active"`
}

// PipelineData feeds the pipeline-status page.
type PipelineData struct {
	// Streams are the totals of each evidence stream over all entities:
	// rows queryable in ClickHouse, and records the intake accepted and
	// refused and sent to the dead-letter topic since the process started.
	Streams []StreamTotals `json:"streams"`
	// Rates are the records ingested per second per topic over the last
	// minute, and accepted/rejected in the last hour.
	Rates []TopicRate `json:"rates"`
	// Lag is the consumer lag per group, topic and partition.
	Lag []PartitionLag `json:"lag"`
	// DeadLetters counts dead letters per tenant, source topic and reason.
	// Payloads are never included.
	DeadLetters []DeadLetterCount `json:"dead_letters"`
	// At is when the figures were taken.
	At time.Time `json:"at"`
}

// StreamTotals are the operational totals of one evidence stream.
type StreamTotals struct {
	Stream       string `json:"stream"`
	Topic        string `json:"topic"`
	Rows         uint64 `json:"rows"`
	Accepted     int64  `json:"accepted"`
	Rejected     int64  `json:"rejected"`
	DeadLettered int64  `json:"dead_lettered"`
}

// TopicRate is the ingest rate of one topic.
type TopicRate struct {
	Topic     string  `json:"topic"`
	PerSecond float64 `json:"per_second"`
	LastHour  int64   `json:"last_hour"`
}

// PartitionLag is the lag of one consumer group on one partition.
type PartitionLag struct {
	Group     string `json:"group"`
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Lag       int64  `json:"lag"`
}

// DeadLetterCount is the number of dead letters with one reason.
type DeadLetterCount struct {
	Tenant string    `json:"tenant"`
	Source string    `json:"source"`
	Reason string    `json:"reason"`
	Count  int64     `json:"count"`
	Last   time.Time `json:"last"`
}

// CellMoments are the additive sums of one figure per lattice cell,
// margins included: N the distinct people, S and SS the sum and the sum of
// squares of their values.
type CellMoments struct {
	N     []int
	S, SS []float64
}

// ReadinessCells is the readiness lattice, unit x grade x cohort, of up to
// two survey waves (the survey waves are the page's period bins), as one
// GROUP BY ... GROUPING SETS query per source fills it: every cell,
// margins down to the entity total included, indexed as each wave's
// Lattice numbers them. Nothing in it is released as it is: the privacy layer protects it
// and the page publishes only the published cells.
type ReadinessCells struct {
	// Version identifies the data the cells were read from (the source
	// tables' data version): the protection of the lattice is computed
	// once per tenant, page family and Version.
	Version string
	// Instrument is the questionnaire the waves belong to.
	Instrument      string
	Dimensions      []string
	DimensionLabels map[string]string
	// Waves are the waves in the period, oldest first, the latest last.
	Waves []WaveCells
	// CategoryLabels names the segments and barrier stages in the
	// query's language, by identifier (an identifier without a label is
	// its own label).
	CategoryLabels map[string]string
}

// WaveCells are one wave's figures per lattice cell.
type WaveCells struct {
	Wave string
	// Lattice has the dimensions unit, grade and cohort, in this order,
	// with the labels of the wave's scored people as categories: a wave's
	// lattice is the same whichever page or API reads it.
	Lattice *privacy.Lattice
	// People are the scored people.
	People []int
	// Scores holds per competence dimension the people with a score and
	// the moments of their scores.
	Scores map[string]CellMoments
	// Below holds per competence dimension the people below the training
	// target.
	Below map[string][]float64
	// Index holds the moments of the readiness index (0-100).
	Index CellMoments
	// Levels holds per competence dimension its scored people by score
	// level ("1".."5", the nearest scale point).
	Levels map[string]CategoryCells
	// Segments holds the scored people by readiness segment; Stages the
	// people who answered the change-readiness questionnaire in the wave
	// of the same name, by barrier stage ("none" past every stage). Their
	// cells are cells of Lattice too.
	Segments, Stages CategoryCells
}

// CategoryCells count the people of one family of categories (a
// dimension's score levels, the segments, the barrier stages) per category
// and lattice cell, margins included: every person in one category.
type CategoryCells struct {
	// Categories are the category identifiers, in display order.
	Categories []string
	// People holds per category (in Categories' order), per cell, the
	// people in it.
	People [][]int
}

// PublishingCells is the referents' publishing lattice, unit x grade x
// cohort, of every ISO week of a tenant (one GROUPING SETS query): per
// week and cell the referents who published and their items.
type PublishingCells struct {
	// Version identifies the data (see ReadinessCells).
	Version string
	// Lattice has the dimensions unit, grade and cohort, the same for
	// every week.
	Lattice *privacy.Lattice
	// Weeks are the Mondays (YYYY-MM-DD), ascending.
	Weeks []string
	// People and Items hold per week, per cell, the referents and items.
	People [][]int
	Items  [][]float64
}

// DiaryCells is the diary lattice, unit x grade x cohort, of every ISO week
// of a tenant: per week and cell the writers and the moments of their
// person-week mean of each rating.
type DiaryCells struct {
	Version string
	Lattice *privacy.Lattice
	// Weeks are the Mondays (YYYY-MM-DD), ascending.
	Weeks []string
	// Ratings names the ratings, in Moments' order.
	Ratings []string
	// Groups maps "pilot" and "comparison" to their cohorts (none without
	// a pilot: the page then has no diary series).
	Groups map[string][]string
	// People holds per week, per cell, the writers; Moments per week, per
	// rating, the moments per cell.
	People  [][]int
	Moments [][]CellMoments
}
