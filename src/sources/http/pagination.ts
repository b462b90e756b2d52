import type { Logger } from '../../logging/logger.js';
import type { JsonObject } from '../responses/body-shapes.js';
import { parseDataGoKrBody } from '../responses/data-go-kr.js';
import type { SourceHttpClient } from './source-http-client.js';

/** Every item of a paginated data.go.kr request, with what the last page reported. */
export interface PagedItems {
  items: JsonObject[];
  pages: number;
  totalCount: number | null;
  httpStatus: number;
  providerCode: string;
}

/** Stops a runaway loop if a provider keeps reporting a larger totalCount than it serves. */
const MAX_PAGES = 500;

/**
 * Requests pages 1, 2, ... until the items collected reach the first page's totalCount, or a page
 * comes back empty. When the two counts differ at the end, logs a warning with both numbers.
 */
export async function fetchAllPages(options: {
  client: SourceHttpClient;
  logger: Logger;
  /** Operation name for logs and errors, such as "getCtprvnRltmMesureDnsty sidoName=서울". */
  label: string;
  pageUrl(pageNo: number): string;
  signal?: AbortSignal;
}): Promise<PagedItems> {
  const { client, logger, label } = options;
  const items: JsonObject[] = [];
  let totalCount: number | null = null;
  let httpStatus = 0;
  let providerCode = '';
  let pages = 0;
  for (let pageNo = 1; pageNo <= MAX_PAGES; pageNo += 1) {
    const pageLabel = `${label} page ${pageNo}`;
    const result = await client.get(
      {
        url: options.pageUrl(pageNo),
        label: pageLabel,
        parse: (body, status) => parseDataGoKrBody(body, { source: client.source, label: pageLabel, httpStatus: status }),
      },
      options.signal,
    );
    pages = pageNo;
    httpStatus = result.httpStatus;
    providerCode = result.value.code;
    if (pageNo === 1) totalCount = result.value.totalCount;
    if (result.value.items.length === 0) break;
    items.push(...result.value.items);
    if (totalCount === null || items.length >= totalCount) break;
  }
  if (totalCount !== null && items.length !== totalCount) {
    logger.warn({ source: client.source, request: label, rowsReceived: items.length, totalCount, pages }, 'row count differs from totalCount');
  }
  return { items, pages, totalCount, httpStatus, providerCode };
}
