package schemas

import "time"

// DiaryEntry is one day's note in a pilot participant's "diario di bordo":
// free text in Italian or English and four ratings.
type DiaryEntry struct {
	Envelope
	Date            string `json:"date"` // YYYY-MM-DD, the day the entry is about
	Lang            string `json:"lang"` // "it" or "en"
	Text            string `json:"text"`
	Productivity    int    `json:"productivity"`      // 1-5
	WorkLifeBalance int    `json:"work_life_balance"` // 1-5
	Connection      int    `json:"connection"`        // 1-5, connection with colleagues
	TechProblems    bool   `json:"tech_problems"`
	Location        string `json:"location"` // where the person worked that day
}

// Diary locations.
var DiaryLocations = []string{"home", "office", "coworking", "other"}

// Languages accepted for free text.
var Languages = []string{"it", "en"}

// MaxDiaryText is the longest diary text accepted, in characters.
const MaxDiaryText = 4000

// Validate checks every field of the entry and reports all violations.
func (d *DiaryEntry) Validate(stage Stage) error {
	var v validator
	d.Envelope.validate(&v, stage)
	day, err := time.Parse(time.DateOnly, d.Date)
	switch {
	case d.Date == "":
		v.add("date", RuleRequired, "is required (YYYY-MM-DD)")
	case err != nil:
		v.add("date", RuleFormat, "must be a date as YYYY-MM-DD")
	case day.Year() < 2000 || day.After(time.Now().AddDate(0, 0, 2)):
		v.add("date", RuleRange, "must be between 2000-01-01 and tomorrow")
	}
	oneOf(&v, "lang", d.Lang, Languages, true)
	freeText(&v, "text", d.Text, MaxDiaryText)
	rating(&v, "productivity", d.Productivity)
	rating(&v, "work_life_balance", d.WorkLifeBalance)
	rating(&v, "connection", d.Connection)
	oneOf(&v, "location", d.Location, DiaryLocations, true)
	return v.err()
}

func rating(v *validator, field string, x int) {
	if x < 1 || x > 5 {
		v.add(field, RuleRange, "must be an integer rating from 1 to 5")
	}
}
