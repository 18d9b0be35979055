package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bussola-pa/bussola/internal/clickhouse"
	"github.com/bussola-pa/bussola/internal/scoring"
	"github.com/bussola-pa/bussola/schemas"
)

// waveTruth is what the generated lines say about one wave, computed here
// without ClickHouse or the assessment package.
type waveTruth struct {
	respondents int
	// dimSum and dimN accumulate person scores per dimension: the mean of
	// the answered items (reversed ones as min+max-x) when at least the
	// instrument's share of the dimension's items was answered.
	dimSum map[string]float64
	dimN   map[string]int
}

func truthOf(tb testing.TB, lines [][]byte) map[clickhouse.WaveKey]*waveTruth {
	tb.Helper()
	insts, err := schemas.BuiltinInstruments()
	if err != nil {
		tb.Fatal(err)
	}
	byKey := map[string]schemas.Instrument{}
	for _, in := range insts {
		byKey[in.Key()] = in
	}
	out := map[clickhouse.WaveKey]*waveTruth{}
	for _, l := range lines {
		var r schemas.SurveyResponse
		if err := json.Unmarshal(l, &r); err != nil {
			tb.Fatal(err)
		}
		in := byKey[fmt.Sprintf("%s@%d", r.InstrumentID, r.InstrumentVersion)]
		if (in.Kind != schemas.KindLikert && in.Kind != schemas.KindStages) || len(r.Answers) == 0 {
			continue
		}
		k := clickhouse.WaveKey{Tenant: r.Tenant, Instrument: r.InstrumentID, Version: r.InstrumentVersion, Wave: r.Wave}
		w := out[k]
		if w == nil {
			w = &waveTruth{dimSum: map[string]float64{}, dimN: map[string]int{}}
			out[k] = w
		}
		w.respondents++ // the generator sends one response per person and wave
		for _, d := range in.Dimensions {
			items := in.DimensionItems(d.ID)
			s, n := 0.0, 0
			for _, it := range items {
				if v, ok := r.Answers[it.ID]; ok {
					if it.Reversed {
						v = float64(in.Scale.Min+in.Scale.Max) - v
					}
					s += v
					n++
				}
			}
			if n > 0 && float64(n) >= in.AnsweredShare()*float64(len(items))-1e-9 {
				w.dimSum[d.ID] += s / float64(n)
				w.dimN[d.ID]++
			}
		}
	}
	return out
}

// latestWhere selects the rows of a wave's latest scoring.
func latestWhere(table string, k clickhouse.WaveKey) string {
	w := fmt.Sprintf("tenant = '%s' AND instrument_id = '%s' AND instrument_version = %d AND wave = '%s'", k.Tenant, k.Instrument, k.Version, k.Wave)
	return fmt.Sprintf("%s AND scored_at = (SELECT max(scored_at) FROM bussola.%s WHERE %s)", w, table, w)
}

// apiCall calls the API with the ingest token of tenant ("" : none).
func apiCall(tb testing.TB, m *Main, method, path, tenant string, body any) (int, []byte) {
	tb.Helper()
	bearer := ""
	if tenant != "" {
		bearer = m.Tokens()[tenant]
	}
	return bearerCall(tb, m, method, path, bearer, body)
}

// bearerCall calls the API with a bearer token ("" : none).
func bearerCall(tb testing.TB, m *Main, method, path, bearer string, body any) (int, []byte) {
	tb.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, "http://"+m.HTTPAddr()+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

func resultsPath(k clickhouse.WaveKey, by string) string {
	q := url.Values{"tenant": {k.Tenant}, "instrument_id": {k.Instrument}, "instrument_version": {fmt.Sprint(k.Version)},
		"wave": {k.Wave}, "by": {by}}
	return "/api/v1/assessment/results?" + q.Encode()
}

func TestScoring(t *testing.T) {
	withEChartsAssets(t) // the results are read with report credentials: the reports must be mounted
	m := mustOpenMain(t, func(c *Config) { c.ScoringInterval = time.Second })
	// Surveys at a scale where the pilot cohort has about 60 respondents;
	// intranet use of the small tenant only, to keep the test quick.
	data := generated(t, 0.2)
	var events [][]byte
	for _, l := range data[schemas.StreamIntranet] {
		if bytes.Contains(l, []byte(`"tenant":"comune-borgoverde"`)) {
			events = append(events, l)
		}
	}
	postAll(t, m, map[schemas.Stream][][]byte{schemas.StreamSurvey: data[schemas.StreamSurvey], schemas.StreamIntranet: events})
	truth := truthOf(t, data[schemas.StreamSurvey])
	if len(truth) != 12 {
		t.Fatalf("want 2 tenants x 3 instruments x 2 waves, got %d waves", len(truth))
	}

	t.Run("OK the job scores every wave after its answers arrive, one row per respondent and dimension", func(t *testing.T) {
		waitFor(t, "every wave scored on all its answers", 3*time.Minute, func() (bool, string) {
			for k, w := range truth {
				n := query1(t, m, "SELECT count() FROM (SELECT person FROM bussola.readiness_persons WHERE "+latestWhere("readiness_persons", k)+" LIMIT 1 BY person)")
				if n != uint64(w.respondents) {
					return false, fmt.Sprintf("%s: %d of %d persons", k, n, w.respondents)
				}
			}
			return true, ""
		})
		for k, w := range truth {
			rows := query1(t, m, "SELECT count() FROM bussola.readiness_scores WHERE "+latestWhere("readiness_scores", k))
			if want := uint64(w.respondents * len(w.dimN)); rows != want {
				t.Errorf("%s: want %d score rows (%d respondents x %d dimensions), got %d", k, want, w.respondents, len(w.dimN), rows)
			}
		}
	})

	aur := clickhouse.WaveKey{Tenant: "comune-aurelia", Instrument: "digital-readiness", Version: 1, Wave: "2025-10"}
	bgv := clickhouse.WaveKey{Tenant: "comune-borgoverde", Instrument: "digital-readiness", Version: 1, Wave: "2025-10"}
	// Results are read with report users' API tokens: the admin of both
	// demo tenants, and the HR user of comune-aurelia.
	admin, hrAurelia := mustAPIToken(t, m, "admin"), mustAPIToken(t, m, "hr.aurelia")
	t.Run("OK a scoring on demand answers what it scored", func(t *testing.T) {
		code, body := apiCall(t, m, http.MethodPost, "/api/v1/assessment/score", "comune-borgoverde",
			map[string]any{"tenant": bgv.Tenant, "instrument_id": bgv.Instrument, "instrument_version": 1, "wave": bgv.Wave})
		var o scoring.Outcome
		_ = json.Unmarshal(body, &o)
		if code != http.StatusOK || o.Persons != truth[bgv].respondents || o.Dimensions != 5 {
			t.Fatalf("want 200 with %d persons and 5 dimensions, got %d %s", truth[bgv].respondents, code, body)
		}
		// Borgoverde's intranet use was posted: every respondent's index
		// includes behaviour (zero adoption for those without events).
		if o.WithUsage != o.Persons {
			t.Errorf("want behaviour for all %d persons, got %d", o.Persons, o.WithUsage)
		}
		t.Logf("scored %s on demand: %d persons in %.3fs", bgv, o.Persons, o.TookSeconds)
	})

	t.Run("OK results are aggregates matching the answers, small groups suppressed", func(t *testing.T) {
		for _, k := range []clickhouse.WaveKey{aur, bgv} {
			code, body := bearerCall(t, m, http.MethodGet, resultsPath(k, "org_unit"), admin, nil)
			if code != http.StatusOK {
				t.Fatalf("%s: want 200, got %d %s", k, code, body)
			}
			if bytes.Contains(body, []byte(`"person`)) {
				t.Errorf("%s: results must not carry person-level fields: %s", k, body)
			}
			var r scoring.Results
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatal(err)
			}
			w := truth[k]
			if r.Respondents == nil || *r.Respondents != w.respondents {
				t.Errorf("%s: respondents %v, want %d", k, r.Respondents, w.respondents)
			}
			// Totals against the generated answers, released at the precision
			// the reports show (2 decimals: within half a hundredth).
			for _, c := range r.Totals {
				want := w.dimSum[c.Dimension] / float64(w.dimN[c.Dimension])
				if c.Suppressed || *c.N != w.dimN[c.Dimension] || math.Abs(*c.Mean-want) > 0.005+1e-9 {
					t.Errorf("%s total %s: want n %d mean %.6f, got %+v", k, c.Dimension, w.dimN[c.Dimension], want, c)
				}
			}
			// Every cell hidden whose unit has fewer than 5 scored persons,
			// never exactly one hidden cell per dimension, no n below 5 shown.
			trueN := map[string]uint64{}
			rows, err := m.Store.Conn().Query(context.Background(), "SELECT org_unit, dimension, count() FROM bussola.readiness_scores WHERE "+
				latestWhere("readiness_scores", k)+" AND score IS NOT NULL GROUP BY org_unit, dimension")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var u, d string
				var n uint64
				_ = rows.Scan(&u, &d, &n)
				trueN[u+"/"+d] = n
			}
			rows.Close()
			hidden, hiddenN := map[string]int{}, map[string]uint64{}
			for _, c := range r.Scores {
				n := trueN[c.Group+"/"+c.Dimension]
				switch {
				case c.Suppressed && (c.N != nil || c.Mean != nil || c.Reason == ""):
					t.Errorf("%s %s/%s: a hidden cell must carry only its reason: %+v", k, c.Group, c.Dimension, c)
				case !c.Suppressed && (n < 5 || *c.N != int(n)):
					t.Errorf("%s %s/%s: shown with n %v, true n %d", k, c.Group, c.Dimension, c.N, n)
				}
				if c.Suppressed {
					hidden[c.Dimension]++
					hiddenN[c.Dimension] += n
				}
			}
			for d, h := range hidden {
				if h == 1 || hiddenN[d] < 5 {
					t.Errorf("%s %s: the total minus the visible cells reveals %d hidden cells holding %d persons", k, d, h, hiddenN[d])
				}
			}
			if k == bgv && sum(hidden) == 0 {
				t.Errorf("%s: the small tenant's units must have hidden cells at this scale (the test relies on them)", k)
			}
			if len(r.Reliability) != 5 || float64(r.Reliability[0].RawAlpha) < 0.5 {
				t.Errorf("%s: want the reliability of 5 dimensions with a plausible alpha, got %+v", k, r.Reliability)
			}
			shares := 0.0
			for _, c := range r.Segments {
				if c.Share != nil {
					shares += *c.Share
				}
			}
			if len(r.Segments) == 0 || shares > 1+1e-9 {
				t.Errorf("%s: segments %+v", k, r.Segments)
			}
			t.Logf("%s: %d unit x dimension cells, %d hidden", k, len(r.Scores), sum(hidden))
		}
	})

	t.Run("OK the change-readiness results carry the barrier distribution", func(t *testing.T) {
		k := clickhouse.WaveKey{Tenant: "comune-aurelia", Instrument: "change-readiness", Version: 1, Wave: "2026-04"}
		code, body := bearerCall(t, m, http.MethodGet, resultsPath(k, "cohort"), hrAurelia, nil)
		var r scoring.Results
		_ = json.Unmarshal(body, &r)
		if code != http.StatusOK || len(r.Barriers) < 3 || len(r.Segments) != 0 {
			t.Errorf("want 200 with barrier counts and no segments, got %d %s", code, body)
		}
	})

	t.Run("OK the pilot cohort gains more digital readiness than the comparison", func(t *testing.T) {
		// Mean over persons in both waves of the change of their mean
		// dimension score. The generator adds +0.3 SD of the latent trait
		// for pilot-1 and +0.05 SD for everyone else.
		sql := `SELECT cohort, avg(d), count() FROM (
		  SELECT tenant, person, any(cohort) AS cohort,
		         avgIf(score, wave = '2026-04') - avgIf(score, wave = '2025-10') AS d
		  FROM bussola.readiness_scores
		  WHERE instrument_id = 'digital-readiness' AND score IS NOT NULL
		    AND (tenant, wave, scored_at) IN (SELECT tenant, wave, max(scored_at) FROM bussola.readiness_scores
		                                      WHERE instrument_id = 'digital-readiness' GROUP BY tenant, wave)
		  GROUP BY tenant, person
		  HAVING countIf(wave = '2025-10') > 0 AND countIf(wave = '2026-04') > 0)
		GROUP BY cohort ORDER BY cohort`
		rows, err := m.Store.Conn().Query(context.Background(), sql)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		change := map[string]float64{}
		for rows.Next() {
			var c string
			var d float64
			var n uint64
			if err := rows.Scan(&c, &d, &n); err != nil {
				t.Fatal(err)
			}
			change[c] = d
			t.Logf("cohort %s: mean change %+.3f over %d persons", c, d, n)
		}
		if !(change["pilot-1"] > change["comparison"]+0.03) {
			t.Errorf("pilot-1 change %.3f must exceed the comparison's %.3f", change["pilot-1"], change["comparison"])
		}
	})

	t.Run("ErrForbidden for another tenant, ErrUnauthorized without a token", func(t *testing.T) {
		if code, _ := bearerCall(t, m, http.MethodGet, resultsPath(bgv, "org_unit"), hrAurelia, nil); code != http.StatusForbidden {
			t.Errorf("results of borgoverde by aurelia's HR: want 403, got %d", code)
		}
		code, _ := apiCall(t, m, http.MethodPost, "/api/v1/assessment/score", "comune-aurelia",
			map[string]any{"tenant": bgv.Tenant, "instrument_id": bgv.Instrument, "instrument_version": 1, "wave": bgv.Wave})
		if code != http.StatusForbidden {
			t.Errorf("scoring borgoverde with aurelia's token: want 403, got %d", code)
		}
		if code, _ := apiCall(t, m, http.MethodGet, resultsPath(bgv, "org_unit"), "", nil); code != http.StatusUnauthorized {
			t.Errorf("without a token: want 401, got %d", code)
		}
	})
	t.Run("ErrInvalid and ErrNotFound name the field", func(t *testing.T) {
		bad := aur
		bad.Instrument = "page-feedback"
		code, body := bearerCall(t, m, http.MethodGet, resultsPath(bad, "org_unit"), hrAurelia, nil)
		if code != http.StatusNotFound || !strings.Contains(string(body), "instrument_id") {
			t.Errorf("a feedback instrument: want 404 naming instrument_id, got %d %s", code, body)
		}
		code, body = bearerCall(t, m, http.MethodGet, resultsPath(aur, "person"), hrAurelia, nil)
		if code != http.StatusBadRequest || !strings.Contains(string(body), "by:") {
			t.Errorf("by=person: want 400 naming by, got %d %s", code, body)
		}
		none := aur
		none.Wave = "2030-01"
		if code, _ := bearerCall(t, m, http.MethodGet, resultsPath(none, "org_unit"), hrAurelia, nil); code != http.StatusNotFound {
			t.Errorf("a wave never scored: want 404, got %d", code)
		}
	})
}

func sum(m map[string]int) int {
	s := 0
	for _, v := range m {
		s += v
	}
	return s
}
