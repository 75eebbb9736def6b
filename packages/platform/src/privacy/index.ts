export * from './declaration.js';
export { Masker, personalStrings, redactKeys } from './mask.js';
export { listTables, primaryKey, tableColumns, isJsonType, parseJsonValue, type ColumnInfo } from './introspect.js';
export { eraseSubject, exportSubject, type SubjectErasure, type SubjectExport } from './subject.js';
export * from './routes.js';
export { maskDatabase, type MaskReport, type MaskOptions } from './copy.js';
export { positiveInteger, startRetention } from './retention.js';
