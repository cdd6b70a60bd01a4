package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value", ms(7), 99, 7 * time.Millisecond},
		{"median of odd count", ms(1, 2, 3), 50, 2 * time.Millisecond},
		{"median of even count is the lower", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p99 of 1..100", hundred, 99, 99 * time.Millisecond},
		{"p95 of 1..100", hundred, 95, 95 * time.Millisecond},
		{"max", hundred, 100, 100 * time.Millisecond},
		{"tiny p is the first", hundred, 0.001, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestLoopbackURL(t *testing.T) {
	tests := []struct {
		raw string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.0.0.1:8080/", true},
		{"http://localhost:8080", true},
		{"http://LOCALHOST:8080", true},
		{"http://[::1]:8080", true},
		{"https://127.0.0.1", true},
		{"http://127.0.0.2:8080", false}, // loopback range, but not the address we allow
		{"http://10.0.0.1:8080", false},
		{"http://example.com", false},
		{"http://localhost.example.com", false},
		{"http://127.0.0.1.nip.io", false},
		{"http://[::ffff:8.8.8.8]:80", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8080", false},
		{"http://user:pw@127.0.0.1", false},
		{"http://0.0.0.0:8080", false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			_, err := loopbackURL(tt.raw)
			if (err == nil) != tt.ok {
				t.Errorf("loopbackURL(%q) error = %v, want ok %v", tt.raw, err, tt.ok)
			}
		})
	}
}

func TestParseConfig(t *testing.T) {
	env := func(k string) string {
		if k == "MEET_LOADTEST_PASSWORD" {
			return "secret"
		}
		return ""
	}
	noEnv := func(string) string { return "" }
	base := []string{"-email", "h@example.com"}
	tests := []struct {
		name    string
		args    []string
		getenv  func(string) string
		wantErr []string // substrings of the error; none means valid
	}{
		{"defaults with password from env", base, env, nil},
		{"poll mode", append(base, "-mode", "poll", "-guests", "10000", "-hosts", "2"), env, nil},
		{"password required", base, noEnv, []string{"-password"}},
		{"remote host refused", append(base, "-url", "http://192.0.2.1:8080"), env, []string{"not loopback"}},
		{"bad mode", append(base, "-mode", "stream"), env, []string{"-mode"}},
		{"poll faster than the throttle", append(base, "-mode", "poll", "-poll-every", "300ms"), env, []string{"throttled"}},
		{"every problem at once", append(base, "-guests", "0", "-hosts", "0", "-rate", "0"), env, []string{"-guests", "-hosts", "-rate"}},
		{"timeout shorter than the window", append(base, "-duration", "1m", "-timeout", "30s"), env, []string{"-timeout"}},
		{"stray argument", append(base, "extra"), env, []string{"unexpected"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig(tt.args, tt.getenv, io.Discard)
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("parseConfig: %v", err)
				}
				if cfg.base.String() != "http://127.0.0.1:8080" || cfg.password != "secret" {
					t.Errorf("config = %+v", cfg)
				}
				return
			}
			if err == nil {
				t.Fatalf("parseConfig accepted %q", tt.args)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

func TestParseStatCPU(t *testing.T) {
	// The command name holds spaces and a parenthesis; utime=250, stime=50 ticks.
	line := "4242 (meet (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 12 0 1000 2000000 3000\n"
	got, err := parseStatCPU([]byte(line))
	if err != nil || got != 3*time.Second {
		t.Fatalf("parseStatCPU = %v, %v; want 3s", got, err)
	}
	if _, err := parseStatCPU([]byte("4242 (meet) S 1")); err == nil {
		t.Error("short line accepted")
	}
}

func TestParseStatusMemory(t *testing.T) {
	status := "Name:\tmeet\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t12\n"
	rss, hwm, err := parseStatusMemory([]byte(status))
	if err != nil || rss != 100<<20 || hwm != 200<<20 {
		t.Fatalf("parseStatusMemory = %d, %d, %v", rss, hwm, err)
	}
}

func TestListeningInodes(t *testing.T) {
	table := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:4844 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0 100 0 0 10 0
   1: 0100007F:4844 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 222 1 0 20 4 30 10 -1
   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 333 1 0 100 0 0 10 0
`
	got := listeningInodes([]byte(table), 0x4844)
	if len(got) != 1 || got[0] != "111" {
		t.Errorf("listeningInodes = %v, want [111] (the established socket is not listening)", got)
	}
}

func TestSSEReader(t *testing.T) {
	stream := ": heartbeat\n\nevent: status\ndata: {\"status\":\"waiting\"}\n\nevent: status\ndata: {\"a\":\ndata: 1}\n\n"
	r := newSSEReader(strings.NewReader(stream), 16)
	ev, data, err := r.next()
	if err != nil || ev != "status" || string(data) != `{"status":"waiting"}` {
		t.Fatalf("first event = %q %q %v", ev, data, err)
	}
	ev, data, err = r.next()
	if err != nil || ev != "status" || string(data) != `{"a":1}` {
		t.Fatalf("second event = %q %q %v", ev, data, err)
	}
	if _, _, err := r.next(); err != io.EOF {
		t.Fatalf("after the last event: %v, want EOF", err)
	}
}
