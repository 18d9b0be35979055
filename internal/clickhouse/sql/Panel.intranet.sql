-- Person-week panel of intranet use for one tenant, period and selection:
-- all intranet events and cloud-tool actions per person, labels and ISO
-- week (only the cohort is returned, the filters apply here; the week's
-- Monday as days since 1970-01-01). Whole weeks of the period come from
-- the weekly rollup, the days of a partial first or last week from the
-- daily one, so any period gives the daily rollup's numbers. The rollups
-- hold each key's set of event ids (a record stored twice counts once):
-- FINAL on the weekly AggregatingMergeTree unites the sets of unmerged
-- parts in key order, and the daily days are united per person-week. A
-- person-week is observed when the person had any event.
SELECT person, cohort, toUInt16(week) AS monday, toUInt64(finalizeAggregation(events)) AS ev, toUInt64(finalizeAggregation(cloud)) AS cl
FROM {db}.intranet_weekly FINAL
WHERE tenant = @tenant AND week >= toDate(@wfrom) AND week <= toDate(@wto)
  AND (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort)
UNION ALL
SELECT person, cohort, toUInt16(toMonday(day)) AS monday, toUInt64(uniqExactMerge(events)) AS ev, toUInt64(uniqExactMergeIf(events, kind = 'cloud_tool')) AS cl
FROM {db}.intranet_daily
WHERE tenant = @tenant AND day >= toDate(@from) AND day <= toDate(@to) AND (day < toDate(@wfrom) OR day > toDate(@wend))
  AND (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort)
GROUP BY person, org_unit, grade, cohort, monday
