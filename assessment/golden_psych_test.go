package assessment

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Reference numbers from ../shared/testdata/psych/psych_reference.txt
// (R 4.2.2, psych 2.2.9, GPArotation 2022.10.2, on psychTools' bfi).

var bfiItems = func() []string {
	var out []string
	for _, s := range "ACENO" {
		for i := 1; i <= 5; i++ {
			out = append(out, fmt.Sprintf("%c%d", s, i))
		}
	}
	return out
}()

type bfiItemRef struct {
	n                                        int
	rawR, stdR, rCor, rDrop, mean, sd, alpha float64
	stdAlpha, avgR                           float64
}

type bfiScaleRef struct {
	name                         string
	reversed                     []string
	rawAlpha, stdAlpha, g6, avgR float64
	mean, sd                     float64
	items                        []bfiItemRef
}

// Values printed by R with 10 significant digits; tolerance 1e-8 on each.
var bfiRef = []bfiScaleRef{
	{"A", []string{"A1"}, 0.7030184461, 0.7130285787, 0.682762672, 0.3319676571, 4.652095238, 0.8984018771, []bfiItemRef{
		{2784, 0.5806903118, 0.5664248142, 0.3763568402, 0.3084177395, 4.586566092, 1.407737151, 0.7185173570, 0.7255091486, 0.3978722613},
		{2773, 0.7279845314, 0.7479918646, 0.6665475389, 0.5636151638, 4.802380094, 1.172019922, 0.6171800370, 0.6255798818, 0.2946317348},
		{2774, 0.7603190043, 0.7673622565, 0.7092193307, 0.5870045895, 4.603821197, 1.301833639, 0.6002595788, 0.6129446570, 0.2836175698},
		{2781, 0.6541864371, 0.6306788429, 0.4712400981, 0.3944440866, 4.699748292, 1.479632686, 0.6858056523, 0.6935413428, 0.3613368892},
		{2784, 0.6865886208, 0.6991918436, 0.5956636577, 0.4885651358, 4.560344828, 1.258512098, 0.6429529601, 0.6555301885, 0.3223798304},
	}},
	{"C", []string{"C4", "C5"}, 0.7267349729, 0.7300725844, 0.6942276116, 0.3510454356, 4.265732143, 0.9513469157, []bfiItemRef{
		{2779, 0.6457478627, 0.6701768391, 0.5398978793, 0.4502416902, 4.502338971, 1.241346548, 0.6940004192, 0.6964218998, 0.3644786717},
		{2776, 0.6964416791, 0.7097046825, 0.6027267755, 0.5045647089, 4.369956772, 1.318346548, 0.6735714574, 0.6748685574, 0.3416373874},
		{2780, 0.6638749264, 0.6748291605, 0.5389116755, 0.4642048500, 4.303956835, 1.288551811, 0.6887341018, 0.6939586748, 0.3617903137},
		{2774, 0.7365348308, 0.7305518007, 0.6413274893, 0.5525466503, 4.446647441, 1.375118107, 0.6538255710, 0.6629030220, 0.3295908169},
		{2784, 0.7196826566, 0.6818557315, 0.5659502526, 0.4774691993, 3.703304598, 1.628541868, 0.6897249308, 0.6902020449, 0.3577299883},
	}},
	{"E", []string{"E1", "E2"}, 0.7617328203, 0.7617950941, 0.7265955036, 0.3901000814, 4.145083333, 1.060904086, []bfiItemRef{
		{2777, 0.7238448039, 0.7026890331, 0.5882184269, 0.5162729169, 4.025567159, 1.631505459, 0.7256547185, 0.7254473482, 0.3977979237},
		{2784, 0.7797002176, 0.7646596804, 0.6935939063, 0.6053688372, 3.858117816, 1.605210316, 0.6901803753, 0.6930860359, 0.3608428799},
		{2775, 0.6829944428, 0.7010724641, 0.5826705717, 0.5045725487, 4.000720721, 1.352718771, 0.7279141887, 0.7262478023, 0.3987619346},
		{2791, 0.7466939362, 0.7459106721, 0.6625090676, 0.5779939658, 4.422429237, 1.457517398, 0.7018884966, 0.7032346062, 0.3720235025},
		{2779, 0.6432359788, 0.6636566393, 0.5229058651, 0.4542445985, 4.416336812, 1.334767719, 0.7436327323, 0.7442028639, 0.4210741663},
	}},
	{"N", nil, 0.8139629499, 0.8146746742, 0.7991259532, 0.4678539393, 3.162267857, 1.196331376, []bfiItemRef{
		{2778, 0.8000204920, 0.8025129234, 0.7647698995, 0.6672057085, 2.929085673, 1.570917482, 0.7581379139, 0.7583429664, 0.4396264761},
		{2779, 0.7872841564, 0.7916618142, 0.7496170891, 0.6526162493, 3.507736596, 1.525943590, 0.7632326519, 0.7633956994, 0.4464790847},
		{2789, 0.8080845061, 0.8059785013, 0.7425154177, 0.6748167104, 3.216565077, 1.602902082, 0.7553428060, 0.7567103186, 0.4374379212},
		{2764, 0.7151742230, 0.7145498401, 0.5984983713, 0.5428001298, 3.185600579, 1.569685094, 0.7953499088, 0.7968948207, 0.4951762423},
		{2771, 0.6806089861, 0.6743705262, 0.5317978098, 0.4864824061, 2.969686034, 1.618647386, 0.8126021783, 0.8128354601, 0.5205499720},
	}},
	{"O", []string{"O2", "O5"}, 0.6001725148, 0.607268431, 0.5681398261, 0.2362060852, 4.58664881, 0.8083738749, []bfiItemRef{
		{2778, 0.6151215226, 0.6496037782, 0.5156383132, 0.3906794299, 4.816054716, 1.129530283, 0.5315935125, 0.5340608351, 0.2227278916},
		{2800, 0.6540084379, 0.5990735359, 0.4298223166, 0.3321195449, 4.286785714, 1.565151838, 0.5672275082, 0.5701067617, 0.2489897421},
		{2772, 0.6746804457, 0.6926499097, 0.5910625155, 0.4505342383, 4.438311688, 1.220901114, 0.4973613504, 0.5005554478, 0.2003557237},
		{2786, 0.4978646804, 0.5193170186, 0.2902618230, 0.2179426905, 4.892318737, 1.221250444, 0.6114810565, 0.6208252084, 0.2904412300},
		{2780, 0.6703868947, 0.6577081598, 0.5236747343, 0.4162105060, 4.510431655, 1.327959022, 0.5116575901, 0.5279602948, 0.2185158387},
	}},
}

func bfiScale(t *Table, name string, reversed []string) Scale {
	sc := Scale{Name: name}
	rev := map[string]bool{}
	for _, r := range reversed {
		rev[r] = true
	}
	for i := 1; i <= 5; i++ {
		it := fmt.Sprintf("%s%d", name, i)
		sc.Items = append(sc.Items, it)
		sc.Columns = append(sc.Columns, t.Column(it))
		sc.Reversed = append(sc.Reversed, rev[it])
	}
	return sc
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.10f, want %.10f (tolerance %g, off by %.2g)", what, got, want, tol, got-want)
	}
}

func TestAlphaMatchesPsych(t *testing.T) {
	tab := openBFI(t, bfiItems)
	pw := PairwiseMoments(tab.Data)
	for _, ref := range bfiRef {
		t.Run("scale "+ref.name+" matches psych::alpha", func(t *testing.T) {
			rel, err := ScaleReliability(tab.Data, pw, bfiScale(tab, ref.name, ref.reversed), 7)
			if err != nil {
				t.Fatal(err)
			}
			const tol = 1e-8 // R printed 10 significant digits
			near(t, "raw_alpha", rel.RawAlpha, ref.rawAlpha, tol)
			near(t, "std.alpha", rel.StdAlpha, ref.stdAlpha, tol)
			near(t, "G6(smc)", rel.G6, ref.g6, tol)
			near(t, "average_r", rel.AverageR, ref.avgR, tol)
			near(t, "mean", rel.Mean, ref.mean, tol)
			near(t, "sd", rel.SD, ref.sd, tol)
			for i, ir := range ref.items {
				it := rel.Items[i]
				if it.N != ir.n {
					t.Errorf("%s n = %d, want %d", it.Item, it.N, ir.n)
				}
				near(t, it.Item+" raw.r", it.RawR, ir.rawR, tol)
				near(t, it.Item+" std.r", it.StdR, ir.stdR, tol)
				near(t, it.Item+" r.cor", it.RCor, ir.rCor, tol)
				near(t, it.Item+" r.drop", it.RDrop, ir.rDrop, tol)
				near(t, it.Item+" mean", it.Mean, ir.mean, tol)
				near(t, it.Item+" sd", it.SD, ir.sd, tol)
				near(t, it.Item+" alpha if dropped", it.AlphaIfDropped, ir.alpha, tol)
				near(t, it.Item+" std.alpha if dropped", it.StdAlphaIfDropped, ir.stdAlpha, tol)
				near(t, it.Item+" average_r if dropped", it.AverageRIfDropped, ir.avgR, tol)
			}
		})
	}
}

func TestPairwiseCorrelationMatchesR(t *testing.T) {
	tab := openBFI(t, bfiItems)
	pw := PairwiseMoments(tab.Data)
	// "pairwise cor A1-A2 = -0.34019325 ; C1-C2 = 0.42782308", printed to 1e-8.
	near(t, "cor(A1,A2)", pw.Cor.At(0, 1), -0.34019325, 1e-8)
	near(t, "cor(C1,C2)", pw.Cor.At(5, 6), 0.42782308, 1e-8)
}

func TestOmegaTotalMatchesPsych(t *testing.T) {
	tab := openBFI(t, bfiItems)
	pw := PairwiseMoments(tab.Data)
	sc := bfiScale(tab, "C", []string{"C4", "C5"})
	sign := []float64{1, 1, 1, -1, -1}
	r := pw.Sub(sc.Columns, sign, 7).Cor
	m, err := Minres(r, 1)
	if err != nil {
		t.Fatal(err)
	}
	// fa(Cdat, 1, fm="minres") loadings, printed to 6 decimals.
	want := []float64{0.549630, 0.618218, 0.554097, 0.666921, 0.576211}
	for i, w := range want {
		near(t, fmt.Sprintf("loading C%d", i+1), m.Loadings.At(i, 0), w, 1e-5)
	}
	om, err := OmegaTotal(r)
	if err != nil {
		t.Fatal(err)
	}
	// omega(Cdat, nfactors=1)$omega.tot = 0.731190, printed to 6 decimals.
	near(t, "omega total", om, 0.731190, 1e-6)
	rel, err := ScaleReliability(tab.Data, pw, sc, 7)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "ScaleReliability omega total", rel.OmegaTotal, 0.731190, 1e-6)
}

func TestPCAEigenvaluesMatchR(t *testing.T) {
	tab := openBFI(t, bfiItems)
	pw := PairwiseMoments(tab.Data)
	pca, err := PrincipalComponents(pw.Cor)
	if err != nil {
		t.Fatal(err)
	}
	// eigen(cor(bfi[,1:25], use="pairwise"))$values, printed to 6 decimals.
	want := []float64{5.036903, 2.744085, 2.107632, 1.831842, 1.535686, 1.113159, 0.846237, 0.811407, 0.734948,
		0.695645, 0.681004, 0.657143, 0.628113, 0.596413, 0.562628, 0.540521, 0.523671, 0.498454, 0.489913,
		0.454942, 0.432832, 0.409202, 0.407193, 0.385211, 0.275215}
	for i, w := range want {
		near(t, fmt.Sprintf("eigenvalue %d", i+1), pca.Eigenvalues[i], w, 1e-6)
	}
	// principal(...)$loadings PC1, first 5 items, printed to 6 decimals.
	pc1 := []float64{-0.252340, 0.489856, 0.553389, 0.436105, 0.606596}
	for i, w := range pc1 {
		near(t, fmt.Sprintf("PC1 loading %s", bfiItems[i]), pca.Loadings.At(i, 0), w, 1e-6)
	}
}

// fa(bfi[,1:25], nfactors=5, fm="minres", rotate="oblimin"): loadings and
// Phi printed to 4 decimals, columns MR2 MR1 MR3 MR5 MR4.
var bfiLoadings = [][]float64{
	{0.2129, 0.1658, 0.0667, -0.4137, -0.0580},
	{-0.0230, -0.0022, 0.0772, 0.6403, 0.0321},
	{-0.0290, 0.1160, 0.0246, 0.6605, 0.0308},
	{-0.0566, 0.0645, 0.1928, 0.4328, -0.1482},
	{-0.1119, 0.2335, 0.0055, 0.5318, 0.0439},
	{0.0685, -0.0275, 0.5462, -0.0230, 0.1479},
	{0.1486, -0.0851, 0.6664, 0.0814, 0.0387},
	{0.0336, -0.0613, 0.5666, 0.0923, -0.0677},
	{0.1741, 0.0018, -0.6137, 0.0404, -0.0484},
	{0.1888, -0.1421, -0.5530, 0.0179, 0.0915},
	{-0.0593, -0.5572, 0.1064, -0.0827, -0.1025},
	{0.0987, -0.6761, -0.0159, -0.0483, -0.0579},
	{0.0831, 0.4181, -0.0009, 0.2455, 0.2832},
	{0.0135, 0.5908, 0.0243, 0.2875, -0.0772},
	{0.1521, 0.4209, 0.2715, 0.0520, 0.2060},
	{0.8147, 0.1029, 0.0045, -0.1114, -0.0467},
	{0.7766, 0.0395, 0.0110, -0.0943, 0.0150},
	{0.7065, -0.1003, -0.0354, 0.0787, 0.0229},
	{0.4737, -0.3863, -0.1352, 0.0949, 0.0801},
	{0.4860, -0.2021, -0.0037, 0.2065, -0.1497},
	{0.0184, 0.1026, 0.0735, 0.0154, 0.5078},
	{0.1949, 0.0570, -0.0778, 0.1627, -0.4559},
	{0.0309, 0.1519, 0.0174, 0.0826, 0.6094},
	{0.1260, -0.3234, -0.0244, 0.1736, 0.3713},
	{0.1319, 0.0984, -0.0250, 0.0432, -0.5423},
}

var bfiPhi = [][]float64{
	{1.0000, -0.2131, -0.1869, -0.0376, -0.0107},
	{-0.2131, 1.0000, 0.2296, 0.3289, 0.1667},
	{-0.1869, 0.2296, 1.0000, 0.2030, 0.1945},
	{-0.0376, 0.3289, 0.2030, 1.0000, 0.1932},
	{-0.0107, 0.1667, 0.1945, 0.1932, 1.0000},
}

// matchFactors finds, for each reference column, the column of got with the
// largest absolute congruence, and its sign.
func matchFactors(got *mat.Dense, ref [][]float64) (perm []int, sign []float64) {
	p, q := got.Dims()
	used := make([]bool, q)
	for k := 0; k < q; k++ {
		best, bj, bs := -1.0, -1, 1.0
		for j := 0; j < q; j++ {
			if used[j] {
				continue
			}
			var xy, xx, yy float64
			for i := 0; i < p; i++ {
				x, y := ref[i][k], got.At(i, j)
				xy += x * y
				xx += x * x
				yy += y * y
			}
			c := xy / math.Sqrt(xx*yy)
			if math.Abs(c) > best {
				best, bj, bs = math.Abs(c), j, math.Copysign(1, c)
			}
		}
		used[bj] = true
		perm, sign = append(perm, bj), append(sign, bs)
	}
	return perm, sign
}

func TestFactorAnalysisObliminMatchesPsych(t *testing.T) {
	tab := openBFI(t, bfiItems)
	pw := PairwiseMoments(tab.Data)
	sol, err := FactorAnalysis(pw.Cor, 5, RotateOblimin)
	if err != nil {
		t.Fatal(err)
	}
	if !sol.Converged {
		t.Error("the solution did not converge")
	}
	perm, sign := matchFactors(sol.Loadings, bfiLoadings)
	for k, j := range perm {
		if j != k || sign[k] != 1 {
			t.Errorf("reference factor %d matched our factor %d with sign %v; psych's order and signs differ", k, j, sign[k])
		}
	}
	const tol = 1e-3 // R printed 4 decimals; the issue asks for 1e-3
	for i := range bfiLoadings {
		for k := range bfiLoadings[i] {
			near(t, fmt.Sprintf("loading %s on factor %d", bfiItems[i], k+1), sign[k]*sol.Loadings.At(i, perm[k]), bfiLoadings[i][k], tol)
		}
	}
	for a := range bfiPhi {
		for b := range bfiPhi[a] {
			near(t, fmt.Sprintf("Phi[%d][%d]", a+1, b+1), sign[a]*sign[b]*sol.Phi.At(perm[a], perm[b]), bfiPhi[a][b], tol)
		}
	}
	// The first five items' loadings were also printed to 6 decimals.
	first := [][]float64{
		{0.212934, 0.165827, 0.066712, -0.413709, -0.057989},
		{-0.023009, -0.002155, 0.077159, 0.640257, 0.032083},
		{-0.028994, 0.115972, 0.024604, 0.660498, 0.030763},
		{-0.056634, 0.064474, 0.192850, 0.432827, -0.148220},
		{-0.111934, 0.233487, 0.005545, 0.531804, 0.043937},
	}
	for i := range first {
		for k := range first[i] {
			near(t, fmt.Sprintf("6-decimal loading %s on factor %d", bfiItems[i], k+1), sign[k]*sol.Loadings.At(i, perm[k]), first[i][k], 2e-6)
		}
	}
	// h2 first five, printed to 6 decimals.
	h2 := []float64{0.191636, 0.447164, 0.522895, 0.280035, 0.463797}
	for i, w := range h2 {
		near(t, "communality "+bfiItems[i], sol.Communality[i], w, 1e-6)
	}
}
