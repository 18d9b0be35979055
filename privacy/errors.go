package privacy

// InputError is a request the lattice cannot answer, naming the request
// field and the rule it broke, in Italian and in English.
type InputError struct {
	// Field is the request parameter ("to", "unit", "grade").
	Field string
	// It and En state the rule.
	It, En string
}

func (e *InputError) Error() string { return e.Field + ": " + e.It + " / " + e.Field + ": " + e.En }
