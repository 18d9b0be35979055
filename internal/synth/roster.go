package synth

// Employee is one line of a demo entity's roster: what HR knows of a
// person (the organisation chart), never any generated answer or event.
type Employee struct {
	Tenant, EmployeeID, Unit, Grade, Cohort string
}

// Roster lists every employee of the demo entities of cfg with their unit,
// grade and cohort, the same people Generate writes records for.
func Roster(cfg Config) ([]Employee, error) {
	cfg, err := cfg.normalized()
	if err != nil {
		return nil, err
	}
	var out []Employee
	for i, spec := range cfg.Tenants {
		t, err := buildTenant(cfg.Seed, i, spec, cfg.Scale)
		if err != nil {
			return nil, err
		}
		for _, p := range t.people {
			out = append(out, Employee{Tenant: spec.ID, EmployeeID: p.id, Unit: spec.Units[p.unit].Name,
				Grade: spec.Grades[p.grade].Name, Cohort: t.cohorts[p.cohort]})
		}
	}
	return out, nil
}
