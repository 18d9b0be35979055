-- Diary texts of one tenant, period and selection, for the term counts
-- (tokenised in Go with a Unicode-aware splitter, not splitByNonAlpha),
-- grouped by writer so distinct writers per term count in one pass.
SELECT person, cohort, date, text
FROM {db}.diary_entries
WHERE tenant = @tenant AND date >= toDate(@from) AND date <= toDate(@to) AND text != ''
  AND (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort)
ORDER BY person
