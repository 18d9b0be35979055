-- Scored people of the two waves: in the selection and in the whole tenant.
SELECT uniqExactIf(person, (@unit = '' OR u = @unit) AND (@grade = '' OR g = @grade) AND (@cohort = '' OR c = @cohort)) AS n,
       uniqExact(person) AS entity
FROM (
    SELECT person, argMax(org_unit, scored_at) AS u, argMax(grade, scored_at) AS g, argMax(cohort, scored_at) AS c
    FROM {db}.readiness_persons
    WHERE tenant = @tenant AND instrument_id = @instrument AND wave IN (@wave, @prev)
    GROUP BY person
)
