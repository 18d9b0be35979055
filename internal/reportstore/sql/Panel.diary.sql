-- Person-week panel of diary ratings for one tenant and period: entries
-- and mean ratings per person and ISO week.
SELECT person, org_unit, grade, cohort, toMonday(date) AS week,
       count() AS entries,
       avg(productivity) AS r_productivity,
       avg(work_life_balance) AS r_balance,
       avg(connection) AS r_connection
FROM {db}.diary_entries
WHERE tenant = @tenant AND date >= toDate(@from) AND date <= toDate(@to)
GROUP BY person, org_unit, grade, cohort, week
