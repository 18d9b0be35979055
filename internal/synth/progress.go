package synth

import (
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bussola-pa/bussola/schemas"
)

// ProgressBar draws upload progress on one terminal line, redrawn with '\r':
//
//	[##########----------]  50%  diary 100%  survey 100%  intranet 43%  5,210/s
//
// Its Update method has the shape of Poster.Progress. It is safe for
// concurrent use and redraws at most ten times a second.
type ProgressBar struct {
	w      io.Writer
	mu     sync.Mutex
	order  []schemas.Stream
	sent   map[schemas.Stream]int
	total  map[schemas.Stream]int
	start  time.Time
	drawn  time.Time
	now    func() time.Time
	width  int
	lastLn int
}

// NewProgressBar returns a bar writing to w (usually os.Stderr) for the given
// expected totals per stream.
func NewProgressBar(w io.Writer, totals map[schemas.Stream]int) *ProgressBar {
	b := &ProgressBar{w: w, sent: map[schemas.Stream]int{}, total: map[schemas.Stream]int{}, now: time.Now, width: 20}
	for _, s := range schemas.Streams {
		if totals[s] > 0 {
			b.order = append(b.order, s)
			b.total[s] = totals[s]
		}
	}
	b.start = b.now()
	return b
}

// Update records that sent of total lines of stream are done and redraws.
func (b *ProgressBar) Update(stream schemas.Stream, sent, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.total[stream]; !ok {
		b.order = append(b.order, stream)
	}
	b.sent[stream] = sent
	if total > 0 {
		b.total[stream] = total
	}
	now := b.now()
	if now.Sub(b.drawn) < 100*time.Millisecond && sent < total {
		return
	}
	b.drawn = now
	b.draw(now)
}

// Finish draws the final state and ends the line.
func (b *ProgressBar) Finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.draw(b.now())
	io.WriteString(b.w, "\n")
}

func (b *ProgressBar) draw(now time.Time) {
	sent, total := 0, 0
	for _, s := range b.order {
		sent += b.sent[s]
		total += max(b.total[s], b.sent[s])
	}
	frac := 0.0
	if total > 0 {
		frac = float64(sent) / float64(total)
	}
	var sb strings.Builder
	sb.WriteString("\r[")
	full := int(frac * float64(b.width))
	sb.WriteString(strings.Repeat("#", full))
	sb.WriteString(strings.Repeat("-", b.width-full))
	sb.WriteString("] ")
	sb.WriteString(pct(frac))
	for _, s := range b.order {
		sb.WriteString("  ")
		sb.WriteString(string(s))
		sb.WriteByte(' ')
		if t := b.total[s]; t > 0 {
			sb.WriteString(pct(float64(b.sent[s]) / float64(t)))
		} else {
			sb.WriteString(thousands(b.sent[s]))
		}
	}
	if el := now.Sub(b.start).Seconds(); el > 0 {
		sb.WriteString("  ")
		sb.WriteString(thousands(int(float64(sent) / el)))
		sb.WriteString("/s")
	}
	line := sb.String()
	if pad := b.lastLn - len(line); pad > 0 { // erase leftovers of a longer line
		line += strings.Repeat(" ", pad)
	}
	b.lastLn = len(line)
	io.WriteString(b.w, line)
}

func pct(f float64) string {
	p := int(f * 100)
	s := strconv.Itoa(min(p, 100)) + "%"
	return strings.Repeat(" ", 4-len(s)) + s
}

// thousands formats n with commas: 1234567 -> "1,234,567".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
