package clickhouse

import (
	"strconv"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
)

// staggeredInput is the person-week panel of one outcome for the
// estimator, with the people in each arm.
type staggeredInput struct {
	rows []analytics.PanelRow
	// people gives each person's unit name and the arms they appear in.
	people           map[uint64]*armPerson
	treated, control int
	// observed counts treated people per week relative to their start.
	observed map[int]int
}

type armPerson struct {
	unit    string
	treated bool
	control bool
}

func newInput(rows int) *staggeredInput {
	return &staggeredInput{rows: make([]analytics.PanelRow, 0, rows), people: map[uint64]*armPerson{}, observed: map[int]int{}}
}

func (in *staggeredInput) add(v *pilotView, person uint64, cohort string, week int, y float64) {
	g := v.group(cohort)
	if g == "" {
		return
	}
	c := v.cohortIndex(cohort)
	p := in.people[person]
	if p == nil {
		p = &armPerson{unit: strconv.FormatUint(person, 36)}
		in.people[person] = p
	}
	in.rows = append(in.rows, analytics.PanelRow{Unit: p.unit, Time: week, Cohort: c, Y: y})
	if g == "pilot" {
		if !p.treated {
			p.treated = true
			in.treated++
		}
		in.observed[week-c]++
	} else if !p.control {
		p.control = true
		in.control++
	}
}

// cloudEstimates runs the Callaway & Sant'Anna estimator (not-yet-treated
// comparisons, clustered by person) on the cloud-tool panel, giving the
// event study and the first DiD row. An outcome the selection cannot
// identify (no comparison people, say) is left out.
func cloudEstimates(ip intranetPanel, v *pilotView, lg string) ([]reports.EventPoint, []reports.DiDRow) {
	cloud := newInput(len(ip.rows))
	for i := range ip.rows {
		r := &ip.rows[i]
		if w := r.week.time(); v.inWindow(w) {
			cloud.add(v, r.person, ip.cohorts[r.cohort], v.index(w), float64(r.cloud))
		}
	}
	res, ok := runStaggered(cloud)
	if !ok {
		return nil, nil
	}
	var events []reports.EventPoint
	for _, e := range res.EventStudy {
		events = append(events, reports.EventPoint{RelWeek: e.RelTime,
			Cell: reports.Cell{Value: e.Estimate, Lo: e.CILow, Hi: e.CIHigh, N: cloud.observed[e.RelTime]}})
	}
	return events, []reports.DiDRow{didRow(OutcomeCloud, lg, res, cloud)}
}

// diaryEstimates runs the same estimator on each diary rating.
func diaryEstimates(dp diaryPanel, v *pilotView, lg string) []reports.DiDRow {
	var rows []reports.DiDRow
	for j, name := range ratingNames {
		in := newInput(len(dp.rows))
		for i := range dp.rows {
			r := &dp.rows[i]
			if w := r.week.time(); v.inWindow(w) {
				in.add(v, r.person, dp.cohorts[r.cohort], v.index(w), r.ratings[j])
			}
		}
		if res, ok := runStaggered(in); ok {
			rows = append(rows, didRow(name, lg, res, in))
		}
	}
	return rows
}

func runStaggered(in *staggeredInput) (*analytics.StaggeredResult, bool) {
	if in.treated < 2 || in.control < 2 {
		return nil, false
	}
	res, err := analytics.Staggered(in.rows, analytics.StaggeredOptions{})
	if err != nil {
		return nil, false
	}
	return res, true
}

func didRow(outcome, lg string, res *analytics.StaggeredResult, in *staggeredInput) reports.DiDRow {
	o := res.Overall
	return reports.DiDRow{Outcome: outcomeLabel(outcome, lg),
		Estimate: reports.Cell{Value: o.Estimate, Lo: o.CILow, Hi: o.CIHigh},
		PValue:   o.PValue, NTreated: in.treated, NControl: in.control}
}
