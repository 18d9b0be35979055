package reports

import (
	"html/template"
	"strings"
)

func parseTemplates() (*template.Template, error) {
	funcs := template.FuncMap{
		"lower": strings.ToLower,
		"pct":   func(x float64) string { return fmtNum(x*100, 0, "it") },
	}
	return template.New("").Funcs(funcs).ParseFS(webFS, "web/templates/*.html")
}
