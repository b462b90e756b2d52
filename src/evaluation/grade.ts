/** Korean PM2.5 forecast grades (µg/m³, upper bounds inclusive): 좋음, 보통, 나쁨, 매우나쁨. */
export const PM25_GRADES = [
  { name: '좋음', upper: 15 },
  { name: '보통', upper: 35 },
  { name: '나쁨', upper: 75 },
  { name: '매우나쁨', upper: Infinity },
] as const;

/**
 * Returns the grade index 0..3 of a PM2.5 concentration, judged on the value rounded to an
 * integer, so 15.4 is 좋음 and 15.5 is 보통. Negative model outputs count as 좋음.
 */
export function pm25GradeIndex(value: number): number {
  const rounded = Math.round(value);
  for (let index = 0; index < PM25_GRADES.length; index += 1) {
    if (rounded <= PM25_GRADES[index].upper) return index;
  }
  return PM25_GRADES.length - 1;
}
