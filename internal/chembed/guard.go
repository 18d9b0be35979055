package chembed

import (
	"fmt"
	"strings"
)

// The guard refuses SQL that would reach outside the engine: files, the
// network, other processes. Most of that the engine itself refuses, since
// its only account has no grant on FILE, URL, S3, REMOTE and the other
// sources, and no table engine but the MergeTree family (see access.go).
// What the engine lets through even so, measured on libchdb 26.5, is
// refused here:
//   - the scalar function file(path), which checks no grant;
//   - executable(...), which runs scripts and checks no grant;
//   - INSERT ... FROM INFILE and SELECT ... INTO OUTFILE, which chDB runs on
//     the client side of its session, as the service's user;
//   - ATTACH ... FROM 'path', which moves a directory into the data dir;
//   - settings whose value is a path (format_schema, format_template_row
//     ...) or SQL of its own (additional_table_filters ...), or that switch
//     the parser (dialect).
// The guard reads tokens exactly where ClickHouse's lexer puts their
// boundaries (sqltext.go), so a name inside a string, a quoted identifier,
// a heredoc or a comment is never mistaken for a call, and a call is never
// hidden by quoting, case, comments or spacing. The family names are
// refused in any call position, whatever the engine would make of them.

// deniedCalls are function and table-function names (lower case) refused
// wherever a name is followed by '(': a table function, a scalar function,
// a table engine (ENGINE = File(...)), a dictionary source (SOURCE(HTTP(...))),
// a disk (SETTINGS disk = disk(...)).
var deniedCalls = map[string]bool{
	"url": true, "urlcluster": true, "cluster": true, "clusterallreplicas": true,
	"http": true, "https": true, "clickhouse": true, "library": true,
	"catboostevaluate": true,
}

// deniedCallPrefixes are families refused by prefix: file, fileCluster;
// s3, s3Cluster, s3Queue; iceberg, icebergS3, icebergLocal ...
var deniedCallPrefixes = []string{
	"file", "remote", "executable", "s3", "gcs", "oss", "cosn", "azure", "hdfs",
	"hive", "iceberg", "deltalake", "hudi", "paimon", "mysql", "postgres",
	"mongo", "redis", "sqlite", "jdbc", "odbc", "kafka", "rabbitmq", "nats",
	"ytsaurus", "arrowflight", "disk",
}

// deniedWord is a keyword refused outside quotes: anywhere, or as the
// first word of a statement.
type deniedWord struct {
	word, why string
	first     bool
}

var deniedWords = []deniedWord{
	{"INFILE", "FROM INFILE reads a file on the server", false},
	{"OUTFILE", "INTO OUTFILE writes a file on the server", false},
	{"ATTACH", "ATTACH can take a directory from the file system", false},
	{"BACKUP", "BACKUP writes to the file system", true},
	{"RESTORE", "RESTORE reads from the file system", true},
}

// deniedSettings are settings (lower case) refused in a SETTINGS clause and
// as URL parameters.
var deniedSettings = map[string]string{
	"dialect":                        "switches the SQL parser",
	"format_schema":                  "names a file",
	"format_template_resultset":      "names a file",
	"format_template_row":            "names a file",
	"output_format_schema":           "names a file to write",
	"additional_table_filters":       "carries SQL",
	"additional_result_filter":       "carries SQL",
	"parallel_replicas_custom_key":   "carries SQL",
	"implicit_table_at_top_level":    "names a table to read",
	"default_table_engine":           "chooses a table engine",
	"default_temporary_table_engine": "chooses a table engine",
}

// errRefused is the ClickHouse-shaped answer for a refused statement.
func errRefused(what, why string) *Error {
	return newError(codeAccessDenied, fmt.Sprintf(
		"%s is refused by the embedded endpoint: %s. Files, the network and other processes are out of reach of every account (ACCESS_DENIED)", what, why))
}

// tokenKind classifies a token for the guard.
type tokenKind int

const (
	tokEnd    tokenKind = iota
	tokWord             // bare word: keyword or identifier
	tokIdent            // "quoted" or `quoted` identifier
	tokString           // 'string' or heredoc
	tokPunct            // any other single byte
)

type token struct {
	kind tokenKind
	text string
}

// token reads the next significant token.
func (sc *scanner) token() token {
	sc.skipSpace()
	if sc.i >= len(sc.s) {
		return token{kind: tokEnd}
	}
	start := sc.i
	c := sc.next()
	t := token{text: sc.s[start:sc.i]}
	switch {
	case c == '"' || c == '`':
		t.kind = tokIdent
	case c == '\'':
		t.kind = tokString
	case isWordByte(c):
		t.kind = tokWord
	default:
		t.kind = tokPunct
	}
	return t
}

// guardSQL refuses sql if it reaches outside the engine (see above).
func guardSQL(sql string) error {
	sc := &scanner{s: sql}
	var prev token
	first := true
	for {
		t := sc.token()
		switch t.kind {
		case tokEnd:
			return nil
		case tokWord:
			if n := len(t.text); n == 6 || n == 7 { // the lengths of the denied words
				for _, w := range deniedWords {
					if (first || !w.first) && strings.EqualFold(t.text, w.word) {
						return errRefused(w.word, w.why)
					}
				}
			}
			first = false
		case tokPunct:
			if t.text == "(" && (prev.kind == tokWord || prev.kind == tokIdent) {
				if name, ok := deniedCall(prev); ok {
					return errRefused(name+"(...)", "it reaches files, the network or other processes")
				}
			}
			if t.text == "=" && (prev.kind == tokWord || prev.kind == tokIdent) {
				if name, why, ok := deniedSetting(prev); ok {
					return errRefused("the setting "+name, why)
				}
			}
			if t.text != "(" {
				first = false
			}
		default:
			first = false
		}
		prev = t
	}
}

// guardSettingName refuses a URL parameter that sets a denied setting.
func guardSettingName(name string) error {
	if why, ok := deniedSettings[strings.ToLower(name)]; ok {
		return errRefused("the setting "+name, why)
	}
	return nil
}

func deniedCall(t token) (string, bool) {
	if t.kind == tokWord {
		return callDenied(t.text)
	}
	for _, n := range identNames(t) {
		if name, ok := callDenied(n); ok {
			return name, true
		}
	}
	return "", false
}

// callDenied checks one name, without allocating for the common case (a
// plain name of up to 64 bytes that is not denied).
func callDenied(n string) (string, bool) {
	var buf [64]byte
	low, ok := lowerASCII(&buf, n)
	if !ok {
		low = []byte(strings.ToLower(n))
	}
	if deniedCalls[string(low)] {
		return string(low), true
	}
	for _, p := range deniedCallPrefixes {
		if len(low) >= len(p) && string(low[:len(p)]) == p {
			return string(low), true
		}
	}
	return "", false
}

func deniedSetting(t token) (name, why string, ok bool) {
	if t.kind == tokWord {
		return settingDenied(t.text)
	}
	for _, n := range identNames(t) {
		if name, why, ok := settingDenied(n); ok {
			return name, why, true
		}
	}
	return "", "", false
}

func settingDenied(n string) (name, why string, ok bool) {
	var buf [64]byte
	low, fits := lowerASCII(&buf, n)
	if !fits {
		low = []byte(strings.ToLower(n))
	}
	if why, ok := deniedSettings[string(low)]; ok {
		return string(low), why, true
	}
	return "", "", false
}

// guardRequest applies the guard to a parsed request: its URL settings and
// its SQL. For an INSERT with data, the statement is checked here and the
// data, when in the Values format (which evaluates expressions), by insert.
func guardRequest(req *request) error {
	for _, kv := range req.settings {
		if err := guardSettingName(kv[0]); err != nil {
			return err
		}
	}
	if firstKeyword(req.sql) == "INSERT" {
		if p, ok := parseInsert(req.sql); ok {
			return guardSQL(p.head + "\n" + p.settings)
		}
	}
	return guardSQL(req.sql)
}

// evaluatesExpressions tells whether an input format runs SQL found in the
// data: Values does (input_format_values_interpret_expressions).
func evaluatesExpressions(format string) bool {
	return strings.EqualFold(format, "Values")
}
