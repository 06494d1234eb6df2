package opendata

import "agora/frontend/web"

// What the tests of the package, an external test package, need to see:
// the feeds are read back into the types that wrote them.
type AtomFeed = web.AtomFeed

var AtomTime = web.AtomTime

const (
	SpaceFeedSize        = spaceFeedSize
	ProposalFeedComments = proposalFeedComments
)
