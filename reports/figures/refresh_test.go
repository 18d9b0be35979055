package figures

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/reports"
)

// versionSource is a Versioned whose data is its version: the panels'
// population is the version number, and reading them can be held.
type versionSource struct {
	v     atomic.Int64
	reads atomic.Int64
	hold  chan struct{} // when set, ImpactPanels waits for it to close
	mu    sync.Mutex
}

func (s *versionSource) DataVersion(context.Context) (string, error) {
	return "v" + string(rune('0'+s.v.Load())), nil
}

func (s *versionSource) ImpactPanels(ctx context.Context, q reports.Query) (ImpactPanels, error) {
	s.reads.Add(1)
	s.mu.Lock()
	h := s.hold
	s.mu.Unlock()
	if h != nil {
		<-h
	}
	return ImpactPanels{Population: reports.Population{N: int(s.v.Load()), EntityN: int(s.v.Load())}}, nil
}

func (s *versionSource) ReadinessCells(context.Context, reports.Query) (reports.ReadinessCells, error) {
	return reports.ReadinessCells{}, nil
}
func (s *versionSource) WaveCells(context.Context, string, string, string) (reports.ReadinessCells, error) {
	return reports.ReadinessCells{}, nil
}
func (s *versionSource) PublishingCells(context.Context, string) (reports.PublishingCells, error) {
	return reports.PublishingCells{}, nil
}
func (s *versionSource) DiaryCells(context.Context, string) (reports.DiaryCells, error) {
	return reports.DiaryCells{}, nil
}
func (s *versionSource) KnownPopulation(context.Context, string) (reports.KnownPopulation, error) {
	return reports.KnownPopulation{}, nil
}
func (s *versionSource) Options(context.Context, string) (reports.FilterOptions, error) {
	return reports.FilterOptions{}, nil
}
func (s *versionSource) ReadinessSums(context.Context, reports.Query) (ReadinessSums, error) {
	return ReadinessSums{}, nil
}
func (s *versionSource) KPIPanels(context.Context, reports.Query) (KPIPanels, error) {
	return KPIPanels{}, nil
}
func (s *versionSource) CommunicationSums(context.Context, reports.Query) (CommunicationSums, error) {
	return CommunicationSums{}, nil
}
func (s *versionSource) Memo(ctx context.Context, _ string, fn func(context.Context) (any, error)) (any, error) {
	return fn(ctx)
}

func TestRefresher(t *testing.T) {
	ctx := context.Background()
	src := &versionSource{}
	src.v.Store(1)
	r := NewRefresher(src)
	st := New(r)
	q := reports.Query{Tenant: "t"}
	population := func() int {
		t.Helper()
		d, err := st.Impact(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return d.Population.N
	}

	t.Run("OK the first request waits for the first version, later ones read it without the source", func(t *testing.T) {
		if n := population(); n != 1 {
			t.Fatalf("population %d, want 1 (version 1)", n)
		}
		reads := src.reads.Load()
		if n := population(); n != 1 || src.reads.Load() != reads {
			t.Fatalf("population %d after %d more reads of the source, want 1 and none", n, src.reads.Load()-reads)
		}
	})

	t.Run("OK new data is not seen until its version is complete, and requests never wait for it", func(t *testing.T) {
		src.v.Store(2)
		if n := population(); n != 1 {
			t.Fatalf("population %d before the refresh, want the last complete version's 1", n)
		}
		hold := make(chan struct{})
		src.mu.Lock()
		src.hold = hold
		src.mu.Unlock()
		done := make(chan error, 1)
		go func() { done <- r.Refresh(ctx) }()
		for src.reads.Load() < 2 { // the build is reading the panels
			time.Sleep(time.Millisecond)
		}
		start := time.Now()
		if n := population(); n != 1 {
			t.Fatalf("population %d during the build, want 1", n)
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Errorf("a request during a build took %s: it waited for the build", d)
		}
		close(hold)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		src.mu.Lock()
		src.hold = nil
		src.mu.Unlock()
		if n := population(); n != 2 {
			t.Fatalf("population %d after the refresh, want 2", n)
		}
		if builds, _, recipes := r.Stats(); builds != 2 || recipes != 1 {
			t.Errorf("%d builds and %d selections kept, want 2 and 1", builds, recipes)
		}
	})

	t.Run("OK Run builds a version once the data settle", func(t *testing.T) {
		r.Interval, r.Debounce, r.MaxWait = 5*time.Millisecond, 20*time.Millisecond, time.Second
		rctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go r.Run(rctx)
		src.v.Store(3)
		deadline := time.Now().Add(5 * time.Second)
		for population() != 3 {
			if time.Now().After(deadline) {
				t.Fatal("version 3 never built")
			}
			time.Sleep(5 * time.Millisecond)
		}
		if v := r.cur.Load().version; v != "v3" {
			t.Fatalf("current version %q, want v3", v)
		}
	})
}

// failingSource cannot say its data version.
type failingSource struct{ versionSource }

func (*failingSource) DataVersion(context.Context) (string, error) {
	return "", errors.New("clickhouse unavailable")
}

func TestRefresherFirstVersionFails(t *testing.T) {
	st := New(NewRefresher(&failingSource{}))
	for i := range 2 {
		if _, err := st.Impact(context.Background(), reports.Query{Tenant: "t"}); err == nil || !strings.Contains(err.Error(), "clickhouse unavailable") {
			t.Fatalf("request %d: got %v, want the first build's error (not a wait)", i+1, err)
		}
	}
}
