package privacy

import "math/bits"

// The exact derivability test. The hidden cells are the unknowns; every
// additivity equation of the lattice that involves a hidden cell, with the
// published cells moved to the known side, is a row of a matrix M over
// them. A viewer who sees every published cell and knows every equation
// can compute a hidden cell s exactly, by some linear combination of what
// is published, if and only if the unit vector e_s lies in the row space
// of M (otherwise M has a null vector with a nonzero s entry: a change of
// the hidden cells that no published figure sees).
//
// The row space is built by Gaussian elimination in the prime field of
// order p = 2^61-1, so every step is exact and the result does not depend
// on a floating-point tolerance. A vector is in M's rational row space
// exactly when it is in its row space modulo p, unless p divides a nonzero
// minor of M; then the test could miss a derivation (M = [2] has rank 0
// modulo 2). M has entries 0 and ±1, and the minors of such sparse
// margin systems are small numbers (0 and ±1 for a two-way table), far
// from a 61-bit prime; the tests check the test against gonum's SVD rank.
// Cells protected by a hypercube do not depend on it at all: the cube is
// itself the proof that they cannot be derived.

const modP = 1<<61 - 1

func addMod(a, b uint64) uint64 {
	s := a + b
	if s >= modP {
		s -= modP
	}
	return s
}

func subMod(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + modP - b
}

func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// a*b = hi*2^64 + lo = (hi<<3 | lo>>61)*2^61 + lo&p, and 2^61 ≡ 1.
	s := (hi<<3 | lo>>61) + lo&modP
	for s >= modP {
		s -= modP
	}
	return s
}

func invMod(a uint64) uint64 {
	// Fermat: a^(p-2).
	r, e := uint64(1), uint64(modP-2)
	for e > 0 {
		if e&1 == 1 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
		e >>= 1
	}
	return r
}

// sparseRow is a row of the echelon basis: its first column is its pivot,
// with coefficient 1.
type sparseRow struct {
	cols []int32
	vals []uint64
}

// span is a row space in echelon form over m columns, built row by row.
type span struct {
	rows  []sparseRow
	pivot []int32 // pivot[c] = index of the row with pivot c, or -1

	// scratch for reduce
	acc     []uint64
	inHeap  []bool
	heap    []int32
	touched []int32
}

func newSpan(m int) *span {
	s := &span{pivot: make([]int32, m), acc: make([]uint64, m), inHeap: make([]bool, m)}
	for i := range s.pivot {
		s.pivot[i] = -1
	}
	return s
}

func (s *span) push(c int32) {
	if s.inHeap[c] {
		return
	}
	s.inHeap[c] = true
	s.touched = append(s.touched, c)
	h := append(s.heap, c)
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if h[p] <= h[i] {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
	s.heap = h
}

func (s *span) pop() int32 {
	h := s.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[l] < h[m] {
			m = l
		}
		if r < len(h) && h[r] < h[m] {
			m = r
		}
		if m == i {
			break
		}
		h[m], h[i] = h[i], h[m]
		i = m
	}
	s.heap = h
	return top
}

// reduce loads the row (cols, vals) and subtracts basis rows, smallest
// column first, until its smallest nonzero column has no pivot. It
// returns that column, or -1 when the row reduces to zero (it is in the
// span). The reduced row stays in acc over the touched columns; every
// column the reduction met is in s.touched until the next reduce.
func (s *span) reduce(cols []int32, vals []uint64) int32 {
	for _, c := range s.touched {
		s.acc[c], s.inHeap[c] = 0, false
	}
	s.touched, s.heap = s.touched[:0], s.heap[:0]
	for i, c := range cols {
		s.acc[c] = addMod(s.acc[c], vals[i])
		s.push(c)
	}
	for len(s.heap) > 0 {
		c := s.pop()
		s.inHeap[c] = false
		f := s.acc[c]
		if f == 0 {
			continue
		}
		p := s.pivot[c]
		if p < 0 {
			s.push(c) // keep it for add
			return c
		}
		row := s.rows[p]
		s.acc[c] = 0
		for j := 1; j < len(row.cols); j++ {
			d := row.cols[j]
			s.acc[d] = subMod(s.acc[d], mulMod(f, row.vals[j]))
			s.push(d)
		}
	}
	return -1
}

// add adds the row to the basis unless it is in the span already.
func (s *span) add(cols []int32, vals []uint64) {
	lead := s.reduce(cols, vals)
	if lead < 0 {
		return
	}
	inv := invMod(s.acc[lead])
	var row sparseRow
	row.cols = append(row.cols, lead)
	row.vals = append(row.vals, 1)
	// The heap holds the remaining columns (all above lead); take them in
	// order so the row is sorted.
	for len(s.heap) > 0 {
		c := s.pop()
		s.inHeap[c] = false
		if c == lead || s.acc[c] == 0 {
			continue
		}
		row.cols = append(row.cols, c)
		row.vals = append(row.vals, mulMod(s.acc[c], inv))
	}
	s.pivot[lead] = int32(len(s.rows))
	s.rows = append(s.rows, row)
}

// contains reports whether the unit vector e_c is in the span. After the
// call s.touched lists every column the test met: the hidden cells a
// derivation of c goes through.
func (s *span) contains(c int32) bool {
	return s.reduce([]int32{c}, []uint64{1}) < 0
}
