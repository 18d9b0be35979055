package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/bussola-pa/bussola/ingest"
	"github.com/bussola-pa/bussola/internal/testenv"
	"github.com/bussola-pa/bussola/schemas"
)

// identifierKeys are the ways a producer may send a raw identifier: the
// record's own field in other letter cases, other spellings of it, other
// identifiers, nested in objects and arrays, under an unrelated key, and
// as a key. %s stands for the identifier.
var identifierKeys = []string{
	`"EMPLOYEE_ID":%q`, `"Employee_ID":%q`, `"employee_id":%q`, `"employeeId":%q`, `"EmployeeID":%q`,
	`"employee id":%q`, `"Employee-Id":%q`, `"person_id":%q`, `"PERSON_ID":%q`, `"matricola":%q`,
	`"MATRICOLA":%q`, `"codice_fiscale":%q`, `"CodiceFiscale":%q`, `"email":%q`, `"E-Mail":%q`,
	`"extra":{"EMPLOYEE_ID":%q}`, `"meta":{"hr":{"Employee_ID":%q}}`, `"extra":[{"matricola":%q}]`,
	`"ids":[%q]`, `"note":%q`, `%q:1`, `"by_person":{%q:1}`,
}

// TestRawIdentifiersNeverPersisted sends raw identifiers in every key
// spelling, letter case and nesting, through the intake (with one invalid
// field, so they become dead letters, and as valid records) and straight
// to a topic, then looks for each identifier's value in every table of the
// service's database, in the service's log (debug level) and in every file
// of the data directory.
func TestRawIdentifiersNeverPersisted(t *testing.T) {
	testenv.RequireClickHouseLibrary(t)
	dir := t.TempDir()
	var logs syncBuffer
	m := NewMain(testConfig(dir), slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			m.Close()
		}
	})
	const tenant = "comune-aurelia"
	secret, _, err := m.secrets()
	if err != nil {
		t.Fatal(err)
	}
	pseudo, _ := schemas.NewPseudonymizer(secret)
	event := func(i int, device, who string) string {
		return fmt.Sprintf(`{"event_id":"00000000-0000-4000-8000-%012d","tenant":%q,"org_unit":"Tributi","grade":"C","cohort":"pilot-1",%s"ts":"%s","kind":"page_view","section":"notizie","device":%q`,
			i, tenant, who, time.Now().UTC().Add(-time.Hour).Format(time.RFC3339), device)
	}
	diary := func(i int, location string) string {
		return fmt.Sprintf(`{"event_id":"00000000-0000-4000-9000-%012d","tenant":%q,"org_unit":"Tributi","grade":"C","cohort":"pilot-1","date":"%s","lang":"it","text":"una giornata","productivity":3,"work_life_balance":3,"connection":3,"tech_problems":false,"location":%q`,
			i, tenant, time.Now().UTC().Format(time.DateOnly), location)
	}
	var intakeIDs, topicIDs []string
	newID := func(ids *[]string) string {
		id := fmt.Sprintf("RAWID%03dQZ%dX", len(intakeIDs)+len(topicIDs), len(*ids)%10)
		*ids = append(*ids, id)
		return id
	}

	// Through the intake: each spelling on an invalid intranet event and
	// an invalid diary entry, and the spellings the decoder takes as
	// employee_id on valid events.
	var events, entries [][]byte
	for _, k := range identifierKeys {
		events = append(events, []byte(event(len(events), "toaster", "")+","+fmt.Sprintf(k, newID(&intakeIDs))+"}"))
		entries = append(entries, []byte(diary(len(entries), "moon")+","+fmt.Sprintf(k, newID(&intakeIDs))+"}"))
	}
	// And one large invalid entry: its dead letter's payload is capped.
	var big strings.Builder
	big.WriteString(diary(len(entries), "moon"))
	for i := range 400 {
		fmt.Fprintf(&big, `,"extra_field_%c%c":%q`, 'a'+i%26, 'a'+i/26, strings.Repeat("x", 500))
	}
	entries = append(entries, []byte(big.String()+"}"))
	invalid := len(events) + len(entries)
	valid := 0
	for _, k := range []string{"EMPLOYEE_ID", "Employee_ID", "employee_id"} {
		events = append(events, []byte(event(len(events), "desktop", fmt.Sprintf(`%q:%q,`, k, newID(&intakeIDs)))+"}"))
		valid++
	}
	code, r := post(t, m, "/api/v1/events", tenant, bytes.Join(events, []byte("\n")), "application/x-ndjson")
	if code != http.StatusBadRequest || r.Accepted != valid || r.Rejected != len(events)-valid {
		t.Fatalf("events: want 400 with %d accepted, got %d %+v", valid, code, r)
	}
	code, r = post(t, m, "/api/v1/diary", tenant, bytes.Join(entries, []byte("\n")), "application/x-ndjson")
	if code != http.StatusBadRequest || r.Rejected != len(entries) {
		t.Fatalf("diary: want 400 with every line rejected, got %d %+v", code, r)
	}

	// Straight to the topic, as another system would: a record with its
	// pseudonym and, besides it, a raw identifier.
	var msgs []kafka.Message
	for _, k := range identifierKeys {
		person := pseudo.Person(tenant, "someone")
		line := event(1000+len(msgs), "desktop", fmt.Sprintf(`"person":%q,`, person)) + "," + fmt.Sprintf(k, newID(&topicIDs)) + "}"
		msgs = append(msgs, kafka.Message{Key: []byte(tenant), Value: []byte(line)})
	}
	w := entityWriter(t, m, tenant, schemas.StreamIntranet)
	if err := w.WriteMessages(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
	w.Close()

	want := invalid + len(msgs)
	waitFor(t, fmt.Sprintf("%d dead letters", want), 2*time.Minute, func() (bool, string) {
		n := query1(t, m, "SELECT count() FROM bussola.dead_letters")
		return n >= uint64(want), fmt.Sprint(n)
	})
	rowsExactlyOnce(t, m, "intranet_events", valid)
	if n := query1(t, m, "SELECT max(length(payload)) FROM bussola.dead_letters"); n > ingest.MaxDeadLetterPayload {
		t.Errorf("a dead letter's payload is %d bytes, above the cap of %d", n, ingest.MaxDeadLetterPayload)
	}
	if n := query1(t, m, "SELECT count() FROM bussola.dead_letters WHERE reason = '' OR errors = '' OR payload = ''"); n != 0 {
		t.Errorf("%d dead letters lost their reasons or payload", n)
	}
	person := pseudo.Person(tenant, intakeIDs[1])
	if n := query1(t, m, fmt.Sprintf("SELECT count() FROM bussola.dead_letters WHERE position(payload, '\"person\":\"%s\"') > 0", person)); n != 1 {
		t.Errorf("the dead letter of an EMPLOYEE_ID record should name its pseudonym (for erasure), %d do", n)
	}
	all := append(append([]string(nil), intakeIDs...), topicIDs...)

	t.Run("OK no table holds a raw identifier", func(t *testing.T) {
		for table, rows := range tableRows(t, m) {
			for _, row := range rows {
				for _, id := range all {
					if strings.Contains(strings.ToUpper(row), id) {
						t.Errorf("table %s holds %s: %.300s", table, id, row)
					}
				}
			}
		}
	})

	closed = true
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	t.Run("OK no log line holds a raw identifier", func(t *testing.T) {
		text := logs.Bytes()
		if len(text) == 0 {
			t.Fatal("the service logged nothing")
		}
		for _, id := range all {
			if bytes.Contains(text, []byte(id)) {
				t.Errorf("the log holds %s", id)
			}
		}
	})
	t.Run("OK no file of the data directory holds a raw identifier", func(t *testing.T) {
		// What another system produced to a topic stays in that topic's
		// log until the topic's retention: the service cannot rewrite it.
		// The identifiers must be there (the search does see the broker's
		// files) and nowhere else.
		source := filepath.Join(dir, "kafka", "partitions", schemas.StreamIntranet.EntityTopic(tenant)+"-")
		seenInSource := map[string]bool{}
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 {
				return err // a link leads to files walked anyway
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			inSource := strings.HasPrefix(path, source)
			for _, id := range all {
				if !bytes.Contains(b, []byte(id)) {
					continue
				}
				if inSource && containsString(topicIDs, id) {
					seenInSource[id] = true
					continue
				}
				rel, _ := filepath.Rel(dir, path)
				t.Errorf("%s holds %s", rel, id)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seenInSource) != len(topicIDs) {
			t.Errorf("the search found %d of the %d identifiers produced to the topic in its log: it does not read the broker's files", len(seenInSource), len(topicIDs))
		}
	})
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// tableRows reads every row of every table of the service's database as
// text (all columns joined). The identifiers are searched for in Go, not
// in SQL, so that no query the test sends carries them.
func tableRows(tb testing.TB, m *Main) map[string][]string {
	tb.Helper()
	tables := queryStrings(tb, m, "SELECT name FROM system.tables WHERE database = 'bussola' AND engine NOT IN ('View', 'MaterializedView')")
	if len(tables) < 5 {
		tb.Fatalf("found only the tables %v", tables)
	}
	out := map[string][]string{}
	for _, table := range tables {
		var exprs []string
		for _, c := range queryStrings(tb, m, "SELECT name FROM system.columns WHERE database = 'bussola' AND table = ?", table) {
			exprs = append(exprs, fmt.Sprintf("toString(`%s`)", c))
		}
		q := fmt.Sprintf("SELECT concat(%s) FROM bussola.`%s`", strings.Join(exprs, ", '|', "), table)
		if len(exprs) == 1 {
			q = fmt.Sprintf("SELECT %s FROM bussola.`%s`", exprs[0], table)
		}
		out[table] = queryStrings(tb, m, q)
	}
	if len(out["dead_letters"]) == 0 {
		tb.Fatal("read no dead letter")
	}
	return out
}

// queryStrings runs a query of one String column and returns its values.
func queryStrings(tb testing.TB, m *Main, q string, args ...any) []string {
	tb.Helper()
	rows, err := m.Store.Conn().Query(context.Background(), q, args...)
	if err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			tb.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return out
}

// TestIntakeRefusesInvalidText: invalid UTF-8 and control characters get
// 400 naming the field and the rule, in Italian and English, while the
// valid lines of the batch are taken; on the topic they become dead
// letters with that reason.
func TestIntakeRefusesInvalidText(t *testing.T) {
	m := mustOpenMain(t, nil)
	good := generated(t, 0.003)[schemas.StreamDiary][:2]
	withText := func(i int, field, value string) []byte {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(good[i], &obj); err != nil {
			t.Fatal(err)
		}
		obj[field] = json.RawMessage(value)
		b, _ := json.Marshal(obj)
		return bytes.Replace(b, []byte("INVALID"), []byte("\xff\xfe"), 1)
	}
	lines := [][]byte{
		good[0],
		withText(1, "org_unit", `"Tributi\u0000"`),
		withText(1, "text", `"INVALID"`),
		withText(1, "grade", `"C\u0007"`),
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+m.HTTPAddr()+"/api/v1/diary", bytes.NewReader(bytes.Join(lines, []byte("\n"))))
	req.Header.Set("Authorization", "Bearer "+m.Tokens()["comune-aurelia"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var reply struct {
		Accepted int
		Errors   []struct {
			Line                 int
			Field, Rule, Message string
			MessageIT            string `json:"message_it"`
		}
	}
	_ = json.NewDecoder(resp.Body).Decode(&reply)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || reply.Accepted != 1 || len(reply.Errors) != 3 {
		t.Fatalf("want 400 with one line taken and three errors, got %d %+v", resp.StatusCode, reply)
	}
	want := map[int]string{2: "org_unit/control_character", 3: "text/utf8", 4: "grade/control_character"}
	for _, e := range reply.Errors {
		if got := e.Field + "/" + e.Rule; got != want[e.Line] || e.Message == "" || e.MessageIT == "" {
			t.Errorf("line %d: want %s in Italian and English, got %+v", e.Line, want[e.Line], e)
		}
	}
	rowsExactlyOnce(t, m, "diary_entries", 1)

	// The same straight on the topic.
	secret, _, _ := m.secrets()
	pseudo, _ := schemas.NewPseudonymizer(secret)
	var obj map[string]json.RawMessage
	_ = json.Unmarshal(lines[1], &obj)
	var id string
	_ = json.Unmarshal(obj["employee_id"], &id)
	delete(obj, "employee_id")
	obj["person"], _ = json.Marshal(pseudo.Person("comune-aurelia", id))
	obj["event_id"] = json.RawMessage(`"00000000-0000-4000-8000-000000000001"`)
	onTopic, _ := json.Marshal(obj)
	w := entityWriter(t, m, "comune-aurelia", schemas.StreamDiary)
	if err := w.WriteMessages(context.Background(), kafka.Message{Value: onTopic}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	waitFor(t, "the topic's dead letter", time.Minute, func() (bool, string) {
		n := query1(t, m, "SELECT count() FROM bussola.dead_letters WHERE source = 'bussola.diary.v1.comune-aurelia' AND position(errors, '\"field\":\"org_unit\",\"rule\":\"control_character\"') > 0")
		return n == 1, fmt.Sprint(n)
	})
}
