/**
 * The `time_zone` for a date query on `value`, or undefined when none applies: none without a configured
 * zone, and none for epoch values (all digits), which are absolute instants. `Browser` is the local zone.
 */
export function timeZoneFor(value: unknown, dateFormatTZ: string | undefined): string | undefined {
  if (!dateFormatTZ) return undefined;
  const isEpoch = typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));
  if (isEpoch) return undefined;
  return dateFormatTZ === 'Browser' ? Intl.DateTimeFormat().resolvedOptions().timeZone : dateFormatTZ;
}
