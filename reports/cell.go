package reports

import "github.com/bussola-pa/bussola/privacy"

// Cell is one published aggregate of a page: privacy.Cell, the one
// published-cell type (an alias, so the pages, their exports and the
// scoring API release the same type with the same Hide and JSON form).
// The store fills Value, Lo, Hi and N; the suppression layer
// (suppress.go, disclosure*.go) sets Suppressed and Reason.
type Cell = privacy.Cell

// Reasons a cell is hidden (privacy's codes).
const (
	ReasonSmallGroup      = privacy.ReasonSmallGroup
	ReasonComplementary   = privacy.ReasonComplementary
	ReasonSmallPopulation = privacy.ReasonSmallPopulation
)
