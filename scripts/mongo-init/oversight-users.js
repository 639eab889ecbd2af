// Run once by the mongo image on a new data volume (docker-entrypoint-initdb.d), as root.
// The application's user may read and write Oversight's own database, but on the audit trail
// (its own database, models/audit.ts) it may only add entries and read them: no update, no delete,
// no drop. An entry, once written, stays as it was.
/* global db, process */
const admin = db.getSiblingDB('admin');
admin.createRole({
  role: 'oversightAuditAppend',
  privileges: [
    {
      resource: { db: 'oversight_audit', collection: 'audit' },
      actions: ['find', 'insert', 'createCollection', 'createIndex', 'listIndexes'],
    },
  ],
  roles: [],
});
admin.createUser({
  user: 'oversight',
  pwd: process.env.MONGO_APP_PASSWORD,
  roles: [
    { role: 'readWrite', db: 'oversight' },
    { role: 'oversightAuditAppend', db: 'admin' },
  ],
});
