// Package reportstest is an in-memory, deterministic implementation of the
// reports package's Store and PipelineSource, for tests and development. It
// computes every aggregate from a synthetic population, so filters change
// group sizes the way a real store would, and it includes small groups
// (a unit of 4 people, a grade of 3) to exercise suppression.
//
// It imports only reports and the standard library; no I/O.
package reportstest

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Tenants of the fixture: a large municipality and a small one.
const (
	TenantA = "comune-alfa"
	TenantB = "comune-beta"
)

// SmallUnit is the unit of TenantA with 4 people: always suppressed.
const SmallUnit = "Protocollo"

// Dimensions are the DigComp 2.2 areas scored by the fixture.
var Dimensions = []string{"info", "comm", "content", "safety", "problem"}

// DimensionLabels are the Italian names of the areas.
var DimensionLabels = map[string]string{
	"info": "Informazione e dati", "comm": "Comunicazione", "content": "Creazione contenuti",
	"safety": "Sicurezza", "problem": "Risolvere problemi",
}

type person struct {
	tenant, unit, grade, cohort string
	scores                      [5]float64
	before                      [5]float64
	responded                   bool
	referent                    bool
}

type unitSpec struct {
	name string
	n    int
}

var specs = map[string][]unitSpec{
	TenantA: {{"Ragioneria", 40}, {"Servizi sociali", 30}, {"Urbanistica", 22}, {"Polizia locale", 12}, {SmallUnit, 4}},
	TenantB: {{"Segreteria", 9}, {"Tributi", 8}},
}

func population() []person {
	r := rand.New(rand.NewPCG(42, 7))
	var out []person
	for _, tenant := range []string{TenantA, TenantB} {
		for ui, u := range specs[tenant] {
			for i := 0; i < u.n; i++ {
				p := person{tenant: tenant, unit: u.name}
				switch {
				case tenant == TenantA && ui == 0 && i < 3:
					p.grade = "dirigente" // a grade of 3 people
				case i%3 == 0:
					p.grade = "istruttore"
				default:
					p.grade = "funzionario"
				}
				p.cohort = []string{"onda-1", "onda-2", "confronto"}[i%3]
				base := 2.4 + 0.25*float64(ui%3) + r.NormFloat64()*0.5
				for d := range p.scores {
					s := base + 0.3*float64(d%3) - 0.2 + r.NormFloat64()*0.6
					p.scores[d] = math.Round(clamp(s, 1, 5)*10) / 10
					p.before[d] = math.Round(clamp(s-0.25+r.NormFloat64()*0.3, 1, 5)*10) / 10
				}
				p.responded = r.Float64() < 0.8
				p.referent = i%7 == 0
				out = append(out, p)
			}
		}
	}
	return out
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

func meanCI(xs []float64) (mean, lo, hi float64) {
	n := float64(len(xs))
	if n == 0 {
		return 0, 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= n
	if n < 2 {
		return mean, 0, 0
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	se := math.Sqrt(ss/(n-1)) / math.Sqrt(n)
	return mean, mean - 1.96*se, mean + 1.96*se
}

func uniq(ps []person, f func(person) string) []string {
	var out []string
	for _, p := range ps {
		if v := f(p); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
