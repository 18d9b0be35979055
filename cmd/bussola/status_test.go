package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func TestOpsStatusDetailGate(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	read := func(err error) func(context.Context) (status, error) {
		return func(context.Context) (status, error) {
			return status{At: time.Unix(0, 0).UTC(), Streams: []statusStream{{Name: "diary", Topic: "bussola.diary.v1", Rows: 42}}, DeadLetters: 3}, err
		}
	}
	get := func(read func(context.Context) (status, error), admitted bool) (int, map[string]any) {
		r := gin.New()
		r.GET("/status.json", statusJSON(read, func(*gin.Context) bool { return admitted }))
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/status.json", nil))
		var body map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		return w.Code, body
	}
	t.Run("OK callers the detail function refuses get only the time and ok", func(t *testing.T) {
		code, body := get(read(nil), false)
		if code != http.StatusOK || body["status"] != "ok" || len(body) != 2 {
			t.Errorf("want 200 {at, status: ok}, got %d %v", code, body)
		}
	})
	t.Run("OK ... and unavailable, without the reason, when the source fails", func(t *testing.T) {
		code, body := get(read(errors.New("count diary_entries: secret detail")), false)
		b, _ := json.Marshal(body)
		if code != http.StatusServiceUnavailable || body["status"] != "unavailable" || strings.Contains(string(b), "secret") {
			t.Errorf("want 503 {status: unavailable}, got %d %v", code, body)
		}
	})
	t.Run("OK admitted callers get the counts", func(t *testing.T) {
		code, body := get(read(nil), true)
		if code != http.StatusOK || body["streams"] == nil || body["dead_letters"] != 3.0 {
			t.Errorf("want 200 with the streams, got %d %v", code, body)
		}
	})
	t.Run("OK / and /status lead to the pipeline page, or to /status.json without the reports", func(t *testing.T) {
		for _, c := range []struct {
			admin func(*gin.Context) bool
			want  string
		}{{func(*gin.Context) bool { return false }, "/reports/pipeline"}, {nil, "/status.json"}} {
			r := gin.New()
			mountStatus(&Main{}, r, c.admin)
			for _, path := range []string{"/", "/status"} {
				w := httptest.NewRecorder()
				r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
				if w.Code != http.StatusSeeOther || w.Header().Get("Location") != c.want {
					t.Errorf("GET %s: %d to %q, want 303 to %s", path, w.Code, w.Header().Get("Location"), c.want)
				}
			}
		}
	})
}
