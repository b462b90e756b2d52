import { z } from 'zod';

/** Paths and logging shared by every command. */
export const coreSettings = {
  DUSTCAST_DATABASE_PATH: z.string().min(1).default('var/dustcast.sqlite'),
  DUSTCAST_MODEL_DIRECTORY: z.string().min(1).default('var/models'),
  DUSTCAST_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** Forces the log format; "auto" is readable on a terminal and JSON otherwise. */
  DUSTCAST_LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
};
