import { Connection, Schema } from 'mongoose';
import { GridFSBucket } from 'mongodb';

/**
 * Documents kept with a case: the bytes in GridFS (bucket `documents`: `documents.files` and
 * `documents.chunks`, on MongoDB and FerretDB alike), the facts about each in its GridFS file's
 * `metadata` (written by the driver only once the last chunk is in: an upload that dies leaves
 * no file, only chunks, which nothing lists), and one row per document version in
 * `case_documents`, keyed `<reference>|<uploaded at>|<file id>`, so a case's documents are an
 * `_id` range. The row is written last: a document is listed only once it is whole.
 */
const caseDocumentSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The GridFS file's id (hex): the document version's public id. */
    fileId: { type: String, required: true },
    /** The first version's file id: every version of one document shares it. */
    documentId: { type: String, required: true },
    version: { type: Number, required: true },
    caseType: { type: String, required: true },
    reference: { type: String, required: true },
    kind: { type: String, required: true },
    note: String,
    filename: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    uploadedBy: { type: new Schema({ id: String, name: String, role: String }, { _id: false }), required: true },
    uploadedAt: { type: Date, required: true },
    /** A letter generated from the case (api/letters): which, in which format, from which template version. */
    letter: { type: new Schema({ kind: String, format: String, template: String, version: String }, { _id: false }), default: undefined },
  },
  { versionKey: false },
);

export function caseDocumentModel(connection: Connection) {
  return connection.model('CaseDocument', caseDocumentSchema, 'case_documents');
}

export type CaseDocumentModel = ReturnType<typeof caseDocumentModel>;

/** The bucket the bytes are in. */
export function documentBucket(connection: Connection): GridFSBucket {
  return new GridFSBucket(connection.db!, { bucketName: 'documents' });
}
