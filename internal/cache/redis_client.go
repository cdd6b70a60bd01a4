package cache

import (
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis deadlines: every command answers within about redisTimeout or fails
// (as apperr.Unavailable, answered 503), so a frozen Redis costs a request
// that long rather than go-redis's defaults (3 s reads, 5 s dials, and a
// pool wait of 4 s on top, and retries). A URL's own read_timeout,
// write_timeout, dial_timeout, pool_timeout or max_retries parameters win.
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
	// A command is tried once: go-redis would retry a timed-out read three
	// times and a refused dial five, multiplying the wait of a request
	// that meets a frozen or stopped Redis. The client retries instead,
	// after its 503.
	if opts.MaxRetries == 0 {
		opts.MaxRetries = -1
	}
	if opts.DialerRetries == 0 {
		opts.DialerRetries = 1
	}
	return redis.NewClient(opts), nil
}
