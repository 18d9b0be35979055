package synth

import (
	"math"
	"math/rand/v2"
)

// Stream tags keep the random streams of the generators apart, so that
// generating one stream alone (Config.Streams) yields exactly the bytes it
// yields when all are generated.
const (
	tagPopulation uint64 = 0x706f70 + iota<<32
	tagDiary
	tagSurvey
	tagIntranet
	tagHome
	tagFeedback
)

// mix is the SplitMix64 finaliser: a fast bijective 64-bit hash.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// key hashes a sequence of integers into one 64-bit value.
func key(parts ...uint64) uint64 {
	h := uint64(0x62757373)
	for _, p := range parts {
		h = mix(h ^ p)
	}
	return h
}

// unit01 maps a hash to a float in [0, 1).
func unit01(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// source is a reseedable random source: one PCG and one Rand over it, so a
// generator can derive a fresh, independent stream for every (person, day)
// without allocating.
type source struct {
	pcg *rand.PCG
	*rand.Rand
}

func newSource() *source {
	p := rand.NewPCG(0, 0)
	return &source{pcg: p, Rand: rand.New(p)}
}

// reseed points the source at the stream identified by the given parts.
func (s *source) reseed(parts ...uint64) {
	h := key(parts...)
	s.pcg.Seed(h, mix(h^0x5851f42d4c957f2d))
}

// bern returns true with probability p.
func (s *source) bern(p float64) bool { return s.Float64() < p }

// poisson draws from a Poisson distribution by inversion; fine for the small
// means used here (below about 30).
func (s *source) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	l := math.Exp(-lambda)
	k, p := 0, s.Float64()
	for p > l {
		k++
		p *= s.Float64()
	}
	return k
}

// pick returns an index drawn with probability proportional to the weights
// in cum, a cumulative sum.
func (s *source) pick(cum []float64) int {
	u := s.Float64() * cum[len(cum)-1]
	lo, hi := 0, len(cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if cum[m] > u {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// cumulative turns weights into a cumulative sum for pick.
func cumulative(w []float64) []float64 {
	c := make([]float64, len(w))
	sum := 0.0
	for i, x := range w {
		sum += x
		c[i] = sum
	}
	return c
}

// choose returns one of the strings uniformly.
func choose[T any](s *source, xs []T) T { return xs[s.IntN(len(xs))] }

// clampRound rounds x to the nearest integer within [lo, hi].
func clampRound(x float64, lo, hi int) int {
	r := int(math.Round(x))
	if r < lo {
		return lo
	}
	if r > hi {
		return hi
	}
	return r
}
