package proposals

// ForgetCaches drops what the service keeps in memory, for tests that
// change rows behind its back.
func ForgetCaches(s *Service) {
	s.keys.mu.Lock()
	s.keys.items = nil
	s.keys.mu.Unlock()
}
