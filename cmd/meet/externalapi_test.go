package main

import (
	"bytes"
	"testing"

	"meet/internal/config"
	"meet/internal/httpapi"
	"meet/internal/storage/storagetest"
)

func TestWireExternalAPI(t *testing.T) {
	db := storagetest.Open(t)
	load := func(env map[string]string) *config.Config {
		t.Helper()
		cfg, err := config.Load("meet", nil, func(k string) string { return env[k] }, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	const secret = "instance-secret-key-0123456789abcdef"

	var deps httpapi.Deps
	wireExternalAPI(load(nil), &deps, db, nil, secret)
	if deps.External != nil {
		t.Fatal("external API on by default")
	}

	wireExternalAPI(load(map[string]string{"MEET_EXTERNAL_API_ENABLED": "true", "MEET_APPLICATION_ALLOW_USER_CREATION": "true"}), &deps, db, nil, secret)
	o := deps.External.Options()
	if string(o.SigningKey) == secret || len(o.SigningKey) != 32 || !bytes.Equal(o.SigningKey, tokenSigningKey(secret)) {
		t.Fatalf("derived signing key %x", o.SigningKey)
	}
	if o.AllowUserCreation || o.Issuer != "lasuite-meet" || o.DefaultAccessLevel != "trusted" || deps.ExternalTokenPerMinute != 60 {
		t.Fatalf("options %+v, %d per minute: user creation needs OIDC e-mail fallback", o, deps.ExternalTokenPerMinute)
	}
	if bytes.Equal(tokenSigningKey(secret), tokenSigningKey(secret+"x")) {
		t.Fatal("the derived key does not depend on the secret key")
	}

	wireExternalAPI(load(map[string]string{"MEET_EXTERNAL_API_ENABLED": "true", "MEET_APPLICATION_ALLOW_USER_CREATION": "true",
		"MEET_OIDC_FALLBACK_TO_EMAIL": "true", "MEET_APPLICATION_JWT_SECRET_KEY": "explicit-signing-key-0123456789abcdef"}), &deps, db, nil, secret)
	if o := deps.External.Options(); string(o.SigningKey) != "explicit-signing-key-0123456789abcdef" || !o.AllowUserCreation {
		t.Fatalf("options %+v", o)
	}
}
