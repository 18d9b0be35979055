package synth

// Phrase pools for diary text. A diary entry is two to five sentences drawn
// from the pools that fit the day: where the person worked, whether the
// technology let them down, how productive, balanced and connected they
// felt. "%d" slots are filled with a small number.
type phrasebook struct {
	home, office                  []string
	commuteOffice, commuteSaved   []string
	focusGood, focusBad           []string
	meetingsRemote, meetingsLocal []string
	techBad, techFine             []string
	colleaguesGood, colleaguesBad []string
	familyGood, familyBad         []string
	tasks                         []string
}

var italian = phrasebook{
	home: []string{
		"Oggi ho lavorato da casa.", "Giornata di lavoro agile da casa.", "Smart working oggi.",
		"Giornata da remoto.", "Lavoro da casa, come da accordo individuale.", "Oggi in lavoro agile.",
	},
	office: []string{
		"Giornata in ufficio.", "Oggi in sede.", "Lavoro in presenza oggi.",
		"Giornata in ufficio, come al solito.", "Oggi tutto il giorno in sede.", "In ufficio dalle otto.",
	},
	commuteOffice: []string{
		"Traffico intenso in tangenziale, %d minuti per arrivare.", "Il treno era in ritardo di %d minuti.",
		"Autobus pieno, %d minuti di viaggio.", "Pendolarismo faticoso: %d minuti all'andata.",
		"Parcheggio introvabile, ho perso %d minuti.", "Il viaggio in auto mi ha preso %d minuti.",
	},
	commuteSaved: []string{
		"Pendolarismo risparmiato: %d minuti in più per me.", "Niente treno oggi, ho risparmiato %d minuti.",
		"Senza il viaggio ho guadagnato quasi %d minuti.", "Pendolarismo risparmiato e meno stress.",
		"Ho iniziato prima, senza il traffico del mattino.",
	},
	focusGood: []string{
		"Sono riuscito a concentrarmi senza interruzioni.", "Ottima concentrazione sulla pratica più complessa.",
		"Ho chiuso %d pratiche arretrate.", "Mattinata produttiva, concentrazione alta.",
		"Finalmente tempo per lavorare con calma alla relazione.", "Ho completato la verifica di %d istanze.",
	},
	focusBad: []string{
		"Molte interruzioni, difficile concentrarsi.", "Telefono che squillava di continuo.",
		"Ho perso tempo a cercare documenti.", "Giornata frammentata, poca concentrazione.",
		"Troppe richieste urgenti, pratiche ferme.", "Rumore in open space, concentrazione scarsa.",
	},
	meetingsRemote: []string{
		"%d riunioni in videochiamata.", "Videochiamata con il dirigente sul nuovo regolamento.",
		"Riunione di servizio online, ben organizzata.", "Troppe videochiamate, %d in mattinata.",
		"Breve riunione in chat per coordinarci.",
	},
	meetingsLocal: []string{
		"%d riunioni in presenza.", "Riunione di servizio in sala consiliare.",
		"Incontro con il pubblico allo sportello.", "Riunione lunga e poco utile.",
		"Coordinamento con il servizio accanto.",
	},
	techBad: []string{
		"La VPN è caduta %d volte.", "Problemi di connessione con la VPN in mattinata.",
		"Il gestionale non rispondeva da remoto.", "VPN lenta, i documenti non si aprivano.",
		"Il portatile non si collegava alla rete.", "La firma digitale non funzionava.",
		"Problemi con il protocollo informatico.", "Ho dovuto chiamare l'assistenza per l'accesso.",
	},
	techFine: []string{
		"Nessun problema tecnico.", "La VPN ha funzionato bene.", "Strumenti digitali senza intoppi.",
		"Connessione stabile tutto il giorno.",
	},
	colleaguesGood: []string{
		"Bel confronto con i colleghi.", "Collaborazione ottima con il gruppo.",
		"Pausa caffè con i colleghi, utile anche per il lavoro.", "Ci siamo aiutati molto nel gruppo.",
		"Scambio utile con l'ufficio accanto.",
	},
	colleaguesBad: []string{
		"Mi è mancato il confronto con i colleghi.", "Mi sono sentito un po' isolato.",
		"Difficile coordinarsi con il gruppo.", "Poche occasioni di scambio con i colleghi.",
		"Comunicazione con il responsabile complicata.",
	},
	familyGood: []string{
		"Ho accompagnato i figli a scuola.", "Pranzo con la famiglia.", "Più tempo per la famiglia.",
		"Sono riuscito a fare sport dopo il lavoro.", "Ho potuto seguire un genitore anziano.",
		"Equilibrio tra lavoro e vita privata migliore.",
	},
	familyBad: []string{
		"Fatica a staccare la sera.", "Sono rientrato tardi, poco tempo per la famiglia.",
		"Stanchezza a fine giornata.", "Confine tra lavoro e casa poco chiaro.",
		"Ho risposto alle mail anche dopo cena.",
	},
	tasks: []string{
		"Lavorato sulle determine.", "Istruttoria di %d domande di contributo.", "Aggiornamento del sito istituzionale.",
		"Predisposizione del bilancio di previsione.", "Gestione delle istanze dei cittadini.",
		"Preparazione della delibera di giunta.", "Verifica delle fatture elettroniche.",
		"Formazione sul Syllabus competenze digitali.", "Controllo di %d certificati.",
	},
}

var english = phrasebook{
	home:           []string{"Worked from home today.", "Remote day.", "Smart working day at home."},
	office:         []string{"Day at the office.", "In the office all day.", "Worked on site today."},
	commuteOffice:  []string{"Heavy traffic, %d minutes to get in.", "The train was %d minutes late."},
	commuteSaved:   []string{"No commute: %d extra minutes for me.", "Saved the commute and started early."},
	focusGood:      []string{"Good focus, no interruptions.", "Closed %d pending files."},
	focusBad:       []string{"Many interruptions, hard to focus.", "Fragmented day, little focus."},
	meetingsRemote: []string{"%d video calls.", "Team meeting online, well run."},
	meetingsLocal:  []string{"%d meetings in person.", "Long meeting, not very useful."},
	techBad:        []string{"The VPN dropped %d times.", "VPN connection problems this morning.", "The laptop would not connect."},
	techFine:       []string{"No technical problems.", "VPN worked fine."},
	colleaguesGood: []string{"Good exchange with colleagues.", "Great teamwork today."},
	colleaguesBad:  []string{"Missed talking to colleagues.", "Felt a bit isolated."},
	familyGood:     []string{"Took the kids to school.", "Lunch with the family.", "Better work-life balance."},
	familyBad:      []string{"Hard to switch off in the evening.", "Tired at the end of the day."},
	tasks:          []string{"Worked on council resolutions.", "Processed %d citizen requests."},
}
