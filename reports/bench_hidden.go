package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// HiddenShare is the share of a page's cells a viewer gets hidden: the
// cost of the protection in usefulness, summed over some queries.
type HiddenShare struct {
	Page               Page
	PerTable, Lattice  int // hidden cells under the per-table rule and under the lattice
	CellsPT, CellsLatt int // all cells (hidden and published)
}

// HiddenShares loads each page for each query twice, with the lattice
// protection (as served) and with the per-table rule only
// (UnsafeNoLatticeProtection), and counts the hidden cells of each. For
// figures; queries must carry Tenant (and Tenants for benchmarks).
func (s *Server) HiddenShares(ctx context.Context, pages []Page, queries []Query) ([]HiddenShare, error) {
	unsafe := &Server{cfg: s.cfg, store: s.store, pipe: s.pipe, patterns: newPatternCache()}
	unsafe.cfg.Privacy.UnsafeNoLatticeProtection = true
	var out []HiddenShare
	for _, p := range pages {
		h := HiddenShare{Page: p}
		for _, q := range queries {
			if len(q.Tenants) == 0 {
				q.Tenants = []string{q.Tenant}
			}
			for _, side := range []struct {
				srv           *Server
				hidden, cells *int
			}{{s, &h.Lattice, &h.CellsLatt}, {unsafe, &h.PerTable, &h.CellsPT}} {
				v, err := side.srv.load(ctx, p, q)
				if err != nil {
					return nil, fmt.Errorf("hidden share %s: %w", p, err)
				}
				b, err := json.Marshal(v.Data)
				if err != nil {
					return nil, err
				}
				var x any
				if err := json.Unmarshal(b, &x); err != nil {
					return nil, err
				}
				countCells(x, side.hidden, side.cells)
			}
		}
		out = append(out, h)
	}
	return out, nil
}

// countCells walks a page's JSON and counts its cells: objects with
// "suppressed" (hidden) or with "n" and "value" (published).
func countCells(x any, hidden, cells *int) {
	switch v := x.(type) {
	case map[string]any:
		if _, ok := v["suppressed"]; ok {
			*hidden++
			*cells++
			return
		}
		_, n := v["n"]
		_, val := v["value"]
		if n && val {
			*cells++
			return
		}
		for _, c := range v {
			countCells(c, hidden, cells)
		}
	case []any:
		for _, c := range v {
			countCells(c, hidden, cells)
		}
	}
}

// FormatHidden renders hidden shares as a table.
func FormatHidden(hs []HiddenShare) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %22s %22s\n", "page", "hidden, per-table rule", "hidden, lattice")
	share := func(h, n int) string {
		if n == 0 {
			return "-"
		}
		return fmt.Sprintf("%d/%d (%.1f%%)", h, n, 100*float64(h)/float64(n))
	}
	for _, h := range hs {
		fmt.Fprintf(&b, "%-14s %22s %22s\n", h.Page, share(h.PerTable, h.CellsPT), share(h.Lattice, h.CellsLatt))
	}
	return b.String()
}
