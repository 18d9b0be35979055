package assessment

import "math"

// IndexWeights weigh the components of the Digital Readiness Index.
type IndexWeights struct {
	// Survey weighs the person's mean dimension score rescaled to 0..1
	// (inhibiting dimensions reversed so that higher is always readier).
	Survey float64 `json:"survey"`
	// Intranet weighs intranet adoption: the share of working days in the
	// period with at least one intranet visit (0..1).
	Intranet float64 `json:"intranet"`
	// Cloud weighs cloud-tool adoption: the share of the entity's cloud
	// collaboration tools the person used in the period (0..1).
	Cloud float64 `json:"cloud"`
}

// DefaultIndexWeights: self-assessment counts for 60%, observed behaviour
// for 40% split equally between intranet and cloud tools. The survey gets
// the larger share because it covers five competence areas while the two
// behaviour measures cover only use; behaviour keeps the index honest
// against over- or under-rating oneself.
var DefaultIndexWeights = IndexWeights{Survey: 0.6, Intranet: 0.2, Cloud: 0.2}

// Behaviour holds a person's adoption rates from the usage events, each in
// 0..1; NaN means not observed.
type Behaviour struct {
	IntranetAdoption float64 `json:"intranet_adoption"`
	CloudAdoption    float64 `json:"cloud_adoption"`
}

// ReadinessIndex combines a survey component (0..1) and behaviour into the
// Digital Readiness Index on 0..100:
//
//	DRI = 100 · Σ w_c·x_c / Σ w_c
//
// over the components that are known (not NaN), so a person without usage
// events is indexed on the survey alone rather than penalized. Components
// outside 0..1 are clamped. It returns NaN when no component is known.
func ReadinessIndex(survey float64, b Behaviour, w IndexWeights) float64 {
	num, den := 0.0, 0.0
	add := func(x, wt float64) {
		if math.IsNaN(x) || wt <= 0 {
			return
		}
		num += wt * clamp(x, 0, 1)
		den += wt
	}
	add(survey, w.Survey)
	add(b.IntranetAdoption, w.Intranet)
	add(b.CloudAdoption, w.Cloud)
	if den == 0 {
		return math.NaN()
	}
	return 100 * num / den
}
