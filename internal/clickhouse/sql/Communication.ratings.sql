-- Page-feedback stars by intranet section (first path segment of the
-- page the feedback was given on).
SELECT if(context IN ('', '/'), 'home', splitByChar('/', context)[2]) AS section,
       count() AS n, sum(value) AS s, sum(value * value) AS ss, uniqExact(person) AS people
FROM {db}.survey_answers FINAL
WHERE tenant = @tenant AND instrument_id = 'page-feedback' AND item = 'stars'
  AND toDate(submitted_at) >= toDate(@from) AND toDate(submitted_at) <= toDate(@to)
  AND (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort)
GROUP BY section
ORDER BY section
