-- Waves of an instrument with answers in the period, oldest first.
SELECT wave, min(submitted_at) AS first
FROM {db}.survey_answers FINAL
WHERE tenant = @tenant AND instrument_id = @instrument
  AND toDate(submitted_at) >= toDate(@from) AND toDate(submitted_at) <= toDate(@to)
GROUP BY wave
ORDER BY first
