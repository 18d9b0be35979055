package synth

import (
	"fmt"
	"math"
	"slices"

	"github.com/bussola-pa/bussola/schemas"
)

// Config says what to generate.
type Config struct {
	// Seed selects the random streams; the same Seed (and the rest of the
	// Config) always yields the same bytes. The CLI defaults it to 1.
	Seed uint64
	// Scale multiplies head counts (and so every stream's volume): 1 is the
	// full demo (over a million intranet events), 0.01 a quick test set.
	// Zero means 1.
	Scale float64
	// Tenants to generate; nil means DemoTenants().
	Tenants []TenantSpec
	// Streams to generate; nil means all three evidence streams.
	Streams []schemas.Stream
}

// normalized returns the config with its defaults filled in, or an error
// naming the bad field.
func (c Config) normalized() (Config, error) {
	if c.Scale == 0 {
		c.Scale = 1
	}
	if math.IsNaN(c.Scale) || c.Scale < 0 || c.Scale > 100 {
		return c, fmt.Errorf("config: scale must be greater than 0 and at most 100, got %v", c.Scale)
	}
	if c.Tenants == nil {
		c.Tenants = DemoTenants()
	}
	if len(c.Streams) == 0 {
		c.Streams = slices.Clone(schemas.Streams)
	}
	for _, s := range c.Streams {
		if !slices.Contains(schemas.Streams, s) {
			return c, fmt.Errorf("config: streams: %q is not an evidence stream (want one of %v)", s, schemas.Streams)
		}
	}
	for i, t := range c.Tenants {
		if err := t.check(); err != nil {
			return c, fmt.Errorf("config: tenants[%d]: %w", i, err)
		}
	}
	return c, nil
}

func (c Config) wants(s schemas.Stream) bool { return slices.Contains(c.Streams, s) }

func (t *TenantSpec) check() error {
	p := schemas.Pilot{ID: t.ID, Tenant: t.ID, PreStart: PeriodStart, PostEnd: PeriodEnd}
	for _, w := range t.Waves {
		p.Cohorts = append(p.Cohorts, schemas.PilotCohort{Label: w.Label, Start: w.Start})
	}
	if len(t.Waves) > 0 {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("%s: %w", t.ID, err)
		}
	} else if p.Cohorts = []schemas.PilotCohort{{Label: "x", Start: "2025-11-03"}}; p.Validate() != nil {
		return fmt.Errorf("id %q: must be a lower-case slug", t.ID)
	}
	switch {
	case t.Prefix == "":
		return fmt.Errorf("%s: prefix is required", t.ID)
	case t.Employees < 1:
		return fmt.Errorf("%s: employees must be at least 1", t.ID)
	case len(t.Units) == 0:
		return fmt.Errorf("%s: units: at least one unit is required", t.ID)
	case len(t.Grades) == 0 || len(t.Grades) > 5:
		return fmt.Errorf("%s: grades: between 1 and 5 grades are required", t.ID)
	}
	for _, w := range t.Waves {
		if w.Label == ComparisonCohort {
			return fmt.Errorf("%s: waves: label %q is reserved for the comparison group", t.ID, w.Label)
		}
	}
	return nil
}

// scaled returns n scaled, at least min.
func scaled(n int, scale float64, min int) int {
	x := int(math.Round(float64(n) * scale))
	if x < min {
		return min
	}
	return x
}
