package clickhouse

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/bussola-pa/bussola/schemas"
)

// LoadPilots reads a JSON array of pilot definitions ([]schemas.Pilot) and
// validates each one.
func LoadPilots(path string) ([]schemas.Pilot, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read pilots file: %w", err)
	}
	var ps []schemas.Pilot
	if err := json.Unmarshal(b, &ps); err != nil {
		return nil, fmt.Errorf("pilots file %s: want a JSON array of pilots: %w", path, err)
	}
	for i := range ps {
		if err := ps[i].Validate(); err != nil {
			return nil, fmt.Errorf("pilots file %s: pilot %d (%q): %w", path, i, ps[i].ID, err)
		}
	}
	return ps, nil
}

// WritePilots writes pilot definitions as the JSON LoadPilots reads.
func WritePilots(path string, ps []schemas.Pilot) error {
	b, err := json.MarshalIndent(ps, "", "  ")
	if err != nil {
		return fmt.Errorf("encode pilots: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o640); err != nil {
		return fmt.Errorf("write pilots file: %w", err)
	}
	return nil
}
