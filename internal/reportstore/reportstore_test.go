package reportstore

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/schemas"
)

func TestPilotViewWeeks(t *testing.T) {
	v := newPilotView(schemas.Pilot{ID: "p", Tenant: "t", PreStart: "2025-09-01", PostEnd: "2026-05-31",
		Comparison: []string{"comparison"},
		Cohorts:    []schemas.PilotCohort{{Label: "pilot-1", Start: "2025-11-03"}, {Label: "pilot-2", Start: "2026-02-04"}}})
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tests := []struct {
		name      string
		got, want int
	}{
		{"The pre-start Monday is week 1.", v.index(day("2025-09-01")), 1},
		{"A Monday start is treated from its own week (9 weeks after week 1).", v.cohortIndex("pilot-1"), 10},
		{"A Wednesday start is treated from the next Monday.", v.cohortIndex("pilot-2"), v.index(day("2026-02-09"))},
		{"The comparison group is never treated.", v.cohortIndex("comparison"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got %d, want %d", tt.got, tt.want)
			}
		})
	}
	if v.group("pilot-2") != "pilot" || v.group("comparison") != "comparison" || v.group("other") != "" {
		t.Fatal("groups of cohort labels are wrong")
	}
	if !v.startOf("comparison").Equal(day("2025-11-03")) {
		t.Fatalf("comparison writers' after-period starts %s, want the first cohort's start", v.startOf("comparison"))
	}
	if got := monday(day("2026-02-08")); !got.Equal(day("2026-02-02")) {
		t.Fatalf("monday of a Sunday: %s", got)
	}
}

func TestCacheDropsEntriesOfAnOldVersion(t *testing.T) {
	c := newCache(10, true)
	calls := 0
	fn := func() (any, error) { calls++; return calls, nil }
	a, _ := c.get("v1", "k", fn)
	b, _ := c.get("v1", "k", fn)
	d, _ := c.get("v2", "k", fn)
	if a != 1 || b != 1 || d != 2 {
		t.Fatalf("got %v %v %v, want 1 1 2 (reuse within a version, recompute after)", a, b, d)
	}
	_, err := c.get("v2", "bad", func() (any, error) { return nil, errors.New("boom") })
	if err == nil {
		t.Fatal("an error must be returned")
	}
	if v, _ := c.get("v2", "bad", fn); v != 3 {
		t.Fatalf("a failed computation must not be cached, got %v", v)
	}
}

func TestShareCellWilson(t *testing.T) {
	// Wilson 95% interval for 8 of 20: 0.2188..0.6134, computed by hand
	// from the Wilson score formula with z = 1.96; tolerance 1e-3.
	c := shareCell(8, 20)
	if c.Value != 0.4 || c.N != 20 || math.Abs(c.Lo-0.2188) > 1e-3 || math.Abs(c.Hi-0.6134) > 1e-3 {
		t.Fatalf("shareCell(8, 20) = %+v", c)
	}
	m := moments{}
	for _, x := range []float64{2, 4, 4, 4, 5, 5, 7, 9} {
		m.add(x)
	}
	// Mean 5, sample SD 2.138, t(7) 0.975 quantile 2.3646: half-width 1.7875.
	mc := meanCell(m, 8)
	if math.Abs(mc.Value-5) > 1e-12 || math.Abs(mc.Hi-mc.Value-1.7875) > 1e-3 {
		t.Fatalf("meanCell = %+v", mc)
	}
}

func TestLoadPilots(t *testing.T) {
	dir := t.TempDir()
	good := []schemas.Pilot{{ID: "p", Tenant: "t", PreStart: "2025-09-01", PostEnd: "2026-05-31", Cohorts: []schemas.PilotCohort{{Label: "a", Start: "2025-11-03"}}}}
	path := filepath.Join(dir, "pilots.json")
	if err := WritePilots(path, good); err != nil {
		t.Fatal(err)
	}
	t.Run("OK a written file reads back", func(t *testing.T) {
		ps, err := LoadPilots(path)
		if err != nil || len(ps) != 1 || ps[0].Cohorts[0].Start != "2025-11-03" {
			t.Fatalf("%+v %v", ps, err)
		}
	})
	t.Run("ErrInvalid a cohort starting outside the window names the field", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.json")
		if err := os.WriteFile(bad, []byte(`[{"id":"p","tenant":"t","pre_start":"2025-09-01","post_end":"2026-05-31","cohorts":[{"label":"a","start":"2027-01-04"}]}]`), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadPilots(bad); err == nil || !strings.Contains(err.Error(), "cohorts[0].start") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrInvalid an object instead of an array is rejected", func(t *testing.T) {
		bad := filepath.Join(dir, "obj.json")
		_ = os.WriteFile(bad, []byte(`{"id":"p"}`), 0o600)
		if _, err := LoadPilots(bad); err == nil || !strings.Contains(err.Error(), "JSON array") {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestRawTablesReadFinal keeps every page's read of a raw table
// deduplicated: a copy of a record (a zombie consumer's insert, a re-post)
// may sit in the table until a merge, and FINAL collapses it on read.
func TestRawTablesReadFinal(t *testing.T) {
	raw := regexp.MustCompile(`\{db\}\.(diary_entries|survey_answers|intranet_events)\b(\s+FINAL\b)?`)
	reads := 0
	err := fs.WalkDir(sqlFS, "sql", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := sqlFS.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range raw.FindAllStringSubmatch(string(b), -1) {
			reads++
			if m[2] == "" {
				t.Errorf("%s reads %s without FINAL: a copy stored before a merge would count twice", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if reads == 0 {
		t.Fatal("no read of a raw table found: the pattern tests nothing")
	}
}
