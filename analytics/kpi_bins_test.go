package analytics

import (
	"math"
	"testing"
)

// near compares moments summed in any order (map iteration): 1e-9.
func nearMoments(a, b Moments) bool {
	return a.N == b.N && math.Abs(a.S-b.S) < 1e-9 && math.Abs(a.SS-b.SS) < 1e-9
}

func TestBehaviourBins(t *testing.T) {
	end := dayOf("2025-12-29").Time()
	var ip IntranetPanel
	var dp DiaryPanel
	// Twenty weeks of three people, each week's use and ratings differing.
	for k := range 20 {
		w := dayOf(end.AddDate(0, 0, -7*k).Format("2006-01-02"))
		for p := range uint64(3) {
			if (k+int(p))%3 == 0 {
				continue // absent that week
			}
			ip.Rows = append(ip.Rows, IntranetWeek{Person: p, Week: w, Cloud: uint64((k + int(p)) % 2)})
			dp.Rows = append(dp.Rows, DiaryWeek{Person: p, Week: w, Ratings: [3]float64{float64(1 + k%5), float64(1 + int(p)), 3}})
		}
	}
	adopt, well := BehaviourBins(ip, dp, end, 4, 5)
	t.Run("Each bin equals the current window of BehaviourKPIs ending with that bin's last week", func(t *testing.T) {
		for k := range 5 {
			a, w := BehaviourKPIs(ip, dp, end.AddDate(0, 0, -7*4*k), 4)
			if !nearMoments(adopt[k], a[0]) || !nearMoments(well[k], w[0]) {
				t.Errorf("bin %d: %+v %+v, want %+v %+v", k, adopt[k], well[k], a[0], w[0])
			}
			if adopt[k].N == 0 || well[k].N == 0 {
				t.Errorf("bin %d has nobody: the fixture must fill every bin", k)
			}
		}
	})
	t.Run("The first two bins are BehaviourKPIs' two windows", func(t *testing.T) {
		a, w := BehaviourKPIs(ip, dp, end, 4)
		if !nearMoments(adopt[0], a[0]) || !nearMoments(adopt[1], a[1]) || !nearMoments(well[0], w[0]) || !nearMoments(well[1], w[1]) {
			t.Errorf("bins %v %v, windows %v %v", adopt[:2], well[:2], a, w)
		}
	})
	t.Run("A bin starts where WindowStarts says", func(t *testing.T) {
		cur, prev := WindowStarts(end, 4)
		if !BinStart(end, 4, 0).Equal(cur) || !BinStart(end, 4, 1).Equal(prev) || BinStart(end, 4, 2).Format("2006-01-02") != "2025-10-13" {
			t.Errorf("bin starts %v %v %v", BinStart(end, 4, 0), BinStart(end, 4, 1), BinStart(end, 4, 2))
		}
	})
}
