import { z } from 'zod';
import { applyPromotionRule, type PromotionDecision } from '../src/registry/promotion.js';
import { buildModelWindowSet } from '../src/windows/build-window-set.js';
import { defineJob } from './definition.js';

const payload = z.object({
  /** Candidate to judge; the newest candidate when absent. */
  version: z.string().min(1).optional(),
});

/**
 * Promotes a candidate when it beats the champion on the candidate's test windows, else marks
 * it rejected. Returns what happened and why.
 */
export const evaluatePromoteJob = defineJob({
  name: 'evaluate-promote',
  payload,
  async handle(input, context): Promise<PromotionDecision> {
    const { database, settings, logger } = context;
    return applyPromotionRule({
      database,
      settings,
      logger,
      version: input.version,
      buildWindows: (manifest, range) =>
        buildModelWindowSet(
          database,
          {
            spec: manifest.spec,
            featureScaler: manifest.featureScaler,
            targetScaler: manifest.targetScaler,
            from: range.from,
            // Samples need every target hour inside the period, so it runs past the last issue hour.
            to: range.to + Math.max(...manifest.spec.horizons) * 3600,
            stationIds: manifest.stationIds,
          },
          logger,
        ),
    });
  },
});
