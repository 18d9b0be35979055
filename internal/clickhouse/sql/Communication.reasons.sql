-- People choosing each page-feedback reason.
SELECT choice, uniqExact(person) AS people
FROM {db}.survey_answers FINAL
WHERE tenant = @tenant AND instrument_id = 'page-feedback' AND item = 'reason' AND choice != ''
  AND toDate(submitted_at) >= toDate(@from) AND toDate(submitted_at) <= toDate(@to)
  AND (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort)
GROUP BY choice
