-- Adoption per person over the @weeks seven-day blocks that end on @end
-- (inclusive), from the daily intranet rollup: the share of blocks with any
-- intranet use (every kind but cloud_tool) and with cloud-tool use. A
-- rollup row exists only for a key with at least one event.
SELECT person,
       uniqExactIf(week, kind != 'cloud_tool') / @weeks AS intranet,
       uniqExactIf(week, kind = 'cloud_tool') / @weeks  AS cloud
FROM (
    SELECT person, kind, intDiv(dateDiff('day', day, toDate(@end)), 7) AS week
    FROM {db}.intranet_daily
    WHERE tenant = @tenant
      AND day <= toDate(@end)
      AND day > toDate(@end) - @days
)
GROUP BY person
ORDER BY person
