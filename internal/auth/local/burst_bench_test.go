package local_test

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"meet/internal/apperr"
	"meet/internal/auth/local"
)

// peakHasher records the most Verify calls running at once.
type peakHasher struct {
	local.Hasher
	inFlight, peak atomic.Int64
}

func (p *peakHasher) Verify(pw, enc string) (bool, error) {
	n := p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	for m := p.peak.Load(); n > m && !p.peak.CompareAndSwap(m, n); m = p.peak.Load() {
	}
	return p.Hasher.Verify(pw, enc)
}

// BenchmarkLoginBurst30 fires 30 simultaneous logins with the production
// argon2id parameters (64 MiB each) and reports the most hashes that ran at
// once, how many attempts were shed, and the process's peak resident memory.
// "unbounded" gives every attempt a slot, as before hashes were bounded;
// "bounded" uses the slots a 512 MiB budget allows on this machine. Run each
// alone (-bench 'LoginBurst30/bounded') so that one's peak does not hide the
// other's.
func BenchmarkLoginBurst30(b *testing.B) {
	for _, c := range []struct {
		name  string
		slots int
	}{{"unbounded", 30}, {"bounded", local.HashSlots(512<<20, local.DefaultArgon2id())}} {
		b.Run(c.name, func(b *testing.B) {
			store := newFakeStore()
			if _, err := local.NewAccounts(store, local.DefaultArgon2id(), nil, nil).Add(context.Background(), "alice@example.com", "Alice", "wonderland"); err != nil {
				b.Fatal(err)
			}
			h := &peakHasher{Hasher: local.DefaultArgon2id()}
			a, err := local.NewAuthenticator(store, h, local.Limits{HashSlots: c.slots, HashWait: local.DefaultHashWait}, nil)
			if err != nil {
				b.Fatal(err)
			}
			base := rssKiB("VmRSS")
			var shed atomic.Int64
			for b.Loop() {
				var wg sync.WaitGroup
				start := make(chan struct{})
				for range 30 {
					wg.Go(func() {
						<-start
						if _, err := a.Login(context.Background(), "alice@example.com", "guess", "192.0.2.1"); apperr.Is(err, apperr.Throttled) {
							shed.Add(1)
						}
					})
				}
				close(start)
				wg.Wait()
			}
			b.ReportMetric(float64(c.slots), "slots")
			b.ReportMetric(float64(h.peak.Load()), "max-concurrent-hashes")
			b.ReportMetric(float64(shed.Load())/float64(b.N), "shed/burst")
			b.ReportMetric(float64(base)/1024, "rss-before-MiB")
			b.ReportMetric(float64(rssKiB("VmHWM"))/1024, "peak-rss-MiB")
		})
	}
}

// rssKiB reads a memory figure of this process from /proc (0 elsewhere).
func rssKiB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range bytes.Lines(b) {
		if f := bytes.Fields(line); len(f) >= 2 && string(f[0]) == field+":" {
			n, _ := strconv.ParseInt(string(f[1]), 10, 64)
			return n
		}
	}
	return 0
}
