package database

import (
	"context"
	"database/sql/driver"
	"fmt"
	"hash/maphash"
	"net/url"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// bun writes a query's values into its text, so most texts are seen
// once (a ballot names its voter, a page its reader). pgx prepares every
// new text it is asked to query by default: a round trip to prepare,
// one to run, and later one to drop the statement pushed out of its
// cache, with the server planning it all the same. A text that repeats
// (a list's query, the same for every reader) gains from being prepared:
// its plan is kept. preparedOnRepeat runs a text without values in one
// round trip the first time it is seen, and lets pgx prepare it when it
// comes again. A statement that passes its values apart ($1) is
// prepared as before.
type preparedOnRepeat struct {
	driver.Connector
	seen *seenTexts
}

// newConnector is pgx's connector for u with preparedOnRepeat, unless
// the URL chooses a mode itself (default_query_exec_mode=...).
func newConnector(u *url.URL) (driver.Connector, error) {
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		return nil, err
	}
	if u.Query().Has("default_query_exec_mode") {
		return stdlib.GetConnector(*cfg), nil
	}
	return preparedOnRepeat{Connector: stdlib.GetConnector(*cfg), seen: &seenTexts{}}, nil
}

func (c preparedOnRepeat) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*stdlib.Conn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("pgx returned a %T connection", conn)
	}
	return onRepeatConn{Conn: sc, seen: c.seen}, nil
}

// onRepeatConn is a pgx connection whose queries without values run
// unprepared until their text repeats. Every other method is pgx's.
type onRepeatConn struct {
	*stdlib.Conn
	seen *seenTexts
}

var unprepared = []driver.NamedValue{{Ordinal: 1, Value: pgx.QueryExecModeSimpleProtocol}}

func (c onRepeatConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if len(args) == 0 && !c.seen.again(query) {
		args = unprepared
	}
	return c.Conn.QueryContext(ctx, query, args)
}

// seenTexts remembers which query texts it was shown, by hash, up to
// seenMax of them; then it starts again (a repeating text is prepared on
// its next sighting after that).
type seenTexts struct {
	mu   sync.Mutex
	seed maphash.Seed
	set  map[uint64]struct{}
}

const seenMax = 8192

// again says whether query was shown before, and remembers it.
func (s *seenTexts) again(query string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set == nil || len(s.set) >= seenMax {
		if s.set == nil {
			s.seed = maphash.MakeSeed()
		}
		s.set = make(map[uint64]struct{}, 256)
	}
	h := maphash.String(s.seed, query)
	if _, ok := s.set[h]; ok {
		return true
	}
	s.set[h] = struct{}{}
	return false
}
