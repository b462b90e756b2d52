import { describe, expect, it } from 'vitest';
import { parseSettings, SettingsError } from '../src/config/settings.js';

describe('model settings', () => {
  it('defaults targets to PM2.5 and PM10', () => {
    expect(parseSettings({}).DUSTCAST_TARGETS).toEqual(['pm25', 'pm10']);
  });

  it('parses a target list', () => {
    expect(parseSettings({ DUSTCAST_TARGETS: 'pm25' }).DUSTCAST_TARGETS).toEqual(['pm25']);
  });

  it('rejects targets without pm25', () => {
    expect(() => parseSettings({ DUSTCAST_TARGETS: 'pm10' })).toThrow(SettingsError);
    expect(() => parseSettings({ DUSTCAST_TARGETS: 'pm10' })).toThrow(/DUSTCAST_TARGETS="pm10"/);
  });

  it('rejects unknown targets', () => {
    expect(() => parseSettings({ DUSTCAST_TARGETS: 'pm25,o3' })).toThrow(/DUSTCAST_TARGETS/);
  });

  it('rejects a forced backend outside the list', () => {
    expect(() => parseSettings({ DUSTCAST_TF_BACKEND: 'webgl' })).toThrow(/DUSTCAST_TF_BACKEND="webgl"/);
  });
});
