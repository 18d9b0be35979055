package analytics

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Table is a CSV file held in memory as strings, with a header row naming the
// columns. It is the input of the command-line estimators.
type Table struct {
	Header  []string
	Records [][]string
	index   map[string]int
}

// ReadTable reads a comma-separated table with a header row from r. Every
// record must have as many fields as the header.
func ReadTable(r io.Reader) (*Table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read csv: the file is empty, a header row is required")
	}
	if err != nil {
		return nil, fmt.Errorf("read csv header: %w", err)
	}
	t := &Table{Header: header, index: make(map[string]int, len(header))}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[i] = h
		if _, dup := t.index[h]; dup {
			return nil, fmt.Errorf("read csv header: column %q appears twice", h)
		}
		t.index[h] = i
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read csv: %w", err)
		}
		t.Records = append(t.Records, rec)
	}
	return t, nil
}

// Column returns the position of the named column, or an error listing the
// columns that do exist.
func (t *Table) Column(name string) (int, error) {
	i, ok := t.index[name]
	if !ok {
		return 0, fmt.Errorf("column %q not found; the file has columns %s", name, strings.Join(t.Header, ", "))
	}
	return i, nil
}

// IsMissing reports whether a CSV field stands for a missing value: empty,
// "NA", "NaN", "null" or ".".
func IsMissing(field string) bool {
	switch strings.TrimSpace(field) {
	case "", "NA", "na", "NaN", "nan", "null", "NULL", ".":
		return true
	}
	return false
}

// Floats parses the named column as numbers; missing fields become NaN. A
// field that is neither missing nor a number is an error naming the row
// (1-based data row, header excluded) and the value.
func (t *Table) Floats(name string) ([]float64, error) {
	c, err := t.Column(name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(t.Records))
	for i, rec := range t.Records {
		f := strings.TrimSpace(rec[c])
		if IsMissing(f) {
			out[i] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			switch strings.ToLower(f) {
			case "true":
				v, err = 1, nil
			case "false":
				v, err = 0, nil
			}
		}
		if err != nil || math.IsInf(v, 0) {
			return nil, fmt.Errorf("column %q row %d: %q is not a number", name, i+1, f)
		}
		out[i] = v
	}
	return out, nil
}

// Binary parses the named column as a 0/1 indicator: 0, 1, true or false
// (any case). Missing fields become NaN; any other value is an error naming
// the row and the rule.
func (t *Table) Binary(name string) ([]float64, error) {
	v, err := t.Floats(name)
	if err != nil {
		return nil, err
	}
	for i, x := range v {
		if !math.IsNaN(x) && x != 0 && x != 1 {
			return nil, fmt.Errorf("column %q row %d: value %v is not binary; the column must hold only 0/1 or true/false", name, i+1, x)
		}
	}
	return v, nil
}

// Strings returns the named column's fields, trimmed of spaces.
func (t *Table) Strings(name string) ([]string, error) {
	c, err := t.Column(name)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(t.Records))
	for i, rec := range t.Records {
		out[i] = strings.TrimSpace(rec[c])
	}
	return out, nil
}
