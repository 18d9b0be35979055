-- People of each cohort who answered a personal questionnaire in the period.
SELECT cohort, uniqExact(person) AS people
FROM {db}.survey_answers FINAL
WHERE tenant = @tenant
  AND instrument_id IN ('digital-readiness', 'digital-attitude', 'change-readiness')
  AND toDate(submitted_at) >= toDate(@from) AND toDate(submitted_at) <= toDate(@to)
  AND (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort)
GROUP BY cohort
