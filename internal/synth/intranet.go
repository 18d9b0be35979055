package synth

import (
	"cmp"
	"math"
	"slices"

	"github.com/bussola-pa/bussola/schemas"
)

// Intranet event kinds by index, as used in plans and events.
const (
	kLogin = iota
	kPageView
	kSearch
	kDownload
	kComment
	kPublish
	kCloud
	nKinds
)

var kindNames = [nKinds]string{schemas.KindLogin, schemas.KindPageView, schemas.KindSearch, schemas.KindDownload,
	schemas.KindComment, schemas.KindPublish, schemas.KindCloudTool}

const (
	devDesktop = iota
	devLaptop
	devMobile
	devTablet
)

var deviceNames = [4]string{"desktop", "laptop", "mobile", "tablet"}

// Cloud tool use per working day: everyone's baseline (growing mildly over
// the window) and the extra a participant reaches once adoption is complete,
// about six weeks after the start.
const (
	cloudBase       = 0.22
	cloudTrend      = 0.15 // relative growth over the window, for everyone
	cloudAdoption   = 1.1
	adoptionWeeks   = 6.0
	cloudRemoteLift = 0.25
)

// plan is what a person does on a day: how many events of each kind, and
// whether they work remotely.
type plan struct {
	n       [nKinds]int
	total   int
	remote  bool
	weekend bool
}

// intranetGen generates intranet events; one per Generate call.
type intranetGen struct {
	seed  uint64
	days  []day
	pages *pageTable
	r     *source
	evs   []event
	buf   []byte
}

// event is one intranet event before encoding; small, so a day's events
// can be sorted cheaply.
type event struct {
	order  uint64 // time, person, sequence: the sort key
	ts     int64
	person int32
	seq    uint16
	frag   uint16
	kind   uint8
	device uint8
	tool   uint8
	remote bool
}

func newIntranetGen(seed uint64, days []day) *intranetGen {
	return &intranetGen{seed: seed, days: days, pages: newPageTable(len(days)/7 + 1), r: newSource()}
}

// plan draws the counts of person p on day d. It reseeds g.r, which the
// caller may keep drawing from for the events' details.
func (g *intranetGen) plan(t *tenant, p *person, d *day) plan {
	r := g.r
	r.reseed(g.seed, tagIntranet, uint64(t.idx), uint64(p.idx), uint64(d.idx))
	var pl plan
	if !d.workday {
		pl.weekend = true
		if r.bern(0.05 * p.activity) {
			pl.n[kPageView] = 1 + r.poisson(1.2)
		}
	} else if !r.bern(0.07 + d.festive) { // present, not on leave
		pl.remote = homeDay(g.seed, t, p, d)
		a := p.activity
		progress := float64(d.idx) / float64(len(g.days))
		cloud := cloudBase * (1 + cloudTrend*progress)
		if p.treated(d.idx) {
			cloud += cloudAdoption * math.Min(1, float64(d.idx-p.start)/7/adoptionWeeks)
		}
		if pl.remote {
			cloud += cloudRemoteLift
			pl.n[kLogin] = 1
		} else if r.bern(0.6) {
			pl.n[kLogin] = 1
		}
		pl.n[kPageView] = r.poisson(0.95 * a)
		pl.n[kSearch] = r.poisson(0.1 * a)
		pl.n[kDownload] = r.poisson(0.06 * a)
		pl.n[kComment] = r.poisson(0.02 * a)
		if p.referent {
			pl.n[kPublish] = r.poisson(0.35)
		} else {
			pl.n[kPublish] = r.poisson(0.002)
		}
		pl.n[kCloud] = r.poisson(cloud * a)
	}
	for _, k := range pl.n {
		pl.total += k
	}
	return pl
}

// count returns the number of events of tenant t without generating them.
func (g *intranetGen) count(t *tenant) int {
	n := 0
	for di := range g.days {
		for pi := range t.people {
			n += g.plan(t, &t.people[pi], &g.days[di]).total
		}
	}
	return n
}

// Local-time activity profiles, weights per hour from 07:00.
var (
	officeHours = cumulative([]float64{0.4, 1.6, 2.3, 2.3, 2.2, 1.8, 0.7, 1.3, 1.5, 1.1, 0.4, 0.1, 0.05, 0.03, 0.02})
	remoteHours = cumulative([]float64{0.8, 1.8, 2.1, 2.0, 1.9, 1.5, 0.9, 1.4, 1.5, 1.2, 0.6, 0.3, 0.2, 0.2, 0.1})
	leisureHrs  = cumulative([]float64{0.1, 0.3, 0.6, 1, 1, 0.8, 0.6, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 0.8})
)

// genDay emits every event of tenant t on day d, sorted by time.
func (g *intranetGen) genDay(t *tenant, d *day, emit func([]byte) error) error {
	g.evs = g.evs[:0]
	r := g.r
	for pi := range t.people {
		p := &t.people[pi]
		pl := g.plan(t, p, d)
		if pl.total == 0 {
			continue
		}
		hours := officeHours
		switch {
		case pl.weekend:
			hours = leisureHrs
		case pl.remote:
			hours = remoteHours
		}
		sw := p.treated(d.idx) || pl.remote
		seq := uint16(0)
		for k := 0; k < nKinds; k++ {
			for j := 0; j < pl.n[k]; j++ {
				e := event{person: int32(pi), seq: seq, kind: uint8(k), remote: pl.remote}
				seq++
				secs := (7+r.pick(hours))*3600 + r.IntN(3600)
				if k == kLogin {
					secs = 7*3600 + 1800 + r.IntN(2*3600)
				}
				e.ts = d.unix(secs)
				e.order = uint64(secs)<<44 | uint64(pi)<<16 | uint64(e.seq)
				e.device = g.device(r, p, &pl)
				switch k {
				case kLogin:
					e.frag = uint16(g.pages.home)
				case kPageView:
					e.frag = uint16(g.pages.pageView(r, d.week, sw))
				case kSearch:
					e.frag = uint16(choose(r, g.pages.search))
				case kDownload:
					e.frag = uint16(choose(r, g.pages.download))
				case kComment, kPublish:
					e.frag = uint16(g.pages.news(r, d.week))
				case kCloud:
					e.tool = uint8(g.tool(r, pl.remote))
					e.frag = uint16(g.pages.tools[e.tool])
				}
				g.evs = append(g.evs, e)
			}
		}
	}
	slices.SortFunc(g.evs, func(a, b event) int { return cmp.Compare(a.order, b.order) })
	for i := range g.evs {
		g.buf = g.encode(g.buf[:0], t, d, &g.evs[i])
		if err := emit(g.buf); err != nil {
			return err
		}
	}
	return nil
}

var toolWeights = [2][]float64{
	cumulative([]float64{3, 2.5, 1.5, 2, 1.5}), // in the office
	cumulative([]float64{2.5, 2, 3, 2.5, 1.5}), // remote: more video calls and chat
}

func (g *intranetGen) tool(r *source, remote bool) int {
	if remote {
		return r.pick(toolWeights[1])
	}
	return r.pick(toolWeights[0])
}

func (g *intranetGen) device(r *source, p *person, pl *plan) uint8 {
	u := r.Float64()
	switch {
	case pl.weekend:
		if u < 0.7 {
			return devMobile
		}
		if u < 0.85 {
			return devTablet
		}
		return devLaptop
	case u < p.mobile:
		return devMobile
	case pl.remote:
		if u < p.mobile+0.03 {
			return devTablet
		}
		return devLaptop
	case u < p.mobile+0.15:
		return devLaptop
	}
	return devDesktop
}

// encode appends the event as one JSON object.
func (g *intranetGen) encode(b []byte, t *tenant, d *day, e *event) []byte {
	p := &t.people[e.person]
	b = append(b, `{"event_id":"`...)
	b = appendUUID(b, g.seed, tagIntranet, uint64(t.idx), uint64(p.idx), uint64(d.idx), uint64(e.seq))
	b = append(b, `",`...)
	b = append(b, p.envelope...)
	b = append(b, `,"ts":"`...)
	b = appendTS(b, e.ts)
	b = append(b, `","kind":"`...)
	b = append(b, kindNames[e.kind]...)
	b = append(b, `",`...)
	b = append(b, g.pages.frags[e.frag]...)
	b = append(b, `,"device":"`...)
	b = append(b, deviceNames[e.device]...)
	if e.remote {
		b = append(b, `","remote":true`...)
	} else {
		b = append(b, `","remote":false`...)
	}
	if e.kind == kCloud {
		b = append(b, `,"tool":"`...)
		b = append(b, cloudTools[e.tool]...)
		b = append(b, '"')
	}
	if p.referent {
		b = append(b, `,"referent":true`...)
	}
	return append(b, '}')
}
