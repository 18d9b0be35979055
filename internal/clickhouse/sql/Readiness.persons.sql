-- Segments, barrier points and readiness index of two waves, by
-- instrument: people per (segment, barrier) with index sums.
SELECT instrument_id, wave, seg, bar, count() AS n,
       countIf(has) AS ni, sumIf(x, has) AS si, sumIf(x * x, has) AS ssi
FROM (
    SELECT instrument_id, wave, person,
           argMax(org_unit, scored_at) AS u, argMax(grade, scored_at) AS g, argMax(cohort, scored_at) AS c,
           argMax(segment, scored_at) AS seg, argMax(barrier, scored_at) AS bar,
           argMax(readiness_index IS NOT NULL, scored_at) AS has,
           argMax(ifNull(readiness_index, 0), scored_at) AS x
    FROM {db}.readiness_persons
    WHERE tenant = @tenant AND instrument_id IN (@instrument, @stages) AND wave IN (@wave, @prev)
    GROUP BY instrument_id, wave, person
)
WHERE (@unit = '' OR u = @unit) AND (@grade = '' OR g = @grade) AND (@cohort = '' OR c = @cohort)
GROUP BY instrument_id, wave, seg, bar
