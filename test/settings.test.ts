import { describe, expect, it } from 'vitest';
import { parseSettings, SettingsError } from '../src/config/settings.js';

describe('parseSettings', () => {
  it('applies defaults for an empty environment', () => {
    const settings = parseSettings({});
    expect(settings.DUSTCAST_DATABASE_PATH).toBe('var/dustcast.sqlite');
    expect(settings.DUSTCAST_HORIZONS).toEqual([1, 3, 6, 12, 24]);
    expect(settings.DUSTCAST_TF_BACKEND).toBe('auto');
    expect(settings.DUSTCAST_DASHBOARD_HOST).toBe('127.0.0.1');
  });

  it('coerces numbers and lists from strings', () => {
    const settings = parseSettings({ DUSTCAST_EPOCHS: '7', DUSTCAST_HORIZONS: '1, 6', DUSTCAST_SCHEDULES_ENABLED: 'no' });
    expect(settings.DUSTCAST_EPOCHS).toBe(7);
    expect(settings.DUSTCAST_HORIZONS).toEqual([1, 6]);
    expect(settings.DUSTCAST_SCHEDULES_ENABLED).toBe(false);
  });

  it('names every invalid variable with its value', () => {
    let caught: unknown;
    try {
      parseSettings({ DUSTCAST_EPOCHS: 'ten', DUSTCAST_HORIZONS: '1,x', DUSTCAST_TF_BACKEND: 'gpu' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    const message = (caught as SettingsError).message;
    expect(message).toContain('DUSTCAST_EPOCHS="ten"');
    expect(message).toContain('DUSTCAST_HORIZONS="1,x"');
    expect(message).toContain('DUSTCAST_TF_BACKEND="gpu"');
    expect((caught as SettingsError).problems).toHaveLength(3);
    expect(message).toContain('expected a whole number from 1 to 1000');
    expect(message).toContain('expected one of auto, node, wasm, cpu');
    expect(message).toContain('fix it in the environment or in .env');
  });

  it('hides secret values in errors', () => {
    expect(() => parseSettings({ AIRKOREA_BASE_URL: 'not a url', SEOUL_OPEN_API_KEY: 'abc' })).toThrow(/AIRKOREA_BASE_URL="not a url"/);
    try {
      parseSettings({}, { DUSTCAST_DASHBOARD_PASSWORD: 42 as unknown as string });
    } catch (error) {
      expect((error as Error).message).toContain('DUSTCAST_DASHBOARD_PASSWORD=(hidden)');
      expect((error as Error).message).not.toContain('42');
    }
  });
});
