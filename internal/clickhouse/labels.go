package clickhouse

import (
	"sync"

	"github.com/bussola-pa/bussola/schemas"
)

// Instruments the pages read.
const (
	instrReadiness = "digital-readiness" // Syllabus / DigComp areas, segments, index
	instrStages    = "change-readiness"  // barrier stages
	instrFeedback  = "page-feedback"
	instrComm      = "comm-status"
)

// trainingTarget is the level below which a respondent needs training in
// an area: the middle of the 1-5 scale.
const trainingTarget = 3.0

var (
	instrOnce sync.Once
	instrs    map[string]schemas.Instrument
)

// instrument returns the newest built-in version of an instrument.
func instrument(id string) (schemas.Instrument, bool) {
	instrOnce.Do(func() {
		instrs = map[string]schemas.Instrument{}
		list, err := schemas.BuiltinInstruments()
		if err != nil {
			return
		}
		for _, in := range list {
			if cur, ok := instrs[in.ID]; !ok || in.Version > cur.Version {
				instrs[in.ID] = in
			}
		}
	})
	in, ok := instrs[id]
	return in, ok
}

// dimensions returns an instrument's dimension ids and labels in lang.
func dimensions(id, lang string) ([]string, map[string]string) {
	in, ok := instrument(id)
	if !ok {
		return nil, nil
	}
	var ids []string
	labels := map[string]string{}
	for _, d := range in.Dimensions {
		ids = append(ids, d.ID)
		labels[d.ID] = pick(d.Title, lang, d.ID)
	}
	return ids, labels
}

// optionLabel returns the label of a choice option of an instrument item.
func optionLabel(id, item, option, lang string) string {
	in, ok := instrument(id)
	if !ok {
		return option
	}
	for _, it := range in.Items {
		if it.ID != item {
			continue
		}
		for _, o := range it.Options {
			if o.ID == option {
				return pick(o.Label, lang, option)
			}
		}
	}
	return option
}

func pick(m map[string]string, lang, def string) string {
	if s := m[lang]; s != "" {
		return s
	}
	if s := m["it"]; s != "" {
		return s
	}
	return def
}

// segmentLabels names assessment's readiness segments, most ready first.
var segmentLabels = []struct{ id, it, en string }{
	{"champions", "Trainanti", "Champions"},
	{"ready", "Pronti", "Ready"},
	{"hesitant", "Incerti", "Hesitant"},
	{"at risk", "Da accompagnare", "At risk"},
}

// noBarrier labels people who passed every change stage.
var noBarrier = [2]string{"nessun blocco", "no barrier"}

func l2(it, en, lang string) string {
	if lang == "en" {
		return en
	}
	return it
}
