// Package files holds the files people upload to meet: today their custom
// virtual backgrounds (type background_image), as La Suite Meet's files/ API
// (§1.8 and §2.7 of the reference) keeps them.
//
// A file is made in three steps, the reference's: Create stores a pending
// row and hands out an upload grant (a signed, short-lived URL standing in
// for the reference's presigned S3 PUT); Upload receives the bytes through
// that grant, checks them by content (size, PNG/JPEG/WebP magic bytes and a
// decodable image header, mimetype allowed and matching the file name's
// extension) and stores them in the BlobStore; UploadEnded turns the file
// ready. A file that fails a check is removed with its row, so nothing is
// left half-stored. Every file is its creator's alone: anyone else is told it
// does not exist. Delete removes the bytes, then the row.
//
// It imports only the standard library, apperr and auth. Adapters (storage,
// objectstore, httpapi) import it, never the reverse.
package files
