package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/schemas"
)

// pipelineSource implements reports.PipelineSource from the ingest
// metrics (m.pipeline: rates, lag and counters; reports must not import
// ingest), the row counts of the stream tables and the dead_letters table.
type pipelineSource struct {
	m     *Main
	store *clickhouse.Store
}

var _ reports.PipelineSource = pipelineSource{}

func (p pipelineSource) Pipeline(ctx context.Context, tenants []string) (reports.PipelineData, error) {
	now := time.Now().UTC()
	d := reports.PipelineData{At: now}
	snap, err := p.m.pipeline.snapshot()
	if err != nil {
		return d, err
	}
	accepted := map[string]float64{}
	for stream, c := range snap.streams {
		accepted[topicOf(stream)] += c.accepted
	}
	for _, l := range snap.lag {
		d.Lag = append(d.Lag, reports.PartitionLag{Group: p.m.Config.ConsumerGroup, Topic: topicOf(l.stream),
			Partition: l.partition, Lag: int64(l.lag)})
	}
	slices.SortFunc(d.Lag, func(a, b reports.PartitionLag) int {
		return cmp.Or(cmp.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
	d.Rates = p.m.pipeline.rates(now, accepted)
	if d.Streams, err = p.m.streamTotals(ctx, snap); err != nil {
		return d, err
	}
	if p.store != nil {
		if d.DeadLetters, err = p.store.DeadLetters(ctx, tenants); err != nil {
			return d, err
		}
	}
	return d, nil
}

// streamTotals puts each stream's rows in ClickHouse next to its counters
// (totals over all entities).
func (m *Main) streamTotals(ctx context.Context, snap pipelineSnapshot) ([]reports.StreamTotals, error) {
	var out []reports.StreamTotals
	for _, s := range schemas.Streams {
		n, err := m.Store.Count(ctx, s.Table())
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", s.Table(), err)
		}
		c := snap.streams[string(s)]
		out = append(out, reports.StreamTotals{Stream: string(s), Topic: s.Topic(), Rows: n,
			Accepted: int64(c.accepted), Rejected: int64(c.rejected), DeadLettered: int64(c.deadLettered)})
	}
	return out, nil
}
