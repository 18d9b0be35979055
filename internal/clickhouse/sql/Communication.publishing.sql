-- Items published by communication referents per ISO week (the rollup holds
-- each key's set of event ids: their union counts every item once).
SELECT toMonday(day) AS week, toUInt64(uniqExactMerge(events)) AS items, uniqExact(person) AS people
FROM {db}.intranet_daily
WHERE tenant = @tenant AND kind = 'publish' AND referent
  AND day >= toDate(@from) AND day <= toDate(@to)
  AND (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort)
GROUP BY week
ORDER BY week
