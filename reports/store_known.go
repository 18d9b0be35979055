package reports

// KnownPopulation is the people Bussola knows in each interior cell (unit,
// grade, cohort) of a tenant, from every stream and all time: the weekly
// lattices (diary, publishing) protect their cells by it, so a cell of a
// few people is hidden every week whether or not they ever wrote or
// published (issue 9, membership).
type KnownPopulation struct {
	// Version is the data version the counts were read at.
	Version string
	Cells   []KnownCell
}

// KnownCell is one interior cell and its distinct people, each person
// counted once (in the cell of their latest record).
type KnownCell struct {
	Unit, Grade, Cohort string
	People              int
}
