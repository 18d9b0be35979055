package ingest

import (
	"bytes"
	"testing"

	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/schemas"
)

// BenchmarkIntakeProcess measures decoding, validating, pseudonymising and
// encoding intranet events, the intake's CPU work per record.
func BenchmarkIntakeProcess(b *testing.B) {
	var lines [][]byte
	_ = synth.Generate(synth.Config{Seed: 1, Scale: 0.01, Streams: []schemas.Stream{schemas.StreamIntranet}}, func(_ schemas.Stream, l []byte) error {
		if len(lines) < 5000 && bytes.Contains(l, []byte(`"tenant":"comune-aurelia"`)) {
			lines = append(lines, append([]byte(nil), l...))
		}
		return nil
	})
	body := bytes.Join(lines, []byte("\n"))
	p, _ := schemas.NewPseudonymizer([]byte("0123456789abcdef0123456789abcdef"))
	in, err := NewIntake(IntakeConfig{Pseudonyms: p}, nil)
	if err != nil {
		b.Fatal(err)
	}
	c := codec{stream: schemas.StreamIntranet}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := in.process(c, "/api/v1/events", "comune-aurelia", body, false)
		if res.accepted != len(lines) {
			b.Fatalf("accepted %d of %d: %+v", res.accepted, len(lines), res.errors[:1])
		}
	}
	b.ReportMetric(float64(b.N*len(lines))/b.Elapsed().Seconds(), "records/s")
}
