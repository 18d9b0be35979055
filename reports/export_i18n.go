package reports

// exportMessages are the strings of the exports (the XLSX information
// sheet, the PDF errors), Italian first; merged into messages at start so
// the pages' i18n table stays the one lookup.
var exportMessages = map[string][2]string{
	"x.info":          {"Informazioni", "Information"},
	"x.page":          {"Pagina", "Page"},
	"x.tables":        {"Tabelle", "Tables"},
	"x.filters":       {"Filtri applicati", "Filters applied"},
	"x.nofilters":     {"nessuno (tutto l'ente, tutto il periodo)", "none (the whole entity, the whole period)"},
	"x.extracted":     {"Estratto il", "Extracted on"},
	"x.rome":          {"ora di Roma", "Rome time"},
	"x.mingroup":      {"Dimensione minima dei gruppi", "Minimum group size"},
	"x.mintext":       {"Dimensione minima per i testi", "Minimum group size for text"},
	"x.withheld":      {"Celle non mostrate", "Cells withheld"},
	"x.privacy":       {"Nota sulla riservatezza", "Privacy note"},
	"xlsx.page":       {"Tutte le tabelle (XLSX)", "All tables (XLSX)"},
	"x.sheet":         {"Foglio", "Sheet"},
	"x.table":         {"Tabella", "Table"},
	"x.source":        {"Fonte", "Source"},
	"err.503":         {"Servizio non disponibile", "Service unavailable"},
	"x.pdf.nobrowser": {"esportazione PDF non disponibile: Chromium non è installato sul server (impostare --chromium o BUSSOLA_CHROMIUM)", "PDF export unavailable: Chromium is not installed on the server (set --chromium or BUSSOLA_CHROMIUM)"},
	"x.pdf.failed":    {"esportazione PDF non riuscita: Chromium non ha stampato la pagina", "PDF export failed: Chromium did not print the page"},
	"x.dialect":       {"deve essere excel-it (predefinito) o rfc4180", "must be excel-it (the default) or rfc4180"},
}

func init() {
	for k, v := range exportMessages {
		if _, dup := messages[k]; !dup {
			messages[k] = v
		}
	}
}
