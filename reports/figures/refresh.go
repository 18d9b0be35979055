package figures

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bussola-pa/bussola/reports"
)

// Versioned is a Source that can say which data it reads: a string that
// changes whenever the source tables do (the ClickHouse adapter reads it
// from the tables' active parts). Reading it must be cheap: the Refresher
// polls it.
type Versioned interface {
	Source
	DataVersion(ctx context.Context) (string, error)
}

// Refresher is a Source that answers from the last complete data version.
// Everything the pages read through it, the lattices, the filter options
// and every figure the Store computes (estimates, intervals, series, term
// counts) for each selection read so far, is a recipe: when the data
// version changes, the Refresher runs every recipe again in the
// background, then the OnBuild hook (the reports server computes the
// protected patterns of every lattice there), and swaps the new version in
// at once. Requests read the current version and never wait for a
// recomputation, except before the first version exists.
//
// A selection nobody read before (a new filter combination) is computed
// on the request, against the live source, and joins the recipes from
// then on. The panels behind a figure (person-week rows, moments) are
// kept only while a version is built: a version keeps what the pages
// read, which bounds its memory by the number of selections, not the
// number of events.
type Refresher struct {
	src Versioned
	// Interval is how often the data version is polled (default 5 s).
	Interval time.Duration
	// Debounce is how long the version must stay the same before a new
	// version is built (default 2 s): a burst of insert batches gives one
	// recomputation, not one per batch.
	Debounce time.Duration
	// MaxWait bounds the debounce: a version is built at most this long
	// (default 1 min) after the data first changed, however busy the
	// intake is.
	MaxWait time.Duration
	// MaxRecipes bounds the selections carried from one version to the
	// next (default 4096); past it new selections are computed on each
	// request and not kept.
	MaxRecipes int
	// OnBuild runs with the context of the version being built, after the
	// recipes and before the swap; reads through the Refresher inside it
	// are part of the new version.
	OnBuild func(ctx context.Context) error
	Log     *slog.Logger

	cur     atomic.Pointer[snapshot]
	buildMu sync.Mutex // one build at a time
	builds  atomic.Int64
	lastDur atomic.Int64 // the last build's duration, in nanoseconds
}

var _ Source = (*Refresher)(nil)

// NewRefresher returns a Refresher over src; call Run to keep it fresh,
// or Refresh to build a version now.
func NewRefresher(src Versioned) *Refresher {
	return &Refresher{src: src}
}

// snapshot is one complete data version.
type snapshot struct {
	version string
	asOf    time.Time

	mu      sync.Mutex
	entries map[string]*entry
	// recipes are what this version holds, to compute again for the next.
	recipes map[string]func(ctx context.Context) (any, error)
}

type entry struct {
	done chan struct{}
	val  any
	err  error
}

func newSnapshot(version string, asOf time.Time) *snapshot {
	return &snapshot{version: version, asOf: asOf, entries: map[string]*entry{}, recipes: map[string]func(context.Context) (any, error){}}
}

// get returns the value under key, computing it with fn once; concurrent
// callers of one key wait for one computation. A failed computation is
// not kept.
func (s *snapshot) get(ctx context.Context, key string, keep bool, maxRecipes int, fn func(ctx context.Context) (any, error)) (any, error) {
	s.mu.Lock()
	if e, ok := s.entries[key]; ok {
		s.mu.Unlock()
		select {
		case <-e.done:
			return e.val, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if keep && maxRecipes > 0 && len(s.recipes) >= maxRecipes {
		// Full: computed for this caller, not kept.
		s.mu.Unlock()
		return fn(ctx)
	}
	e := &entry{done: make(chan struct{})}
	s.entries[key] = e
	if keep {
		s.recipes[key] = fn
	}
	s.mu.Unlock()
	e.val, e.err = fn(ctx)
	close(e.done)
	if e.err != nil {
		s.mu.Lock()
		delete(s.entries, key)
		delete(s.recipes, key)
		s.mu.Unlock()
	}
	return e.val, e.err
}

// building marks the context of a version being built.
type building struct{}

// pinned marks the context of a request that reads one version
// throughout (Pin).
type pinned struct{}

// Pin implements reports.FreshStore for the Store over a Refresher: the
// returned context reads the current version (waiting for the first)
// for as long as it is used, whatever version is swapped in meanwhile,
// and the version's freshness.
func (r *Refresher) Pin(ctx context.Context) (context.Context, reports.Freshness, error) {
	if _, ok := ctx.Value(building{}).(*snapshot); ok {
		return ctx, reports.Freshness{}, nil
	}
	s, err := r.current(ctx)
	if err != nil {
		return ctx, reports.Freshness{}, err
	}
	return context.WithValue(ctx, pinned{}, s), s.freshness(), nil
}

func (s *snapshot) freshness() reports.Freshness {
	return reports.Freshness{AsOf: s.asOf, Version: shortVersion(s.version)}
}

// read returns key's value in the version the context reads: the one
// being built inside a build, else the current one (waiting for the first).
// keep says whether the value is part of what a version holds (a page
// figure, a lattice) or only material to compute it (panels, moments).
func (r *Refresher) read(ctx context.Context, key string, keep bool, fn func(ctx context.Context) (any, error)) (any, error) {
	if b, ok := ctx.Value(building{}).(*snapshot); ok {
		return b.get(ctx, key, keep, r.maxRecipes(), fn)
	}
	s, ok := ctx.Value(pinned{}).(*snapshot)
	if !ok {
		var err error
		if s, err = r.current(ctx); err != nil {
			return nil, err
		}
	}
	if !keep {
		// Material for a selection nobody read before: read it live.
		return fn(ctx)
	}
	return s.get(ctx, key, keep, r.maxRecipes(), fn)
}

func (r *Refresher) maxRecipes() int {
	if r.MaxRecipes <= 0 {
		return 4096
	}
	return r.MaxRecipes
}

// current returns the current version. Before the first exists, the
// caller builds it (one at a time: later callers find it built); a failed
// build is the caller's error, and the next caller tries again.
func (r *Refresher) current(ctx context.Context) (*snapshot, error) {
	if s := r.cur.Load(); s != nil {
		return s, nil
	}
	if err := r.refreshIfNone(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("build the first data version: %w", err)
	}
	return r.cur.Load(), nil
}

// refreshIfNone builds the first version unless one exists.
func (r *Refresher) refreshIfNone(ctx context.Context) error {
	r.buildMu.Lock()
	defer r.buildMu.Unlock()
	if r.cur.Load() != nil {
		return nil
	}
	return r.refresh(ctx)
}

// Refresh builds a version from the data as it is now, whatever the
// current version, and swaps it in. It runs every recipe of the current
// version, then OnBuild. On error the current version stays.
func (r *Refresher) Refresh(ctx context.Context) error {
	r.buildMu.Lock()
	defer r.buildMu.Unlock()
	return r.refresh(ctx)
}

func (r *Refresher) refresh(ctx context.Context) error {
	start := time.Now()
	v, err := r.src.DataVersion(ctx)
	if err != nil {
		return fmt.Errorf("read the data version: %w", err)
	}
	next := newSnapshot(v, start.UTC())
	bctx := context.WithValue(ctx, building{}, next)
	if old := r.cur.Load(); old != nil {
		old.mu.Lock()
		keys := make([]string, 0, len(old.recipes))
		fns := make([]func(context.Context) (any, error), 0, len(old.recipes))
		for k, fn := range old.recipes {
			keys, fns = append(keys, k), append(fns, fn)
		}
		old.mu.Unlock()
		for i, k := range keys {
			if _, err := next.get(bctx, k, true, 0, fns[i]); err != nil {
				return fmt.Errorf("refresh %s: %w", k, err)
			}
		}
	}
	if r.OnBuild != nil {
		if err := r.OnBuild(bctx); err != nil {
			return fmt.Errorf("refresh: %w", err)
		}
	}
	// Keep what the pages read; drop the panels they were computed from.
	next.mu.Lock()
	for k := range next.entries {
		if _, ok := next.recipes[k]; !ok {
			delete(next.entries, k)
		}
	}
	next.mu.Unlock()
	r.cur.Store(next)
	r.builds.Add(1)
	r.lastDur.Store(int64(time.Since(start)))
	return nil
}

// Run keeps the Refresher fresh until ctx ends: it polls the data version
// every Interval and, once a changed version has stayed the same for
// Debounce (or MaxWait has passed since it first changed), builds it.
// The first version is built at once.
func (r *Refresher) Run(ctx context.Context) error {
	interval, debounce, maxWait := orDefault(r.Interval, 5*time.Second), orDefault(r.Debounce, 2*time.Second), orDefault(r.MaxWait, time.Minute)
	if err := r.refreshIfNone(ctx); err != nil {
		r.logErr(err)
	}
	var changed time.Time // when a change was first seen; zero when none pending
	var seen string
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		v, err := r.src.DataVersion(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.logErr(fmt.Errorf("poll the data version: %w", err))
			continue
		}
		if cur := r.cur.Load(); cur != nil && v == cur.version {
			changed = time.Time{}
			continue
		}
		now := time.Now()
		if changed.IsZero() || v != seen {
			if changed.IsZero() {
				changed = now
			}
			seen = v
			if now.Sub(changed) < maxWait {
				// Wait for the version to settle.
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(debounce):
				}
				continue
			}
		}
		if err := r.Refresh(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.logErr(err)
			continue
		}
		changed = time.Time{}
	}
}

func (r *Refresher) logErr(err error) {
	if r.Log != nil {
		r.Log.Error("refresh the report figures", "err", err)
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Stats are the Refresher's figures for benchmarks: the versions built,
// the last build's duration and the selections a version holds.
func (r *Refresher) Stats() (builds int64, last time.Duration, recipes int) {
	if s := r.cur.Load(); s != nil {
		s.mu.Lock()
		recipes = len(s.recipes)
		s.mu.Unlock()
	}
	return r.builds.Load(), time.Duration(r.lastDur.Load()), recipes
}

// shortVersion names a data version in 8 hexadecimal digits.
func shortVersion(v string) string {
	h := sha256.Sum256([]byte(v))
	return hex.EncodeToString(h[:4])
}

// qkey names a query's every field that a Source reads.
func qkey(q reports.Query) string {
	return strings.Join([]string{q.Tenant, q.Unit, q.Grade, q.Cohort, q.From.Format(time.DateOnly), q.To.Format(time.DateOnly),
		lang(q), strings.Join(q.Tenants, ","), strconv.Itoa(q.MinText)}, "|")
}

// readAs is the typed form of Refresher.read.
func readAs[T any](r *Refresher, ctx context.Context, key string, keep bool, fn func(ctx context.Context) (T, error)) (T, error) {
	var zero T
	out, err := r.read(ctx, key, keep, func(ctx context.Context) (any, error) { return fn(ctx) })
	if err != nil {
		return zero, err
	}
	return out.(T), nil
}

// The Source methods: the lattices and options are kept in a version;
// the raw material (sums and panels) only while one is built.

func (r *Refresher) ReadinessCells(ctx context.Context, q reports.Query) (reports.ReadinessCells, error) {
	return readAs(r, ctx, "ReadinessCells|"+qkey(q), true, func(ctx context.Context) (reports.ReadinessCells, error) { return r.src.ReadinessCells(ctx, q) })
}

func (r *Refresher) WaveCells(ctx context.Context, tenant, instrument, wave string) (reports.ReadinessCells, error) {
	return readAs(r, ctx, "WaveCells|"+tenant+"|"+instrument+"|"+wave, true, func(ctx context.Context) (reports.ReadinessCells, error) {
		return r.src.WaveCells(ctx, tenant, instrument, wave)
	})
}

func (r *Refresher) KnownPopulation(ctx context.Context, tenant string) (reports.KnownPopulation, error) {
	return readAs(r, ctx, "KnownPopulation|"+tenant, true, func(ctx context.Context) (reports.KnownPopulation, error) { return r.src.KnownPopulation(ctx, tenant) })
}

func (r *Refresher) PublishingCells(ctx context.Context, tenant string) (reports.PublishingCells, error) {
	return readAs(r, ctx, "PublishingCells|"+tenant, true, func(ctx context.Context) (reports.PublishingCells, error) { return r.src.PublishingCells(ctx, tenant) })
}

func (r *Refresher) DiaryCells(ctx context.Context, tenant string) (reports.DiaryCells, error) {
	return readAs(r, ctx, "DiaryCells|"+tenant, true, func(ctx context.Context) (reports.DiaryCells, error) { return r.src.DiaryCells(ctx, tenant) })
}

func (r *Refresher) Options(ctx context.Context, tenant string) (reports.FilterOptions, error) {
	return readAs(r, ctx, "Options|"+tenant, true, func(ctx context.Context) (reports.FilterOptions, error) { return r.src.Options(ctx, tenant) })
}

func (r *Refresher) ReadinessSums(ctx context.Context, q reports.Query) (ReadinessSums, error) {
	return readAs(r, ctx, "ReadinessSums|"+qkey(q), false, func(ctx context.Context) (ReadinessSums, error) { return r.src.ReadinessSums(ctx, q) })
}

func (r *Refresher) ImpactPanels(ctx context.Context, q reports.Query) (ImpactPanels, error) {
	return readAs(r, ctx, "ImpactPanels|"+qkey(q), false, func(ctx context.Context) (ImpactPanels, error) { return r.src.ImpactPanels(ctx, q) })
}

func (r *Refresher) KPIPanels(ctx context.Context, q reports.Query) (KPIPanels, error) {
	return readAs(r, ctx, "KPIPanels|"+qkey(q), false, func(ctx context.Context) (KPIPanels, error) { return r.src.KPIPanels(ctx, q) })
}

func (r *Refresher) CommunicationSums(ctx context.Context, q reports.Query) (CommunicationSums, error) {
	return readAs(r, ctx, "CommunicationSums|"+qkey(q), false, func(ctx context.Context) (CommunicationSums, error) { return r.src.CommunicationSums(ctx, q) })
}

// Memo implements Source: the page figures, kept in a version and
// computed again for each new one.
func (r *Refresher) Memo(ctx context.Context, key string, fn func(ctx context.Context) (any, error)) (any, error) {
	return r.read(ctx, "Memo|"+key, true, fn)
}
