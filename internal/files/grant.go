package files

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Grant lets whoever holds it send one file's bytes until Expires (Unix
// seconds): meet's counterpart of the reference's presigned PUT URL, which
// works the same with a local directory and with object storage. The HTTP
// layer turns it into the create reply's "policy" URL.
type Grant struct {
	FileID    string
	Expires   int64
	Signature string
}

func (s *Service) grant(id string) Grant {
	exp := s.opts.Now().Add(s.opts.GrantTTL).Unix()
	return Grant{FileID: id, Expires: exp, Signature: s.sign(id, exp)}
}

func (s *Service) sign(id string, exp int64) string {
	m := hmac.New(sha256.New, s.opts.SigningKey)
	m.Write([]byte("file-upload\x00" + id + "\x00" + strconv.FormatInt(exp, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

// verify reports whether signature grants an upload of id until expires,
// and that moment has not passed. Without a signing key nothing verifies.
func (s *Service) verify(id, expires, signature string) bool {
	exp, err := strconv.ParseInt(expires, 10, 64)
	if err != nil || len(s.opts.SigningKey) == 0 || s.opts.Now().Unix() > exp {
		return false
	}
	return hmac.Equal([]byte(signature), []byte(s.sign(id, exp)))
}
