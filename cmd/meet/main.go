// Command meet is the meet video-conferencing server: one binary that runs
// the API, the web front end and (unless an external LiveKit is configured)
// the LiveKit SFU, on one machine or as stateless replicas.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if err != errUsage {
			fmt.Fprintln(os.Stderr, "meet:", err)
		}
		os.Exit(1)
	}
}
