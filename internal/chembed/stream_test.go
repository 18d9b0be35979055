package chembed_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/bussola-pa/bussola/internal/testenv"
)

// TestErrorAfterStreamingStarted: a query failing after its first blocks
// went out as 200 must still reach clickhouse-go as *clickhouse.Exception.
func TestErrorAfterStreamingStarted(t *testing.T) {
	conn := testenv.OpenClickHouse(t)
	rows, err := conn.Query(context.Background(),
		"SELECT number, throwIf(number = 900000, 'boom at 900000') FROM numbers(1000000) SETTINGS max_block_size = 65536")
	if err != nil {
		t.Fatalf("the error must come mid-stream, not up front: %v", err)
	}
	var n uint64
	var ok uint8
	read := 0
	for rows.Next() {
		if err := rows.Scan(&n, &ok); err != nil {
			t.Fatal(err)
		}
		read++
	}
	var ex *clickhouse.Exception
	if err := rows.Err(); !errors.As(err, &ex) || ex.Code != 395 {
		t.Fatalf("after %d rows: got %v, want *clickhouse.Exception code 395 (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO)", read, err)
	}
	if read == 0 || read >= 1000000 {
		t.Errorf("read %d rows before the error, want some but not all", read)
	}
}

// TestClientGoneMidStream: a client that hangs up during a large result
// must leave every pooled connection usable.
func TestClientGoneMidStream(t *testing.T) {
	srv := testenv.MustStartClickHouse(t)
	for range 2 {
		ctx, cancel := context.WithCancel(context.Background())
		q := url.Values{"query": {"SELECT number, toString(number) FROM numbers(50000000)"}}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.ServiceURL()+"/?"+q.Encode(), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 1<<16)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			t.Fatal(err)
		}
		cancel()
		resp.Body.Close()
	}
	for i := range 8 { // more requests than connections: each one is exercised
		got := mustGet(t, srv.ServiceURL()+"/?query=SELECT+count()+FROM+numbers(123456)")
		if strings.TrimSpace(got) != "123456" {
			t.Fatalf("request %d after hang-ups: %q (a truncated or stale connection)", i, got)
		}
	}
}
