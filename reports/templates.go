package reports

import (
	"encoding/json"
	"html/template"
	"strings"
	"time"
)

func parseTemplates() (*template.Template, error) {
	funcs := template.FuncMap{
		"lower":            strings.ToLower,
		"pct":              func(x float64) string { return fmtNum(x*100, 0, "it") },
		"dateField":        dateField,
		"cohort":           cohortName,
		"filterOptionView": newFilterOptionView,
		"label":            label,
		"json": func(v any) string {
			b, _ := json.Marshal(v)
			return string(b)
		},
	}
	return template.New("").Funcs(funcs).ParseFS(webFS, "web/templates/*.html")
}

// dateFieldView is one date filter: a text field in dd/mm/yyyy, whatever
// the browser's locale, parsed on the server (parseDay).
type dateFieldView struct {
	Name, Label, Format, Value, Error string
}

func dateField(d pageData, name string, t time.Time) dateFieldView {
	f := dateFieldView{Name: name, Label: d.T.T(filterLabels[name]), Format: d.T.T("f.datefmt")}
	if !t.IsZero() {
		f.Value = t.Format("02/01/2006")
	}
	if e, ok := d.FilterErrors[name]; ok { // the value given stays, to be corrected
		f.Value, f.Error = e.Value, e.Message
	}
	return f
}
