package chembed_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	chproto "github.com/ClickHouse/clickhouse-go/v2/lib/proto"

	"github.com/bussola-pa/bussola/internal/chembed"
	"github.com/bussola-pa/bussola/internal/testenv"
)

const (
	benchRows  = 1_000_000
	benchTable = `CREATE TABLE ev (ts DateTime64(3), tenant LowCardinality(String), employee_id UInt64,
		kind LowCardinality(String), value Float64) ENGINE = MergeTree ORDER BY (tenant, ts)`
)

var (
	benchBase    = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	benchKinds   = []string{"page_view", "search", "download", "login"}
	benchTenants = []string{"comune-a", "regione-b"}
)

func benchRow(i int) (time.Time, string, uint64, string, float64) {
	return benchBase.Add(time.Duration(i) * time.Second), benchTenants[i%2], uint64(i % 4000), benchKinds[i%4], float64(i%1000) / 10
}

// BenchmarkInsertThroughEndpoint: clickhouse-go PrepareBatch/Append/Send of
// 1M rows x 5 columns over HTTP (Go encoding included).
func BenchmarkInsertThroughEndpoint(b *testing.B) {
	conn := testenv.OpenClickHouse(b)
	ctx := context.Background()
	if err := conn.Exec(ctx, benchTable); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		batch, err := conn.PrepareBatch(ctx, "INSERT INTO ev")
		if err != nil {
			b.Fatal(err)
		}
		for i := range benchRows {
			ts, tenant, emp, kind, v := benchRow(i)
			if err := batch.Append(ts, tenant, emp, kind, v); err != nil {
				b.Fatal(err)
			}
		}
		if err := batch.Send(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkInsertStraightOnChDB: the same rows encoded to a Native file with
// clickhouse-go's block encoder and read by INSERT ... FROM INFILE, no HTTP.
func BenchmarkInsertStraightOnChDB(b *testing.B) {
	srv := testenv.MustStartClickHouse(b)
	db := testenv.ClickHouseDatabase(b)
	if _, err := chembed.QueryDirect(srv, "CREATE TABLE "+db+"."+benchTable[len("CREATE TABLE "):], "TSV"); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	b.ResetTimer()
	for n := range b.N {
		block := chproto.Block{ServerContext: &column.ServerContext{Timezone: time.UTC}}
		for _, c := range [][2]string{{"ts", "DateTime64(3)"}, {"tenant", "LowCardinality(String)"},
			{"employee_id", "UInt64"}, {"kind", "LowCardinality(String)"}, {"value", "Float64"}} {
			if err := block.AddColumn(c[0], column.Type(c[1])); err != nil {
				b.Fatal(err)
			}
		}
		for i := range benchRows {
			ts, tenant, emp, kind, v := benchRow(i)
			if err := block.Append(ts, tenant, emp, kind, v); err != nil {
				b.Fatal(err)
			}
		}
		var buf proto.Buffer
		if err := block.Encode(&buf, 0); err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("batch-%d.native", n))
		if err := os.WriteFile(path, buf.Buf, 0o600); err != nil {
			b.Fatal(err)
		}
		if _, err := chembed.QueryDirect(srv, "INSERT INTO "+db+".ev FROM INFILE '"+path+"' FORMAT Native", "TSV"); err != nil {
			b.Fatal(err)
		}
		_ = os.Remove(path)
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkSelectScanThroughEndpoint: 1M rows x 5 columns read with
// clickhouse-go Query + Scan.
func BenchmarkSelectScanThroughEndpoint(b *testing.B) {
	conn := testenv.OpenClickHouse(b)
	ctx := context.Background()
	if err := conn.Exec(ctx, benchTable); err != nil {
		b.Fatal(err)
	}
	if err := conn.Exec(ctx, `INSERT INTO ev SELECT toDateTime64('2025-01-01', 3) + number, ['comune-a','regione-b'][number % 2 + 1],
		number % 4000, ['page_view','search','download','login'][number % 4 + 1], (number % 1000) / 10 FROM numbers(1000000)`); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		rows, err := conn.Query(ctx, "SELECT ts, tenant, employee_id, kind, value FROM ev")
		if err != nil {
			b.Fatal(err)
		}
		var (
			ts           time.Time
			tenant, kind string
			emp          uint64
			v            float64
			count        int
		)
		for rows.Next() {
			if err := rows.Scan(&ts, &tenant, &emp, &kind, &v); err != nil {
				b.Fatal(err)
			}
			count++
		}
		if err := rows.Err(); err != nil || count != benchRows {
			b.Fatalf("read %d rows: %v", count, err)
		}
		rows.Close()
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkSelectStraightOnChDB: the same SELECT as Native bytes, no HTTP,
// no decoding.
func BenchmarkSelectStraightOnChDB(b *testing.B) {
	srv := testenv.MustStartClickHouse(b)
	db := testenv.ClickHouseDatabase(b)
	for _, q := range []string{"CREATE TABLE " + db + "." + benchTable[len("CREATE TABLE "):],
		"INSERT INTO " + db + `.ev SELECT toDateTime64('2025-01-01', 3) + number, ['comune-a','regione-b'][number % 2 + 1],
		number % 4000, ['page_view','search','download','login'][number % 4 + 1], (number % 1000) / 10 FROM numbers(1000000)`} {
		if _, err := chembed.QueryDirect(srv, q, "TSV"); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		if _, err := chembed.QueryDirect(srv, "SELECT ts, tenant, employee_id, kind, value FROM "+db+".ev", "Native"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkTinyQuery: the round trip of SELECT 1 through clickhouse-go.
func BenchmarkTinyQuery(b *testing.B) {
	conn := testenv.OpenClickHouse(b)
	ctx := context.Background()
	var one uint8
	for range b.N {
		if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
			b.Fatal(err)
		}
	}
}
