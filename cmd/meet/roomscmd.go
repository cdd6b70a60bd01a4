package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

const roomsUsage = `usage: meet rooms <command>

Act on the calls of the meet server running on this machine (it answers on
the admin socket in MEET_DATA_DIR; run as meet's user or root).

commands:
  live                     list the rooms in a call and who is in each
  end SLUG                 end the room's call, disconnecting everyone
  kick SLUG IDENTITY       remove a participant from the call; it cannot come back
                           with the tokens it holds while the removal lasts
`

// adminTimeout bounds one operating command; the server bounds each SFU call
// itself.
const adminTimeout = 30 * time.Second

// roomsCommand runs "meet rooms …" against the running server's admin socket.
func roomsCommand(ctx context.Context, cl cli, args []string) error {
	stdout, stderr := cl.stdout, cl.stderr
	if wantsHelp(args) {
		fmt.Fprint(stdout, roomsUsage)
		return nil
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, roomsUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	want := map[string]int{"live": 0, "end": 1, "kick": 2}
	n, known := want[args[0]]
	if !known || len(args)-1 != n {
		fmt.Fprint(stderr, roomsUsage)
		return errUsage
	}
	cfg, _, err := setup("meet rooms", nil, cl)
	if err != nil {
		return err
	}
	c := adminClient{socket: filepath.Join(cfg.DataDir, adminSocketName)}
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	switch args[0] {
	case "live":
		var list []liveRoom
		if err := c.call(ctx, "GET", "/rooms/live", &list); err != nil {
			return err
		}
		printLive(stdout, list)
		return nil
	case "end":
		if err := c.call(ctx, "POST", "/rooms/"+url.PathEscape(args[1])+"/end", nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "ended the call of %s\n", args[1])
		return nil
	default:
		var res struct{ Denied bool }
		if err := c.call(ctx, "POST", "/rooms/"+url.PathEscape(args[1])+"/kick/"+url.PathEscape(args[2]), &res); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed %s from %s", args[2], args[1])
		if !res.Denied {
			fmt.Fprint(stdout, " (an owner or administrator of the room: it may join again)")
		}
		fmt.Fprintln(stdout)
		return nil
	}
}

// printLive writes one line per participant, rooms in the SFU's order.
func printLive(w io.Writer, list []liveRoom) {
	if len(list) == 0 {
		fmt.Fprintln(w, "no call is running")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROOM\tNAME\tIDENTITY\tPARTICIPANT\tSTATE\tSINCE")
	for _, r := range list {
		slug, name := r.Slug, r.Name
		if slug == "" {
			slug, name = r.LiveKitRoom, "(not a meet room)"
		}
		if len(r.Participants) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\n", slug, name)
		}
		for _, p := range r.Participants {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", slug, name, p.Identity, p.Name, p.State, p.JoinedAt.Local().Format(time.TimeOnly))
		}
	}
	tw.Flush()
}

// adminClient calls a running server over its admin socket.
type adminClient struct{ socket string }

func (c adminClient) call(ctx context.Context, method, path string, into any) error {
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", c.socket)
	}}}
	defer hc.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, method, "http://meet"+path, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return fmt.Errorf("no meet server answers on %s; start it with make run (or meet serve) with the same MEET_DATA_DIR", c.socket)
		}
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&e)
		return errors.New(strings.TrimPrefix(e.Error, "not_found: "))
	}
	if into == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(into)
}
