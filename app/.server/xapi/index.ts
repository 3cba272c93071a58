/**
 * xAPI statements for graded attempts: building them (statement.ts, pure), reading the graded
 * attempts they are made of (graded-attempts.ts), the scoped download (download.ts), and the queue
 * and sender to a learning record store (lrs.ts). Importers use this module only.
 */
export { downloadCondition, type Period, statementPages, statementsStream } from "./download";
export { gradedAttempts } from "./graded-attempts";
export {
  type LrsConfig,
  lrsConfig,
  queueStatements,
  type SendReport,
  sendPendingStatements,
  type XapiStatus,
  xapiStatus,
} from "./lrs";
export {
  buildStatement,
  type GradedAttempt,
  isoDuration,
  plainSummary,
  statementId,
  uuidV5,
  XAPI_VERSION,
  type XapiStatement,
} from "./statement";
