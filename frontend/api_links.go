package frontend

import (
	"net/url"
	"strings"
)

// publicLinks builds the absolute URLs of what the node publishes (pages,
// feeds, API), from its public base URL: the API and the feeds are read
// from elsewhere, so they never give a relative link.
type publicLinks struct{ base *url.URL }

func (s *server) links() publicLinks { return publicLinks{base: s.cfg.BaseURL} }

// abs returns the absolute URL of path (which starts with /) with query q.
func (l publicLinks) abs(path string, q url.Values) string {
	u := url.URL{Scheme: l.base.Scheme, Host: l.base.Host, Path: strings.TrimSuffix(l.base.Path, "/") + path}
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func (l publicLinks) spacePage(slug string) string {
	return l.abs("/spaces/"+url.PathEscape(slug), nil)
}

func (l publicLinks) proposalPage(id string) string {
	return l.abs("/proposals/"+url.PathEscape(id), nil)
}

func (l publicLinks) spaceFeed(slug string, q url.Values) string {
	return l.abs("/spaces/"+url.PathEscape(slug)+"/feed.atom", q)
}

func (l publicLinks) proposalFeed(id string, q url.Values) string {
	return l.abs("/proposals/"+url.PathEscape(id)+"/feed.atom", q)
}

func (l publicLinks) apiSpace(slug string) string {
	return l.abs("/api/v1/spaces/"+url.PathEscape(slug), nil)
}

func (l publicLinks) apiSpaceProposals(slug string, q url.Values) string {
	return l.abs("/api/v1/spaces/"+url.PathEscape(slug)+"/proposals", q)
}

func (l publicLinks) apiProposal(id string) string {
	return l.abs("/api/v1/proposals/"+url.PathEscape(id), nil)
}
