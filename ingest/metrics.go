package ingest

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the ingest counters and gauges exported on /metrics.
type Metrics struct {
	Received       *prometheus.CounterVec   // records posted to the intake, by stream and outcome
	DeadLettered   *prometheus.CounterVec   // records sent to the dead-letter topic, by stream and stage
	Inserted       *prometheus.CounterVec   // rows inserted into storage, by stream
	Skipped        *prometheus.CounterVec   // messages skipped as already inserted, by stream
	Erased         *prometheus.CounterVec   // records dropped because their person was erased, by stream
	ConsumerLag    *prometheus.GaugeVec     // messages behind the partition end, by stream and partition
	InsertLatency  *prometheus.HistogramVec // batch insert duration, by stream
	InsertFailures *prometheus.CounterVec   // failed insert attempts (retried), by stream
	PublishLatency *prometheus.HistogramVec // time to Kafka acknowledgement, by stream
	Refused        *prometheus.CounterVec   // intake requests refused as a whole, by reason
}

// NewMetrics creates the metrics and registers them with reg (nil: not
// registered, for tests).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bussola_ingest_records_total", Help: "Records posted to the intake, by stream and outcome (accepted, rejected, forbidden).",
		}, []string{"stream", "outcome"}),
		DeadLettered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bussola_ingest_deadlettered_total", Help: "Records sent to the dead-letter topic, by stream and stage (intake, consumer).",
		}, []string{"stream", "stage"}),
		Inserted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bussola_consumer_rows_inserted_total", Help: "Rows inserted into ClickHouse by the consumers, by stream.",
		}, []string{"stream"}),
		Skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bussola_consumer_messages_skipped_total", Help: "Messages skipped because an earlier run had already inserted them, by stream.",
		}, []string{"stream"}),
		Erased: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bussola_consumer_records_erased_total", Help: "Records read from Kafka and dropped because their person's data was erased, by stream.",
		}, []string{"stream"}),
		ConsumerLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "bussola_consumer_lag_messages", Help: "Messages between the last committed offset and the partition end, by stream and partition.",
		}, []string{"stream", "partition"}),
		InsertLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "bussola_consumer_insert_seconds", Help: "Batch insert latency, by stream.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 12),
		}, []string{"stream"}),
		InsertFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bussola_consumer_insert_failures_total", Help: "Failed batch insert attempts (each is retried), by stream.",
		}, []string{"stream"}),
		PublishLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "bussola_intake_publish_seconds", Help: "Time from request to Kafka acknowledgement (acks=all), by stream.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"stream"}),
		Refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bussola_intake_requests_refused_total", Help: "Intake requests refused before any line was taken, by reason (busy: shed with 429; disk: 507 below the free-space threshold; conflict: idempotency key in use or reused).",
		}, []string{"reason"}),
	}
	if reg != nil {
		reg.MustRegister(m.Received, m.DeadLettered, m.Inserted, m.Skipped, m.Erased, m.ConsumerLag, m.InsertLatency, m.InsertFailures, m.PublishLatency, m.Refused)
	}
	return m
}
