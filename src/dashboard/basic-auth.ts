import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  // Hashing first gives equal-length buffers, which timingSafeEqual requires.
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Express middleware that requires HTTP basic auth with this user and password on every route. */
export function basicAuth(user: string, password: string) {
  const expectedUser = digest(user);
  const expectedPassword = digest(password);
  return (request: Request, response: Response, next: NextFunction) => {
    const header = request.headers.authorization ?? '';
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    if (match) {
      const decoded = Buffer.from(match[1], 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      const givenUser = separator >= 0 ? decoded.slice(0, separator) : decoded;
      const givenPassword = separator >= 0 ? decoded.slice(separator + 1) : '';
      const userMatches = timingSafeEqual(digest(givenUser), expectedUser);
      const passwordMatches = timingSafeEqual(digest(givenPassword), expectedPassword);
      if (userMatches && passwordMatches) {
        next();
        return;
      }
    }
    response.setHeader('WWW-Authenticate', 'Basic realm="dustcast", charset="UTF-8"');
    response.status(401).type('text/plain').send('Authentication required: log in with the dashboard user and DUSTCAST_DASHBOARD_PASSWORD.\n');
  };
}
