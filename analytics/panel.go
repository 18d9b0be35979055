package analytics

import "fmt"

// PanelRow is one observation of an outcome for one unit (usually a
// pseudonymous person) in one period. The service builds these from its
// aggregate queries; the command line builds them from a CSV.
type PanelRow struct {
	// Unit identifies the person (or other unit) observed; it is the default
	// cluster for difference-in-differences and the panel key for the
	// staggered estimator.
	Unit string
	// Cluster is an optional coarser cluster, such as the org unit, used when
	// ClusterField is asked for.
	Cluster string
	// Time is the period (for example an ISO week index); only staggered
	// estimators read it.
	Time int
	// Cohort is the first period in which the unit is treated, in the same
	// scale as Time; 0 means never treated. Only staggered estimators read it.
	Cohort int
	// Treated marks the pilot group in a 2x2 design.
	Treated bool
	// Post marks the post-period in a 2x2 design.
	Post bool
	// Y is the outcome; it must be finite.
	Y float64
	// Covariates are extra regressors, the same number in every row.
	Covariates []float64
}

// ClusterBy chooses the clusters of a cluster-robust standard error.
type ClusterBy int

const (
	// ClusterAuto clusters difference-in-differences by Unit.
	ClusterAuto ClusterBy = iota
	// ClusterUnit clusters by PanelRow.Unit.
	ClusterUnit
	// ClusterField clusters by PanelRow.Cluster (for example the org unit).
	ClusterField
	// ClusterNone uses HC1 heteroskedasticity-robust standard errors.
	ClusterNone
)

func (c ClusterBy) String() string {
	switch c {
	case ClusterAuto:
		return "auto"
	case ClusterUnit:
		return "unit"
	case ClusterField:
		return "cluster"
	case ClusterNone:
		return "none"
	}
	return fmt.Sprintf("ClusterBy(%d)", int(c))
}

// clusterIndex maps each row's cluster key to a dense index and counts the
// clusters.
func clusterIndex(rows []PanelRow, by ClusterBy) ([]int, int, error) {
	idx := make([]int, len(rows))
	seen := make(map[string]int)
	for i := range rows {
		key := rows[i].Unit
		field := "unit"
		if by == ClusterField {
			key, field = rows[i].Cluster, "cluster"
		}
		if key == "" {
			return nil, 0, fmt.Errorf("row %d: %s is empty; every row needs a %s to cluster on", i+1, field, field)
		}
		c, ok := seen[key]
		if !ok {
			c = len(seen)
			seen[key] = c
		}
		idx[i] = c
	}
	if len(seen) < 2 {
		return nil, 0, fmt.Errorf("clustered standard errors need at least 2 clusters, the data have %d", len(seen))
	}
	return idx, len(seen), nil
}
