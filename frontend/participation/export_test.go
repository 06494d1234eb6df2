package participation

// What the tests of the package, an external test package, need to see.
const (
	ThreadCacheTTL = threadCacheTTL
	SeedCookie     = seedCookie
)
