/** Korean PM2.5 grades in µg/m³: 좋음 0-15, 보통 16-35, 나쁨 36-75, 매우나쁨 76 and above. */
export const pm25Grades = [
  { label: '좋음', english: 'good', from: 0, to: 15, color: '#2d7ff9' },
  { label: '보통', english: 'moderate', from: 16, to: 35, color: '#20a05a' },
  { label: '나쁨', english: 'bad', from: 36, to: 75, color: '#f2a900' },
  { label: '매우나쁨', english: 'very bad', from: 76, to: Number.POSITIVE_INFINITY, color: '#e0412f' },
] as const;

/** Returns the grade of a PM2.5 value. The bands are whole numbers, so the value is rounded first. */
export function gradeOf(pm25: number): (typeof pm25Grades)[number] {
  const rounded = Math.round(pm25);
  return pm25Grades.find((grade) => rounded <= grade.to) ?? pm25Grades[pm25Grades.length - 1];
}
