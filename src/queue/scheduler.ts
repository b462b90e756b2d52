import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logging/logger.js';
import { slotAt, type Slot } from './slots.js';

/** The time zone every schedule is evaluated in; providers publish on KST hours. */
export const scheduleTimeZone = 'Asia/Seoul';

/** A cron schedule whose callback only enqueues the work of its slot. */
export interface ScheduleDefinition {
  /** Used as the slot id prefix, such as "ingest". */
  name: string;
  /** Five-field cron expression, evaluated in Asia/Seoul. */
  cron: string;
  /** How many hours back the start-up catch-up looks for missed slots. */
  catchUpHours: number;
  /** The most recent missed slots to enqueue at most (1: only the latest). */
  catchUpMaxSlots: number;
  /** Enqueues the slot's work; resolves false when the slot id was already enqueued. */
  enqueue(slot: Slot): Promise<boolean>;
}

/** Result of a catch-up: slots newly enqueued and slots some worker had already enqueued. */
export interface CatchUpResult {
  enqueued: string[];
  alreadyKnown: string[];
}

/** Rejects a cron expression that is invalid or fires more than once within a KST hour. */
export function validateSchedule(definition: Pick<ScheduleDefinition, 'name' | 'cron'>): void {
  const detail = cron.validateDetailed(definition.cron);
  if (!detail.valid || !detail.fields) {
    const reasons = detail.errors.map((error) => `${error.field}: ${error.message}`).join('; ');
    throw new Error(`invalid cron expression "${definition.cron}" for the ${definition.name} schedule (${reasons}); use five fields such as "20 * * * *"`);
  }
  // Slot ids carry the hour, so two firings in one hour would share an id and the second would be dropped.
  if (detail.fields.minute.length !== 1 || detail.fields.second.length !== 1) {
    throw new Error(`cron expression "${definition.cron}" for the ${definition.name} schedule fires more than once an hour; use a single minute such as "20 * * * *"`);
  }
}

/**
 * Returns the slots of a schedule due after `from` and at or before `to`, oldest first, by
 * testing each minute with node-cron's own matcher in Asia/Seoul.
 */
export function slotsBetween(definition: Pick<ScheduleDefinition, 'name' | 'cron'>, from: Date, to: Date): Slot[] {
  const matcher = cron.createTask(definition.cron, () => {}, { timezone: scheduleTimeZone });
  const slots: Slot[] = [];
  const minuteMs = 60_000;
  try {
    for (let at = Math.floor(from.getTime() / minuteMs) * minuteMs + minuteMs; at <= to.getTime(); at += minuteMs) {
      const dueAt = new Date(at);
      if (matcher.match(dueAt)) slots.push(slotAt(definition.name, dueAt));
    }
  } finally {
    void matcher.destroy();
  }
  return slots;
}

/** Runs the cron schedules of one worker process; several processes may run them at once. */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  /** Slots whose enqueue failed (Redis down); retried on the schedule's next firing. */
  private readonly pending = new Map<string, Slot>();

  constructor(
    private readonly definitions: ScheduleDefinition[],
    private readonly logger: Logger,
  ) {
    for (const definition of definitions) validateSchedule(definition);
  }

  /** Enqueues the missed slots of every schedule within its catch-up window. */
  async catchUp(now: Date = new Date()): Promise<Record<string, CatchUpResult>> {
    const results: Record<string, CatchUpResult> = {};
    for (const definition of this.definitions) {
      const from = new Date(now.getTime() - definition.catchUpHours * 3_600_000);
      const slots = slotsBetween(definition, from, now).slice(-definition.catchUpMaxSlots);
      const result: CatchUpResult = { enqueued: [], alreadyKnown: [] };
      for (const slot of slots) {
        if (await definition.enqueue(slot)) result.enqueued.push(slot.id);
        else result.alreadyKnown.push(slot.id);
      }
      results[definition.name] = result;
      this.logger.info(
        { schedule: definition.name, windowHours: definition.catchUpHours, enqueued: result.enqueued, alreadyKnown: result.alreadyKnown.length },
        result.enqueued.length > 0 ? 'missed slots caught up' : 'no missed slots to catch up',
      );
    }
    return results;
  }

  /** Starts one node-cron task per schedule. */
  start(): void {
    for (const definition of this.definitions) {
      const task = cron.schedule(definition.cron, (context) => this.fire(definition.name, context.date), {
        timezone: scheduleTimeZone,
        name: `dustcast-${definition.name}`,
      });
      this.tasks.push(task);
      this.logger.info({ schedule: definition.name, cron: definition.cron, timezone: scheduleTimeZone, nextRun: task.getNextRun() }, 'schedule started');
    }
  }

  /**
   * Enqueues the slot of schedule `name` due at `firedAt`, as the cron callback does, plus any
   * earlier slot whose enqueue failed. Errors are logged, not thrown, so a Redis outage cannot
   * stop the schedule.
   */
  async fire(name: string, firedAt: Date): Promise<void> {
    const definition = this.definitions.find((candidate) => candidate.name === name);
    if (!definition) throw new Error(`unknown schedule "${name}"; known: ${this.definitions.map((candidate) => candidate.name).join(', ')}`);
    const slot = slotAt(definition.name, firedAt);
    const due = [...this.pending.values()].filter((pending) => pending.schedule === definition.name);
    due.push(slot);
    for (const current of due) {
      try {
        const added = await definition.enqueue(current);
        this.pending.delete(current.id);
        this.logger.info({ schedule: definition.name, slot: current.id, added }, added ? 'slot enqueued' : 'slot already enqueued by another worker');
      } catch (error) {
        this.pending.set(current.id, current);
        this.logger.error({ schedule: definition.name, slot: current.id, err: error }, 'slot enqueue failed; retrying at the next firing');
      }
    }
  }

  /** Stops every cron task; enqueued jobs are not affected. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.tasks.map((task) => task.destroy()));
    this.tasks.length = 0;
    this.logger.info('schedules stopped');
  }
}
