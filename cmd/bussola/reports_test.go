package main

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/synth"
	"github.com/bussola-pa/bussola/privacy"
	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/figures"
	"github.com/bussola-pa/bussola/schemas"
)

const aurelia = "comune-aurelia"

// mustLoadedMain runs the service on generated demo data at scale 0.05
// (about 200 people in comune-aurelia, 20 in its pilot) posted through the
// intake, with the questionnaires scored into the readiness tables. The
// store is the report pages' store: the ClickHouse adapter with the
// figures analytics computes from it.
func mustLoadedMain(t *testing.T) (*Main, loadedStore) {
	t.Helper()
	m := mustOpenMain(t, nil)
	loadScored(t, m)
	raw, err := m.Store.WithReports(clickhouse.ReportOptions{Pilots: synth.DemoPilots()})
	if err != nil {
		t.Fatal(err)
	}
	return m, loadedStore{figures.New(raw), raw}
}

// loadedStore is the pages' store with the adapter's data version.
type loadedStore struct {
	*figures.Store
	raw *clickhouse.Store
}

func (s loadedStore) Version(ctx context.Context) (string, error) { return s.raw.Version(ctx) }

// loadScored posts generated data at scale 0.05 and scores it.
func loadScored(t *testing.T, m *Main) {
	t.Helper()
	data := generated(t, 0.05)
	postAll(t, m, data)
	want := map[schemas.Stream]int{}
	for _, s := range schemas.Streams {
		want[s] = len(data[s])
	}
	if err := waitQueryable(context.Background(), m, want, 3*time.Minute); err != nil {
		t.Fatal(err)
	}
	scoreReadiness(t, m)
}

func TestReportStore(t *testing.T) {
	m, st := mustLoadedMain(t)
	ctx := context.Background()
	q := reports.Query{Tenant: aurelia, Lang: "it"}

	t.Run("OK the readiness heatmap counts each unit's distinct respondents and their mean score", func(t *testing.T) {
		d, err := st.Readiness(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Heatmap) == 0 || len(d.Dimensions) != 5 {
			t.Fatalf("heatmap %d cells, dimensions %v", len(d.Heatmap), d.Dimensions)
		}
		for _, c := range d.Heatmap {
			var n uint64
			var mean float64
			err := m.Store.Conn().QueryRow(ctx, `SELECT uniqExact(person), avg(score) FROM bussola.readiness_scores
				WHERE tenant = ? AND instrument_id = 'digital-readiness' AND wave = '2026-04' AND dimension = ? AND org_unit = ? AND score IS NOT NULL`,
				aurelia, c.Dimension, c.Unit).Scan(&n, &mean)
			if err != nil {
				t.Fatal(err)
			}
			if c.Cell.N != int(n) || math.Abs(c.Cell.Value-mean) > 1e-9 {
				t.Errorf("%s/%s: store N=%d mean=%.6f, SQL N=%d mean=%.6f", c.Unit, c.Dimension, c.Cell.N, c.Cell.Value, n, mean)
			}
			if c.Cell.N > 1 && !(c.Cell.Lo < c.Cell.Value && c.Cell.Value < c.Cell.Hi) {
				t.Errorf("%s/%s: CI %.3f..%.3f does not bracket %.3f", c.Unit, c.Dimension, c.Cell.Lo, c.Cell.Hi, c.Cell.Value)
			}
		}
		// The generator raises digital competence by 0.3 SD for the pilot
		// and 0.05 SD for everyone else between the waves: every area's mean
		// goes up.
		for _, w := range d.Waves {
			if w.FromWave != "2025-10" || w.ToWave != "2026-04" || w.Change.Value <= 0 {
				t.Errorf("wave change %+v: want a rise from 2025-10 to 2026-04", w)
			}
		}
		seg := 0
		for _, s := range d.Segments {
			seg += s.Cell.N
		}
		if seg == 0 || seg > d.Population.N {
			t.Errorf("segments count %d people, population %d", seg, d.Population.N)
		}
	})

	t.Run("OK the readiness lattice of each wave is one cube whose margins add up and whose cells agree with SQL", func(t *testing.T) {
		c, err := st.ReadinessCells(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Waves) != 2 || c.Waves[0].Wave != "2025-10" || c.Waves[1].Wave != "2026-04" {
			t.Fatalf("waves %+v, want 2025-10 then 2026-04", c.Waves)
		}
		for _, w := range c.Waves {
			l := w.Lattice
			if err := l.CheckCounts(w.People); err != nil {
				t.Errorf("wave %s people: %v", w.Wave, err)
			}
			for _, dim := range c.Dimensions {
				m := w.Scores[dim]
				if err := l.CheckCounts(m.N); err != nil {
					t.Errorf("wave %s %s: %v", w.Wave, dim, err)
				}
				if err := l.CheckSums(dim, m.S, 1e-6); err != nil {
					t.Errorf("wave %s: %v", w.Wave, err)
				}
			}
			unit := l.Dims()[0].Categories[0]
			i, err := l.Cell(map[string]string{"unit": unit})
			if err != nil {
				t.Fatal(err)
			}
			dim := c.Dimensions[0]
			var n uint64
			var sum float64
			err = m.Store.Conn().QueryRow(ctx, `SELECT uniqExact(person), sum(score) FROM bussola.readiness_scores
				WHERE tenant = ? AND instrument_id = 'digital-readiness' AND wave = ? AND dimension = ? AND org_unit = ? AND score IS NOT NULL`,
				aurelia, w.Wave, dim, unit).Scan(&n, &sum)
			if err != nil {
				t.Fatal(err)
			}
			if got := w.Scores[dim]; got.N[i] != int(n) || math.Abs(got.S[i]-sum) > 1e-6 {
				t.Errorf("wave %s %s/%s: cube N=%d sum=%.4f, SQL N=%d sum=%.4f", w.Wave, unit, dim, got.N[i], got.S[i], n, sum)
			}
		}
	})

	t.Run("OK the levels, segments and stages of the latest wave add up in the lattice and agree with the entity's counts", func(t *testing.T) {
		c, err := st.ReadinessCells(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		d, err := st.Readiness(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		w := c.Waves[len(c.Waves)-1]
		l := w.Lattice
		total := l.Index(privacy.Total, privacy.Total, privacy.Total)
		entity := map[string]int{}
		for _, x := range d.Distribution {
			entity["level/"+x.Dimension+"/"+x.Level] = x.Cell.N
		}
		for _, x := range d.Segments {
			entity["segment/"+x.Category] = x.Cell.N
		}
		for _, x := range d.Stages {
			entity["stage/"+x.Category] = x.Cell.N
		}
		check := func(kind string, cc reports.CategoryCells, sum []int) {
			if len(cc.Categories) == 0 {
				t.Fatalf("%s: no categories", kind)
			}
			got := make([]int, l.Len())
			for ci, cat := range cc.Categories {
				if err := l.CheckCounts(cc.People[ci]); err != nil {
					t.Errorf("%s %s: %v", kind, cat, err)
				}
				for i, n := range cc.People[ci] {
					got[i] += n
				}
				label := cat
				if x, ok := c.CategoryLabels[cat]; ok {
					label = x
				}
				if want, ok := entity[kind+"/"+label]; ok && want != cc.People[ci][total] {
					t.Errorf("%s %s: entity cell %d, entity count %d", kind, label, cc.People[ci][total], want)
				}
			}
			if sum != nil && !slices.Equal(got, sum) {
				t.Errorf("%s: the categories do not add up to the scored people of each cell", kind)
			}
		}
		for _, dim := range c.Dimensions {
			check("level/"+dim, w.Levels[dim], w.Scores[dim].N)
		}
		check("segment", w.Segments, w.People)
		check("stage", w.Stages, nil)
	})

	t.Run("OK the publishing lattice of each week is one cube whose margins add up", func(t *testing.T) {
		c, err := st.PublishingCells(ctx, aurelia)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Weeks) == 0 || c.Lattice == nil {
			t.Fatalf("no publishing weeks: %+v", c)
		}
		for w, week := range c.Weeks {
			if err := c.Lattice.CheckCounts(c.People[w]); err != nil {
				t.Errorf("week %s referents: %v", week, err)
			}
			if err := c.Lattice.CheckSums("items", c.Items[w], 1e-9); err != nil {
				t.Errorf("week %s: %v", week, err)
			}
		}
	})

	t.Run("OK the diary lattice of each week is one cube whose margins add up, with the pilot's groups", func(t *testing.T) {
		c, err := st.DiaryCells(ctx, aurelia)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Weeks) == 0 || c.Lattice == nil || len(c.Groups["pilot"]) == 0 || len(c.Groups["comparison"]) == 0 {
			t.Fatalf("diary cells: %d weeks, groups %v", len(c.Weeks), c.Groups)
		}
		for w, week := range c.Weeks {
			if err := c.Lattice.CheckCounts(c.People[w]); err != nil {
				t.Errorf("week %s writers: %v", week, err)
			}
			for j, name := range c.Ratings {
				if err := c.Lattice.CheckSums(name, c.Moments[w][j].S, 1e-6); err != nil {
					t.Errorf("week %s: %v", week, err)
				}
			}
		}
	})

	t.Run("OK the known population counts every person of every stream once, in a cell of the tenant's options", func(t *testing.T) {
		kp, err := st.KnownPopulation(ctx, aurelia)
		if err != nil {
			t.Fatal(err)
		}
		o, err := st.Options(ctx, aurelia)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, c := range kp.Cells {
			if c.People <= 0 || !slices.Contains(o.Units, c.Unit) || !slices.Contains(o.Grades, c.Grade) || !slices.Contains(o.Cohorts, c.Cohort) {
				t.Errorf("known cell %+v: no people, or a label the options lack", c)
			}
			total += c.People
		}
		var n uint64
		err = m.Store.Conn().QueryRow(ctx, `SELECT uniqExact(person) FROM (
			SELECT person FROM bussola.intranet_weekly WHERE tenant = ?
			UNION ALL SELECT person FROM bussola.diary_entries FINAL WHERE tenant = ?
			UNION ALL SELECT person FROM bussola.survey_answers FINAL WHERE tenant = ?)`, aurelia, aurelia, aurelia).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if total != int(n) || n == 0 {
			t.Fatalf("known population %d people in %d cells, SQL %d distinct people", total, len(kp.Cells), n)
		}
		d, err := st.DiaryCells(ctx, aurelia)
		if err != nil {
			t.Fatal(err)
		}
		top := d.Lattice.Index(privacy.Total, privacy.Total, privacy.Total)
		for w, week := range d.Weeks {
			if d.People[w][top] > total {
				t.Errorf("week %s: %d writers, more than the %d people known", week, d.People[w][top], total)
			}
		}
	})

	t.Run("OK filters narrow the population and unknown values give empty results", func(t *testing.T) {
		all, err := st.Readiness(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		one := q
		one.Unit = all.Heatmap[0].Unit
		d, err := st.Readiness(ctx, one)
		if err != nil {
			t.Fatal(err)
		}
		if d.Population.EntityN != all.Population.EntityN || d.Population.N >= all.Population.N || d.Population.N == 0 {
			t.Errorf("unit filter: population %+v, unfiltered %+v", d.Population, all.Population)
		}
		for _, c := range d.Heatmap {
			if c.Unit != one.Unit {
				t.Errorf("unit filter %q returned unit %q", one.Unit, c.Unit)
			}
		}
		none := q
		none.Unit = "Ufficio inesistente"
		for name, f := range map[string]func() (int, int, error){
			"readiness": func() (int, int, error) {
				d, err := st.Readiness(ctx, none)
				return d.Population.N, len(d.Heatmap), err
			},
			"impact":    func() (int, int, error) { d, err := st.Impact(ctx, none); return d.Population.N, len(d.Adoption), err },
			"executive": func() (int, int, error) { d, err := st.Executive(ctx, none); return d.Population.N, 0, err },
			"communication": func() (int, int, error) {
				d, err := st.Communication(ctx, none)
				return d.Population.N, len(d.Ratings), err
			},
		} {
			n, cells, err := f()
			if err != nil || n != 0 || cells != 0 {
				t.Errorf("%s with an unknown unit: N=%d, %d cells, err %v", name, n, cells, err)
			}
		}
	})

	t.Run("OK the impact page finds the generator's built-in pilot effects", func(t *testing.T) {
		d, err := st.Impact(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.MarshalIndent(d.DiD, "", " ")
		t.Logf("DiD rows: %s", js)
		byOutcome := map[string]reports.DiDRow{}
		for _, r := range d.DiD {
			byOutcome[r.Outcome] = r
		}
		wlb, ok := byOutcome["Equilibrio vita-lavoro (diario, 1-5)"]
		// Built in: +0.6 on work-life balance before rounding to the 1-5
		// scale. At this scale (20 pilot and 15 comparison diarists) the
		// estimate is 0.88 with a 95% CI of 0.46..1.31.
		if !ok || wlb.Estimate.Lo > 0.6 || wlb.Estimate.Hi < 0.6 || wlb.Estimate.Lo <= 0 {
			t.Errorf("work-life balance ATT %+v, want a 95%% CI above 0 that contains the built-in 0.6", wlb)
		}
		cloud, ok := byOutcome["Azioni con strumenti cloud per settimana"]
		// Built in: +1.1 cloud actions per working day at full adoption
		// (about +4 a week after six weeks); the CI must exclude 0.
		if !ok || cloud.Estimate.Lo <= 0 || cloud.NTreated == 0 || cloud.NControl == 0 {
			t.Errorf("cloud-tool ATT %+v, want a positive effect", cloud)
		}
		if len(d.EventStudy) < 10 {
			t.Errorf("event study has %d points", len(d.EventStudy))
		}
		// The effects by grade group: each group's people are a part of
		// the entity's in each arm (read from Impact.grades).
		groups := map[string]bool{}
		for _, g := range d.Groups {
			groups[g.Group] = true
			e, ok := byOutcome[g.Outcome]
			if !ok || g.NTreated > e.NTreated || g.NControl > e.NControl || g.NTreated+g.NControl == 0 {
				t.Errorf("group effect %+v: its arms must be parts of the entity's %+v", g, e)
			}
		}
		if len(groups) != 2 {
			t.Errorf("effects by group: %d groups in %d rows, want both grade groups", len(groups), len(d.Groups))
		}
		// Adoption: in the last week, the pilot cohorts' share of cloud-tool
		// users is above the comparison group's.
		last := d.Adoption[len(d.Adoption)-1].Week
		share := map[string]float64{}
		for _, a := range d.Adoption {
			if a.Week == last {
				share[a.Series] = a.Cell.Value
			}
		}
		if !(share["pilot-1"] > share["comparison"]) {
			t.Errorf("adoption in week %s: %v", last, share)
		}
		if len(d.Diary) == 0 || len(d.Participation) != 3 || len(d.Terms) == 0 {
			t.Errorf("diary %d, participation %d, terms %d", len(d.Diary), len(d.Participation), len(d.Terms))
		}
		for _, tc := range d.Terms {
			// A theme may be absent from one period (0 notes, 0 people).
			if tc.Cell.Value < float64(tc.Cell.N) || tc.Notes < int(tc.Cell.Value) || (tc.Cell.N == 0) != (tc.Cell.Value == 0) {
				t.Errorf("theme %+v: its notes must be at least the people who wrote them and at most the period's notes", tc)
			}
		}
	})

	t.Run("OK the communication page counts raters per section and reads the channels", func(t *testing.T) {
		cq := q
		cq.Tenants = []string{aurelia, "comune-borgoverde"}
		d, err := st.Communication(ctx, cq)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range d.Ratings {
			var n uint64
			err := m.Store.Conn().QueryRow(ctx, `SELECT uniqExact(person) FROM bussola.survey_answers WHERE tenant = ? AND instrument_id = 'page-feedback'
				AND item = 'stars' AND if(context IN ('', '/'), 'home', splitByChar('/', context)[2]) = ?`, aurelia, r.Category).Scan(&n)
			if err != nil {
				t.Fatal(err)
			}
			if r.Cell.N != int(n) {
				t.Errorf("section %s: N %d, SQL %d", r.Category, r.Cell.N, n)
			}
		}
		if len(d.Ratings) < 5 || len(d.Reasons) != 7 || len(d.Publishing) == 0 {
			t.Errorf("ratings %d, reasons %d, publishing %d", len(d.Ratings), len(d.Reasons), len(d.Publishing))
		}
		chat := map[string]bool{}
		for _, c := range d.Channels {
			if c.Channel == "Chat" || c.Channel == "Chat interna" || c.Channel == "chat" {
				chat[c.Tenant] = c.Active
			}
		}
		if len(d.Channels) == 0 {
			t.Errorf("no channels")
		}
	})

	t.Run("OK the executive KPIs and the benchmark cover both tenants", func(t *testing.T) {
		eq := q
		eq.Tenants = []string{aurelia, "comune-borgoverde"}
		d, err := st.Executive(ctx, eq)
		if err != nil {
			t.Fatal(err)
		}
		keys := []string{}
		for _, k := range d.KPIs {
			keys = append(keys, k.Key)
			if k.Current.N == 0 {
				t.Errorf("KPI %s has no people: %+v", k.Key, k)
			}
		}
		if !slices.Equal(keys, []string{"readiness_index", "adoption_rate", "wellbeing", "response_rate"}) || len(d.Benchmark) != 8 {
			t.Errorf("KPIs %v, benchmark %d cells", keys, len(d.Benchmark))
		}
		// The trends read from the store: the behavioural KPIs per 4-week
		// window, the last one the card's; response rate per wave, the last
		// two the card's.
		for _, k := range d.KPIs[1:] {
			if len(k.Series) < 2 {
				t.Fatalf("KPI %s trend %+v, want at least the card's two periods", k.Key, k.Series)
			}
			last := k.Series[len(k.Series)-1]
			if math.Abs(last.Cell.Value-k.Current.Value) > 1e-9 || last.Cell.N != k.Current.N {
				t.Errorf("KPI %s: last trend point %+v, card %+v", k.Key, last.Cell, k.Current)
			}
		}
		if rr := d.KPIs[3].Series; len(rr) != 2 || rr[0].Period.Wave != "2025-10" || rr[0].Cell.Value != d.KPIs[3].Previous.Value {
			t.Errorf("response rate trend %+v, previous %+v", rr, d.KPIs[3].Previous)
		}
		if ad := d.KPIs[1].Series; math.Abs(ad[len(ad)-2].Cell.Value-d.KPIs[1].Previous.Value) > 1e-9 {
			t.Errorf("adoption: the window before the last %+v, card's previous %+v", ad[len(ad)-2].Cell, d.KPIs[1].Previous)
		}
	})

	t.Run("OK options list the tenant's units, grades and cohorts sorted", func(t *testing.T) {
		o, err := st.Options(ctx, aurelia)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.IsSorted(o.Units) || !slices.Contains(o.Units, "Ragioneria") || !slices.Equal(o.Cohorts, []string{"comparison", "pilot-1", "pilot-2"}) || len(o.Grades) != 5 {
			t.Errorf("options %+v", o)
		}
	})

	t.Run("OK new data changes the version and reaches the cached pages", func(t *testing.T) {
		before, err := st.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		o, _ := st.Options(ctx, aurelia)
		line := []byte(`{"event_id":"7f1c2b9e-0000-4000-8000-000000000001","tenant":"comune-aurelia","employee_id":"AUR-999999","org_unit":"Unità di prova","grade":"Istruttori","cohort":"comparison","date":"2026-05-04","lang":"it","text":"Giornata di prova.","productivity":3,"work_life_balance":3,"connection":3,"tech_problems":false,"location":"office"}`)
		postAll(t, m, map[schemas.Stream][][]byte{schemas.StreamDiary: {line}})
		waitFor(t, "the new diary entry", time.Minute, func() (bool, string) {
			v, _ := st.Version(ctx)
			return v != before, v
		})
		o2, err := st.Options(ctx, aurelia)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(o.Units, "Unità di prova") || !slices.Contains(o2.Units, "Unità di prova") {
			t.Errorf("units before %v, after %v", o.Units, o2.Units)
		}
	})

	t.Run("OK the mounted app serves the reports at / and the status page at /status", func(t *testing.T) {
		for path, want := range map[string]int{"/login": 200, "/status": 200, "/status.json": 200, "/assets/echarts/echarts.min.js": 200} {
			resp, err := http.Get("http://" + m.HTTPAddr() + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
			}
		}
	})
}
