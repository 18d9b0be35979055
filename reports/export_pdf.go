package reports

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// summaryPDF writes the executive summary as a one-or-more-page PDF 1.4
// with the standard Helvetica font (WinAnsi encoding, so Italian accents
// print): title, filters, KPI lines and the generated sentences. It uses
// suppressed data only (the view).
func summaryPDF(t tr, q Query, v view) []byte {
	var lines []pdfLine
	add := func(size float64, bold bool, s string) {
		for _, l := range wrap(s, int(95*10/size)) {
			lines = append(lines, pdfLine{size, bold, l})
		}
	}
	add(18, true, t.T("app")+" - "+t.T("page.executive"))
	add(10, false, t.T("f.tenant")+": "+q.Tenant+"   "+describeFilters(t, q))
	add(9, false, t.F("privacy.note", v.Privacy.MinGroup, v.Privacy.MinText))
	add(6, false, " ")
	add(13, true, t.T("w.kpis"))
	for _, k := range v.KPIs {
		if k.Hidden {
			add(11, false, k.Label+": "+t.T("suppressed")+" ("+k.Why+")")
			continue
		}
		s := k.Label + ": " + k.Current
		if k.Change != "" {
			s += "   " + t.T("col.change") + " " + k.Change
			if k.CI != "" {
				s += " (" + k.CI + ")"
			}
		}
		add(11, false, s)
	}
	add(6, false, " ")
	for _, k := range v.KPIs {
		add(11, false, k.Sentence)
	}
	for _, w := range v.Widgets {
		if w.ID != "executive-benchmark" {
			continue
		}
		add(6, false, " ")
		add(13, true, w.Title)
		for _, r := range w.Table.Rows {
			parts := make([]string, len(r))
			for i, c := range r {
				parts[i] = c.Text
			}
			add(10, false, strings.Join(parts, "  |  "))
		}
	}
	add(6, false, " ")
	add(8, false, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	return writePDF(lines)
}

func describeFilters(t tr, q Query) string {
	var parts []string
	for _, p := range [][2]string{{"f.unit", q.Unit}, {"f.grade", q.Grade}, {"f.cohort", q.Cohort}, {"f.from", day(q.From)}, {"f.to", day(q.To)}} {
		if p[1] != "" {
			parts = append(parts, t.T(p[0])+": "+p[1])
		}
	}
	return strings.Join(parts, ", ")
}

type pdfLine struct {
	size float64
	bold bool
	text string
}

func wrap(s string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width {
			out = append(out, line)
			line = w
		} else if line == "" {
			line = w
		} else {
			line += " " + w
		}
	}
	if line != "" || len(out) == 0 {
		out = append(out, line)
	}
	return out
}

func pdfString(s string) string {
	enc, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		var b strings.Builder
		for _, r := range s {
			if e, err := charmap.Windows1252.NewEncoder().String(string(r)); err == nil {
				b.WriteString(e)
			} else {
				b.WriteByte('?')
			}
		}
		enc = b.String()
	}
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, "\r", " ", "\n", " ")
	return r.Replace(enc)
}

// writePDF lays lines out on A4 pages and writes the file with its xref.
func writePDF(lines []pdfLine) []byte {
	const top, bottom, left = 800.0, 50.0, 50.0
	var pages []string
	var cur strings.Builder
	y := top
	for _, l := range lines {
		lead := l.size * 1.4
		if y-lead < bottom {
			pages = append(pages, cur.String())
			cur.Reset()
			y = top
		}
		y -= lead
		font := "F1"
		if l.bold {
			font = "F2"
		}
		fmt.Fprintf(&cur, "BT /%s %.1f Tf %.1f %.1f Td (%s) Tj ET\n", font, l.size, left, y, pdfString(l.text))
	}
	pages = append(pages, cur.String())

	var objs []string
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>", "")                                             // 1, 2 (pages filled below)
	objs = append(objs, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>", // 3
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>") // 4
	var kids []string
	for _, content := range pages {
		pageObj := len(objs) + 1
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>", pageObj+1),
			fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content))
		kids = append(kids, fmt.Sprintf("%d 0 R", pageObj))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))

	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
