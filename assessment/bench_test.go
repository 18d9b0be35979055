package assessment

import (
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// The benchmark: 100,000 respondents × 40 items (five 8-item
// dimensions, half of each reversed), 5% of cells missing.
const benchN, benchFactors, benchPer = 100_000, 5, 8

func benchData(b *testing.B) (*mat.Dense, []Scale) {
	b.Helper()
	x := syntheticMatrix(benchN, benchFactors, benchPer, 0.05, 11)
	var scales []Scale
	for f := 0; f < benchFactors; f++ {
		sc := Scale{Name: string(rune('A' + f))}
		for k := 0; k < benchPer; k++ {
			j := f*benchPer + k
			sc.Items = append(sc.Items, string(rune('A'+f))+string(rune('0'+k)))
			sc.Columns = append(sc.Columns, j)
			sc.Reversed = append(sc.Reversed, k%2 == 1)
		}
		scales = append(scales, sc)
	}
	return x, scales
}

func personScores(x *mat.Dense, scales []Scale) [][]float64 {
	n, _ := x.Dims()
	raw := x.RawMatrix()
	out := make([][]float64, len(scales))
	vals := make([]float64, benchPer)
	for s, sc := range scales {
		out[s] = make([]float64, n)
		for i := 0; i < n; i++ {
			row := raw.Data[i*raw.Stride:]
			for a, j := range sc.Columns {
				vals[a] = row[j]
			}
			out[s][i], _ = DimensionScore(vals, sc.Reversed, 1, 5, 0.8)
		}
	}
	return out
}

// BenchmarkAssessmentPipeline times each stage once per iteration and
// reports milliseconds per stage; "full_ms" is person scores + norms +
// reliability of every dimension + PCA (the issue's < 1 s target).
func BenchmarkAssessmentPipeline(b *testing.B) {
	x, scales := benchData(b)
	b.ReportAllocs()
	b.ResetTimer()
	var tScore, tNorm, tPair, tRel, tPCA, tEFA time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		scores := personScores(x, scales)
		t1 := time.Now()
		for _, s := range scores {
			Norms(s, nil)
		}
		t2 := time.Now()
		pw := PairwiseMoments(x)
		t3 := time.Now()
		for _, sc := range scales {
			if _, err := ScaleReliability(x, pw, sc, 6); err != nil {
				b.Fatal(err)
			}
		}
		t4 := time.Now()
		if _, err := PrincipalComponents(pw.Cor); err != nil {
			b.Fatal(err)
		}
		t5 := time.Now()
		if _, err := FactorAnalysis(pw.Cor, 5, RotateOblimin); err != nil {
			b.Fatal(err)
		}
		t6 := time.Now()
		tScore += t1.Sub(t0)
		tNorm += t2.Sub(t1)
		tPair += t3.Sub(t2)
		tRel += t4.Sub(t3)
		tPCA += t5.Sub(t4)
		tEFA += t6.Sub(t5)
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(tScore), "scores_ms")
	b.ReportMetric(ms(tNorm), "norms_ms")
	b.ReportMetric(ms(tPair), "pairwise_ms")
	b.ReportMetric(ms(tRel), "reliability_ms")
	b.ReportMetric(ms(tPCA), "pca_ms")
	b.ReportMetric(ms(tEFA), "efa5_ms")
	b.ReportMetric(ms(tScore+tNorm+tPair+tRel+tPCA), "full_ms")
}

// BenchmarkPairwiseMoments isolates the pairwise-complete moments.
func BenchmarkPairwiseMoments(b *testing.B) {
	x, _ := benchData(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		PairwiseMoments(x)
	}
}

// BenchmarkScoreResponses runs the service entry point on 100,000
// responses (maps of answers) to the 30-item digital-readiness instrument.
func BenchmarkScoreResponses(b *testing.B) {
	in := builtin(b, "digital-readiness")
	resp := syntheticResponses(in, benchN, 5)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ScoreResponses(in, resp, ScoreOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
