package httpapi

import (
	"net/http"
	"net/url"
	"strings"
)

// handleAuthenticateLocal is GET authenticate/ when no OIDC provider is
// configured but local accounts are on. La Suite Meet's clients only know
// "send the browser to authenticate/?returnTo=…"; instead of a 404 they get
// meet's own sign-in page (the home page's local sign-in form), which sends
// the browser back to returnTo once signed in. returnTo is checked as for
// OIDC (400 when it leaves the allowed hosts). A silent attempt
// (silent=true) cannot show a form: it goes straight back to returnTo, not
// signed in, as a failed silent OIDC sign-in does.
func (s *Server) handleAuthenticateLocal() http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		returnTo, err := s.checkReturnTo(q.Get("returnTo"))
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		if strings.EqualFold(q.Get("silent"), "true") {
			http.Redirect(w, r, returnTo, http.StatusFound)
			return nil
		}
		target := "/"
		if returnTo != "/" {
			target += "?" + url.Values{"returnTo": {returnTo}}.Encode()
		}
		http.Redirect(w, r, target, http.StatusFound)
		return nil
	})
}
