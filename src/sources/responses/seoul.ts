import { SourceError } from '../errors.js';
import {
  asObject,
  cleanBody,
  detectBodyKind,
  normalizeItems,
  parseJsonBody,
  parseXmlBody,
  readCount,
  unexpectedBodyError,
  type JsonObject,
} from './body-shapes.js';
import { seoulCodeError, type ProviderContext } from './provider-codes.js';

/** One page of a Seoul Open API response that reported INFO-000, or INFO-200 (no data). */
export interface SeoulPage {
  code: string;
  message: string;
  rows: JsonObject[];
  totalCount: number | null;
}

/**
 * Classifies a Seoul Open API body. Success is `{SERVICE: {list_total_count, RESULT, row}}`; errors
 * and "no data" come as a bare `{RESULT: {CODE, MESSAGE}}`, in XML when the JSON path was wrong.
 */
export function parseSeoulBody(body: string, service: string, context: ProviderContext): SeoulPage {
  const text = cleanBody(body);
  const kind = detectBodyKind(text);
  let envelope: JsonObject | undefined;
  if (kind === 'xml') envelope = parseXmlBody(text, context);
  else if (kind === 'json') envelope = asObject(parseJsonBody(text, context));
  else throw unexpectedBodyError(kind, text, context);

  const container = asObject(envelope?.[service]) ?? asObject(envelope?.RESULT ? envelope : undefined) ?? envelope;
  const result = asObject(container?.RESULT) ?? (container?.CODE !== undefined ? container : undefined);
  if (!container || !result || result.CODE === undefined) {
    throw new SourceError(
      `${context.source}: ${context.label} returned a body without RESULT.CODE (starting "${text.slice(0, 80)}"); the provider's format may have changed`,
      { source: context.source, kind: 'response', httpStatus: context.httpStatus },
      false,
    );
  }
  const code = String(result.CODE).trim();
  const message = String(result.MESSAGE ?? '').trim();
  if (code === 'INFO-200') return { code, message, rows: [], totalCount: 0 };
  if (code !== 'INFO-000') throw seoulCodeError(code, message, context);
  return { code, message, rows: normalizeItems(container.row), totalCount: readCount(container.list_total_count) };
}
