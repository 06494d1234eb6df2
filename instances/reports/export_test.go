package reports

import "time"

// SetCellClock sets the clock by which the map's kept cells age, for
// tests of their freshness.
func SetCellClock(s *Service, now func() time.Time) {
	s.pinCells.mu.Lock()
	s.pinCells.now = now
	s.pinCells.mu.Unlock()
}

// SetWarming marks a WarmMap under way (or ended), for tests of the
// boxes answered meanwhile.
func SetWarming(s *Service, on bool) {
	s.pinCells.mu.Lock()
	if on {
		s.pinCells.warming++
	} else {
		s.pinCells.warming--
	}
	s.pinCells.mu.Unlock()
}
