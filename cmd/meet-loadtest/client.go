package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

const apiPrefix = "/api/v1.0"

// newTransport is one connection pool for every simulated browser: no cap on
// connections per host (each push stream holds one), and enough idle slots
// that polling guests reuse keep-alive connections instead of redialling.
func newTransport(conns int) *http.Transport {
	return &http.Transport{
		Proxy:               nil, // loopback only, never through a proxy
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     0,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
}

// apiError is a non-2xx answer.
type apiError struct {
	status int
	body   string
}

func (e *apiError) Error() string { return fmt.Sprintf("HTTP %d: %.200s", e.status, e.body) }

// kind names the error for the error counters.
func errKind(op string, err error) string {
	if ae, ok := err.(*apiError); ok {
		return fmt.Sprintf("%s: HTTP %d", op, ae.status)
	}
	if errors.Is(err, context.Canceled) {
		return op + ": canceled"
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "connection refused"):
		msg = "connection refused"
	case strings.Contains(msg, "connection reset"):
		msg = "connection reset"
	case strings.Contains(msg, "Client.Timeout"), strings.Contains(msg, "deadline exceeded"):
		msg = "timeout"
	case strings.Contains(msg, "too many open files"):
		msg = "too many open files"
	case strings.Contains(msg, "EOF"):
		msg = "EOF"
	}
	return op + ": " + msg
}

// session is one browser: the shared transport plus its own cookies.
type session struct {
	base    *url.URL
	http    *http.Client
	stream  *http.Client // no timeout: for Server-Sent Events
	csrf    string       // X-CSRFToken for unsafe requests with a session
	counter func()       // counts each request sent
}

func newSession(base *url.URL, tr *http.Transport, counter func()) *session {
	jar, _ := cookiejar.New(nil)
	return &session{
		base:    base,
		http:    &http.Client{Transport: tr, Jar: jar, Timeout: 30 * time.Second},
		stream:  &http.Client{Transport: tr, Jar: jar},
		counter: counter,
	}
}

// do sends one JSON request and decodes a 2xx answer into into (when not nil).
func (s *session) do(ctx context.Context, method, path string, body, into any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base.String()+apiPrefix+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.csrf != "" && method != http.MethodGet {
		req.Header.Set("X-CSRFToken", s.csrf)
	}
	s.counter()
	resp, err := s.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return &apiError{status: resp.StatusCode, body: string(data)}
	}
	if into != nil && len(data) > 0 {
		return json.Unmarshal(data, into)
	}
	return nil
}

// login signs the session in with a local account and keeps its CSRF token.
func (s *session) login(ctx context.Context, email, password string) error {
	if err := s.do(ctx, http.MethodPost, "/local-login/", map[string]string{"email": email, "password": password}, nil); err != nil {
		return fmt.Errorf("local-login: %w", err)
	}
	for _, c := range s.http.Jar.Cookies(s.base) {
		if c.Name == "csrftoken" {
			s.csrf = c.Value
		}
	}
	if s.csrf == "" {
		return fmt.Errorf("local-login: no csrftoken cookie")
	}
	return nil
}

// roomRef is what the tool needs of a room.
type roomRef struct {
	ID          string `json:"id"`
	Slug        string `json:"slug"`
	AccessLevel string `json:"access_level"`
}

// prepareRoom returns the room to use: the one named by ref, made restricted
// when it is not, or a new restricted room. created tells the caller to
// delete it at the end.
func (s *session) prepareRoom(ctx context.Context, ref string) (room roomRef, created bool, err error) {
	if ref == "" {
		name := fmt.Sprintf("loadtest %d", time.Now().UnixNano())
		err = s.do(ctx, http.MethodPost, "/rooms/", map[string]string{"name": name, "access_level": "restricted"}, &room)
		return room, err == nil, err
	}
	if err = s.do(ctx, http.MethodGet, "/rooms/"+url.PathEscape(ref)+"/", nil, &room); err != nil {
		return room, false, fmt.Errorf("room %q: %w", ref, err)
	}
	if room.AccessLevel != "restricted" {
		err = s.do(ctx, http.MethodPatch, "/rooms/"+room.ID+"/", map[string]string{"access_level": "restricted"}, &room)
	}
	return room, false, err
}

// sseReader reads Server-Sent Events: event name and data, one event per call.
type sseReader struct{ r *bufio.Reader }

func newSSEReader(body io.Reader, size int) *sseReader {
	return &sseReader{r: bufio.NewReaderSize(body, size)}
}

// next returns the next event with data; comments (heartbeats) are skipped.
func (s *sseReader) next() (event string, data []byte, err error) {
	for {
		line, err := s.r.ReadBytes('\n')
		if err != nil {
			return "", nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case len(line) == 0:
			if data != nil {
				return event, data, nil
			}
			event = ""
		case bytes.HasPrefix(line, []byte("event: ")):
			event = string(line[len("event: "):])
		case bytes.HasPrefix(line, []byte("data: ")):
			data = append(data, line[len("data: "):]...)
		}
	}
}

// openStream starts a Server-Sent Events request; the caller closes the body.
func (s *session) openStream(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base.String()+apiPrefix+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	s.counter()
	resp, err := s.stream.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		resp.Body.Close()
		return nil, &apiError{status: resp.StatusCode, body: string(data)}
	}
	return resp, nil
}
