/**
 * ruleforge's embedding runtime: links compiled IR into matchers. Imports no npm package and nothing
 * from the compiler side, so services can embed it alone.
 */
export { linkPredicate, linkQuery, type LinkOptions, type Matcher } from './match/link.js';
export type { IrPredicate, IrQuery, ValueType } from '../ir/types.js';
export { IR_VERSION } from '../ir/types.js';
export { SequenceRunner, StreamClock, type SequenceMatch, type SequenceOptions, type SequenceStats } from './state/sequence.js';
export type { IrSequence, IrStage } from '../ir/types.js';
export { applyNullValues } from './load/index-time.js';
export { ReorderBuffer, type Timed } from './state/reorder.js';
export { findSamples, type SampleMatch, type SampleOptions } from './state/sample.js';
export { createEngine, partitionOf, type Engine, type EngineOptions, type EngineStats, type RuleStats, type SkipCounts, type SkipReason, type EngineProfile } from './engine/engine.js';
export { loadRules, loadRulesReport, checkArtifact, RuleLoadError, type RuleLoadReport } from './load/load-rules.js';
export { buildAlert, alertJson, alertReason, type Alert } from './alerts/alerts.js';
export { applyConstants, compileConstants, type ConstantFields } from './engine/constants.js';
export { DispatchIndex, findAnchor, findAnchors, libraryCommonness, type Anchor, type AnchorAtom, type Commonness } from './engine/dispatch.js';
export { eventInstant } from './state/event-time.js';
export { AlertSuppressor, createSuppressor, type AlertSuppressionSettings, type SuppressionTerm, type SuppressionStats, type SuppressorOverrides, type TermsMode } from './state/suppression.js';
export { ARTIFACT_VERSION, type RuleArtifact, type ArtifactRule, type ArtifactAlertSuppression } from '../ir/artifact.js';
export { alertJsonSchema } from './alerts/alert-schema.js';
export { Schedule, ExecutionClock, parseInterval, type Execution, type ScheduleSettings } from './state/schedule.js';
export { ThresholdRunner, thresholdSpec, type ThresholdBucket, type ThresholdOptions, type ThresholdSpec, type ThresholdStats, type ThresholdTrace } from './state/threshold.js';
export { NewTermsRunner, type NewTerm, type NewTermsOptions, type NewTermsSpec, type NewTermsStats, type NewTermsTrace, type NewTermsWarmup } from './state/new-terms.js';
export { buildThresholdAlert, buildNewTermsAlert } from './alerts/aggregate-alerts.js';
export type { ThresholdResult } from './alerts/alerts.js';
