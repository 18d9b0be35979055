// Package chtest forwards to internal/testenv, which now gives tests the
// embedded ClickHouse. It stays only for internal/store's tests, until the
// ClickHouse adapter's tests import testenv directly; new tests use
// testenv.
//
// It must only be imported from tests.
package chtest

import (
	"testing"

	"github.com/bussola-pa/bussola/internal/chembed"
	"github.com/bussola-pa/bussola/internal/testenv"
)

// MustStart is testenv.MustStartClickHouse.
func MustStart(tb testing.TB) *chembed.Server { tb.Helper(); return testenv.MustStartClickHouse(tb) }

// Main is testenv.Main.
func Main(m *testing.M) { testenv.Main(m) }

// DatabaseName is testenv.ClickHouseDatabase.
func DatabaseName(tb testing.TB) string { tb.Helper(); return testenv.ClickHouseDatabase(tb) }
