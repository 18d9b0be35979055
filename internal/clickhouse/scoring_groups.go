package clickhouse

import (
	"context"
	"fmt"
	"time"

	"github.com/bussola-pa/bussola/schemas"
	"github.com/bussola-pa/bussola/scoring"
)

// Columns a wave's scores can be grouped by.
var groupColumns = map[string]bool{"org_unit": true, "grade": true, "cohort": true}

// WaveGroups aggregates the latest scoring of a wave in SQL by org_unit,
// grade or cohort. Nothing per person leaves the database.
func (s *Store) WaveGroups(ctx context.Context, k scoring.WaveKey, by string) (*scoring.WaveGroups, error) {
	if err := k.Check(); err != nil {
		return nil, err
	}
	if !groupColumns[by] {
		return nil, schemas.Errorf(schemas.EINVALID, "by: must be org_unit, grade or cohort, got %q", by)
	}
	op := fmt.Sprintf("aggregate scores of %s by %s", k, by)
	out := &scoring.WaveGroups{}
	var last time.Time
	if err := s.conn.QueryRow(ctx, "SELECT max(scored_at) FROM "+s.table("readiness_persons")+
		" WHERE tenant = @tenant AND instrument_id = @instrument AND instrument_version = @version AND wave = @wave",
		waveArgs(k)...).Scan(&last); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if last.UnixMilli() > 0 {
		out.ScoredAt = last
	}
	rows, err := s.conn.Query(ctx, s.queryText("Scoring.groupscores", "{by}", by), waveArgs(k)...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	for rows.Next() {
		var g scoring.GroupScore
		var n uint64
		if err := rows.Scan(&g.Group, &g.Dimension, &n, &g.Mean, &g.SD); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		g.N = int(n)
		out.Scores = append(out.Scores, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	rows, err = s.conn.Query(ctx, s.queryText("Scoring.grouppersons", "{by}", by), waveArgs(k)...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var g scoring.GroupPersons
		var n, idxN uint64
		if err := rows.Scan(&g.Group, &g.Segment, &g.Barrier, &n, &g.IndexSum, &idxN); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		g.N, g.IndexN = int(n), int(idxN)
		out.Persons = append(out.Persons, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}
