package httpapi_test

import (
	"testing"

	"meet/internal/storage/storagetest"
)

// TestMain lets storagetest drop this package's PostgreSQL test database when
// MEET_TEST_DATABASE_URL is set.
func TestMain(m *testing.M) { storagetest.Main(m) }
