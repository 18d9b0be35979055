package reports

import (
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

type navItem struct {
	Label, URL string
	Current    bool
}

type widgetView struct {
	Widget
	T          tr
	OptionJSON template.JS
	CSV, XLSX  string
	// TableOnly is a widget without a chart: its table shows in full.
	TableOnly bool
	// EmptyTitle heads an empty widget: no data in the period, or for
	// the selection when no period is set.
	EmptyTitle string
	// Links are a drillable widget's table links by identifier: the page
	// under the same filters with Drill set to it, the keyboard's way to
	// the drill-down a click on the chart makes.
	Links map[string]string
}

type pageData struct {
	// Labels name the tenant's identifiers (the label template func).
	Labels  Labels
	T       tr
	Lang    string
	Title   string
	Base    string
	User    string
	CSRF    string
	Page    Page
	Nav     []navItem
	Query   Query
	Tenants []string
	Options FilterOptions
	// Filters are the filter bar's options, marked where the page would
	// hide the selection (filterbar.go).
	Filters  filterBar
	Widgets  []widgetView
	KPIs     []KPIView
	Verdicts []string
	Privacy  Privacy
	// Fresh is the freshness stamp of a report page (fresh.go).
	Fresh    string
	Scripts  []string
	LangURL  string
	PDFURL   string
	XLSXURL  string // every table of the page in one workbook
	ResetURL string
	Status   int
	Message  string
	Next     string
	Failed   bool
	// FilterErrors are the filters left out of the page's query, by
	// parameter: the message and the value given.
	FilterErrors map[string]filterError
	// PasswordURL links the password page for users who may change theirs.
	PasswordURL string
	SSO         bool // the login page offers single sign-on
}

// echartsScripts asks go-echarts which assets a chart needs, with the
// AssetsHost pointing at the application itself.
func echartsScripts(host string) []string {
	c := charts.NewBar()
	c.SetGlobalOptions(charts.WithInitializationOpts(opts.Initialization{AssetsHost: host}))
	c.Validate()
	return append([]string(nil), c.JSAssets.Values...)
}

type filterError struct{ Message, Value string }

// filterLabels are the filter form's labels by parameter.
var filterLabels = map[string]string{"unit": "f.unit", "grade": "f.grade", "cohort": "f.cohort", "from": "f.from", "to": "f.to"}

// filterErrors turns the filters ParseFilters left out into messages in
// the page's language that name the field and the rule.
func filterErrors(c *gin.Context, t tr) map[string]filterError {
	v, ok := c.Get("filterErrors")
	if !ok {
		return nil
	}
	out := map[string]filterError{}
	for _, e := range v.([]*QueryError) {
		out[e.Param] = filterError{Message: queryMessage(e, t), Value: e.Value}
	}
	return out
}

// queryMessage says which field broke which rule, in t's language.
func queryMessage(e *QueryError, t tr) string {
	key := "qerr." + e.Code
	if e.Code == "" {
		key = "qerr.invalid"
	}
	field := e.Param
	if l, ok := filterLabels[e.Param]; ok {
		field = t.T(l)
	}
	return t.F(key, field)
}

// nav lists the pages the user may open, for the menu of a page with no
// tenant of its own (an error page).
func (s *Server) nav(c *gin.Context, lang string) []navItem {
	u, ok := c.Get("user")
	if !ok {
		return nil
	}
	var out []navItem
	for _, p := range Pages {
		if len(u.(User).TenantsFor(p)) == 0 {
			continue
		}
		url := s.prefix + "/reports/" + string(p)
		if lang == "en" {
			url += "?lang=en"
		}
		out = append(out, navItem{Label: tr{lang}.T("page." + string(p)), URL: url, Current: c.Param("page") == string(p)})
	}
	return out
}

func (s *Server) base(c *gin.Context, lang string) pageData {
	d := pageData{T: tr{lang}, Lang: lang, Base: s.prefix, Privacy: s.cfg.Privacy.For(""), Labels: s.cfg.Labels}
	d.SSO = s.oidc != nil
	if u, ok := c.Get("user"); ok {
		d.User = u.(User).Username
		d.CSRF = sessionOf(c).CSRF
		if s.canChangePassword(c) {
			d.PasswordURL = s.prefix + "/account/password"
		}
	}
	return d
}

func (s *Server) pageHTML(c *gin.Context) {
	page, q, ok := s.scope(c)
	if !ok {
		return
	}
	v, err := s.load(c.Request.Context(), page, q)
	if err != nil {
		s.internal(c, err, q.Lang)
		return
	}
	opts, err := s.store.Options(c.Request.Context(), q.Tenant)
	if err != nil {
		s.internal(c, err, q.Lang)
		return
	}
	hidden, err := s.hiddenFilters(c.Request.Context(), page, v.Query)
	if err != nil {
		s.internal(c, err, q.Lang)
		return
	}
	d := s.base(c, q.Lang)
	d.Filters = newFilterBar(opts, q, hidden)
	d.Page, d.Query, d.Options, d.KPIs, d.Verdicts, d.Privacy = page, q, opts, v.KPIs, v.Verdicts, v.Privacy
	d.Fresh = v.Fresh.stamp(d.T)
	d.FilterErrors = filterErrors(c, d.T)
	d.Title = d.T.T("page." + string(page))
	d.Scripts = echartsScripts(s.cfg.assetsHost())
	u := userOf(c)
	d.Tenants = u.TenantsFor(page)
	for _, p := range u.PagesFor(q.Tenant) {
		nq := q
		nq.Unit, nq.Grade, nq.Cohort = "", "", ""
		d.Nav = append(d.Nav, navItem{Label: d.T.T("page." + string(p)), URL: s.prefix + "/reports/" + string(p) + "?" + nq.Values().Encode(), Current: p == page})
	}
	other := "en"
	if q.Lang == "en" {
		other = "it"
	}
	d.LangURL = "?" + q.With("lang", other)
	d.ResetURL = "?" + Query{Tenant: q.Tenant, Lang: q.Lang}.Values().Encode()
	enc := q.Values().Encode()
	d.PDFURL = s.prefix + "/reports/" + string(page) + "/export/" + pageExport + ".pdf?" + enc
	d.XLSXURL = s.prefix + "/reports/" + string(page) + "/export/" + pageExport + ".xlsx?" + enc
	for _, w := range v.Widgets {
		wv := widgetView{Widget: w, T: d.T, TableOnly: w.Option == nil, EmptyTitle: d.T.T("nodata.title")}
		if v.Query.From.IsZero() && v.Query.To.IsZero() {
			wv.EmptyTitle = d.T.T("nodata.title.sel")
		}
		if w.Option != nil && w.State == StateData { // no empty axes: the state says it in words
			b, err := json.Marshal(w.Option) // escapes <, > and &: safe inside <script>
			if err != nil {
				s.internal(c, err, q.Lang)
				return
			}
			wv.OptionJSON = template.JS(b)
		}
		if w.Drill != "" {
			wv.Links = drillLinks(w, q)
		}
		exp := s.prefix + "/reports/" + string(page) + "/export/" + w.ID
		wv.CSV, wv.XLSX = exp+".csv?"+enc, exp+".xlsx?"+enc
		d.Widgets = append(d.Widgets, wv)
	}
	s.record(c, "view", page, q, "", http.StatusOK)
	s.render(c, http.StatusOK, "page", d)
}

func (s *Server) pageJSON(c *gin.Context) {
	page, q, ok := s.scope(c)
	if !ok {
		return
	}
	v, err := s.load(c.Request.Context(), page, q)
	if err != nil {
		s.internal(c, err, q.Lang)
		return
	}
	s.record(c, "data", page, q, "json", http.StatusOK)
	c.JSON(http.StatusOK, gin.H{
		"page": page, "tenant": q.Tenant, "filters": v.Query.Values(),
		"privacy": v.Privacy, "data": v.Data, "kpis": v.KPIs,
		"as_of": v.Fresh.AsOf.UTC().Format(time.RFC3339), "data_version": v.Fresh.Version,
	})
}

func (s *Server) render(c *gin.Context, status int, name string, d pageData) {
	var b strings.Builder
	if err := s.tpl.ExecuteTemplate(&b, name, d); err != nil {
		s.log.Error("render", "template", name, "err", err)
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	c.Data(status, "text/html; charset=utf-8", []byte(b.String()))
}

// fail ends a request with an error page (or JSON for data endpoints).
func (s *Server) fail(c *gin.Context, status int, lang string) {
	if lang != "en" {
		lang = "it"
	}
	msg := tr{lang}.T("err." + strconv.Itoa(status))
	if strings.HasSuffix(c.Request.URL.Path, ".json") || strings.Contains(c.Request.URL.Path, "/export/") {
		body := gin.H{"error": msg}
		if d, ok := c.Get("detail"); ok {
			body["detail"] = d
		}
		c.AbortWithStatusJSON(status, body)
		return
	}
	d := s.base(c, lang)
	d.Title, d.Status, d.Message = msg, status, msg
	d.Nav = s.nav(c, lang)                 // an error page keeps the menu and the language
	if qe, ok := c.Get("queryError"); ok { // the page's language, not the API's detail
		d.Message += ": " + queryMessage(qe.(*QueryError), d.T)
	} else if det, ok := c.Get("detail"); ok {
		d.Message += ": " + det.(string)
	}
	s.render(c, status, "error", d)
	c.Abort()
}

func (s *Server) internal(c *gin.Context, err error, lang string) {
	var qe *QueryError
	if errors.As(err, &qe) {
		c.Set("detail", qe.Error())
		c.Set("queryError", qe)
		s.fail(c, http.StatusBadRequest, lang)
		return
	}
	s.log.Error("reports", "path", c.Request.URL.Path, "err", err)
	s.fail(c, http.StatusInternalServerError, lang)
}

// drillLinks are the links of w's keyed table cells: the page with
// w.Drill set to the cell's identifier, the other filters kept.
func drillLinks(w Widget, q Query) map[string]string {
	out := map[string]string{}
	for _, r := range w.Table.Rows {
		for _, c := range r {
			if c.Key != "" && !c.Hidden {
				out[c.Key] = "?" + q.With(w.Drill, c.Key)
			}
		}
	}
	return out
}
