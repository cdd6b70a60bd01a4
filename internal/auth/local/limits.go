package local

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"strings"
	"time"

	"meet/internal/apperr"
)

// Limiter counts requests per key in a sliding window (cache.LimiterMemory,
// cache.LimiterRedis: the one limiter of meet, shared with the lobby). Allow
// records one request and reports whether it fits in limit requests per
// window; when it does not, wait is how long until one more would fit, and
// the refused request is not recorded. Errors are apperr.Unavailable when the
// limiter's store is unreachable.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (ok bool, wait time.Duration, err error)
}

// Rate is a number of attempts per window. A Limit below one means no limit.
type Rate struct {
	Limit  int
	Window time.Duration
}

// Limits bound what login attempts may cost.
//
// Attempts are counted per client bucket (an IPv4 address or an IPv6 /64),
// per e-mail address and client bucket, and per e-mail address from
// everywhere. The last is the global back-off against guessing one account
// from many addresses; it is set well above what one client bucket can spend
// (PerAccountClient), so a stranger at one address cannot lock the real user
// out: only an attacker holding PerAccount/PerAccountClient client buckets
// can.
//
// Password hashes (argon2id, 64 MiB each by default) run at most HashSlots
// at a time; an attempt that finds no free slot within HashWait, or whose
// client goes away while waiting, is shed with 429 before any hashing.
type Limits struct {
	Limiter          Limiter // nil: no rate limits (tests)
	PerClient        Rate
	PerAccountClient Rate
	PerAccount       Rate
	HashSlots        int           // concurrent hashes; below one means one
	HashWait         time.Duration // longest wait for a hash slot
}

// Default login limits: 10 attempts a minute per client bucket, 5 a minute
// per e-mail address and client bucket, 50 a minute per e-mail address from
// everywhere (ten client buckets' worth), and a one-second wait for a hash
// slot.
const (
	DefaultPerClient        = 10
	DefaultPerAccountClient = 5
	DefaultPerAccount       = 50
	DefaultHashWait         = time.Second
)

// DefaultLimits returns the default rates over limiter, with hashSlots
// concurrent hashes (see HashSlots).
func DefaultLimits(limiter Limiter, hashSlots int) Limits {
	return Limits{
		Limiter:          limiter,
		PerClient:        Rate{DefaultPerClient, time.Minute},
		PerAccountClient: Rate{DefaultPerAccountClient, time.Minute},
		PerAccount:       Rate{DefaultPerAccount, time.Minute},
		HashSlots:        hashSlots,
		HashWait:         DefaultHashWait,
	}
}

// HashSlots is how many hashes of h may run at once within a memory budget
// (bytes): as many as fit, at least one, and no more than GOMAXPROCS, since
// hashing is CPU-bound and more at once only adds memory and latency.
func HashSlots(budget int64, h Argon2id) int {
	per := int64(h.Memory) * 1024
	n := 1
	if per > 0 && budget/per > 1 {
		n = int(budget / per)
	}
	return max(1, min(n, runtime.GOMAXPROCS(0)))
}

// throttle records an attempt under key and turns a refusal into the
// reference's throttled error (with the wait for Retry-After).
func (a *Authenticator) throttle(ctx context.Context, key string, r Rate) error {
	if a.limits.Limiter == nil || r.Limit < 1 {
		return nil
	}
	ok, wait, err := a.limits.Limiter.Allow(ctx, key, r.Limit, r.Window)
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	return apperr.Throttle(wait)
}

// checkRates counts one attempt against each of the login rates, the
// client's first so that a client over its budget spends nothing of the
// account's.
func (a *Authenticator) checkRates(ctx context.Context, email, client string) error {
	account := accountKey(email)
	if err := a.throttle(ctx, "login:client:"+client, a.limits.PerClient); err != nil {
		return err
	}
	if err := a.throttle(ctx, "login:account-client:"+account+":"+client, a.limits.PerAccountClient); err != nil {
		return err
	}
	return a.throttle(ctx, "login:account:"+account, a.limits.PerAccount)
}

// accountKey names an e-mail address in limiter keys: a digest of its lower
// case, so keys have a bounded length and the limiter's store holds no
// addresses.
func accountKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(sum[:16])
}

// hashGate bounds the password hashes running at once.
type hashGate struct {
	slots chan struct{}
	wait  time.Duration
}

func newHashGate(slots int, wait time.Duration) *hashGate {
	return &hashGate{slots: make(chan struct{}, max(1, slots)), wait: wait}
}

// errHashBusy sheds an attempt that found no free hash slot in time.
func errHashBusy() error { return apperr.Throttle(time.Second) }

// acquire takes a slot, waiting at most g.wait and never past ctx. It
// returns the release function, or a Throttled error when the attempt is
// shed: no slot in time, or the client left (ctx ended), in which case no
// hash may start for it.
func (g *hashGate) acquire(ctx context.Context) (func(), error) {
	if ctx.Err() != nil {
		return nil, errHashBusy()
	}
	select {
	case g.slots <- struct{}{}:
	default:
		t := time.NewTimer(g.wait)
		defer t.Stop()
		select {
		case g.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, errHashBusy()
		case <-t.C:
			return nil, errHashBusy()
		}
	}
	release := func() { <-g.slots }
	// Both a slot and the end of ctx may have been ready; a gone client
	// gets no hash either way.
	if ctx.Err() != nil {
		release()
		return nil, errHashBusy()
	}
	return release, nil
}
