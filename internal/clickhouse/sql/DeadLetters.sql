-- Dead letters of one tenant by source topic and reason (never payloads).
SELECT source, reason, count() AS n, max(at) AS last
FROM {db}.dead_letters
WHERE tenant = @tenant
GROUP BY source, reason
ORDER BY n DESC, source, reason
