package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/schemas"
)

// digests generates cfg and returns a SHA-256 per stream and the counts.
func digests(t *testing.T, cfg Config) (map[schemas.Stream]string, map[schemas.Stream]int) {
	t.Helper()
	hs := map[schemas.Stream][]byte{}
	n := map[schemas.Stream]int{}
	err := Generate(cfg, func(s schemas.Stream, line []byte) error {
		h := sha256.Sum256(append(hs[s], line...))
		hs[s] = h[:]
		n[s]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[schemas.Stream]string{}
	for s, h := range hs {
		out[s] = fmt.Sprintf("%x", h)
	}
	return out, n
}

func TestGenerateIsReproducible(t *testing.T) {
	a, na := digests(t, Config{Seed: 7, Scale: 0.01})
	b, _ := digests(t, Config{Seed: 7, Scale: 0.01})
	c, _ := digests(t, Config{Seed: 8, Scale: 0.01})
	for _, s := range schemas.Streams {
		if na[s] == 0 {
			t.Errorf("%s: no records", s)
		}
		if a[s] != b[s] {
			t.Errorf("%s: the same seed gave different bytes", s)
		}
		if a[s] == c[s] {
			t.Errorf("%s: seeds 7 and 8 gave identical bytes", s)
		}
	}
	// One stream alone is byte-identical to the same stream in a full run.
	only, _ := digests(t, Config{Seed: 7, Scale: 0.01, Streams: []schemas.Stream{schemas.StreamSurvey}})
	if only[schemas.StreamSurvey] != a[schemas.StreamSurvey] {
		t.Error("generating the survey stream alone changed its bytes")
	}
}

func TestCountMatchesGenerate(t *testing.T) {
	cfg := Config{Seed: 3, Scale: 0.02}
	_, got := digests(t, cfg)
	want, err := Count(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range schemas.Streams {
		if got[s] != want[s] {
			t.Errorf("%s: Count says %d, Generate emitted %d", s, want[s], got[s])
		}
	}
}

func TestEveryLineIsAcceptedByTheIntake(t *testing.T) {
	instruments, err := schemas.BuiltinInstruments()
	if err != nil {
		t.Fatal(err)
	}
	check := schemas.Checker(instruments)
	lo, _ := time.Parse(time.DateOnly, PeriodStart)
	hi, _ := time.Parse(time.DateOnly, PeriodEnd)
	lo, hi = lo.Add(-24*time.Hour), hi.Add(48*time.Hour)
	ids := map[string]bool{}
	n := 0
	err = Generate(Config{Seed: 1, Scale: 0.02}, func(s schemas.Stream, line []byte) error {
		n++
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var env *schemas.Envelope
		var verr error
		var ts time.Time
		switch s {
		case schemas.StreamDiary:
			var d schemas.DiaryEntry
			if err := dec.Decode(&d); err != nil {
				return fmt.Errorf("%s line %d: %w", s, n, err)
			}
			env, verr = &d.Envelope, d.Validate(schemas.AtIntake)
			ts, _ = time.Parse(time.DateOnly, d.Date)
		case schemas.StreamSurvey:
			var r schemas.SurveyResponse
			if err := dec.Decode(&r); err != nil {
				return fmt.Errorf("%s line %d: %w", s, n, err)
			}
			env, verr, ts = &r.Envelope, r.Validate(schemas.AtIntake, check), r.SubmittedAt
		case schemas.StreamIntranet:
			var e schemas.IntranetEvent
			if err := dec.Decode(&e); err != nil {
				return fmt.Errorf("%s line %d: %w", s, n, err)
			}
			env, verr, ts = &e.Envelope, e.Validate(schemas.AtIntake), e.TS
		}
		if verr != nil {
			return fmt.Errorf("%s line %d: %w\n%s", s, n, verr, line)
		}
		if ids[env.EventID] {
			return fmt.Errorf("%s line %d: duplicate event_id %s", s, n, env.EventID)
		}
		ids[env.EventID] = true
		if ts.Before(lo) || ts.After(hi) {
			return fmt.Errorf("%s line %d: time %s outside the window", s, n, ts)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWriteFilesWritesOneFilePerStream(t *testing.T) {
	dir := t.TempDir()
	counts, err := WriteFiles(t.Context(), Config{Seed: 1, Scale: 0.01}, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"diary.ndjson", "surveys.ndjson", "intranet.ndjson"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.Count(b, []byte("\n"))
		s := schemas.Stream(name[:len(name)-len(".ndjson")])
		if name == "surveys.ndjson" {
			s = schemas.StreamSurvey
		}
		if lines != counts[s] || lines == 0 {
			t.Errorf("%s: %d lines, counts say %d", name, lines, counts[s])
		}
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"A negative scale is rejected.", Config{Scale: -1}},
		{"An unknown stream is rejected.", Config{Streams: []schemas.Stream{"deadletter"}}},
		{"A tenant with a bad slug is rejected.", Config{Tenants: []TenantSpec{{ID: "Comune X", Prefix: "X", Employees: 5}}}},
		{"A wave starting outside the window is rejected.", Config{Tenants: func() []TenantSpec {
			ts := DemoTenants()
			ts[0].Waves[0].Start = "2024-01-01"
			return ts
		}()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Generate(tt.cfg, func(schemas.Stream, []byte) error { return nil }); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestDemoPilotsAreValid(t *testing.T) {
	ps := DemoPilots()
	if len(ps) != 2 {
		t.Fatalf("%d pilots, want 2", len(ps))
	}
	for _, p := range ps {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
		if p.PreStart != "2025-09-01" || p.PostEnd != "2026-05-31" {
			t.Errorf("%s: window %s..%s", p.ID, p.PreStart, p.PostEnd)
		}
	}
	if s, ok := ps[0].CohortStart("pilot-2"); !ok || s.Format(time.DateOnly) != "2026-02-02" {
		t.Errorf("pilot-2 of comune-aurelia starts %v", s)
	}
}
