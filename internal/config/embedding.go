package config

import (
	"net/url"
	"regexp"
	"strings"
)

// embeddingSettings are the settings of embedding meet in other sites' pages.
var embeddingSettings = []setting{
	{env: "MEET_FRAME_ANCESTORS", def: "", help: "origins (https://app.example.org, space- or comma-separated; *.example.org allowed) whose pages may embed meet in an iframe; empty forbids framing", apply: list(func(c *Config) *[]string { return &c.HTTP.FrameAncestors })},
}

// originHost is a host name (optionally a *. wildcard, as CSP allows) or
// bracketed IPv6 address, with an optional port: nothing that could end a
// CSP directive or add a source.
var originHost = regexp.MustCompile(`^(\*\.)?([A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$`)

// validateEmbedding checks MEET_FRAME_ANCESTORS names origins only, and
// normalises them to scheme://host[:port].
func (c *Config) validateEmbedding(bad func(env, format string, a ...any)) {
	for i, o := range c.HTTP.FrameAncestors {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !originHost.MatchString(u.Host) ||
			strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.HasSuffix(o, "?") {
			bad("MEET_FRAME_ANCESTORS", "must be origins such as https://app.example.org (scheme, host and port only), got %q", o)
			continue
		}
		c.HTTP.FrameAncestors[i] = u.Scheme + "://" + strings.ToLower(u.Host)
	}
}
