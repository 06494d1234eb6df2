package web

import (
	"net/url"
	"strings"
)

// Links builds the absolute URLs of what the node publishes (pages,
// feeds, API), from its public base URL: the API and the feeds are read
// from elsewhere, so they never give a relative link.
type Links struct{ base *url.URL }

// Links are the node's public URLs.
func (k *Kit) Links() Links { return Links{base: k.cfg.BaseURL} }

// Abs returns the absolute URL of path (which starts with /) with query q.
func (l Links) Abs(path string, q url.Values) string {
	u := url.URL{Scheme: l.base.Scheme, Host: l.base.Host, Path: strings.TrimSuffix(l.base.Path, "/") + path}
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func (l Links) SpacePage(slug string) string {
	return l.Abs("/spaces/"+url.PathEscape(slug), nil)
}

func (l Links) ProposalPage(id string) string {
	return l.Abs("/proposals/"+url.PathEscape(id), nil)
}

func (l Links) SpaceFeed(slug string, q url.Values) string {
	return l.Abs("/spaces/"+url.PathEscape(slug)+"/feed.atom", q)
}

func (l Links) ProposalFeed(id string, q url.Values) string {
	return l.Abs("/proposals/"+url.PathEscape(id)+"/feed.atom", q)
}

func (l Links) APISpace(slug string) string {
	return l.Abs("/api/v1/spaces/"+url.PathEscape(slug), nil)
}

func (l Links) APISpaceProposals(slug string, q url.Values) string {
	return l.Abs("/api/v1/spaces/"+url.PathEscape(slug)+"/proposals", q)
}

func (l Links) APIProposal(id string) string {
	return l.Abs("/api/v1/proposals/"+url.PathEscape(id), nil)
}
