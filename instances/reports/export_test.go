package reports

import "time"

// SetCellClock sets the clock by which the map's kept cells age, for
// tests of their freshness.
func SetCellClock(s *Service, now func() time.Time) {
	s.pinCells.mu.Lock()
	s.pinCells.now = now
	s.pinCells.mu.Unlock()
}
