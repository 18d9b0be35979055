package scoring

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/bussola-pa/bussola/assessment"
	store "github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/schemas"
)

// Store is what the job and the API need from ClickHouse.
type Store interface {
	// Now is the database clock, the time ingested_at is measured on.
	Now(ctx context.Context) (time.Time, error)
	StaleWaves(ctx context.Context, q store.StaleQuery) ([]store.StaleWave, error)
	WaveAnswers(ctx context.Context, k store.WaveKey) (*store.WaveAnswers, error)
	WaveBehaviour(ctx context.Context, tenant string, end time.Time, weeks int) (map[assessment.PersonKey]assessment.Behaviour, error)
	WriteScores(ctx context.Context, k store.WaveKey, res *assessment.WaveResult, attrs map[uint64]store.PersonAttrs, scoredAt time.Time) error
	WaveGroups(ctx context.Context, k store.WaveKey, by string) (*store.WaveGroups, error)
}

var _ Store = (*store.Store)(nil)

// Config tunes the job; Instruments is required.
type Config struct {
	// Instruments are the known definitions; those of kind likert or
	// stages are scored, the others are refused.
	Instruments []schemas.Instrument
	// Interval between two looks for stale waves in Run. Default 30s.
	Interval time.Duration
	// Weeks of behaviour before a wave's last submission that feed the
	// index. Default 8.
	Weeks int
	// Settle is how long an insert may take to show its rows: answers or
	// events stamped less than Settle before a scoring make the job score
	// the wave once more. Default 10s.
	Settle time.Duration
	// Options of the scoring (norm group, segmentation, index weights);
	// Behaviour is filled by the job.
	Options assessment.ScoreOptions
	Logger  *slog.Logger
}

// Job scores waves. Its methods are safe for concurrent use; scorings run
// one at a time.
type Job struct {
	cfg   Config
	st    Store
	insts map[string]schemas.Instrument // by id@version
	ids   []string                      // scorable instrument ids

	mu     sync.Mutex // serializes scorings and guards the maps below
	rel    map[store.WaveKey]reliability
	failed map[store.WaveKey]time.Time // last ingested time of a failed scoring
}

// reliability of a wave as of one scoring.
type reliability struct {
	at    time.Time
	dims  []assessment.Reliability
	notes []string
}

// Outcome says what one scoring did.
type Outcome struct {
	store.WaveKey
	Persons     int           `json:"persons"`
	Dimensions  int           `json:"dimensions"`
	WithUsage   int           `json:"persons_with_usage"` // persons whose index includes behaviour
	ScoredAt    time.Time     `json:"scored_at"`
	Took        time.Duration `json:"-"`
	TookSeconds float64       `json:"took_seconds"`
	// The phases of Took: reading answers and behaviour, scoring, writing.
	ReadSeconds  float64  `json:"read_seconds"`
	ScoreSeconds float64  `json:"score_seconds"`
	WriteSeconds float64  `json:"write_seconds"`
	Notes        []string `json:"notes,omitempty"`
}

// New returns a job over st.
func New(st Store, cfg Config) (*Job, error) {
	if cfg.Interval <= 0 {
		cfg.Interval = 30 * time.Second
	}
	if cfg.Weeks <= 0 {
		cfg.Weeks = 8
	}
	if cfg.Settle <= 0 {
		cfg.Settle = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	j := &Job{cfg: cfg, st: st, insts: map[string]schemas.Instrument{},
		rel: map[store.WaveKey]reliability{}, failed: map[store.WaveKey]time.Time{}}
	seen := map[string]bool{}
	for _, in := range cfg.Instruments {
		if in.Kind != schemas.KindLikert && in.Kind != schemas.KindStages {
			continue
		}
		j.insts[in.Key()] = in
		if !seen[in.ID] {
			seen[in.ID] = true
			j.ids = append(j.ids, in.ID)
		}
	}
	if len(j.ids) == 0 {
		return nil, fmt.Errorf("scoring job: no instrument of kind likert or stages among the %d given", len(cfg.Instruments))
	}
	sort.Strings(j.ids)
	return j, nil
}

// Instrument returns the scorable definition of id@version.
func (j *Job) Instrument(id string, version int) (schemas.Instrument, error) {
	in, ok := j.insts[fmt.Sprintf("%s@%d", id, version)]
	if !ok {
		return in, schemas.Errorf(schemas.ENOTFOUND, "instrument_id: %s version %d is not a scored instrument (scored: %v, kinds likert and stages)", id, version, j.ids)
	}
	return in, nil
}

// Run looks for stale waves at once and then every Interval, and scores
// them, until ctx ends. Failures are logged; a wave that failed is retried
// only when new answers arrive.
func (j *Job) Run(ctx context.Context) error {
	t := time.NewTicker(j.cfg.Interval)
	defer t.Stop()
	for {
		if _, err := j.ScoreStale(ctx); err != nil && ctx.Err() == nil {
			j.cfg.Logger.Warn("scoring: cannot list stale waves", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// ScoreStale scores every wave whose answers or behaviour are newer than
// its last scoring, skipping those whose last attempt failed on the same answers.
// It returns what it scored; a wave's failure is logged, not returned.
func (j *Job) ScoreStale(ctx context.Context) ([]Outcome, error) {
	stale, err := j.st.StaleWaves(ctx, store.StaleQuery{Instruments: j.ids, Weeks: j.cfg.Weeks, Settle: j.cfg.Settle})
	if err != nil {
		return nil, err
	}
	var out []Outcome
	for _, w := range stale {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		j.mu.Lock()
		last, failed := j.failed[w.WaveKey]
		j.mu.Unlock()
		if failed && !w.LastIngested.After(last) {
			continue
		}
		o, err := j.ScoreNow(ctx, w.WaveKey)
		if err != nil {
			j.mu.Lock()
			j.failed[w.WaveKey] = w.LastIngested
			j.mu.Unlock()
			j.cfg.Logger.Warn("scoring failed; retried when new answers arrive", "wave", w.WaveKey.String(), "err", err)
			continue
		}
		out = append(out, *o)
	}
	return out, nil
}

// ScoreNow scores one wave now: reads its answers and the behaviour of the
// weeks before it, scores, and writes the results.
func (j *Job) ScoreNow(ctx context.Context, k store.WaveKey) (*Outcome, error) {
	if err := k.Check(); err != nil {
		return nil, err
	}
	in, err := j.Instrument(k.Instrument, k.Version)
	if err != nil {
		return nil, err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	start := time.Now()
	// The scoring time comes from the database clock before the read, so
	// answers landing during the scoring make the wave stale again.
	at, err := j.st.Now(ctx)
	if err != nil {
		return nil, err
	}
	wa, err := j.st.WaveAnswers(ctx, k)
	if err != nil {
		return nil, err
	}
	if len(wa.Responses) == 0 {
		return nil, schemas.Errorf(schemas.ENOTFOUND, "wave: %s has no numeric answers", k)
	}
	beh, err := j.st.WaveBehaviour(ctx, k.Tenant, wa.LastSubmitted, j.cfg.Weeks)
	if err != nil {
		return nil, err
	}
	withUsage := fillBehaviour(beh, wa.Responses)
	read := time.Now()
	opt := j.cfg.Options
	opt.Behaviour = beh
	res, err := assessment.ScoreResponses(in, wa.Responses, opt)
	if err != nil {
		return nil, schemas.Errorf(schemas.EINVALID, "score %s: %v", k, err)
	}
	scored := time.Now()
	if err := j.st.WriteScores(ctx, k, res, wa.Attrs, at); err != nil {
		return nil, err
	}
	j.rel[k] = reliability{at: at, dims: res.Reliability, notes: res.Notes}
	delete(j.failed, k)
	took := time.Since(start)
	o := &Outcome{WaveKey: k, Persons: len(res.Persons), Dimensions: len(res.Dimensions), WithUsage: withUsage,
		ScoredAt: at, Took: took, TookSeconds: took.Seconds(), Notes: res.Notes,
		ReadSeconds: read.Sub(start).Seconds(), ScoreSeconds: scored.Sub(read).Seconds(), WriteSeconds: time.Since(scored).Seconds()}
	j.cfg.Logger.Info("scored wave", "wave", k.String(), "persons", o.Persons, "dimensions", o.Dimensions,
		"with_usage", withUsage, "took", took.Round(time.Millisecond), "read", read.Sub(start).Round(time.Millisecond),
		"score", scored.Sub(read).Round(time.Millisecond), "write", time.Since(scored).Round(time.Millisecond))
	return o, nil
}

// fillBehaviour gives respondents without usage events zero adoption when
// the tenant has events in the period (they did not use the tools), and
// leaves the map empty when it has none (the intranet is not connected:
// the index then rests on the survey alone). It returns how many
// respondents carry behaviour.
func fillBehaviour(beh map[assessment.PersonKey]assessment.Behaviour, resp []assessment.Response) int {
	if len(beh) == 0 {
		return 0
	}
	for _, r := range resp {
		k := assessment.PersonKey{Tenant: r.Tenant, Person: r.Person}
		if _, ok := beh[k]; !ok {
			beh[k] = assessment.Behaviour{}
		}
	}
	return len(resp)
}

// Reliability returns the reliability of every dimension of a wave as of
// the scoring at scoredAt: from the job's memory when it made that
// scoring, otherwise (after a restart, or a scoring by another instance)
// by scoring the answers as they are now without writing anything.
// Reliability depends on the answers only, so both agree unless answers
// arrived since, and then the job re-scores the wave within an interval.
func (j *Job) Reliability(ctx context.Context, k store.WaveKey, scoredAt time.Time) ([]assessment.Reliability, []string, error) {
	j.mu.Lock()
	r, ok := j.rel[k]
	j.mu.Unlock()
	if ok && r.at.Equal(scoredAt) {
		return r.dims, r.notes, nil
	}
	in, err := j.Instrument(k.Instrument, k.Version)
	if err != nil {
		return nil, nil, err
	}
	wa, err := j.st.WaveAnswers(ctx, k)
	if err != nil {
		return nil, nil, err
	}
	if len(wa.Responses) == 0 {
		return nil, nil, nil
	}
	res, err := assessment.ScoreResponses(in, wa.Responses, assessment.ScoreOptions{})
	if err != nil {
		return nil, nil, schemas.Errorf(schemas.EINVALID, "score %s: %v", k, err)
	}
	j.mu.Lock()
	if cur, ok := j.rel[k]; !ok || !cur.at.After(scoredAt) {
		j.rel[k] = reliability{at: scoredAt, dims: res.Reliability, notes: res.Notes}
	}
	j.mu.Unlock()
	return res.Reliability, res.Notes, nil
}
