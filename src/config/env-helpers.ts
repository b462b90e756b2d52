import { z } from 'zod';

/** Boolean read from an environment string: accepts true/false, 1/0, yes/no. */
export const booleanFromEnv = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((value) => value === true || value === 'true' || value === '1' || value === 'yes');

/** Comma-separated list of positive integers, such as horizons "1,3,6,12,24". */
export const integerListFromEnv = z
  .union([z.array(z.number().int().positive()), z.string()])
  .transform((value, context) => {
    if (Array.isArray(value)) return value;
    const parts = value.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
    const numbers = parts.map(Number);
    if (numbers.length === 0 || numbers.some((number) => !Number.isInteger(number) || number <= 0)) {
      context.addIssue({
        code: 'custom',
        message: `expected comma-separated positive integers such as "1,3,6", got "${value}"`,
      });
      return z.NEVER;
    }
    return numbers;
  });

/** Comma-separated list of names, such as feature names. */
export const nameListFromEnv = z
  .union([z.array(z.string()), z.string()])
  .transform((value) =>
    Array.isArray(value) ? value : value.split(',').map((part) => part.trim()).filter((part) => part.length > 0),
  );
