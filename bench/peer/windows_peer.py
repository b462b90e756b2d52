"""Peer for the window benchmark: notebook-style windows, every window materialised in one array.

Reads the air rows of the database that bench/windows/build-windows.ts prepared (2.2 M
station-hours) and lays each station on an hourly grid with numpy. It adds the same 12 inputs
as Dustcast's default features: six pollutants, four calendar encodings, the mean PM2.5 of all
stations and a missing-value mask. It standardises them and copies every 24 h window into one
float32 array [windows, 24, 12]. Prints seconds, CPU seconds and peak RSS as one JSON object.
"""

import json
import resource
import sqlite3
import sys
import time

import numpy as np

WINDOW_HOURS = 24


def main() -> int:
    database_path = sys.argv[1]
    started = time.perf_counter()
    cpu_started = time.process_time()

    connection = sqlite3.connect(database_path)
    rows = connection.execute(
        "SELECT station_id, observed_at, pm25, pm10, o3, no2, co, so2 FROM air_observations ORDER BY station_id, observed_at"
    ).fetchall()
    connection.close()
    table = np.array(rows, dtype=np.float64)
    del rows

    first_hour = int(table[:, 1].min())
    last_hour = int(table[:, 1].max())
    hours = (last_hour - first_hour) // 3600 + 1
    stations = np.unique(table[:, 0])
    grid = np.full((len(stations), hours, 6), np.nan, dtype=np.float32)
    station_index = np.searchsorted(stations, table[:, 0])
    hour_index = ((table[:, 1] - first_hour) // 3600).astype(np.int64)
    grid[station_index, hour_index] = table[:, 2:8]
    del table

    times = first_hour + 3600 * np.arange(hours)
    kst_hour = ((times // 3600) + 9) % 24
    day_of_year = ((times + 9 * 3600) // 86400) % 365.25
    calendar = np.stack(
        [
            np.sin(2 * np.pi * kst_hour / 24),
            np.cos(2 * np.pi * kst_hour / 24),
            np.sin(2 * np.pi * day_of_year / 365.25),
            np.cos(2 * np.pi * day_of_year / 365.25),
        ],
        axis=1,
    ).astype(np.float32)
    with np.errstate(invalid="ignore"):
        neighbour = np.nanmean(grid[:, :, 0], axis=0).astype(np.float32)
    missing = np.isnan(grid[:, :, 0]).astype(np.float32)

    features = np.concatenate(
        [
            grid,
            np.broadcast_to(calendar, (len(stations), hours, 4)),
            np.broadcast_to(neighbour[None, :, None], (len(stations), hours, 1)),
            missing[:, :, None],
        ],
        axis=2,
    )
    means = np.nanmean(features, axis=(0, 1))
    stds = np.nanstd(features, axis=(0, 1)) + 1e-6
    features = np.nan_to_num((features - means) / stds).astype(np.float32)

    per_station = hours - WINDOW_HOURS + 1
    windows = np.empty((len(stations) * per_station, WINDOW_HOURS, features.shape[2]), dtype=np.float32)
    for index in range(len(stations)):
        view = np.lib.stride_tricks.sliding_window_view(features[index], WINDOW_HOURS, axis=0)
        windows[index * per_station : (index + 1) * per_station] = view.transpose(0, 2, 1)

    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpuSeconds": time.process_time() - cpu_started,
                "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "windows": int(windows.shape[0]),
                "windowArrayMb": windows.nbytes / 1024 / 1024,
                "stationHours": int(len(stations) * hours),
                "numpy": np.__version__,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
