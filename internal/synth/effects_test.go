package synth

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/schemas"
)

// means accumulates group means.
type means map[string]*[2]float64

func (m means) add(k string, x float64) {
	if m[k] == nil {
		m[k] = &[2]float64{}
	}
	m[k][0] += x
	m[k][1]++
}

func (m means) mean(k string) float64 {
	if m[k] == nil || m[k][1] == 0 {
		return math.NaN()
	}
	return m[k][0] / m[k][1]
}

// did is (treated post - treated pre) - (comparison post - comparison pre).
func (m means) did() float64 {
	return m.mean("t1") - m.mean("t0") - (m.mean("c1") - m.mean("c0"))
}

func TestDiaryCarriesTheBuiltInEffects(t *testing.T) {
	if testing.Short() {
		t.Skip("moderate scale")
	}
	// pilot-1 of comune-aurelia against its comparison diarists, split at
	// 2025-11-03. Expected: the built-in effects (+0.6, +0.3, -0.2) shrunk a
	// little by rounding and clipping to 1..5; tolerance 0.15.
	wlb, prod, conn, tech, home := means{}, means{}, means{}, means{}, means{}
	cfg := Config{Seed: 1, Scale: 0.25, Streams: []schemas.Stream{schemas.StreamDiary}}
	err := Generate(cfg, func(_ schemas.Stream, line []byte) error {
		var d schemas.DiaryEntry
		if err := json.Unmarshal(line, &d); err != nil {
			return err
		}
		if d.Tenant != "comune-aurelia" || d.Cohort == "pilot-2" {
			return nil
		}
		g := "c"
		if d.Cohort == "pilot-1" {
			g = "t"
		}
		post := "0"
		if d.Date >= "2025-11-03" {
			post = "1"
		}
		wlb.add(g+post, float64(d.WorkLifeBalance))
		prod.add(g+post, float64(d.Productivity))
		conn.add(g+post, float64(d.Connection))
		b2f := func(b bool) float64 {
			if b {
				return 1
			}
			return 0
		}
		home.add(g+post, b2f(d.Location == "home"))
		phase := post
		if g == "t" && post == "1" && d.Date < "2025-11-24" {
			phase = "early"
		}
		tech.add(g+phase, b2f(d.TechProblems))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"work_life_balance", wlb.did(), EffectWorkLifeBalance},
		{"productivity", prod.did(), EffectProductivity},
		{"connection", conn.did(), EffectConnection},
	} {
		t.Logf("%s: difference in differences %.3f (built in %.1f)", c.name, c.got, c.want)
		if math.Abs(c.got-c.want) > 0.15 {
			t.Errorf("%s: difference in differences %.3f, want %.1f ± 0.15", c.name, c.got, c.want)
		}
	}
	t.Logf("home share: pilot before %.2f after %.2f, comparison %.2f", home.mean("t0"), home.mean("t1"), home.mean("c1"))
	if home.mean("t1") < 0.35 || home.mean("t0") > 0.08 || home.mean("c1") > 0.08 {
		t.Errorf("home share: pilot before %.2f after %.2f, comparison %.2f", home.mean("t0"), home.mean("t1"), home.mean("c1"))
	}
	t.Logf("tech problems: before %.2f, first 3 weeks %.2f, later %.2f", tech.mean("t0"), tech.mean("tearly"), tech.mean("t1"))
	if !(tech.mean("tearly") > tech.mean("t0")+0.1 && tech.mean("t1") < tech.mean("t0")) {
		t.Errorf("tech problems: before %.2f, first 3 weeks %.2f, later %.2f", tech.mean("t0"), tech.mean("tearly"), tech.mean("t1"))
	}
}

func TestIntranetCarriesTheBuiltInEffects(t *testing.T) {
	// Per working day and person: cloud tool events and remote share of
	// pilot-1 and comparison in comune-aurelia, in October 2025 (before) and
	// from mid-December (after the ~6-week adoption ramp).
	type acc struct{ cloud, remote, all float64 }
	groups := map[string]*acc{}
	cfg := Config{Seed: 1, Scale: 0.05, Streams: []schemas.Stream{schemas.StreamIntranet}}
	err := Generate(cfg, func(_ schemas.Stream, line []byte) error {
		var e schemas.IntranetEvent
		if err := json.Unmarshal(line, &e); err != nil {
			return err
		}
		if e.Tenant != "comune-aurelia" || e.Cohort == "pilot-2" {
			return nil
		}
		day := e.TS.In(rome).Format(time.DateOnly)
		var phase string
		switch {
		case day >= "2025-10-01" && day < "2025-11-01":
			phase = "pre"
		case day >= "2025-12-15" && day < "2026-02-01":
			phase = "post"
		default:
			return nil
		}
		k := e.Cohort + "/" + phase
		if groups[k] == nil {
			groups[k] = &acc{}
		}
		g := groups[k]
		g.all++
		if e.Kind == schemas.KindCloudTool {
			g.cloud++
		}
		if e.Remote {
			g.remote++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	share := func(k string) (float64, float64) { g := groups[k]; return g.cloud / g.all, g.remote / g.all }
	pc0, pr0 := share("pilot-1/pre")
	pc1, pr1 := share("pilot-1/post")
	cc0, cr0 := share("comparison/pre")
	cc1, cr1 := share("comparison/post")
	t.Logf("cloud share: pilot %.3f -> %.3f, comparison %.3f -> %.3f", pc0, pc1, cc0, cc1)
	t.Logf("remote share: pilot %.3f -> %.3f, comparison %.3f -> %.3f", pr0, pr1, cr0, cr1)
	if pc1 < 2*pc0 || math.Abs(cc1-cc0) > 0.05 {
		t.Errorf("cloud share: pilot %.3f -> %.3f (want at least doubled), comparison %.3f -> %.3f (want flat)", pc0, pc1, cc0, cc1)
	}
	if pr1 < 0.3 || pr0 > 0.08 || cr1 > 0.08 {
		t.Errorf("remote share: pilot %.3f -> %.3f, comparison %.3f -> %.3f", pr0, pr1, cr0, cr1)
	}
}

func TestSurveysCarryTheBuiltInEffects(t *testing.T) {
	// Mean digital-readiness item score (reversed items reversed back) by
	// group and wave. Participants should gain clearly more than the
	// comparison group (0.3 SD against 0.05 SD of the latent trait).
	instruments, err := schemas.BuiltinInstruments()
	if err != nil {
		t.Fatal(err)
	}
	dr, _ := schemas.FindInstrument(instruments, "digital-readiness", 1)
	m := means{}
	stages := map[string]*[5]float64{}
	respondents := map[string]int{}
	cfg := Config{Seed: 1, Scale: 0.2, Streams: []schemas.Stream{schemas.StreamSurvey}}
	err = Generate(cfg, func(_ schemas.Stream, line []byte) error {
		var r schemas.SurveyResponse
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		switch r.InstrumentID {
		case "digital-readiness":
			g := "c"
			if r.Cohort != ComparisonCohort {
				g = "t"
			}
			w := "0"
			if r.Wave == "2026-04" {
				w = "1"
			}
			for id, x := range r.Answers {
				it, _ := dr.Item(id)
				if it.Reversed {
					x = float64(dr.Scale.Min+dr.Scale.Max) - x
				}
				m.add(g+w, x)
			}
			if w == "0" {
				respondents[r.Tenant]++
			}
		case "change-readiness":
			if stages[r.Wave] == nil {
				stages[r.Wave] = &[5]float64{}
			}
			for i, id := range []string{"stage-consapevolezza", "stage-desiderio", "stage-conoscenza", "stage-abilita", "stage-rinforzo"} {
				stages[r.Wave][i] += r.Answers[id]
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gain, cgain := m.mean("t1")-m.mean("t0"), m.mean("c1")-m.mean("c0")
	t.Logf("digital-readiness item mean: pilot %.3f -> %.3f, comparison %.3f -> %.3f", m.mean("t0"), m.mean("t1"), m.mean("c0"), m.mean("c1"))
	if gain < 0.1 || math.Abs(cgain) > 0.08 || gain-cgain < 0.1 {
		t.Errorf("gains: pilot %.3f, comparison %.3f", gain, cgain)
	}
	s := stages["2025-10"]
	t.Logf("change-readiness stage totals, wave 2025-10: %v", *s)
	for i := 1; i < 5; i++ {
		if s[i] > s[0] {
			t.Errorf("stage %d is rated above awareness: %v", i+1, *s)
		}
	}
	if s[4] >= s[1] {
		t.Errorf("reinforcement is not below desire: %v", *s)
	}
	// Response rate of about 70-80% of employees.
	tenants, _ := newWorld(cfg)
	for _, tn := range tenants.tenants {
		rate := float64(respondents[tn.spec.ID]) / float64(len(tn.people))
		t.Logf("%s: response rate %.2f", tn.spec.ID, rate)
		if rate < 0.6 || rate > 0.85 {
			t.Errorf("%s: response rate %.2f, want about 0.7-0.8", tn.spec.ID, rate)
		}
	}
}

func TestPilotParticipationIsNotUniform(t *testing.T) {
	w, err := newWorld(Config{Seed: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	aur := w.tenants[0]
	count := map[int]int{}
	police, policeIn, ops, opsIn := 0, 0, 0, 0
	for _, p := range aur.people {
		count[p.cohort]++
		if aur.spec.Units[p.unit].Name == "Polizia locale" {
			police++
			if p.cohort > 0 {
				policeIn++
			}
		}
		if p.grade == 0 {
			ops++
			if p.cohort > 0 {
				opsIn++
			}
		}
	}
	if len(aur.people) != 4000 || count[1] != 300 || count[2] != 100 {
		t.Errorf("comune-aurelia: %d employees, pilot-1 %d, pilot-2 %d; want 4000, 300, 100", len(aur.people), count[1], count[2])
	}
	share := 400.0 / 4000
	if float64(policeIn)/float64(police) > share/5 || float64(opsIn)/float64(ops) > share/2 {
		t.Errorf("participation: Polizia locale %d of %d, Operatori %d of %d, overall share %.2f", policeIn, police, opsIn, ops, share)
	}
	units := map[int]bool{}
	for _, p := range aur.people {
		units[p.unit] = true
	}
	if len(units) < 15 {
		t.Errorf("comune-aurelia has people in %d units, want 15 or more", len(units))
	}
	if bgv := w.tenants[1]; len(bgv.people) != 300 {
		t.Errorf("comune-borgoverde: %d employees, want 300", len(bgv.people))
	}
}
