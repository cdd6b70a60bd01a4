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
// rooms and sign-in: the room creation callbacks (shared by every replica
// through Redis when there is one) and the connection test; their throttles
// use deps.Limiter. It returns the sweep loop of the in-memory store, for
// run to start.
func wireClientAPI(cfg *config.Config, deps *httpapi.Deps, rdb *redis.Client, tokens *livekit.TokenIssuer) []func(context.Context) error {
	deps.ConnectionTest = &httpapi.ConnectionTest{Settings: cfg.ConnectionTest, Tokens: tokens}
	if rdb != nil {
		deps.CreationCallbacks = cache.NewCreationCallbacksRedis(rdb, "meet:room-creation-callback:")
		return nil
	}
	callbacks := cache.NewCreationCallbacksMemory(nil)
	deps.CreationCallbacks = callbacks
	return []func(context.Context) error{callbacks.Run}
}
