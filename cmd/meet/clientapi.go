package main

import (
	"context"

	"github.com/redis/go-redis/v9"

	"meet/internal/cache"
	"meet/internal/config"
	"meet/internal/httpapi"
	"meet/internal/livekit"
)

// wireClientAPI sets up the endpoints La Suite Meet's clients call besides
// rooms and sign-in: the room creation callbacks and the throttles of
// creation-callback/ and diagnostics/connection/ (shared by every replica
// through Redis when there is one), and the connection test. It returns the
// sweep loops of the in-memory stores, for run to start.
func wireClientAPI(cfg *config.Config, deps *httpapi.Deps, rdb *redis.Client, tokens *livekit.TokenIssuer) []func(context.Context) error {
	deps.ConnectionTest = &httpapi.ConnectionTest{Settings: cfg.ConnectionTest, Tokens: tokens}
	if rdb != nil {
		deps.CreationCallbacks = cache.NewCreationCallbacksRedis(rdb, "meet:room-creation-callback:")
		deps.Throttle = cache.NewLimiterRedis(rdb, "meet:throttle:")
		return nil
	}
	callbacks, limiter := cache.NewCreationCallbacksMemory(nil), cache.NewLimiterMemory(nil)
	deps.CreationCallbacks, deps.Throttle = callbacks, limiter
	return []func(context.Context) error{callbacks.Run, limiter.Run}
}
