package main

import (
	"bufio"
	"bytes"
	"context"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"meet/internal/auth/local"
	"meet/internal/cache"
	"meet/internal/config"
	"meet/internal/httpapi"
)

// newLimiter returns the rate limiter of sign-in and room creation: in
// Redis when configured, so that every replica shares one budget, else in
// memory, with the sweep loop to run.
func newLimiter(rdb *redis.Client) (httpapi.Limiter, func(context.Context) error) {
	if rdb != nil {
		return cache.NewLimiterRedis(rdb, "meet:limit:"), nil
	}
	m := cache.NewLimiterMemory(nil)
	return m, m.Run
}

// fallbackHashBudget is the hashing memory when the machine's cannot be read.
const fallbackHashBudget = 256 << 20

// loginLimits returns the local sign-in limits: the default rates over
// limiter, and as many concurrent hashes as fit in MEET_PASSWORD_HASH_MEMORY_MB
// or, by default, a quarter of the memory the process may use.
func loginLimits(cfg config.Local, limiter local.Limiter, h local.Argon2id, log *slog.Logger) local.Limits {
	budget := int64(cfg.HashMemoryMB) << 20
	source := "MEET_PASSWORD_HASH_MEMORY_MB"
	if budget == 0 {
		source = "a quarter of the memory limit"
		if total := memoryLimit(); total > 0 {
			budget = total / 4
		} else {
			budget, source = fallbackHashBudget, "default, memory limit unknown"
		}
	}
	slots := local.HashSlots(budget, h)
	log.Info("password hashing bounded", "concurrent_hashes", slots, "budget_mib", budget>>20, "source", source)
	return local.DefaultLimits(limiter, slots)
}

// memoryLimit returns the memory this process may use, in bytes: the cgroup
// limit when there is one (containers), else the machine's memory; 0 when
// neither can be read.
func memoryLimit() int64 {
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil { // cgroup v2
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 {
			return n
		}
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory/memory.limit_in_bytes"); err == nil { // cgroup v1
		// An unlimited v1 cgroup reports a number near 2^63.
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && n < 1<<50 {
			return n
		}
	}
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemTotal:" {
			if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
