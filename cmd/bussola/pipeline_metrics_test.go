package main

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/reports"
)

func TestReportsPipelineMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	im := ingest.NewMetrics(reg)
	im.Received.WithLabelValues("diary", "accepted").Add(10)
	im.Received.WithLabelValues("diary", "rejected").Add(2)
	im.Received.WithLabelValues("diary", "forbidden").Add(5)
	im.DeadLettered.WithLabelValues("diary", "intake").Add(1)
	im.DeadLettered.WithLabelValues("diary", "consumer").Add(2)
	im.ConsumerLag.WithLabelValues("intranet", "0").Set(7)
	im.ConsumerLag.WithLabelValues("intranet", "2").Set(3)
	p := &pipelineMetrics{reg: reg}

	t.Run("OK the snapshot sums each stream's counters and keeps the lag per partition", func(t *testing.T) {
		s, err := p.snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if got := s.streams["diary"]; got != (streamCounts{accepted: 10, rejected: 2, deadLettered: 3}) {
			t.Errorf("diary: %+v, want accepted 10, rejected 2 (forbidden apart), dead-lettered 3 over both stages", got)
		}
		if got := s.streams["intranet"].lag; got != 10 {
			t.Errorf("intranet lag %v, want 10", got)
		}
		if len(s.lag) != 2 || s.totalLag() != 10 {
			t.Errorf("lag %+v (total %v), want partitions 0 and 2, total 10", s.lag, s.totalLag())
		}
		for _, l := range s.lag {
			if want := map[int32]float64{0: 7, 2: 3}[l.partition]; l.stream != "intranet" || l.lag != want {
				t.Errorf("lag %+v, want intranet/%d %v", l, l.partition, want)
			}
		}
	})

	t.Run("OK rates come from the history of this reader, not of the process", func(t *testing.T) {
		topic := topicOf("diary")
		t0 := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
		for _, c := range []struct {
			name      string
			at        time.Duration
			accepted  float64
			perSecond float64
			lastHour  int64
		}{
			{"the first sample counts everything since start", 0, 10, 0, 10},
			{"a sample a second later is not kept: still everything since start", time.Second, 12, 2, 12},
			{"90 s later the rate runs from the minute-old sample", 90 * time.Second, 100, 1, 90},
		} {
			var got reports.TopicRate
			for _, r := range p.rates(t0.Add(c.at), map[string]float64{topic: c.accepted}) {
				if r.Topic == topic {
					got = r
				}
			}
			if got.PerSecond != c.perSecond || got.LastHour != c.lastHour {
				t.Errorf("%s: %+v, want %v/s and %d in the last hour", c.name, got, c.perSecond, c.lastHour)
			}
		}
		fresh := &pipelineMetrics{reg: reg}
		for _, r := range fresh.rates(t0.Add(2*time.Minute), map[string]float64{topic: 100}) {
			if r.Topic == topic && (r.LastHour != 100 || r.PerSecond != 0) {
				t.Errorf("a second reader shares the first one's history: %+v", r)
			}
		}
	})
}
