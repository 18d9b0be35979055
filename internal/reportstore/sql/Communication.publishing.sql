-- Items published by communication referents per ISO week.
SELECT toMonday(day) AS week, sum(events) AS items, uniqExact(person) AS people
FROM {db}.intranet_daily
WHERE tenant = @tenant AND kind = 'publish' AND referent
  AND day >= toDate(@from) AND day <= toDate(@to)
  AND (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort)
GROUP BY week
ORDER BY week
