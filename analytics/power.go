package analytics

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// PowerSpec describes a planned comparison of a pilot and a comparison
// group for minimum detectable effects and sample sizes. The formulas use
// the normal approximation: MDE = (z_{1-alpha/2} + z_{power}) * SE, with
//
//	SE^2 = SD^2 * (1/nT + 1/nC) * (1 + (m-1)*ICC) * F
//
// where m is the cluster size and F = 2(1-Rho) for a difference-in-
// differences on one pre and one post measure per person (F = 1 otherwise).
type PowerSpec struct {
	// Alpha is the two-sided significance level; 0 means 0.05.
	Alpha float64
	// Power is the target power; 0 means 0.8.
	Power float64
	// SD is the person-level standard deviation of the outcome.
	SD float64
	// NTreated and NControl are persons per arm (for MDE).
	NTreated, NControl int
	// Ratio is NControl/NTreated for SampleSize; 0 means 1.
	Ratio float64
	// ClusterSize is persons per randomised or compared cluster (office,
	// org unit); 0 or 1 means individual assignment.
	ClusterSize float64
	// ICC is the intraclass correlation of the outcome within clusters.
	ICC float64
	// DiD says the effect is a difference-in-differences of one pre and one
	// post measure per person, whose correlation is Rho.
	DiD bool
	Rho float64
}

func (s PowerSpec) factor() (float64, error) {
	if !(s.SD > 0) {
		return 0, fmt.Errorf("power: SD must be positive, got %v", s.SD)
	}
	if s.ICC < 0 || s.ICC >= 1 {
		return 0, fmt.Errorf("power: ICC must be in [0, 1), got %v", s.ICC)
	}
	if s.Rho <= -1 || s.Rho >= 1 {
		return 0, fmt.Errorf("power: Rho must be in (-1, 1), got %v", s.Rho)
	}
	m := math.Max(s.ClusterSize, 1)
	f := s.SD * s.SD * (1 + (m-1)*s.ICC)
	if s.DiD {
		f *= 2 * (1 - s.Rho)
	}
	return f, nil
}

func (s PowerSpec) zSum() (float64, error) {
	a, p := s.Alpha, s.Power
	if a == 0 {
		a = 0.05
	}
	if p == 0 {
		p = 0.8
	}
	if a <= 0 || a >= 1 || p <= 0 || p >= 1 {
		return 0, fmt.Errorf("power: alpha and power must be in (0, 1), got %v and %v", a, p)
	}
	return distuv.UnitNormal.Quantile(1-a/2) + distuv.UnitNormal.Quantile(p), nil
}

// MDE returns the minimum detectable effect, in outcome units, for the arm
// sizes in s.
func MDE(s PowerSpec) (float64, error) {
	if s.NTreated < 1 || s.NControl < 1 {
		return 0, fmt.Errorf("power: NTreated and NControl must be at least 1, got %d and %d", s.NTreated, s.NControl)
	}
	f, err := s.factor()
	if err != nil {
		return 0, err
	}
	z, err := s.zSum()
	if err != nil {
		return 0, err
	}
	return z * math.Sqrt(f*(1/float64(s.NTreated)+1/float64(s.NControl))), nil
}

// SampleSize returns the persons per arm needed to detect effect (outcome
// units) with the spec's alpha and power, rounded up.
func SampleSize(s PowerSpec, effect float64) (nTreated, nControl int, err error) {
	if effect == 0 || math.IsNaN(effect) {
		return 0, 0, fmt.Errorf("power: the effect to detect must be non-zero")
	}
	r := s.Ratio
	if r == 0 {
		r = 1
	}
	if r < 0 {
		return 0, 0, fmt.Errorf("power: Ratio must be positive, got %v", r)
	}
	f, err := s.factor()
	if err != nil {
		return 0, 0, err
	}
	z, err := s.zSum()
	if err != nil {
		return 0, 0, err
	}
	nt := z * z * f * (1 + 1/r) / (effect * effect)
	return int(math.Ceil(nt - 1e-9)), int(math.Ceil(r*nt - 1e-9)), nil
}
