package assessment

import "math"

// IndexWeights weigh the components of the Digital Readiness Index.
type IndexWeights struct {
	// Survey weighs the person's mean dimension score rescaled to 0..1
	// (inhibiting dimensions reversed so that higher is always readier).
	Survey float64 `json:"survey"`
	// Intranet weighs intranet adoption (Behaviour.IntranetAdoption).
	Intranet float64 `json:"intranet"`
	// Cloud weighs cloud-tool adoption (Behaviour.CloudAdoption).
	Cloud float64 `json:"cloud"`
}

// DefaultIndexWeights: self-assessment counts for 60%, observed behaviour
// for 40% split equally between intranet and cloud tools. The survey gets
// the larger share because it covers five competence areas while the two
// behaviour measures cover only use; behaviour keeps the index honest
// against over- or under-rating oneself.
var DefaultIndexWeights = IndexWeights{Survey: 0.6, Intranet: 0.2, Cloud: 0.2}

// Behaviour holds a person's adoption rates from the usage events over an
// observation period cut into weeks (seven-day blocks; the scoring job takes
// the eight ending on the wave's last submission day by default), each in
// 0..1; NaN means not observed. IntranetAdoption is the share of those weeks
// with any intranet use other than cloud tools, CloudAdoption the share of
// weeks with any cloud-tool use. A person without events in a tenant whose
// intranet is connected has zero adoption, not NaN.
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
