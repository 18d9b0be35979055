package reports

import "testing"

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct {
		name, prefix, next string
		ok                 bool
	}{
		{"ErrOffSite an encoded tab before a second slash is refused (browsers strip it to //evil)", "", "/%09/evil.example", false},
		{"ErrOffSite an encoded newline before a second slash is refused", "", "/%0A/evil.example", false},
		{"ErrOffSite a raw tab before a second slash is refused", "", "/\t/evil.example", false},
		{"ErrOffSite an encoded space in the path is refused", "", "/%20/evil.example", false},
		{"ErrOffSite a protocol-relative URL is refused", "", "//evil", false},
		{"ErrOffSite a backslash that browsers read as a slash is refused", "", "/\\evil", false},
		{"ErrOffSite an absolute URL is refused", "", "https://evil", false},
		{"ErrOffSite encoded slashes that decode to // are refused", "", "/%2F%2Fevil", false},
		{"ErrOffSite a javascript URL is refused", "", "javascript:alert(1)", false},
		{"ErrOutsidePrefix dot segments are refused at the root", "", "/reports/../../x", false},
		{"ErrOutsidePrefix dot segments that climb out of the prefix are refused", "/pa", "/pa/reports/../../x", false},
		{"ErrOutsidePrefix a path beside the prefix is refused", "/pa", "/pam/reports/", false},
		{"ErrOutsidePrefix a relative path is refused", "", "reports/impact", false},
		{"ErrEmpty an empty next lands on the index", "", "", false},
		{"OK a report page with a filter is kept", "", "/reports/impact?unit=A", true},
		{"OK a report page under the prefix is kept", "/pa", "/pa/reports/impact?unit=A", true},
		{"OK a filter value with an encoded space is kept", "", "/reports/impact?unit=Servizi%20sociali", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Server{prefix: tc.prefix}
			want := tc.prefix + "/reports/"
			if tc.ok {
				want = tc.next
			}
			if got := s.safeNext(tc.next); got != want {
				t.Fatalf("safeNext(%q) = %q, want %q", tc.next, got, want)
			}
		})
	}
}
