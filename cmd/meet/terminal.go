package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// fileTerminal reads passwords from a terminal without echo.
type fileTerminal struct{ f *os.File }

// ReadPassword reads one line with echo off.
func (t fileTerminal) ReadPassword() (string, error) {
	b, err := term.ReadPassword(int(t.f.Fd()))
	return string(b), err
}

// terminalOf returns r as a terminal when it is one (an interactive
// standard input), so that passwords are prompted for rather than read.
func terminalOf(r io.Reader) (passwordTerminal, bool) {
	f, ok := r.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, false
	}
	return fileTerminal{f}, true
}
