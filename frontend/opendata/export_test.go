package opendata

// What the tests of the package, an external test package, need to see:
// the feeds are read back into the types that wrote them.
type AtomFeed = atomFeed

var AtomTime = atomTime

const (
	SpaceFeedSize        = spaceFeedSize
	ProposalFeedComments = proposalFeedComments
)
