package assessment

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Table is a numeric response matrix read from a CSV export: one row per
// respondent, one column per item, NaN for an empty (missing) cell.
type Table struct {
	Columns []string
	Data    *mat.Dense
}

// Column returns the index of the named column, or -1.
func (t *Table) Column(name string) int {
	for i, c := range t.Columns {
		if c == name {
			return i
		}
	}
	return -1
}

// ReadCSV reads the named columns of a CSV file with a header row. Other
// columns are ignored. An empty cell (or NA) is missing; any other cell must
// be a number. Errors name the column and the file line (the header is
// line 1).
func ReadCSV(r io.Reader, columns []string) (*Table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("read csv: the file is empty (a header row is required)")
		}
		return nil, fmt.Errorf("read csv header: %w", err)
	}
	pos := make(map[string]int, len(head))
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := pos[h]; dup {
			return nil, fmt.Errorf("read csv header: column %q appears twice", h)
		}
		pos[h] = i
	}
	idx := make([]int, len(columns))
	for k, c := range columns {
		i, ok := pos[c]
		if !ok {
			return nil, fmt.Errorf("read csv: item %q is not a column of the header (line 1)", c)
		}
		idx[k] = i
	}
	p := len(columns)
	var data []float64
	line := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("read csv line %d: %w", line, err)
		}
		for k, i := range idx {
			if i >= len(rec) {
				return nil, fmt.Errorf("read csv: column %q, line %d: the row has %d fields, the header %d", columns[k], line, len(rec), len(head))
			}
			cell := strings.TrimSpace(rec[i])
			if cell == "" || cell == "NA" {
				data = append(data, math.NaN())
				continue
			}
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
				return nil, fmt.Errorf("read csv: column %q, line %d: %q is not a number", columns[k], line, cell)
			}
			data = append(data, v)
		}
	}
	n := len(data) / max(p, 1)
	if n == 0 {
		return nil, errors.New("read csv: no data rows after the header")
	}
	return &Table{Columns: append([]string(nil), columns...), Data: mat.NewDense(n, p, data)}, nil
}
