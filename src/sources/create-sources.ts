import type { Settings } from '../config/settings.js';
import type { DustcastDatabase } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { AirKoreaSource } from './airkorea/airkorea-source.js';
import { KmaAsosSource } from './kma/asos-source.js';
import { KmaNowcastSource } from './kma/nowcast-source.js';
import { SeoulSource } from './seoul/seoul-source.js';
import { SOURCE_NAMES, type ObservationSource, type SourceName } from './source.js';

/** Parses a comma-separated list of source names; throws naming an unknown one and the valid names. */
export function parseSourceNames(text: string | string[]): SourceName[] {
  const names = (Array.isArray(text) ? text : text.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  for (const name of names) {
    if (!(SOURCE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`unknown source "${name}": expected one of ${SOURCE_NAMES.join(', ')}`);
    }
  }
  return [...new Set(names)] as SourceName[];
}

/** Builds one source; throws SourceConfigurationError when its key is not set. */
export function createSource(name: SourceName, settings: Settings, logger: Logger, database?: DustcastDatabase): ObservationSource {
  switch (name) {
    case 'airkorea':
      return new AirKoreaSource(settings, logger);
    case 'seoul':
      return new SeoulSource(settings, logger);
    case 'kma-asos':
      return new KmaAsosSource(settings, logger);
    case 'kma-nowcast':
      return new KmaNowcastSource(settings, logger, database);
  }
}
