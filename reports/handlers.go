package reports

import (
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

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
}

type pageData struct {
	T        tr
	Lang     string
	Title    string
	Base     string
	User     string
	CSRF     string
	Page     Page
	Nav      []navItem
	Query    Query
	Tenants  []string
	Options  FilterOptions
	Widgets  []widgetView
	KPIs     []KPIView
	Privacy  Privacy
	Scripts  []string
	LangURL  string
	PDFURL   string
	XLSXURL  string // every table of the page in one workbook
	ResetURL string
	Status   int
	Message  string
	Next     string
	Failed   bool
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

func (s *Server) base(c *gin.Context, lang string) pageData {
	d := pageData{T: tr{lang}, Lang: lang, Base: s.prefix, Privacy: s.cfg.Privacy.For("")}
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
	d := s.base(c, q.Lang)
	d.Page, d.Query, d.Options, d.KPIs, d.Privacy = page, q, opts, v.KPIs, v.Privacy
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
		wv := widgetView{Widget: w, T: d.T}
		if w.Option != nil {
			b, err := json.Marshal(w.Option) // escapes <, > and &: safe inside <script>
			if err != nil {
				s.internal(c, err, q.Lang)
				return
			}
			wv.OptionJSON = template.JS(b)
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
	if det, ok := c.Get("detail"); ok {
		d.Message += ": " + det.(string)
	}
	s.render(c, status, "error", d)
	c.Abort()
}

func (s *Server) internal(c *gin.Context, err error, lang string) {
	var qe *QueryError
	if errors.As(err, &qe) {
		c.Set("detail", qe.Error())
		s.fail(c, http.StatusBadRequest, lang)
		return
	}
	s.log.Error("reports", "path", c.Request.URL.Path, "err", err)
	s.fail(c, http.StatusInternalServerError, lang)
}
