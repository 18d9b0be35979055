// Package text turns free-text diary answers into privacy-safe aggregates:
// Unicode-aware tokens for Italian and English, stop words, top terms and
// bigrams per period and group, and term shifts between two periods.
//
// Text is only ever reported in aggregates of at least Options.MinPeople
// distinct people (default 10): a group with fewer people is left out, and
// so is any term or bigram used by fewer people. No function returns a
// document, a person or a count below the threshold.
//
// The package is pure computation: it must not import database or broker
// drivers, net/http, or other Bussola packages except schemas.
package text
