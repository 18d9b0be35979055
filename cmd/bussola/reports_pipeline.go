package main

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/schemas"
)

// pipelineSource implements reports.PipelineSource from the ingest
// Prometheus metrics in m.Registry (rates and lag; reports must not import
// ingest) and the dead_letters table.
type pipelineSource struct {
	m     *Main
	store *clickhouse.Store
}

var _ reports.PipelineSource = pipelineSource{}

// rateSample is the accepted-records counter of every topic at one time.
type rateSample struct {
	at       time.Time
	accepted map[string]float64
}

// rateHistory keeps an hour of samples, one per page view at most every
// few seconds, to turn counters into rates.
var rateHistory struct {
	sync.Mutex
	samples []rateSample
}

func (p pipelineSource) Pipeline(ctx context.Context, tenants []string) (reports.PipelineData, error) {
	now := time.Now().UTC()
	d := reports.PipelineData{At: now}
	mfs, err := p.m.Registry.Gather()
	if err != nil {
		return d, err
	}
	accepted := map[string]float64{}
	for _, mf := range mfs {
		switch mf.GetName() {
		case "bussola_ingest_records_total":
			for _, mt := range mf.GetMetric() {
				if label(mt, "outcome") == "accepted" {
					accepted[topicOf(label(mt, "stream"))] += mt.GetCounter().GetValue()
				}
			}
		case "bussola_consumer_lag_messages":
			for _, mt := range mf.GetMetric() {
				part, _ := strconv.Atoi(label(mt, "partition"))
				d.Lag = append(d.Lag, reports.PartitionLag{Group: p.m.Config.ConsumerGroup, Topic: topicOf(label(mt, "stream")),
					Partition: int32(part), Lag: int64(mt.GetGauge().GetValue())})
			}
		}
	}
	slices.SortFunc(d.Lag, func(a, b reports.PartitionLag) int {
		if a.Topic != b.Topic {
			return compareStrings(a.Topic, b.Topic)
		}
		return int(a.Partition - b.Partition)
	})
	d.Rates = rates(now, accepted)
	if p.store != nil {
		if d.DeadLetters, err = p.store.DeadLetters(ctx, tenants); err != nil {
			return d, err
		}
	}
	return d, nil
}

// rates records a sample and derives, per topic, records per second over
// about the last minute and records in the last hour (since start when
// the service is younger).
func rates(now time.Time, accepted map[string]float64) []reports.TopicRate {
	h := &rateHistory
	h.Lock()
	defer h.Unlock()
	if n := len(h.samples); n == 0 || now.Sub(h.samples[n-1].at) >= 2*time.Second {
		h.samples = append(h.samples, rateSample{at: now, accepted: accepted})
	}
	for len(h.samples) > 1 && now.Sub(h.samples[0].at) > time.Hour {
		h.samples = h.samples[1:]
	}
	// Reference for the per-second rate: the newest sample at least a
	// minute old, else the oldest.
	ref := h.samples[0]
	for _, s := range h.samples {
		if now.Sub(s.at) >= time.Minute {
			ref = s
		}
	}
	var out []reports.TopicRate
	for _, s := range append(append([]schemas.Stream(nil), schemas.Streams...), schemas.StreamDeadLetter) {
		t := s.Topic()
		r := reports.TopicRate{Topic: t, LastHour: int64(accepted[t] - h.samples[0].accepted[t])}
		if dt := now.Sub(ref.at).Seconds(); dt > 0 {
			r.PerSecond = (accepted[t] - ref.accepted[t]) / dt
		}
		if len(h.samples) == 1 {
			r.LastHour = int64(accepted[t]) // counters start with the process
		}
		out = append(out, r)
	}
	return out
}

func label(m *dto.Metric, name string) string {
	for _, lp := range m.GetLabel() {
		if lp.GetName() == name {
			return lp.GetValue()
		}
	}
	return ""
}

func topicOf(stream string) string { return schemas.Stream(stream).Topic() }

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
