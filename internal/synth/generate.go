package synth

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/bussola-pa/bussola/schemas"
)

// Emit receives one generated record: its stream and its NDJSON line (one
// JSON object, no trailing newline). The line is only valid during the
// call; copy it to keep it. A non-nil error stops the generation and is
// returned by Generate.
type Emit func(stream schemas.Stream, line []byte) error

// world is what every generator shares: the calendar and the populations.
type world struct {
	cfg     Config
	days    []day
	tenants []*tenant
}

func newWorld(cfg Config) (*world, error) {
	cfg, err := cfg.normalized()
	if err != nil {
		return nil, err
	}
	w := &world{cfg: cfg, days: calendar()}
	for i, spec := range cfg.Tenants {
		t, err := buildTenant(cfg.Seed, i, spec, cfg.Scale)
		if err != nil {
			return nil, fmt.Errorf("build tenant %s: %w", spec.ID, err)
		}
		w.tenants = append(w.tenants, t)
	}
	return w, nil
}

// Generate produces the demo data of cfg and passes every record to emit, in
// a fixed order: all diary entries (tenant by tenant, week by week), then
// all survey responses (questionnaire waves, communication status, page
// feedback), then all intranet events (day by day, tenant by tenant, in time
// order within a day). Memory stays small whatever the scale: at most one
// day of one tenant's intranet events is held at a time.
func Generate(cfg Config, emit Emit) error {
	w, err := newWorld(cfg)
	if err != nil {
		return err
	}
	return w.generate(emit, false)
}

// Count returns how many records Generate(cfg, ...) emits per stream,
// exactly, without encoding the intranet events. It is cheaper than
// generating (about a tenth of the time) and is what a progress bar needs.
func Count(cfg Config) (map[schemas.Stream]int, error) {
	w, err := newWorld(cfg)
	if err != nil {
		return nil, err
	}
	counts := map[schemas.Stream]int{}
	for _, s := range w.cfg.Streams {
		counts[s] = 0
	}
	err = w.generate(func(s schemas.Stream, _ []byte) error { counts[s]++; return nil }, true)
	if err != nil {
		return nil, err
	}
	if w.cfg.wants(schemas.StreamIntranet) {
		g := newIntranetGen(w.cfg.Seed, w.days)
		for _, t := range w.tenants {
			counts[schemas.StreamIntranet] += g.count(t)
		}
	}
	return counts, nil
}

// generate runs the generators; skipIntranet leaves the intranet stream to
// the caller (Count counts it without encoding).
func (w *world) generate(emit Emit, skipIntranet bool) error {
	cfg := w.cfg
	if cfg.wants(schemas.StreamDiary) {
		e := func(line []byte) error { return emit(schemas.StreamDiary, line) }
		for _, t := range w.tenants {
			if err := genDiary(cfg.Seed, t, w.days, e); err != nil {
				return fmt.Errorf("generate diary of %s: %w", t.spec.ID, err)
			}
		}
	}
	if cfg.wants(schemas.StreamSurvey) {
		set, err := newInstrumentSet(cfg.Seed)
		if err != nil {
			return err
		}
		pages := newPageTable(0).staticPages()
		e := func(line []byte) error { return emit(schemas.StreamSurvey, line) }
		for _, t := range w.tenants {
			if err := genSurveys(cfg.Seed, t, set, w.days, e); err != nil {
				return fmt.Errorf("generate surveys of %s: %w", t.spec.ID, err)
			}
			if err := genCommStatus(cfg.Seed, t, set, w.days, e); err != nil {
				return fmt.Errorf("generate communication status of %s: %w", t.spec.ID, err)
			}
			if err := genPageFeedback(cfg.Seed, t, set, pages, w.days, e); err != nil {
				return fmt.Errorf("generate page feedback of %s: %w", t.spec.ID, err)
			}
		}
	}
	if cfg.wants(schemas.StreamIntranet) && !skipIntranet {
		g := newIntranetGen(cfg.Seed, w.days)
		e := func(line []byte) error { return emit(schemas.StreamIntranet, line) }
		for di := range w.days {
			for _, t := range w.tenants {
				if err := g.genDay(t, &w.days[di], e); err != nil {
					return fmt.Errorf("generate intranet events of %s on %s: %w", t.spec.ID, w.days[di].date, err)
				}
			}
		}
	}
	return nil
}

// FileName returns the NDJSON file name of a stream: diary.ndjson,
// surveys.ndjson or intranet.ndjson.
func FileName(s schemas.Stream) string {
	if s == schemas.StreamSurvey {
		return "surveys.ndjson"
	}
	return string(s) + ".ndjson"
}

// WriteFiles generates cfg into dir, one NDJSON file per stream
// (diary.ndjson, surveys.ndjson, intranet.ndjson), and returns the number of
// records written per stream.
// It stops with ctx's error when ctx is cancelled.
func WriteFiles(ctx context.Context, cfg Config, dir string) (map[schemas.Stream]int, error) {
	n, err := cfg.normalized()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("write demo files: %w", err)
	}
	type out struct {
		f *os.File
		w *bufio.Writer
	}
	files := map[schemas.Stream]out{}
	closeAll := func() {
		for _, o := range files {
			o.f.Close()
		}
	}
	for _, s := range n.Streams {
		f, err := os.Create(filepath.Join(dir, FileName(s)))
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("write demo files: %w", err)
		}
		files[s] = out{f, bufio.NewWriterSize(f, 1<<20)}
	}
	counts := map[schemas.Stream]int{}
	err = Generate(n, func(s schemas.Stream, line []byte) error {
		o := files[s]
		o.w.Write(line)
		if counts[s]++; counts[s]%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		return o.w.WriteByte('\n')
	})
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("write demo files: %w", err)
	}
	for s, o := range files {
		if err := o.w.Flush(); err != nil {
			closeAll()
			return nil, fmt.Errorf("write %s: %w", FileName(s), err)
		}
		if err := o.f.Close(); err != nil {
			return nil, fmt.Errorf("write %s: %w", FileName(s), err)
		}
	}
	return counts, nil
}
