import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixturesFolder = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/api');

/** Reads a recorded response body from test/fixtures/api. */
export function fixture(relativePath: string): string {
  return readFileSync(join(fixturesFolder, relativePath), 'utf8');
}

/** A request as the server received it; `rawUrl` keeps the percent-encoding exactly as sent. */
export interface RecordedRequest {
  rawUrl: string;
  path: string;
  query: URLSearchParams;
}

export interface ReplayReply {
  status?: number;
  body: string;
  contentType?: string;
  /** Holds the reply back this long, to make a client time out. */
  delayMs?: number;
}

export type ReplayHandler = (request: RecordedRequest) => ReplayReply;

interface Route {
  matches(request: RecordedRequest): boolean;
  handler: ReplayHandler;
}

/**
 * Serves recorded responses on 127.0.0.1 (port 0) and records every request. Routes match on the
 * end of the path and the first match replies. A request no route matches gets an HTML 404.
 */
export class ReplayServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private server: Server | undefined;
  private port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Adds a route for paths ending in `pathSuffix` whose query passes `where`. */
  route(pathSuffix: string, handler: ReplayHandler, where: (query: URLSearchParams) => boolean = () => true): this {
    this.routes.push({ matches: (request) => request.path.endsWith(pathSuffix) && where(request.query), handler });
    return this;
  }

  /** Removes every route and recorded request, keeping the server running. */
  reset(): void {
    this.routes.length = 0;
    this.requests.length = 0;
  }

  /** Recorded requests whose path ends in `pathSuffix`. */
  requestsTo(pathSuffix: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path.endsWith(pathSuffix));
  }

  async start(): Promise<this> {
    this.server = createServer((incoming, response) => {
      const request = this.record(incoming);
      const route = this.routes.find((candidate) => candidate.matches(request));
      const reply = route ? route.handler(request) : { status: 404, body: '<html><head><title>404 Not Found</title></head><body>no route</body></html>', contentType: 'text/html' };
      const send = () => {
        if (response.destroyed) return;
        response.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json;charset=UTF-8' });
        response.end(reply.body);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private record(incoming: IncomingMessage): RecordedRequest {
    const rawUrl = incoming.url ?? '/';
    const parsed = new URL(rawUrl, 'http://127.0.0.1');
    const request = { rawUrl, path: decodeURIComponent(parsed.pathname), query: parsed.searchParams };
    this.requests.push(request);
    return request;
  }
}

/** A handler that gives `replies` in order and then repeats the last one. */
export function inSequence(...replies: ReplayReply[]): ReplayHandler {
  let next = 0;
  return () => replies[Math.min(next++, replies.length - 1)];
}

/** A handler that gives `first` to the first `times` requests and hands the rest to `then`. */
export function firstThen(first: ReplayReply, then: ReplayHandler, times = 1): ReplayHandler {
  let served = 0;
  return (request) => (served++ < times ? first : then(request));
}

/** A handler that serves page files by the request's pageNo, such as "folder/page-01.json". */
export function pagesFrom(folder: string, digits: number): ReplayHandler {
  return (request) => ({ body: fixture(`${folder}/page-${(request.query.get('pageNo') ?? '1').padStart(digits, '0')}.json`) });
}

/** data.go.kr error bodies in the shapes the portal documents; they carry no observation values. */
export const dataGoKrErrors = {
  xml(code: string, authMessage: string): ReplayReply {
    return {
      contentType: 'text/xml;charset=UTF-8',
      body:
        '<OpenAPI_ServiceResponse>\n\t<cmmMsgHeader>\n\t\t<errMsg>SERVICE ERROR</errMsg>\n' +
        `\t\t<returnAuthMsg>${authMessage}</returnAuthMsg>\n\t\t<returnReasonCode>${code}</returnReasonCode>\n\t</cmmMsgHeader>\n</OpenAPI_ServiceResponse>`,
    };
  },
  bare(code: string, message: string): ReplayReply {
    return { body: JSON.stringify({ resultCode: code, resultMsg: message }) };
  },
};
