"""Peer for the import benchmark: Python's csv and sqlite3 modules, executemany in one transaction.

Reads an AirKorea realtime CSV (the API's field names), turns dataTime into UTC epoch seconds
(hour 24 is the next day's 00:00 KST), treats "-" and empty values as missing and upserts every
row with INSERT ... ON CONFLICT DO UPDATE into a table keyed by station and hour. Imports the
file into a new database, then again (every row unchanged), and prints rows per second of each
pass as one JSON object. It stores no flags, revisions or import runs, which Dustcast does.
"""

import csv
import datetime
import json
import os
import sqlite3
import sys
import tempfile
import time

KST = datetime.timezone(datetime.timedelta(hours=9))
POLLUTANTS = ["pm10", "pm25", "o3", "no2", "co", "so2"]


def epoch_seconds(data_time: str) -> int:
    day, clock = data_time.split(" ")
    hour = int(clock.split(":")[0])
    moment = datetime.datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=KST) + datetime.timedelta(hours=hour)
    return int(moment.timestamp())


def value(text: str):
    return None if text in ("", "-") else float(text)


def import_file(connection: sqlite3.Connection, path: str) -> int:
    with open(path, encoding="utf-8", newline="") as file:
        rows = [
            (row["stationName"], epoch_seconds(row["dataTime"]), *(value(row[f"{name}Value"]) for name in POLLUTANTS))
            for row in csv.DictReader(file)
            if row["dataTime"]
        ]
    with connection:
        connection.executemany(
            "INSERT INTO air (station, observed_at, pm10, pm25, o3, no2, co, so2) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (station, observed_at) DO UPDATE SET pm10 = excluded.pm10, pm25 = excluded.pm25, "
            "o3 = excluded.o3, no2 = excluded.no2, co = excluded.co, so2 = excluded.so2",
            rows,
        )
    return len(rows)


def main() -> int:
    path = sys.argv[1]
    folder = tempfile.mkdtemp(prefix="dustcast-upsert-peer-")
    connection = sqlite3.connect(os.path.join(folder, "peer.sqlite"))
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(
        "CREATE TABLE air (station TEXT NOT NULL, observed_at INTEGER NOT NULL, pm10 REAL, pm25 REAL, o3 REAL, "
        "no2 REAL, co REAL, so2 REAL, PRIMARY KEY (station, observed_at))"
    )
    result = {"sqlite": sqlite3.sqlite_version, "python": sys.version.split()[0]}
    for name in ("first", "again"):
        started = time.perf_counter()
        cpu_started = time.process_time()
        rows = import_file(connection, path)
        seconds = time.perf_counter() - started
        result[name] = {
            "rows": rows,
            "seconds": seconds,
            "rowsPerSecond": rows / seconds,
            "rowsPerCpuSecond": rows / (time.process_time() - cpu_started),
        }
    connection.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
