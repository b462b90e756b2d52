import { FlowProducer, type FlowJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config/settings.js';
import { catalogEntry, type JobCatalog, type RetrainFlowSteps } from './catalog.js';
import { jobOptionsFor, type QueueSet } from './queues.js';

/**
 * The nightly retrain as one BullMQ flow: build windows, then train, then evaluate and promote,
 * then forecast. BullMQ runs children before their parent, so the last step is the root. Each
 * child fails its parent, so a failed step stops the steps after it: the champion and the stored
 * forecasts stay as they were, and the failure shows on every later step in the dashboard.
 */
export class RetrainFlow {
  private readonly producer: FlowProducer;

  constructor(
    connection: Redis,
    private readonly settings: Settings,
    private readonly catalog: JobCatalog,
    private readonly steps: RetrainFlowSteps,
    private readonly queues: QueueSet,
  ) {
    this.producer = new FlowProducer({ connection, prefix: settings.DUSTCAST_QUEUE_PREFIX });
  }

  /** Step job names in the order they run. */
  stepNames(): string[] {
    return [this.steps.buildWindows, this.steps.train, this.steps.evaluateAndPromote, this.steps.forecast];
  }

  /** Job id of one step of a flow, such as "retrain-2026120403-train". */
  static stepJobId(flowId: string, jobName: string): string {
    return `${flowId}-${jobName}`;
  }

  /**
   * Adds the flow for `flowId` (a slot id such as "retrain-2026120403"). Returns false when its
   * root job is still kept. Step ids derive from the flow id, so a second add, even a racing
   * one, adds no job: BullMQ skips every node whose id exists.
   */
  async add(flowId: string): Promise<boolean> {
    const rootName = this.steps.forecast;
    const rootQueue = this.queues.get(catalogEntry(this.catalog, rootName).queue);
    if (await rootQueue.getJob(RetrainFlow.stepJobId(flowId, rootName))) return false;
    await this.producer.add(this.buildTree(flowId));
    return true;
  }

  private buildTree(flowId: string): FlowJob {
    const names = this.stepNames();
    let tree: FlowJob | undefined;
    names.forEach((jobName, index) => {
      const entry = catalogEntry(this.catalog, jobName);
      const isRoot = index === names.length - 1;
      const options = jobOptionsFor(entry, RetrainFlow.stepJobId(flowId, jobName));
      // Each step wraps the tree built so far as its only child.
      tree = {
        name: jobName,
        queueName: entry.queue,
        data: entry.flowPayload?.({ flowId, settings: this.settings }) ?? {},
        opts: isRoot ? options : { ...options, failParentOnFailure: true },
        ...(tree ? { children: [tree] } : {}),
      } as FlowJob;
    });
    if (!tree) throw new Error('retrain flow has no steps');
    return tree;
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}
