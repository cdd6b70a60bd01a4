package httpapi

import (
	"net/http"
	"net/url"
	"strconv"

	"meet/internal/apperr"
	"meet/internal/rooms"
)

// Page sizes of the reference API.
const (
	defaultPageSize = 20
	maxPageSize     = 100
	// maxPage bounds page × page_size: no list is longer than this.
	maxPage = 1 << 31
)

// pageOf reads ?page= and ?page_size= the way DRF does: a page_size above the
// maximum is clamped, a missing or invalid one uses the default, and a page
// that is not a positive integer is refused with 404 "Invalid page."
// page=last gives the first page here; listPage resolves it to the last.
func pageOf(r *http.Request) (rooms.Page, error) {
	q := r.URL.Query()
	p := rooms.Page{Number: 1, Size: defaultPageSize}
	if v := q.Get("page_size"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			p.Size = min(n, maxPageSize)
		}
	}
	if v := q.Get("page"); v != "" && v != "last" {
		n, err := strconv.Atoi(v)
		// A page whose offset would not fit a 32-bit integer is past the
		// end of any list meet holds; refusing it here keeps page × size
		// from overflowing in SQL (PostgreSQL's 500, SQLite's negative next).
		if err != nil || n < 1 || n > maxPage/p.Size {
			return p, apperr.New(apperr.NotFound, "Invalid page.")
		}
		p.Number = n
	}
	return p, nil
}

// listPage serves one page of a list: list returns the page's results and
// the total count. For page=last it first asks for a one-item page to learn
// the total.
func (s *Server) listPage(r *http.Request, list func(rooms.Page) (any, int, error)) (pageBody, error) {
	page, err := pageOf(r)
	if err != nil {
		return pageBody{}, err
	}
	if r.URL.Query().Get("page") == "last" {
		_, total, err := list(rooms.Page{Number: 1, Size: 1})
		if err != nil {
			return pageBody{}, err
		}
		page.Number = max(1, (total+page.Size-1)/page.Size)
	}
	results, total, err := list(page)
	if err != nil {
		return pageBody{}, err
	}
	return s.pageEnvelope(r, page, total, results)
}

// pageBody is the reference's page envelope.
type pageBody struct {
	Count    int     `json:"count"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
	Results  any     `json:"results"`
}

// pageEnvelope wraps one page of results, refusing pages past the end (except
// the first page of an empty list, as DRF does).
func (s *Server) pageEnvelope(r *http.Request, p rooms.Page, total int, results any) (pageBody, error) {
	if p.Number > 1 && p.Offset() >= total {
		return pageBody{}, apperr.New(apperr.NotFound, "Invalid page.")
	}
	link := func(n int) *string {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		if n == 1 {
			q.Del("page")
		} else {
			q.Set("page", strconv.Itoa(n))
		}
		u := s.absoluteURL(r.URL.Path, q)
		return &u
	}
	env := pageBody{Count: total, Results: results}
	if p.Offset()+p.Size < total {
		env.Next = link(p.Number + 1)
	}
	if p.Number > 1 {
		env.Previous = link(p.Number - 1)
	}
	return env, nil
}
