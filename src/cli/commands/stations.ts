import type { Command } from 'commander';
import { findStation, listStations, resolveWeatherStation, setWeatherStationCode } from '../../importers/weather-mapping.js';
import { createCommandRuntime } from '../context.js';
import { formatTextTable } from '../text-table.js';

export function registerStationsCommand(program: Command): void {
  const stations = program.command('stations').description('List stations and set which KMA weather station each one uses');

  stations
    .command('list')
    .description('List stations with coordinates and their KMA weather station (set, or the nearest by default)')
    .option('--provider <name>', 'only stations of this provider: airkorea, seoul, kma or a mapping provider')
    .action((options: { provider?: string }) => {
      const runtime = createCommandRuntime();
      try {
        const database = runtime.context.database;
        const names = new Map(listStations(database, 'kma').map((station) => [station.id, station.providerCode]));
        const rows = listStations(database, options.provider).map((station) => {
          const weatherId = resolveWeatherStation(database, station.id);
          const resolved = weatherId === null ? 'none' : `kma:${names.get(weatherId)}`;
          const weather = station.weatherStationCode === null ? `${resolved} (nearest)` : `${resolved} (set to ${station.weatherStationCode})`;
          return [
            String(station.id),
            station.provider,
            station.providerCode,
            station.name,
            station.kind ?? '',
            station.latitude === null ? '' : station.latitude.toFixed(5),
            station.longitude === null ? '' : station.longitude.toFixed(5),
            weather,
          ];
        });
        if (rows.length === 0) {
          console.log('no stations; import a file first, for example "dustcast import" for the bundled sample');
          return;
        }
        console.log(formatTextTable(['id', 'provider', 'code', 'name', 'kind', 'latitude', 'longitude', 'weather station'], rows));
      } finally {
        runtime.close();
      }
    });

  stations
    .command('set-weather')
    .description('Set the KMA ASOS station whose weather a station uses; "nearest" restores the default')
    .argument('<station>', 'station id, provider:code (such as airkorea:중구) or a code used by one provider')
    .argument('<code>', 'KMA ASOS station number, such as 108, or "nearest"')
    .action((reference: string, code: string) => {
      const runtime = createCommandRuntime();
      try {
        const database = runtime.context.database;
        const station = findStation(database, reference);
        const stored = code === 'nearest' ? null : code;
        setWeatherStationCode(database, station.id, stored);
        const weatherId = resolveWeatherStation(database, station.id);
        const label = `${station.id} (${station.provider}:${station.providerCode})`;
        if (stored === null) {
          console.log(`station ${label} now uses the nearest KMA station${weatherId === null ? ', but none has coordinates yet' : ''}`);
        } else if (weatherId === null) {
          console.log(`station ${label} now uses KMA station ${stored}, which is not in the database yet; import its ASOS file to join weather`);
        } else {
          console.log(`station ${label} now uses KMA station ${stored}`);
        }
      } finally {
        runtime.close();
      }
    });
}
