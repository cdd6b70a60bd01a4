package config

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// WriteHelp lists every setting for "meet help serve" and "--help": its flag,
// its environment variable, what it is for and its default, shown once.
func WriteHelp(w io.Writer, name string) {
	fmt.Fprintf(w, "Usage: %s [flags]\n\n", name)
	fmt.Fprint(w, "Every setting is a flag or an environment variable; the flag wins.\n\n")
	for _, s := range settings {
		def := "(empty)"
		if s.def != "" {
			def = fmt.Sprintf("%q", s.def)
		}
		fmt.Fprintf(w, "  --%s, %s  default %s\n      %s\n", s.flagName(), s.env, def, s.help)
	}
}

// Changed lists, as log attributes, the settings whose value differs from
// their default, secrets redacted: the start-up log shows what this
// instance changed and nothing else.
func (c *Config) Changed() []slog.Attr {
	var out []slog.Attr
	for _, s := range settings {
		v, ok := c.raw[s.env]
		if !ok || strings.TrimSpace(v) == strings.TrimSpace(s.def) {
			continue
		}
		if s.secret && v != "" {
			v = redact(v)
		}
		out = append(out, slog.String(s.env, v))
	}
	return out
}
