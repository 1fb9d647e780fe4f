import { simplifyPredicate } from '../../ir/simplify.js';
import type { IrPredicate, IrQuery, IrStage, IrValue } from '../../ir/types.js';

/** Every field path a predicate reads (nested paths joined to their parent), for the IR's `fields` list. */
export function predicateFields(p: IrPredicate, prefix = '', out = new Set<string>()): Set<string> {
  switch (p.kind) {
    case 'const':
      break;
    case 'and':
    case 'or':
      p.args.forEach((a) => predicateFields(a, prefix, out));
      break;
    case 'not':
      predicateFields(p.arg, prefix, out);
      break;
    case 'nested':
      out.add(prefix + p.path);
      predicateFields(p.query, `${prefix}${p.path}.`, out);
      break;
    case 'freeText':
      break;
    case 'expr':
      valueFields(p.expr, out);
      break;
    default:
      out.add(prefix + p.field);
  }
  return out;
}

function valueFields(v: IrValue, out: Set<string>): void {
  switch (v.v) {
    case 'field':
      out.add(v.field);
      break;
    case 'call':
      v.args.forEach((a) => valueFields(a, out));
      break;
    case 'arith':
    case 'compare':
      valueFields(v.left, out);
      valueFields(v.right, out);
      break;
    case 'neg':
    case 'not':
      valueFields(v.operand, out);
      break;
    case 'in':
      valueFields(v.subject, out);
      v.values.forEach((a) => valueFields(a, out));
      break;
    case 'pattern':
      valueFields(v.subject, out);
      break;
    case 'and':
    case 'or':
      v.args.forEach((a) => valueFields(a, out));
      break;
    default:
      break;
  }
}

/**
 * The query with its exceptions subtracted, as Kibana runs it: `query and not (item1 or item2 ...)`. For EQL
 * Kibana passes the exception filter as the `filter` of `_eql/search`, so an excepted event is never seen by
 * the sequence at all: every stage (missing-event stages and `until` included) gets the same `and not`, and so
 * does the pre-filter predicate that the engine and its dispatch index use. Nothing new reaches the runtime:
 * the result is ordinary IR, which every rule type links the same way.
 */
export function subtractExceptions(ir: IrQuery, exceptions: IrPredicate): IrQuery {
  const keep: IrPredicate = simplifyPredicate({ kind: 'not', arg: exceptions });
  const guard = (p: IrPredicate): IrPredicate => simplifyPredicate({ kind: 'and', args: [p, keep] });
  const guardStage = (s: IrStage): IrStage => ({ ...s, predicate: guard(s.predicate) });
  const out: IrQuery = { ...ir, predicate: guard(ir.predicate) };
  if (ir.sequence) {
    out.sequence = { ...ir.sequence, stages: ir.sequence.stages.map(guardStage) };
    if (ir.sequence.until) out.sequence.until = guardStage(ir.sequence.until);
  }
  if (ir.sample) out.sample = { ...ir.sample, stages: ir.sample.stages.map(guardStage) };
  out.fields = [...new Set([...ir.fields, ...predicateFields(exceptions)])].sort();
  return out;
}
