// Package figures computes the report pages' figures that no lattice
// holds: it implements reports.Store on top of a Source (the ClickHouse
// adapter) that reads raw material only, panels of person-weeks, moments
// per cell, counts and diary texts, and calls analytics for every
// estimate, interval, series and term count. The lattice methods
// (ReadinessCells, PublishingCells, DiaryCells, WaveCells) and Options
// pass through unchanged; the reports package protects and publishes
// what it gets, as for any store.
//
// It may import reports (for the types it returns), analytics, schemas
// it must not import the ClickHouse driver, ingest or any
// package under internal/.
package figures
