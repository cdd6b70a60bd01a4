package files

import (
	"strconv"
	"testing"
	"time"
)

func TestGrant(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := NewService(nil, nil, Options{SigningKey: []byte("key"), Now: func() time.Time { return now }})
	g := s.grant("f1")
	exp := strconv.FormatInt(g.Expires, 10)
	if g.Expires != now.Add(time.Minute).Unix() || g.FileID != "f1" {
		t.Fatalf("grant = %+v", g)
	}
	if !s.verify("f1", exp, g.Signature) {
		t.Fatal("a fresh grant does not verify")
	}
	for name, ok := range map[string]bool{
		"other file":      s.verify("f2", exp, g.Signature),
		"later expiry":    s.verify("f1", strconv.FormatInt(g.Expires+60, 10), g.Signature),
		"bad expiry":      s.verify("f1", "soon", g.Signature),
		"bad signature":   s.verify("f1", exp, g.Signature[:len(g.Signature)-1]+"0"),
		"other key":       NewService(nil, nil, Options{SigningKey: []byte("other"), Now: s.opts.Now}).verify("f1", exp, g.Signature),
		"no key":          NewService(nil, nil, Options{Now: s.opts.Now}).verify("f1", exp, g.Signature),
		"empty signature": s.verify("f1", exp, ""),
	} {
		if ok {
			t.Errorf("%s: verified", name)
		}
	}
	now = now.Add(time.Minute)
	if !s.verify("f1", exp, g.Signature) {
		t.Error("refused at its last second")
	}
	now = now.Add(time.Second)
	if s.verify("f1", exp, g.Signature) {
		t.Error("verified after it expired")
	}
}
