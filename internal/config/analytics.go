package config

import "net/url"

// Analytics configures the server's product analytics (sign-ins, rooms
// created, tokens handed out): events go to PostHog's batch API when
// PostHogKey is set, and nowhere otherwise. The front end's own analytics
// are Frontend.Analytics, passed through config/.
type Analytics struct {
	PostHogKey  string // PostHog project API key; empty turns analytics off
	PostHogHost string // PostHog's base URL (PostHog Cloud EU by default)
}

// Enabled reports whether analytics events are sent anywhere.
func (a Analytics) Enabled() bool { return a.PostHogKey != "" }

// analyticsSettings are the server-side analytics settings.
var analyticsSettings = []setting{
	{env: "MEET_ANALYTICS_POSTHOG_KEY", def: "", help: "PostHog project API key the server sends its analytics events with (empty: no analytics)", secret: true, apply: str(func(c *Config) *string { return &c.Analytics.PostHogKey })},
	{env: "MEET_ANALYTICS_POSTHOG_HOST", def: "https://eu.i.posthog.com", help: "PostHog (Cloud or self-hosted) base URL", apply: str(func(c *Config) *string { return &c.Analytics.PostHogHost })},
}

// validateAnalytics checks the PostHog URL when analytics are on.
func (c *Config) validateAnalytics(bad func(env, format string, a ...any)) {
	if !c.Analytics.Enabled() {
		return
	}
	h := c.Analytics.PostHogHost
	if u, err := url.Parse(h); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.User != nil {
		bad("MEET_ANALYTICS_POSTHOG_HOST", "must be an http(s) URL, got %q", h)
	}
}
