"""Peer for the upsert-path benchmark: rows are parsed first, untimed, then only the upsert is timed.

Reads an AirKorea realtime CSV, keeps one row per station and hour, and stores the rows with one
executemany of INSERT ... ON CONFLICT DO UPDATE in one transaction into a new database, then
again with every row unchanged. Prints rows per second of each pass as one JSON object. Like
upsert_peer.py, it stores no flags, revisions or ingest times, which Dustcast writes.
"""

import json
import os
import sqlite3
import sys
import tempfile
import time

from upsert_peer import POLLUTANTS, epoch_seconds, value


def read_rows(path: str) -> list:
    import csv

    rows = {}
    with open(path, encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row["dataTime"]:
                key = (row["stationName"], epoch_seconds(row["dataTime"]))
                rows.setdefault(key, (*key, *(value(row[f"{name}Value"]) for name in POLLUTANTS)))
    return list(rows.values())


def main() -> int:
    rows = read_rows(sys.argv[1])
    folder = tempfile.mkdtemp(prefix="dustcast-upsert-rows-peer-")
    connection = sqlite3.connect(os.path.join(folder, "peer.sqlite"))
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(
        "CREATE TABLE air (station TEXT NOT NULL, observed_at INTEGER NOT NULL, pm10 REAL, pm25 REAL, o3 REAL, "
        "no2 REAL, co REAL, so2 REAL, PRIMARY KEY (station, observed_at))"
    )
    result = {}
    for name in ("first", "again"):
        started = time.perf_counter()
        with connection:
            connection.executemany(
                "INSERT INTO air (station, observed_at, pm10, pm25, o3, no2, co, so2) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (station, observed_at) DO UPDATE SET pm10 = excluded.pm10, pm25 = excluded.pm25, "
                "o3 = excluded.o3, no2 = excluded.no2, co = excluded.co, so2 = excluded.so2",
                rows,
            )
        seconds = time.perf_counter() - started
        result[name] = {"rows": len(rows), "rowsPerSecond": len(rows) / seconds}
    connection.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
