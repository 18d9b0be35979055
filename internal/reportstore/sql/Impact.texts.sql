-- Diary texts of one tenant and period, for the term counts (tokenised in
-- Go with a Unicode-aware splitter, not splitByNonAlpha).
SELECT person, org_unit, grade, cohort, date, text
FROM {db}.diary_entries
WHERE tenant = @tenant AND date >= toDate(@from) AND date <= toDate(@to) AND text != ''
