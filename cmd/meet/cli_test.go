package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"meet/internal/storage/storagetest"
)

// runCLI runs meet with args and env and returns its exit error and output.
func runCLI(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestHelpListsEveryCommandOnOneLine(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, _, err := runCLI(t, nil, args...)
		if err != nil {
			t.Fatalf("meet %v: %v", args, err)
		}
		for _, c := range commands() {
			line := ""
			for l := range strings.Lines(out) {
				if strings.HasPrefix(l, "  "+c.name+" ") {
					line = l
				}
			}
			if !strings.Contains(line, c.summary) {
				t.Errorf("meet %v: no line for %s with %q:\n%s", args, c.name, c.summary, out)
			}
		}
	}
}

func TestHelpServeListsSettingsWithDefaults(t *testing.T) {
	out, _, err := runCLI(t, nil, "help", "serve")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--addr, MEET_ADDR  default \":8080\"", "MEET_LIVEKIT_UDP_PORT  default \"7882\"", "MEET_DATABASE_URL  default (empty)",
		"--file-upload-enabled, MEET_FILE_UPLOAD_ENABLED  default \"false\"", "MEET_BACKGROUND_IMAGE_MAX_SIZE  default \"2097152\""} {
		if !strings.Contains(out, want) {
			t.Errorf("meet help serve lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, `"7880"`); n != 1 {
		t.Errorf("the default of MEET_LIVEKIT_PORT is shown %d times, want once", n)
	}
}

// TestCommandHelpTouchesNoData: every command answers --help with exit
// status 0 without creating or opening its data directory.
func TestCommandHelpTouchesNoData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"MEET_DATA_DIR": dir}
	cases := [][]string{{"user", "add", "--help"}, {"user", "--help"}, {"recordings", "purge", "--help"}, {"help", "user"}, {"help", "recordings", "purge"}}
	for _, c := range commands() {
		cases = append(cases, []string{c.name, "--help"})
	}
	for _, args := range cases {
		out, _, err := runCLI(t, env, args...)
		if err != nil {
			t.Errorf("meet %v: %v", args, err)
		}
		if strings.TrimSpace(out) == "" {
			t.Errorf("meet %v printed no help on stdout", args)
		}
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("meet %v touched the data directory: %v", args, err)
		}
	}
	if _, errOut, err := runCLI(t, env, "frobnicate"); !errors.Is(err, errUsage) || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %v %q", err, errOut)
	}
}

// TestPortInUseNamesTheSetting occupies each port serve opens and expects
// the error to name the setting that moves it.
func TestPortInUseNamesTheSetting(t *testing.T) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()
	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	tcpPort := strconv.Itoa(tcp.Addr().(*net.TCPAddr).Port)
	udpPort := strconv.Itoa(udp.LocalAddr().(*net.UDPAddr).Port)
	for _, tc := range []struct{ setting, value, port string }{
		{"MEET_ADDR", "127.0.0.1:" + tcpPort, tcpPort},
		{"MEET_LIVEKIT_PORT", tcpPort, tcpPort},
		{"MEET_LIVEKIT_UDP_PORT", udpPort, udpPort},
	} {
		t.Run(tc.setting, func(t *testing.T) {
			env := map[string]string{"MEET_ADDR": "127.0.0.1:0", "MEET_DATA_DIR": t.TempDir(),
				"MEET_LIVEKIT_PORT": "0", "MEET_LIVEKIT_UDP_PORT": "0", "MEET_LOG_LEVEL": "error"}
			env[tc.setting] = tc.value
			_, _, err := runCLI(t, env, "serve")
			want := "port " + tc.port + " is in use — stop what holds it or set " + tc.setting
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("serve = %v, want an error starting %q", err, want)
			}
		})
	}
}

// TestMissingPostgresDatabase points MEET_DATABASE_URL at a database the
// server does not have.
func TestMissingPostgresDatabase(t *testing.T) {
	base := os.Getenv(storagetest.EnvDatabaseURL)
	if base == "" {
		t.Skip(storagetest.EnvDatabaseURL + " not set")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/meet_missing_database"
	_, _, err = runCLI(t, map[string]string{"MEET_DATABASE_URL": u.String(), "MEET_LOG_LEVEL": "error"}, "migrate")
	want := "database meet_missing_database does not exist — create it (createdb meet_missing_database) or fix MEET_DATABASE_URL"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("migrate = %v, want an error starting %q", err, want)
	}
}

// fakeTerminal answers ReadPassword with its lines in turn.
type fakeTerminal struct{ lines []string }

func (f *fakeTerminal) ReadPassword() (string, error) {
	if len(f.lines) == 0 {
		return "", errors.New("EOF")
	}
	l := f.lines[0]
	f.lines = f.lines[1:]
	return l, nil
}

func TestPasswordPromptAsksTwice(t *testing.T) {
	var prompts bytes.Buffer
	pw, err := promptPassword(&fakeTerminal{[]string{"wonderland", "wonderland"}}, &prompts)
	if err != nil || pw != "wonderland" {
		t.Fatalf("promptPassword = %q, %v", pw, err)
	}
	if prompts.String() != "Password: \nRepeat the password: \n" {
		t.Errorf("prompts = %q", prompts.String())
	}
	if _, err := promptPassword(&fakeTerminal{[]string{"wonderland", "wonderlanD"}}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "differ") {
		t.Errorf("different passwords: %v", err)
	}
	if _, ok := terminalOf(strings.NewReader("pw\n")); ok {
		t.Error("a reader that is not a terminal was taken for one")
	}
}

func TestUserCommandNamesItsDataDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"MEET_DATA_DIR": dir, "MEET_LOG_LEVEL": "error"}
	_, errOut, err := runCLI(t, env, "user", "list")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "data directory: "+dir+" (MEET_DATA_DIR)") || !strings.Contains(errOut, "no database there yet") {
		t.Errorf("stderr = %q", errOut)
	}
	_, errOut, _ = runCLI(t, env, "user", "list")
	if strings.Contains(errOut, "no database there yet") {
		t.Errorf("second run still says the database is new: %q", errOut)
	}
}

// TestServeOffersFirstRunLink starts serve on an empty data directory: its
// log carries a setup link whose token creates the first account, once.
func TestServeOffersFirstRunLink(t *testing.T) {
	vars := map[string]string{"MEET_ADDR": "127.0.0.1:0", "MEET_DATA_DIR": t.TempDir(),
		"MEET_LIVEKIT_PORT": "0", "MEET_LIVEKIT_UDP_PORT": "0", "MEET_LOG_LEVEL": "warn"}
	ctx, cancel := context.WithCancel(context.Background())
	logR, logW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, strings.NewReader(""), io.Discard, logW)
		logW.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	links := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(logR)
		sent := 0
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "setup_link="); ok {
				sent++
				if sent == 1 {
					links <- strings.Trim(strings.Fields(rest)[0], `"`)
				}
			}
		}
		if sent > 1 {
			t.Errorf("the setup link was logged %d times, want once", sent)
		}
	}()
	var link string
	select {
	case link = <-links:
	case err := <-done:
		t.Fatalf("serve exited: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("no setup link logged within 60 s")
	}
	u, err := url.Parse(link)
	if err != nil || u.Path != "/setup" || len(u.Fragment) < 40 {
		t.Fatalf("setup link %q", link)
	}
	// The link's server answers once /healthz does; the log line comes before.
	base := u.Scheme + "://" + u.Host
	waitHealthy(t, base)
	post := func(token string) int {
		body := `{"token":"` + token + `","email":"admin@example.org","full_name":"Ada","password":"first-password"}`
		res, err := http.Post(base+"/api/v1.0/setup/", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := post("wrong"); got != http.StatusForbidden {
		t.Errorf("wrong token: %d, want 403", got)
	}
	if got := post(u.Fragment); got != http.StatusCreated {
		t.Fatalf("setup link's token: %d, want 201", got)
	}
	if got := post(u.Fragment); got != http.StatusNotFound {
		t.Errorf("token used twice: %d, want 404", got)
	}
}
