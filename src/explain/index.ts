export { explainPredicate, formatExplanation, predicateLabel, type ExplainNode } from './explain-event.js';
export { explainSequence, formatSequenceExplanation, type SequenceExplanation, type SequenceStep } from './explain-sequence.js';
