import { describe, expect, it } from 'vitest';
import { iso, isoTime } from './iso';

describe('isoTime', () => {
  it('writes exactly what Date#toISOString writes', () => {
    const samples = [
      0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, -1, -86_400_001, Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29, 12, 0, 0, 5), Date.UTC(2027, 2, 1, 14, 0, 0, 0), Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1), Date.UTC(-1, 0, 1, 1, 2, 3, 4), 8.64e15, -8.64e15, 1.5, -1.5, 1e12 + 0.999,
    ];
    // And a walk over ten years in uneven steps, so every hour, minute, second and millisecond shows up.
    for (let ms = Date.UTC(2020, 0, 1), step = 7_777_777; ms < Date.UTC(2030, 0, 1); ms += step) samples.push(ms, ms + 61_001, ms - 3_599_999);
    for (const ms of samples) expect(isoTime(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('throws on times that are not times, as Date does', () => {
    for (const bad of [Number.NaN, Infinity, 8.64e15 + 1]) expect(() => isoTime(bad)).toThrow(RangeError);
  });

  it('keeps null as null', () => {
    expect(iso(null)).toBeNull();
    expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});
