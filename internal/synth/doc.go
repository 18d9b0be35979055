// Package synth generates Bussola's synthetic demo data: two fictional
// Italian municipalities, their smart-working pilot, six months and more of
// diary entries, two waves of readiness questionnaires, page feedback and
// over a million intranet events, with known effects built in so the
// analyses have something true to find.
//
// Generation is seeded and reproducible (math/rand/v2 PCG): the same Config
// yields the same bytes, event ids included. Records are streamed as NDJSON
// lines through a callback in a deterministic order and are never all held
// in memory. Every line is a record the HTTP intake accepts
// (Validate(schemas.AtIntake, ...) passes).
//
// The package also holds the intake client that posts those lines (Poster)
// and a small terminal progress bar used by "bussola generate".
//
// It imports only the standard library and schemas. It must not import
// ingest, reports, assessment, analytics or any driver: it talks to Bussola
// only through the public HTTP intake, as any other producer would.
//
// Everything here is fictional: unit names are generic Italian office names,
// employees are identified only by codes such as "AUR-000123", and no name of
// a person appears anywhere.
package synth
