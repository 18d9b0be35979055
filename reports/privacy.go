package reports

import (
	"fmt"

	"github.com/bussola-pa/bussola/privacy"
)

// Minimum group sizes (privacy's).
const (
	// DefaultMinGroup is the default minimum number of people behind a
	// published score, rating, share or count.
	DefaultMinGroup = privacy.MinScores
	// DefaultMinText is the default minimum number of distinct people behind
	// a published diary term or any other aggregate of free text.
	DefaultMinText = privacy.MinText
	// FloorMinGroup is the smallest minimum a tenant may configure.
	FloorMinGroup = privacy.Floor
)

// Privacy holds one tenant's minimum group sizes.
type Privacy struct {
	// MinGroup applies to scores, ratings, shares and counts. Default 5.
	MinGroup int `json:"min_group"`
	// MinText applies to aggregates of free text. Default 10.
	MinText int `json:"min_text"`
}

// PrivacyConfig holds the minimums of every tenant.
type PrivacyConfig struct {
	// Default applies to tenants without their own entry; zero fields take
	// DefaultMinGroup and DefaultMinText.
	Default Privacy `json:"default"`
	// PerTenant overrides the default for some tenants; zero fields take
	// the default's.
	PerTenant map[string]Privacy `json:"per_tenant"`
	// UnsafeNoLatticeProtection is for tests only (the attacker's "must
	// find leaks" run): the lattices get primary suppression only, so the
	// pages fall back to the per-table rule (each table's cells and its
	// margin, the selection's population) without the secondary
	// suppression solved over the whole lattice. Never set it in service:
	// combinations of pages then reveal small groups.
	UnsafeNoLatticeProtection bool `json:"-"`
}

// Validate rejects any minimum below FloorMinGroup.
func (c PrivacyConfig) Validate() error {
	check := func(where string, p Privacy) error {
		if p.MinGroup != 0 && p.MinGroup < FloorMinGroup {
			return fmt.Errorf("privacy %s min_group: %d is below the floor of %d", where, p.MinGroup, FloorMinGroup)
		}
		if p.MinText != 0 && p.MinText < FloorMinGroup {
			return fmt.Errorf("privacy %s min_text: %d is below the floor of %d", where, p.MinText, FloorMinGroup)
		}
		return nil
	}
	if err := check("default", c.Default); err != nil {
		return err
	}
	for t, p := range c.PerTenant {
		if err := check("tenant "+t, p); err != nil {
			return err
		}
	}
	return nil
}

// For returns the minimums that apply to tenant. Values below the floor
// are raised to it, so a misconfiguration can never weaken protection
// below FloorMinGroup.
func (c PrivacyConfig) For(tenant string) Privacy {
	p := c.Default
	if p.MinGroup == 0 {
		p.MinGroup = DefaultMinGroup
	}
	if p.MinText == 0 {
		p.MinText = DefaultMinText
	}
	if t, ok := c.PerTenant[tenant]; ok {
		if t.MinGroup != 0 {
			p.MinGroup = t.MinGroup
		}
		if t.MinText != 0 {
			p.MinText = t.MinText
		}
	}
	p.MinGroup = max(p.MinGroup, FloorMinGroup)
	p.MinText = max(p.MinText, FloorMinGroup)
	return p
}
