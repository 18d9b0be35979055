package reportstore

import (
	"strconv"

	"github.com/bussola-pa/bussola/analytics"
	"github.com/bussola-pa/bussola/reports"
)

// staggeredInput is the person-week panel of one outcome for the
// estimator, with the people in each arm.
type staggeredInput struct {
	rows             []analytics.PanelRow
	treated, control map[uint64]bool
	// observed counts treated people per week relative to their start.
	observed map[int]int
}

func newInput() *staggeredInput {
	return &staggeredInput{treated: map[uint64]bool{}, control: map[uint64]bool{}, observed: map[int]int{}}
}

func (in *staggeredInput) add(v *pilotView, person uint64, l *labels, week int, y float64) {
	g := v.group(l.cohort)
	if g == "" {
		return
	}
	c := v.cohortIndex(l.cohort)
	in.rows = append(in.rows, analytics.PanelRow{Unit: strconv.FormatUint(person, 36), Time: week, Cohort: c, Y: y})
	if g == "pilot" {
		in.treated[person] = true
		in.observed[week-c]++
	} else {
		in.control[person] = true
	}
}

// estimates runs the Callaway & Sant'Anna estimator (not-yet-treated
// comparisons, clustered by person) on the cloud-tool panel, giving the
// event study and the first DiD row, and on each diary rating. An outcome
// the selection cannot identify (no comparison people, say) is left out.
func estimates(ip []intranetRow, dp []diaryRow, f filter, v *pilotView, lg string) ([]reports.EventPoint, []reports.DiDRow) {
	cloud := newInput()
	for i := range ip {
		r := &ip[i]
		if f.pass(r.lab.unit, r.lab.grade, r.lab.cohort) && v.inWindow(r.week) {
			cloud.add(v, r.person, r.lab, v.index(r.week), float64(r.cloud))
		}
	}
	var events []reports.EventPoint
	var rows []reports.DiDRow
	if res, ok := runStaggered(cloud); ok {
		for _, e := range res.EventStudy {
			events = append(events, reports.EventPoint{RelWeek: e.RelTime,
				Cell: reports.Cell{Value: e.Estimate, Lo: e.CILow, Hi: e.CIHigh, N: cloud.observed[e.RelTime]}})
		}
		rows = append(rows, didRow(OutcomeCloud, lg, res, cloud))
	}
	for j, name := range ratingNames {
		in := newInput()
		for i := range dp {
			r := &dp[i]
			if f.pass(r.lab.unit, r.lab.grade, r.lab.cohort) && v.inWindow(r.week) {
				in.add(v, r.person, r.lab, v.index(r.week), r.ratings[j])
			}
		}
		if res, ok := runStaggered(in); ok {
			rows = append(rows, didRow(name, lg, res, in))
		}
	}
	return events, rows
}

func runStaggered(in *staggeredInput) (*analytics.StaggeredResult, bool) {
	if len(in.treated) < 2 || len(in.control) < 2 {
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
		PValue:   o.PValue, NTreated: len(in.treated), NControl: len(in.control)}
}
