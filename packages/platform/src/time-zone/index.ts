/**
 * The plant's time zone, in one place for every service, the device bridge and the labels.
 * Dependency-free, so the console's browser bundle can import it with the label code.
 */

/** The plant's zone when none is configured: the reference plant is in Colombo (Seeduwa). */
export const DEFAULT_PLANT_TIME_ZONE = 'Asia/Colombo';

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
