package objectstore

import (
	"crypto/md5" //nolint:gosec // S3 ETags are MD5s; this is integrity checking, not security
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
)

// digest is what the stored object must match: the local file's size, its
// whole MD5 and SHA-256, and the ETag a multipart upload with partSize gets
// on AWS and MinIO (the MD5 of the parts' MD5s, a dash and the part count).
type digest struct {
	size      int64
	md5       string // hex
	sha256    []byte
	multipart string // "" when the upload is a single PUT
}

// digestFile reads path once and computes its digest for uploads in parts
// of partSize bytes (a single PUT when the file is no larger than that,
// as minio-go does).
func digestFile(path string, partSize int64) (digest, error) {
	f, err := os.Open(path)
	if err != nil {
		return digest{}, err
	}
	defer f.Close()
	whole, sum := md5.New(), sha256.New() //nolint:gosec
	part := md5.New()                     //nolint:gosec
	var parts []byte
	var n int64
	buf := make([]byte, 1<<20)
	inPart := int64(0)
	for {
		k, rerr := f.Read(buf)
		b := buf[:k]
		for len(b) > 0 {
			take := min(int64(len(b)), partSize-inPart)
			writeAll(b[:take], whole, sum, part)
			b, inPart, n = b[take:], inPart+take, n+take
			if inPart == partSize {
				parts, inPart = part.Sum(parts), 0
				part.Reset()
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return digest{}, rerr
		}
	}
	d := digest{size: n, md5: hex.EncodeToString(whole.Sum(nil)), sha256: sum.Sum(nil)}
	if n > partSize {
		count := int(n / partSize)
		if inPart > 0 {
			parts = part.Sum(parts)
			count++
		}
		composite := md5.Sum(parts) //nolint:gosec
		d.multipart = fmt.Sprintf("%s-%d", hex.EncodeToString(composite[:]), count)
	}
	return d, nil
}

func writeAll(b []byte, hs ...hash.Hash) {
	for _, h := range hs {
		h.Write(b) // hash.Hash writes never fail
	}
}

// sha256Base64 is the SHA-256 as S3's x-amz-checksum-sha256 spells it.
func (d digest) sha256Base64() string { return base64.StdEncoding.EncodeToString(d.sha256) }

// checkETag compares an object's ETag with the digest. Servers that store
// multipart objects whole (s3rver) answer the whole MD5, AWS and MinIO the
// multipart form; either matches. An ETag of neither shape (SSE-KMS, some
// gateways) cannot be compared and is accepted: ok is false then, and the
// size check stands alone.
func (d digest) checkETag(etag string) (ok bool, err error) {
	etag = strings.Trim(etag, `"`)
	if !looksLikeMD5ETag(etag) {
		return false, nil
	}
	if strings.EqualFold(etag, d.md5) || (d.multipart != "" && strings.EqualFold(etag, d.multipart)) {
		return true, nil
	}
	want := d.md5
	if d.multipart != "" {
		want += " or " + d.multipart
	}
	return false, fmt.Errorf("ETag %s does not match the local file (%s)", etag, want)
}

// looksLikeMD5ETag reports whether etag is 32 hex digits, optionally
// followed by -<part count>.
func looksLikeMD5ETag(etag string) bool {
	h, count, multi := strings.Cut(etag, "-")
	if len(h) != 32 {
		return false
	}
	if _, err := hex.DecodeString(h); err != nil {
		return false
	}
	if multi {
		if count == "" {
			return false
		}
		for _, c := range count {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}
