import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging/logger.js';
import { redactText, registerSecret } from '../src/logging/redact.js';

describe('redactText', () => {
  it('removes serviceKey query values', () => {
    const text = 'GET https://apis.data.go.kr/x?serviceKey=abc%2Bdef&pageNo=1 failed';
    expect(redactText(text)).toBe('GET https://apis.data.go.kr/x?serviceKey=[redacted]&pageNo=1 failed');
  });

  it('removes registered secrets in raw and encoded forms', () => {
    registerSecret('Seoul+Key/Secret=');
    const raw = redactText('http://host:8088/Seoul+Key/Secret=/json/TimeAverageAirQuality/1/5');
    const encoded = redactText('path Seoul%2BKey%2FSecret%3D end');
    expect(raw).not.toContain('Seoul+Key');
    expect(encoded).not.toContain('Seoul%2BKey');
    expect(encoded).toBe('path [redacted] end');
  });
});

describe('createLogger', () => {
  it('redacts secrets in logged errors and fields', async () => {
    registerSecret('TopSecretKey123');
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk) => chunks.push(String(chunk)));
    const logger = createLogger({ DUSTCAST_LOG_LEVEL: 'info', DUSTCAST_LOG_FORMAT: 'json' }, stream);
    logger.error({ err: new Error('request to /api?serviceKey=TopSecretKey123 failed'), serviceKey: 'TopSecretKey123' }, 'pull failed');
    logger.info({ url: 'x/TopSecretKey123/json' }, 'plain field');
    await new Promise((resolve) => setImmediate(resolve));
    const output = chunks.join('');
    expect(output).toContain('pull failed');
    expect(output).not.toContain('TopSecretKey123');
  });
});
