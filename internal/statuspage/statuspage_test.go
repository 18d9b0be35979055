package statuspage

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

type fakeSource struct{ err error }

func (f fakeSource) Status(context.Context) (Status, error) {
	return Status{At: time.Unix(0, 0).UTC(), Streams: []Stream{{Name: "diary", Topic: "bussola.diary.v1", Rows: 42}}, DeadLetters: 3}, f.err
}

func TestStatusDetailGate(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	get := func(src Source, admitted bool) (int, map[string]any) {
		r := gin.New()
		New(src, "/assets/", func(g *gin.Context) bool { return admitted }).Register(r)
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/status.json", nil))
		var body map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		return w.Code, body
	}
	t.Run("OK callers the detail function refuses get only the time and ok", func(t *testing.T) {
		code, body := get(fakeSource{}, false)
		if code != http.StatusOK || body["status"] != "ok" || len(body) != 2 {
			t.Errorf("want 200 {at, status: ok}, got %d %v", code, body)
		}
	})
	t.Run("OK ... and unavailable, without the reason, when the source fails", func(t *testing.T) {
		code, body := get(fakeSource{err: errors.New("count diary_entries: secret detail")}, false)
		if code != http.StatusServiceUnavailable || body["status"] != "unavailable" || strings.Contains(toJSON(body), "secret") {
			t.Errorf("want 503 {status: unavailable}, got %d %v", code, body)
		}
	})
	t.Run("OK admitted callers get the counts", func(t *testing.T) {
		code, body := get(fakeSource{}, true)
		if code != http.StatusOK || body["streams"] == nil || body["dead_letters"] != 3.0 {
			t.Errorf("want 200 with the streams, got %d %v", code, body)
		}
	})
	t.Run("OK without a detail function nobody gets the counts", func(t *testing.T) {
		r := gin.New()
		New(fakeSource{}, "/assets/", nil).Register(r)
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/status.json", nil))
		if strings.Contains(w.Body.String(), "streams") {
			t.Errorf("counts without a detail function: %s", w.Body.String())
		}
	})
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }
