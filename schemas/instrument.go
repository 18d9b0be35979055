package schemas

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode/utf8"
)

// Instrument kinds: how answers are scored.
const (
	// KindLikert: dimension scores are means of Likert items.
	KindLikert = "likert"
	// KindStages: each dimension is one ordered stage (awareness, desire,
	// knowledge, ability, reinforcement); the first stage rated at or below
	// BarrierThreshold is the person's barrier point.
	KindStages = "stages"
	// KindStatus: an entity describes its own channels (not a person).
	KindStatus = "status"
	// KindFeedback: a rating with a reason and an optional comment.
	KindFeedback = "feedback"
)

// Item types: where a response carries the answer.
const (
	ItemScale  = "scale"  // numeric, in SurveyResponse.Answers, on the instrument's Scale
	ItemChoice = "choice" // an option id, in SurveyResponse.Choices
	ItemText   = "text"   // free text, in SurveyResponse.Texts, at most MaxLength characters
)

// Languages every text of an instrument must provide.
var instrumentLanguages = []string{"it", "en"}

// DefaultMinAnsweredShare is the share of a dimension's items a person must
// answer for a dimension score when an instrument does not say otherwise.
const DefaultMinAnsweredShare = 0.8

// DefaultBarrierThreshold is the stage rating at or below which a stage is a
// barrier, for KindStages instruments that do not say otherwise.
const DefaultBarrierThreshold = 3

// Instrument is a versioned questionnaire definition: the items, their
// wording in Italian and English, the response scale, the dimensions items
// belong to, reverse keying and scoring rules. Definitions are data (JSON
// under schemas/instruments, format in schemas/jsonschema); entities may add
// their own in the same format.
type Instrument struct {
	ID          string            `json:"id"`
	Version     int               `json:"version"`
	Kind        string            `json:"kind"`
	Title       map[string]string `json:"title"`
	Description map[string]string `json:"description,omitempty"`
	Scale       Scale             `json:"scale"`
	Dimensions  []Dimension       `json:"dimensions"`
	Items       []Item            `json:"items"`
	// MinAnsweredShare is the share of a dimension's scale items a person
	// must answer to get a score for it (0 means DefaultMinAnsweredShare).
	MinAnsweredShare float64 `json:"min_answered_share,omitempty"`
	// BarrierThreshold applies to KindStages (0 means DefaultBarrierThreshold).
	BarrierThreshold float64 `json:"barrier_threshold,omitempty"`
	// Source says where the wording comes from (e.g. "written for Bussola").
	Source string `json:"source,omitempty"`
}

// Scale is the numeric response scale of the instrument's scale items.
type Scale struct {
	Min int `json:"min"`
	Max int `json:"max"`
	// Labels per language, one per point from Min to Max (optional).
	Labels map[string][]string `json:"labels,omitempty"`
}

// Dimension groups items into one score.
type Dimension struct {
	ID    string            `json:"id"`
	Title map[string]string `json:"title"`
	// Pole is "enabling" or "inhibiting" for attitude dimensions (optional).
	Pole string `json:"pole,omitempty"`
	// Syllabus and DigComp map the dimension to the PA "Syllabus competenze
	// digitali" area and the DigComp 2.2 competence area (optional).
	Syllabus string `json:"syllabus,omitempty"`
	DigComp  string `json:"digcomp,omitempty"`
}

// Item is one question.
type Item struct {
	ID        string            `json:"id"`
	Dimension string            `json:"dimension"`
	Type      string            `json:"type,omitempty"` // ItemScale when empty
	Text      map[string]string `json:"text"`
	Reversed  bool              `json:"reversed,omitempty"`
	Syllabus  string            `json:"syllabus,omitempty"`
	DigComp   string            `json:"digcomp,omitempty"`
	Optional  bool              `json:"optional,omitempty"`
	Options   []Option          `json:"options,omitempty"`    // ItemChoice
	MaxLength int               `json:"max_length,omitempty"` // ItemText
}

// Option is one answer of a choice item.
type Option struct {
	ID    string            `json:"id"`
	Label map[string]string `json:"label"`
}

// ItemType returns the item's type, ItemScale when unset.
func (it Item) ItemType() string {
	if it.Type == "" {
		return ItemScale
	}
	return it.Type
}

// AnsweredShare returns the effective minimum answered share.
func (in Instrument) AnsweredShare() float64 {
	if in.MinAnsweredShare == 0 {
		return DefaultMinAnsweredShare
	}
	return in.MinAnsweredShare
}

// Barrier returns the effective barrier threshold.
func (in Instrument) Barrier() float64 {
	if in.BarrierThreshold == 0 {
		return DefaultBarrierThreshold
	}
	return in.BarrierThreshold
}

// Item returns the item with the given id.
func (in Instrument) Item(id string) (Item, bool) {
	for _, it := range in.Items {
		if it.ID == id {
			return it, true
		}
	}
	return Item{}, false
}

// DimensionItems returns the scale items of a dimension, in definition order.
func (in Instrument) DimensionItems(dim string) []Item {
	var out []Item
	for _, it := range in.Items {
		if it.Dimension == dim && it.ItemType() == ItemScale {
			out = append(out, it)
		}
	}
	return out
}

// Key returns "id@version".
func (in Instrument) Key() string { return fmt.Sprintf("%s@%d", in.ID, in.Version) }

//go:embed instruments/*.json
var builtinFS embed.FS

// BuiltinInstruments returns the instruments shipped with Bussola.
func BuiltinInstruments() ([]Instrument, error) {
	sub, err := fs.Sub(builtinFS, "instruments")
	if err != nil {
		return nil, fmt.Errorf("builtin instruments: %w", err)
	}
	return LoadInstruments(sub)
}

// LoadInstruments reads and validates every *.json file at the root of fsys,
// one instrument per file, sorted by id and version. A file that does not
// parse, has unknown fields or breaks a rule fails the load with an error
// naming the file and every broken rule; so does a duplicate id@version.
func LoadInstruments(fsys fs.FS) ([]Instrument, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("load instruments: %w", err)
	}
	var out []Instrument
	seen := map[string]string{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load instrument %s: %w", name, err)
		}
		in, err := ParseInstrument(b)
		if err != nil {
			return nil, fmt.Errorf("load instrument %s: %w", path.Base(name), err)
		}
		if prev, dup := seen[in.Key()]; dup {
			return nil, fmt.Errorf("load instrument %s: %s is already defined in %s", name, in.Key(), prev)
		}
		seen[in.Key()] = name
		out = append(out, in)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].ID != out[b].ID {
			return out[a].ID < out[b].ID
		}
		return out[a].Version < out[b].Version
	})
	return out, nil
}

// ParseInstrument decodes one JSON definition (unknown fields are an error)
// and validates it.
func ParseInstrument(b []byte) (Instrument, error) {
	var in Instrument
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Instrument{}, fmt.Errorf("parse: %w", err)
	}
	if dec.More() {
		return Instrument{}, errors.New("parse: trailing data after the instrument object")
	}
	if err := in.Validate(); err != nil {
		return Instrument{}, err
	}
	return in, nil
}

// FindInstrument returns the instrument with the given id and version.
func FindInstrument(list []Instrument, id string, version int) (Instrument, bool) {
	for _, in := range list {
		if in.ID == id && in.Version == version {
			return in, true
		}
	}
	return Instrument{}, false
}

// Check validates a survey response against this instrument: every answer
// names a known item of the right type, numeric answers lie on the scale,
// choices are listed options, texts are within their length. It has the
// InstrumentChecker shape once the instrument is found (see Checker).
func (in Instrument) Check(r *SurveyResponse) []FieldError {
	var v validator
	items := make(map[string]Item, len(in.Items))
	for _, it := range in.Items {
		items[it.ID] = it
	}
	for id, x := range r.Answers {
		it, ok := items[id]
		switch {
		case !ok:
			v.add("answers."+id, RuleUnknown, "is not an item of %s", in.Key())
		case it.ItemType() != ItemScale:
			v.add("answers."+id, RuleFormat, "is a %s item; send it in %ss", it.ItemType(), it.ItemType())
		case x < float64(in.Scale.Min) || x > float64(in.Scale.Max) || x != float64(int(x)):
			v.add("answers."+id, RuleRange, "must be an integer from %d to %d", in.Scale.Min, in.Scale.Max)
		}
	}
	for id, c := range r.Choices {
		it, ok := items[id]
		switch {
		case !ok:
			v.add("choices."+id, RuleUnknown, "is not an item of %s", in.Key())
		case it.ItemType() != ItemChoice:
			v.add("choices."+id, RuleFormat, "is a %s item, not a choice", it.ItemType())
		case !hasOption(it, c):
			v.add("choices."+id, RuleEnum, "must be one of %s", strings.Join(optionIDs(it), ", "))
		}
	}
	for id, s := range r.Texts {
		it, ok := items[id]
		switch {
		case !ok:
			v.add("texts."+id, RuleUnknown, "is not an item of %s", in.Key())
		case it.ItemType() != ItemText:
			v.add("texts."+id, RuleFormat, "is a %s item, not a text", it.ItemType())
		case utf8.RuneCountInString(s) > it.MaxLength:
			v.add("texts."+id, RuleMaxLength, "must be at most %d characters", it.MaxLength)
		}
	}
	return v.errs
}

// Checker returns an InstrumentChecker that finds each response's
// instrument in list and checks it; an unknown instrument is an error.
func Checker(list []Instrument) InstrumentChecker {
	return func(r *SurveyResponse) []FieldError {
		in, ok := FindInstrument(list, r.InstrumentID, r.InstrumentVersion)
		if !ok {
			return []FieldError{{Field: "instrument_id", Rule: RuleUnknown,
				Message: fmt.Sprintf("no instrument %s@%d", r.InstrumentID, r.InstrumentVersion)}}
		}
		return in.Check(r)
	}
}

func hasOption(it Item, id string) bool {
	for _, o := range it.Options {
		if o.ID == id {
			return true
		}
	}
	return false
}

func optionIDs(it Item) []string {
	out := make([]string, len(it.Options))
	for i, o := range it.Options {
		out[i] = o.ID
	}
	return out
}
