/** Eastward (u) and northward (v) wind components in m/s. */
export interface WindComponents {
  u: number;
  v: number;
}

/**
 * Converts a wind speed (m/s) and the direction it blows from (degrees clockwise from north,
 * as KMA reports it) to u/v components, so 359° and 1° become neighbours. A calm (speed 0) is
 * (0, 0) whatever the direction value, including a missing direction. A missing speed, or a
 * missing direction with a non-zero speed, gives NaN components.
 */
export function windComponents(speed: number | null, directionDegrees: number | null): WindComponents {
  if (speed === null || !Number.isFinite(speed)) return { u: Number.NaN, v: Number.NaN };
  if (speed === 0) return { u: 0, v: 0 };
  if (directionDegrees === null || !Number.isFinite(directionDegrees)) return { u: Number.NaN, v: Number.NaN };
  const radians = (directionDegrees * Math.PI) / 180;
  // Wind from the north (0°) blows southward, so v is negative.
  return { u: -speed * Math.sin(radians), v: -speed * Math.cos(radians) };
}
