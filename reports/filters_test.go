package reports_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

func TestParseFilters(t *testing.T) {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	t.Run("OK a date reads as gg/mm/aaaa and as yyyy-mm-dd", func(t *testing.T) {
		for _, s := range []string{"01/03/2026", "1/3/2026", "2026-03-01", " 01/03/2026 "} {
			q, bad, err := reports.ParseFilters(url.Values{"from": {s}})
			if err != nil || len(bad) != 0 || !q.From.Equal(day) {
				t.Errorf("%q: %v %v %v", s, q.From, bad, err)
			}
		}
	})
	t.Run("ErrInvalid a bad date is left out and named; the other filters stay", func(t *testing.T) {
		q, bad, err := reports.ParseFilters(url.Values{"unit": {"Ragioneria"}, "from": {"31/02/2026"}, "to": {"2026-03-31"}})
		if err != nil || len(bad) != 1 || bad[0].Param != "from" || bad[0].Code != "date" || bad[0].Value != "31/02/2026" {
			t.Fatalf("%+v %v", bad, err)
		}
		if q.Unit != "Ragioneria" || !q.From.IsZero() || q.To.IsZero() {
			t.Fatalf("query %+v", q)
		}
	})
	t.Run("ErrInvalid an end before the start leaves the end out", func(t *testing.T) {
		q, bad, err := reports.ParseFilters(url.Values{"from": {"01/03/2026"}, "to": {"01/02/2026"}})
		if err != nil || len(bad) != 1 || bad[0].Param != "to" || bad[0].Code != "order" || !q.From.Equal(day) {
			t.Fatalf("%+v %+v %v", q, bad, err)
		}
	})
	t.Run("ErrInvalid a parameter the form does not set is still refused", func(t *testing.T) {
		if _, _, err := reports.ParseFilters(url.Values{"unitt": {"x"}}); err == nil {
			t.Fatal("unknown parameter accepted")
		}
	})
}

func TestFilterErrorsOnThePage(t *testing.T) {
	e := mustStart(t)
	c := e.client(t, reportstest.HRA)
	for _, tc := range []struct{ lang, want string }{
		{"", "Dal: inserire una data valida nel formato gg/mm/aaaa, tra il 2000 e il 2100."},
		{"en", "From: enter a valid date as dd/mm/yyyy, between 2000 and 2100."},
	} {
		t.Run("ErrInvalid a bad date is a message next to its field in "+tc.lang+", the unit kept", func(t *testing.T) {
			u := e.ts.URL + "/reports/readiness?unit=Ragioneria&from=2026-99-01"
			if tc.lang != "" {
				u += "&lang=" + tc.lang
			}
			status, body := get(t, c, u)
			body = html.UnescapeString(body)
			if status != http.StatusOK || !strings.Contains(body, tc.want) || !strings.Contains(body, `<option value="Ragioneria" selected>`) ||
				!strings.Contains(body, `value="2026-99-01" inputmode`) {
				t.Fatalf("status %d:\n%s", status, body)
			}
		})
	}
	t.Run("ErrInvalid the data endpoint still refuses a bad date", func(t *testing.T) {
		if status, _ := get(t, c, e.ts.URL+"/reports/readiness/data.json?from=2026-99-01"); status != http.StatusBadRequest {
			t.Fatalf("status %d", status)
		}
	})
}
