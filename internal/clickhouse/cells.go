package clickhouse

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/privacy"
	"github.com/bussola-pa/bussola/reports"
)

// Lattice dimension names, in the order of every lattice the store fills.
const (
	DimUnit   = "unit"
	DimGrade  = "grade"
	DimCohort = "cohort"
)

// cubeRow is one row of a GROUPING SETS query over unit, grade and cohort:
// its labels and which of them are aggregated away.
type cubeRow struct {
	u, g, c    string
	tu, tg, tc uint64
}

// weekCube is one row of a per-week GROUPING SETS query: its week and
// its labels.
type weekCube struct {
	cubeRow
	week time.Time
}

func (w weekCube) cube() weekCube { return w }

// weeklyLattice is the lattice of a per-week GROUPING SETS answer, its
// weeks in order (ISO dates) and slot, which places a row: its week's
// index and its cell's index in the lattice (ok false for a row the
// lattice does not hold).
func weeklyLattice[R interface{ cube() weekCube }](rows []R) (l *privacy.Lattice, weeks []string, slot func(R) (week, cell int, ok bool), err error) {
	seen := map[string]bool{}
	cubes := make([]cubeRow, len(rows))
	for i, r := range rows {
		c := r.cube()
		cubes[i], seen[c.week.Format(time.DateOnly)] = c.cubeRow, true
	}
	if l, err = cubeLattice(cubes); err != nil {
		return nil, nil, nil, err
	}
	weeks = sortedKeys(seen)
	index := make(map[string]int, len(weeks))
	for i, w := range weeks {
		index[w] = i
	}
	slot = func(r R) (int, int, bool) {
		c := r.cube()
		w, ok := index[c.week.Format(time.DateOnly)]
		i := c.index(l)
		return w, i, ok && i >= 0
	}
	return l, weeks, slot, nil
}

// cubeLattice collects the categories of rows (the labels of the rows
// that keep a coordinate) and returns the lattice over them, sorted.
func cubeLattice(rows []cubeRow) (*privacy.Lattice, error) {
	us, gs, cs := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range rows {
		if r.tu == 0 {
			us[r.u] = true
		}
		if r.tg == 0 {
			gs[r.g] = true
		}
		if r.tc == 0 {
			cs[r.c] = true
		}
	}
	cat := func(m map[string]bool) []string {
		out := sortedKeys(m)
		if len(out) == 0 {
			out = []string{""} // an empty lattice still has its entity total
		}
		return out
	}
	return privacy.NewLattice(
		privacy.Dimension{Name: DimUnit, Categories: cat(us)},
		privacy.Dimension{Name: DimGrade, Categories: cat(gs)},
		privacy.Dimension{Name: DimCohort, Categories: cat(cs)})
}

// index returns the cell of r in l, or -1 when a label of r is not a
// category of l.
func (r cubeRow) index(l *privacy.Lattice) int {
	coord := [3]int{}
	for d, x := range []struct {
		label string
		total uint64
	}{{r.u, r.tu}, {r.g, r.tg}, {r.c, r.tc}} {
		if x.total == 1 {
			coord[d] = privacy.Total
			continue
		}
		if coord[d] = slices.Index(l.Dims()[d].Categories, x.label); coord[d] < 0 {
			return -1
		}
	}
	return l.Index(coord[:]...)
}

func newMoments(size int) reports.CellMoments {
	return reports.CellMoments{N: make([]int, size), S: make([]float64, size), SS: make([]float64, size)}
}

// ReadinessCells implements reports.Store: the readiness lattices of every
// wave in the period, oldest first (each cached on its own).
func (s *Store) ReadinessCells(ctx context.Context, q reports.Query) (reports.ReadinessCells, error) {
	d := reports.ReadinessCells{Instrument: instrReadiness, CategoryLabels: categoryLabels(lang(q))}
	d.Dimensions, d.DimensionLabels = dimensions(instrReadiness, lang(q))
	v, err := s.dataVersion(ctx)
	if err != nil {
		return d, err
	}
	d.Version = v
	key := panelKey("readiness-waves", reports.Query{Tenant: q.Tenant, From: q.From, To: q.To})
	out, err := s.cache.get(v, key, func() (any, error) {
		return s.waves(ctx, reports.Query{Tenant: q.Tenant, From: q.From, To: q.To}, instrReadiness)
	})
	if err != nil {
		return d, err
	}
	for _, w := range out.([]string) {
		wc, err := s.waveCells(ctx, v, q.Tenant, instrReadiness, w, d.Dimensions)
		if err != nil {
			return d, err
		}
		d.Waves = append(d.Waves, wc)
	}
	return d, nil
}

// WaveCells implements reports.Store: the lattice of one wave.
func (s *Store) WaveCells(ctx context.Context, tenant, instrument, wave string) (reports.ReadinessCells, error) {
	d := reports.ReadinessCells{Instrument: instrument}
	d.Dimensions, d.DimensionLabels = dimensions(instrument, "it")
	v, err := s.dataVersion(ctx)
	if err != nil {
		return d, err
	}
	d.Version = v
	wc, err := s.waveCells(ctx, v, tenant, instrument, wave, d.Dimensions)
	if err != nil {
		return d, err
	}
	if wc.Lattice != nil {
		d.Waves = []reports.WaveCells{wc}
	}
	return d, nil
}

// waveCells reads one wave's lattice, cached per data version: two
// GROUPING SETS queries (scores per dimension; people with their index).
func (s *Store) waveCells(ctx context.Context, version, tenant, instrument, wave string, dims []string) (reports.WaveCells, error) {
	key := "wave-cells|" + tenant + "|" + instrument + "|" + wave
	out, err := s.cache.get(version, key, func() (any, error) { return s.readWaveCells(ctx, tenant, instrument, wave, dims) })
	if err != nil {
		return reports.WaveCells{}, err
	}
	return out.(reports.WaveCells), nil
}

func (s *Store) readWaveCells(ctx context.Context, tenant, instrument, wave string, dims []string) (reports.WaveCells, error) {
	wc := reports.WaveCells{Wave: wave}
	p := map[string]any{"tenant": tenant, "instrument": instrument, "wave": wave, "target": trainingTarget}
	type scoreRow struct {
		cubeRow
		dim      string
		n, below uint64
		s, ss    float64
	}
	type personRow struct {
		cubeRow
		n, ni   uint64
		si, ssi float64
	}
	type catRow struct {
		cubeRow
		kind, cat string
		n         uint64
	}
	var srows []scoreRow
	var prows []personRow
	var crows, levelRows []catRow // segments and stages; levels (kind "level/<dimension>")
	categories := func() error {
		if instrument != instrReadiness {
			return nil
		}
		pc := with(p, "stages", instrStages)
		return parallel(func() error {
			return s.each(ctx, "Readiness.categorycells", pc, func(r driver.Rows) error {
				var x catRow
				if err := r.Scan(&x.kind, &x.cat, &x.u, &x.g, &x.c, &x.tu, &x.tg, &x.tc, &x.n); err != nil {
					return err
				}
				crows = append(crows, x)
				return nil
			})
		}, func() error {
			err := s.each(ctx, "Readiness.levelcells", p, func(r driver.Rows) error {
				var x catRow
				var level uint8
				if err := r.Scan(&x.kind, &level, &x.u, &x.g, &x.c, &x.tu, &x.tg, &x.tc, &x.n); err != nil {
					return err
				}
				x.kind, x.cat = "level/"+x.kind, strconv.Itoa(int(level))
				levelRows = append(levelRows, x)
				return nil
			})
			return err
		})
	}
	err := parallel(categories, func() error {
		return s.each(ctx, "Readiness.cells", p, func(r driver.Rows) error {
			var x scoreRow
			if err := r.Scan(&x.dim, &x.u, &x.g, &x.c, &x.tu, &x.tg, &x.tc, &x.n, &x.s, &x.ss, &x.below); err != nil {
				return err
			}
			srows = append(srows, x)
			return nil
		})
	}, func() error {
		return s.each(ctx, "Readiness.personcells", p, func(r driver.Rows) error {
			var x personRow
			if err := r.Scan(&x.u, &x.g, &x.c, &x.tu, &x.tg, &x.tc, &x.n, &x.ni, &x.si, &x.ssi); err != nil {
				return err
			}
			prows = append(prows, x)
			return nil
		})
	})
	if err != nil || len(prows) == 0 {
		return wc, err
	}
	crows = append(crows, levelRows...)
	all := make([]cubeRow, 0, len(prows)+len(srows)+len(crows))
	for _, r := range crows {
		all = append(all, r.cubeRow)
	}
	for _, r := range prows {
		all = append(all, r.cubeRow)
	}
	for _, r := range srows {
		all = append(all, r.cubeRow)
	}
	l, err := cubeLattice(all)
	if err != nil {
		return wc, err
	}
	size := l.Len()
	wc.Lattice, wc.People, wc.Index = l, make([]int, size), newMoments(size)
	wc.Scores, wc.Below = map[string]reports.CellMoments{}, map[string][]float64{}
	for _, dim := range dims {
		wc.Scores[dim] = newMoments(size)
		wc.Below[dim] = make([]float64, size)
	}
	for _, r := range prows {
		if i := r.index(l); i >= 0 {
			wc.People[i] = int(r.n)
			wc.Index.N[i], wc.Index.S[i], wc.Index.SS[i] = int(r.ni), r.si, r.ssi
		}
	}
	for _, r := range srows {
		m, ok := wc.Scores[r.dim]
		i := r.index(l)
		if !ok || i < 0 {
			continue
		}
		m.N[i], m.S[i], m.SS[i] = int(r.n), r.s, r.ss
		wc.Below[r.dim][i] = float64(r.below)
	}
	if instrument != instrReadiness {
		return wc, nil
	}
	// Categories: each family in its display order, unknown ones after.
	order := map[string][]string{"segment": segmentIDs(), "stage": append(stageIDs(), "none")}
	wc.Levels = map[string]reports.CategoryCells{}
	for _, dim := range dims {
		order["level/"+dim] = []string{"1", "2", "3", "4", "5"}
	}
	seen := map[string]map[string]bool{}
	for _, r := range crows {
		if seen[r.kind] == nil {
			seen[r.kind] = map[string]bool{}
		}
		seen[r.kind][r.cat] = true
	}
	fams := map[string]*reports.CategoryCells{}
	for kind, cats := range order {
		for _, c := range sortedKeys(seen[kind]) {
			if !slices.Contains(cats, c) {
				cats = append(cats, c)
			}
		}
		cc := &reports.CategoryCells{Categories: cats, People: make([][]int, len(cats))}
		for i := range cats {
			cc.People[i] = make([]int, size)
		}
		fams[kind] = cc
	}
	for _, r := range crows {
		cc, ok := fams[r.kind]
		if i := r.index(l); ok && i >= 0 {
			cc.People[slices.Index(cc.Categories, r.cat)][i] = int(r.n)
		}
	}
	wc.Segments, wc.Stages = *fams["segment"], *fams["stage"]
	for _, dim := range dims {
		wc.Levels[dim] = *fams["level/"+dim]
	}
	return wc, nil
}

// segmentIDs are the segments' identifiers, most ready first.
func segmentIDs() []string {
	out := make([]string, len(segmentLabels))
	for i, sl := range segmentLabels {
		out[i] = sl.id
	}
	return out
}

// stageIDs are the barrier stages' identifiers, in the order of the
// change-readiness instrument.
func stageIDs() []string {
	ids, _ := dimensions(instrStages, "it")
	return slices.Clone(ids)
}

// categoryLabels names the segments and barrier stages in lang.
func categoryLabels(lang string) map[string]string {
	out := map[string]string{"none": l2(noBarrier[0], noBarrier[1], lang)}
	for _, sl := range segmentLabels {
		out[sl.id] = l2(sl.it, sl.en, lang)
	}
	ids, labels := dimensions(instrStages, lang)
	for _, id := range ids {
		out[id] = labels[id]
	}
	return out
}

// PublishingCells implements reports.Store: the publishing lattice of
// every week of the tenant, from one GROUPING SETS query.
func (s *Store) PublishingCells(ctx context.Context, tenant string) (reports.PublishingCells, error) {
	d, v, err := versioned(s, ctx, "publishing-cells|"+tenant, func() (reports.PublishingCells, error) { return s.publishingCells(ctx, tenant) })
	d.Version = v
	return d, err
}

// versioned returns the value cached under key for the current data
// version (computing it with fn when missing), with that version: the
// privacy layer caches its protection under it.
func versioned[T any](s *Store, ctx context.Context, key string, fn func() (T, error)) (T, string, error) {
	var zero T
	v, err := s.dataVersion(ctx)
	if err != nil {
		return zero, "", err
	}
	out, err := s.cache.get(v, key, func() (any, error) { return fn() })
	if err != nil {
		return zero, "", err
	}
	return out.(T), v, nil
}

func (s *Store) publishingCells(ctx context.Context, tenant string) (reports.PublishingCells, error) {
	type row struct {
		weekCube
		people, items uint64
	}
	var rows []row
	err := s.each(ctx, "Communication.publishingcells", map[string]any{"tenant": tenant}, func(r driver.Rows) error {
		var x row
		if err := r.Scan(&x.week, &x.u, &x.g, &x.c, &x.tu, &x.tg, &x.tc, &x.people, &x.items); err != nil {
			return err
		}
		rows = append(rows, x)
		return nil
	})
	d := reports.PublishingCells{}
	if err != nil || len(rows) == 0 {
		return d, err
	}
	var slot func(row) (int, int, bool)
	if d.Lattice, d.Weeks, slot, err = weeklyLattice(rows); err != nil {
		return d, err
	}
	d.People, d.Items = make([][]int, len(d.Weeks)), make([][]float64, len(d.Weeks))
	for w := range d.Weeks {
		d.People[w], d.Items[w] = make([]int, d.Lattice.Len()), make([]float64, d.Lattice.Len())
	}
	for _, r := range rows {
		if w, i, ok := slot(r); ok {
			d.People[w][i], d.Items[w][i] = int(r.people), float64(r.items)
		}
	}
	return d, nil
}

// DiaryCells implements reports.Store: the diary lattice of every week of
// the tenant (one GROUPING SETS query) and its pilot's groups of cohorts.
func (s *Store) DiaryCells(ctx context.Context, tenant string) (reports.DiaryCells, error) {
	d, v, err := versioned(s, ctx, "diary-cells|"+tenant, func() (reports.DiaryCells, error) { return s.diaryCells(ctx, tenant) })
	d.Version = v
	return d, err
}

func (s *Store) diaryCells(ctx context.Context, tenant string) (reports.DiaryCells, error) {
	d := reports.DiaryCells{Ratings: analytics.RatingNames}
	p, ok := s.pilotOf(tenant)
	if !ok {
		return d, nil
	}
	v := analytics.NewPilotWeeks(p)
	d.Groups = map[string][]string{analytics.GroupPilot: v.TreatedCohorts(), analytics.GroupComparison: slices.Clone(p.Comparison)}
	type row struct {
		weekCube
		people uint64
		s      [6]float64
	}
	var rows []row
	err := s.each(ctx, "Impact.diarycells", map[string]any{"tenant": tenant}, func(r driver.Rows) error {
		var x row
		if err := r.Scan(&x.week, &x.u, &x.g, &x.c, &x.tu, &x.tg, &x.tc, &x.people, &x.s[0], &x.s[1], &x.s[2], &x.s[3], &x.s[4], &x.s[5]); err != nil {
			return err
		}
		rows = append(rows, x)
		return nil
	})
	if err != nil || len(rows) == 0 {
		return d, err
	}
	var slot func(row) (int, int, bool)
	if d.Lattice, d.Weeks, slot, err = weeklyLattice(rows); err != nil {
		return d, err
	}
	size := d.Lattice.Len()
	d.People, d.Moments = make([][]int, len(d.Weeks)), make([][]reports.CellMoments, len(d.Weeks))
	for w := range d.Weeks {
		d.People[w] = make([]int, size)
		for range analytics.RatingNames {
			d.Moments[w] = append(d.Moments[w], newMoments(size))
		}
	}
	for _, r := range rows {
		w, i, ok := slot(r)
		if !ok {
			continue
		}
		d.People[w][i] = int(r.people)
		for j := range analytics.RatingNames {
			m := d.Moments[w][j]
			m.N[i], m.S[i], m.SS[i] = int(r.people), r.s[2*j], r.s[2*j+1]
		}
	}
	return d, nil
}
