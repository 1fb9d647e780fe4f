import type { IrPredicate, IrTerm, IrTerms } from './types.js';

function sameTermKey(a: IrTerm | IrTerms, b: IrTerm | IrTerms): boolean {
  return a.field === b.field && a.type === b.type && Boolean(a.caseInsensitive) === Boolean(b.caseInsensitive);
}

function termValues(p: IrTerm | IrTerms): (string | number | boolean)[] {
  return p.kind === 'term' ? [p.value] : p.values;
}

// Dates and IPs match ranges (rounding, CIDR blocks), so only plain values merge into a set.
const SET_TYPES = new Set(['keyword', 'number', 'integer', 'boolean']);

/**
 * Meaning-preserving clean-ups: flattens nested and/or, folds constants, removes double negation, and merges
 * `or`ed equalities on one field into a single set look-up (`event.action: (A or B or C)`).
 */
export function simplifyPredicate(p: IrPredicate): IrPredicate {
  switch (p.kind) {
    case 'not': {
      const arg = simplifyPredicate(p.arg);
      if (arg.kind === 'not') return arg.arg;
      if (arg.kind === 'const') return { kind: 'const', value: !arg.value };
      return { kind: 'not', arg };
    }
    case 'and':
    case 'or': {
      const absorbing = p.kind === 'or';
      const args: IrPredicate[] = [];
      for (const raw of p.args) {
        const arg = simplifyPredicate(raw);
        if (arg.kind === 'const') {
          if (arg.value === absorbing) return arg;
          continue;
        }
        if (arg.kind === p.kind) args.push(...arg.args);
        else args.push(arg);
      }
      if (p.kind === 'or') mergeTerms(args);
      if (args.length === 0) return { kind: 'const', value: !absorbing };
      if (args.length === 1) return args[0];
      return { kind: p.kind, args };
    }
    case 'nested':
      return { ...p, query: simplifyPredicate(p.query) };
    default:
      return p;
  }
}

/** Merges equalities on the same field (in place), keeping the first one's position. */
function mergeTerms(args: IrPredicate[]): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if ((a.kind !== 'term' && a.kind !== 'terms') || !SET_TYPES.has(a.type)) continue;
    const values = [...termValues(a)];
    for (let j = i + 1; j < args.length; ) {
      const b = args[j];
      if ((b.kind === 'term' || b.kind === 'terms') && sameTermKey(a, b)) {
        values.push(...termValues(b));
        args.splice(j, 1);
      } else j++;
    }
    if (values.length > 1) {
      const merged: IrTerms = { kind: 'terms', field: a.field, type: a.type, values: [...new Set(values)] };
      if (a.caseInsensitive) merged.caseInsensitive = true;
      args[i] = merged;
    }
  }
}
