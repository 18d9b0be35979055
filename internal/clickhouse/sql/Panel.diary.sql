-- Person-week panel of diary ratings for one tenant, period and selection:
-- entries and mean ratings per person, labels and ISO week (only the
-- cohort is returned, the filters apply here; the week's Monday as days
-- since 1970-01-01).
SELECT person, cohort, toUInt16(toMonday(date)) AS monday,
       count() AS entries,
       avg(productivity) AS r_productivity,
       avg(work_life_balance) AS r_balance,
       avg(connection) AS r_connection
FROM {db}.diary_entries FINAL
WHERE tenant = @tenant AND date >= toDate(@from) AND date <= toDate(@to)
  AND (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort)
GROUP BY person, org_unit, grade, cohort, monday
