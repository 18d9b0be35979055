package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/schemas"
)

func postErasure(t *testing.T, m *Main, tenant, body string) (int, clickhouse.Erasure, []schemas.FieldError) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+m.HTTPAddr()+"/api/v1/erasures", bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	if tenant != "" {
		req.Header.Set("Authorization", "Bearer "+m.Tokens()[tenant])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var reply struct {
		clickhouse.Erasure
		Errors []schemas.FieldError `json:"errors"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&reply)
	return resp.StatusCode, reply.Erasure, reply.Errors
}

// TestErasureAPI erases one employee through the API, checks that no row
// of theirs is left, and that their records read from Kafka again (a
// client re-sending its data) do not come back.
func TestErasureAPI(t *testing.T) {
	m := mustOpenMain(t, nil)
	events := generated(t, 0.003)[schemas.StreamIntranet]
	var first struct {
		Tenant     string `json:"tenant"`
		EmployeeID string `json:"employee_id"`
	}
	for _, l := range events {
		if err := json.Unmarshal(l, &first); err == nil && first.Tenant == "comune-aurelia" {
			break
		}
	}
	postAll(t, m, map[schemas.Stream][][]byte{schemas.StreamIntranet: events})
	rowsExactlyOnce(t, m, "intranet_events", len(events))
	secret, _, err := m.secrets()
	if err != nil {
		t.Fatal(err)
	}
	pseudo, _ := schemas.NewPseudonymizer(secret)
	person := pseudo.Person(first.Tenant, first.EmployeeID)
	id, _ := schemas.ParsePerson(person)
	theirs := fmt.Sprintf("SELECT count() FROM bussola.intranet_events WHERE tenant = '%s' AND person = %d", first.Tenant, id)
	before := query1(t, m, theirs)
	if before == 0 {
		t.Fatal("the chosen employee has no events")
	}

	t.Run("ErrUnauthorized without a token", func(t *testing.T) {
		if code, _, _ := postErasure(t, m, "", `{"employee_id":"x"}`); code != http.StatusUnauthorized {
			t.Errorf("want 401, got %d", code)
		}
	})
	t.Run("ErrInvalid names the field", func(t *testing.T) {
		for body, field := range map[string]string{`{}`: "employee_id", `{"employee_id":"a","person":"b"}`: "person", `{"person":"EMP-1"}`: "person"} {
			code, _, errs := postErasure(t, m, "comune-aurelia", body)
			if code != http.StatusBadRequest || len(errs) != 1 || errs[0].Field != field {
				t.Errorf("%s: want 400 naming %s, got %d %+v", body, field, code, errs)
			}
		}
	})
	t.Run("OK the employee's rows are deleted and counted", func(t *testing.T) {
		code, res, errs := postErasure(t, m, first.Tenant, fmt.Sprintf(`{"employee_id":%q}`, first.EmployeeID))
		if code != http.StatusOK {
			t.Fatalf("want 200, got %d %+v", code, errs)
		}
		if res.Person != person || res.Deleted["intranet_events"] != before {
			t.Errorf("want %d intranet rows of %s deleted, got %+v", before, person, res)
		}
		if n := query1(t, m, theirs); n != 0 {
			t.Errorf("%d rows of the erased employee remain", n)
		}
		if n := query1(t, m, fmt.Sprintf("SELECT count() FROM bussola.intranet_daily WHERE person = %d AND tenant = '%s'", id, first.Tenant)); n != 0 {
			t.Errorf("%d rollup rows of the erased employee remain", n)
		}
	})
	t.Run("OK records of the erased employee posted again do not come back", func(t *testing.T) {
		postAll(t, m, map[schemas.Stream][][]byte{schemas.StreamIntranet: events})
		waitFor(t, "the consumers to drop the erased employee's records", time.Minute, func() (bool, string) {
			n := counterValueOf(t, m, "bussola_consumer_records_erased_total")
			return n >= float64(before), fmt.Sprint(n)
		})
		if n := query1(t, m, theirs); n != 0 {
			t.Errorf("the re-sent data brought back %d rows of the erased employee", n)
		}
	})
}
