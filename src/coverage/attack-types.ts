/** One ATT&CK tactic (a matrix column). */
export interface AttackTactic {
  id: string;
  /** The kill-chain phase name techniques refer to, e.g. `initial-access`. */
  shortname: string;
  name: string;
  summary: string;
}

/** One ATT&CK technique or sub-technique (`T1078.004`). */
export interface AttackTechnique {
  id: string;
  name: string;
  summary: string;
  /** Short names of the tactics it serves. */
  tactics: string[];
  platforms: string[];
  /** Deprecated or revoked in this release. */
  retired?: true;
}
