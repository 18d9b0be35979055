package clickhouse

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/schemas"
)

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
