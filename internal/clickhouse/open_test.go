package clickhouse_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/schemas"
)

// TestOpenChecksTheConfiguration: Open is the one way to a Store, and it
// refuses what would be spliced into SQL or read wrongly before it
// connects (the address below has no server, so an error naming the
// field can only come from the check).
func TestOpenChecksTheConfiguration(t *testing.T) {
	const nowhere = "http://127.0.0.1:1/"
	tests := []struct {
		name  string
		cfg   clickhouse.Config
		field string
	}{
		{"ErrInvalid a database name with SQL in it is refused", clickhouse.Config{URL: nowhere,
			DDL: schemas.DDLOptions{Database: "bussola; DROP TABLE x"}}, "database"},
		{"ErrInvalid a database name with a dot is refused", clickhouse.Config{URL: nowhere,
			DDL: schemas.DDLOptions{Database: "system.tables"}}, "database"},
		{"ErrInvalid a pilot that fails validation is refused", clickhouse.Config{URL: nowhere,
			Reports: clickhouse.ReportOptions{Pilots: []schemas.Pilot{{ID: "p", Tenant: "t"}}}}, "pilots[0]"},
		{"ErrInvalid a URL of another scheme is refused", clickhouse.Config{URL: "ftp://127.0.0.1/"}, "clickhouse url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := clickhouse.Open(context.Background(), tt.cfg)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("err = %v, want it to name %s", err, tt.field)
			}
		})
	}
}

// TestWithReportsSharesTheConnection: a Store WithReports made reads the
// same database over the same pool, with options of its own.
func TestWithReportsSharesTheConnection(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	r, err := s.WithReports(clickhouse.ReportOptions{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Conn() != s.Conn() || r.Database() != s.Database() {
		t.Fatal("the report store must share the connection and the database")
	}
	if _, err := r.Options(ctx, "comune-aurelia"); err != nil {
		t.Fatalf("report read on the shared pool: %v", err)
	}
	if _, err := r.WithReports(clickhouse.ReportOptions{Pilots: []schemas.Pilot{{ID: "p"}}}); err == nil ||
		!strings.Contains(err.Error(), "pilots[0]") {
		t.Fatalf("an invalid pilot must be refused naming pilots[0], got %v", err)
	}
}
