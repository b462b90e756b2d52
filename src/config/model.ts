import { z } from 'zod';
import { integerListFromEnv, nameListFromEnv } from './env-helpers.js';

/** Training and model settings; every value is recorded in the artifact it produces. */
export const modelSettings = {
  /** auto tries tfjs-node, then wasm (after a one-batch probe), then cpu. */
  DUSTCAST_TF_BACKEND: z.enum(['auto', 'node', 'wasm', 'cpu']).default('auto'),
  DUSTCAST_WINDOW_HOURS: z.coerce.number().int().min(2).max(720).default(24),
  DUSTCAST_HORIZONS: integerListFromEnv.default([1, 3, 6, 12, 24]),
  /** Pollutants the model forecasts, comma-separated; pm25 is required because promotion scores it. */
  DUSTCAST_TARGETS: nameListFromEnv
    .pipe(z.array(z.enum(['pm25', 'pm10'])).min(1))
    .refine((targets) => targets.includes('pm25'), { message: 'must include pm25, such as "pm25" or "pm25,pm10"' })
    .default(['pm25', 'pm10']),
  /** Maximum run of missing hours filled by interpolation; longer gaps split the series. */
  DUSTCAST_MAX_GAP_HOURS: z.coerce.number().int().min(0).max(48).default(2),
  /** Empty means the default feature set for the data available. */
  DUSTCAST_FEATURES: nameListFromEnv.default([]),
  /** Meaning of the outputs: change (from the last input hour, which prediction adds back) or absolute (the value itself). */
  DUSTCAST_TARGET_ENCODING: z.enum(['change', 'absolute']).default('change'),
  /**
   * Two layers of 64 units with batches of 128 train the bundled 25-station sample in about
   * 2.5 minutes with the fused engine on wasm (148 s measured on 2 shared cores). The layers
   * engine needs about 3x as long.
   */
  DUSTCAST_GRU_LAYERS: z.coerce.number().int().min(1).max(8).default(2),
  DUSTCAST_GRU_UNITS: z.coerce.number().int().min(1).max(1024).default(64),
  DUSTCAST_DROPOUT: z.coerce.number().min(0).max(0.9).default(0.1),
  DUSTCAST_EPOCHS: z.coerce.number().int().min(1).max(1000).default(30),
  DUSTCAST_BATCH_SIZE: z.coerce.number().int().min(1).max(8192).default(128),
  DUSTCAST_LEARNING_RATE: z.coerce.number().positive().max(1).default(0.001),
  /**
   * fused trains the layers model's own weights with a GRU whose backward pass is written by
   * hand (src/model/fast), which is several times faster on the wasm backend. layers calls
   * trainOnBatch. Both save the same standard layers model.
   */
  DUSTCAST_TRAINING_ENGINE: z.enum(['fused', 'layers']).default('fused'),
  /**
   * Threads that train shards of each batch in parallel with the fused engine; 1 uses this
   * thread only. More threads pay off only with large shards: on the wasm backend a shard of
   * 16 samples costs about as much as one of 32, so 2 threads at batch 32 were slower than 1.
   */
  DUSTCAST_TRAINING_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /** Epochs without a better validation loss before training stops. */
  DUSTCAST_EARLY_STOPPING_PATIENCE: z.coerce.number().int().min(1).max(100).default(5),
  DUSTCAST_SEED: z.coerce.number().int().min(0).default(42),
  /** Fractions of the series, in time order, for validation and test; the rest trains. */
  DUSTCAST_VALIDATION_FRACTION: z.coerce.number().gt(0).lt(0.5).default(0.15),
  DUSTCAST_TEST_FRACTION: z.coerce.number().gt(0).lt(0.5).default(0.15),
  /** Model versions kept on disk besides the champion and the previous champion; older artifacts are deleted. */
  DUSTCAST_KEEP_MODEL_VERSIONS: z.coerce.number().int().min(1).max(1000).default(10),
  /** Lets a station use other stations' PM values at the same hour as features. */
  DUSTCAST_NEIGHBOUR_FEATURES: z.enum(['auto', 'on', 'off']).default('auto'),
};
