package synth

import "github.com/bussola-pa/bussola/schemas"

// TenantSpec describes one fictional public body to generate.
type TenantSpec struct {
	ID        string // tenant slug, e.g. "comune-aurelia"
	Title     string // display name, e.g. "Comune di Aurelia"
	Prefix    string // employee id prefix, e.g. "AUR" gives "AUR-000123"
	Employees int    // head count at Scale 1
	Units     []UnitSpec
	Grades    []GradeSpec
	Waves     []WaveSpec // the pilot's cohorts, in start order
	// ComparisonDiarists is how many comparison employees keep a diary, at
	// Scale 1.
	ComparisonDiarists int
}

// UnitSpec is one organisational unit.
type UnitSpec struct {
	Name          string
	Weight        float64    // relative head count
	GradeMix      [5]float64 // relative weights of the tenant's grades
	PilotAffinity float64    // relative propensity to join the pilot (0 = none)
	ResponseRate  float64    // questionnaire response probability
	Digital       float64    // shift of the unit's digital traits, in SD
}

// GradeSpec is one staff category.
type GradeSpec struct {
	Name          string
	PilotAffinity float64 // relative propensity to join the pilot
	Digital       float64 // shift of digital traits, in SD
}

// WaveSpec is one wave of the pilot.
type WaveSpec struct {
	Label string // cohort label, e.g. "pilot-1"
	Start string // YYYY-MM-DD, a Monday inside the window
	Size  int    // participants at Scale 1
}

// ComparisonCohort is the cohort label of employees outside the pilot.
const ComparisonCohort = "comparison"

// Staff categories of the Italian local-government contract.
func demoGrades() []GradeSpec {
	return []GradeSpec{
		{Name: "Operatori", PilotAffinity: 0.25, Digital: -0.45},
		{Name: "Operatori esperti", PilotAffinity: 0.5, Digital: -0.25},
		{Name: "Istruttori", PilotAffinity: 1.2, Digital: 0.05},
		{Name: "Funzionari", PilotAffinity: 1.6, Digital: 0.3},
		{Name: "Dirigenti", PilotAffinity: 0.6, Digital: 0.2},
	}
}

// Grade mixes by kind of unit (Operatori, Operatori esperti, Istruttori,
// Funzionari, Dirigenti).
var (
	mixAdmin     = [5]float64{0.08, 0.17, 0.48, 0.24, 0.03}
	mixField     = [5]float64{0.40, 0.30, 0.18, 0.10, 0.02}
	mixTechnical = [5]float64{0.10, 0.15, 0.35, 0.37, 0.03}
	mixPolice    = [5]float64{0.02, 0.08, 0.75, 0.13, 0.02}
	mixCare      = [5]float64{0.20, 0.25, 0.35, 0.18, 0.02}
)

// DemoTenants returns the two fictional municipalities of the demo: the large
// Comune di Aurelia (about 4,000 employees in 17 units, a two-wave pilot)
// and the small Comune di Borgoverde (about 300 employees, one wave).
func DemoTenants() []TenantSpec {
	return []TenantSpec{
		{
			ID: "comune-aurelia", Title: "Comune di Aurelia", Prefix: "AUR", Employees: 4000,
			Grades: demoGrades(),
			Units: []UnitSpec{
				{"Servizi demografici", 260, mixAdmin, 1.2, 0.78, 0},
				{"Polizia locale", 520, mixPolice, 0.05, 0.58, -0.2},
				{"Lavori pubblici", 380, mixField, 0.35, 0.60, -0.15},
				{"Servizi sociali", 340, mixCare, 0.9, 0.74, -0.05},
				{"Ragioneria", 150, mixAdmin, 1.6, 0.82, 0.1},
				{"Urbanistica", 170, mixTechnical, 1.3, 0.76, 0.1},
				{"Scuola e infanzia", 560, mixCare, 0.2, 0.62, -0.2},
				{"Cultura e turismo", 180, mixAdmin, 0.9, 0.72, 0},
				{"Ambiente", 150, mixTechnical, 0.8, 0.72, 0},
				{"Tributi", 170, mixAdmin, 1.5, 0.80, 0.05},
				{"Personale", 120, mixAdmin, 1.8, 0.85, 0.1},
				{"Sistemi informativi", 90, mixTechnical, 2.2, 0.86, 0.7},
				{"Protocollo e archivio", 110, mixAdmin, 0.8, 0.75, -0.1},
				{"Mobilità", 150, mixTechnical, 0.7, 0.70, 0},
				{"Attività produttive", 120, mixAdmin, 1.1, 0.77, 0.05},
				{"Segreteria generale", 80, mixAdmin, 1.2, 0.84, 0.1},
				{"Sport e tempo libero", 120, mixField, 0.3, 0.64, -0.1},
			},
			Waves: []WaveSpec{
				{Label: "pilot-1", Start: "2025-11-03", Size: 300},
				{Label: "pilot-2", Start: "2026-02-02", Size: 100},
			},
			ComparisonDiarists: 300,
		},
		{
			ID: "comune-borgoverde", Title: "Comune di Borgoverde", Prefix: "BGV", Employees: 300,
			Grades: demoGrades(),
			Units: []UnitSpec{
				{"Anagrafe e stato civile", 40, mixAdmin, 1.2, 0.80, 0},
				{"Ufficio tecnico", 70, mixTechnical, 0.8, 0.70, -0.05},
				{"Ragioneria e tributi", 45, mixAdmin, 1.5, 0.82, 0.05},
				{"Polizia municipale", 50, mixPolice, 0.05, 0.60, -0.2},
				{"Servizi alla persona", 60, mixCare, 0.9, 0.72, -0.1},
				{"Segreteria e protocollo", 35, mixAdmin, 1.1, 0.84, 0},
			},
			Waves:              []WaveSpec{{Label: "pilot-1", Start: "2025-11-03", Size: 40}},
			ComparisonDiarists: 40,
		},
	}
}

// DemoPilots returns the pilot definitions of the demo tenants.
func DemoPilots() []schemas.Pilot {
	return Pilots(DemoTenants())
}

// Pilots returns the pilot definition of each tenant spec.
func Pilots(specs []TenantSpec) []schemas.Pilot {
	out := make([]schemas.Pilot, 0, len(specs))
	for _, t := range specs {
		p := schemas.Pilot{
			ID:         t.ID + "-lavoro-agile",
			Tenant:     t.ID,
			Title:      "Sperimentazione lavoro agile 2025-2026, " + t.Title,
			Comparison: []string{ComparisonCohort},
			PreStart:   PeriodStart,
			PostEnd:    PeriodEnd,
		}
		for _, w := range t.Waves {
			p.Cohorts = append(p.Cohorts, schemas.PilotCohort{Label: w.Label, Start: w.Start})
		}
		out = append(out, p)
	}
	return out
}
