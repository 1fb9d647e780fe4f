/** Numbers as people read them in command output: thousands separated, nouns agreeing with the count. */

const NUMBER = new Intl.NumberFormat('en-US');

/** `12345` → `12,345`. */
export const formatCount = (n: number): string => NUMBER.format(n);

/** `1 rule`, `2 rules`, `1,024 events`; `plural` forms other than an added `s` are given explicitly. */
export const plural = (n: number, singular: string, pluralForm = `${singular}s`): string => `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
