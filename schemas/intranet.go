package schemas

import "time"

// IntranetEvent is one use of the intranet or of a cloud tool. These are
// aggregated for adoption and communication reports and never shown per
// person (Statuto dei lavoratori, art. 4).
type IntranetEvent struct {
	Envelope
	TS       time.Time `json:"ts"`
	Kind     string    `json:"kind"`
	Section  string    `json:"section"`
	Page     string    `json:"page,omitempty"`
	Device   string    `json:"device"`
	Remote   bool      `json:"remote"`             // working remotely at the time
	Tool     string    `json:"tool,omitempty"`     // the cloud tool, for kind cloud_tool
	Referent bool      `json:"referent,omitempty"` // a communication referent (decentralised publishing)
}

// Intranet event kinds.
const (
	KindPageView  = "page_view"
	KindComment   = "comment"
	KindPublish   = "publish"
	KindSearch    = "search"
	KindLogin     = "login"
	KindDownload  = "download"
	KindCloudTool = "cloud_tool"
)

// IntranetKinds lists every accepted kind.
var IntranetKinds = []string{KindPageView, KindComment, KindPublish, KindSearch, KindLogin, KindDownload, KindCloudTool}

// Devices accepted on intranet events.
var Devices = []string{"desktop", "laptop", "mobile", "tablet"}

// Validate checks every field of the event and reports all violations.
func (e *IntranetEvent) Validate(stage Stage) error {
	var v validator
	e.Envelope.validate(&v, stage)
	if e.TS.IsZero() {
		v.add("ts", RuleRequired, "is required (RFC 3339 timestamp)")
	} else if e.TS.Year() < 2000 || e.TS.After(time.Now().Add(48*time.Hour)) {
		v.add("ts", RuleRange, "must be between 2000 and now")
	}
	oneOf(&v, "kind", e.Kind, IntranetKinds, true)
	requireText(&v, "section", e.Section, 100)
	optionalText(&v, "page", e.Page, 500)
	oneOf(&v, "device", e.Device, Devices, true)
	if e.Kind == KindCloudTool {
		requireText(&v, "tool", e.Tool, 100)
	} else {
		optionalText(&v, "tool", e.Tool, 100)
	}
	return v.err()
}
