#!/usr/bin/env bash
# Trains the default model on two real data sets from ../shared/data and prints each test-period
# evaluation: (a) the 25 Seoul urban stations (realtime feed, 2025-04 to 2026-01, no weather);
# (b) the Seoul city-wide hourly series with KMA station 108 weather, 2018 to 2021-09, once with
# weather features and once without. Each run uses its own database under var/real-data/.
set -euo pipefail
cd "$(dirname "$0")/.."

data="${DUSTCAST_SHARED_DATA:-../shared/data}"
if [ ! -d "$data" ]; then
  echo "evaluate-real-data: $data not found; set DUSTCAST_SHARED_DATA to the shared data folder" >&2
  exit 1
fi
output="${1:-var/real-data}"
mkdir -p "$output"
dustcast() { node bin/dustcast.js "$@"; }

run_case() {
  local name="$1"
  shift
  export DUSTCAST_DATABASE_PATH="$output/$name.sqlite"
  export DUSTCAST_MODEL_DIRECTORY="$output/$name-models"
  rm -rf "$DUSTCAST_DATABASE_PATH" "$DUSTCAST_DATABASE_PATH"-* "$DUSTCAST_MODEL_DIRECTORY"
  echo "== $name"
  "$@"
}

import_urban() {
  dustcast import "$data/api-samples/airkorea/riverKangg_getMsrstnList_items_all-stations.json" \
    "$data/seoul-air/riverKangg_finedust/seoul_realtime_urban25_2025-04-21_2026-01-16.csv" >/dev/null
  dustcast train --from 2025-04-21 --to 2026-01-16 | tee "$output/a-urban25.txt"
}

import_citywide() {
  dustcast import "$data"/kma-asos/zerobbang_star_project/SURFACE_ASOS_108_HR_*.csv >/dev/null
  dustcast import "$data/seoul-air/SeojinSeojin_aai2009/seoul-air.csv" --mapping seoul-citywide-air >/dev/null
  dustcast train --from 2018-01-01 --to "2021-09-30 23:00" | tee "$output/$1.txt"
}

run_case a-urban25 import_urban
run_case b-citywide-weather import_citywide b-citywide-weather
DUSTCAST_FEATURES=pm25,pm10,o3,no2,co,so2,hour_sin,hour_cos,day_of_year_sin,day_of_year_cos,was_missing \
  run_case b-citywide-no-weather import_citywide b-citywide-no-weather
