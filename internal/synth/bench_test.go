package synth

import (
	"testing"

	"github.com/bussola-pa/bussola/schemas"
)

// BenchmarkIntranet generates the full-scale intranet stream (over a million
// events) and reports events per second.
func BenchmarkIntranet(b *testing.B) {
	cfg := Config{Seed: 1, Scale: 1, Streams: []schemas.Stream{schemas.StreamIntranet}}
	for b.Loop() {
		n, bytes := 0, 0
		err := Generate(cfg, func(_ schemas.Stream, line []byte) error { n++; bytes += len(line) + 1; return nil })
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "events/op")
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
		b.SetBytes(int64(bytes))
	}
}
