import type { Settings } from '../config/settings.js';
import type { DustcastDatabase } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import { meanRmse, rmseByHorizon } from '../model/accuracy.js';
import { predict } from '../model/predict.js';
import { blockOfRow, timeOfRow, type TimeRange, type WindowSet } from '../windows/window-set.js';
import { loadModel, type LoadedModel } from './load.js';
import type { ModelManifest } from './manifest.js';
import { findChampion, findLatestCandidate, ModelRegistryError, promote, requireModel, setStatus } from './model-rows.js';

/** Builds windows for a period with a stored model's own feature list and scalers. */
export type ModelWindowBuilder = (manifest: ModelManifest, range: TimeRange) => WindowSet;

export interface PromotionDecision {
  action: 'promoted' | 'rejected';
  candidate: string;
  champion: string | null;
  /** Mean PM2.5 RMSE in µg/m³ over the shared horizons, on the shared test samples. */
  candidateRmse: number | null;
  championRmse: number | null;
  /** Station-hours scored for both models. */
  commonSamples: number;
  reason: string;
}

/**
 * Applies the promotion rule to a candidate (the newest one when `version` is omitted): it
 * becomes champion only when its mean PM2.5 RMSE is lower than the champion's on the same test
 * windows. Both models are scored on the candidate's test period, each through windows built
 * with its own features and scalers, on the station-hours both can forecast. A loser is marked
 * rejected. Promotion is one transaction.
 */
export async function applyPromotionRule(options: {
  database: DustcastDatabase;
  settings: Pick<Settings, 'DUSTCAST_TF_BACKEND'>;
  logger: Logger;
  buildWindows: ModelWindowBuilder;
  version?: string;
}): Promise<PromotionDecision> {
  const { database, logger } = options;
  const candidateRow = options.version ? requireModel(database, options.version) : findLatestCandidate(database);
  if (!candidateRow) throw new ModelRegistryError('no candidate model to evaluate; run `dustcast train` first');
  if (candidateRow.status !== 'candidate') {
    throw new ModelRegistryError(`model version ${candidateRow.version} is ${candidateRow.status}, not a candidate; use \`dustcast models promote\` to promote it by hand`);
  }
  const championRow = findChampion(database);
  if (!championRow) {
    promote(database, candidateRow.version);
    const decision: PromotionDecision = {
      action: 'promoted',
      candidate: candidateRow.version,
      champion: null,
      candidateRmse: candidateRow.score,
      championRmse: null,
      commonSamples: 0,
      reason: 'there was no champion yet',
    };
    logger.info(decision, 'candidate promoted');
    return decision;
  }

  const candidate = await loadModel(database, options.settings, candidateRow.version, logger);
  let champion: LoadedModel | undefined;
  try {
    champion = await loadModel(database, options.settings, championRow.version, logger);
    const scores = scoreOnSharedWindows(candidate, champion, options.buildWindows);
    const better = scores.candidateRmse < scores.championRmse;
    const comparison = `${scores.candidateRmse.toFixed(3)} vs ${scores.championRmse.toFixed(3)} µg/m³ mean PM2.5 RMSE on ${scores.commonSamples} shared test samples`;
    const decision: PromotionDecision = {
      action: better ? 'promoted' : 'rejected',
      candidate: candidateRow.version,
      champion: championRow.version,
      candidateRmse: scores.candidateRmse,
      championRmse: scores.championRmse,
      commonSamples: scores.commonSamples,
      reason: better ? `candidate beats champion: ${comparison}` : `candidate does not beat champion: ${comparison}`,
    };
    if (better) promote(database, candidateRow.version);
    else setStatus(database, candidateRow.version, 'rejected');
    logger.info(decision, better ? 'candidate promoted' : 'candidate rejected');
    return decision;
  } finally {
    candidate.model.dispose();
    champion?.model.dispose();
  }
}

/** Scores both models on the candidate's test period, over the samples and horizons they share. */
function scoreOnSharedWindows(
  candidate: LoadedModel,
  champion: LoadedModel,
  buildWindows: ModelWindowBuilder,
): { candidateRmse: number; championRmse: number; commonSamples: number } {
  const range = candidate.manifest.ranges.test;
  const candidateSet = buildWindows(candidate.manifest, range);
  const championSet = buildWindows(champion.manifest, range);
  const candidateRows = rowsByStationHour(candidateSet);
  const championRows = rowsByStationHour(championSet);
  const shared = [...candidateRows.keys()].filter((key) => championRows.has(key));
  if (shared.length === 0) {
    throw new ModelRegistryError(
      `candidate ${candidate.manifest.version} and champion ${champion.manifest.version} share no test samples between ${range.from} and ${range.to}; ` +
        'import observations for that period or promote by hand',
    );
  }
  const horizons = candidate.manifest.spec.horizons.filter((horizon) => champion.manifest.spec.horizons.includes(horizon));
  if (horizons.length === 0) throw new ModelRegistryError('candidate and champion share no forecast horizon, so they cannot be compared; promote by hand');
  const score = (loaded: LoadedModel, set: WindowSet, rowsByKey: Map<string, number>) => {
    if (!set.spec.targets.includes('pm25')) throw new ModelRegistryError(`model ${loaded.manifest.version} does not forecast PM2.5, so the promotion rule cannot score it`);
    const rows = Int32Array.from(shared.map((key) => rowsByKey.get(key)!));
    const rmses = rmseByHorizon(set, rows, predict(loaded.model, set, rows), 'pm25');
    return meanRmse(horizons.map((horizon) => rmses[set.spec.horizons.indexOf(horizon)]));
  };
  return {
    candidateRmse: score(candidate, candidateSet, candidateRows),
    championRmse: score(champion, championSet, championRows),
    commonSamples: shared.length,
  };
}

function rowsByStationHour(set: WindowSet): Map<string, number> {
  const rows = new Map<string, number>();
  for (const row of set.samples.test) rows.set(`${blockOfRow(set, row).stationId}:${timeOfRow(set, row)}`, row);
  return rows;
}
