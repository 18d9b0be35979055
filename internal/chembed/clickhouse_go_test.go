package chembed_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/google/uuid"

	"github.com/bussola-pa/bussola/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestClickhouseGoPingAndHandshake(t *testing.T) {
	conn := testenv.OpenClickHouse(t)
	ctx := context.Background()
	if err := conn.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
	v, err := conn.ServerVersion()
	if err != nil {
		t.Fatalf("server version: %v", err)
	}
	if v.Revision != 0 || v.Version.Major != 26 {
		t.Errorf("handshake: got revision %d version %v, want revision 0 (chDB's Native) and version 26.x", v.Revision, v.Version)
	}
}

// TestClickhouseGoBatchInsertAllTypes sends 100k rows of every column type
// the project uses through PrepareBatch and reads them back.
func TestClickhouseGoBatchInsertAllTypes(t *testing.T) {
	conn := testenv.OpenClickHouse(t)
	ctx := context.Background()
	err := conn.Exec(ctx, `CREATE TABLE events (
		ts DateTime64(3), tenant LowCardinality(String), n UInt64, v Float64,
		tags Array(String), score Nullable(Float64), attrs Map(String, String), id UUID
	) ENGINE = MergeTree ORDER BY (tenant, ts)`)
	if err != nil {
		t.Fatalf("create table: %v", err)
	}
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO events")
	if err != nil {
		t.Fatalf("prepare batch: %v", err)
	}
	const rows = 100_000
	base := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	ids := make([]uuid.UUID, rows)
	for i := range rows {
		ids[i] = uuid.New()
		var score *float64
		if i%10 != 0 {
			s := float64(i) / 4
			score = &s
		}
		err := batch.Append(base.Add(time.Duration(i)*time.Millisecond), fmt.Sprintf("tenant-%d", i%3), uint64(i),
			float64(i)*0.5, []string{"a", fmt.Sprint(i % 7)}, score, map[string]string{"k": fmt.Sprint(i)}, ids[i])
		if err != nil {
			t.Fatalf("append row %d: %v", i, err)
		}
	}
	if err := batch.Send(); err != nil {
		t.Fatalf("send batch: %v", err)
	}

	var (
		count, sumN uint64
		nulls       uint64
		sumScore    float64
		tenants     uint64
	)
	row := conn.QueryRow(ctx, "SELECT count(), sum(n), countIf(score IS NULL), sum(score), uniqExact(tenant) FROM events")
	if err := row.Scan(&count, &sumN, &nulls, &sumScore, &tenants); err != nil {
		t.Fatalf("aggregate: %v", err)
	}
	wantScore := 0.0
	for i := range rows {
		if i%10 != 0 {
			wantScore += float64(i) / 4
		}
	}
	if count != rows || sumN != rows*(rows-1)/2 || nulls != rows/10 || sumScore != wantScore || tenants != 3 {
		t.Errorf("got count=%d sum=%d nulls=%d score=%v tenants=%d; want %d %d %d %v 3",
			count, sumN, nulls, sumScore, tenants, rows, rows*(rows-1)/2, rows/10, wantScore)
	}

	var (
		ts     time.Time
		tenant string
		n      uint64
		tags   []string
		score  *float64
		attrs  map[string]string
		id     uuid.UUID
	)
	row = conn.QueryRow(ctx, "SELECT ts, tenant, n, tags, score, attrs, id FROM events WHERE n = 12345")
	if err := row.Scan(&ts, &tenant, &n, &tags, &score, &attrs, &id); err != nil {
		t.Fatalf("scan one row: %v", err)
	}
	if !ts.Equal(base.Add(12345*time.Millisecond)) || tenant != "tenant-0" || n != 12345 ||
		len(tags) != 2 || tags[1] != "4" || score == nil || *score != 12345.0/4 || attrs["k"] != "12345" || id != ids[12345] {
		t.Errorf("row 12345 read back as ts=%v tenant=%q n=%d tags=%v score=%v attrs=%v id=%v", ts, tenant, n, tags, score, attrs, id)
	}
	row = conn.QueryRow(ctx, "SELECT score FROM events WHERE n = 20")
	if err := row.Scan(&score); err != nil || score != nil {
		t.Errorf("row 20: want NULL score, got %v (err %v)", score, err)
	}
}

func TestClickhouseGoQueryScanAndSelect(t *testing.T) {
	conn := testenv.OpenClickHouse(t)
	ctx := context.Background()
	rows, err := conn.Query(ctx, "SELECT number, toString(number) AS s FROM numbers(250000) ORDER BY number")
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	var got, sum uint64
	for rows.Next() {
		var n uint64
		var s string
		if err := rows.Scan(&n, &s); err != nil {
			t.Fatalf("scan: %v", err)
		}
		if s != fmt.Sprint(n) || n != got {
			t.Fatalf("row %d: got (%d, %q)", got, n, s)
		}
		got++
		sum += n
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("rows: %v", err)
	}
	rows.Close()
	if got != 250000 {
		t.Errorf("streamed %d rows, want 250000", got)
	}

	var out []struct {
		Unit  string  `ch:"unit"`
		Count uint64  `ch:"n"`
		Mean  float64 `ch:"mean"`
	}
	err = conn.Select(ctx, &out, "SELECT toString(number % 3) AS unit, count() AS n, avg(number) AS mean FROM numbers(30) GROUP BY unit ORDER BY unit")
	if err != nil {
		t.Fatalf("select into structs: %v", err)
	}
	if len(out) != 3 || out[0].Unit != "0" || out[0].Count != 10 || out[0].Mean != 13.5 || out[2].Mean != 15.5 {
		t.Errorf("select into structs: got %+v", out)
	}
}

func TestClickhouseGoParameters(t *testing.T) {
	conn := testenv.OpenClickHouse(t)
	ctx := context.Background()
	tests := []struct {
		name string
		run  func() (string, error)
		want string
	}{
		{"Positional arguments are bound by the client.", func() (s string, err error) {
			err = conn.QueryRow(ctx, "SELECT concat(?, '-', toString(?))", "it's", 42).Scan(&s)
			return
		}, "it's-42"},
		{"Named arguments are bound by the client.", func() (s string, err error) {
			err = conn.QueryRow(ctx, "SELECT concat(@a, toString(@b))", clickhouse.Named("a", "x\ty"), clickhouse.Named("b", 7)).Scan(&s)
			return
		}, "x\ty7"},
		{"Server-side parameters travel as param_* and reach chDB's parameter call.", func() (s string, err error) {
			pctx := clickhouse.Context(ctx, clickhouse.WithParameters(clickhouse.Parameters{"who": "l'ufficio\\tab", "n": "3"}))
			err = conn.QueryRow(pctx, "SELECT concat({who:String}, '/', toString({n:UInt8} + 1))").Scan(&s)
			return
		}, "l'ufficio\tab/4"}, // \t in a parameter value is ClickHouse's escaped tab
		{"Typed placeholders take arguments as server-side parameters.", func() (s string, err error) {
			err = conn.QueryRow(ctx, "SELECT repeat({s:String}, {k:UInt8})", clickhouse.Named("s", "ab"), clickhouse.Named("k", 2)).Scan(&s)
			return
		}, "abab"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.run()
			if err != nil {
				t.Fatalf("query: %v", err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestClickhouseGoSettingsAndDeduplication(t *testing.T) {
	conn := testenv.OpenClickHouse(t)
	ctx := context.Background()
	var threads string
	sctx := clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"max_threads": 1}))
	if err := conn.QueryRow(sctx, "SELECT toString(getSetting('max_threads'))").Scan(&threads); err != nil {
		t.Fatalf("query with settings: %v", err)
	}
	if threads != "1" {
		t.Errorf("max_threads inside the request: got %s, want 1", threads)
	}
	for range 4 { // every pooled connection must be back at the default
		if err := conn.QueryRow(ctx, "SELECT toString(getSetting('max_threads'))").Scan(&threads); err != nil {
			t.Fatalf("query: %v", err)
		}
		if threads == "1" {
			t.Fatalf("max_threads leaked out of the request that set it")
		}
	}

	if err := conn.Exec(ctx, `CREATE TABLE answers (id UInt64, v Float64) ENGINE = MergeTree ORDER BY id
		SETTINGS non_replicated_deduplication_window = 1000`); err != nil {
		t.Fatalf("create table: %v", err)
	}
	send := func(token string) {
		t.Helper()
		bctx := clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"insert_deduplication_token": token}))
		b, err := conn.PrepareBatch(bctx, "INSERT INTO answers")
		if err != nil {
			t.Fatalf("prepare: %v", err)
		}
		for i := range 100 {
			if err := b.Append(uint64(i), float64(i)); err != nil {
				t.Fatalf("append: %v", err)
			}
		}
		if err := b.Send(); err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	send("p0-0-99")
	send("p0-0-99")
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM answers").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 100 {
		t.Errorf("same insert_deduplication_token twice: %d rows, want 100", n)
	}
	send("p0-100-199")
	if err := conn.QueryRow(ctx, "SELECT count() FROM answers").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 200 {
		t.Errorf("a new token: %d rows, want 200", n)
	}
}

func TestClickhouseGoExceptions(t *testing.T) {
	conn := testenv.OpenClickHouse(t)
	ctx := context.Background()
	tests := []struct {
		name string
		sql  string
		code int32
	}{
		{"An unknown table is code 60.", "SELECT * FROM no_such_table", 60},
		{"A syntax error is code 62.", "SELEC 1", 62},
		{"Several statements are refused with code 62.", "SELECT 1; SELECT 2", 62},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := conn.Exec(ctx, tc.sql)
			var ex *clickhouse.Exception
			if !errors.As(err, &ex) {
				t.Fatalf("got %v (%T), want *clickhouse.Exception", err, err)
			}
			if ex.Code != tc.code {
				t.Errorf("code %d, want %d (%s)", ex.Code, tc.code, ex.Message)
			}
		})
	}
	var one uint8
	if err := conn.QueryRow(ctx, "SELECT 1;  -- trailing semicolon and comment").Scan(&one); err != nil || one != 1 {
		t.Errorf("a trailing semicolon: got %d, %v", one, err)
	}
}

func TestClickhouseGoCompression(t *testing.T) {
	for _, method := range []clickhouse.CompressionMethod{clickhouse.CompressionLZ4, clickhouse.CompressionZSTD,
		clickhouse.CompressionGZIP, clickhouse.CompressionDeflate, clickhouse.CompressionBrotli} {
		t.Run(method.String(), func(t *testing.T) {
			opts := testenv.ClickHouseOptions(t)
			opts.Compression = &clickhouse.Compression{Method: method}
			conn, err := clickhouse.Open(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			ctx := context.Background()
			if err := conn.Exec(ctx, "CREATE TABLE t (n UInt64, s String) ENGINE = MergeTree ORDER BY n"); err != nil {
				t.Fatal(err)
			}
			b, err := conn.PrepareBatch(ctx, "INSERT INTO t")
			if err != nil {
				t.Fatal(err)
			}
			for i := range 50_000 {
				if err := b.Append(uint64(i), fmt.Sprintf("row %d", i)); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.Send(); err != nil {
				t.Fatalf("send: %v", err)
			}
			rows, err := conn.Query(ctx, "SELECT n, s FROM t ORDER BY n")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var i uint64
			for rows.Next() {
				var n uint64
				var s string
				if err := rows.Scan(&n, &s); err != nil {
					t.Fatal(err)
				}
				if n != i || s != fmt.Sprintf("row %d", i) {
					t.Fatalf("row %d read back as (%d, %q)", i, n, s)
				}
				i++
			}
			if err := rows.Err(); err != nil || i != 50_000 {
				t.Fatalf("read %d rows, err %v", i, err)
			}
			err = conn.Exec(ctx, "SELECT * FROM nope")
			var ex *clickhouse.Exception
			if !errors.As(err, &ex) || ex.Code != 60 {
				t.Errorf("error under compression: %v", err)
			}
		})
	}
}
