package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/bussola-pa/bussola/schemas"
)

// fakeEraser records the erasures asked for and answers err when set.
type fakeEraser struct {
	calls []string // tenant/person
	err   error
}

func (f *fakeEraser) Erase(_ context.Context, tenant, person, _ string) (Erasure, error) {
	f.calls = append(f.calls, tenant+"/"+person)
	if f.err != nil {
		return Erasure{}, f.err
	}
	return Erasure{Tenant: tenant, Person: person, Deleted: map[string]uint64{"intranet_events": 3}}, nil
}

func TestErasureHandler(t *testing.T) {
	gin.SetMode(gin.TestMode)
	const token = "aurelia-ingest-token-0001"
	pseudo, err := schemas.NewPseudonymizer([]byte("a secret of at least sixteen bytes"))
	if err != nil {
		t.Fatal(err)
	}
	serve := func(t *testing.T, st *fakeEraser, auth, body string) (int, []byte) {
		t.Helper()
		api, err := NewErasureAPI(ErasureConfig{Tokens: map[string]string{token: "comune-aurelia"}, Pseudonyms: pseudo, Store: st,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		r := gin.New()
		api.Register(r)
		req := httptest.NewRequest(http.MethodPost, RouteErasures, strings.NewReader(body))
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		return w.Code, w.Body.Bytes()
	}
	fieldOf := func(t *testing.T, body []byte) (string, string) {
		t.Helper()
		var reply struct {
			Errors []schemas.FieldError `json:"errors"`
		}
		if err := json.Unmarshal(body, &reply); err != nil || len(reply.Errors) != 1 {
			t.Fatalf("want one field error, got %s (%v)", body, err)
		}
		return reply.Errors[0].Field, reply.Errors[0].Rule
	}

	t.Run("OK an employee identifier is erased under the intake's pseudonym", func(t *testing.T) {
		st := &fakeEraser{}
		code, body := serve(t, st, token, `{"employee_id":"EMP-1"}`)
		want := "comune-aurelia/" + pseudo.Person("comune-aurelia", "EMP-1")
		if code != http.StatusOK || len(st.calls) != 1 || st.calls[0] != want {
			t.Fatalf("want 200 erasing %s, got %d %s, calls %v", want, code, body, st.calls)
		}
		var res Erasure
		if err := json.Unmarshal(body, &res); err != nil || res.Deleted["intranet_events"] != 3 {
			t.Errorf("want the erasure's counts, got %s (%v)", body, err)
		}
	})
	t.Run("ErrUnauthorized without an ingest token", func(t *testing.T) {
		st := &fakeEraser{}
		if code, _ := serve(t, st, "", `{"employee_id":"EMP-1"}`); code != http.StatusUnauthorized || len(st.calls) != 0 {
			t.Errorf("want 401 and no erasure, got %d, calls %v", code, st.calls)
		}
	})
	t.Run("ErrInvalid names the field and the rule", func(t *testing.T) {
		for _, tc := range []struct{ body, field, rule string }{
			{`{}`, "employee_id", schemas.RuleRequired},
			{`{"employee_id":"a","person":"b"}`, "person", schemas.RuleFormat},
			{`{"employee":"a"}`, "", schemas.RuleSyntax},
		} {
			st := &fakeEraser{}
			code, body := serve(t, st, token, tc.body)
			field, rule := fieldOf(t, body)
			if code != http.StatusBadRequest || field != tc.field || rule != tc.rule || len(st.calls) != 0 {
				t.Errorf("%s: want 400 naming %q (%s), got %d %s", tc.body, tc.field, tc.rule, code, body)
			}
		}
		st := &fakeEraser{err: schemas.Errorf(schemas.EINVALID, "person: not a pseudonym")}
		code, body := serve(t, st, token, `{"person":"EMP-1"}`)
		if field, _ := fieldOf(t, body); code != http.StatusBadRequest || field != "person" {
			t.Errorf("a person the store refuses: want 400 naming person, got %d %s", code, body)
		}
	})
	t.Run("ErrUnavailable when the erasure did not complete: repeating it is safe", func(t *testing.T) {
		st := &fakeEraser{err: errors.New("erase: count rows of diary_entries: connection refused")}
		code, body := serve(t, st, token, `{"employee_id":"EMP-1"}`)
		if code != http.StatusServiceUnavailable || !strings.Contains(string(body), "safe to repeat") {
			t.Errorf("want 503 saying it is safe to repeat, got %d %s", code, body)
		}
	})
}
