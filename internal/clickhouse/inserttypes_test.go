package clickhouse

import "testing"

func TestWithoutLowCardinality(t *testing.T) {
	for in, want := range map[string]string{
		"String":                              "String",
		"LowCardinality(String)":              "String",
		"LowCardinality(Nullable(String))":    "Nullable(String)",
		"Array(LowCardinality(String))":       "Array(String)",
		"Map(LowCardinality(String), UInt64)": "Map(String, UInt64)",
		"Tuple(LowCardinality(String), LowCardinality(FixedString(2)))": "Tuple(String, FixedString(2))",
		"DateTime64(3, 'Europe/Rome')":                                  "DateTime64(3, 'Europe/Rome')",
		"LowCardinality(String":                                         "LowCardinality(String",
	} {
		if got := withoutLowCardinality(in); got != want {
			t.Errorf("withoutLowCardinality(%q) = %q, want %q", in, got, want)
		}
	}
}
