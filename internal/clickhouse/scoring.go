package clickhouse

import (
	"context"
	"fmt"
	"time"

	chgo "github.com/ClickHouse/clickhouse-go/v2"

	"github.com/bussola-pa/bussola/assessment"
	"github.com/bussola-pa/bussola/schemas"
	"github.com/bussola-pa/bussola/scoring"
)

// The store is the scoring job's Store, with scoring's value types.
var _ scoring.Store = (*Store)(nil)

// waveArgs are the query parameters naming the wave k.
func waveArgs(k scoring.WaveKey) []any {
	return []any{chgo.Named("tenant", k.Tenant), chgo.Named("instrument", k.Instrument),
		chgo.Named("version", uint16(k.Version)), chgo.Named("wave", k.Wave)}
}

// WaveAnswers reads the numeric answers of a wave: each person's latest
// response (by submission time), each answer once even when the response
// was stored twice.
func (s *Store) WaveAnswers(ctx context.Context, k scoring.WaveKey) (*scoring.WaveAnswers, error) {
	op := "read answers of " + k.String()
	rows, err := s.conn.Query(ctx, s.queryText("Scoring.answers"), waveArgs(k)...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	out := &scoring.WaveAnswers{Attrs: map[uint64]scoring.PersonAttrs{}}
	for rows.Next() {
		var (
			person              uint64
			unit, grade, cohort string
			at                  time.Time
			items               []string
			values              []float64
		)
		if err := rows.Scan(&person, &unit, &grade, &cohort, &at, &items, &values); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		ans := make(map[string]float64, len(items))
		for i, it := range items {
			ans[it] = values[i]
		}
		out.Responses = append(out.Responses, assessment.Response{Tenant: k.Tenant, Person: person, OrgUnit: unit, Wave: k.Wave, Answers: ans})
		out.Attrs[person] = scoring.PersonAttrs{Grade: grade, Cohort: cohort}
		if at.After(out.LastSubmitted) {
			out.LastSubmitted = at
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// WaveBehaviour reads each person's adoption over the weeks seven-day
// blocks ending on the day of end (inclusive), from intranet_daily:
// IntranetAdoption is the share of blocks with any intranet use (every
// kind but cloud_tool), CloudAdoption the share with cloud-tool use.
// Persons without events in the period are absent from the map.
func (s *Store) WaveBehaviour(ctx context.Context, tenant string, end time.Time, weeks int) (map[assessment.PersonKey]assessment.Behaviour, error) {
	op := fmt.Sprintf("read behaviour of %s in the %d weeks to %s", tenant, weeks, end.Format(time.DateOnly))
	if weeks < 1 {
		return nil, schemas.Errorf(schemas.EINVALID, "%s: weeks must be at least 1", op)
	}
	rows, err := s.conn.Query(ctx, s.queryText("Scoring.behaviour"),
		chgo.Named("tenant", tenant), chgo.Named("end", end.UTC().Format(time.DateOnly)),
		chgo.Named("weeks", weeks), chgo.Named("days", 7*weeks))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	out := map[assessment.PersonKey]assessment.Behaviour{}
	for rows.Next() {
		var person uint64
		var b assessment.Behaviour
		if err := rows.Scan(&person, &b.IntranetAdoption, &b.CloudAdoption); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out[assessment.PersonKey{Tenant: tenant, Person: person}] = b
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// StaleWaves lists the waves of the given instruments that were never
// scored, whose number of respondents changed, or whose inputs may have
// arrived after their last complete scoring: numeric answers, or intranet
// events of the weeks before the wave's last submission.
func (s *Store) StaleWaves(ctx context.Context, q scoring.StaleQuery) ([]scoring.StaleWave, error) {
	rows, err := s.conn.Query(ctx, s.queryText("Scoring.stale"), chgo.Named("instruments", q.Instruments),
		chgo.Named("days", 7*q.Weeks), chgo.Named("settle_ms", q.Settle.Milliseconds()))
	if err != nil {
		return nil, fmt.Errorf("list waves to score: %w", err)
	}
	defer rows.Close()
	var out []scoring.StaleWave
	for rows.Next() {
		var w scoring.StaleWave
		var v uint16
		if err := rows.Scan(&w.Tenant, &w.Instrument, &v, &w.Wave, &w.LastIngested); err != nil {
			return nil, fmt.Errorf("list waves to score: %w", err)
		}
		w.Version = int(v)
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list waves to score: %w", err)
	}
	return out, nil
}

// Now is ClickHouse's clock (ingested_at is set by it), so that a scoring
// time compares with ingestion times without clock skew.
func (s *Store) Now(ctx context.Context) (time.Time, error) {
	var t time.Time
	if err := s.conn.QueryRow(ctx, "SELECT now64(3)").Scan(&t); err != nil {
		return time.Time{}, fmt.Errorf("read clickhouse clock: %w", err)
	}
	return t, nil
}
