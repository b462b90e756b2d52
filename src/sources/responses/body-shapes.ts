import { XMLParser } from 'fast-xml-parser';
import { SourceConfigurationError, SourceError, TransientSourceError } from '../errors.js';
import type { ProviderContext } from './provider-codes.js';

export type JsonObject = Record<string, unknown>;

/** Keeps every value as text, as the JSON responses do, so "0.0" and "-" are read the same way. */
const xmlParser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: true });

/** The first kind of content a body holds, decided from its first characters. */
export type BodyKind = 'empty' | 'html' | 'xml' | 'json' | 'text';

export function detectBodyKind(text: string): BodyKind {
  if (text === '') return 'empty';
  if (/^<(!doctype\s+html|html[\s>])/i.test(text)) return 'html';
  if (text.startsWith('<')) return 'xml';
  if (text.startsWith('{') || text.startsWith('[')) return 'json';
  return 'text';
}

/** Removes a byte order mark and surrounding white space. */
export function cleanBody(body: string): string {
  return body.replace(/^\uFEFF/, '').trim();
}

/** Parses an XML body into plain objects whose leaf values are strings ("" for empty elements). */
export function parseXmlBody(text: string, context: ProviderContext): JsonObject {
  try {
    return xmlParser.parse(text, true) as JsonObject;
  } catch (error) {
    throw new TransientSourceError(
      `${context.source}: ${context.label} returned XML that cannot be parsed (${(error as Error).message}); the body may be truncated`,
      { source: context.source, kind: 'response', httpStatus: context.httpStatus },
    );
  }
}

/** Parses a JSON body; a body cut off in transfer is a retryable failure. */
export function parseJsonBody(text: string, context: ProviderContext): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new TransientSourceError(
      `${context.source}: ${context.label} returned ${text.length} characters that are not valid JSON (ending "${text.slice(-40)}"); the body looks truncated`,
      { source: context.source, kind: 'response', httpStatus: context.httpStatus },
    );
  }
}

/**
 * Builds the error for a body that carries no provider envelope: an HTML error page, an empty body
 * or plain text. 5xx, 429 and empty bodies are retryable; an HTML page with another 4xx status
 * usually means a wrong base URL, which needs a person.
 */
export function unexpectedBodyError(kind: BodyKind, text: string, context: ProviderContext): SourceError {
  const details = { source: context.source, httpStatus: context.httpStatus };
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  let description = `text "${text.slice(0, 80)}"`;
  if (kind === 'empty') description = 'an empty body';
  if (kind === 'html') description = title ? `an HTML page titled "${title}"` : 'an HTML page';
  const status = context.httpStatus;
  const message = `${context.source}: ${context.label} returned ${description} with HTTP ${status} instead of an API response`;
  if (status >= 400 && status < 500 && status !== 429 && status !== 408) {
    return new SourceConfigurationError(`${message}; check the base URL setting for this source`, details);
  }
  if (kind === 'text' && status < 400) return new SourceError(`${message}; the provider's response format may have changed`, { ...details, kind: 'response' }, false);
  return new TransientSourceError(`${message}; the provider or a proxy in front of it is failing`, { ...details, kind: 'http' });
}

/**
 * Returns a list of items from the shapes data.go.kr uses: an array, `{item: [...]}`, `{item: {...}}`
 * for a single item, and "" or null when there is no data.
 */
export function normalizeItems(items: unknown): JsonObject[] {
  if (items === null || items === undefined || items === '') return [];
  if (Array.isArray(items)) return items.filter((item): item is JsonObject => typeof item === 'object' && item !== null);
  if (typeof items === 'object') {
    const container = items as JsonObject;
    if ('item' in container) return normalizeItems(container.item);
    return [container];
  }
  return [];
}

/** Reads a count field that may be a number, a numeric string or absent. */
export function readCount(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}
