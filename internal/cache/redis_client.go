package cache

import (
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis deadlines: every command answers within about redisTimeout or fails
// (as apperr.Unavailable, answered 503), so a frozen Redis costs a request
// that long rather than go-redis's defaults (3 s reads, 5 s dials, and a
// pool wait of 4 s on top). A URL's own read_timeout, write_timeout,
// dial_timeout or pool_timeout parameters win.
const redisTimeout = 1500 * time.Millisecond

// NewRedisClient returns a client for the redis:// URL with meet's deadlines.
func NewRedisClient(url string) (*redis.Client, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	for _, d := range []*time.Duration{&opts.ReadTimeout, &opts.WriteTimeout, &opts.DialTimeout, &opts.PoolTimeout} {
		if *d == 0 {
			*d = redisTimeout
		}
	}
	return redis.NewClient(opts), nil
}
