package main

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/schemas"
)

// pipelineMetrics is the one reader of the ingest's Prometheus metrics in
// the service's registry, for the pipeline page, /status.json and /readyz
// (reports must not import ingest): counters per stream, lag per
// partition, and the history of the accepted counters that turns them
// into rates. One per Main.
type pipelineMetrics struct {
	reg prometheus.Gatherer

	mu      sync.Mutex
	samples []rateSample // an hour at most, oldest first
}

// rateSample is the accepted-records counter of every topic at one time.
type rateSample struct {
	at       time.Time
	accepted map[string]float64
}

// pipelineSnapshot is what the registry says at one time.
type pipelineSnapshot struct {
	streams map[string]streamCounts // by stream
	lag     []partitionLag
}

// streamCounts are one stream's counters since the process started, and
// its lag over every partition.
type streamCounts struct {
	accepted, rejected, deadLettered, lag float64
}

// partitionLag is the consumers' lag on one partition of a stream's topic.
type partitionLag struct {
	stream    string
	partition int32
	lag       float64
}

// snapshot reads the registry.
func (p *pipelineMetrics) snapshot() (pipelineSnapshot, error) {
	s := pipelineSnapshot{streams: map[string]streamCounts{}}
	mfs, err := p.reg.Gather()
	if err != nil {
		return s, err
	}
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			stream := label(mt, "stream")
			c := s.streams[stream]
			switch mf.GetName() {
			case "bussola_ingest_records_total":
				switch label(mt, "outcome") {
				case "accepted":
					c.accepted += mt.GetCounter().GetValue()
				case "rejected":
					c.rejected += mt.GetCounter().GetValue()
				default:
					continue
				}
			case "bussola_ingest_deadlettered_total":
				c.deadLettered += mt.GetCounter().GetValue()
			case "bussola_consumer_lag_messages":
				c.lag += mt.GetGauge().GetValue()
				part, _ := strconv.Atoi(label(mt, "partition"))
				s.lag = append(s.lag, partitionLag{stream: stream, partition: int32(part), lag: mt.GetGauge().GetValue()})
			default:
				continue
			}
			s.streams[stream] = c
		}
	}
	return s, nil
}

// totalLag is the consumers' lag over every stream and partition.
func (s pipelineSnapshot) totalLag() float64 {
	var total float64
	for _, l := range s.lag {
		total += l.lag
	}
	return total
}

// rates records a sample of the accepted counters (by topic) and derives,
// per topic, records per second over about the last minute and records in
// the last hour (since start when the service is younger).
func (p *pipelineMetrics) rates(now time.Time, accepted map[string]float64) []reports.TopicRate {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.samples); n == 0 || now.Sub(p.samples[n-1].at) >= 2*time.Second {
		p.samples = append(p.samples, rateSample{at: now, accepted: accepted})
	}
	for len(p.samples) > 1 && now.Sub(p.samples[0].at) > time.Hour {
		p.samples = p.samples[1:]
	}
	// Reference for the per-second rate: the newest sample at least a
	// minute old, else the oldest.
	ref := p.samples[0]
	for _, s := range p.samples {
		if now.Sub(s.at) >= time.Minute {
			ref = s
		}
	}
	var out []reports.TopicRate
	for _, s := range append(append([]schemas.Stream(nil), schemas.Streams...), schemas.StreamDeadLetter) {
		t := s.Topic()
		r := reports.TopicRate{Topic: t, LastHour: int64(accepted[t] - p.samples[0].accepted[t])}
		if dt := now.Sub(ref.at).Seconds(); dt > 0 {
			r.PerSecond = (accepted[t] - ref.accepted[t]) / dt
		}
		if len(p.samples) == 1 {
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
