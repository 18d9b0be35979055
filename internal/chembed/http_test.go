package chembed_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/bussola-pa/bussola/internal/testenv"
)

// post sends body to the endpoint with the given URL parameters and headers.
func post(t *testing.T, base string, params url.Values, body io.Reader, header http.Header) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/?"+params.Encode(), body)
	if err != nil {
		t.Fatal(err)
	}
	if u := req.URL.User; u != nil && header.Get("Authorization") == "" {
		pw, _ := u.Password()
		req.SetBasicAuth(u.Username(), pw)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

func TestPlainHTTP(t *testing.T) {
	srv := testenv.MustStartClickHouse(t)
	db := testenv.ClickHouseDatabase(t)
	base := srv.ServiceURL()
	in := func(kv ...string) url.Values {
		v := url.Values{"database": {db}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	if code, _, body := post(t, base, in(), strings.NewReader("CREATE TABLE diary (id UInt32, note String) ENGINE = MergeTree ORDER BY id"), nil); code != 200 {
		t.Fatalf("create table: %d %s", code, body)
	}

	tests := []struct {
		name     string
		params   url.Values
		body     string
		header   http.Header
		wantCode int
		want     string // exact body, or a prefix when wantCode != 200
	}{
		{"GET-style query in the URL answers TSV.", in("query", "SELECT 1"), "", nil, 200, "1\n"},
		{"A TSV body with an empty line inside is data, not SQL.", in("query", "INSERT INTO diary FORMAT TSV"),
			"1\tfirst\n\n", nil, 400, "Code: 27."},
		{"TSV data with tricky text is inserted as data.", in("query", "INSERT INTO diary FORMAT TSV"),
			"1\tfirst; DROP TABLE diary\n2\tsecond\n", nil, 200, ""},
		{"INSERT with inline data in the body.", in(), "INSERT INTO diary FORMAT CSV\n3,\"third, with comma\"\n", nil, 200, ""},
		{"INSERT ... VALUES in the URL with values in the body.", in("query", "INSERT INTO diary VALUES"), "(4,'fourth')", nil, 200, ""},
		{"SQL in the body with FORMAT in the query.", in(), "SELECT id, note FROM diary ORDER BY id FORMAT CSV", nil, 200,
			"1,\"first; DROP TABLE diary\"\n2,\"second\"\n3,\"third, with comma\"\n4,\"fourth\"\n"},
		{"default_format chooses the output format.", in("default_format", "JSONEachRow"), "SELECT count() AS n FROM diary", nil, 200, "{\"n\":4}\n"},
		{"X-ClickHouse-Format chooses the output format.", in(), "SELECT max(id) AS m FROM diary", http.Header{"X-Clickhouse-Format": {"JSONCompactEachRow"}}, 200, "[4]\n"},
		{"param_ values reach the query.", in("param_id", "2"), "SELECT note FROM diary WHERE id = {id:UInt32}", nil, 200, "second\n"},
		{"A URL setting applies to the query.", in("max_result_rows", "1", "result_overflow_mode", "break"), "SELECT toString(getSetting('max_result_rows'))", nil, 200, "1\n"},
		{"An unknown setting is refused.", in("no_such_setting", "1"), "SELECT 1", nil, 400, "Code: 115."},
		{"Several statements are refused.", in(), "SELECT 1; DROP TABLE diary", nil, 400, "Code: 62."},
		{"SET without a session has no lasting effect.", in(), "SET max_threads = 1", nil, 200, ""},
		{"A trailing semicolon is fine.", in(), "SELECT count() FROM diary;\n", nil, 200, "4\n"},
		{"An unknown table is 404 with code 60.", in(), "SELECT * FROM nope", nil, 404, "Code: 60. DB::Exception:"},
		{"An unknown database is 404 with code 81.", url.Values{"database": {"no_such_db"}}, "SELECT 1", nil, 404, "Code: 81."},
		{"A gzip-compressed INSERT body is decoded.", in("query", "INSERT INTO diary FORMAT TSV"), gz("5\tgzipped\n"),
			http.Header{"Content-Encoding": {"gzip"}}, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, hdr, body := post(t, base, tc.params, strings.NewReader(tc.body), tc.header)
			if code != tc.wantCode {
				t.Fatalf("status %d, want %d; body %q", code, tc.wantCode, body)
			}
			if tc.wantCode == 200 && body != tc.want {
				t.Errorf("body %q, want %q", body, tc.want)
			}
			if tc.wantCode != 200 {
				if !strings.HasPrefix(body, tc.want) {
					t.Errorf("body %q, want prefix %q", body, tc.want)
				}
				if hdr.Get("X-ClickHouse-Exception-Code") == "" {
					t.Errorf("no X-ClickHouse-Exception-Code header")
				}
			}
		})
	}
	if _, _, body := post(t, base, in(), strings.NewReader("SELECT count() FROM diary"), nil); body != "5\n" {
		t.Errorf("rows after all inserts: %q, want 5 (the failed insert must insert nothing)", body)
	}
	if tables := mustGet(t, base+"/?"+in("query", "SHOW TABLES").Encode()); tables != "diary\n" {
		t.Errorf("tables: %q (no table may come from inside data)", tables)
	}
}

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

func mustGet(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}

func TestPingAndCompressedAnswers(t *testing.T) {
	srv := testenv.MustStartClickHouse(t)
	if got := mustGet(t, srv.URL()+"/ping"); got != "Ok.\n" {
		t.Errorf("/ping: %q", got)
	}
	code, hdr, body := post(t, srv.ServiceURL(), url.Values{}, strings.NewReader("SELECT number FROM numbers(3)"),
		http.Header{"Accept-Encoding": {"gzip"}})
	if code != 200 || hdr.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip answer: %d, Content-Encoding %q", code, hdr.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != "0\n1\n2\n" {
		t.Errorf("gunzipped answer %q", plain)
	}
	// compress=1: a ClickHouse frame is a 16-byte checksum, method byte
	// 0x82 (LZ4), then compressed and raw sizes.
	code, _, body = post(t, srv.ServiceURL(), url.Values{"compress": {"1"}}, strings.NewReader("SELECT 'x' FROM numbers(1000)"), nil)
	if code != 200 || len(body) < 25 || body[16] != 0x82 {
		t.Fatalf("compress=1 answer: %d, %d bytes, method byte %#x", code, len(body), body[16])
	}
	if raw := binary.LittleEndian.Uint32([]byte(body[21:25])); raw != 2000 {
		t.Errorf("compress=1 frame says %d raw bytes, want 2000 (\"x\\n\" x 1000)", raw)
	}
}

func TestDatabaseSQL(t *testing.T) {
	db, err := sql.Open("clickhouse", testenv.ClickHouseDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE s (k String, v Float64) ENGINE = MergeTree ORDER BY k"); err != nil {
		t.Fatal(err)
	}
	var current string
	if err := db.QueryRowContext(ctx, "SELECT currentDatabase()").Scan(&current); err != nil || !strings.HasPrefix(current, "test_") {
		t.Fatalf("the DSN from NewDatabase must select the test database: got %q, %v", current, err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := tx.Prepare("INSERT INTO s")
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range []string{"a", "b", "c"} {
		if _, err := stmt.Exec(k, float64(i)+0.5); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("commit: %v", err)
	}
	var sum float64
	var n int
	if err := db.QueryRowContext(ctx, "SELECT sum(v), count() FROM s WHERE k != ?", "z").Scan(&sum, &n); err != nil {
		t.Fatal(err)
	}
	if sum != 4.5 || n != 3 {
		t.Errorf("sum %v count %d, want 4.5 and 3", sum, n)
	}
	var missing sql.NullString
	err = db.QueryRowContext(ctx, "SELECT k FROM s WHERE k = 'z'").Scan(&missing)
	if err != sql.ErrNoRows {
		t.Errorf("no rows: got %v", err)
	}
}

func TestConcurrentQueries(t *testing.T) {
	conn := testenv.OpenClickHouse(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows, err := conn.Query(ctx, "SELECT number FROM numbers(200000) WHERE number % 8 = ?", g)
			if err != nil {
				errs <- err
				return
			}
			defer rows.Close()
			var n, count uint64
			for rows.Next() {
				if err := rows.Scan(&n); err != nil {
					errs <- err
					return
				}
				count++
			}
			if count != 25000 {
				errs <- fmt.Errorf("goroutine %d read %d rows, want 25000", g, count)
			}
			errs <- rows.Err()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent query: %v", err)
		}
	}
}

func TestDatabaseSQLOpenDB(t *testing.T) {
	db := clickhouse.OpenDB(testenv.ClickHouseOptions(t))
	defer db.Close()
	var n uint64
	if err := db.QueryRow("SELECT count() FROM numbers(10) WHERE number > ?", 4).Scan(&n); err != nil || n != 5 {
		t.Errorf("OpenDB query: %d, %v", n, err)
	}
}
