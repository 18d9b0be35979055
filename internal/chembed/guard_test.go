package chembed

import (
	"strings"
	"testing"
)

// reportQuery is a typical report query as the service sends it (the
// population query of the reports, placeholders bound).
const reportQuery = `-- People with intranet or diary records in the period.
SELECT uniqExactIf(person, sel) AS n, uniqExact(person) AS entity,
       uniqExactIf(person, sel AND src = 0) AS n_intranet, uniqExactIf(person, src = 0) AS entity_intranet,
       maxIf(week, src = 0) AS last_week
FROM (
    SELECT 0 AS src, person, week,
           ('' = '' OR org_unit = '') AND ('' = '' OR grade = '') AND ('' = '' OR cohort = '') AS sel
    FROM bussola.intranet_weekly
    WHERE tenant = 'comune-a' AND week >= toDate('2025-01-06') AND week <= toDate('2025-03-31')
    UNION ALL
    SELECT 0 AS src, person, toMonday(day) AS week,
           ('' = '' OR org_unit = '') AND ('' = '' OR grade = '') AND ('' = '' OR cohort = '') AS sel
    FROM bussola.intranet_daily
    WHERE tenant = 'comune-a' AND day >= toDate('2025-01-01') AND day <= toDate('2025-03-31') AND (day < toDate('2025-01-06') OR day > toDate('2025-03-30'))
    UNION ALL
    SELECT 1 AS src, person, toMonday(date) AS week,
           ('' = '' OR org_unit = '') AND ('' = '' OR grade = '') AND ('' = '' OR cohort = '') AS sel
    FROM bussola.diary_entries
    WHERE tenant = 'comune-a' AND date >= toDate('2025-01-01') AND date <= toDate('2025-03-31')
) SETTINGS max_threads = 2`

func TestGuardSQL(t *testing.T) {
	tests := []struct {
		name    string
		sql     string
		refused bool
	}{
		{"A report query passes.", reportQuery, false},
		{"DDL with MergeTree, TTL, codecs and defaults passes.", `CREATE TABLE IF NOT EXISTS bussola.diary_entries (tenant LowCardinality(String), text String CODEC(ZSTD(3)), ingested_at DateTime64(3) DEFAULT now64(3), INDEX i kafka_offset TYPE minmax GRANULARITY 4) ENGINE = ReplacingMergeTree(ingested_at) PARTITION BY toYYYYMM(date) ORDER BY (tenant, date) TTL date + INTERVAL 30 DAY`, false},
		{"A name inside a string is data.", `SELECT 'file(''/etc/passwd'')', 'url(x)'`, false},
		{"A name inside a comment is a comment.", "SELECT 1 /* file('/etc/passwd') */ -- url('x')\n", false},
		{"A name inside a heredoc is data.", "SELECT $$file('/etc/passwd')$$", false},
		{"A column called file is not a call.", "SELECT file, url FROM t WHERE file = 'x'", false},
		{"URL string functions are not url().", "SELECT URLHierarchy(u), URLPathHierarchy(u), cutURLParameter(u, 'a') FROM t", false},
		{"The file table function is refused.", "SELECT * FROM file('/etc/passwd', 'RawBLOB')", true},
		{"The scalar file function is refused.", "SELECT file('/etc/passwd')", true},
		{"file() in a subquery is refused.", "SELECT * FROM (SELECT * FROM (SELECT file('/etc/passwd')))", true},
		{"Letter case does not hide file().", "SELECT * FROM FiLe('/etc/passwd')", true},
		{"Back quotes do not hide file().", "SELECT `file`('/etc/passwd')", true},
		{"Double quotes do not hide file().", `SELECT "file"('/etc/passwd')`, true},
		{"A hex escape in a quoted name does not hide file().", "SELECT `fi\\x6Ce`('/etc/passwd')", true},
		{"A comment between name and parenthesis does not hide file().", "SELECT file/* x */('/etc/passwd')", true},
		{"A line break between name and parenthesis does not hide file().", "SELECT file\n--x\n('/etc/passwd')", true},
		{"A Unicode space between name and parenthesis does not hide file().", "SELECT file\u00a0('/etc/passwd')", true},
		{"A # comment with a quote does not open a string.", "# '\nSELECT file('/etc/passwd') -- '", true},
		{"A // comment with a quote does not open a string.", "// '\nSELECT file('/etc/passwd') -- '", true},
		{"A heredoc with a quote does not open a string.", "SELECT $$ ' $$, file('/etc/passwd') -- '", true},
		{"A heredoc after a number-led word does not open a string.", "SELECT 1a$x$ ' $x$, file('/etc/passwd'), ' '", true},
		{"A word with a dollar is one word.", "SELECT a$$ file('/etc/passwd') $$", true},
		{"url() is refused.", "SELECT * FROM url('http://127.0.0.1/', 'RawBLOB')", true},
		{"s3Cluster() is refused.", "SELECT * FROM s3Cluster('c', 'http://h/b/k')", true},
		{"remoteSecure() is refused.", "SELECT * FROM remoteSecure('h:9440', system.one)", true},
		{"executable() is refused.", "SELECT * FROM executable('x.sh', 'TSV', 'a String')", true},
		{"icebergLocal() is refused.", "SELECT * FROM icebergLocal('/var')", true},
		{"A File engine is refused.", "CREATE TABLE f (s String) ENGINE = File(RawBLOB, '/etc/passwd')", true},
		{"A URL engine is refused.", "CREATE TABLE f (s String) ENGINE = URL('http://h/', RawBLOB)", true},
		{"A dictionary with an HTTP source is refused.", "CREATE DICTIONARY d (k UInt64) PRIMARY KEY k SOURCE(HTTP(url 'http://h/' format 'TSV')) LAYOUT(FLAT()) LIFETIME(0)", true},
		{"A dynamic disk is refused.", "CREATE TABLE t (a Int8) ENGINE = MergeTree ORDER BY a SETTINGS disk = disk(type = local, path = '/etc/')", true},
		{"INSERT FROM INFILE is refused.", "INSERT INTO t FROM INFILE '/etc/passwd' FORMAT RawBLOB", true},
		{"INTO OUTFILE is refused.", "SELECT 1 INTO OUTFILE '/tmp/x'", true},
		{"ATTACH FROM a path is refused.", "ATTACH TABLE t FROM '/var/x' (a Int8) ENGINE = MergeTree ORDER BY a", true},
		{"BACKUP is refused.", "BACKUP TABLE t TO Disk('d', 'x')", true},
		{"A path-valued setting is refused.", "SELECT 1 FORMAT Template SETTINGS format_template_row = '/etc/passwd'", true},
		{"A quoted path-valued setting is refused.", "SELECT 1 SETTINGS `format_schema` = '/etc/passwd:M'", true},
		{"A setting that carries SQL is refused.", "SELECT * FROM t SETTINGS additional_table_filters = {'t': 'file(''/etc/passwd'') != '''''}", true},
		{"Switching the parser is refused.", "SELECT 1 SETTINGS dialect = 'prql'", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := guardSQL(tc.sql)
			if refused := err != nil; refused != tc.refused {
				t.Fatalf("refused = %v (%v), want %v", refused, err, tc.refused)
			}
			if err != nil && asError(err).Code != codeAccessDenied {
				t.Errorf("code %d, want %d (ACCESS_DENIED)", asError(err).Code, codeAccessDenied)
			}
		})
	}
}

func TestGuardSettingName(t *testing.T) {
	for _, name := range []string{"format_schema", "FORMAT_TEMPLATE_ROW", "dialect", "additional_table_filters"} {
		if guardSettingName(name) == nil {
			t.Errorf("URL setting %s passed", name)
		}
	}
	for _, name := range []string{"max_threads", "readonly", "wait_end_of_query"} {
		if err := guardSettingName(name); err != nil {
			t.Errorf("URL setting %s refused: %v", name, err)
		}
	}
}

// forbiddenCalls are spellings of forbidden calls the fuzz target appends.
var forbiddenCalls = []string{
	"file('/etc/passwd')", "FILE ('/etc/passwd')", "`file`('/etc/passwd')", `"File"/**/('/etc/passwd')`,
	"url('http://h/')", "s3('http://h/b/k')", "remote('h', db.t)", "executable('x', 'TSV', 'a String')",
	"`fi\\x6ce`('/etc/passwd')", "mysql('h', 'd', 't', 'u', 'p')", "fileCluster('c', '/etc/passwd')",
}

// endsInCode reports whether s leaves the lexer in code: a ';' appended on
// a new line is seen as a token of its own, not swallowed by an open
// string, quoted name or comment.
func endsInCode(s string) bool {
	sc := &scanner{s: s + "\n;"}
	for {
		sc.skipSpace()
		start := sc.i
		if sc.next() == 0 {
			return false
		}
		if sc.i >= len(sc.s) {
			return start == len(s)+1
		}
	}
}

// FuzzGuardSQL: the guard never panics, and never accepts a statement in
// whose token stream a forbidden call stands in code: whatever comes
// before, a forbidden call after it on a new line is refused unless the
// text before left a string, name or comment open.
func FuzzGuardSQL(f *testing.F) {
	for _, s := range []string{
		"", "SELECT 1", reportQuery, "SELECT 'a", "SELECT /* x", "# '", "// '", "$$ ' $$", "1a$x$ ' $x$",
		"SELECT `a\\`b`", `SELECT "a""b"`, "SELECT x'41'", "-- x", "SELECT $a$ b $a$", "\u00a0", "SELECT (",
	} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, pick uint8) {
		_ = guardSQL(s)
		_ = firstKeyword(s)
		_, _ = singleStatement(s)
		_, _ = parseInsert(s)
		if !endsInCode(s) {
			return
		}
		call := forbiddenCalls[int(pick)%len(forbiddenCalls)]
		q := s + "\n" + call
		if guardSQL(q) == nil {
			t.Fatalf("accepted %q", q)
		}
		if strings.TrimSpace(s) == "" {
			return
		}
		if err := guardSQL("SELECT * FROM (" + call + ")\n" + s); err == nil {
			t.Fatalf("accepted a leading forbidden call before %q", s)
		}
	})
}

// BenchmarkGuardReportQuery: the guard's cost on a typical report query.
func BenchmarkGuardReportQuery(b *testing.B) {
	b.SetBytes(int64(len(reportQuery)))
	for range b.N {
		if err := guardSQL(reportQuery); err != nil {
			b.Fatal(err)
		}
	}
}
