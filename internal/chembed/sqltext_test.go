package chembed

import "testing"

func TestSingleStatement(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"A plain statement is kept.", "SELECT 1", "SELECT 1", false},
		{"A trailing semicolon and comment are dropped.", "SELECT 1; -- done\n", "SELECT 1", false},
		{"Repeated trailing semicolons are dropped.", "SELECT 1;;  ", "SELECT 1", false},
		{"A semicolon inside a string is not a separator.", "SELECT 'a;b'", "SELECT 'a;b'", false},
		{"A semicolon inside an escaped string is not a separator.", `SELECT 'it\'s;', "x;y"`, `SELECT 'it\'s;', "x;y"`, false},
		{"A semicolon inside a comment is not a separator.", "SELECT 1 /* a; b */", "SELECT 1 /* a; b */", false},
		{"Two statements are refused.", "SELECT 1; SELECT 2", "", true},
		{"A statement after a comment line is refused.", "SELECT 1;\n-- x\nDROP TABLE t", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := singleStatement(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseInsert(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
		want insertParts
	}{
		{"clickhouse-go's batch INSERT.", "INSERT INTO db.t (a, b) FORMAT Native", true,
			insertParts{head: "INSERT INTO db.t (a, b)", format: "Native"}},
		{"SETTINGS before FORMAT are kept apart.", "INSERT INTO t SETTINGS async_insert = 1 FORMAT TSV", true,
			insertParts{head: "INSERT INTO t", settings: "SETTINGS async_insert = 1", format: "TSV"}},
		{"Inline data after FORMAT starts after the line break.", "INSERT INTO t FORMAT CSV\n1,2\n\nSELECT 3", true,
			insertParts{head: "INSERT INTO t", format: "CSV", data: "1,2\n\nSELECT 3"}},
		{"VALUES is the Values format.", "INSERT INTO t VALUES (1, 'a;b')", true,
			insertParts{head: "INSERT INTO t", format: "Values", data: " (1, 'a;b')"}},
		{"INSERT ... SELECT carries no data.", "INSERT INTO t SELECT * FROM u FORMAT TSV", false, insertParts{}},
		{"A column named like a keyword inside the list is not a keyword.", "INSERT INTO t (format, values) FORMAT Native", true,
			insertParts{head: "INSERT INTO t (format, values)", format: "Native"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseInsert(tc.in)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Errorf("got %+v %v, want %+v %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestParseChdbError(t *testing.T) {
	e := parseChdbError("Code: 73. DB::Exception: Code: 73. DB::Exception: Unknown format Nat. (UNKNOWN_FORMAT)")
	if e.Code != 73 || e.Error() != "Code: 73. DB::Exception: Code: 73. DB::Exception: Unknown format Nat. (UNKNOWN_FORMAT)" {
		t.Errorf("got %d %q", e.Code, e.Error())
	}
	if e := parseChdbError("something odd"); e.Code != codeUnknownException {
		t.Errorf("text without a code: got code %d", e.Code)
	}
}
