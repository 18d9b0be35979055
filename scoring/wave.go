package scoring

import (
	"fmt"
	"time"

	"github.com/bussola-pa/bussola/assessment"
	"github.com/bussola-pa/bussola/schemas"
)

// The value types of the Store interface: what the job asks the store for
// and what it gets back. They are declared here, with the interface, and
// the ClickHouse adapter fills them.

// WaveKey names one scoring: a tenant's answers to one instrument version
// in one wave. Scores are keyed by it (and the pseudonym).
type WaveKey struct {
	Tenant     string `json:"tenant"`
	Instrument string `json:"instrument_id"`
	Version    int    `json:"instrument_version"`
	Wave       string `json:"wave"`
}

func (k WaveKey) String() string {
	return fmt.Sprintf("%s/%s@%d/%s", k.Tenant, k.Instrument, k.Version, k.Wave)
}

// Check reports a missing or out-of-range field of the key.
func (k WaveKey) Check() error {
	switch {
	case k.Tenant == "":
		return schemas.Errorf(schemas.EINVALID, "tenant: is required")
	case k.Instrument == "":
		return schemas.Errorf(schemas.EINVALID, "instrument_id: is required")
	case k.Version < 1 || k.Version > 65535:
		return schemas.Errorf(schemas.EINVALID, "instrument_version: must be between 1 and 65535, got %d", k.Version)
	case k.Wave == "":
		return schemas.Errorf(schemas.EINVALID, "wave: is required")
	}
	return nil
}

// PersonAttrs are the grouping attributes of a respondent that the scores
// carry besides the org unit.
type PersonAttrs struct {
	Grade  string
	Cohort string
}

// WaveAnswers is one wave's numeric answers, one response per person.
type WaveAnswers struct {
	Responses []assessment.Response
	Attrs     map[uint64]PersonAttrs // by person
	// LastSubmitted is the latest submission time in the wave (zero when
	// there are no responses).
	LastSubmitted time.Time
}

// StaleWave is a wave whose answers are newer than its last scoring.
type StaleWave struct {
	WaveKey
	LastIngested time.Time
}

// StaleQuery says which waves StaleWaves looks at.
type StaleQuery struct {
	// Instruments are the ids of the scored instruments.
	Instruments []string
	// Weeks of intranet events before a wave's last submission that feed
	// its index (as in WaveBehaviour).
	Weeks int
	// Settle is how long an insert may take from the stamping of its
	// ingested_at to its rows showing: inputs stamped less than Settle
	// before a scoring make the wave stale once more.
	Settle time.Duration
}

// GroupScore is the mean score of one group on one dimension, unsuppressed:
// callers must apply the minimum group size before publishing it.
type GroupScore struct {
	Group     string
	Dimension string
	N         int // persons with a score
	Mean, SD  float64
}

// GroupPersons counts the persons of one group in one segment and at one
// barrier point, with the sum and count of their readiness indexes.
type GroupPersons struct {
	Group    string
	Segment  string
	Barrier  string
	N        int
	IndexSum float64
	IndexN   int
}

// WaveGroups are a wave's latest scoring aggregated by group.
type WaveGroups struct {
	ScoredAt time.Time // zero when the wave was never scored
	Scores   []GroupScore
	Persons  []GroupPersons
}
