// Package privacy is Bussola's disclosure control: the rules that keep any
// group smaller than the minimum out of what the reports, exports and APIs
// release, whatever combination of them a viewer collects.
//
// The design is statistical disclosure control as statistics offices
// practise it (tau-ARGUS, sdcTable):
//   - A Lattice is the fixed set of publishable cells: every combination of
//     one category or Total per dimension (unit x grade x cohort x period
//     bin), so every margin down to the entity total is a cell and every
//     filter a page offers selects a cell (Lattice.Cell). Periods are whole
//     bins (Binning.Snap: ISO weeks, months; survey waves are named bins),
//     so shifting a period by a day has nothing to subtract.
//   - Protect suppresses every cell with 0 < n < k (primary; k per tenant,
//     never below Floor), then hides complements (secondary) until Audit
//     finds no leak: no primary cell derivable from the published cells
//     through any linear combination of all the lattice's additivity
//     equations together, no published cell whose hidden parts along a
//     dimension (a filter's remainder) may hold fewer than k people. The
//     pattern depends only on the input, so repeated queries agree.
//   - Figures are released at the precision shown (Precision) as Cells,
//     the one published-cell type of the pages, exports and APIs, through
//     Pattern.Figure, which reduces a hidden cell to its reason (Cell.Hide).
//   - A request that is not one cell (the sum over a range of weeks) is
//     answered only when the published cells determine it
//     (Pattern.Knowledge, Knowledge.Determines).
//   - Several figures of one lattice with different head counts take the
//     Union of their patterns, which stays safe.
//
// The store fills one lattice per source in one query: ClickHouse's
// GROUP BY unit, grade, cohort, bin WITH CUBE returns exactly its cells,
// with uniqExact(person) as the head count (grouping() tells a Total from
// an empty label) and sums for the additive figures; CheckCounts and
// CheckSums verify the margins before anything is protected or released.
//
// The package is pure: no I/O, no clock, no randomness. It imports the
// standard library only (its tests use gonum as an independent oracle)
// and must not import reports, ingest, internal/... or any driver.
package privacy
