package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// providerDir holds the npm oidc-provider script the sign-in tests run
// (`npm ci --prefix testdata/oidc-provider` installs it).
var providerDir = filepath.Join("..", "..", "testdata", "oidc-provider")

// startProvider runs testdata/oidc-provider/provider.mjs on 127.0.0.1 and
// returns its issuer URL. The provider registers one client, "meet", whose
// redirect, post-logout and back-channel URIs point at rpURL. It exits when
// the test ends (its standard input closes).
func startProvider(t *testing.T, rpURL string) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(providerDir, "node_modules", "oidc-provider")); err != nil {
		t.Skip("OIDC provider not installed: run `npm ci --prefix testdata/oidc-provider` to run the sign-in tests against a real provider")
	}
	cmd := exec.Command("node", "provider.mjs")
	cmd.Dir = providerDir
	cmd.Env = append(os.Environ(),
		"CLIENT_ID=meet", "CLIENT_SECRET=meet-secret",
		"REDIRECT_URI="+rpURL+"/api/v1.0/callback/",
		"POST_LOGOUT_REDIRECT_URI="+rpURL+"/api/v1.0/logout-callback/",
		"BACKCHANNEL_LOGOUT_URI="+rpURL+"/api/v1.0/backchannel-logout/",
	)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the OIDC provider (node): %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = stdin.Close()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("OIDC provider stderr:\n%s", stderr.String())
		}
	})
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-ready:
		var msg struct{ Issuer string }
		if err := json.Unmarshal([]byte(line), &msg); err != nil || msg.Issuer == "" {
			t.Fatalf("OIDC provider said %q, want {\"issuer\": …}; stderr:\n%s", line, stderr.String())
		}
		return msg.Issuer
	case <-exited:
		t.Fatalf("OIDC provider exited early:\n%s", stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("OIDC provider not ready after 30 s:\n%s", stderr.String())
	}
	return ""
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// browser is an HTTP client with a cookie jar that follows redirects and
// records every URL it visited, as a browser would without running scripts.
type browser struct {
	t    *testing.T
	c    *http.Client
	hops []*url.URL
	// stopAt, when it matches a redirect target, stops following there.
	stopAt func(u *url.URL) bool
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t}
	b.c = &http.Client{Jar: jar, Timeout: 20 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		b.hops = append(b.hops, req.URL)
		if len(via) > 20 {
			return http.ErrUseLastResponse
		}
		if b.stopAt != nil && b.stopAt(req.URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

// page is a response with its body read.
type page struct {
	status int
	url    *url.URL // where the redirects ended
	header http.Header
	body   string
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	b.hops = append(b.hops, req.URL)
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, url: resp.Request.URL, header: resp.Header, body: string(body)}
}

func (b *browser) get(rawURL string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) postForm(rawURL string, form url.Values) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// visited reports the first visited URL whose path is path.
func (b *browser) visited(path string) *url.URL {
	for _, u := range b.hops {
		if u.Path == path {
			return u
		}
	}
	return nil
}

// cookie returns the value of the named cookie the jar sends to rawURL.
func (b *browser) cookie(rawURL, name string) string {
	u, _ := url.Parse(rawURL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// dropCookie forgets the named cookie for rawURL's host.
func (b *browser) dropCookie(rawURL, name string) {
	u, _ := url.Parse(rawURL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: "", Path: "/", MaxAge: -1}})
}

var (
	formRe   = regexp.MustCompile(`(?s)<form([^>]*)>(.*?)</form>`)
	inputRe  = regexp.MustCompile(`<input([^>]*)>`)
	actionRe = regexp.MustCompile(`action="([^"]*)"`)
	nameRe   = regexp.MustCompile(`name="([^"]*)"`)
	valueRe  = regexp.MustCompile(`value="([^"]*)"`)
	idRe     = regexp.MustCompile(`id="([^"]*)"`)
)

// submitProviderForms fills and submits the provider's pages as a person
// would: the development login form (any password), the consent form, and
// the logout confirmation ("Yes, sign me out"). It stops on the first page
// that is not the provider's.
func (b *browser) submitProviderForms(p page, issuer, login string) page {
	b.t.Helper()
	iss, _ := url.Parse(issuer)
	for range 6 {
		if p.url.Host != iss.Host || (p.status >= 300 && p.status < 400) {
			return p // left the provider, or stopped on one of its redirects
		}
		m := formRe.FindStringSubmatch(p.body)
		if m == nil {
			b.t.Fatalf("provider page %s (%d) has no form:\n%s", p.url, p.status, p.body)
		}
		attrs, inner := m[1], m[2]
		form := url.Values{}
		for _, in := range inputRe.FindAllStringSubmatch(inner, -1) {
			if n := nameRe.FindStringSubmatch(in[1]); n != nil {
				v := ""
				if vm := valueRe.FindStringSubmatch(in[1]); vm != nil {
					v = html.UnescapeString(vm[1])
				}
				form.Set(n[1], v)
			}
		}
		if _, ok := form["login"]; ok {
			form.Set("login", login)
			form.Set("password", "any password will do")
		}
		if id := idRe.FindStringSubmatch(attrs); id != nil && id[1] == "op.logoutForm" {
			form.Set("logout", "yes")
		}
		action, _ := url.Parse(html.UnescapeString(actionRe.FindStringSubmatch(attrs)[1]))
		p = b.postForm(p.url.ResolveReference(action).String(), form)
	}
	b.t.Fatalf("still on the provider after 6 forms: %s\n%s", p.url, p.body)
	return p
}
