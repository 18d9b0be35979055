// Package text turns free-text diary answers into aggregates: Unicode-aware
// word tokens for Italian and English, stop words, and the top terms per
// period with the distinct people using each.
//
// It applies no minimum: the counts it returns carry their number of
// people, and the reports' disclosure control drops the terms used by
// fewer people than the text minimum.
//
// The package is pure computation: it must not import database or broker
// drivers, net/http, or other Bussola packages except schemas.
package text
