-- Data version of the report sources: an insert adds a part with a new
-- block number, a mutation (erasure) raises data_version, so any change
-- to the data changes this answer. Merges only change the row counts of
-- deduplicating tables, which at worst drops the cache once more.
SELECT table, toInt64(max(max_block_number)) AS blocks, toInt64(max(data_version)) AS version, toUInt64(sum(rows)) AS rows
FROM system.parts
WHERE database = @db AND active
  AND table IN ('intranet_daily', 'intranet_weekly', 'diary_entries', 'survey_answers', 'readiness_scores', 'readiness_persons')
GROUP BY table
ORDER BY table
