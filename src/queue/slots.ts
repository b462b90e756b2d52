import { epochSecondsToKstParts } from '../time/kst.js';

/** One firing of a schedule: when it was due and the job id derived from it. */
export interface Slot {
  schedule: string;
  /** The instant the cron expression matched, to the minute. */
  dueAt: Date;
  /** Schedule name plus the KST hour, such as "ingest-2026120413" (BullMQ forbids ":" in ids). */
  id: string;
}

/** Builds the slot of `schedule` due at `dueAt`, named by its KST hour. */
export function slotAt(schedule: string, dueAt: Date): Slot {
  const parts = epochSecondsToKstParts(Math.floor(dueAt.getTime() / 1000));
  const pad = (value: number) => String(value).padStart(2, '0');
  const hour = `${parts.year}${pad(parts.month)}${pad(parts.day)}${pad(parts.hour)}`;
  return { schedule, dueAt, id: `${schedule}-${hour}` };
}
