-- Diary texts of one tenant, period and selection, for the term counts
-- (tokenised in Go with a Unicode-aware splitter, not splitByNonAlpha),
-- grouped by writer so distinct writers per term count in one pass. Only
-- the ISO weeks (the period bins) in which at least @mintext people of the
-- selection wrote count: two windows that differ by a week then differ by
-- nobody's words or by the words of at least @mintext people.
SELECT person, cohort, date, text
FROM {db}.diary_entries FINAL
WHERE tenant = @tenant AND date >= toDate(@from) AND date <= toDate(@to) AND text != ''
  AND (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort)
  AND toMonday(date) IN (
    SELECT toMonday(date) FROM {db}.diary_entries FINAL
    WHERE tenant = @tenant AND date >= toDate(@from) AND date <= toDate(@to) AND text != ''
      AND (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort)
    GROUP BY toMonday(date)
    HAVING uniqExact(person) >= @mintext)
ORDER BY person
