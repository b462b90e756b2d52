-- Read-only views over forecasts. Instants stay UTC epoch seconds; each *_kst column is the same
-- instant as "YYYY-MM-DD HH:MM" in KST (UTC+9 all year, so adding 32400 seconds is exact).
-- An observed value is chosen like the window builder does: per pollutant, the most recently
-- ingested non-null value among the sources of that station-hour, ties to the first source by name.
-- persistence_* is the value observed at the issued hour, the baseline forecast_skill compares to.
CREATE VIEW forecast_vs_observed AS
SELECT
  joined.*,
  predicted_pm25 - observed_pm25 AS error_pm25,
  predicted_pm10 - observed_pm10 AS error_pm10
FROM (
  SELECT
    f.station_id,
    s.name AS station_name,
    f.model_version,
    f.issued_at,
    strftime('%Y-%m-%d %H:%M', f.issued_at + 32400, 'unixepoch') AS issued_at_kst,
    f.target_at,
    strftime('%Y-%m-%d %H:%M', f.target_at + 32400, 'unixepoch') AS target_at_kst,
    f.horizon_hours,
    f.pm25 AS predicted_pm25,
    (SELECT a.pm25 FROM air_observations a WHERE a.station_id = f.station_id AND a.observed_at = f.target_at AND a.pm25 IS NOT NULL
      ORDER BY a.last_ingested_at DESC, a.source LIMIT 1) AS observed_pm25,
    (SELECT a.pm25 FROM air_observations a WHERE a.station_id = f.station_id AND a.observed_at = f.issued_at AND a.pm25 IS NOT NULL
      ORDER BY a.last_ingested_at DESC, a.source LIMIT 1) AS persistence_pm25,
    f.pm10 AS predicted_pm10,
    (SELECT a.pm10 FROM air_observations a WHERE a.station_id = f.station_id AND a.observed_at = f.target_at AND a.pm10 IS NOT NULL
      ORDER BY a.last_ingested_at DESC, a.source LIMIT 1) AS observed_pm10,
    (SELECT a.pm10 FROM air_observations a WHERE a.station_id = f.station_id AND a.observed_at = f.issued_at AND a.pm10 IS NOT NULL
      ORDER BY a.last_ingested_at DESC, a.source LIMIT 1) AS persistence_pm10
  FROM forecasts f
  JOIN stations s ON s.id = f.station_id
) joined;
--> statement-breakpoint
-- Scores per model version and horizon over forecasts whose target hour has been observed.
-- Persistence is the value observed at the issued hour carried forward, on the same forecasts;
-- skill = 1 - RMSE / RMSE of persistence, null when persistence has no error.
CREATE VIEW forecast_skill AS
SELECT
  model_version,
  horizon_hours,
  COUNT(*) AS scored_pm25,
  sqrt(AVG(error_pm25 * error_pm25)) AS rmse_pm25,
  AVG(abs(error_pm25)) AS mae_pm25,
  sqrt(AVG((persistence_pm25 - observed_pm25) * (persistence_pm25 - observed_pm25))) AS persistence_rmse_pm25,
  1 - sqrt(AVG(error_pm25 * error_pm25))
    / NULLIF(sqrt(AVG((persistence_pm25 - observed_pm25) * (persistence_pm25 - observed_pm25))), 0) AS skill_vs_persistence_pm25,
  MIN(issued_at) AS first_issued_at,
  strftime('%Y-%m-%d %H:%M', MIN(issued_at) + 32400, 'unixepoch') AS first_issued_at_kst,
  MAX(issued_at) AS last_issued_at,
  strftime('%Y-%m-%d %H:%M', MAX(issued_at) + 32400, 'unixepoch') AS last_issued_at_kst
FROM forecast_vs_observed
WHERE predicted_pm25 IS NOT NULL AND observed_pm25 IS NOT NULL AND persistence_pm25 IS NOT NULL
GROUP BY model_version, horizon_hours;
--> statement-breakpoint
-- Every horizon of each station's newest issued forecast.
CREATE VIEW latest_forecasts AS
SELECT
  f.station_id,
  s.name AS station_name,
  f.model_version,
  f.issued_at,
  strftime('%Y-%m-%d %H:%M', f.issued_at + 32400, 'unixepoch') AS issued_at_kst,
  f.target_at,
  strftime('%Y-%m-%d %H:%M', f.target_at + 32400, 'unixepoch') AS target_at_kst,
  f.horizon_hours,
  f.pm25,
  f.pm10,
  f.created_at
FROM forecasts f
JOIN stations s ON s.id = f.station_id
WHERE f.issued_at = (SELECT MAX(latest.issued_at) FROM forecasts latest WHERE latest.station_id = f.station_id);
