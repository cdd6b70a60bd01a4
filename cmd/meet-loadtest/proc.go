package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's CPU times: 100 on
// every Linux architecture Go supports.
const clockTicks = 100

// processCPU returns the user+system CPU time pid has used, from /proc/<pid>/stat.
func processCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(data)
}

// parseStatCPU reads utime and stime (fields 14 and 15) of a /proc/<pid>/stat
// line. The command name (field 2) may hold spaces and parentheses, so fields
// are counted after its last ')'.
func parseStatCPU(data []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, errors.New("proc stat: no command name")
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 { // f[0] is field 3 (state): utime is f[11], stime f[12]
		return 0, errors.New("proc stat: too few fields")
	}
	utime, err1 := strconv.ParseUint(f[11], 10, 64)
	stime, err2 := strconv.ParseUint(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("proc stat: %w", err)
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// processMemory returns VmRSS and VmHWM (peak RSS) of pid in bytes.
func processMemory(pid int) (rss, hwm uint64, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	return parseStatusMemory(data)
}

func parseStatusMemory(data []byte) (rss, hwm uint64, err error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		f := strings.Fields(val) // "123456 kB"
		if len(f) != 2 || f[1] != "kB" {
			return 0, 0, fmt.Errorf("proc status: bad %s line", key)
		}
		n, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("proc status: %w", err)
		}
		if key == "VmRSS" {
			rss = n << 10
		} else {
			hwm = n << 10
		}
	}
	if rss == 0 {
		return 0, 0, errors.New("proc status: no VmRSS")
	}
	return rss, hwm, nil
}

// selfCPU is the CPU time this tool has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procSampler records the server's RSS: the largest seen during the
// measurement window and over the whole run.
type procSampler struct {
	pid int

	mu        sync.Mutex
	windowMax uint64
	max       uint64
	hwm       uint64
}

func newProcSampler(pid int) *procSampler { return &procSampler{pid: pid} }

func (p *procSampler) run(ctx context.Context, every time.Duration) {
	if p.pid == 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		p.sample()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (p *procSampler) sample() {
	rss, hwm, err := processMemory(p.pid)
	if err != nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.windowMax = max(p.windowMax, rss)
	p.max = max(p.max, rss)
	p.hwm = max(p.hwm, hwm)
}

func (p *procSampler) resetWindow() {
	p.mu.Lock()
	p.windowMax = 0
	p.mu.Unlock()
}

func (p *procSampler) rss() (windowMax, max, hwm uint64) {
	if p.pid != 0 {
		p.sample()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.windowMax, p.max, p.hwm
}

// pidListeningOn finds the process listening on u's TCP port: the socket
// inode from /proc/net/tcp{,6}, then the process holding it. Only processes
// of the same user are visible, which is the case for a server one started.
func pidListeningOn(u *url.URL) (int, error) {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	want, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return 0, err
	}
	inodes := map[string]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, ino := range listeningInodes(data, uint16(want)) {
			inodes[ino] = true
		}
	}
	if len(inodes) == 0 {
		return 0, fmt.Errorf("nothing listens on port %s", port)
	}
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range fds {
		link, err := os.Readlink(fd)
		if err != nil || !strings.HasPrefix(link, "socket:[") {
			continue
		}
		if inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] {
			return strconv.Atoi(strings.Split(fd, "/")[2])
		}
	}
	return 0, fmt.Errorf("no visible process holds the socket on port %s", port)
}

// listeningInodes returns the inodes of the sockets in LISTEN state (0A) on
// port in a /proc/net/tcp table.
func listeningInodes(table []byte, port uint16) []string {
	var out []string
	lines := strings.Split(string(table), "\n")
	for _, line := range lines[min(1, len(lines)):] { // the first line is the header
		f := strings.Fields(line)
		if len(f) < 10 || f[3] != "0A" {
			continue
		}
		_, hexPort, ok := strings.Cut(f[1], ":")
		if !ok {
			continue
		}
		if p, err := strconv.ParseUint(hexPort, 16, 16); err == nil && uint16(p) == port {
			out = append(out, f[9])
		}
	}
	return out
}
