import { evalDateMath, parseDate, isDateMath } from '../runtime/primitives/dates.js';
import { compileCidr, parseIp } from '../runtime/primitives/ip.js';
import { toBoolean, toNumber } from '../runtime/primitives/numbers.js';

/** The number a query value denotes on a numeric field, or undefined when Elasticsearch would reject it. */
export function numericValue(text: string): number | undefined {
  return toNumber(text);
}

/** The boolean a query value denotes on a boolean field (`true` / `false` only). */
export function booleanValue(text: string): boolean | undefined {
  if (text === '') return undefined;
  return toBoolean(text);
}

/** Why `text` is not a date Elasticsearch can parse (default format, or date math), or undefined when it is. */
export function checkDateValue(text: string): string | undefined {
  const ok = isDateMath(text) ? evalDateMath(text, Date.UTC(2000, 0, 1), false) !== undefined : parseDate(text, false) !== undefined;
  return ok ? undefined : `"${text}" is not a date (ISO 8601, epoch milliseconds, or date math such as now-1d/d).`;
}

/** Why `text` is not an IP address (or, where allowed, a CIDR block), or undefined when it is. */
export function checkIpValue(text: string, allowCidr: boolean): string | undefined {
  if (parseIp(text) !== undefined) return undefined;
  if (allowCidr && text.includes('/') && compileCidr(text) !== undefined) return undefined;
  return `"${text}" is not an IP address${allowCidr ? ' or CIDR block' : ''}.`;
}
