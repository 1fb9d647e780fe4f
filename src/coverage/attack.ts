import { ATTACK_SOURCE, ATTACK_TACTICS, ATTACK_TECHNIQUES, ATTACK_VERSION } from '../generated/attack-matrix.js';
import type { AttackTactic, AttackTechnique } from './attack-types.js';

export type { AttackTactic, AttackTechnique } from './attack-types.js';
export { ATTACK_SOURCE, ATTACK_TACTICS, ATTACK_TECHNIQUES, ATTACK_VERSION };

const TACTIC_BY_ID = new Map(ATTACK_TACTICS.map((t) => [t.id, t]));
const TACTIC_BY_SHORTNAME = new Map(ATTACK_TACTICS.map((t) => [t.shortname, t]));
const TECHNIQUE_BY_ID = new Map(ATTACK_TECHNIQUES.map((t) => [t.id, t]));

/** The tactic with ATT&CK id `id` (TA0001), if the bundled release has it. */
export const tacticById = (id: string): AttackTactic | undefined => TACTIC_BY_ID.get(id);
/** The tactic with kill-chain short name `name` (initial-access). */
export const tacticByShortname = (name: string): AttackTactic | undefined => TACTIC_BY_SHORTNAME.get(name);
/** The technique or sub-technique with id `id` (T1078, T1078.004). */
export const techniqueById = (id: string): AttackTechnique | undefined => TECHNIQUE_BY_ID.get(id);

/** Current (not retired) top-level techniques of a tactic, by id. */
export function techniquesOfTactic(shortname: string): AttackTechnique[] {
  return ATTACK_TECHNIQUES.filter((t) => !t.retired && !t.id.includes('.') && t.tactics.includes(shortname));
}

/** Current sub-techniques of a technique. */
export function subtechniquesOf(id: string): AttackTechnique[] {
  return ATTACK_TECHNIQUES.filter((t) => !t.retired && t.id.startsWith(`${id}.`));
}
