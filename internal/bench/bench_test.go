package bench

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestRunArguments(t *testing.T) {
	errStop := errors.New("stop before starting anything")
	for _, c := range []struct {
		name    string
		args    []string
		want    Setup // Kind and ServiceFlags of the service asked for; none when wantErr is set
		wantErr string
	}{
		{name: "ErrUnknown without a benchmark the usage lists the three", args: nil, wantErr: "'ingest', 'intake' and 'reports'"},
		{name: "ErrInvalid bench ingest refuses fewer than 1000 events", args: []string{"ingest", "--events", "10"}, wantErr: "--events must be at least 1000"},
		{name: "ErrInvalid bench ingest refuses an unknown profile phase", args: []string{"ingest", "--profile-phase", "x"}, wantErr: "--profile-phase must be"},
		{name: "ErrInvalid bench intake refuses a concurrency that is not a number", args: []string{"intake", "--concurrency", "1,x"}, wantErr: `--concurrency: "x"`},
		{name: "ErrInvalid bench reports refuses zero rounds", args: []string{"reports", "--rounds", "0"}, wantErr: "--rounds must be at least 1"},
		{name: "OK bench ingest asks for the ingest service", args: []string{"ingest", "--events", "1000"}, want: Setup{Kind: KindIngest}},
		{name: "OK bench intake passes its service flags on", args: []string{"intake", "--serve-flag", "intake-max-inflight=8", "--serve-flag", "batch-rows=10"},
			want: Setup{Kind: KindIntake, ServiceFlags: []string{"--intake-max-inflight=8", "--batch-rows=10"}}},
		{name: "OK bench reports asks for the reports service", args: []string{"reports"}, want: Setup{Kind: KindReports}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got *Setup
			open := func(_ context.Context, s Setup) (Service, error) {
				got = &s
				if _, err := os.Stat(s.DataDir); err != nil || !filepath.IsAbs(s.DataDir) {
					t.Errorf("data directory %q: want an existing absolute path (%v)", s.DataDir, err)
				}
				return nil, errStop
			}
			var stdout, stderr bytes.Buffer
			err := Run(context.Background(), c.args, &stdout, &stderr, open)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || got != nil {
					t.Errorf("want an error with %q before any service starts, got %v (service asked: %v)", c.wantErr, err, got != nil)
				}
				return
			}
			if !errors.Is(err, errStop) || got == nil {
				t.Fatalf("want the service asked for and its error returned, got %v", err)
			}
			if got.Kind != c.want.Kind || !slices.Equal(got.ServiceFlags, c.want.ServiceFlags) {
				t.Errorf("asked for kind %d with flags %v, want kind %d with %v", got.Kind, got.ServiceFlags, c.want.Kind, c.want.ServiceFlags)
			}
			if _, err := os.Stat(got.DataDir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the temporary data directory %s outlives the run (%v)", got.DataDir, err)
			}
		})
	}
}

func TestReportsRefusesADataDirOfAnotherScale(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "demo-loaded-seed1-scale6.5"), []byte("2026-12-02T15:00:00Z\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	asked := false
	open := func(context.Context, Setup) (Service, error) { asked = true; return nil, errors.New("stop") }
	var stdout, stderr bytes.Buffer
	t.Run("ErrInvalid a directory loaded at scale 6.5 is refused at --scale 1, naming its scale", func(t *testing.T) {
		err := Run(context.Background(), []string{"reports", "--data-dir", dir}, &stdout, &stderr, open)
		if err == nil || !strings.Contains(err.Error(), "at scale 6.5") || !strings.Contains(err.Error(), "--scale 6.5") || asked {
			t.Errorf("got %v (service started: %v), want a refusal naming scale 6.5 before anything starts", err, asked)
		}
	})
	t.Run("OK the same directory is taken at its own scale", func(t *testing.T) {
		err := Run(context.Background(), []string{"reports", "--data-dir", dir, "--scale", "6.5"}, &stdout, &stderr, open)
		if !asked || err == nil || err.Error() != "stop" {
			t.Errorf("got %v (service started: %v), want the service asked for", err, asked)
		}
	})
}
