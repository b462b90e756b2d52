/**
 * KMA's forecast grid: a Lambert conformal conic projection of a sphere with radius 6371.00877 km,
 * standard parallels 30° N and 60° N, origin 38° N 126° E at grid cell (43, 136), and 5 km cells.
 * These constants are the ones KMA publishes with its village forecast API guide.
 */
const EARTH_RADIUS_KM = 6371.00877;
const GRID_SPACING_KM = 5.0;
const STANDARD_PARALLEL_1 = 30.0;
const STANDARD_PARALLEL_2 = 60.0;
const ORIGIN_LONGITUDE = 126.0;
const ORIGIN_LATITUDE = 38.0;
const ORIGIN_X = 43;
const ORIGIN_Y = 136;

/** A cell of the KMA forecast grid (nx, ny in the API). */
export interface GridPoint {
  nx: number;
  ny: number;
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;
const quarterPi = Math.PI / 4;

/** Converts latitude and longitude in degrees to the KMA grid cell that contains them. */
export function latitudeLongitudeToGrid(latitude: number, longitude: number): GridPoint {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) >= 90) {
    throw new Error(`invalid coordinates ${latitude}, ${longitude}: expected latitude and longitude in degrees`);
  }
  const radiusInCells = EARTH_RADIUS_KM / GRID_SPACING_KM;
  const parallel1 = radians(STANDARD_PARALLEL_1);
  const parallel2 = radians(STANDARD_PARALLEL_2);

  // Cone constant n and scale F of the two-standard-parallel Lambert conformal projection.
  const cone =
    Math.log(Math.cos(parallel1) / Math.cos(parallel2)) /
    Math.log(Math.tan(quarterPi + parallel2 / 2) / Math.tan(quarterPi + parallel1 / 2));
  const scale = (Math.tan(quarterPi + parallel1 / 2) ** cone * Math.cos(parallel1)) / cone;
  const originDistance = (radiusInCells * scale) / Math.tan(quarterPi + radians(ORIGIN_LATITUDE) / 2) ** cone;
  const pointDistance = (radiusInCells * scale) / Math.tan(quarterPi + radians(latitude) / 2) ** cone;

  let angle = radians(longitude) - radians(ORIGIN_LONGITUDE);
  if (angle > Math.PI) angle -= 2 * Math.PI;
  if (angle < -Math.PI) angle += 2 * Math.PI;
  angle *= cone;

  return {
    nx: Math.floor(pointDistance * Math.sin(angle) + ORIGIN_X + 0.5),
    ny: Math.floor(originDistance - pointDistance * Math.cos(angle) + ORIGIN_Y + 0.5),
  };
}
