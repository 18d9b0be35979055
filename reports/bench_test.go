package reports_test

import (
	"testing"

	"github.com/bussola-pa/bussola/reports"
	"github.com/bussola-pa/bussola/reports/reportstest"
)

// TestBenchEndpointsHarness runs the latency harness on the in-memory store
// and prints the figures (the ClickHouse store is measured by cmd/bussola on
// demo data). It asserts only that every endpoint answered.
func TestBenchEndpointsHarness(t *testing.T) {
	e := mustStart(t)
	queries := []reports.Query{
		{Tenant: reportstest.TenantA},
		{Tenant: reportstest.TenantA, Unit: "Ragioneria"},
		{Tenant: reportstest.TenantA, Cohort: "onda-1", Lang: "en"},
	}
	rs, err := e.srv.BenchEndpoints(reportstest.AdminA, reports.Pages, queries, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(reports.Pages) {
		t.Fatalf("%d results", len(rs))
	}
	t.Logf("in-memory store:\n%s", reports.FormatBench(rs))
}
