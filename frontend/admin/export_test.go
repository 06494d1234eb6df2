package admin

// AuditPageSize is the length of a page of the audit log, for the tests.
const AuditPageSize = auditPageSize
