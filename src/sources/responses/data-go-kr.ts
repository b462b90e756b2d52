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
import { dataGoKrCodeError, type ProviderContext } from './provider-codes.js';

/** One page of a data.go.kr response that reported success (00) or no data (03). */
export interface DataGoKrPage {
  code: string;
  message: string;
  items: JsonObject[];
  totalCount: number | null;
  pageNo: number | null;
  numOfRows: number | null;
}

/**
 * Classifies a data.go.kr body by its content, not its HTTP status. Errors arrive with HTTP 200 as
 * XML `OpenAPI_ServiceResponse` (with `returnReasonCode`) even when JSON was requested, or as a bare
 * JSON `{resultCode, resultMsg}` without the `response` wrapper. Returns the page for codes 00 and
 * 03 (03 gives zero items) and throws the SourceError for the code otherwise.
 */
export function parseDataGoKrBody(body: string, context: ProviderContext): DataGoKrPage {
  const text = cleanBody(body);
  const kind = detectBodyKind(text);
  let envelope: JsonObject | undefined;
  if (kind === 'xml') envelope = parseXmlBody(text, context);
  else if (kind === 'json') envelope = asObject(parseJsonBody(text, context));
  else throw unexpectedBodyError(kind, text, context);
  if (envelope === undefined) throw unexpectedShapeError(text, context);

  const serviceError = asObject(envelope.OpenAPI_ServiceResponse);
  if (serviceError) {
    const header = asObject(serviceError.cmmMsgHeader) ?? serviceError;
    const code = String(header.returnReasonCode ?? '').trim();
    const message = String(header.returnAuthMsg ?? header.errMsg ?? '').trim();
    throw dataGoKrCodeError(code || '99', message || 'OpenAPI_ServiceResponse without a reason code', context);
  }

  const response = asObject(envelope.response) ?? envelope;
  const header = asObject(response.header) ?? response;
  if (header.resultCode === undefined) throw unexpectedShapeError(text, context);
  const code = String(header.resultCode).trim().padStart(2, '0');
  const message = String(header.resultMsg ?? '').trim();
  if (code !== '00' && code !== '03') throw dataGoKrCodeError(code, message, context);

  const pageBody = asObject(response.body) ?? {};
  return {
    code,
    message,
    items: code === '03' ? [] : normalizeItems(pageBody.items),
    totalCount: readCount(pageBody.totalCount),
    pageNo: readCount(pageBody.pageNo),
    numOfRows: readCount(pageBody.numOfRows),
  };
}

function unexpectedShapeError(text: string, context: ProviderContext): SourceError {
  return new SourceError(
    `${context.source}: ${context.label} returned a body without resultCode or returnReasonCode (starting "${text.slice(0, 80)}"); the provider's format may have changed`,
    { source: context.source, kind: 'response', httpStatus: context.httpStatus },
    false,
  );
}
