import { z } from 'zod';

/** Removes default and optional wrappers to reach the schema that checks the value. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional) {
    current = current._zod.def.innerType as z.ZodType;
  }
  return current;
}

/**
 * Describes what a setting accepts, in words for an error message, such as "a whole number from
 * 1 to 1000" or "one of auto, node, wasm, cpu"; undefined when the schema has no simple description.
 */
export function describeAcceptedValues(schema: z.ZodType): string | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodNumber) {
    const kind = inner.isInt ? 'a whole number' : 'a number';
    const minimum = inner.minValue;
    const maximum = inner.maxValue;
    const hasMinimum = minimum !== null && Number.isFinite(minimum) && minimum > Number.MIN_SAFE_INTEGER;
    const hasMaximum = maximum !== null && Number.isFinite(maximum) && maximum < Number.MAX_SAFE_INTEGER;
    if (hasMinimum && hasMaximum) return `${kind} from ${minimum} to ${maximum}`;
    if (hasMinimum) return `${kind} of at least ${minimum}`;
    if (hasMaximum) return `${kind} of at most ${maximum}`;
    return kind;
  }
  if (inner instanceof z.ZodEnum) return `one of ${inner.options.join(', ')}`;
  return undefined;
}
